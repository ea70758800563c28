"""Hidden graders of 01_image_tasks, preprocess_for_model: centre crop, resize, scale to [-1, 1].

Bilinear resizes of different libraries differ a little, so resized results are compared on
average; without resizing (the short side equals size) the crop is compared exactly.
"""

from __future__ import annotations

import numpy as np

from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure, matching_mistakes
from graders.a01_image_tasks import cases as C
from graders.a01_image_tasks.cases import CHECK


def _check_preprocessed(student, call: str, args: tuple, tolerance: float) -> None:
    got = student.call("preprocess_for_model", *args)
    expected = C.ref.preprocess_for_model(*args)
    value = got.value
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "fiu":
        raise CheckFailure(f"{call} returned a {got.type_name}; return a float32 numpy array")
    if value.shape != expected.shape:
        hint = " Add the batch axis: x[None] or x[np.newaxis]." if value.shape == expected.shape[1:] else ""
        raise CheckFailure(f"{call}: shape {value.shape}, expected {expected.shape}.{hint}",
                           mistake_id="preprocess_no_batch_axis" if hint else "")
    error = float(np.abs(value.astype(float) - expected).mean())
    if error <= tolerance:
        return
    raise CheckFailure.naming(
        f"{call}: mean absolute difference {error:.3g} from the expected input (tolerance {tolerance:g}); values "
        f"range {value.min():.3g}..{value.max():.3g}.",
        matching_mistakes(CHECK.mistakes_of("preprocess_for_model"), args, None, value,
                          lambda g, w: np.shape(w) == g.shape and float(np.abs(g - w).mean()) <= tolerance))


@cases(C.preprocess_cases("preprocess_for_model"), fresh=lambda rng: C.preprocess_cases(rng, 2),
       kind=C.preprocess_kind)
def test_preprocess_for_model_values(student, case):
    """preprocess_for_model on photos of many non-square sizes, down- and upscaled, compared on average."""
    image, size = case
    call = f"preprocess_for_model(uint8 image {C.shape_text(image)}{'' if size is None else f', size={size}'})"
    _check_preprocessed(student, call, (image,) if size is None else (image, size), C.MEAN_TOLERANCE)


@cases(C.crop_cases("preprocess_for_model_crop"), fresh=lambda rng: C.crop_cases(rng, 2), kind=C.crop_kind)
def test_preprocess_for_model_crop(student, case):
    """preprocess_for_model crops the centre square with the offset rounded down (checked exactly, no resizing)."""
    image, size = case
    call = f"preprocess_for_model(uint8 noise image {C.shape_text(image)}, size={size})"
    _check_preprocessed(student, call, (image, size), 1e-4)


@cases(C.format_cases("preprocess_for_model_format"), fresh=C.format_cases, kind=C.format_kind)
def test_preprocess_for_model_format(student, case):
    """preprocess_for_model returns float32 (1, size, size, 3) in [-1, 1]; black maps to -1 and white to 1."""
    image, size = case
    call = f"preprocess_for_model(uint8 image {C.shape_text(image)}, half black half white, size={size})"
    got = student.call("preprocess_for_model", image, size)
    value = got.value
    if not isinstance(value, np.ndarray) or value.shape != (1, size, size, 3):
        raise CheckFailure(f"{call} returned {got.type_name} of shape {C.shape_text(value)}; expected (1, {size}, {size}, 3)")
    if value.dtype != np.float32:
        raise CheckFailure(f"{call} returned dtype {value.dtype}; return float32 (.astype(np.float32))")
    if value.min() < -1 - 1e-6 or value.max() > 1 + 1e-6 or value.min() > -0.99 or value.max() < 0.99:
        scaled01 = value.min() >= -1e-6
        hint = " Likely mistake: x / 255 gives [0, 1], the model expects x / 127.5 - 1." if scaled01 else ""
        raise CheckFailure(f"{call}: values range {value.min():.3g}..{value.max():.3g}, expected -1 (black) to "
                           f"1 (white).{hint}", mistake_id="preprocess_scaled_to_0_1" if scaled01 else "")
