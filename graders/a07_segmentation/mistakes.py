"""Typical wrong variants of the 07_segmentation functions, so the graders can name a mistake.

`MISTAKES` maps a student function name to rows `(mistake_id, hint, fn)`; `fn` takes the student
function's own arguments under the same names (the graders replay keyword arguments) and returns
what a student who made that mistake returns (None where the row does not apply, such as a "same"
mistake on a "valid" case). A failed check names the row that reproduces the most of its failed
cases (ties: the earlier row), so rows go from specific to generic. Hints never contain expected
values. (`build_unet` mistakes are named from the model's structure, in the graders.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from solutions import segmentation as ref

Row = tuple[str, str, Callable[..., Any]]


def _pair(v: Any) -> tuple[int, int]:
    return (int(v), int(v)) if np.ndim(v) == 0 else (int(v[0]), int(v[1]))


# -- conv2d_transpose ------------------------------------------------------------------------------


def _transpose_same_crop(x: Any, kernel: Any, strides: Any, top: bool | str) -> np.ndarray:
    """The valid result cropped to H·s rows: the larger half of the excess on top when `top` is True,
    the smaller when False, nothing when "end" (all of it at the bottom)."""
    full = ref.conv2d_transpose(x, kernel, strides, "valid")
    (sh, sw), (kh, kw) = _pair(strides), np.shape(kernel)[:2]
    h, w = np.shape(x)[1] * sh, np.shape(x)[2] * sw
    cut_h, cut_w = max(kh - sh, 0), max(kw - sw, 0)
    first_h, first_w = (0, 0) if top == "end" else (-(-cut_h // 2), -(-cut_w // 2)) if top else (cut_h // 2, cut_w // 2)
    return full[:, first_h:first_h + h, first_w:first_w + w]


def _transpose_stamp_length(x: Any, kernel: Any, strides: Any = 2, padding: str = "valid") -> np.ndarray:
    """Valid output of (H - 1)·s + kh rows: the zero rows after the last stamp are missing."""
    full = ref.conv2d_transpose(x, kernel, strides, padding)
    if padding != "valid":
        return full
    (sh, sw), (kh, kw) = _pair(strides), np.shape(kernel)[:2]
    return full[:, :(np.shape(x)[1] - 1) * sh + kh, :(np.shape(x)[2] - 1) * sw + kw]


CONV2D_TRANSPOSE: list[Row] = [
    ("no_flip", "this is the zero-stuffed input correlated with the kernel as it is: written as a "
     "convolution of the stuffed input, the kernel must be flipped (or stamp the kernel at s times each "
     "input position).", lambda x, kernel, strides=2, padding="valid": ref.conv2d_transpose(
         x, np.asarray(kernel)[::-1, ::-1], strides, padding)),
    ("channels_swapped", "the kernel's channel axes are swapped: Conv2DTranspose kernels are "
     "(kh, kw, C_out, C_in), the output channels come before the input channels.",
     lambda x, kernel, strides=2, padding="valid": ref.conv2d_transpose(
         x, np.swapaxes(kernel, 2, 3), strides, padding) if np.shape(kernel)[2] == np.shape(kernel)[3] else None),
    ("stride_ignored", "the stride is ignored: each input pixel must stamp the kernel s pixels after the "
     "previous one.", lambda x, kernel, strides=2, padding="valid": ref.conv2d_transpose(x, kernel, 1, padding)),
    ("same_wrong_side", "\"same\" is cropped on the wrong side: crop floor(max(k - s, 0) / 2) rows at the "
     "top (columns at the left) and the rest at the bottom (right).",
     lambda x, kernel, strides=2, padding="valid": _transpose_same_crop(x, kernel, strides, True)
     if padding == "same" else None),
    ("stamp_length", "with a kernel smaller than the stride, \"valid\" has (H - 1)·s + max(k, s) rows: "
     "s - k zero rows follow the last stamp.", _transpose_stamp_length),
    ("same_cropped_at_end", "\"same\" keeps the first H·s rows; crop floor(max(k - s, 0) / 2) rows at the top "
     "(columns at the left) and the rest at the bottom (right).",
     lambda x, kernel, strides=2, padding="valid": _transpose_same_crop(x, kernel, strides, "end")
     if padding == "same" else None),
    ("padding_ignored", "padding is ignored: \"same\" crops the valid result to H·s rows and W·s columns.",
     lambda x, kernel, strides=2, padding="valid": ref.conv2d_transpose(x, kernel, strides, "valid")),
]

# -- conv2d_matrix ---------------------------------------------------------------------------------


def _column_major(kernel: Any, input_shape: tuple[int, int], strides: Any = 1) -> np.ndarray:
    m = ref.conv2d_matrix(kernel, input_shape, strides)
    (sh, sw), (kh, kw) = _pair(strides), np.shape(kernel)
    h, w = input_shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    rows = np.arange(oh * ow).reshape(oh, ow).ravel(order="F")
    cols = np.arange(h * w).reshape(h, w).ravel(order="F")
    return m[np.ix_(rows, cols)]


def _matrix_one_short(kernel: Any, input_shape: tuple[int, int], strides: Any = 1) -> np.ndarray:
    """The rows of the output pixels of a (Ho - 1) × (Wo - 1) output (the "+ 1" forgotten)."""
    m = ref.conv2d_matrix(kernel, input_shape, strides)
    (sh, sw), (kh, kw) = _pair(strides), np.shape(kernel)
    h, w = input_shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    return m.reshape(oh, ow, h * w)[:oh - 1, :ow - 1].reshape(-1, h * w)


CONV2D_MATRIX: list[Row] = [
    ("flipped", "the kernel is flipped: Keras' Conv2D is a cross-correlation, so the kernel is placed "
     "over each window as it is.", lambda kernel, input_shape, strides=1: ref.conv2d_matrix(
         np.asarray(kernel)[::-1, ::-1], input_shape, strides)),
    ("transposed", "the matrix is transposed: it needs one row per output pixel and one column per input "
     "pixel, shape (Ho·Wo, H·W).", lambda kernel, input_shape, strides=1: ref.conv2d_matrix(
         kernel, input_shape, strides).T),
    ("column_major", "the pixels are numbered column by column; number them row-major, as x.ravel() does "
     "(pixel (r, c) of an H×W image is r·W + c).", _column_major),
    ("stride_ignored", "the stride is ignored: output pixel (i, j) reads the window starting at (i·sh, j·sw).",
     lambda kernel, input_shape, strides=1: ref.conv2d_matrix(kernel, input_shape, 1)),
    ("one_output_short", "one output row and column are missing: a \"valid\" convolution has "
     "Ho = ⌊(H - kh) / sh⌋ + 1 output rows (Wo likewise).", _matrix_one_short),
]

# -- dilate_kernel and atrous_conv2d ---------------------------------------------------------------


def _rate_plus_one(rate: Any) -> tuple[int, int]:
    rh, rw = _pair(rate)
    return rh + 1, rw + 1


def _rate_as_stride(x: Any, kernel: Any, rate: Any, padding: str = "valid") -> np.ndarray | None:
    """A plain convolution with stride `rate` instead of taps `rate` apart."""
    if padding != "valid":
        return None
    x, kernel = np.asarray(x, dtype=float), np.asarray(kernel, dtype=float)
    (rh, rw), (kh, kw) = _pair(rate), kernel.shape[:2]
    oh, ow = (x.shape[1] - kh) // rh + 1, (x.shape[2] - kw) // rw + 1
    out = np.zeros((x.shape[0], oh, ow, kernel.shape[3]))
    for a in range(kh):
        for b in range(kw):
            out += x[:, a:a + (oh - 1) * rh + 1:rh, b:b + (ow - 1) * rw + 1:rw, :] @ kernel[a, b]
    return out


def _same_larger_half_first(x: Any, kernel: Any, rate: Any, padding: str = "valid") -> np.ndarray | None:
    if padding != "same":
        return None
    (rh, rw), (kh, kw) = _pair(rate), np.shape(kernel)[:2]
    ph, pw = rh * (kh - 1), rw * (kw - 1)
    padded = np.pad(np.asarray(x, dtype=float), ((0, 0), (ph - ph // 2, ph // 2), (pw - pw // 2, pw // 2), (0, 0)))
    return ref.atrous_conv2d(padded, kernel, rate, "valid")


def _trailing_zeros(kernel: Any, rate: Any) -> np.ndarray:
    """A (rh·kh, rw·kw) kernel: r - 1 zero rows (columns) after the last tap too."""
    (rh, rw), kernel = _pair(rate), np.asarray(kernel)
    out = np.zeros((rh * kernel.shape[0], rw * kernel.shape[1], *kernel.shape[2:]), dtype=kernel.dtype)
    out[::rh, ::rw] = kernel
    return out


def _swapped(rate: Any) -> Any:
    return rate if np.ndim(rate) == 0 else (rate[1], rate[0])


def _same_pad_without_rate(x: Any, kernel: Any, rate: Any, padding: str = "valid") -> np.ndarray | None:
    if padding != "same":
        return None
    kh, kw = np.shape(kernel)[:2]
    ph, pw = kh - 1, kw - 1
    padded = np.pad(np.asarray(x, dtype=float), ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    return ref.atrous_conv2d(padded, kernel, rate, "valid")


DILATE_KERNEL: list[Row] = [
    ("rate_zeros", "rate zeros were inserted between taps; a rate of r puts r - 1 zeros between "
     "neighbouring taps (rate 1 is the kernel itself).",
     lambda kernel, rate: ref.dilate_kernel(kernel, _rate_plus_one(rate))),
    ("rates_swapped", "the two rates are swapped: rate = (rh, rw) spaces the rows rh apart and the columns rw "
     "apart.", lambda kernel, rate: ref.dilate_kernel(kernel, _swapped(rate))),
    ("trailing_zeros", "zeros follow the last tap too: the dilated kernel has rh·(kh - 1) + 1 rows "
     "(rw·(kw - 1) + 1 columns), with zeros only between taps.", _trailing_zeros),
]

ATROUS_CONV2D: list[Row] = [
    ("rate_as_stride", "the rate was used as a stride: an atrous convolution spaces the kernel's taps r "
     "pixels apart and still slides one pixel at a time.", _rate_as_stride),
    ("rate_zeros", "the taps are r + 1 pixels apart: a rate of r puts r - 1 zeros between taps.",
     lambda x, kernel, rate, padding="valid": ref.atrous_conv2d(x, kernel, _rate_plus_one(rate), padding)),
    ("same_larger_half_first", "\"same\" pads the larger half on top (left); Keras pads the smaller half "
     "on top and the rest at the bottom.", _same_larger_half_first),
    ("same_pad_without_rate", "\"same\" padded k - 1 rows in all; the dilated kernel spans r·(k - 1) + 1 "
     "pixels, so pad r·(k - 1) to keep the size.", _same_pad_without_rate),
    ("padding_ignored", "padding is ignored: \"same\" pads r·(k - 1) rows and columns in all, so the output "
     "keeps the input's size.", lambda x, kernel, rate, padding="valid": ref.atrous_conv2d(x, kernel, rate, "valid")),
    ("flipped", "the kernel is flipped: Keras' Conv2D is a cross-correlation, so tap (a, b) reads pixel "
     "(i + a·r, j + b·r) as it is.", lambda x, kernel, rate, padding="valid": ref.atrous_conv2d(
         x, np.asarray(kernel)[::-1, ::-1], rate, padding)),
    ("rates_swapped", "the two rates are swapped: rate = (rh, rw) spaces the taps rh rows and rw columns apart.",
     lambda x, kernel, rate, padding="valid": ref.atrous_conv2d(x, kernel, _swapped(rate), padding)),
]

# -- upsample --------------------------------------------------------------------------------------


def _bilinear_with(x: Any, factor: Any, source: Callable[[np.ndarray, int, int], np.ndarray],
                   clamp: bool = True) -> np.ndarray:
    """Bilinear upsampling reading source position `source(i, n, f)` for output i; unclamped, a position
    before the first pixel reads row -1, which numpy takes from the other end."""
    x = np.asarray(x, dtype=float)
    for axis, f in zip((1, 2), _pair(factor)):
        n = x.shape[axis]
        pos = source(np.arange(n * f), n, f)
        pos = np.clip(pos, 0, n - 1) if clamp else pos
        low = np.floor(pos).astype(int)
        high = np.minimum(low + 1, n - 1)
        shape = [1] * x.ndim
        shape[axis] = n * f
        weight = (pos - low).reshape(shape)
        x = np.take(x, low, axis=axis) * (1 - weight) + np.take(x, high, axis=axis) * weight
    return x


UPSAMPLE: list[Row] = [
    ("tile", "np.tile repeats the whole image side by side; repeat each pixel instead (np.repeat on axes 1 "
     "and 2).", lambda x, factor, method="nearest": np.tile(x, (1, *_pair(factor), 1))),
    ("align_corners", "this is bilinear with aligned corners (first and last pixels map onto each "
     "other); Keras uses half-pixel centres: output i reads source (i + 0.5) / f - 0.5.",
     lambda x, factor, method="nearest": _bilinear_with(
         x, factor, lambda i, n, f: i * (n - 1) / max(n * f - 1, 1)) if method == "bilinear" else None),
    ("asymmetric", "output pixel i read source position i / f (no half-pixel centres); Keras reads "
     "(i + 0.5) / f - 0.5.", lambda x, factor, method="nearest": _bilinear_with(
         x, factor, lambda i, n, f: i / f) if method == "bilinear" else None),
    ("nearest", "this is nearest-neighbour upsampling, but method='bilinear' was asked.",
     lambda x, factor, method="nearest": ref.upsample(x, factor, "nearest")),
    ("not_clamped", "the source positions are not clamped: before the first pixel (and after the last) "
     "clamp them to [0, H - 1], so the edge rows repeat.", lambda x, factor, method="nearest": _bilinear_with(
         x, factor, lambda i, n, f: (i + 0.5) / f - 0.5, clamp=False) if method == "bilinear" else None),
    ("factors_swapped", "the two factors are swapped: factor = (fh, fw) repeats the rows fh times and the "
     "columns fw times.", lambda x, factor, method="nearest": ref.upsample(x, _swapped(factor), method)),
    ("batch_axis", "the batch axis was upsampled: the rows and columns of (N, H, W, C) maps are axes 1 and 2.",
     lambda x, factor, method="nearest": np.asarray(x, float).repeat(_pair(factor)[0], axis=0).repeat(
         _pair(factor)[1], axis=1) if method == "nearest" else None),
    ("channels_axis", "the channels were repeated instead of the columns: the maps are (N, H, W, C), so the "
     "columns are axis 2, not the last axis.",
     lambda x, factor, method="nearest": np.asarray(x, float).repeat(_pair(factor)[0], axis=1).repeat(
         _pair(factor)[1], axis=3) if method == "nearest" else None),
]

# -- metrics ---------------------------------------------------------------------------------------


def _cm(t: Any, p: Any, n: int) -> np.ndarray:
    return ref.segmentation_confusion(t, p, n).astype(float)


def _iou_sum_union(t: Any, p: Any, n: int) -> np.ndarray:
    cm = _cm(t, p, n)
    union = cm.sum(0) + cm.sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, np.diag(cm) / np.where(union > 0, union, 1), np.nan)


def _iou_over_truth(t: Any, p: Any, n: int) -> np.ndarray:
    cm = _cm(t, p, n)
    size = cm.sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(size > 0, np.diag(cm) / np.where(size > 0, size, 1), np.nan)


def _mean_iou_per_image(t: Any, p: Any, n: int) -> float | None:
    """The mean over the images (axis 0 of 3-D maps) of each image's mean IoU; None for other maps."""
    t, p = np.asarray(t), np.asarray(p)
    if t.ndim != 3:
        return None
    return float(np.mean([ref.mean_iou(a, b, n) for a, b in zip(t, p, strict=True)]))


