"""Typical wrong variants of the 03_conv2d functions, so the graders can name a student's mistake.

`MISTAKES` maps a student function name to rows `(mistake_id, hint, fn)`. Each `fn` takes the
arguments of the function it mimics, under the same names and in the same order, and returns what a
student who made that mistake returns. When a student's wrong output equals `fn`'s output on the
same hidden inputs, the grader shows `hint`. A check names the row that reproduces the most of its
failed cases (ties: the earlier row), so rows go from specific to generic. A row that does not apply
to some inputs raises `NotApplicable` there.

Variants are built on the reference `solutions.conv2d` and may use any library: they run in the
grading process, never in the student's kernel. Hints are one sentence the student can act on; they
name the mistake and never contain expected values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from solutions import conv2d as ref

Row = tuple[str, str, Callable[..., Any]]


class NotApplicable(Exception):  # noqa: N818 - a signal, not an error
    """A row does not apply to these inputs (a 'same'-only mistake on a 'valid' call, ...).

    A student's function that raises names the rows raising the same exception class on the same
    inputs, so a row says "not mine" with this class, which no student's code raises, and never
    with a ValueError a student's code may well raise for another reason.
    """


# -- shared helpers -------------------------------------------------------------------------------


def _f(a: Any) -> np.ndarray:
    return np.asarray(a, dtype=float)


def _window(full: np.ndarray, shape: tuple[int, int], kshape: tuple[int, int], mode: str,
            same_start: tuple[int, int]) -> np.ndarray:
    """Crop a full 2D result as scipy does, with a given 'same' start (row, column)."""
    (h, w), (kh, kw) = shape, kshape
    if mode == "full":
        return full
    if mode == "same":
        return full[same_start[0] : same_start[0] + h, same_start[1] : same_start[1] + w]
    if h >= kh and w >= kw:
        return full[kh - 1 : h, kw - 1 : w]
    if kh >= h and kw >= w:
        return full[h - 1 : kh, w - 1 : kw]
    raise ValueError("no valid output")


def _conv_like(image: Any, kernel: np.ndarray, mode: str, same: str = "conv") -> np.ndarray:
    """Full convolution of `image` with `kernel` cropped with the conv or corr 'same' window."""
    x, k = _f(image), _f(kernel)
    full = ref.conv2d(x, k, "full")
    start = ((k.shape[0] - 1) // 2, (k.shape[1] - 1) // 2) if same == "conv" else (k.shape[0] // 2, k.shape[1] // 2)
    return _window(full, x.shape, k.shape, mode, start)


def _narrow_int(image: Any, kernel: Any) -> np.dtype | None:
    dtype = np.result_type(np.asarray(image), np.asarray(kernel))
    return dtype if dtype.kind in "iu" and dtype.itemsize == 1 else None


def _wrapped(fn: Callable[..., np.ndarray], image: Any, kernel: Any, mode: str) -> np.ndarray:
    """What an accumulator of the inputs' narrow integer type holds: the exact result, wrapped."""
    dtype = _narrow_int(image, kernel)
    if dtype is None:
        raise NotApplicable("not a narrow integer input")
    exact = fn(np.asarray(image).astype(np.int64), np.asarray(kernel).astype(np.int64), mode)
    return np.round(exact).astype(np.int64).astype(dtype).astype(float)


def _products_wrapped(fn_name: str, image: Any, kernel: Any, mode: str) -> np.ndarray:
    """Each product wraps in the narrow type, the sum is taken in float."""
    dtype = _narrow_int(image, kernel)
    if dtype is None:
        raise NotApplicable("not a narrow integer input")
    x, k = np.asarray(image).astype(dtype), np.asarray(kernel).astype(dtype)
    fn = ref.conv2d if fn_name == "conv2d" else ref.correlate2d
    total = None
    for a in range(k.shape[0]):
        for b in range(k.shape[1]):
            single = np.zeros(k.shape, dtype=dtype)
            single[a, b] = 1
            # The image times one tap, wrapped like a uint8 product, placed like that tap.
            part = fn((x * k[a, b]).astype(dtype).astype(float), single.astype(float), mode)
            total = part if total is None else total + part
    return total


def _truncated(fn: Callable[..., np.ndarray], image: Any, kernel: Any, mode: str) -> np.ndarray:
    if np.asarray(image).dtype.kind not in "iu":
        raise NotApplicable("float image")
    return np.trunc(fn(image, kernel, mode))


OVERFLOW_HINT = ("integer overflow: uint8 values wrap around at 256, so convert the image and the "
                 "kernel to float (np.asarray(image, dtype=float)) before multiplying and summing.")
TRUNCATION_HINT = ("values were truncated to integers: the output was created with np.zeros_like of an "
                   "integer image; create it with dtype=float instead.")
ZEROS_HINT = ("the result is all zeros: the products are never accumulated into the output, or only "
              "the notebook's visible example is handled.")
VALID_LARGER_HINT = ("the kernel is larger than the image along both axes here: in 'valid' mode the two "
                     "swap roles (as in scipy), giving shape (kh - h + 1, kw - w + 1).")


