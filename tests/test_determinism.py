"""The same submission always gets the same scores and the same messages."""

from __future__ import annotations

import pytest
from support.grading import ASSIGNMENT, grade_nb

from convlab.dev.corpus import corpus, with_answer
from convlab.runner.report import notebook_json


@pytest.mark.slow
def test_grading_twice_gives_identical_results(reference_nb, tmp_path):
    entry = next(e for e in corpus(ASSIGNMENT) if e.name == "conv1d_no_flip")
    nb = with_answer(reference_nb, entry.function, entry.code)
    first = notebook_json(grade_nb(nb, tmp_path, "first"))
    second = notebook_json(grade_nb(nb, tmp_path, "second"))
    assert first == second
    assert 0 < first["score"] < first["max_score"]