def _absent_as(value: float) -> Callable[..., float]:
    def fn(t: Any, p: Any, n: int) -> float:
        return float(np.mean(np.nan_to_num(ref.iou_per_class(t, p, n), nan=value)))
    return fn


def _pairs_once(t: Any, p: Any, n: int) -> np.ndarray:
    """cm[t, p] += 1 with index arrays: a (true, predicted) pair that repeats is added once."""
    cm = np.zeros((n, n), dtype=np.int64)
    cm[np.asarray(t).astype(np.int64).ravel(), np.asarray(p).astype(np.int64).ravel()] += 1
    return cm


def _class_accuracy(t: Any, p: Any) -> float:
    """The mean over the true classes of the share of their pixels predicted right."""
    t, p = np.asarray(t).ravel(), np.asarray(p).ravel()
    return float(np.mean([np.mean(p[t == c] == c) for c in np.unique(t)]))


SEGMENTATION_CONFUSION: list[Row] = [
    ("transposed", "the matrix is transposed: rows must be the true classes and columns the predictions "
     "(cm[true, predicted]).", lambda t, p, n: ref.segmentation_confusion(t, p, n).T),
    ("size_from_labels", "the size comes from the labels seen (max + 1), not from n_classes: classes that "
     "never occur still need their row and column.",
     lambda t, p, n: ref.segmentation_confusion(t, p, int(max(np.max(t), np.max(p))) + 1)),
    ("pairs_counted_once", "cm[y_true, y_pred] += 1 adds 1 once per distinct pair, however often it repeats; "
     "count every pixel (np.add.at, or np.bincount of true·n + predicted).", _pairs_once),
    ("normalised", "the rows are normalised to proportions; return the raw pixel counts.",
     lambda t, p, n: _cm(t, p, n) / np.maximum(_cm(t, p, n).sum(1, keepdims=True), 1)),
]

