"""The hidden cases of 03_conv2d, the reference they are checked against, and the kinds of case.

Cases are drawn from a seeded generator over sizes (non-square, even kernels, kernels larger than
the image), dtypes (lists, ints, uint8, float32), modes, strides and paddings, plus analytic images
(step edge, ramp, impulse) and crops of scikit-image's bundled photos; never the notebook's
examples. Within a fixed list the most telling cases come first, because a check's feedback quotes
its first failing case. Every builder takes a case-list name (the fixed cases, the same for every
student) or a submission's generator (its fresh cases, every attribute drawn at random).
"""

from __future__ import annotations

import functools

import numpy as np

from convlab.checking.calls import Checker
from graders.a03_conv2d.mistakes import MISTAKES
from graders.callables import FunctionSpec
from solutions import conv2d as ref

CHECK = Checker(reference=ref, mistakes=MISTAKES, seed=20260311)
MODES = ("full", "same", "valid")
PHOTOS = ("camera", "coins", "moon", "text")  # every one at least 172 pixels high
Source = str | np.random.Generator


def _fresh(source: Source) -> bool:
    return not isinstance(source, str)


def _pick(rng: np.random.Generator, options: tuple | list) -> object:
    return options[int(rng.integers(len(options)))]


def values(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Magnitudes in [0.1, 2) with random signs, rounded: no value is an uninformative zero."""
    return (rng.uniform(0.1, 2, shape) * rng.choice([-1, 1], shape)).round(3)


@functools.cache
def _photo(name: str) -> np.ndarray:
    from skimage import data

    return getattr(data, name)()


def crop(name: str, top: int, left: int, h: int, w: int) -> np.ndarray:
    return _photo(name)[top : top + h, left : left + w].copy()


def random_crop(rng: np.random.Generator, low: int, high: int) -> tuple[str, int, int, int, int]:
    """(photo, top, left, h, w) of a random crop of one of the sample photos."""
    return (str(_pick(rng, PHOTOS)), int(rng.integers(0, 90)), int(rng.integers(0, 200)),
            int(rng.integers(low, high)), int(rng.integers(low, high)))


# -- conv2d and correlate2d ------------------------------------------------------------------------

FIXED_PAIRS = [
    ((5, 7), (2, 4), "same"),   # even kernel: the 'same' window differs between conv and corr
    ((3, 4), (5, 6), "valid"),  # kernel larger along both axes: roles swap
    ((4, 6), (3, 3), "full"),
    ((6, 5), (4, 2), "same"),
    ((2, 3), (4, 5), "full"),   # kernel larger than the image
    ((3, 2), (5, 4), "same"),
    ((7, 4), (3, 2), "valid"),
    ((1, 1), (1, 1), "full"),
]


def valid_ok(shape: tuple[int, ...], kshape: tuple[int, ...]) -> bool:
    """'valid' is defined: one input at least as large as the other along both axes."""
    fits = shape[0] >= kshape[0] and shape[1] >= kshape[1]
    return fits or (kshape[0] >= shape[0] and kshape[1] >= shape[1])


def _random_shapes(rng: np.random.Generator) -> tuple[tuple[int, int], tuple[int, int], str]:
    """A fresh pair's shapes: any mode, the kernel inside the image, covering it, or (not in 'valid',
    where that is an error) longer along one axis only."""
    mode = str(_pick(rng, MODES))
    relation = str(_pick(rng, ("fits", "covers") if mode == "valid" else ("fits", "covers", "one axis")))
    if relation == "fits":
        h, w = int(rng.integers(1, 13)), int(rng.integers(1, 13))
        return (h, w), (int(rng.integers(1, min(h, 6) + 1)), int(rng.integers(1, min(w, 6) + 1))), mode
    if relation == "covers":
        h, w = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        kh, kw = int(rng.integers(h, 7)), int(rng.integers(w, 7))
        return (h, w), (kh + ((kh, kw) == (h, w)), kw), mode
    return (*_one_axis_longer(rng), mode)


def _one_axis_longer(rng: np.random.Generator) -> tuple[tuple[int, int], tuple[int, int]]:
    """(image shape, kernel shape): the kernel longer along one axis, shorter along the other."""
    h, w = int(rng.integers(2, 9)), int(rng.integers(1, 6))
    shape, kshape = (h, w), (int(rng.integers(1, h)), int(rng.integers(w + 1, w + 4)))
    return (shape, kshape) if rng.random() < 0.5 else (shape[::-1], kshape[::-1])


def pairs(source: Source, count: int) -> list[tuple[np.ndarray, np.ndarray, str]]:
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        if _fresh(source):
            shape, kshape, mode = _random_shapes(rng)
        elif i < len(FIXED_PAIRS):
            shape, kshape, mode = FIXED_PAIRS[i]
        else:
            shape = (int(rng.integers(1, 13)), int(rng.integers(1, 13)))
            kshape = (int(rng.integers(1, 7)), int(rng.integers(1, 7)))
            mode = MODES[i % 3]
            if mode == "valid" and not valid_ok(shape, kshape):
                mode = "full"
        cases.append((values(rng, shape), values(rng, kshape), mode))
    return cases


TYPED_KINDS = ["uint8", "uint8_float_kernel", "list_int", "int64", "uint8_photo", "float32", "int32_even",
               "one_pixel"]


# 'valid' with a kernel larger than the image along one axis only: scipy raises ValueError.
MIXED_VALID = (np.arange(12.0).reshape(3, 4) - 5, np.array([[1.0, -2.0, 0.5, 2.0, -1.0]]), "valid")


def mixed_valid(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, str]:
    """A fresh impossible 'valid': the kernel longer than the image along one axis, shorter along the other."""
    shape, kshape = _one_axis_longer(rng)
    return values(rng, shape), values(rng, kshape), "valid"


def typed(source: Source) -> list[tuple[object, object, str]]:
    """uint8 images with uint8 kernels first (they overflow), then lists, ints, float32, 1x1; fresh
    cases hold the same kinds in random order, modes and sizes, and an impossible 'valid'."""
    rng = CHECK.rng(source)
    kinds = TYPED_KINDS
    if _fresh(source):
        kinds = [str(k) for k in rng.permutation([*TYPED_KINDS, "mixed_valid"])]
    cases: list[tuple[object, object, str]] = []
    for i, kind in enumerate(kinds):
        h, w = int(rng.integers(3, 10)), int(rng.integers(3, 10))
        mode = str(_pick(rng, MODES)) if _fresh(source) else MODES[i % 3]
        if kind == "uint8":
            x = rng.integers(120, 256, (h, w)).astype(np.uint8)
            k = rng.integers(1, 4, (3, 2)).astype(np.uint8)
        elif kind == "uint8_float_kernel":
            x = rng.integers(0, 256, (h, w)).astype(np.uint8)
            k = rng.normal(size=(2, 3)).round(2)
        elif kind == "list_int":
            x = rng.integers(-5, 6, (h, w)).tolist()
            k = rng.integers(-3, 4, (2, 2)).tolist()
        elif kind == "int64":
            x = rng.integers(-9, 10, (h, w))
            k = rng.integers(-3, 4, (3, 3))
        elif kind == "uint8_photo":
            x = crop(*random_crop(rng, 16, 40)) if _fresh(source) else crop("coins", 40, 60, 24, 30)
            k = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.uint8)
        elif kind == "float32":
            x = rng.normal(size=(h, w)).astype(np.float32)
            k = rng.normal(size=(3, 4)).astype(np.float32)
        elif kind == "int32_even":
            x = rng.integers(-20, 20, (h, w)).astype(np.int32)
            k = rng.integers(-3, 4, (4, 2)).astype(np.int32)
        elif kind == "one_pixel":
            x = values(rng, (1, 1)) if _fresh(source) else np.array([[2.5]])
            k = values(rng, (2, 3))
        else:
            cases.append(mixed_valid(rng))
            continue
        cases.append((x, k, mode if valid_ok(np.shape(x), np.shape(k)) else "full"))
    return cases


def analytic(source: Source, count: int = 8) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """Impulse, vertical step edge, ramp, and realistic photo crops (uint8); fresh cases draw the
    image's kind, its size, position and strength, the kernel and the mode at random."""
    rng = CHECK.rng(source)
    if _fresh(source):
        return [_random_analytic(rng) for _ in range(count)]
    impulse = np.zeros((9, 11))
    impulse[4, 6] = 1.0
    step = np.zeros((10, 12), dtype=np.uint8)
    step[:, 7:] = 200
    ramp = np.tile(np.arange(13, dtype=float) * 3.0, (8, 1)) + 1.0
    return [
        (impulse, values(rng, (3, 4)), "same"),   # the response to an impulse is the kernel itself
        (impulse, values(rng, (2, 3)), "full"),
        (step, np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]), "same"),
        (ramp, values(rng, (2, 2)), "valid"),
        (crop("camera", 100, 180, 64, 48), np.full((3, 3), 1 / 9), "same"),
        (crop("coins", 120, 200, 40, 56), ref.gaussian_kernel(4, 1.2), "same"),
        (crop("moon", 200, 200, 48, 48), np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]), "valid"),
        (crop("text", 50, 100, 32, 80), values(rng, (5, 2)), "full"),
    ][:count]


