"""Hidden graders of 01_image_tasks, mask_to_box: the tight box of a mask, with exclusive ends."""

from __future__ import annotations

from typing import Any

import numpy as np

from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure, matching_mistakes
from convlab.checking.pictures import with_boxes
from graders.a01_image_tasks import cases as C
from graders.a01_image_tasks.cases import CHECK


def _box_same(got: Any, wrong: Any) -> bool:
    if wrong is None or got is None:
        return got is None and wrong is None
    return np.asarray(got, float).shape == (4,) and np.allclose(np.asarray(got, float), wrong)


def _check_mask_box(student, mask: np.ndarray) -> None:
    """None for an empty mask, else four ints; a wrong box is drawn over the mask."""
    call = f"mask_to_box({mask.dtype} mask of shape {C.shape_text(mask)} with {int((mask != 0).sum())} foreground pixels)"
    got = student.call("mask_to_box", mask)
    expected = C.ref.mask_to_box(mask)
    if expected is None:
        if got.value is not None:
            raise CheckFailure(f"{call} returned a {got.type_name}; return None for a mask without foreground")
        return
    if got.value is None:
        raise CheckFailure(f"{call} returned None, but the mask has foreground pixels")
    try:
        values = np.asarray(got.value, dtype=float)
    except (TypeError, ValueError):
        values = np.zeros(0)
    if values.shape != (4,):
        raise CheckFailure(f"{call} returned a {got.type_name} of shape {C.shape_text(values)}; return [x1, y1, x2, y2]")
    if not np.array_equal(values, expected):
        failure = CheckFailure.naming(f"{call} returned {values.astype(int).tolist()}, which is not the tight box "
                                      f"with exclusive ends (mask[y1:y2, x1:x2] must hold every foreground pixel).",
                                      matching_mistakes(CHECK.mistakes_of("mask_to_box"), (mask,), None, values, _box_same))
        # Pixel i spans [i - 0.5, i + 0.5] in the picture: an exclusive end x2 is drawn at x2 - 0.5.
        raise with_boxes(failure, (mask != 0).astype(float), np.asarray(expected, float) - 0.5, values - 0.5,
                         title=call)


@cases(C.mask_cases("mask_to_box_values", 10), fresh=lambda rng: C.mask_cases(rng, 3), kind=C.mask_kind,
       argname="mask")
def test_mask_to_box_values(student, mask):
    """mask_to_box on non-square uint8, bool and multi-class masks with one or several blobs."""
    _check_mask_box(student, mask)


@cases(C.MASK_EDGES, fresh=C.edge_masks, kind=C.edge_kind, argname="mask")
def test_mask_to_box_edges(student, mask):
    """mask_to_box on an empty mask (None), single pixels in the corners, a full mask and a border column."""
    _check_mask_box(student, mask)
