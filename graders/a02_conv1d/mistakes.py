"""Typical wrong variants of the 02_conv1d functions, so the graders can name a student's mistake.

`MISTAKES` maps a student function name to rows `(mistake_id, hint, fn)`. Each `fn` takes the
arguments of the function it mimics, under the same names and in the same order (graders replay
the student's positional or keyword arguments on it), and returns what a student who made that
mistake returns. When a student's wrong output equals `fn`'s output on the same hidden inputs,
the grader shows `hint`. The first matching row wins, so rows go from specific to generic.

Variants are built on the reference `solutions.conv1d` and may use any library: they run in the
grading process, never in the student's kernel. Hints are one sentence the student can act on;
they name the mistake and never contain expected values.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from solutions import conv1d as ref

Row = tuple[str, str, Callable[..., Any]]

# -- shared helpers -------------------------------------------------------------------------------


def _conv_window(n: int, m: int, mode: str) -> tuple[int, int]:
    """(first index, length) of `mode`'s block in a full output, np.convolve rules."""
    longer, shorter = max(n, m), min(n, m)
    if mode == "full":
        return 0, n + m - 1
    if mode == "same":
        return (shorter - 1) // 2, longer
    return shorter - 1, longer - shorter + 1


def _corr_window(n: int, m: int, mode: str) -> tuple[int, int]:
    """(first index, length) of `mode`'s block in a full output, np.correlate rules."""
    if mode == "same" and m > n:
        return n // 2, m
    return _conv_window(n, m, mode)


def _kernel_first_window(n: int, m: int, mode: str) -> tuple[int, int]:
    """Windows computed as if the kernel were never longer than the signal (no role swap)."""
    if mode == "same":
        return (m - 1) // 2, n
    if mode == "valid":
        return m - 1, max(n - m + 1, 0)
    return 0, n + m - 1


