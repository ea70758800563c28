"""Class reports: grades.csv, item_analysis.csv and report.html from a batch-graded class, and the
report opened in a real browser (headless Chromium, Debian's package) with its plots and no errors."""

from __future__ import annotations

import csv
import inspect
import json
import shutil

import nbformat
import pytest
from support.chromium import render_in_chromium
from support.classes import make_course
from support.grading import ASSIGNMENT, NOTEBOOK

from convlab import batch
from convlab.batch import class_report
from convlab.dev.corpus import corpus, reference_submission, release_notebook, with_answer
from convlab.results import CheckResult, ItemResult
from convlab.runner import report

HINT = "kernel not flipped: a convolution reads w[i - j]"


def test_feedback_tables_carry_their_checks_as_data():
    """The class report reads ids and the named mistake's id as data: rewording a hint changes nothing."""
    item = ItemResult("test_conv1d", 4.0, [
        CheckResult("conv1d_modes", "all modes", 0.5, 2.0, 1, 4, f"conv1d(x, w): value mismatch. {HINT}"
                    " </script> (3 of 4 cases failed)", mistake_id="conv1d_no_flip"),
        CheckResult("conv1d_inputs", "dtypes", 2.0, 2.0, 4, 4, ""),
        CheckResult("conv1d_no_library", "", 0.0, 1.0, 0, 1, "wrong", relies_on=["conv1d_modes"],
                    blocked_by=["conv1d_modes"]),
    ])
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": report.item_html(item),
                                                                 "text/plain": "no data in the text"})]
    nb.cells.append(cell)
    got = class_report.read_feedback(nb)
    assert [(c.check_id, c.cell, c.score, c.max_score, c.passed) for c in got] == [
        ("conv1d_modes", "test_conv1d", 0.5, 2.0, False), ("conv1d_inputs", "test_conv1d", 2.0, 2.0, True),
        ("conv1d_no_library", "test_conv1d", 0.0, 1.0, False)]
    assert [c.mistake_id for c in got] == ["conv1d_no_flip", "", ""]
    assert got[0].message.endswith("</script> (3 of 4 cases failed)"), "messages survive the data block intact"
    assert got[2].blocked_by == ("conv1d_modes",)
    assert "Likely mistake" not in inspect.getsource(class_report), "no parsing of message wording"






@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    reference = reference_submission(ASSIGNMENT, NOTEBOOK)
    entry = {e.name: e for e in corpus(ASSIGNMENT)}["conv1d_no_flip"]
    subs = {"reference": reference, "untouched": release_notebook(ASSIGNMENT, NOTEBOOK),
            "no_flip": with_answer(reference, entry.function, entry.code),
            "broken": '{"cells": [ {"cell_ty'}
    course = make_course(tmp_path_factory.mktemp("course"), subs)
    batch.run_batch(course, ASSIGNMENT, workers=2)
    # A student whose grading failed in an earlier run (the batch records it this way).
    (course / "submitted" / "crashed" / ASSIGNMENT).mkdir(parents=True)
    (course / "reports" / ASSIGNMENT).mkdir(parents=True, exist_ok=True)
    (course / "reports" / ASSIGNMENT / "failures.json").write_text(json.dumps({"crashed": "timed out after 1800 s"}))
    folder = class_report.write_reports(course, ASSIGNMENT)
    return course, folder


@pytest.mark.slow
def test_grades_csv_has_every_student_with_total_and_max(reported):
    _, folder = reported
    rows = {r["student_id"]: r for r in csv.DictReader((folder / "grades.csv").open())}
    assert set(rows) == {"reference", "untouched", "no_flip", "broken", "crashed"}
    assert list(next(iter(rows.values()))) == ["student_id", NOTEBOOK, "total", "max_score", "status"]
    assert float(rows["reference"]["total"]) == 16.0 and float(rows["reference"]["max_score"]) == 18.0
    assert float(rows["untouched"]["total"]) == 0.0 and float(rows["broken"]["total"]) == 0.0
    assert 0 < float(rows["no_flip"]["total"]) < 16.0
    assert float(rows["crashed"]["total"]) == 0.0 and rows["crashed"]["status"].startswith("failed: timed out")


@pytest.mark.slow
def test_item_analysis_names_the_common_mistake(reported):
    _, folder = reported
    rows = {r["check"]: r for r in csv.DictReader((folder / "item_analysis.csv").open())}
    modes = rows["conv1d_modes"]
    assert modes["cell"] == "test_conv1d" and int(modes["students"]) == 4
    assert float(modes["pass_rate"]) == pytest.approx(0.25)  # only the reference passes every case
    assert modes["most_common_mistake"] == "no_flip" and int(modes["mistake_count"]) == 1
    # conv1d_no_library relies on conv1d_modes: the no-flip and the untouched notebooks fail both
    # (the broken one is not graded).
    assert int(rows["conv1d_no_library"]["failed_with_relied_on_check"]) == 2
    assert float(rows["moving_average_values"]["pass_rate"]) == pytest.approx(0.5)


@pytest.mark.slow
def test_report_html_renders_in_headless_chromium(reported, tmp_path):
    _, folder = reported
    page = folder / "report.html"
    text = page.read_text()
    assert text.count("data:image/png;base64,") == 3 and "conv1d_modes" in text
    shot, body, console = render_in_chromium(page, tmp_path)
    assert 'data-images-loaded="3/3"' in body and 'data-errors="0"' in body, body
    assert not console, console
    shutil.copy(shot, folder / "report_screenshot.png")  # kept for a person to look at
