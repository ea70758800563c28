"""Hidden graders of 01_image_tasks, box_iou: pairwise intersection over union."""

from __future__ import annotations

from convlab.checking.cases import cases
from graders.a01_image_tasks import cases as C
from graders.a01_image_tasks.cases import CHECK


@cases(C.iou_cases("box_iou_values", 10), fresh=lambda rng: C.iou_cases(rng, 3), kind=C.iou_kind)
def test_box_iou_values(student, case):
    """box_iou on random overlapping int and float boxes: shape (N, M) and values."""
    CHECK.expect_call(student, "box_iou", *case)


@cases(C.IOU_DISJOINT, fresh=C.disjoint_cases, kind=C.disjoint_kind)
def test_box_iou_disjoint(student, case):
    """box_iou is 0 for boxes apart along x only, along y only, along both, or touching at an edge."""
    CHECK.expect_call(student, "box_iou", *case)


@cases(C.IOU_DEGENERATE, fresh=C.degenerate_cases, kind=C.degenerate_kind)
def test_box_iou_degenerate(student, case):
    """box_iou is 0 (never NaN) for zero-area boxes, even identical ones, and inverted boxes have area 0."""
    CHECK.expect_call(student, "box_iou", *case)
