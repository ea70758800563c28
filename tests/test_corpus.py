"""The corpus of student answers, for every assignment with a `tests/corpus/<assignment>/` folder:
each typical mistake loses points on the right checks with a message naming it; each
correct-but-different answer (`tests/corpus/<assignment>_correct/`) gets full marks.

A check belongs to the reference function whose name is the longest prefix of the check id; a
mistake may only cost points on checks of its own function and of reference functions calling it."""

from __future__ import annotations

import ast
import importlib
import inspect
from types import ModuleType

import pytest
from conftest import NOTEBOOKS, grade_nb, reference_of, scores_by_check

from graders.settings import REPO_ROOT
from graders.submissions import corpus, with_answer

# Grading a whole notebook per entry is too slow where the notebook trains models: those
# assignments test their corpus in their own module.
OWN_CORPUS_TEST = {"05_keras_cnn", "01_image_tasks"}
ASSIGNMENTS = [a for a in NOTEBOOKS if (REPO_ROOT / "tests" / "corpus" / a).is_dir() and a not in OWN_CORPUS_TEST]
WRONG = [(a, e) for a in ASSIGNMENTS for e in corpus(a)]
CORRECT = [(a, e) for a in ASSIGNMENTS for e in corpus(a, correct=True)]


def _ids(pairs: list) -> list[str]:
    return [f"{a}/{e.name}" for a, e in pairs]


def reference_module(assignment: str) -> ModuleType:
    return importlib.import_module(f"solutions.{NOTEBOOKS[assignment]}")


def functions_of(assignment: str) -> list[str]:
    ref = reference_module(assignment)
    return [n for n, f in vars(ref).items() if inspect.isfunction(f) and f.__module__ == ref.__name__]


def function_of(assignment: str, check_id: str) -> str:
    """The task a check grades: the longest function name its id starts with."""
    return max((f for f in functions_of(assignment) if check_id.startswith(f + "_")), key=len)


def depends_on(assignment: str, function: str) -> set[str]:
    """Reference functions that call `function` (so a wrong one may cost points there too)."""
    ref = reference_module(assignment)
    users, grew = {function}, True
    while grew:
        grew = False
        for name in functions_of(assignment):
            tree = ast.parse(inspect.getsource(getattr(ref, name)))
            if name not in users and any(isinstance(n, ast.Name) and n.id in users for n in ast.walk(tree)):
                users.add(name)
                grew = True
    return users


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_corpus_is_big_enough(assignment):
    wrong, correct = corpus(assignment), corpus(assignment, correct=True)
    assert len(wrong) >= 15, "the issues ask for at least 15 typical mistakes"
    assert len(correct) >= 5
    for entry in wrong:
        assert entry.loses and entry.message, f"{entry.name}: header needs loses and message"


@pytest.mark.slow
@pytest.mark.parametrize(("assignment", "entry"), WRONG, ids=_ids(WRONG))
def test_mistake_loses_points_with_named_message(assignment, entry, tmp_path):
    nb = with_answer(reference_of(assignment), entry.function, entry.code)
    result = grade_nb(nb, tmp_path, assignment=assignment)
    checks = scores_by_check(result)
    for check_id in entry.loses:
        score, max_score, _ = checks[check_id]
        assert score < max_score - 1e-9, f"{entry.name} should lose points on {check_id}"
    messages = " ".join(checks[c][2] for c in entry.loses).lower()
    assert entry.message.lower() in messages, (
        f"{entry.name}: feedback should mention {entry.message!r}; got: {messages[:500]}"
    )
    allowed = depends_on(assignment, entry.function)
    for check_id, (score, max_score, message) in checks.items():
        if function_of(assignment, check_id) not in allowed:
            assert score == pytest.approx(max_score), f"{entry.name} cost points on {check_id}: {message}"


@pytest.mark.slow
@pytest.mark.parametrize(("assignment", "entry"), CORRECT, ids=_ids(CORRECT))
def test_correct_variant_gets_full_marks(assignment, entry, tmp_path):
    nb = with_answer(reference_of(assignment), entry.function, entry.code)
    result = grade_nb(nb, tmp_path, assignment=assignment)
    lost = {c: m for c, (s, mx, m) in scores_by_check(result).items() if s < mx - 1e-9}
    assert not lost, f"{entry.name} is correct but lost points: {lost}"
    assert result.score == result.max_score