def _random_analytic(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, str]:
    kind, mode = str(_pick(rng, ("impulse", "step edge", "ramp", "photo"))), str(_pick(rng, MODES))
    h, w = int(rng.integers(8, 14)), int(rng.integers(8, 14))
    kernel = values(rng, (int(rng.integers(1, 6)), int(rng.integers(1, 6))))
    if kind == "impulse":
        image = np.zeros((h, w))
        image[int(rng.integers(h)), int(rng.integers(w))] = round(float(rng.uniform(0.5, 3)), 2)
    elif kind == "step edge":
        image = np.zeros((h, w), dtype=np.uint8)
        image[:, int(rng.integers(2, w - 1)):] = int(rng.integers(50, 256))
        image = image if rng.random() < 0.5 else image.T.copy()
    elif kind == "ramp":
        image = np.tile(np.arange(w, dtype=float) * float(rng.integers(1, 6)), (h, 1)) + float(rng.integers(0, 9))
    else:
        image = crop(*random_crop(rng, 24, 64))
        kernel = [np.full((3, 3), 1 / 9), ref.gaussian_kernel(int(rng.integers(2, 6)), 1.2),
                  np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]), kernel][int(rng.integers(4))]
    return image, kernel, mode


# -- conv2d_layer -----------------------------------------------------------------------------------


