"""Hidden graders of 01_image_tasks, the box formats: xyxy, xywh and normalised cxcywh, both ways."""

from __future__ import annotations

import numpy as np
import pytest

from convlab.checking.calls import describe_call
from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure
from convlab.checking.pictures import with_boxes
from graders.a01_image_tasks import cases as C
from graders.a01_image_tasks.cases import CHECK


def _check_values(student, name: str, case: tuple) -> None:
    boxes, width, height = case
    extra = (width, height) if name in C.NORMALISED else ()

    def picture(failure: CheckFailure, expected: np.ndarray, got: object, *, title: str) -> CheckFailure:
        try:
            drawn = C.pixel_xyxy(name, expected, width, height), C.pixel_xyxy(name, got, width, height)
        except (TypeError, ValueError):  # not boxes: the message says what is wrong
            return failure
        return with_boxes(failure, np.full((height, width), 0.85), *drawn, title=title)

    got = CHECK.expect_call(student, name, boxes, *extra, atol=1e-6, picture=picture, require_ndarray=True,
                            require_float=True)
    if got.value.dtype != np.float64:
        call = describe_call(name, CHECK.reference_of(name), (boxes, *extra), {})
        raise CheckFailure(f"{call} returned {got.value.dtype}; return float64 (np.asarray(boxes, dtype=float))")


def _check_unchanged(student, name: str, case: tuple) -> None:
    boxes, width, height = case
    extra = (width, height) if name in C.NORMALISED else ()
    call = f"{name}(float64 array of shape {C.shape_text(boxes)})"
    got = C.via_helper(student, "grading_helpers.keeps_input", name, name, boxes, *extra)
    result = got.value.get("result") if isinstance(got.value, dict) else None
    if not isinstance(result, np.ndarray) or not np.allclose(result, CHECK.reference_of(name)(boxes, *extra), atol=1e-6):
        raise CheckFailure(f"{call} gives a wrong result (see the values check)")
    if not got.value.get("unchanged"):
        raise CheckFailure(f"{call} modified its input array: work on a copy (np.array(boxes, dtype=float))")


# -- values ----------------------------------------------------------------------------------------


@cases(C.conversion_cases("xyxy_to_xywh", "xyxy_to_xywh", 12), kind=C.conversion_kind,
       fresh=lambda rng: C.conversion_cases("xyxy_to_xywh", rng, 3))
def test_xyxy_to_xywh_values(student, case):
    """xyxy_to_xywh on one box, lists of boxes and (batch, N, 4) arrays of ints and floats, as float64."""
    _check_values(student, "xyxy_to_xywh", case)


@cases(C.conversion_cases("xywh_to_xyxy", "xywh_to_xyxy", 12), kind=C.conversion_kind,
       fresh=lambda rng: C.conversion_cases("xywh_to_xyxy", rng, 3))
def test_xywh_to_xyxy_values(student, case):
    """xywh_to_xyxy on one box, lists of boxes and (batch, N, 4) arrays of ints and floats, as float64."""
    _check_values(student, "xywh_to_xyxy", case)


@cases(C.conversion_cases("xyxy_to_cxcywh", "xyxy_to_cxcywh", 12), kind=C.conversion_kind,
       fresh=lambda rng: C.conversion_cases("xyxy_to_cxcywh", rng, 3))
def test_xyxy_to_cxcywh_values(student, case):
    """xyxy_to_cxcywh on one box, lists of boxes and (batch, N, 4) arrays of ints and floats, normalised by
    non-square image sizes, as float64."""
    _check_values(student, "xyxy_to_cxcywh", case)


@cases(C.conversion_cases("cxcywh_to_xyxy", "cxcywh_to_xyxy", 12), kind=C.conversion_kind,
       fresh=lambda rng: C.conversion_cases("cxcywh_to_xyxy", rng, 3))
def test_cxcywh_to_xyxy_values(student, case):
    """cxcywh_to_xyxy on one box, lists of boxes and (batch, N, 4) arrays of ints and floats, normalised by
    non-square image sizes, as float64."""
    _check_values(student, "cxcywh_to_xyxy", case)


# -- the input is left unchanged -------------------------------------------------------------------


@pytest.mark.weight(0.5)
@cases(C.unchanged_cases("xyxy_to_xywh", "xyxy_to_xywh_unchanged"), kind=C.conversion_kind,
       fresh=lambda rng: C.unchanged_cases("xyxy_to_xywh", rng))
def test_xyxy_to_xywh_input_unchanged(student, case):
    """xyxy_to_xywh returns a new array and leaves its input unchanged."""
    _check_unchanged(student, "xyxy_to_xywh", case)


@pytest.mark.weight(0.5)
@cases(C.unchanged_cases("xywh_to_xyxy", "xywh_to_xyxy_unchanged"), kind=C.conversion_kind,
       fresh=lambda rng: C.unchanged_cases("xywh_to_xyxy", rng))
def test_xywh_to_xyxy_input_unchanged(student, case):
    """xywh_to_xyxy returns a new array and leaves its input unchanged."""
    _check_unchanged(student, "xywh_to_xyxy", case)


@pytest.mark.weight(0.5)
@cases(C.unchanged_cases("xyxy_to_cxcywh", "xyxy_to_cxcywh_unchanged"), kind=C.conversion_kind,
       fresh=lambda rng: C.unchanged_cases("xyxy_to_cxcywh", rng))
def test_xyxy_to_cxcywh_input_unchanged(student, case):
    """xyxy_to_cxcywh returns a new array and leaves its input unchanged."""
    _check_unchanged(student, "xyxy_to_cxcywh", case)


@pytest.mark.weight(0.5)
@cases(C.unchanged_cases("cxcywh_to_xyxy", "cxcywh_to_xyxy_unchanged"), kind=C.conversion_kind,
       fresh=lambda rng: C.unchanged_cases("cxcywh_to_xyxy", rng))
def test_cxcywh_to_xyxy_input_unchanged(student, case):
    """cxcywh_to_xyxy returns a new array and leaves its input unchanged."""
    _check_unchanged(student, "cxcywh_to_xyxy", case)
