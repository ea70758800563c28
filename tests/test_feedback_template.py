"""The course's feedback template is configured for `generate_feedback` only: its HTML exporter uses
templates/feedback_convlab, while every other HTML exporter (formgrader's among them) keeps its own.
The rendering itself is checked end to end in tests/test_nbgrader_cycle.py."""

from __future__ import annotations

from nbconvert.exporters import HTMLExporter
from nbgrader.converters import GenerateFeedback
from traitlets.config.loader import PyFileConfigLoader

from convlab.settings import REPO_ROOT


def _course_config():
    return PyFileConfigLoader("nbgrader_config.py", path=str(REPO_ROOT)).load_config()


def test_generate_feedback_uses_the_course_template():
    converter = GenerateFeedback(config=_course_config())
    exporter = converter.exporter_class(parent=converter, config=converter.config)
    assert exporter.template_name == "feedback_convlab"
    assert (REPO_ROOT / "templates" / "feedback_convlab" / "index.html.j2").is_file()
    assert any(path.endswith("feedback_convlab") for path in exporter.template_paths), exporter.template_paths


def test_other_html_exporters_keep_their_template():
    assert HTMLExporter(config=_course_config()).template_name != "feedback_convlab"
