"""Hidden graders of 01_image_tasks, class_pixel_fractions: the share of each class in a label mask."""

from __future__ import annotations

from convlab.checking.cases import cases
from graders.a01_image_tasks import cases as C
from graders.a01_image_tasks.cases import CHECK


@cases(C.fraction_cases("class_pixel_fractions_values", 8), fresh=lambda rng: C.fraction_cases(rng, 2),
       kind=C.fraction_kind)
def test_class_pixel_fractions_values(student, case):
    """class_pixel_fractions on non-square masks where one class never occurs (its fraction is 0)."""
    CHECK.expect_call(student, "class_pixel_fractions", *case)


@cases(C.FRACTIONS_INVALID, fresh=C.invalid_fraction_cases, kind=C.invalid_fraction_kind)
def test_class_pixel_fractions_invalid(student, case):
    """class_pixel_fractions raises ValueError for class ids equal to n_classes, negative or larger."""
    mask, n_classes = case
    CHECK.expect_call(student, "class_pixel_fractions", mask, n_classes,
                      describe=(f"class_pixel_fractions(mask with values {sorted(set(mask.ravel().tolist()))}, "
                                f"n_classes={n_classes})"))