PIXEL_ACCURACY: list[Row] = [
    ("no_background", "only the pixels of the shapes were counted: pixel accuracy counts every pixel, "
     "background included.", lambda t, p: float(np.mean(np.asarray(p)[np.asarray(t) != 0] == np.asarray(t)[np.asarray(t) != 0]))),
    ("mean_class_accuracy", "this is the mean over the classes of each class's accuracy; pixel accuracy is the "
     "share of all pixels predicted right, whatever their class.", _class_accuracy),
    ("count", "this is the number of pixels predicted right; divide by the number of pixels.",
     lambda t, p: float(np.sum(np.asarray(t) == np.asarray(p)))),
]

IOU_PER_CLASS: list[Row] = [
    ("sum_union", "the union was taken as |A| + |B|, which counts the intersection twice: "
     "|A ∪ B| = |A| + |B| - |A ∩ B|.", _iou_sum_union),
    ("absent_zero", "a class absent from both maps has an empty union: its IoU is undefined (NaN), "
     "not 0.", lambda t, p, n: np.nan_to_num(ref.iou_per_class(t, p, n), nan=0.0)),
    ("absent_one", "a class absent from both maps has an empty union: its IoU is undefined (NaN), "
     "not 1.", lambda t, p, n: np.nan_to_num(ref.iou_per_class(t, p, n), nan=1.0)),
    ("dice", "this is the Dice coefficient, 2·|A ∩ B| / (|A| + |B|); IoU is |A ∩ B| / |A ∪ B|.",
     lambda t, p, n: ref.dice_per_class(t, p, n)),
    ("over_truth", "the intersection was divided by the true class's pixels only (a recall); divide by the "
     "union of the true and the predicted pixels.", _iou_over_truth),
]

