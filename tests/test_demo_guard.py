"""`make demo` fails when the reference student loses an automatic point (convlab/dev/demo.py)."""

from __future__ import annotations

import nbformat

from convlab.dev.demo import reference_losses
from convlab.results import CheckResult, ItemResult
from convlab.runner.report import item_html


def _autograded(tmp_path, *checks: CheckResult):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("# hidden checks")
    html = item_html(ItemResult("test_x", 4.0, list(checks)))
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
    nb.cells.append(cell)
    folder = tmp_path / "reference" / "02_conv1d"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "conv1d.ipynb")
    return tmp_path


def test_a_lost_check_is_named_with_its_score_and_message(tmp_path):
    root = _autograded(tmp_path, CheckResult("conv1d_values", "", 2.0, 2.0, 5, 5, ""),
                       CheckResult("conv1d_modes", "", 0.5, 2.0, 1, 4, "conv1d(x (5,), w (3,)): expected ..."))
    assert reference_losses(root, "02_conv1d") == ["02_conv1d conv1d_modes: 0.5 / 2: conv1d(x (5,), w (3,)): expected ..."]


def test_full_marks_and_a_missing_notebook(tmp_path):
    root = _autograded(tmp_path, CheckResult("conv1d_values", "", 2.0, 2.0, 5, 5, ""))
    assert reference_losses(root, "02_conv1d") == []
    assert reference_losses(root, "07_segmentation") == ["07_segmentation: the reference was not autograded"]


def test_demo_students_hand_in_code_without_the_corpus_notes():
    from convlab.dev.corpus import corpus

    for entry in corpus("02_conv1d")[:5]:
        assert not any(line.startswith(("# loses:", "# message:", "# function:")) for line in entry.answer.splitlines())
        assert f"def {entry.function}(" in entry.answer, f"{entry.name}: the answer lost its code"