def _full_one_too_large(fn: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """'full' built as zeros((h + kh, w + kw)): the extra last row and column stay zero; the 'same' and
    'valid' windows cut from it are unchanged."""
    def variant(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
        if mode != "full":
            raise NotApplicable("full only")
        return np.pad(fn(image, kernel, "full"), ((0, 1), (0, 1)))
    return variant


def _valid_one_short(fn: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """'valid' with h - kh rows and w - kw columns (range(h - kh)): the last complete overlap is lost."""
    def variant(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
        if mode != "valid":
            raise NotApplicable("valid only")
        return fn(image, kernel, "valid")[:-1, :-1]
    return variant


FULL_SIZE_HINT = ("'full' output one row and one column too large: it has h + kh - 1 rows and w + kw - 1 "
                  "columns, not h + kh and w + kw.")
VALID_SHORT_HINT = ("'valid' output one row and one column short: there are h - kh + 1 complete overlaps "
                    "down and w - kw + 1 across (loop over range(h - kh + 1)).")


def _zeros_like_ref(fn: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    return lambda image, kernel, mode="full": np.zeros_like(fn(image, kernel, mode))


def _valid_empty(fn: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    def variant(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
        x, k = _f(image), _f(kernel)
        if mode != "valid" or (x.shape[0] >= k.shape[0] and x.shape[1] >= k.shape[1]):
            raise NotApplicable("only the swapped valid case")
        return np.zeros((max(x.shape[0] - k.shape[0] + 1, 0), max(x.shape[1] - k.shape[1] + 1, 0)))
    return variant


# -- conv2d ---------------------------------------------------------------------------------------


def _conv2d_no_flip(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return _conv_like(image, _f(kernel)[::-1, ::-1], mode, same="conv")


def _conv2d_no_flip_corr_window(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return ref.correlate2d(image, kernel, mode)


def _conv2d_flip_rows_only(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    # Flipped up-down only: the convolution with the kernel mirrored left-right once more.
    return _conv_like(image, _f(kernel)[:, ::-1], mode)


def _conv2d_flip_cols_only(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return _conv_like(image, _f(kernel)[::-1, :], mode)


def _conv2d_same_off_centre(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    if mode != "same":
        raise NotApplicable("same only")
    return _conv_like(image, kernel, mode, same="corr")


def _conv2d_kernel_transposed(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return ref.conv2d(image, _f(kernel).T, mode)


def _conv2d_output_transposed(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return ref.conv2d(_f(image).T, _f(kernel).T, mode)


def _conv2d_mode_ignored(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return ref.conv2d(image, kernel, "full")


def _conv2d_valid_from_zero(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    if mode != "valid":
        raise NotApplicable("valid only")
    x, k = _f(image), _f(kernel)
    full = ref.conv2d(x, k, "full")
    return full[: abs(x.shape[0] - k.shape[0]) + 1, : abs(x.shape[1] - k.shape[1]) + 1]


def _conv2d_wrapped(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return _wrapped(ref.conv2d, image, kernel, mode)


def _conv2d_products_wrapped(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return _products_wrapped("conv2d", image, kernel, mode)


def _conv2d_truncated(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return _truncated(ref.conv2d, image, kernel, mode)


CONV2D: list[Row] = [
    ("no_flip",
     "kernel not flipped: this computes a cross-correlation, while a convolution reads "
     "x[i - a, j - b], i.e. the kernel rotated by 180 degrees.", _conv2d_no_flip),
    ("no_flip_corr_window",
     "kernel not flipped: this computes a cross-correlation, while a convolution reads "
     "x[i - a, j - b], i.e. the kernel rotated by 180 degrees.", _conv2d_no_flip_corr_window),
    ("flip_one_axis_rows",
     "kernel flipped along one axis only: a 2D convolution flips it along both axes "
     "(kernel[::-1, ::-1]).", _conv2d_flip_rows_only),
    ("flip_one_axis_cols",
     "kernel flipped along one axis only: a 2D convolution flips it along both axes "
     "(kernel[::-1, ::-1]).", _conv2d_flip_cols_only),
    ("same_off_centre_even_kernel",
     "'same' window off-centre for an even kernel: convolve2d keeps the full output from row "
     "(kh - 1) // 2 and column (kw - 1) // 2, dropping the extra row/column at the bottom/right.",
     _conv2d_same_off_centre),
    ("rows_cols_swapped",
     "rows and columns swapped: the kernel is read as kernel[b, a] (transposed); index images and "
     "kernels as [row, column].", _conv2d_kernel_transposed),
    ("output_transposed",
     "rows and columns swapped: the result is transposed; index images as [row, column] with "
     "shape (h, w).", _conv2d_output_transposed),
    ("valid_kernel_larger_empty", VALID_LARGER_HINT, _valid_empty(ref.conv2d)),
    ("valid_from_zero",
     "'valid' window misplaced: complete overlaps start at row kh - 1 and column kw - 1 of the full "
     "output, not at 0.", _conv2d_valid_from_zero),
    ("full_one_too_large", FULL_SIZE_HINT, _full_one_too_large(ref.conv2d)),
    ("valid_one_short", VALID_SHORT_HINT, _valid_one_short(ref.conv2d)),
    ("mode_ignored",
     "the mode argument seems to be ignored: 'same' and 'valid' keep only part of the full output.",
     _conv2d_mode_ignored),
    ("uint8_overflow", OVERFLOW_HINT, _conv2d_wrapped),
    ("uint8_overflow_products", OVERFLOW_HINT, _conv2d_products_wrapped),
    ("int_truncation", TRUNCATION_HINT, _conv2d_truncated),
    ("all_zeros", ZEROS_HINT, _zeros_like_ref(ref.conv2d)),
]

# -- correlate2d ----------------------------------------------------------------------------------


def _corr_flipped(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return _conv_like(image, kernel, mode, same="corr")


def _corr_flipped_conv_window(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return ref.conv2d(image, kernel, mode)


def _corr_same_conv_window(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    if mode != "same":
        raise NotApplicable("same only")
    return _conv_like(image, _f(kernel)[::-1, ::-1], mode, same="conv")


def _corr_flip_rows_only(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return ref.correlate2d(image, _f(kernel)[::-1, :], mode)


def _corr_flip_cols_only(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return ref.correlate2d(image, _f(kernel)[:, ::-1], mode)


def _corr_valid_swap_not_rotated(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    x, k = _f(image), _f(kernel)
    if mode != "valid" or not (k.shape[0] >= x.shape[0] and k.shape[1] >= x.shape[1]) or k.shape == x.shape:
        raise NotApplicable("swapped valid only")
    return ref.correlate2d(k, x, "valid")


def _corr_kernel_transposed(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return ref.correlate2d(image, _f(kernel).T, mode)


def _corr_mode_ignored(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return ref.correlate2d(image, kernel, "full")


def _corr_wrapped(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return _wrapped(ref.correlate2d, image, kernel, mode)


def _corr_products_wrapped(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return _products_wrapped("correlate2d", image, kernel, mode)


def _corr_truncated(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    return _truncated(ref.correlate2d, image, kernel, mode)


CORRELATE2D: list[Row] = [
    ("same_conv_window",
     "'same' window of convolve2d used for an even kernel: correlate2d keeps the full correlation from "
     "row kh // 2 and column kw // 2, so a correlation written as a convolution with the flipped kernel "
     "must shift its 'same' window by one for even kernel sizes.", _corr_same_conv_window),
    ("flipped",
     "kernel flipped: this computes a convolution, while a correlation slides the kernel over the "
     "image without rotating it.", _corr_flipped),
    ("flipped_conv_window",
     "kernel flipped: this computes a convolution, while a correlation slides the kernel over the "
     "image without rotating it.", _corr_flipped_conv_window),
    ("flip_one_axis_rows",
     "kernel flipped along one axis: a correlation uses the kernel as it is, without flipping it.",
     _corr_flip_rows_only),
    ("flip_one_axis_cols",
     "kernel flipped along one axis: a correlation uses the kernel as it is, without flipping it.",
     _corr_flip_cols_only),
    ("valid_swap_not_rotated",
     "kernel larger than the image in 'valid' mode: after swapping the two, rotate the result by 180 "
     "degrees (result[::-1, ::-1]), because correlation is not symmetric.", _corr_valid_swap_not_rotated),
    ("rows_cols_swapped",
     "rows and columns swapped: the kernel is read as kernel[b, a] (transposed); index images and "
     "kernels as [row, column].", _corr_kernel_transposed),
    ("valid_kernel_larger_empty", VALID_LARGER_HINT, _valid_empty(ref.correlate2d)),
    ("full_one_too_large", FULL_SIZE_HINT, _full_one_too_large(ref.correlate2d)),
    ("valid_one_short", VALID_SHORT_HINT, _valid_one_short(ref.correlate2d)),
    ("mode_ignored",
     "the mode argument seems to be ignored: 'same' and 'valid' keep only part of the full output.",
     _corr_mode_ignored),
    ("uint8_overflow", OVERFLOW_HINT, _corr_wrapped),
    ("uint8_overflow_products", OVERFLOW_HINT, _corr_products_wrapped),
    ("int_truncation", TRUNCATION_HINT, _corr_truncated),
    ("all_zeros", ZEROS_HINT, _zeros_like_ref(ref.correlate2d)),
]

# -- conv2d_layer ---------------------------------------------------------------------------------


def _pair(strides: Any) -> tuple[int, int]:
    return (int(strides), int(strides)) if np.ndim(strides) == 0 else (int(strides[0]), int(strides[1]))


def _layer_padded(images: Any, kernel: Any, bias: Any, strides: Any, pads: tuple[int, int, int, int],
                  activation: Any = None, tap_stride: bool = True) -> np.ndarray:
    """A layer with explicit (top, bottom, left, right) zero padding.

    tap_stride=False: the window of output (i, j) starts at (i, j) instead of (i*sh, j*sw).
    """
    x, k = _f(images), _f(kernel)
    sh, sw = _pair(strides)
    top, bottom, left, right = pads
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    kh, kw = k.shape[:2]
    out_h = (xp.shape[1] - kh) // sh + 1
    out_w = (xp.shape[2] - kw) // sw + 1
    z = np.zeros((x.shape[0], out_h, out_w, k.shape[3]))
    step_h, step_w = (sh, sw) if tap_stride else (1, 1)
    for a in range(kh):
        for b in range(kw):
            z += xp[:, a : a + (out_h - 1) * step_h + 1 : step_h, b : b + (out_w - 1) * step_w + 1 : step_w] @ k[a, b]
    if bias is not None:
        z += _f(bias)
    return _act(z, activation)


def _act(z: np.ndarray, activation: Any) -> np.ndarray:
    if activation is None or activation == "linear":
        return z
    if callable(activation):
        return _f(activation(z))
    return {"relu": lambda v: np.maximum(v, 0), "sigmoid": lambda v: 0.5 * (1 + np.tanh(0.5 * v)),
            "tanh": np.tanh}[activation](z)


def _same_pads(size: int, k: int, s: int) -> int:
    return max((-(-size // s) - 1) * s + k - size, 0)


def _same_totals(images: Any, kernel: Any, strides: Any, out: Callable[[int, int], int] | None = None
                 ) -> tuple[int, int]:
    """TensorFlow's total 'same' padding (rows, columns) for `out(size, stride)` outputs (default: ceil)."""
    _, h, w, _ = np.shape(images)
    kh, kw = np.shape(kernel)[:2]
    sh, sw = _pair(strides)
    if out is None:
        return _same_pads(h, kh, sh), _same_pads(w, kw, sw)
    return max((out(h, sh) - 1) * sh + kh - h, 0), max((out(w, sw) - 1) * sw + kw - w, 0)


def _layer_kernel_flipped(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    return ref.conv2d_layer(images, _f(kernel)[::-1, ::-1], bias, strides, padding, activation)


def _layer_symmetric_same(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    if padding != "same":
        raise NotApplicable("same only")
    kh, kw = np.shape(kernel)[:2]
    ph, pw = (kh - 1) // 2, (kw - 1) // 2
    return _layer_padded(images, kernel, bias, strides, (ph, ph, pw, pw), activation)


def _layer_symmetric_same_ceil(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    if padding != "same":
        raise NotApplicable("same only")
    kh, kw = np.shape(kernel)[:2]
    ph, pw = kh // 2, kw // 2
    return _layer_padded(images, kernel, bias, strides, (ph, ph, pw, pw), activation)


def _layer_same_extra_top(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    if padding != "same":
        raise NotApplicable("same only")
    th, tw = _same_totals(images, kernel, strides)
    return _layer_padded(images, kernel, bias, strides, (th - th // 2, th // 2, tw - tw // 2, tw // 2), activation)


def _layer_same_stride1_subsampled(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    if padding != "same":
        raise NotApplicable("same only")
    sh, sw = _pair(strides)
    return ref.conv2d_layer(images, kernel, bias, 1, "same", activation)[:, ::sh, ::sw]


def _layer_stride_not_in_window(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    if padding == "same":
        th, tw = _same_totals(images, kernel, strides)
        pads = (th // 2, th - th // 2, tw // 2, tw - tw // 2)
    else:
        pads = (0, 0, 0, 0)
    return _layer_padded(images, kernel, bias, strides, pads, activation, tap_stride=False)


def _layer_stride_ignored(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    return ref.conv2d_layer(images, kernel, bias, 1, padding, activation)


def _layer_strides_swapped(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    sh, sw = _pair(strides)
    return ref.conv2d_layer(images, kernel, bias, (sw, sh), padding, activation)


def _layer_bias_per_product(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    if bias is None:
        raise NotApplicable("needs a bias")
    kh, kw, c_in, _ = np.shape(kernel)
    # Added with every product of a full window: kh * kw * C_in times instead of once.
    z = ref.conv2d_layer(images, kernel, None, strides, padding) + kh * kw * c_in * _f(bias)
    return _act(z, activation)


def _layer_bias_per_tap(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    if bias is None:
        raise NotApplicable("needs a bias")
    kh, kw, _, _ = np.shape(kernel)
    z = ref.conv2d_layer(images, kernel, None, strides, padding) + kh * kw * _f(bias)
    return _act(z, activation)


def _layer_activation_before_bias(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    if bias is None or activation is None:
        raise NotApplicable("needs both")
    return ref.conv2d_layer(images, kernel, None, strides, padding, activation) + _f(bias)


def _layer_output_one_short(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    # out = (size + pad - k) // stride, the + 1 forgotten: the last row and column of windows are lost.
    return ref.conv2d_layer(images, kernel, bias, strides, padding, activation)[:, :-1, :-1]


def _layer_same_out_floor(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    """'same' with out = size // stride (rounded down) and the padding TensorFlow's rule gives for it."""
    if padding != "same":
        raise NotApplicable("same only")
    th, tw = _same_totals(images, kernel, strides, out=lambda size, stride: size // stride)
    # That padding holds at least out_h x out_w windows: keep the first ones, as the student's loop does.
    z = _layer_padded(images, kernel, bias, strides, (th // 2, th - th // 2, tw // 2, tw - tw // 2), activation)
    _, h, w, _ = np.shape(images)
    sh, sw = _pair(strides)
    return z[:, : h // sh, : w // sw]


def _layer_sigmoid_sign(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    if activation != "sigmoid":
        raise NotApplicable("sigmoid only")
    return 1.0 / (1.0 + np.exp(ref.conv2d_layer(images, kernel, bias, strides, padding, None)))


def _layer_relu_np_max(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    # np.max(z, 0) reduces over the batch axis; np.maximum(z, 0) is the element-wise ReLU.
    if activation != "relu":
        raise NotApplicable("relu only")
    return np.max(ref.conv2d_layer(images, kernel, bias, strides, padding, None), axis=0)


def _layer_activation_ignored(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    return ref.conv2d_layer(images, kernel, bias, strides, padding, None)


def _layer_bias_ignored(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    return ref.conv2d_layer(images, kernel, None, strides, padding, activation)


def _layer_channels_first_output(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    return ref.conv2d_layer(images, kernel, bias, strides, padding, activation).transpose(0, 3, 1, 2)


def _layer_torch_kernel_layout(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    # Indexing kernel[o, c, a, b] on a Keras kernel is the layer with kernel.transpose(2, 3, 1, 0).
    return ref.conv2d_layer(images, _f(kernel).transpose(2, 3, 1, 0), bias, strides, padding, activation)


def _layer_rows_cols_swapped(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    """A tap loop reading kernel[b, a]: it indexes past the kernel unless kh == kw, as the student's does."""
    k = _f(kernel)
    if k.shape[0] != k.shape[1]:
        raise IndexError("kernel[b, a] is out of bounds for a kernel with kh != kw")
    return ref.conv2d_layer(images, k.transpose(1, 0, 2, 3), bias, strides, padding, activation)


def _layer_kernel_transposed(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    """The kernel transposed as a whole (np.transpose), which runs for any kh, kw."""
    return ref.conv2d_layer(images, _f(kernel).transpose(1, 0, 2, 3), bias, strides, padding, activation)


def _layer_channels_first_input(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    # Reading the batch as (N, C, H, W): the layer sees images.transpose(0, 2, 3, 1).
    return ref.conv2d_layer(_f(images).transpose(0, 2, 3, 1), kernel, bias, strides, padding, activation)


CONV2D_LAYER: list[Row] = [
    ("torch_kernel_layout",
     "kernel read as (C_out, C_in, kh, kw), PyTorch's layout: Keras kernels are (kh, kw, C_in, C_out), "
     "so tap (a, b) from input channel c to output channel o is kernel[a, b, c, o].",
     _layer_torch_kernel_layout),
    ("channels_first_input",
     "channels-first assumption: the batch is (N, H, W, C_in), channels last, as in Keras; do not "
     "read it as (N, C, H, W).", _layer_channels_first_input),
    ("channels_first_output",
     "the output is channels-first (N, C_out, H, W): Keras layers return channels last, "
     "(N, out_h, out_w, C_out).", _layer_channels_first_output),
    ("kernel_flipped",
     "kernel flipped: Conv2D computes a cross-correlation, so use the kernel as it is, without "
     "rotating it.", _layer_kernel_flipped),
    ("rows_cols_swapped",
     "rows and columns swapped: kernel[a, b] has a along the height and b along the width; read it as "
     "kernel[a, b, c, o], not kernel[b, a, c, o].", _layer_rows_cols_swapped),
    ("kernel_transposed",
     "the kernel's height and width axes are exchanged (transposed); keep it as (kh, kw, c_in, c_out): "
     "kernel[a, b] has a along the height and b along the width.", _layer_kernel_transposed),
    ("same_symmetric_padding",
     "PyTorch-style symmetric 'same' padding: TensorFlow pads max((out - 1) * stride + k - size, 0) "
     "zeros in total, total // 2 at the top/left and the extra one at the bottom/right.",
     _layer_symmetric_same),
    ("same_symmetric_padding_k2",
     "PyTorch-style symmetric 'same' padding: TensorFlow pads max((out - 1) * stride + k - size, 0) "
     "zeros in total, total // 2 at the top/left and the extra one at the bottom/right.",
     _layer_symmetric_same_ceil),
    ("same_extra_top_left",
     "'same' padding puts the odd extra zero at the top/left: TensorFlow puts it at the bottom/right.",
     _layer_same_extra_top),
    ("same_padding_of_stride_1",
     "'same' with strides: the padding depends on the stride (out = ceil(size / stride) and total = "
     "max((out - 1) * stride + k - size, 0)); subsampling the stride-1 output is not the same.",
     _layer_same_stride1_subsampled),
    ("same_out_floor",
     "'same' keeps ceil(size / stride) rows and columns, rounded up (-(-size // stride)), not size // stride.",
     _layer_same_out_floor),
    ("stride_not_in_window",
     "stride ignored in the window index: output (i, j) reads the window starting at "
     "(i * stride_h, j * stride_w), not at (i, j).", _layer_stride_not_in_window),
    ("stride_ignored",
     "strides ignored: consecutive outputs are stride pixels apart.", _layer_stride_ignored),
    ("strides_swapped",
     "strides swapped: strides=(sh, sw) steps sh rows along the height and sw columns along the width.",
     _layer_strides_swapped),
    ("bias_per_product",
     "bias added once per product: add bias[o] once to each output value, after the whole sum.",
     _layer_bias_per_product),
    ("bias_per_tap",
     "bias added once per kernel tap: add bias[o] once to each output value, after the whole sum.",
     _layer_bias_per_tap),
    ("activation_before_bias",
     "activation applied before the bias: the layer computes activation(sum + bias).",
     _layer_activation_before_bias),
    ("sigmoid_sign",
     "sigmoid sign: sigmoid(z) = 1 / (1 + exp(-z)), with a minus sign in the exponent.", _layer_sigmoid_sign),
    ("relu_np_max",
     "np.max(z, 0) takes the maximum over the batch axis: ReLU is the element-wise np.maximum(z, 0).",
     _layer_relu_np_max),
    ("output_one_short",
     "output one row and one column short: out = (size + padding - k) // stride + 1, the + 1 counting the "
     "first window.", _layer_output_one_short),
    ("activation_ignored",
     "the activation is not applied (or not this one): 'relu', 'sigmoid', 'tanh' or a function "
     "applied to sum + bias.", _layer_activation_ignored),
    ("bias_ignored",
     "the bias is ignored: add bias[o] to every output of channel o.", _layer_bias_ignored),
]

# -- im2col and conv2d_im2col ---------------------------------------------------------------------


def _windows(images: Any, kh: int, kw: int, strides: Any) -> np.ndarray:
    """(N, out_h, out_w, C_in, kh, kw): sliding_window_view's own axis order."""
    sh, sw = _pair(strides)
    return np.lib.stride_tricks.sliding_window_view(_f(images), (kh, kw), axis=(1, 2))[:, ::sh, ::sw]


def _im2col_channel_first(images, kh, kw, strides=1):
    win = _windows(images, kh, kw, strides)
    return win.reshape(*win.shape[:3], -1)


def _im2col_taps_transposed(images, kh, kw, strides=1):
    win = _windows(images, kh, kw, strides)
    return win.transpose(0, 1, 2, 5, 4, 3).reshape(*win.shape[:3], -1)


def _im2col_stride_not_in_window(images, kh, kw, strides=1):
    sh, sw = _pair(strides)
    full = ref.im2col(images, kh, kw, 1)
    n, h, w, _ = np.shape(images)
    return full[:, : (h - kh) // sh + 1, : (w - kw) // sw + 1]


def _im2col_stride_ignored(images, kh, kw, strides=1):
    return ref.im2col(images, kh, kw, 1)


def _im2col_output_one_short(images, kh, kw, strides=1):
    # A loop over range((H - kh) // sh) windows: the + 1 forgotten, the last row and column lost.
    return ref.im2col(images, kh, kw, strides)[:, :-1, :-1]


def _im2col_strides_swapped(images, kh, kw, strides=1):
    sh, sw = _pair(strides)
    return ref.im2col(images, kh, kw, (sw, sh))


def _im2col_kernel_size_swapped(images, kh, kw, strides=1):
    # Windows kw high and kh wide (sliding_window_view(images, (kw, kh), ...)): as long, other pixels.
    return ref.im2col(images, kw, kh, strides)


def _im2col_flat(images, kh, kw, strides=1):
    out = ref.im2col(images, kh, kw, strides)
    return out.reshape(-1, out.shape[-1])


PATCH_ORDER_HINT = ("patch order does not match kernel.reshape(-1, C_out): flatten each window as "
                    "(kh, kw, C_in), tap-row, then tap-column, then channel; sliding_window_view puts the "
                    "channel axis before the window axes, so transpose before reshaping.")

STRIDES_SWAPPED_HINT = ("strides swapped: strides=(sh, sw) steps sh rows along the height and sw columns along "
                        "the width.")
WINDOWS_SHORT_HINT = ("one row and one column of windows short: out_h = (H - kh) // sh + 1 and out_w = "
                      "(W - kw) // sw + 1, the + 1 counting the first window.")

IM2COL: list[Row] = [
    ("patch_order_channel_first", PATCH_ORDER_HINT, _im2col_channel_first),
    ("patch_order_taps_transposed", PATCH_ORDER_HINT, _im2col_taps_transposed),
    ("stride_not_in_window",
     "stride ignored in the window index: window (i, j) starts at (i * stride_h, j * stride_w).",
     _im2col_stride_not_in_window),
    ("stride_ignored", "strides ignored: consecutive windows are stride pixels apart.", _im2col_stride_ignored),
    ("strides_swapped", STRIDES_SWAPPED_HINT, _im2col_strides_swapped),
    ("kernel_size_swapped",
     "window height and width swapped: a window is kh rows (along the image's height, axis 1) by kw columns.",
     _im2col_kernel_size_swapped),
    ("output_one_short", WINDOWS_SHORT_HINT, _im2col_output_one_short),
    ("flattened",
     "return the patches as (N, out_h, out_w, kh * kw * C_in), not as one 2D matrix.", _im2col_flat),
]


def _im2col_layer_channel_first(images, kernel, bias=None, strides=1):
    k = _f(kernel)
    out = _im2col_channel_first(images, k.shape[0], k.shape[1], strides) @ k.reshape(-1, k.shape[3])
    return out if bias is None else out + _f(bias)


def _im2col_layer_kernel_order(images, kernel, bias=None, strides=1):
    # Right patches, kernel flattened channel-first: the mirror-image mismatch.
    k = _f(kernel)
    out = ref.im2col(images, k.shape[0], k.shape[1], strides) @ k.transpose(2, 0, 1, 3).reshape(-1, k.shape[3])
    return out if bias is None else out + _f(bias)


def _im2col_layer_bias_ignored(images, kernel, bias=None, strides=1):
    if bias is None:
        raise NotApplicable("needs a bias")
    return ref.conv2d_im2col(images, kernel, None, strides)


def _im2col_layer_stride_ignored(images, kernel, bias=None, strides=1):
    return ref.conv2d_im2col(images, kernel, bias, 1)


def _im2col_layer_flipped(images, kernel, bias=None, strides=1):
    return ref.conv2d_im2col(images, _f(kernel)[::-1, ::-1], bias, strides)


def _im2col_layer_not_reshaped(images, kernel, bias=None, strides=1):
    k = _f(kernel)
    patches = ref.im2col(images, k.shape[0], k.shape[1], strides)
    out = patches.reshape(-1, patches.shape[-1]) @ k.reshape(-1, k.shape[3])
    return out if bias is None else out + _f(bias)


def _im2col_layer_kernel_reshape_transposed(images, kernel, bias=None, strides=1):
    # kernel.reshape(C_out, -1).T: a PyTorch-style (C_out, kh * kw * C_in) reading of a Keras kernel.
    k = _f(kernel)
    out = ref.im2col(images, k.shape[0], k.shape[1], strides) @ k.reshape(k.shape[3], -1).T
    return out if bias is None else out + _f(bias)


def _im2col_layer_strides_swapped(images, kernel, bias=None, strides=1):
    sh, sw = _pair(strides)
    return ref.conv2d_im2col(images, kernel, bias, (sw, sh))


def _im2col_layer_output_one_short(images, kernel, bias=None, strides=1):
    return ref.conv2d_im2col(images, kernel, bias, strides)[:, :-1, :-1]


CONV2D_IM2COL: list[Row] = [
    ("patch_order_channel_first", PATCH_ORDER_HINT, _im2col_layer_channel_first),
    ("kernel_order", PATCH_ORDER_HINT, _im2col_layer_kernel_order),
    ("kernel_flipped", "kernel flipped: the layer is a cross-correlation, use the kernel as it is.",
     _im2col_layer_flipped),
    ("bias_ignored", "the bias is ignored: add bias[o] to every output of channel o.", _im2col_layer_bias_ignored),
    ("kernel_reshape_transposed",
     "kernel.reshape(C_out, -1).T reads a Keras kernel as (C_out, kh, kw, C_in): reshape it to "
     "(kh * kw * C_in, C_out) directly, in the order of the patches.", _im2col_layer_kernel_reshape_transposed),
    ("stride_ignored", "strides ignored: pass them on to im2col.", _im2col_layer_stride_ignored),
    ("strides_swapped", STRIDES_SWAPPED_HINT, _im2col_layer_strides_swapped),
    ("output_one_short", WINDOWS_SHORT_HINT, _im2col_layer_output_one_short),
    ("not_reshaped",
     "return (N, out_h, out_w, C_out): reshape the product of the flattened patches back to the output's grid.",
     _im2col_layer_not_reshaped),
]

# -- filters --------------------------------------------------------------------------------------

BOX_KERNEL: list[Row] = [
    ("sum_not_mean", "the box filter is a mean: divide the ones by k**2 so the weights sum to 1.",
     lambda k: np.ones((int(k), int(k)))),
    ("divided_by_k", "divide by k**2 (the number of weights), not by k.",
     lambda k: np.ones((int(k), int(k))) / k),
    ("integer_division",
     "integer division: 1 // k**2 (or an integer array) rounds every weight down to 0; divide with / into floats.",
     lambda k: np.ones((int(k), int(k))) // int(k) ** 2),
]


def _gauss(size: int, sigma: float, *, centre: float | None = None, denom: float | None = None,
           norm: str = "sum") -> np.ndarray:
    c = (size - 1) / 2 if centre is None else centre
    r = np.arange(int(size)) - c
    d = 2 * sigma**2 if denom is None else denom
    g = np.exp(-(r[:, None] ** 2 + r[None, :] ** 2) / d)
    if norm == "sum":
        return g / g.sum()
    if norm == "continuous":
        return g / (2 * np.pi * sigma**2)
    if norm == "max":
        return g / g.max()
    if norm == "mean":
        return g / g.mean()
    return g


GAUSSIAN_KERNEL: list[Row] = [
    ("not_normalised", "Gaussian not normalised: divide by the sum of the values so the weights sum to 1.",
     lambda size, sigma: _gauss(size, sigma, norm="none")),
    ("continuous_normalisation",
     "normalised with the continuous 1 / (2 pi sigma**2): on a small grid that does not sum to 1; divide by "
     "the sum of the values instead.", lambda size, sigma: _gauss(size, sigma, norm="continuous")),
    ("sigma_as_variance",
     "sigma used as the variance: the exponent is -(r**2) / (2 * sigma**2), sigma being the standard "
     "deviation.", lambda size, sigma: _gauss(size, sigma, denom=2 * sigma)),
    ("sigma_no_square_no_two",
     "the exponent is -(r**2) / (2 * sigma**2): check the factor 2 and the square of sigma.",
     lambda size, sigma: _gauss(size, sigma, denom=sigma)),
    ("missing_factor_two",
     "the exponent is -(r**2) / (2 * sigma**2): the factor 2 is missing.",
     lambda size, sigma: _gauss(size, sigma, denom=sigma**2)),
    ("centre_size_over_2",
     "Gaussian off-centre for an even size: the centre is (size - 1) / 2, between two pixels, not "
     "size // 2.", lambda size, sigma: _gauss(size, sigma, centre=size // 2)),
    ("centre_size_over_2_float",
     "Gaussian off-centre by half a pixel: the indices run from 0 to size - 1, so the centre is (size - 1) / 2, "
     "not size / 2.", lambda size, sigma: _gauss(size, sigma, centre=size / 2)),
    ("centre_one_based",
     "Gaussian off-centre by one pixel: (size + 1) / 2 is the centre of 1..size, but numpy indices run from 0 "
     "to size - 1, whose centre is (size - 1) / 2.", lambda size, sigma: _gauss(size, sigma, centre=(size + 1) / 2)),
    ("two_sigma_squared",
     "the exponent is -(r**2) / (2 * sigma**2): (2 * sigma)**2 squares the 2 as well.",
     lambda size, sigma: _gauss(size, sigma, denom=(2 * sigma) ** 2)),
    ("exponent_sign",
     "the exponent must be negative, -(r**2) / (2 * sigma**2): the weights fall off away from the centre.",
     lambda size, sigma: _gauss(size, sigma, denom=-2 * sigma**2)),
    ("divided_by_max",
     "divided by the largest value: the weights must sum to 1, so divide by the sum of the values.",
     lambda size, sigma: _gauss(size, sigma, norm="max")),
    ("divided_by_mean",
     "divided by the mean: the weights must sum to 1, so divide by the sum of the values.",
     lambda size, sigma: _gauss(size, sigma, norm="mean")),
]

_GX = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
SOBEL_HINTS = {
    "swapped": "Sobel gx and gy swapped: gx = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]] responds to changes "
               "from left to right, gy = gx.T to changes from top to bottom.",
    "sign": "Sobel sign reversed: with correlation, gx must be positive where intensity grows left -> right "
            "(right column positive) and gy where it grows top -> bottom (bottom row positive).",
    "scaled": "Sobel kernels scaled: use the unscaled integer weights (no division by 8 or 4).",
    "not_transposed": "gy must be gx transposed (gx.T), a kernel for changes from top to bottom.",
}


def _sobel_variant(kind: str) -> Callable[[], list[np.ndarray]]:
    def variant() -> list[np.ndarray]:
        gx, gy = _GX, _GX.T
        if kind == "swapped":
            return [gy, gx]
        if kind == "sign":
            return [-gx, -gy]
        if kind == "sign_gx":
            return [-gx, gy]
        if kind == "sign_gy":
            return [gx, -gy]
        if kind == "scaled8":
            return [gx / 8, gy / 8]
        if kind == "scaled4":
            return [gx / 4, gy / 4]
        if kind == "swapped_sign":
            return [-gy, -gx]
        return [gx, gx]
    return variant


# Sobel rows return both kernels; the grader compares them stacked, (2, 3, 3).
SOBEL_KERNELS: list[Row] = [
    ("swapped", SOBEL_HINTS["swapped"], _sobel_variant("swapped")),
    ("sign_reversed", SOBEL_HINTS["sign"], _sobel_variant("sign")),
    ("sign_reversed_gx", SOBEL_HINTS["sign"], _sobel_variant("sign_gx")),
    ("sign_reversed_gy", SOBEL_HINTS["sign"], _sobel_variant("sign_gy")),
    ("swapped_and_sign", SOBEL_HINTS["swapped"], _sobel_variant("swapped_sign")),
    ("scaled_8", SOBEL_HINTS["scaled"], _sobel_variant("scaled8")),
    ("scaled_4", SOBEL_HINTS["scaled"], _sobel_variant("scaled4")),
    ("gy_not_transposed", SOBEL_HINTS["not_transposed"], _sobel_variant("same")),
]

_LAP = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])

LAPLACIAN_KERNEL: list[Row] = [
    ("eight_neighbours",
     "8-neighbour Laplacian: this course uses the 4-neighbour kernel [[0, 1, 0], [1, -4, 1], [0, 1, 0]].",
     lambda: np.array([[1.0, 1.0, 1.0], [1.0, -8.0, 1.0], [1.0, 1.0, 1.0]])),
    ("sign_reversed", "Laplacian sign reversed: the centre weight is -4 and the 4 neighbours +1.",
     lambda: -_LAP),
]

SHARPEN_KERNEL: list[Row] = [
    ("plus_laplacian",
     "sharpening subtracts the Laplacian: identity - alpha * laplacian, not identity + alpha * laplacian.",
     lambda alpha=1.0: ref.sharpen_kernel(-alpha)),
    ("alpha_ignored", "alpha ignored: scale the Laplacian by alpha before subtracting it.",
     lambda alpha=1.0: ref.sharpen_kernel(1.0)),
    ("identity_missing",
     "the identity is missing: sharpen = identity - alpha * laplacian, with a single 1 in the centre of the "
     "identity kernel.", lambda alpha=1.0: -alpha * _LAP),
    ("identity_ones",
     "the identity kernel has a single 1 in the centre (it leaves the image unchanged), not ones everywhere.",
     lambda alpha=1.0: np.ones((3, 3)) - alpha * _LAP),
]

# -- gradient magnitude and edges -----------------------------------------------------------------


def _responses(image: Any) -> tuple[np.ndarray, np.ndarray]:
    x = _f(image)
    return ref.correlate2d(x, _GX, "same"), ref.correlate2d(x, _GX.T, "same")


def _mag_l1(image):
    gx, gy = _responses(image)
    return np.abs(gx) + np.abs(gy)


def _mag_squared(image):
    gx, gy = _responses(image)
    return gx**2 + gy**2


def _mag_gx_only(image):
    return np.abs(_responses(image)[0])


def _mag_gy_only(image):
    return np.abs(_responses(image)[1])


def _mag_valid(image):
    x = _f(image)
    return np.hypot(ref.correlate2d(x, _GX, "valid"), ref.correlate2d(x, _GX.T, "valid"))


def _mag_uint8(image):
    x = np.asarray(image)
    if x.dtype != np.uint8:
        raise NotApplicable("uint8 only")
    # Responses computed in uint8 (wrapping), then the magnitude in float.
    gx = ref.correlate2d(x.astype(np.int64), _GX, "same").astype(np.int64).astype(np.uint8).astype(float)
    gy = ref.correlate2d(x.astype(np.int64), _GX.T, "same").astype(np.int64).astype(np.uint8).astype(float)
    return np.hypot(gx, gy)


def _mag_int_responses(image):
    x = np.asarray(image)
    if x.dtype.kind not in "iu":
        raise NotApplicable("integer images only")
    gx, gy = _responses(x.astype(np.int64))
    # The magnitude stored back into the image's integer type.
    return np.trunc(np.hypot(gx, gy)).astype(np.int64).astype(x.dtype).astype(float)


def _normalised(magnitude: np.ndarray) -> np.ndarray:
    top = magnitude.max()
    if top == 0:
        raise NotApplicable("a flat image has nothing to divide by")
    return magnitude / top


MAGNITUDE_L1_HINT = ("|gx| + |gy| is not the gradient magnitude: use sqrt(gx**2 + gy**2) (np.hypot).")

GRADIENT_MAGNITUDE: list[Row] = [
    ("l1_magnitude", MAGNITUDE_L1_HINT, _mag_l1),
    ("squared", "the square root is missing: the magnitude is sqrt(gx**2 + gy**2).", _mag_squared),
    ("gx_only", "only the gx response is used: combine both, sqrt(gx**2 + gy**2).", _mag_gx_only),
    ("gy_only", "only the gy response is used: combine both, sqrt(gx**2 + gy**2).", _mag_gy_only),
    ("valid_mode", "use correlate2d in 'same' mode, so the result has the image's shape (zero fill).", _mag_valid),
    ("uint8_overflow", OVERFLOW_HINT, _mag_uint8),
    ("int_result", "the magnitude was stored in the image's integer dtype: return floats.", _mag_int_responses),
    ("sobel_scaled", SOBEL_HINTS["scaled"], lambda image: ref.gradient_magnitude(image) / 8),
    ("sobel_scaled", SOBEL_HINTS["scaled"], lambda image: ref.gradient_magnitude(image) / 4),
]

EDGE_MAP: list[Row] = [
    ("greater_or_equal",
     "pixels whose magnitude equals the threshold are not edges: use a strict >, not >=.",
     lambda image, threshold: ref.gradient_magnitude(image) >= threshold),
    ("l1_magnitude", MAGNITUDE_L1_HINT, lambda image, threshold: _mag_l1(image) > threshold),
    ("inverted", "the map is inverted: True marks the edges, where the magnitude is above the threshold.",
     lambda image, threshold: ref.gradient_magnitude(image) <= threshold),
    ("squared_magnitude",
     "the threshold applies to the magnitude sqrt(gx**2 + gy**2), not to its square gx**2 + gy**2.",
     lambda image, threshold: _mag_squared(image) > threshold),
    ("normalised_magnitude",
     "the threshold applies to the magnitude itself, not to the magnitude divided by its maximum.",
     lambda image, threshold: _normalised(ref.gradient_magnitude(image)) > threshold),
]

# -- filter_bank_tf -------------------------------------------------------------------------------


def _bank(image, kernels, fn):
    return np.stack([fn(_f(image), k) for k in _f(kernels)], axis=-1)


def _bank_reshaped(image, kernels):
    k = _f(kernels)
    scrambled = k.reshape(k.shape[1], k.shape[2], k.shape[0])  # filters[:, :, 0, j] of the reshaped tensor
    return _bank(image, np.moveaxis(scrambled, -1, 0), lambda x, kj: ref.correlate2d(x, kj, "same"))


FILTER_BANK_TF: list[Row] = [
    ("flipped", "kernels flipped: tf.nn.conv2d already computes a cross-correlation; pass the kernels "
     "as they are.", lambda image, kernels: _bank(image, kernels, lambda x, k: ref.correlate2d(x, k[::-1, ::-1], "same"))),
    ("kernels_transposed",
     "rows and columns of the kernels swapped: the filters tensor is np.transpose(kernels, (1, 2, 0)) "
     "with an axis added for the input channel, (kh, kw, 1, K).",
     lambda image, kernels: _bank(image, kernels, lambda x, k: ref.correlate2d(x, k.T, "same"))),
    ("channels_first",
     "the result must be (H, W, K), one channel per kernel in the last axis, not (K, H, W).",
     lambda image, kernels: np.moveaxis(_bank(image, kernels, lambda x, k: ref.correlate2d(x, k, "same")), -1, 0)),
    ("valid_padding", "use padding='SAME' so the output keeps the image's size.",
     lambda image, kernels: _bank(image, kernels, lambda x, k: ref.correlate2d(x, k, "valid"))),
    ("reshape_not_transpose",
     "kernels.reshape(kh, kw, 1, K) mixes the weights of different kernels: move the kernel axis last with "
     "np.transpose(kernels, (1, 2, 0)), then add the input-channel axis.", _bank_reshaped),
    ("batch_axis_kept",
     "return (H, W, K): drop the batch axis of tf.nn.conv2d's (1, H, W, K) output (y[0]).",
     lambda image, kernels: _bank(image, kernels, lambda x, k: ref.correlate2d(x, k, "same"))[None]),
]

MISTAKES: dict[str, list[Row]] = {
    "conv2d": CONV2D,
    "correlate2d": CORRELATE2D,
    "conv2d_layer": CONV2D_LAYER,
    "im2col": IM2COL,
    "conv2d_im2col": CONV2D_IM2COL,
    "box_kernel": BOX_KERNEL,
    "gaussian_kernel": GAUSSIAN_KERNEL,
    "sobel_kernels": SOBEL_KERNELS,
    "laplacian_kernel": LAPLACIAN_KERNEL,
    "sharpen_kernel": SHARPEN_KERNEL,
    "gradient_magnitude": GRADIENT_MAGNITUDE,
    "edge_map": EDGE_MAP,
    "filter_bank_tf": FILTER_BANK_TF,
}
"""Student function name -> [(mistake_id, hint, fn)], tried in order by the graders."""
