"""Hidden graders of 01_image_tasks, annotation_hours: what an annotation campaign costs in hours."""

from __future__ import annotations

from convlab.checking.cases import cases
from graders.a01_image_tasks import cases as C
from graders.a01_image_tasks.cases import CHECK


@cases(C.hours_cases("annotation_hours"), fresh=lambda rng: C.hours_cases(rng, 3), kind=C.hours_kind)
def test_annotation_hours_values(student, case):
    """annotation_hours for the three tasks with several annotators and overlaps of 1 to 3."""
    CHECK.expect_call(student, "annotation_hours", *case, rtol=1e-9, atol=1e-12)
