"""Collecting from an LMS: `nbgrader zip_collect` with our collector on a synthetic Moodle/Canvas zip."""

from __future__ import annotations

import subprocess
import zipfile

import nbformat
import pytest
from support.classes import BIN, ENV
from support.grading import ASSIGNMENT, NOTEBOOK, copy_course

from convlab.dev.corpus import release_notebook
from convlab.integration.lms import parse_lms_name


@pytest.mark.parametrize("name, student, file_id, version", [
    ("x/Ada Lovelace_1001_assignsubmission_file_/conv1d.ipynb", "1001", "conv1d.ipynb", "0"),
    ("x/Alan M. Turing_1002_assignsubmission_file_conv1d.ipynb", "1002", "conv1d.ipynb", "0"),
    ("x/hoppergrace_1003_555_conv1d.ipynb", "1003", "conv1d.ipynb", "0"),
    ("x/hoppergrace_1003_556_conv1d-2.ipynb", "1003", "conv1d.ipynb", "2"),
    ("x/knuthdonald_LATE_1004_557_conv1d.ipynb", "1004", "conv1d.ipynb", "0"),
])
def test_parse_lms_names(name, student, file_id, version):
    info = parse_lms_name(name)
    assert (info["student_id"], info["file_id"], info["version"]) == (student, file_id, version)


def test_unknown_names_are_not_parsed():
    assert parse_lms_name("x/conv1d.ipynb") is None
    assert parse_lms_name("x/notes_final.ipynb") is None


def _marked(text: str) -> str:
    nb = release_notebook(ASSIGNMENT, NOTEBOOK)
    nb.cells.append(nbformat.v4.new_markdown_cell(text))
    return nbformat.writes(nb)


@pytest.mark.slow  # runs nbgrader
def test_zip_collect_puts_each_student_in_submitted(tmp_path):
    course = copy_course(tmp_path, ("source", "release", "graders", "nbgrader_config.py"))
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "download_all_submissions.zip", "w") as zf:
        zf.writestr("Ada Lovelace_1001_assignsubmission_file_/conv1d.ipynb", _marked("ada"))
        zf.writestr("Alan Turing_1002_assignsubmission_file_conv1d.ipynb", _marked("alan"))
        zf.writestr("hoppergrace_1003_555_conv1d.ipynb", _marked("grace first"))
        zf.writestr("hoppergrace_1003_556_conv1d-1.ipynb", _marked("grace again"))
        zf.writestr("knuthdonald_LATE_1004_557_conv1d.ipynb", _marked("donald"))
        zf.writestr("stray_file.ipynb", _marked("nobody"))
    done = subprocess.run([str(BIN / "nbgrader"), "zip_collect", ASSIGNMENT, "--log-level=WARN"], cwd=course,
                          env=ENV, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    found = {p.parent.parent.name: p for p in (course / "submitted").glob(f"*/{ASSIGNMENT}/{NOTEBOOK}.ipynb")}
    assert sorted(found) == ["1001", "1002", "1003", "1004"]
    last_cell = {s: nbformat.read(p, as_version=4).cells[-1].source for s, p in found.items()}
    assert last_cell == {"1001": "ada", "1002": "alan", "1003": "grace again", "1004": "donald"}
    assert "stray_file.ipynb" in done.stderr  # reported as skipped, not collected
