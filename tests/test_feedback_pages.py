"""Feedback pages a student reads once (issue 23): every image has alternative text and fits the
column, no traceback or terminal noise, padded tables, no bare score value under a test cell, and a
hand-graded item nobody graded yet reads "to be graded by hand".

The first tests check the pieces (convlab/integration/nbgrader_plugin.py, convlab/runtime/outputs.py).
The last grades a small class with nbgrader (the reference, an untouched notebook and one typical
mistake, for 02_conv1d and 03_conv2d), generates its feedback with the course's template and opens
every page in headless Chromium at a 1200 px window. Screenshots go to artifacts/feedback/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from support.chromium import render_in_chromium
from support.grading import copy_course

from convlab.checking.checks import CheckFailure
from convlab.checking.pictures import png_description, with_picture
from convlab.dev.corpus import corpus, reference_submission, release_notebook, with_answer, write_submission
from convlab.integration.nbgrader_plugin import SCORE_KEY, write_results
from convlab.notebook import StudentCell
from convlab.results import CheckResult, ItemResult, NotebookResult
from convlab.runtime.kernel import ExecResult
from convlab.runtime.outputs import readable_error, stopped_cell_line
from convlab.runtime.student import CellRun
from convlab.settings import REPO_ROOT

PNG = "iVBORw0KGgo="  # any base64 text: the page tests below use real figures
KERAS_ERROR = ("Exception encountered when calling Reshape.call().\n\n\x1b[1mThe total size of the new array "
               "must be unchanged, input_shape = [16], output_shape = [3, 5]\x1b[0m\n\nArguments received by "
               "Reshape.call():\n  • inputs=tf.Tensor(shape=(None, 16), dtype=float32)")


def _locked(source: str, outputs: list, **metadata) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, metadata=metadata)
    cell.metadata["nbgrader"] = {"grade": False, "solution": False, "locked": True, "grade_id": f"c{len(source)}",
                                 "schema_version": 3}
    cell.outputs = outputs
    return cell


def _error(ename: str, evalue: str, frames: list[str]) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[
        "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
        f"\x1b[0;31m{ename}\x1b[0m                       Traceback (most recent call last)", *frames,
        f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


def _figure(text: str = "<Figure size 900x360 with 2 Axes>") -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": text})


def _written(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """`cells` after write_results, their outputs given as the kernel's."""
    nb = nbformat.v4.new_notebook(cells=cells)
    runs = [CellRun(StudentCell(i, c.source), ExecResult("ok", c.outputs)) for i, c in enumerate(cells)]
    write_results(nb, NotebookResult("06_object_detection", "detection", [], cell_runs=runs))
    return nb


def test_a_read_only_cell_that_stopped_shows_one_line_and_no_half_drawn_figure():
    unfinished = _error("NotImplementedError", "", [
        "Cell \x1b[0;32mIn[1], line 5\x1b[0m\n----> 5 anchors = kmeans_anchors(wh, 3)\n",
        "Cell \x1b[0;32mIn[1], line 20, in kmeans_anchors(wh, k, seed, iters)\x1b[0m\n---> 20 raise NotImplementedError()\n"])
    missing = _error("NameError", "name 'detector' is not defined", ["Cell In[1], line 2\n----> 2 detector.predict(x)\n"])
    nb = _written([_locked("anchors = kmeans_anchors(wh, 3)", [_figure(), unfinished]),
                   _locked("detector.predict(x)", [missing])])
    first, second = (cell.outputs for cell in nb.cells)
    assert [o.output_type for o in first] == ["error"], "the half-drawn figure is gone"
    assert first[0].traceback == ["This read-only cell stopped: `kmeans_anchors` is not implemented yet (it still "
                                  "raises NotImplementedError). It runs once that task is done."]
    assert second[0].traceback == ["This read-only cell stopped: `detector` is not defined (because a cell above "
                                   "that defines it stopped)."]


