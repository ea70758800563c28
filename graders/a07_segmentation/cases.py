"""Seeded hidden cases of 07_segmentation, and the U-Net each `build_unet` case must equal, as data.

Every generator takes a name (the fixed cases, seeded per check, so adding a case to one check never
changes another's) or a submission's own generator (the fresh cases of `convlab.checking.cases`, which a
table of values copied from the feedback cannot answer); what the fixed list varies by position, fresh
cases draw at random, and the kind functions at the end name each case's kinds. Sizes are odd and
even, inputs and kernels non-square, strides and rates 1-3 (kernels larger and smaller than the
stride), several channels in and out; label maps have classes absent from both maps, classes only
in the prediction and any number of axes. Nothing here is one of the notebook's examples.
`tests/test_reference_segmentation.py` runs these cases through Keras, so the reference's expected
values are Keras' own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from convlab.checking.calls import Checker, describe_value
from graders.a07_segmentation.mistakes import MISTAKES
from solutions import segmentation as ref

CHECK = Checker(reference=ref, mistakes=MISTAKES, seed=20260707)
Source = str | np.random.Generator


def values(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Magnitudes in [0.1, 2) with random signs, rounded: no value is an uninformative zero."""
    return (rng.uniform(0.1, 2, shape) * rng.choice([-1, 1], shape)).round(3)


def _pick(rng: np.random.Generator, source: Source, fixed: bool) -> bool:
    """A case's yes/no attribute: `fixed` (its position) in the fixed list, a coin for fresh cases."""
    return fixed if isinstance(source, str) else bool(rng.integers(2))


def _int_or_pair(pair: tuple[int, int], as_pair: bool) -> int | tuple[int, int]:
    return (int(pair[0]), int(pair[1])) if as_pair else int(pair[0])


# -- transposed convolution ------------------------------------------------------------------------

# (kh, kw, sh, sw): kernels larger than, equal to and smaller than the stride, on both axes.
TRANSPOSE_SHAPES = [(3, 2, 2, 2), (1, 2, 3, 3), (4, 3, 2, 3), (2, 2, 3, 1), (3, 3, 1, 1), (2, 5, 3, 2),
                    (5, 1, 2, 2), (1, 3, 2, 1)]


def conv2d_transpose_cases(source: Source, padding: str, count: int | None = None) -> list[dict[str, Any]]:
    """x (N, H, W, C_in), kernel (kh, kw, C_out, C_in); C_in = C_out in every other fixed case. The
    kernel and stride shapes are TRANSPOSE_SHAPES, or `count` random ones (kernels 1-5, strides 1-3)."""
    rng = CHECK.rng(source)
    shapes = TRANSPOSE_SHAPES if count is None else [
        tuple(int(v) for v in (*rng.integers(1, 6, 2), *rng.integers(1, 4, 2))) for _ in range(count)]
    cases = []
    for i, (kh, kw, sh, sw) in enumerate(shapes):
        n, h, w = int(rng.integers(1, 3)), int(rng.integers(2, 7)), int(rng.integers(2, 7))
        c_in = int(rng.integers(1, 4))
        c_out = c_in if _pick(rng, source, i % 2 == 0) else int(rng.choice([c for c in (1, 2, 3) if c != c_in]))
        strides = _int_or_pair((sh, sw), sh != sw or _pick(rng, source, i % 3 == 0))
        cases.append({"x": values(rng, (n, h, w, c_in)), "kernel": values(rng, (kh, kw, c_out, c_in)),
                      "strides": strides, "padding": padding})
    return cases