def layer_case(rng: np.random.Generator, *, n: int, h: int, w: int, c_in: int, c_out: int, kh: int, kw: int,
               strides: object = 1, padding: str = "valid", bias: bool = False, activation: object = None,
               dtype: type = np.float64) -> dict:
    return dict(
        images=rng.normal(size=(n, h, w, c_in)).astype(dtype),
        kernel=rng.normal(size=(kh, kw, c_in, c_out)).astype(dtype),
        bias=rng.normal(size=c_out).astype(dtype) if bias else None,
        strides=strides, padding=padding, activation=activation,
    )


def random_layer(rng: np.random.Generator, **fixed: object) -> dict:
    size = dict(n=int(rng.integers(1, 4)), h=int(rng.integers(4, 11)), w=int(rng.integers(4, 11)),
                c_in=int(rng.integers(1, 4)), c_out=int(rng.integers(1, 5)),
                kh=int(rng.integers(1, 5)), kw=int(rng.integers(1, 5)))
    size.update(fixed)
    return layer_case(rng, **size)


def fresh_layer(rng: np.random.Generator, **fixed: object) -> dict:
    """A random layer whose shape may let a wrong layout run (a kernel with kh == kw == C_in == C_out,
    or images with H == W == C_in), in float64 or float32."""
    shape: dict[str, object] = {}
    ambiguous = int(rng.integers(3))
    if ambiguous == 1:
        side = int(rng.integers(1, 4))
        shape = dict(kh=side, kw=side, c_in=side, c_out=side)
    elif ambiguous == 2:
        side = int(rng.integers(4, 6))
        shape = dict(h=side, w=side, c_in=side)
    dtype = np.float32 if rng.random() < 1 / 3 else np.float64
    return random_layer(rng, **{"dtype": dtype, **shape, **fixed})


def random_strides(rng: np.random.Generator) -> object:
    return int(rng.integers(2, 4)) if rng.random() < 0.5 else (int(rng.integers(1, 4)), int(rng.integers(2, 4)))


ACTIVATIONS: tuple[object, ...] = ("sigmoid", "relu", "tanh", None, "linear")


def layer_valid(source: Source = "conv2d_layer_valid", count: int = 8) -> list[dict]:
    rng = CHECK.rng(source)
    if _fresh(source):
        return [fresh_layer(rng) for _ in range(count)]
    # First a shape where reading the kernel as (C_out, C_in, kh, kw) still runs.
    cases = [layer_case(rng, n=2, h=6, w=5, c_in=3, c_out=3, kh=3, kw=3)]
    cases += [random_layer(rng, dtype=np.float32 if i % 3 == 2 else np.float64) for i in range(count - 1)]
    return cases