def test_library_errors_lose_their_colour_codes_and_wrapper_lines():
    assert readable_error(f"ValueError: {KERAS_ERROR}") == (
        "ValueError: The total size of the new array must be unchanged, input_shape = [16], output_shape = [3, 5]")
    line = stopped_cell_line(_error("ValueError", KERAS_ERROR, [
        "Cell In[7], line 9\n----> 9 detector = build_detector(shape, 8, 3, 3)\n",
        "Cell In[5], line 31, in build_detector(input_shape, grid_size, n_anchors, n_classes)\n",
        "File ~/.venv/lib/python3.11/site-packages/keras/src/utils/traceback_utils.py:122, in filter_traceback\n"]))
    assert line == ("This read-only cell stopped: your `build_detector` raised ValueError: The total size of the new "
                    "array must be unchanged, input_shape = [16], output_shape = [3, 5] (line 31 of its cell).")
    assert "\x1b" not in line and "Exception encountered" not in line
    course_code = _error("ValueError", "bad box", ["Cell In[9], line 3\n", "Cell In[1], line 12, in draw_boxes(ax, boxes)\n"])
    assert stopped_cell_line(course_code, yours={"iou_matrix"}) == (
        "This read-only cell stopped: `draw_boxes` raised ValueError: bad box (line 12 of its cell).")


def test_every_image_gets_alternative_text():
    nb = _written([
        _locked("plt.plot(x); plt.show()", [_figure()], alt="A line of x against its index."),
        _locked("show(a); show(b)", [_figure(), _figure()], alt=["First picture.", "Second picture."]),
        _locked('ax.set_title("box sizes and 3 anchors"); ax2.set_title(f"k = {k}")', [_figure()]),
    ])
    alts = [o.metadata["image/png"]["alt"] for cell in nb.cells for o in cell.outputs]
    assert alts == ["A line of x against its index.", "First picture.", "Second picture.",
                    "Figure 1 drawn by this cell with 2 plots, titled box sizes and 3 anchors; k = …."]


def test_the_score_value_is_marked_for_the_page_to_hide_and_pictures_say_what_they_show():
    expected = np.arange(35.0).reshape(5, 7)
    got = expected.copy()
    got[1:3, 2:4] += 1
    [png] = with_picture(CheckFailure("4 values differ"), expected, got, title="conv2d(x (5, 7), k (3, 3))").images
    assert png_description(png) == ("Three panels for conv2d(x (5, 7), k (3, 3)): the expected result, yours (one "
                                    "colour scale), and the difference yours minus expected; 4 of 35 values "
                                    "differ, the largest by 1.")
    cell = nbformat.v4.new_code_cell("visible()\n### BEGIN HIDDEN TESTS\n# checks: conv2d_modes\n### END HIDDEN TESTS\n")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "test_conv2d", "points": 1}
    nb = nbformat.v4.new_notebook(cells=[cell])
    check = CheckResult("conv2d_modes", "", 0.5, 1.0, 1, 2, "4 values differ", [png])
    write_results(nb, NotebookResult("03_conv2d", "conv2d", [ItemResult("test_conv2d", 1.0, [check])]))
    *_, picture, score = nb.cells[0].outputs
    assert score.output_type == "execute_result" and score.metadata[SCORE_KEY] and score.data["text/plain"] == "0.5"
    assert picture.metadata["image/png"]["alt"].startswith("conv2d_modes, first failed case: Three panels for conv2d(")


# --- the pages, in a browser -------------------------------------------------------------------

CLASS = {"02_conv1d": ("conv1d", "conv1d_no_flip"), "03_conv2d": ("conv2d", "conv2d_flip_one_axis")}
SHOTS = REPO_ROOT / "artifacts" / "feedback"
WINDOW = "1200,3000"
# Left in the page as data- attributes of <body> once it has loaded (read back from the dumped DOM).
MEASURE = """<script>
window.addEventListener('load', () => {
  const column = document.querySelector('#notebook-container').getBoundingClientRect();
  const images = Array.from(document.images);
  const wide = images.filter(i => i.getBoundingClientRect().right > column.right + 1
                              || i.getBoundingClientRect().width > i.parentElement.clientWidth + 1);
  const placeholder = 'No description has been provided for this image';
  const noAlt = images.filter(i => !(i.getAttribute('alt') || '').trim() || i.getAttribute('alt') === placeholder);
  const cells = Array.from(document.querySelectorAll('.convlab-report td, .convlab-report th'));
  const tight = cells.filter(c => parseFloat(getComputedStyle(c).paddingLeft) < 4
                               || parseFloat(getComputedStyle(c).paddingRight) < 4);
  Object.assign(document.body.dataset, {
    images: images.length, loaded: images.filter(i => i.complete && i.naturalWidth > 0).length,
    wide: wide.length, noAlt: noAlt.length, cells: cells.length, tight: tight.length,
    overflow: document.documentElement.scrollWidth > window.innerWidth ? 1 : 0});
});
</script>"""


