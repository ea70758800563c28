"""The corpus of student answers, for every assignment with a `tests/corpus/<assignment>/` folder:
each typical mistake loses points on the right checks with a message naming it; each
correct-but-different answer (`tests/corpus/<assignment>_correct/`) gets full marks.

A check belongs to the reference function whose name is the longest prefix of the check id. A
mistake may only cost points on checks of its own function and of reference functions calling it
(its "reach"); every other check keeps full marks.

Notebooks that import TensorFlow cost about 5 s of CPU per grading, so their corpus is graded in
batches: one notebook holds several answers whose reaches are disjoint (no shared task, no task
calling another's, no entry calling another's task), and each entry is judged on its own checks.
A batch can only hide collateral damage an entry does inside another entry's reach; the per-entry
mode, used for the fast assignments, checks that too.
"""

from __future__ import annotations

import pytest
from support.corpus_grading import BATCHED, OWN_CORPUS_TEST, batches, function_of, functions_of, grade_entries, reach
from support.grading import NOTEBOOKS, scores_by_check

from convlab.dev.corpus import CorpusEntry, corpus
from convlab.settings import REPO_ROOT

ASSIGNMENTS = [a for a in NOTEBOOKS if (REPO_ROOT / "tests" / "corpus" / a).is_dir() and a not in OWN_CORPUS_TEST]














def _single(correct: bool) -> list[tuple[str, list[CorpusEntry]]]:
    return [(a, [e]) for a in ASSIGNMENTS if a not in BATCHED for e in corpus(a, correct=correct)]


def _batched(correct: bool) -> list[tuple[str, list[CorpusEntry]]]:
    return [(a, g) for a in ASSIGNMENTS if a in BATCHED for g in batches(a, corpus(a, correct=correct))]


WRONG = _single(False) + _batched(False)
CORRECT = _single(True) + _batched(True)


def _ids(groups: list[tuple[str, list[CorpusEntry]]]) -> list[str]:
    return [f"{a}/" + "+".join(e.name for e in g)[:90] for a, g in groups]






@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_corpus_is_big_enough_and_batches_are_independent(assignment):
    wrong, correct = corpus(assignment), corpus(assignment, correct=True)
    assert len(wrong) >= 15, "the issues ask for at least 15 typical mistakes"
    assert len(correct) >= 5
    functions = set(functions_of(assignment))
    for entry in wrong + correct:
        assert entry.function in functions, f"{entry.name}: no reference function {entry.function!r}"
    for entry in wrong:
        assert entry.loses and entry.message, f"{entry.name}: header needs loses and message"
    for group in batches(assignment, wrong) + batches(assignment, correct):
        reaches = [reach(assignment, e) for e in group]
        assert sum(map(len, reaches)) == len(set().union(*reaches)), "two entries of a batch share a task"


@pytest.mark.slow
@pytest.mark.parametrize(("assignment", "group"), WRONG, ids=_ids(WRONG))
def test_mistakes_lose_points_with_named_messages(assignment, group, tmp_path):
    checks = scores_by_check(grade_entries(assignment, group, tmp_path))
    for entry in group:
        for check_id in entry.loses:
            score, max_score, _ = checks[check_id]
            assert score < max_score - 1e-9, f"{entry.name} should lose points on {check_id}"
        messages = " ".join(checks[c][2] for c in entry.loses).lower()
        assert entry.message.lower() in messages, (
            f"{entry.name}: feedback should mention {entry.message!r}; got: {messages[:500]}"
        )
    reached = set().union(*(reach(assignment, e) for e in group))
    for check_id, (score, max_score, message) in checks.items():
        if function_of(assignment, check_id) not in reached:
            names = "+".join(e.name for e in group)
            assert score == pytest.approx(max_score), f"{names} cost points on {check_id}: {message}"


@pytest.mark.slow
@pytest.mark.parametrize(("assignment", "group"), CORRECT, ids=_ids(CORRECT))
def test_correct_variants_get_full_marks(assignment, group, tmp_path):
    result = grade_entries(assignment, group, tmp_path)
    lost = {c: m for c, (s, mx, m) in scores_by_check(result).items() if s < mx - 1e-9}
    assert not lost, f"{'+'.join(e.name for e in group)} is correct but lost points: {lost}"
    assert result.score == result.max_score