MEAN_IOU: list[Row] = [
    ("absent_zero", "classes absent from both maps were counted as IoU 0; leave them out of the mean "
     "(np.nanmean), as keras.metrics.MeanIoU does.", _absent_as(0.0)),
    ("absent_one", "classes absent from both maps were counted as IoU 1; leave them out of the mean "
     "(np.nanmean), as keras.metrics.MeanIoU does.", _absent_as(1.0)),
    ("sum_union", "the union was taken as |A| + |B|, which counts the intersection twice.",
     lambda t, p, n: float(np.nanmean(_iou_sum_union(t, p, n)))),
    ("no_background", "the background class was left out of the mean; MeanIoU averages over every class "
     "present, background included.", lambda t, p, n: float(np.nanmean(ref.iou_per_class(t, p, n)[1:]))),
    ("truth_classes_only", "only the classes of the true map were averaged; a class only in the prediction "
     "has IoU 0 and counts too (every class present in either map).",
     lambda t, p, n: float(np.mean(ref.iou_per_class(t, p, n)[np.unique(np.asarray(t).astype(np.int64))]))),
    ("per_image", "the mean IoU was computed per image and then averaged; compute it once, over the pixels of "
     "all images together.", _mean_iou_per_image),
]

DICE_PER_CLASS: list[Row] = [
    ("equals_iou", "this is the IoU: Dice is 2·|A ∩ B| / (|A| + |B|) (Dice = 2·IoU / (1 + IoU)).",
     lambda t, p, n: ref.iou_per_class(t, p, n)),
    ("no_factor_two", "the factor 2 is missing: Dice is 2·|A ∩ B| / (|A| + |B|), so a perfect match "
     "gives 1.", lambda t, p, n: ref.dice_per_class(t, p, n) / 2),
    ("absent_zero", "a class absent from both maps has Dice 0/0: undefined (NaN), not 0.",
     lambda t, p, n: np.nan_to_num(ref.dice_per_class(t, p, n), nan=0.0)),
    ("absent_one", "a class absent from both maps has Dice 0/0: undefined (NaN), not 1.",
     lambda t, p, n: np.nan_to_num(ref.dice_per_class(t, p, n), nan=1.0)),
    ("union_denominator", "the denominator is the union |A ∪ B|; Dice divides 2·|A ∩ B| by |A| + |B|, the "
     "sizes of both sets.", lambda t, p, n: 2 * ref.iou_per_class(t, p, n)),
]

