"""The corpus of student answers: each typical mistake loses points on the right checks with a
message naming it; each correct-but-different answer gets full marks."""

from __future__ import annotations

import ast
import inspect

import pytest
from conftest import ASSIGNMENT, grade_nb, scores_by_check

from graders.submissions import corpus, with_answer
from solutions import conv1d as ref

WRONG = corpus(ASSIGNMENT)
CORRECT = corpus(ASSIGNMENT, correct=True)
FUNCTIONS = [n for n, f in vars(ref).items() if inspect.isfunction(f) and f.__module__ == ref.__name__]


def function_of(check_id: str) -> str:
    """The task a check grades: the longest function name its id starts with."""
    return max((f for f in FUNCTIONS if check_id.startswith(f + "_")), key=len)


def depends_on(function: str) -> set[str]:
    """Reference functions that call `function` (so a wrong one may cost points there too)."""
    users = {function}
    for name in FUNCTIONS:
        tree = ast.parse(inspect.getsource(getattr(ref, name)))
        if any(isinstance(n, ast.Name) and n.id == function for n in ast.walk(tree)):
            users.add(name)
    return users


def test_corpus_is_big_enough():
    assert len(WRONG) >= 15, "the issue asks for at least 15 typical mistakes"
    assert len(CORRECT) >= 5
    for entry in WRONG:
        assert entry.loses and entry.message, f"{entry.name}: header needs loses and message"


@pytest.mark.slow
@pytest.mark.parametrize("entry", WRONG, ids=[e.name for e in WRONG])
def test_mistake_loses_points_with_named_message(entry, reference_nb, tmp_path):
    result = grade_nb(with_answer(reference_nb, entry.function, entry.code), tmp_path)
    checks = scores_by_check(result)
    for check_id in entry.loses:
        score, max_score, _ = checks[check_id]
        assert score < max_score - 1e-9, f"{entry.name} should lose points on {check_id}"
    messages = " ".join(checks[c][2] for c in entry.loses).lower()
    assert entry.message.lower() in messages, (
        f"{entry.name}: feedback should mention {entry.message!r}; got: {messages[:500]}"
    )
    allowed = depends_on(entry.function)
    for check_id, (score, max_score, message) in checks.items():
        if function_of(check_id) not in allowed:
            assert score == pytest.approx(max_score), f"{entry.name} cost points on {check_id}: {message}"


@pytest.mark.slow
@pytest.mark.parametrize("entry", CORRECT, ids=[e.name for e in CORRECT])
def test_correct_variant_gets_full_marks(entry, reference_nb, tmp_path):
    result = grade_nb(with_answer(reference_nb, entry.function, entry.code), tmp_path)
    lost = {c: m for c, (s, mx, m) in scores_by_check(result).items() if s < mx - 1e-9}
    assert not lost, f"{entry.name} is correct but lost points: {lost}"
    assert result.score == result.max_score
