"""The mistake a failed check names explains the most of its failed cases (convlab/runner/naming.py)."""

from __future__ import annotations

from convlab.results import CaseResult
from convlab.runner.naming import named_mistake

STRIDE = ("stride_ignored", "The stride of earlier layers is ignored.")
DILATION = ("dilation_ignored", "Dilation is ignored.")


def _failure(base: str, *candidates: tuple[str, str]) -> CaseResult:
    hint = f" Likely mistake: {candidates[0][1]}" if candidates else ""
    return CaseResult(False, base + hint, [], candidates[0][0] if candidates else "", tuple(candidates), base)


def test_the_mistake_reproducing_most_failures_is_named_even_if_the_first_case_suggests_another():
    failures = [_failure("case 1 wrong.", STRIDE, DILATION)] + [_failure(f"case {i} wrong.", DILATION) for i in (2, 3)]
    mistake_id, message = named_mistake(failures)
    assert mistake_id == "dilation_ignored"
    assert message == "case 1 wrong. Likely mistake: Dilation is ignored."


def test_ties_follow_the_table_order_of_the_first_failure():
    failures = [_failure("a.", STRIDE, DILATION), _failure("b.", STRIDE, DILATION)]
    assert named_mistake(failures)[0] == "stride_ignored"


def test_a_coincidence_on_one_case_of_many_names_nothing():
    failures = [_failure("a.", STRIDE), _failure("b."), _failure("c.")]
    assert named_mistake(failures) == ("", "a.")


def test_a_single_failed_case_keeps_its_mistake():
    expected = ("stride_ignored", "a. Likely mistake: The stride of earlier layers is ignored.")
    assert named_mistake([_failure("a.", STRIDE)]) == expected


def test_the_shown_case_is_one_the_mistake_reproduces():
    failures = [_failure("a."), _failure("b.", DILATION), _failure("c.", DILATION)]
    assert named_mistake(failures) == ("dilation_ignored", "b. Likely mistake: Dilation is ignored.")


def test_hand_built_failures_keep_their_message():
    hand = CaseResult(False, "x. Likely mistake: y", [], "y_id")
    assert named_mistake([hand, hand]) == ("y_id", "x. Likely mistake: y")
    assert named_mistake([CaseResult(False, "plain")]) == ("", "plain")
