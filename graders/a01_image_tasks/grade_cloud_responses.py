"""Hidden graders of 01_image_tasks, the Cloud Vision responses: parse_cloud_labels, parse_cloud_objects.

Both return lists of tuples, compared entry by entry (names exactly, scores and boxes within
tolerance); the message states the rule (threshold, order) and names the entries returned.
"""

from __future__ import annotations

from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure, matching_mistakes
from graders.a01_image_tasks import cases as C
from graders.a01_image_tasks.cases import CHECK


def _check_parsed(student, name: str, call: str, args: tuple, min_score: float | None) -> None:
    kwargs = {} if min_score is None else {"min_score": min_score}
    got = student.call(name, *args, **kwargs)
    value, expected = got.value, CHECK.reference_of(name)(*args, **kwargs)
    if not isinstance(value, list):
        raise CheckFailure(f"{call} returned a {got.type_name}; return a list of tuples")
    try:
        ok = C.pairs_same(value, expected)
    except (TypeError, ValueError, IndexError):
        ok = False
    if ok:
        return
    names = [str(v[0]) if isinstance(v, list) and v else "?" for v in value]
    raise CheckFailure.naming(f"{call} returned {len(value)} entries {names[:8]}; expected {len(expected)} entries "
                              f"(score >= min_score, highest first, ties in response order).",
                              matching_mistakes(CHECK.mistakes_of(name), args, kwargs, value, C.pairs_same))


def _labels_call(student, response: dict, min_score: float | None) -> None:
    n = len(response.get("responses", [{}])[0].get("labelAnnotations", [])) if response.get("responses") else 0
    call = f"parse_cloud_labels(response with {n} labels{'' if min_score is None else f', min_score={min_score}'})"
    _check_parsed(student, "parse_cloud_labels", call, (response,), min_score)


def _objects_call(student, response: dict, width: int, height: int, min_score: float | None) -> None:
    first = response.get("responses") or [{}]
    n = len(first[0].get("localizedObjectAnnotations", []))
    call = (f"parse_cloud_objects(response with {n} objects, width={width}, height={height}"
            f"{'' if min_score is None else f', min_score={min_score}'})")
    _check_parsed(student, "parse_cloud_objects", call, (response, width, height), min_score)


# -- parse_cloud_labels ----------------------------------------------------------------------------


@cases(C.label_cases("parse_cloud_labels"), fresh=lambda rng: C.label_cases(rng, 2), kind=C.labels_kind)
def test_parse_cloud_labels_values(student, case):
    """parse_cloud_labels on responses with topicality different from score, tied scores and several thresholds."""
    _labels_call(student, *case)


@cases(C.LABELS_THRESHOLD, fresh=C.threshold_cases, kind=C.threshold_kind)
def test_parse_cloud_labels_threshold(student, case):
    """parse_cloud_labels keeps a score exactly equal to min_score (the default 0.5 included)."""
    _labels_call(student, *case)


@cases(C.MISSING, fresh=C.missing_responses, kind=C.missing_kind)
def test_parse_cloud_labels_missing(student, case):
    """parse_cloud_labels returns [] for an empty, missing or error response."""
    _labels_call(student, case, None)


# -- parse_cloud_objects ---------------------------------------------------------------------------


@cases(C.object_cases("parse_cloud_objects"), fresh=lambda rng: C.object_cases(rng, 2), kind=C.objects_kind)
def test_parse_cloud_objects_values(student, case):
    """parse_cloud_objects on non-square images, vertices without x or y, scores at the threshold, other thresholds."""
    _objects_call(student, *case)


@cases([(response, 320, 240) for response in C.MISSING], fresh=C.missing_object_cases,
       kind=lambda case: C.missing_kind(case[0]))
def test_parse_cloud_objects_missing(student, case):
    """parse_cloud_objects returns [] for an empty, missing or error response."""
    _objects_call(student, *case, None)