def layer_padding(source: Source = "conv2d_layer_padding", count: int = 8) -> list[dict]:
    rng = CHECK.rng(source)
    if _fresh(source):
        return [fresh_layer(rng, padding="same") for _ in range(count)]
    # First a shape where reading the batch as (N, C, H, W) still runs (H == W == C_in), even kernels.
    cases = [layer_case(rng, n=2, h=4, w=4, c_in=4, c_out=2, kh=2, kw=3, padding="same"),
             layer_case(rng, n=1, h=6, w=7, c_in=2, c_out=3, kh=2, kw=4, padding="same"),
             layer_case(rng, n=2, h=5, w=8, c_in=1, c_out=2, kh=3, kw=2, padding="same")]
    cases += [random_layer(rng, padding="same") for _ in range(count - 3)]
    return cases


def layer_strides(source: Source = "conv2d_layer_strides", count: int = 10) -> list[dict]:
    rng = CHECK.rng(source)
    if _fresh(source):
        return [fresh_layer(rng, strides=random_strides(rng), padding=str(_pick(rng, ("valid", "same"))))
                for _ in range(count)]
    cases = [layer_case(rng, n=2, h=9, w=11, c_in=2, c_out=2, kh=3, kw=2, strides=(2, 3)),
             layer_case(rng, n=1, h=6, w=8, c_in=2, c_out=3, kh=3, kw=3, strides=2, padding="same"),
             layer_case(rng, n=2, h=7, w=10, c_in=1, c_out=2, kh=2, kw=4, strides=(3, 2), padding="same")]
    for i in range(count - 3):
        strides = int(rng.integers(2, 4)) if i % 2 else (int(rng.integers(1, 4)), int(rng.integers(2, 4)))
        cases.append(random_layer(rng, strides=strides, padding=("valid", "same")[i % 2]))
    return cases


def layer_bias_activation(source: Source = "conv2d_layer_bias_activation", count: int = 8) -> list[dict]:
    rng = CHECK.rng(source)
    if _fresh(source):
        return [fresh_layer(rng, bias=rng.random() < 0.75, padding=str(_pick(rng, ("valid", "same"))),
                            strides=int(rng.integers(1, 3)),
                            activation=_pick(rng, [*ACTIVATIONS, FunctionSpec("gaussian", {
                                "mu": round(float(rng.uniform(-1, 1)), 2),
                                "sigma": round(float(rng.uniform(0.5, 2)), 2)})]))
                for _ in range(count)]
    acts: list[object] = ["sigmoid", "relu", "tanh", None, "linear",
                          FunctionSpec("gaussian", {"mu": 0.5, "sigma": 1.5}), "relu", "sigmoid"]
    return [random_layer(rng, bias=i != 6, activation=act, padding=("valid", "same")[i % 2], strides=1 if i % 3 else 2)
            for i, act in enumerate(acts[:count])]


# -- im2col ----------------------------------------------------------------------------------------


def im2col_cases(source: Source = "im2col_patches", count: int = 6) -> list[dict]:
    rng = CHECK.rng(source)
    cases = []
    if not _fresh(source):
        cases = [dict(images=values(rng, (2, 6, 7, 3)), kh=2, kw=3, strides=1),
                 dict(images=values(rng, (1, 9, 8, 2)), kh=3, kw=2, strides=(2, 3))]
    for i in range(count):
        n, h, w, c = (int(rng.integers(1, 4)), int(rng.integers(3, 10)), int(rng.integers(3, 10)),
                      int(rng.integers(1, 4)))
        kh, kw = int(rng.integers(1, h + 1)), int(rng.integers(1, min(w, 4) + 1))
        position = int(rng.integers(3)) if _fresh(source) else i % 3
        strides = 1 if position == 0 else (int(rng.integers(1, 4)) if position == 1 else
                                           (int(rng.integers(1, 3)), int(rng.integers(2, 4))))
        cases.append(dict(images=values(rng, (n, h, w, c)), kh=kh, kw=kw, strides=strides))
    return cases


IM2COL_STRIDES: tuple[object, ...] = (1, 2, (2, 1), 3, (1, 3))