def conv2d_matrix_cases(source: Source, count: int) -> list[dict[str, Any]]:
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(2, 5))
        sh, sw = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        h, w = kh + int(rng.integers(1, 6)), kw + int(rng.integers(1, 6))
        strides = _int_or_pair((sh, sw), _pick(rng, source, i % 2 == 1))
        if not isinstance(strides, tuple):
            sw = sh
        cases.append({"kernel": values(rng, (kh, kw)), "input_shape": (h, w), "strides": strides,
                      "y": values(rng, ((h - kh) // sh + 1, (w - kw) // sw + 1)),
                      "x": values(rng, (h, w))})
    return cases


def transpose_of_matrix(kernel: np.ndarray, input_shape: tuple[int, int], strides: Any, y: np.ndarray) -> np.ndarray:
    """What `(M.T @ y.ravel()).reshape(H, W)` must be: Conv2DTranspose "valid" with the output_padding
    ((H - kh) % sh, (W - kw) % sw), i.e. the transposed convolution plus zero rows and columns at
    the bottom and right that the strided convolution never reads."""
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    kh, kw = kernel.shape
    out = ref.conv2d_transpose(y[None, :, :, None], kernel[:, :, None, None], (sh, sw), "valid")[0, :, :, 0]
    h, w = input_shape
    # The valid transposed result has (Ho - 1)·s + max(k, s) rows; keep the first H (a kernel
    # smaller than the stride leaves zero rows that may reach past H) and pad the rest with zeros.
    full = np.zeros((max(h, out.shape[0]), max(w, out.shape[1])))
    full[:out.shape[0], :out.shape[1]] = out
    return full[:h, :w]


# -- atrous convolution ----------------------------------------------------------------------------


def dilate_kernel_cases(source: Source, count: int) -> list[dict[str, Any]]:
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(2, 5))
        plain = _pick(rng, source, i % 3 == 0)
        shape = (kh, kw) if plain else (kh, kw, int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        rate = _int_or_pair((int(rng.integers(1, 4)), int(rng.integers(2, 4))), _pick(rng, source, i % 2 == 1))
        kernel = values(rng, shape)
        if _pick(rng, source, i == count - 1):
            kernel = rng.integers(1, 9, shape).astype(np.int64)  # an int kernel keeps its dtype
        cases.append({"kernel": kernel, "rate": rate})
    return cases


def atrous_cases(source: Source, count: int, padding: str) -> list[dict[str, Any]]:
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(2, 4))
        rh, rw = int(rng.integers(1, 4)), int(rng.integers(2, 4))
        rate = _int_or_pair((rh, rw), _pick(rng, source, i % 2 == 1))
        if not isinstance(rate, tuple):
            rw = rh
        h = rh * (kh - 1) + 1 + int(rng.integers(0, 5))
        w = rw * (kw - 1) + 1 + int(rng.integers(0, 5))
        c_in, c_out = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        cases.append({"x": values(rng, (int(rng.integers(1, 3)), h, w, c_in)),
                      "kernel": values(rng, (kh, kw, c_in, c_out)), "rate": rate, "padding": padding})
    return cases


# -- upsampling ------------------------------------------------------------------------------------


def upsample_cases(source: Source, count: int, method: str) -> list[dict[str, Any]]:
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        factor = _int_or_pair((int(rng.integers(2, 5)), int(rng.integers(1, 4))), _pick(rng, source, i % 2 == 1))
        shape = (int(rng.integers(1, 3)), int(rng.integers(2, 6)), int(rng.integers(2, 6)), int(rng.integers(1, 4)))
        cases.append({"x": values(rng, shape), "factor": factor, "method": method})
    return cases


# -- label maps ------------------------------------------------------------------------------------

LABEL_SHAPES = [(7, 9), (2, 5, 6), (31,), (3, 4, 4), (6, 6), (2, 3, 8), (12, 5), (4, 4, 3)]
LABEL_DTYPES = (np.int64, np.uint8, np.int32)


def label_map_cases(source: Source, count: int) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """(y_true, y_pred, n_classes): 1 to 3 axes, int and uint8 maps, some classes absent from both,
    one class only in the prediction, one only in the truth."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        n_classes = int(rng.integers(4, 8))
        fixed = isinstance(source, str)
        shape = LABEL_SHAPES[i % len(LABEL_SHAPES) if fixed else int(rng.integers(len(LABEL_SHAPES)))]
        absent = 1 + (i % 2 if fixed else int(rng.integers(2)))
        present = rng.permutation(n_classes)[: max(3, n_classes - absent)]  # 1 or 2 classes absent
        only_pred, only_true, common = present[-1], present[-2], present[:-2]
        y_true = rng.choice(present[:-1], shape)
        y_pred = np.where(rng.random(shape) < 0.6, y_true, rng.choice(present, shape))
        y_pred = np.where(y_pred == only_true, common[0], y_pred)  # never predicted ...
        y_true.flat[0] = only_true  # ... but present in the truth at least once
        y_true = np.where(y_true == only_pred, common[-1], y_true)
        y_pred.flat[0] = only_pred
        dtype = LABEL_DTYPES[i % 3 if fixed else int(rng.integers(3))]
        cases.append((y_true.astype(dtype), y_pred.astype(dtype), n_classes))
    return cases


# -- U-Nets ----------------------------------------------------------------------------------------


def unet_cases(source: Source, count: int) -> list[dict[str, Any]]:
    """build_unet / unet_param_count arguments: depth 1-3, filters 4-12, 1-4 channels, 2-7 classes,
    with and without skips; sizes multiples of 2**depth, or None."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        depth = 1 + (i % 3 if isinstance(source, str) else int(rng.integers(3)))
        side = 2**depth
        h, w = side * int(rng.integers(1, 4)), side * int(rng.integers(1, 4))
        channels = int(rng.integers(1, 5))
        any_size = i % 4 == 3 if isinstance(source, str) else bool(rng.random() < 0.25)
        shape = (None, None, channels) if any_size else (h, w, channels)
        n_classes = int(rng.integers(2, 8))
        filters = int(rng.choice([4, 6, 10, 12])) if isinstance(source, str) else int(rng.integers(2, 17))
        cases.append({"input_shape": shape, "n_classes": n_classes, "depth": depth, "base_filters": filters,
                      "skips": _pick(rng, source, i % 2 == 0)})
    return cases


def unet_args(case: dict[str, Any]) -> tuple[int, int, int, int, bool]:
    """unet_param_count's arguments for a U-Net case."""
    return (case["input_shape"][2], case["n_classes"], case["depth"], case["base_filters"], case["skips"])


@dataclass(frozen=True)
class Node:
    """One layer of the expected U-Net: what the grader compares, and where it sits (`role`)."""

    role: str
    cls: str
    config: tuple[tuple[str, Any], ...]  # the compared config keys and their values
    inputs: tuple[int, ...] = field(default=())  # indices of the input nodes, by position


def _conv(filters: int, kernel: int, activation: str, strides: int = 1, padding: str = "same") -> tuple:
    return (("filters", filters), ("kernel_size", (kernel, kernel)), ("strides", (strides, strides)),
            ("padding", padding), ("activation", activation))


# Roles name levels as the task does (d = 0 … depth − 1, d = 0 the full-resolution level) and the
# layers of a level in words, so no student has to guess whether a number counts from 0 or 1.
_NTH = {1: "first", 2: "second"}


def expected_unet(n_classes: int, depth: int = 2, base_filters: int = 8, skips: bool = True) -> list[Node]:
    """The layers of build_unet as a graph (node 0 is the input), in construction order."""
    nodes = [Node("the input", "InputLayer", ())]

    def add(role: str, cls: str, config: tuple, *inputs: int) -> int:
        nodes.append(Node(role, cls, config, inputs or (len(nodes) - 1,)))
        return len(nodes) - 1

    saved = []
    for d in range(depth):
        for k in (1, 2):
            add(f"the {_NTH[k]} convolution of encoder level d = {d}", "Conv2D", _conv(base_filters * 2**d, 3, "relu"))
        saved.append(len(nodes) - 1)
        add(f"the pooling of encoder level d = {d}", "MaxPooling2D",
            (("pool_size", (2, 2)), ("strides", (2, 2)), ("padding", "valid")))
    for k in (1, 2):
        add(f"the {_NTH[k]} convolution of the bottleneck", "Conv2D", _conv(base_filters * 2**depth, 3, "relu"))
    for d in reversed(range(depth)):
        up = add(f"the transposed convolution of decoder level d = {d}", "Conv2DTranspose",
                 _conv(base_filters * 2**d, 2, "linear", strides=2, padding="valid"))
        if skips:
            add(f"the Concatenate of decoder level d = {d}", "Concatenate", (), up, saved[d])
        for k in (1, 2):
            add(f"the {_NTH[k]} convolution of decoder level d = {d}", "Conv2D", _conv(base_filters * 2**d, 3, "relu"))
    add("the output layer", "Conv2D", _conv(n_classes, 1, "softmax", padding="valid"))
    return nodes


def call_text(name: str, case: dict[str, Any]) -> str:
    """A call as the student sees it: arrays by dtype and shape, the small settings (strides, rates,
    factors, padding) as written."""
    return f"{name}(" + ", ".join(f"{k}: {describe_value(v)}" if isinstance(v, np.ndarray) else f"{k}={v!r}"
                                  for k, v in case.items()) + ")"


# -- kinds: the ways cases differ, each drawn again among every submission's fresh cases ---------------


def _relation(k: int, s: int) -> str:
    return "larger than" if k > s else "smaller than" if k < s else "equal to"


def _pair_of(v: Any) -> tuple[int, int]:
    return (int(v), int(v)) if np.ndim(v) == 0 else (int(v[0]), int(v[1]))


def _form(v: Any, name: str) -> str:
    return f"{name} a pair" if isinstance(v, tuple) else f"{name} an int"


def transpose_kind(case: dict[str, Any]) -> tuple[str, ...]:
    (kh, kw), (sh, sw) = case["kernel"].shape[:2], _pair_of(case["strides"])
    c_out, c_in = case["kernel"].shape[2:]
    return (f"rows: kernel {_relation(kh, sh)} the stride", f"columns: kernel {_relation(kw, sw)} the stride",
            "C_in = C_out" if c_in == c_out else "C_in != C_out", _form(case["strides"], "strides"))


def matrix_kind(case: dict[str, Any]) -> tuple[str, ...]:
    (kh, kw), (sh, sw) = case["kernel"].shape, _pair_of(case["strides"])
    return (_form(case["strides"], "strides"), "stride 1" if (sh, sw) == (1, 1) else "stride > 1",
            "a kernel smaller than the stride" if kh < sh or kw < sw else "no kernel smaller than the stride")


def dilate_kind(case: dict[str, Any]) -> tuple[str, ...]:
    kernel = case["kernel"]
    return (f"{kernel.ndim}-D kernel", str(kernel.dtype), _form(case["rate"], "rate"),
            "a rate of 1" if 1 in _pair_of(case["rate"]) else "rates > 1")


def atrous_kind(case: dict[str, Any]) -> tuple[str, ...]:
    """Rates, and whether "same" pads an odd total r·(k - 1) on an axis (then its halves differ)."""
    spans = [r * (k - 1) for r, k in zip(_pair_of(case["rate"]), case["kernel"].shape[:2], strict=True)]
    return (_form(case["rate"], "rate"), "a rate of 1" if 1 in _pair_of(case["rate"]) else "rates > 1",
            "an odd total padding" if any(span % 2 for span in spans) else "even total paddings")


def upsample_kind(case: dict[str, Any]) -> tuple[str, ...]:
    return (_form(case["factor"], "factor"), "a factor of 1" if 1 in _pair_of(case["factor"]) else "factors > 1")


def label_kind(case: tuple) -> tuple[str, ...]:
    """Axes, dtype, and how many classes are absent from both maps (their IoU and Dice are NaN)."""
    y_true, y_pred, n_classes = case
    absent = n_classes - len(np.union1d(np.unique(y_true), np.unique(y_pred)))
    return (f"{y_true.ndim}-D maps", str(y_true.dtype),
            "one class absent from both maps" if absent == 1 else "several classes absent from both maps")


def unet_kind(case: dict[str, Any]) -> tuple[str, ...]:
    """One level or several (a U-Net is built in the kernel for each case, so depths 2 and 3 are one kind)."""
    return ("depth 1" if case["depth"] == 1 else "depth 2 or more", "skips" if case["skips"] else "no skips",
            "any input size (None)" if case["input_shape"][0] is None else "a fixed input size")


def param_kind(case: dict[str, Any]) -> tuple[str, ...]:
    return (f"depth {case['depth']}", "skips" if case["skips"] else "no skips")