def _nbgrader(course: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NBGRADER"))}
    env.update(HOME=str(course / "home"), PATH=f"{Path(sys.executable).parent}:{env['PATH']}",
               PYTHONWARNINGS="ignore", PYTHONPATH=str(course))
    done = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), *args], cwd=course, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done.stderr


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> tuple[dict[tuple[str, str], Path], str]:
    """(student, assignment) -> feedback page, and what generate_feedback logged."""
    course = copy_course(tmp_path_factory.mktemp("feedback") / "course")
    log = ""
    for assignment, (notebook, mistake) in CLASS.items():
        _nbgrader(course, "generate_assignment", assignment, "--force", "--log-level=WARN")
        reference = reference_submission(assignment, notebook, course)
        entry = {e.name: e for e in corpus(assignment)}[mistake]
        for student, nb in {"reference": reference, "untouched": release_notebook(assignment, notebook, course),
                            "mistake": with_answer(reference, entry.function, entry.answer)}.items():
            write_submission(nb, course / "submitted", student, assignment, notebook)
        _nbgrader(course, "autograde", assignment, "--force", "--log-level=WARN")
        log += _nbgrader(course, "generate_feedback", assignment, "--force", "--log-level=WARN")
    found = {(p.parts[-3], p.parts[-2]): p for p in (course / "feedback").glob("*/*/*.html")}
    assert len(found) == 3 * len(CLASS), sorted(found)
    return found, log


@pytest.mark.slow
def test_generate_feedback_warns_of_no_image_without_alt_text(pages):
    _, log = pages
    assert "Alternative text is missing" not in log, log


@pytest.mark.slow
@pytest.mark.parametrize("student", ["reference", "untouched", "mistake"])
@pytest.mark.parametrize("assignment", sorted(CLASS))
def test_page_in_chromium(pages, assignment, student, tmp_path):
    page = pages[0][(student, assignment)]
    measured = tmp_path / page.name
    measured.write_text(page.read_text().replace("</body>", MEASURE + "</body>"))
    shot, body, console = render_in_chromium(measured, tmp_path, window=WINDOW)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, SHOTS / f"{assignment}-{student}.png")  # kept for a person to look at
    data = dict(re.findall(r'data-([a-z-]+)="(\d+)"', body))
    assert data.get("images") is not None, f"the measuring script did not run: {body}"
    assert data["loaded"] == data["images"], data
    assert data["wide"] == "0" and data["overflow"] == "0", f"an image is wider than the column at 1200 px: {data}"
    assert data["no-alt"] == "0", f"images without alternative text: {data}"
    assert int(data["cells"]) > 0 and data["tight"] == "0", f"report cells without padding: {data}"
    assert not console, console


@pytest.mark.slow
@pytest.mark.parametrize("assignment", sorted(CLASS))
def test_page_text_has_no_noise(pages, assignment):
    found, _ = pages
    untouched = found[("untouched", assignment)].read_text()
    for noise in ("Traceback (most recent call last)", "---->", "\x1b[", "[1m", "No response."):
        assert noise not in untouched, f"{assignment}: the untouched student's page shows {noise!r}"
    for student in ("reference", "untouched", "mistake"):
        text = found[(student, assignment)].read_text()
        # A test cell's score value is not shown as `Out[ ]: 1.0`: the report above it gives the points.
        bare = re.findall(r"Out\[[^\]]*\]:\s*</div>\s*<div[^>]*>\s*<pre>\s*[\d.]+\s*</pre>", text)
        assert not bare, f"{assignment}/{student}: a bare score value is shown: {bare[:2]}"
    reference = found[("reference", assignment)].read_text()
    assert "to be graded by hand" in reference.lower(), f"{assignment}: the written answer waits for a TA"
    assert not re.search(r"answer[^<]*</a>\s*\(Score: 0\.0 / ", reference), "no '0.0 / 2.0' before a TA graded it"