# -- unet_param_count ------------------------------------------------------------------------------


def _count(input_channels: int, n_classes: int, depth: int = 2, base_filters: int = 8, skips: bool = True,
           bias: bool = True, skip_channels: bool = True, up_kernel: int = 2, bottleneck: bool = True,
           output: bool = True, doubling: bool = True) -> int:
    def conv(k: int, c_in: int, c_out: int) -> int:
        return k * k * c_in * c_out + (c_out if bias else 0)

    def filters(d: int) -> int:
        return base_filters * 2**d if doubling else base_filters

    total, channels = 0, input_channels
    for d in range(depth + 1 if bottleneck else depth):
        total += conv(3, channels, filters(d)) + conv(3, filters(d), filters(d))
        channels = filters(d)
    for d in reversed(range(depth)):
        f = filters(d)
        total += conv(up_kernel, channels, f) + conv(3, 2 * f if skips and skip_channels else f, f) + conv(3, f, f)
        channels = f
    return total + (conv(1, channels, n_classes) if output else 0)


def _unet_args(input_channels: int, n_classes: int, depth: int = 2, base_filters: int = 8,
               skips: bool = True) -> dict[str, Any]:
    return {"input_channels": input_channels, "n_classes": n_classes, "depth": depth, "base_filters": base_filters,
            "skips": skips}