def _take(full: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    start, length = window
    return full[start : start + length]


def _floats(*arrays: Any) -> list[np.ndarray]:
    return [np.asarray(a, dtype=float) for a in arrays]


def _is_integer(a: Any) -> bool:
    return np.asarray(a).dtype.kind in "biu"


def _matrix_of(op: Callable[[np.ndarray], np.ndarray], n: int) -> np.ndarray:
    """Matrix of a linear map on length-n signals: its columns are the responses to e_j."""
    return np.stack([op(e) for e in np.eye(n)], axis=1)


# -- conv1d ---------------------------------------------------------------------------------------


def _conv1d_no_flip(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    xf, wf = _floats(x, w)
    return _take(np.correlate(xf, wf, "full"), _conv_window(len(xf), len(wf), mode))


def _conv1d_same_off_centre(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    xf, wf = _floats(x, w)
    if mode != "same":
        return np.convolve(xf, wf, mode)
    # The other centre of an even kernel: one more sample dropped on the left.
    return _take(np.convolve(xf, wf, "full"), (min(len(xf), len(wf)) // 2, max(len(xf), len(wf))))


def _conv1d_kernel_longer_not_swapped(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    xf, wf = _floats(x, w)
    return _take(np.convolve(xf, wf, "full"), _kernel_first_window(len(xf), len(wf), mode))


def _conv1d_valid_start_at_kernel_end(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    xf, wf = _floats(x, w)
    if mode != "valid":
        return np.convolve(xf, wf, mode)
    # Starts at len(w) - 1 even when the kernel is the longer input (slicing clips the end).
    return _take(np.convolve(xf, wf, "full"), (len(wf) - 1, abs(len(xf) - len(wf)) + 1))


def _conv1d_full_missing_last(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    xf, wf = _floats(x, w)
    full = np.convolve(xf, wf, "full")
    return full[:-1] if mode == "full" else np.convolve(xf, wf, mode)


def _conv1d_full_missing_first(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    xf, wf = _floats(x, w)
    full = np.convolve(xf, wf, "full")
    return full[1:] if mode == "full" else np.convolve(xf, wf, mode)


def _conv1d_mode_ignored(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    xf, wf = _floats(x, w)
    return np.convolve(xf, wf, "full")


def _narrow_int_dtype(x: Any, w: Any) -> np.dtype | None:
    """The common dtype of x and w if it is an integer type narrow enough to overflow here."""
    dtype = np.result_type(np.asarray(x), np.asarray(w))
    return dtype if dtype.kind in "iu" and dtype.itemsize <= 2 else None


def _conv1d_overflow_products(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    dtype = _narrow_int_dtype(x, w)
    if dtype is None:
        return np.convolve(*_floats(x, w), mode)
    xi, wi = np.asarray(x).astype(dtype), np.asarray(w).astype(dtype)
    # Each product wraps in the narrow type; the sum is then taken in a float accumulator.
    products = np.multiply.outer(xi, wi).astype(float)
    n, m = len(xi), len(wi)
    full = np.zeros(n + m - 1)
    for k in range(m):
        full[k : k + n] += products[:, k]
    return _take(full, _conv_window(n, m, mode))


def _conv1d_overflow_sums(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    dtype = _narrow_int_dtype(x, w)
    if dtype is None:
        return np.convolve(*_floats(x, w), mode)
    # Products and sums all wrap: the exact integer result, cast to the narrow type.
    exact = np.convolve(np.asarray(x).astype(np.int64), np.asarray(w).astype(np.int64), mode)
    return exact.astype(dtype)


def _into_dtype_of(x: Any, result: np.ndarray) -> np.ndarray:
    """`result` stored into an array of x's type (np.zeros_like(x)): an integer type truncates
    towards zero, and a narrow one (uint8) wraps around."""
    if not _is_integer(x):
        return result
    return np.trunc(result).astype(np.int64).astype(np.asarray(x).dtype).astype(float)


def _conv1d_int_truncation(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    return _into_dtype_of(x, np.convolve(*_floats(x, w), mode))


def _conv1d_mean_not_sum(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    return ref.conv1d(x, w, mode) / len(np.asarray(w))


def _conv1d_all_zeros(x: Any, w: Any, mode: str = "full") -> np.ndarray:
    return np.zeros_like(np.convolve(*_floats(x, w), mode))


NO_FLIP_HINT = ("kernel not flipped: this computes a cross-correlation, while a convolution reads "
                "w[i - j], i.e. the kernel reversed.")
LONGER_KERNEL_HINT = ("the kernel is longer than the signal here: like np.convolve, swap their "
                      "roles, so 'valid' keeps len(w) - len(x) + 1 values and 'same' keeps "
                      "len(w) values.")
ZEROS_HINT = ("the result is all zeros: the products are never accumulated into the output, or "
              "only the notebook's worked example is handled.")
TRUNCATION_HINT = ("values were truncated to integers: the output was created with "
                   "np.zeros_like of an integer input; create it with dtype=float instead.")
OVERFLOW_HINT = ("integer overflow: small integer types such as uint8 wrap around, so convert "
                 "the inputs to float (np.asarray(x, dtype=float)) before multiplying.")

CONV1D: list[Row] = [
    ("no_flip", NO_FLIP_HINT, _conv1d_no_flip),
    ("same_off_centre_even_kernel",
     "'same' window off-centre for an even-length kernel: np.convolve starts the 'same' block at "
     "index (min(len(x), len(w)) - 1) // 2 of the full output, dropping the extra sample on the "
     "right.", _conv1d_same_off_centre),
    ("kernel_longer_not_swapped", LONGER_KERNEL_HINT, _conv1d_kernel_longer_not_swapped),
    ("valid_start_at_kernel_end", LONGER_KERNEL_HINT, _conv1d_valid_start_at_kernel_end),
    ("full_missing_last",
     "'full' mode is missing its last value: the full convolution has len(x) + len(w) - 1 values, "
     "check the range of your output loop.", _conv1d_full_missing_last),
    ("full_missing_first",
     "'full' mode is missing its first value: output index 0 already overlaps x[0] with w[0], "
     "check where your output loop starts.", _conv1d_full_missing_first),
    ("mode_ignored",
     "the mode argument seems to be ignored: 'same' and 'valid' keep only part of the full "
     "output.", _conv1d_mode_ignored),
    ("integer_overflow_products", OVERFLOW_HINT, _conv1d_overflow_products),
    ("integer_overflow_sums", OVERFLOW_HINT, _conv1d_overflow_sums),
    ("int_truncation", TRUNCATION_HINT, _conv1d_int_truncation),
    ("mean_not_sum",
     "each output is divided by the kernel's length: a convolution sums the products "
     "x[j] * w[i - j], it does not average them.", _conv1d_mean_not_sum),
    ("all_zeros", ZEROS_HINT, _conv1d_all_zeros),
]

# -- correlate1d ----------------------------------------------------------------------------------


def _correlate1d_reversed_single_sample(x: Any, w: Any, mode: str = "valid") -> np.ndarray:
    xf, wf = _floats(x, w)
    if len(xf) == 1 < len(wf):
        # With one signal sample, flipping the kernel and swapping x and w give the same values.
        return np.correlate(wf, xf, mode)
    return np.correlate(xf, wf, mode)  # the right answer, so it never matches a wrong one


def _correlate1d_flipped(x: Any, w: Any, mode: str = "valid") -> np.ndarray:
    xf, wf = _floats(x, w)
    return _take(np.convolve(xf, wf, "full"), _corr_window(len(xf), len(wf), mode))


def _correlate1d_swapped_not_reversed(x: Any, w: Any, mode: str = "valid") -> np.ndarray:
    xf, wf = _floats(x, w)
    # Swapping the arguments as np.convolve does, but without reversing the result.
    return np.correlate(wf, xf, mode) if len(wf) > len(xf) else np.correlate(xf, wf, mode)


def _correlate1d_same_window_of_conv(x: Any, w: Any, mode: str = "valid") -> np.ndarray:
    xf, wf = _floats(x, w)
    if mode != "same" or len(wf) <= len(xf):
        return np.correlate(xf, wf, mode)
    return _take(np.correlate(xf, wf, "full"), ((len(xf) - 1) // 2, len(wf)))


def _correlate1d_kernel_longer_not_swapped(x: Any, w: Any, mode: str = "valid") -> np.ndarray:
    xf, wf = _floats(x, w)
    return _take(np.correlate(xf, wf, "full"), _kernel_first_window(len(xf), len(wf), mode))


def _correlate1d_mode_ignored(x: Any, w: Any, mode: str = "valid") -> np.ndarray:
    xf, wf = _floats(x, w)
    return np.correlate(xf, wf, "full")


def _correlate1d_int_truncation(x: Any, w: Any, mode: str = "valid") -> np.ndarray:
    return _into_dtype_of(x, np.correlate(*_floats(x, w), mode))


def _correlate1d_all_zeros(x: Any, w: Any, mode: str = "valid") -> np.ndarray:
    return np.zeros_like(np.correlate(*_floats(x, w), mode))


CORRELATE1D: list[Row] = [
    ("reversed_single_sample",
     "the values come out reversed: either the kernel is flipped, which computes a convolution, "
     "or x and w were swapped without reversing the result back.",
     _correlate1d_reversed_single_sample),
    ("flipped",
     "kernel flipped: this computes a convolution, while a correlation slides w along x without "
     "reversing it.", _correlate1d_flipped),
    ("swapped_not_reversed",
     "x and w were swapped for a kernel longer than the signal: that reverses a correlation, so "
     "reverse the result back, as np.correlate does.",
     _correlate1d_swapped_not_reversed),
    ("same_window_longer_kernel",
     "'same' with a kernel longer than the signal: np.correlate mirrors the window, so for an "
     "even len(x) the extra sample is dropped on the left, not on the right.",
     _correlate1d_same_window_of_conv),
    ("kernel_longer_not_swapped",
     "the kernel is longer than the signal here: 'valid' then keeps len(w) - len(x) + 1 values "
     "and 'same' keeps len(w) values.", _correlate1d_kernel_longer_not_swapped),
    ("mode_ignored",
     "the mode argument seems to be ignored: 'same' and 'valid' keep only part of the full "
     "output.", _correlate1d_mode_ignored),
    ("int_truncation", TRUNCATION_HINT, _correlate1d_int_truncation),
    ("all_zeros", ZEROS_HINT, _correlate1d_all_zeros),
]

# -- conv_matrix ----------------------------------------------------------------------------------


def _conv_matrix_transposed(w: Any, n: int, mode: str = "full") -> np.ndarray:
    return ref.conv_matrix(w, n, mode).T


def _conv_matrix_no_flip(w: Any, n: int, mode: str = "full") -> np.ndarray:
    return _matrix_of(lambda e: _conv1d_no_flip(e, w, mode), n)


def _conv_matrix_same_off_centre(w: Any, n: int, mode: str = "full") -> np.ndarray:
    return _matrix_of(lambda e: _conv1d_same_off_centre(e, w, mode), n)


def _conv_matrix_kernel_longer_not_swapped(w: Any, n: int, mode: str = "full") -> np.ndarray:
    return _matrix_of(lambda e: _conv1d_kernel_longer_not_swapped(e, w, mode), n)


def _conv_matrix_mode_ignored(w: Any, n: int, mode: str = "full") -> np.ndarray:
    return ref.conv_matrix(w, n, "full")


CONV_MATRIX: list[Row] = [
    ("transposed",
     "the matrix is transposed: it needs one row per output value and one column per input "
     "sample, so that M @ x is the convolution.", _conv_matrix_transposed),
    ("no_flip",
     "kernel not flipped: row i must hold w[start + i - j] in column j, the kernel reversed "
     "along the row.", _conv_matrix_no_flip),
    ("same_off_centre_even_kernel",
     "'same' rows off-centre for an even-length kernel: keep the rows of the full matrix from "
     "index (min(n, len(w)) - 1) // 2.", _conv_matrix_same_off_centre),
    ("kernel_longer_not_swapped",
     "the kernel is longer than the signal here: the 'same' and 'valid' rows follow conv1d, "
     "which swaps the roles of x and w.", _conv_matrix_kernel_longer_not_swapped),
    ("mode_ignored",
     "the mode argument seems to be ignored: 'same' and 'valid' keep only some rows of the "
     "full matrix.", _conv_matrix_mode_ignored),
]

# -- conv1d_output_length -------------------------------------------------------------------------


def _length_dilation_ignored(n: int, k: int, stride: int = 1, padding: int = 0,
                             dilation: int = 1) -> int:
    return max((n + 2 * padding - k) // stride + 1, 0)


def _length_stride_ignored(n: int, k: int, stride: int = 1, padding: int = 0,
                           dilation: int = 1) -> int:
    return max(n + 2 * padding - dilation * (k - 1), 0)


def _length_padding_once(n: int, k: int, stride: int = 1, padding: int = 0,
                         dilation: int = 1) -> int:
    return max((n + padding - dilation * (k - 1) - 1) // stride + 1, 0)


def _length_missing_plus_one(n: int, k: int, stride: int = 1, padding: int = 0,
                             dilation: int = 1) -> int:
    return max((n + 2 * padding - dilation * (k - 1) - 1) // stride, 0)


def _length_ceil_division(n: int, k: int, stride: int = 1, padding: int = 0,
                          dilation: int = 1) -> int:
    return max(-(-(n + 2 * padding - dilation * (k - 1) - 1) // stride) + 1, 0)


def _length_not_clamped(n: int, k: int, stride: int = 1, padding: int = 0,
                        dilation: int = 1) -> int:
    return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1


def _length_dilation_times_k(n: int, k: int, stride: int = 1, padding: int = 0,
                             dilation: int = 1) -> int:
    return max((n + 2 * padding - dilation * k) // stride + 1, 0)


def _unambiguous(rows: list[Row]) -> list[Row]:
    """Make each integer variant match only where no other variant gives the same number.

    Output lengths are small integers, so two mistakes often give the same wrong value (padding
    counted once and a missing + 1 agree whenever stride == padding == 1). The evidence then does
    not identify the mistake, and no hint is better than a wrong one; returning None never
    equals a student's int.
    """

    def only_if_unique(own: Callable[..., int]) -> Callable[..., int | None]:
        @functools.wraps(own)
        def variant(*args: Any, **kwargs: Any) -> int | None:
            value = own(*args, **kwargs)
            others = [fn(*args, **kwargs) for _, _, fn in rows if fn is not own]
            return None if value in others else value

        return variant

    return [(mistake_id, hint, only_if_unique(fn)) for mistake_id, hint, fn in rows]


CONV1D_OUTPUT_LENGTH: list[Row] = _unambiguous([
    ("dilation_ignored",
     "dilation ignored: a dilated kernel of k taps spans dilation * (k - 1) + 1 input samples.",
     _length_dilation_ignored),
    ("dilation_times_k",
     "the dilated kernel spans dilation * (k - 1) + 1 samples, not dilation * k: the gaps lie "
     "only between taps.", _length_dilation_times_k),
    ("stride_ignored",
     "stride ignored: consecutive outputs are stride samples apart, so divide the room left for "
     "the kernel by the stride.", _length_stride_ignored),
    ("padding_once",
     "padding counted once: `padding` zeros are added on each side, 2 * padding in total.",
     _length_padding_once),
    ("missing_plus_one",
     "missing + 1: the kernel's first position is an output too, before any stride is taken.",
     _length_missing_plus_one),
    ("ceil_division",
     "round the division down (floor, //): a partial last step does not produce an output.",
     _length_ceil_division),
    ("not_clamped",
     "when the dilated kernel does not fit in the padded input there is no output: return 0, "
     "not a negative number.", _length_not_clamped),
])

# -- conv1d_layer ---------------------------------------------------------------------------------


def _layer_forward(x: Any, kernel: Any, bias: Any, stride: int, left: int, right: int,
                   dilation: int) -> np.ndarray:
    """Cross-correlation layer with explicit left/right zero padding.

    x: (batch, steps, c_in), kernel: (k, c_in, c_out), bias: (c_out,) or None
    -> (batch, out_steps, c_out).
    """
    xf, kf = _floats(x, kernel)
    k = kf.shape[0]
    padded = np.pad(xf, ((0, 0), (left, right), (0, 0)))
    span = (k - 1) * dilation + 1
    out_steps = max((padded.shape[1] - span) // stride + 1, 0)
    starts = stride * np.arange(out_steps)
    y = np.zeros((xf.shape[0], out_steps, kf.shape[2]))
    for i in range(k):
        # Tap i of every output at once: (batch, out_steps, c_in) @ (c_in, c_out).
        y += padded[:, starts + i * dilation] @ kf[i]
    if bias is not None:
        y += np.asarray(bias, dtype=float)
    return y


def _same_split(steps: int, k: int, stride: int, dilation: int) -> int:
    """Total zeros of TensorFlow's 'same' padding."""
    out = -(-steps // stride)
    return max((out - 1) * stride + (k - 1) * dilation + 1 - steps, 0)


def _layer_pads(steps: int, k: int, stride: int, padding: str, dilation: int) -> tuple[int, int]:
    if padding == "same":
        total = _same_split(steps, k, stride, dilation)
        return total // 2, total - total // 2
    if padding == "causal":
        return (k - 1) * dilation, 0
    return 0, 0


def _layer(x: Any, kernel: Any, bias: Any = None, stride: int = 1, padding: str = "valid",
           dilation: int = 1) -> np.ndarray:
    steps, k = np.shape(x)[1], np.shape(kernel)[0]
    left, right = _layer_pads(steps, k, stride, padding, dilation)
    return _layer_forward(x, kernel, bias, stride, left, right, dilation)


def _layer_kernel_flipped(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                          padding: str = "valid", dilation: int = 1) -> np.ndarray:
    return _layer(x, np.asarray(kernel)[::-1], bias, stride, padding, dilation)


def _layer_same_extra_left(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                           padding: str = "valid", dilation: int = 1) -> np.ndarray:
    if padding != "same":
        return _layer(x, kernel, bias, stride, padding, dilation)
    total = _same_split(np.shape(x)[1], np.shape(kernel)[0], stride, dilation)
    return _layer_forward(x, kernel, bias, stride, total - total // 2, total // 2, dilation)


def _layer_same_pad_ignores_stride(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                                   padding: str = "valid", dilation: int = 1) -> np.ndarray:
    if padding != "same":
        return _layer(x, kernel, bias, stride, padding, dilation)
    total = (np.shape(kernel)[0] - 1) * dilation
    return _layer_forward(x, kernel, bias, stride, total // 2, total - total // 2, dilation)


def _layer_same_symmetric(x: Any, kernel: Any, bias: Any, stride: int, padding: str,
                          dilation: int, zeros_each_side: int) -> np.ndarray:
    if padding != "same":
        return _layer(x, kernel, bias, stride, padding, dilation)
    return _layer_forward(x, kernel, bias, stride, zeros_each_side, zeros_each_side, dilation)


def _layer_same_symmetric_floor(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                                padding: str = "valid", dilation: int = 1) -> np.ndarray:
    # PyTorch's integer padding=(k - 1) // 2 on both sides: one zero short for an even kernel.
    half = (np.shape(kernel)[0] - 1) * dilation // 2
    return _layer_same_symmetric(x, kernel, bias, stride, padding, dilation, half)


def _layer_same_symmetric_ceil(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                               padding: str = "valid", dilation: int = 1) -> np.ndarray:
    # PyTorch's integer padding=k // 2 on both sides: one zero too many for an even kernel.
    half = ((np.shape(kernel)[0] - 1) * dilation + 1) // 2
    return _layer_same_symmetric(x, kernel, bias, stride, padding, dilation, half)


def _layer_dilation_ignored(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                            padding: str = "valid", dilation: int = 1) -> np.ndarray:
    return _layer(x, kernel, bias, stride, padding, 1)


def _layer_stride_ignored(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                          padding: str = "valid", dilation: int = 1) -> np.ndarray:
    return _layer(x, kernel, bias, 1, padding, dilation)


def _layer_stride_not_in_index(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                               padding: str = "valid", dilation: int = 1) -> np.ndarray:
    # Right number of outputs, but output t reads the window at t instead of t * stride.
    steps = _layer(x, kernel, bias, stride, padding, dilation).shape[1]
    return _layer(x, kernel, bias, 1, padding, dilation)[:, :steps]


def _layer_bias_per_product(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                            padding: str = "valid", dilation: int = 1) -> np.ndarray:
    y = _layer(x, kernel, bias, stride, padding, dilation)
    if bias is None:
        return y
    k, c_in = np.shape(kernel)[:2]
    return y + (k * c_in - 1) * np.asarray(bias, dtype=float)


def _layer_bias_ignored(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                        padding: str = "valid", dilation: int = 1) -> np.ndarray:
    return _layer(x, kernel, None, stride, padding, dilation)


def _layer_causal_as_same(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                          padding: str = "valid", dilation: int = 1) -> np.ndarray:
    return _layer(x, kernel, bias, stride, "same" if padding == "causal" else padding, dilation)


def _layer_causal_pad_right(x: Any, kernel: Any, bias: Any = None, stride: int = 1,
                            padding: str = "valid", dilation: int = 1) -> np.ndarray:
    if padding != "causal":
        return _layer(x, kernel, bias, stride, padding, dilation)
    return _layer_forward(x, kernel, bias, stride, 0, (np.shape(kernel)[0] - 1) * dilation,
                          dilation)


def _layer_channels_swapped(x: Any, kernel: Any, bias: Any = None, stride: int = 1, padding: str = "valid",
                            dilation: int = 1) -> np.ndarray:
    """The kernel read as (k, c_out, c_in): only visible when c_in == c_out (else shapes fail)."""
    return ref.conv1d_layer(x, np.swapaxes(np.asarray(kernel), 1, 2), bias, stride, padding, dilation)


def _layer_channels_first(x: Any, kernel: Any, bias: Any = None, stride: int = 1, padding: str = "valid",
                          dilation: int = 1) -> np.ndarray:
    """Output laid out (batch, c_out, steps), PyTorch's order."""
    return np.swapaxes(ref.conv1d_layer(x, kernel, bias, stride, padding, dilation), 1, 2)


SYMMETRIC_SAME_HINT = ("PyTorch-style symmetric padding (the same number of zeros on both sides) "
                       "cannot give 'same' for an even kernel: TensorFlow and Keras put total // 2 "
                       "zeros on the left and the odd extra one on the right.")

CONV1D_LAYER: list[Row] = [
    ("kernel_flipped",
     "kernel flipped: Keras Conv1D computes a cross-correlation, so use kernel[i] for the input "
     "at t * stride + i * dilation without reversing the kernel.", _layer_kernel_flipped),
    ("same_extra_pad_left",
     "'same' padding puts the odd extra zero on the left; TensorFlow and Keras put total // 2 "
     "zeros on the left and the odd extra one on the right.", _layer_same_extra_left),
    ("same_pad_ignores_stride",
     "with strides, TensorFlow's 'same' pads max((out - 1) * stride + (k - 1) * dilation + 1 - "
     "steps, 0) zeros in total, with out = ceil(steps / stride), not (k - 1) * dilation.",
     _layer_same_pad_ignores_stride),
    ("same_symmetric_floor", SYMMETRIC_SAME_HINT, _layer_same_symmetric_floor),
    ("same_symmetric_ceil", SYMMETRIC_SAME_HINT, _layer_same_symmetric_ceil),
    ("dilation_ignored",
     "dilation ignored: kernel tap i reads the input at t * stride + i * dilation, so the taps "
     "are dilation steps apart.", _layer_dilation_ignored),
    ("stride_ignored",
     "stride ignored: consecutive outputs are stride input steps apart, which also divides the "
     "number of outputs by the stride.", _layer_stride_ignored),
    ("stride_not_in_index",
     "stride missing from the window position: output t starts at input step t * stride, not "
     "at t.", _layer_stride_not_in_index),
    ("bias_per_product",
     "bias added inside the sum over taps and channels: add bias[o] once per output value, "
     "after the sum.", _layer_bias_per_product),
    ("bias_ignored",
     "bias ignored: add bias[o] to every output of channel o when a bias is given.",
     _layer_bias_ignored),
    ("causal_as_same",
     "'causal' padding treated like 'same': causal pads (k - 1) * dilation zeros on the left "
     "only, so no output depends on later inputs.", _layer_causal_as_same),
    ("causal_pad_right",
     "'causal' zeros go on the left of the sequence, not on the right, so no output depends "
     "on later inputs.", _layer_causal_pad_right),
    ("channels_swapped",
     "the kernel's channel axes are swapped: Keras stores it as (k, c_in, c_out), so input "
     "channel c meets output channel o through kernel[:, c, o].", _layer_channels_swapped),
    ("channels_first_output",
     "the output is laid out (batch, channels, steps); Keras's Conv1D returns (batch, steps, "
     "channels).", _layer_channels_first),
]

# -- convolve_functions ---------------------------------------------------------------------------


def _riemann(f: Any, g: Any, t: Any, sign: float = 1.0, dt_factor: bool = True) -> np.ndarray:
    """sum_j f(t_j) g(sign * (t_i - t_j)) [* dt] for every grid point t_i: shape (len(t),)."""
    tf = np.asarray(t, dtype=float)
    lags = sign * (tf[:, None] - tf[None, :])
    g_values = np.broadcast_to(np.asarray(g(lags), dtype=float), lags.shape)
    f_values = np.broadcast_to(np.asarray(f(tf), dtype=float), tf.shape)
    total = g_values @ f_values
    return total * (tf[1] - tf[0]) if dt_factor else total


def _functions_missing_dt(f: Any, g: Any, t: Any) -> np.ndarray:
    return _riemann(f, g, t, dt_factor=False)


def _functions_mirrored_g(f: Any, g: Any, t: Any) -> np.ndarray:
    return _riemann(f, g, t, sign=-1.0)


def _functions_discrete_same(f: Any, g: Any, t: Any) -> np.ndarray:
    tf = np.asarray(t, dtype=float)
    return np.convolve(np.asarray(f(tf), dtype=float), np.asarray(g(tf), dtype=float),
                       "same") * (tf[1] - tf[0])


CONVOLVE_FUNCTIONS: list[Row] = [
    ("missing_dt",
     "missing dt factor: a Riemann sum approximates the integral only once each term is "
     "multiplied by the grid step dt = t[1] - t[0].", _functions_missing_dt),
    ("mirrored_g",
     "g evaluated at t_j - t_i: the convolution integrand is f(t_j) * g(t_i - t_j), with the "
     "output point first.", _functions_mirrored_g),
    ("discrete_same_on_grid",
     "np.convolve(f(t), g(t), 'same') * dt is only right on a grid centred at 0: evaluate g at "
     "the differences t_i - t_j instead.", _functions_discrete_same),
]

# -- moving_average -------------------------------------------------------------------------------


def _average_sum(x: Any, k: int) -> np.ndarray:
    return np.convolve(np.asarray(x, dtype=float), np.ones(k), "valid")


def _average_same(x: Any, k: int) -> np.ndarray:
    return np.convolve(np.asarray(x, dtype=float), np.full(k, 1.0 / k), "same")


def _average_full(x: Any, k: int) -> np.ndarray:
    return np.convolve(np.asarray(x, dtype=float), np.full(k, 1.0 / k), "full")


def _average_over_n(x: Any, k: int) -> np.ndarray:
    xf = np.asarray(x, dtype=float)
    return np.convolve(xf, np.ones(k), "valid") / len(xf)


def _average_missing_last_window(x: Any, k: int) -> np.ndarray:
    return ref.moving_average(x, k)[:-1]


MOVING_AVERAGE: list[Row] = [
    ("sum_not_mean",
     "window sums instead of means: divide by k (or use the kernel np.ones(k) / k).",
     _average_sum),
    ("same_not_valid",
     "'same' mode used: a moving average keeps only windows that fit entirely inside x, "
     "i.e. 'valid' mode.", _average_same),
    ("full_not_valid",
     "'full' mode used: a moving average keeps only windows that fit entirely inside x, "
     "i.e. 'valid' mode.", _average_full),
    ("missing_last_window",
     "the last window is missing: a signal of length n has n - k + 1 windows of length k.",
     _average_missing_last_window),
    ("divided_by_n",
     "each window sum is divided by the signal's length n; a window's mean divides by its own "
     "length k.", _average_over_n),
]

MISTAKES: dict[str, list[Row]] = {
    "conv1d": CONV1D,
    "correlate1d": CORRELATE1D,
    "conv_matrix": CONV_MATRIX,
    "conv1d_output_length": CONV1D_OUTPUT_LENGTH,
    "conv1d_layer": CONV1D_LAYER,
    "convolve_functions": CONVOLVE_FUNCTIONS,
    "moving_average": MOVING_AVERAGE,
}
"""Student function name -> [(mistake_id, hint, fn)], tried in order by the graders."""
