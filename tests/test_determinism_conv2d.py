"""03_conv2d: the same submission gets the same scores and messages, timing-based check included."""

from __future__ import annotations

import pytest
from conftest import grade_nb, reference_of

from graders.report import notebook_json
from graders.submissions import corpus, with_answer


@pytest.mark.slow
def test_grading_twice_gives_identical_results(tmp_path):
    # The per-pixel loop exercises the vectorisation check's timing; its message must not vary.
    entry = next(e for e in corpus("03_conv2d") if e.name == "conv2d_im2col_pixel_loop")
    nb = with_answer(reference_of("03_conv2d"), entry.function, entry.code)
    first = notebook_json(grade_nb(nb, tmp_path, "first", assignment="03_conv2d"))
    second = notebook_json(grade_nb(nb, tmp_path, "second", assignment="03_conv2d"))
    assert first == second
    assert 0 < first["score"] < first["max_score"]
