"""Hidden graders of gradient_magnitude and edge_map (03_conv2d): one `test_<check id>` per check,
cases in `cases.py`."""

from __future__ import annotations

import numpy as np

from convlab.checking.calls import describe_call
from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure
from convlab.checking.pictures import with_picture
from graders.a03_conv2d import cases as C
from graders.a03_conv2d.cases import CHECK

MAGNITUDE_CASES = C.magnitude_cases()
PHOTO_CASES = C.PHOTO_CASES
EDGE_CASES = C.edge_cases()


def _expect_magnitude(student, image: np.ndarray, describe: str | None = None) -> None:
    CHECK.expect_call(student, "gradient_magnitude", image, describe=describe, rtol=1e-5, atol=1e-5,
                      picture=with_picture, require_float=True)


@cases(MAGNITUDE_CASES, fresh=C.magnitude_cases, kind=C.magnitude_kind, argname="image")
def test_gradient_magnitude_values(student, image):
    """gradient_magnitude on a step edge, a ramp, uint8, integer and float images (Sobel, 'same', zero fill)."""
    _expect_magnitude(student, image)


@cases(PHOTO_CASES, fresh=C.photo_cases, kind=lambda photo: "photo crop", argname="photo")
def test_gradient_magnitude_photos(student, photo):
    """gradient_magnitude on uint8 crops of scikit-image's sample photos."""
    name, *box = photo
    image = C.crop(name, *box)
    _expect_magnitude(student, image, f"gradient_magnitude(image: a {image.shape[0]}x{image.shape[1]} uint8 crop "
                                      f"of skimage.data.{name}())")


@cases(EDGE_CASES, fresh=C.edge_cases, kind=C.edge_kind)
def test_edge_map_values(student, case):
    """edge_map is a boolean array, True where the Sobel magnitude is strictly above the threshold."""
    image, threshold = case
    got = student.call("edge_map", image, threshold)
    if got.type_name != "numpy.ndarray" or np.asarray(got.value).dtype != bool:
        call = describe_call("edge_map", CHECK.reference_of("edge_map"), (image, threshold), {})
        raise CheckFailure(f"{call} returned {got.type_name} of {np.asarray(got.value).dtype}; return a boolean "
                           "array (magnitude > threshold)")
    CHECK.expect_returned(got, "edge_map", image, threshold, picture=with_picture)