UNET_PARAM_COUNT: list[Row] = [
    ("no_bias", "the bias terms are missing: every Conv2D and Conv2DTranspose has one bias per filter "
     "(k·k·c_in·c_out + c_out).", lambda *a, **k: _count(*a, **k, bias=False)),
    ("skip_channels", "the skip connections were not counted: after the Concatenate, the first "
     "convolution of a decoder level reads twice the channels.", lambda *a, **k: _count(*a, **k, skip_channels=False)),
    ("up_kernel_3", "the transposed convolution was counted with a 3×3 kernel; it is 2×2.",
     lambda *a, **k: _count(*a, **k, up_kernel=3)),
    ("skips_ignored", "skips is ignored: without skip connections the first convolution of a decoder level "
     "reads only the upsampled channels.", lambda *a, **k: _count(**{**_unet_args(*a, **k), "skips": True})),
    ("no_bottleneck", "the bottleneck was not counted: two 3×3 convolutions with base_filters·2^depth filters "
     "sit between the encoder and the decoder.", lambda *a, **k: _count(*a, **k, bottleneck=False)),
    ("no_output_layer", "the output layer was not counted: a 1×1 Conv2D with n_classes filters (and their "
     "biases) ends the U-Net.", lambda *a, **k: _count(*a, **k, output=False)),
    ("filters_not_doubled", "every level was counted with base_filters; level d has base_filters·2^d filters.",
     lambda *a, **k: _count(*a, **k, doubling=False)),
    ("input_channels_ignored", "input_channels is ignored: the first convolution reads input_channels "
     "channels (3·3·input_channels·f + f parameters).",
     lambda *a, **k: _count(**{**_unet_args(*a, **k), "input_channels": 1})),
]

MISTAKES: dict[str, list[Row]] = {
    "conv2d_transpose": CONV2D_TRANSPOSE,
    "conv2d_matrix": CONV2D_MATRIX,
    "dilate_kernel": DILATE_KERNEL,
    "atrous_conv2d": ATROUS_CONV2D,
    "upsample": UPSAMPLE,
    "segmentation_confusion": SEGMENTATION_CONFUSION,
    "pixel_accuracy": PIXEL_ACCURACY,
    "iou_per_class": IOU_PER_CLASS,
    "mean_iou": MEAN_IOU,
    "dice_per_class": DICE_PER_CLASS,
    "unet_param_count": UNET_PARAM_COUNT,
}
