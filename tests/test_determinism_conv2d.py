"""03_conv2d: the same submission gets the same scores and messages, timing-based check included."""

from __future__ import annotations

import pytest
from support.grading import grade_nb, reference_of

from convlab.dev.corpus import corpus, with_answer
from convlab.runner.report import notebook_json


@pytest.mark.slow
def test_grading_twice_gives_identical_results(tmp_path):
    # The per-pixel loop exercises the vectorisation check's timing; its message must not vary.
    entry = next(e for e in corpus("03_conv2d") if e.name == "conv2d_im2col_pixel_loop")
    nb = with_answer(reference_of("03_conv2d"), entry.function, entry.code)
    first = notebook_json(grade_nb(nb, tmp_path, "first", assignment="03_conv2d"))
    second = notebook_json(grade_nb(nb, tmp_path, "second", assignment="03_conv2d"))
    assert first == second
    assert 0 < first["score"] < first["max_score"]


@pytest.mark.slow
def test_wrong_images_come_with_a_picture_in_the_feedback(tmp_path):
    """A wrong image result carries expected | yours | |difference| into the graded cell's outputs."""
    import nbformat

    from convlab.integration.nbgrader_plugin import write_results

    entry = next(e for e in corpus("03_conv2d") if e.name == "conv2d_no_flip")
    nb = with_answer(reference_of("03_conv2d"), entry.function, entry.code)
    result = grade_nb(nb, tmp_path, assignment="03_conv2d")
    pictured = [c for item in result.items for c in item.checks if c.images]
    assert pictured and all(not c.passed for c in pictured), "only failed checks carry pictures"
    assert all(png.startswith(b"\x89PNG") for c in pictured for png in c.images)
    feedback = nbformat.from_dict(nb)
    write_results(feedback, result)
    assert any("image/png" in out.get("data", {}) for cell in feedback.cells
               for out in cell.get("outputs", []))