def im2col_layer_cases(source: Source = "conv2d_im2col_values", count: int = 5) -> list[dict]:
    rng = CHECK.rng(source)
    cases = []
    if not _fresh(source):
        cases = [dict(images=values(rng, (2, 7, 6, 3)), kernel=values(rng, (3, 2, 3, 2)),
                      bias=values(rng, (2,)), strides=1)]
    for i in range(count):
        n, h, w, c_in, c_out = (int(rng.integers(1, 4)), int(rng.integers(4, 10)), int(rng.integers(4, 10)),
                                int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        position = int(rng.integers(len(IM2COL_STRIDES))) if _fresh(source) else i
        with_bias = rng.random() < 0.5 if _fresh(source) else i % 2
        cases.append(dict(images=values(rng, (n, h, w, c_in)), kernel=values(rng, (kh, kw, c_in, c_out)),
                          bias=values(rng, (c_out,)) if with_bias else None, strides=IM2COL_STRIDES[position]))
    return cases


# Probe for the vectorisation check: many output pixels, little arithmetic per pixel, so a Python
# loop over pixels costs far more than the work itself (see vectorised.py for the numbers).
PROBE_BIG, PROBE_SMALL = (1, 200, 200, 1), (1, 10, 10, 1)
PROBE_KERNEL = (2, 2, 1, 1)


def probes(source: Source) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """One (big images, small images, kernel) probe: its values are drawn, its shapes are the bound's."""
    rng = CHECK.rng(source)
    return [(values(rng, PROBE_BIG), values(rng, PROBE_SMALL), values(rng, PROBE_KERNEL))]


# -- filters ---------------------------------------------------------------------------------------

BOX_SIZES = [3, 2, 5, 4, 1, 7]
GAUSS_CASES = [(4, 1.3), (5, 0.8), (3, 2.0), (6, 1.5), (7, 0.6), (1, 1.1), (2, 0.7), (9, 3.0)]
SHARPEN_CASES: list[dict] = [dict(alpha=0.5), {}, dict(alpha=2.5), dict(alpha=0.0)]


def box_sizes(rng: np.random.Generator) -> list[int]:
    return [int(rng.integers(1, 10))]


def gauss_cases(rng: np.random.Generator) -> list[tuple[int, float]]:
    return [(int(rng.integers(1, 10)), round(float(rng.uniform(0.5, 3.0)), 2))]


def sharpen_cases(rng: np.random.Generator) -> list[dict]:
    """The default alpha, alpha 0 (the identity) or a random alpha."""
    return [_pick(rng, ({}, dict(alpha=0.0), dict(alpha=round(float(rng.uniform(0.1, 3.0)), 2))))]


# -- gradient magnitude and edges --------------------------------------------------------------------


def magnitude_cases(source: Source = "gradient_magnitude_values", count: int = 2) -> list[np.ndarray]:
    """A step edge, a ramp, uint8, int, float and float32 images; fresh ones of any content and dtype."""
    rng = CHECK.rng(source)
    if _fresh(source):
        return [_random_magnitude_image(rng) for _ in range(count)]
    step = np.zeros((9, 12))
    step[:, 5:] = 3.0
    ramp = np.tile(np.arange(10) * 2, (7, 1))
    return [step, ramp, rng.integers(0, 256, (11, 13)).astype(np.uint8),
            rng.integers(-5, 6, (6, 9)), values(rng, (8, 5)), rng.normal(size=(12, 12)).astype(np.float32)]


def _random_magnitude_image(rng: np.random.Generator) -> np.ndarray:
    h, w = int(rng.integers(5, 14)), int(rng.integers(5, 14))
    dtype = str(_pick(rng, ("float64", "int64", "uint8", "float32")))
    content = str(_pick(rng, ("step edge", "ramp", "random")))
    if content == "step edge":
        image = np.zeros((h, w))
        image[:, int(rng.integers(2, w - 1)):] = int(rng.integers(1, 60))
    elif content == "ramp":
        image = np.tile(np.arange(w) * int(rng.integers(1, 9)), (h, 1))
    elif dtype == "uint8":
        image = rng.integers(0, 256, (h, w))
    elif dtype.startswith("int"):
        image = rng.integers(-5, 6, (h, w))
    else:
        image = values(rng, (h, w))
    return image.astype(dtype)


PHOTO_CASES = [("camera", 60, 200, 96, 96), ("coins", 50, 50, 64, 80), ("moon", 150, 150, 72, 64),
               ("text", 40, 120, 48, 96)]


def photo_cases(rng: np.random.Generator) -> list[tuple[str, int, int, int, int]]:
    return [random_crop(rng, 32, 80)]


def untied_threshold(magnitude: np.ndarray, quantile: float) -> float:
    """A threshold halfway between two magnitudes far enough apart that rounding cannot flip a pixel
    (the gap nearest the quantile of at least a thousandth of the largest magnitude)."""
    values_ = np.unique(magnitude)
    i = min(int(quantile * (len(values_) - 1)), len(values_) - 2)
    wide = np.flatnonzero(np.diff(values_) > 1e-3 * max(float(values_[-1]), 1.0))
    i = int(wide[np.argmin(np.abs(wide - i))])
    return float((values_[i] + values_[i + 1]) / 2)


def edge_cases(source: Source = "edge_map_values", count: int = 1) -> list[tuple[np.ndarray, float]]:
    """A step whose magnitude equals the threshold (the strict >), then thresholds between magnitudes."""
    rng = CHECK.rng(source)
    if _fresh(source):
        return [_random_edge_case(rng) for _ in range(count)]
    step = np.zeros((8, 10), dtype=np.uint8)
    step[:, 4:] = 10  # inside, the magnitude is exactly 40: a threshold of 40 tests the strict >
    cases = [(step, 40.0)]
    for image, q in [(values(rng, (9, 11)), 0.6), (rng.integers(0, 256, (10, 7)).astype(np.uint8), 0.5),
                     (crop("coins", 100, 100, 48, 48), 0.8), (crop("camera", 250, 250, 40, 56), 0.7)]:
        cases.append((image, untied_threshold(ref.gradient_magnitude(image), q)))
    return cases


def _random_edge_case(rng: np.random.Generator) -> tuple[np.ndarray, float]:
    h, w = int(rng.integers(6, 14)), int(rng.integers(6, 14))
    dtype = str(_pick(rng, ("uint8", "float64")))
    if rng.random() < 1 / 3:
        # A vertical step of height v: inside, the Sobel magnitude is exactly 4 v, the threshold.
        height = int(rng.integers(1, 60))
        image = np.zeros((h, w), dtype=dtype)
        image[:, int(rng.integers(2, w - 1)):] = height
        return image, 4.0 * height
    image = rng.integers(0, 256, (h, w)).astype(np.uint8) if dtype == "uint8" else values(rng, (h, w))
    return image, untied_threshold(ref.gradient_magnitude(image), float(rng.uniform(0.4, 0.8)))


# -- filter_bank_tf --------------------------------------------------------------------------------


def bank_cases(source: Source = "filter_bank_tf_values", count: int = 1) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = CHECK.rng(source)
    if _fresh(source):
        cases = []
        for _ in range(count):
            h, w = int(rng.integers(6, 16)), int(rng.integers(6, 16))
            image = rng.integers(0, 256, (h, w)).astype(np.uint8) if rng.random() < 0.5 else values(rng, (h, w))
            kernels = values(rng, (int(rng.integers(1, 6)), int(rng.integers(1, 5)), int(rng.integers(1, 5))))
            cases.append((image, kernels))
        return cases
    gx, gy = ref.sobel_kernels()
    return [
        (values(rng, (12, 15)), values(rng, (3, 3, 5))),
        (crop("camera", 180, 220, 64, 64), np.stack([gx, gy, ref.laplacian_kernel()])),
        (values(rng, (9, 10)), values(rng, (2, 4, 4))),  # even kernels: TF puts the extra zero at the end
        (rng.integers(0, 256, (20, 17)).astype(np.uint8), values(rng, (4, 2, 3))),
        (values(rng, (7, 7)), values(rng, (1, 1, 1))),
    ]


# -- kinds: the ways cases differ, each drawn again among every submission's fresh cases ---------------


def _input(value: object) -> str:
    return "list" if isinstance(value, list) else str(np.asarray(value).dtype)


def _parity(*sides: int) -> str:
    return "even kernel side" if any(s % 2 == 0 for s in sides) else "odd kernel"


def pair_kind(case: tuple) -> tuple[str, ...]:
    x, k, mode = case
    (h, w), (kh, kw) = np.shape(x), np.shape(k)
    if kh <= h and kw <= w:
        relation = "kernel inside the image"
    elif kh >= h and kw >= w:
        relation = "kernel covering the image"
    else:
        relation = "kernel longer along one axis"
    # The pairing of types matters, not each alone: uint8 times uint8 overflows, uint8 times float does not.
    return (f"image {_input(x)}", f"kernel {_input(k)}", f"image {_input(x)} with kernel {_input(k)}",
            f"{mode}, {relation}", f"{mode}, {_parity(kh, kw)}")


def mode_kind(case: tuple) -> str:
    return f"mode {case[2]}"


def image_content(image: np.ndarray) -> str:
    """impulse, step edge, ramp or photo, from the values."""
    x = np.asarray(image, dtype=float)
    distinct = np.unique(x)
    rows_equal, cols_equal = bool((x == x[:1]).all()), bool((x == x[:, :1]).all())
    if np.count_nonzero(x) == 1:
        return "impulse"
    if len(distinct) == 2 and (rows_equal or cols_equal):
        return "step edge"
    steps = np.diff(x[0])
    if len(distinct) > 2 and rows_equal and np.all(steps == steps[0]) and steps[0] != 0:
        return "ramp"
    return "photo" if x.size > 400 else "random"


def analytic_kind(case: tuple) -> tuple[str, str]:
    content = image_content(case[0])
    return content, f"{content}, mode {case[2]}"


def _strides_label(strides: object) -> str:
    if strides in (1, (1, 1)):
        return "stride 1"
    return "(sh, sw) strides" if isinstance(strides, tuple) else "int stride"


def layer_kind(case: dict) -> tuple[str, ...]:
    n, h, w, c_in = case["images"].shape
    kh, kw, _, c_out = case["kernel"].shape
    act = "a function" if isinstance(case["activation"], FunctionSpec) else repr(case["activation"])
    runs_wrong = h == w == c_in or kh == kw == c_in == c_out
    return (f"padding {case['padding']}", str(case["images"].dtype), _strides_label(case["strides"]),
            "bias" if case["bias"] is not None else "no bias",
            f"activation {act}",
            "a wrong layout still runs" if runs_wrong else "a wrong layout fails", _parity(kh, kw),
            *_same_padding_parity(case))


def _same_padding_parity(case: dict) -> tuple[str, ...]:
    """For 'same': whether each axis's total padding is odd (TensorFlow puts the extra zero at the
    bottom or right), with the kind of strides that decided it."""
    if case["padding"] != "same":
        return ()
    _, h, w, _ = case["images"].shape
    kh, kw = case["kernel"].shape[:2]
    strides = case["strides"]
    sh, sw = strides if isinstance(strides, tuple) else (strides, strides)
    totals = [max((-(-size // s) - 1) * s + k - size, 0) for size, k, s in ((h, kh, sh), (w, kw, sw))]
    odd = "odd" if any(t % 2 for t in totals) else "even"
    return (f"same, {odd} total padding", f"same, {odd} total padding, {_strides_label(strides)}")


def im2col_kind(case: dict) -> tuple[str, str]:
    return _strides_label(case["strides"]), "1 channel" if case["images"].shape[-1] == 1 else "several channels"


def im2col_layer_kind(case: dict) -> tuple[str, str]:
    return _strides_label(case["strides"]), "bias" if case["bias"] is not None else "no bias"


def box_kind(k: int) -> str:
    return "k = 1" if k == 1 else "even k" if k % 2 == 0 else "odd k"


def gauss_kind(case: tuple) -> str:
    size = case[0]
    return "size 1" if size == 1 else "even size" if size % 2 == 0 else "odd size"


def sharpen_kind(kwargs: dict) -> str:
    if "alpha" not in kwargs:
        return "default alpha"
    return "alpha 0" if kwargs["alpha"] == 0 else "alpha > 0"


def magnitude_kind(image: np.ndarray) -> tuple[str, str]:
    return str(image.dtype), image_content(image)


def edge_kind(case: tuple) -> tuple[str, str]:
    image, threshold = case
    tie = bool(np.any(ref.gradient_magnitude(image) == threshold))
    return "threshold equal to a magnitude" if tie else "threshold between magnitudes", f"image {image.dtype}"


def bank_kind(case: tuple) -> tuple[str, str, str]:
    image, kernels = case
    count = "one kernel" if len(kernels) == 1 else "several kernels"
    return f"image {image.dtype}", _parity(*kernels.shape[1:]), count
