"""Reference solutions for assignment 07_segmentation (semantic segmentation).

Conventions used throughout:

* Images and feature maps are channels-last batches ``(N, H, W, C)``.
* Kernels use the Keras layouts: ``Conv2D`` ``(kh, kw, C_in, C_out)``, ``Conv2DTranspose``
  ``(kh, kw, C_out, C_in)``. ``Conv2D`` is a cross-correlation (the kernel is not flipped).
* Strides, rates and factors are an int or an ``(rows, columns)`` pair.
* A label map holds one class index ``0 .. n_classes - 1`` per pixel; a confusion matrix has the
  true class on the rows and the predicted class on the columns.

Each function is self-contained (it may call other functions of this module by name), because its
body is pasted into the solution cell of the notebook, whose setup cell imports ``numpy as np`` and
``keras``. Only ``build_unet`` uses Keras; ``tests/test_reference_segmentation.py`` proves every
numpy function equal to the Keras layer or metric it stands for.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import keras
else:

    class _LazyKeras(ModuleType):
        """`keras`, imported on first use: the graders use this module's numpy functions without
        loading TensorFlow."""

        def __getattr__(self, name: str) -> Any:
            return getattr(importlib.import_module("keras"), name)

    keras = _LazyKeras("keras")


def conv2d_transpose(x: np.ndarray, kernel: np.ndarray, strides: int | tuple[int, int] = 2,
                     padding: str = "valid") -> np.ndarray:
    """A transposed convolution, as ``keras.layers.Conv2DTranspose(..., use_bias=False)``.

    Each input pixel *stamps* the kernel, scaled by its value, onto the output grid at ``s`` times
    its position; overlapping stamps add up. "valid" keeps every stamp: ``(H - 1)·s + max(kh, s)``
    rows (when the kernel is smaller than the stride, ``s - kh`` zero rows follow the last stamp).
    "same" gives ``H·s`` rows: the valid result with ``⌊max(kh - s, 0) / 2⌋`` rows cropped at the
    top and the rest at the bottom (columns likewise: left, then right).

    Args:
        x: input maps, shape (N, H, W, C_in).
        kernel: shape (kh, kw, C_out, C_in) (the layout of ``Conv2DTranspose``).
        strides: int or (sh, sw).
        padding: "valid" or "same".

    Returns:
        float array of shape (N, Ho, Wo, C_out).
    """
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, _ = x.shape
    kh, kw, c_out, _ = kernel.shape
    rows, cols = (h - 1) * sh + max(kh, sh), (w - 1) * sw + max(kw, sw)
    out = np.zeros((n, rows, cols, c_out))
    # One stamp per kernel tap: tap (a, b) of every input pixel lands at (i·sh + a, j·sw + b).
    for a in range(kh):
        for b in range(kw):
            out[:, a:a + (h - 1) * sh + 1:sh, b:b + (w - 1) * sw + 1:sw, :] += x @ kernel[a, b].T
    if padding == "same":
        top, left = max(kh - sh, 0) // 2, max(kw - sw, 0) // 2
        out = out[:, top:top + h * sh, left:left + w * sw, :]
    elif padding != "valid":
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    return out


def conv2d_matrix(kernel: np.ndarray, input_shape: tuple[int, int],
                  strides: int | tuple[int, int] = 1) -> np.ndarray:
    """The matrix of a one-channel "valid" convolution (Keras' cross-correlation).

    Pixels are numbered row-major (as ``x.ravel()``), so ``M @ x.ravel()`` equals
    ``Conv2D(1, (kh, kw), strides, "valid", use_bias=False)(x).ravel()``. Row ``p`` of ``M``
    holds the kernel placed over the window of output pixel ``p``; its transpose ``M.T`` spreads
    each output pixel back over its window, which is what a *transposed* convolution does.

    Args:
        kernel: shape (kh, kw).
        input_shape: (H, W), with H >= kh and W >= kw.
        strides: int or (sh, sw).

    Returns:
        float array of shape (Ho·Wo, H·W), with Ho = ⌊(H - kh) / sh⌋ + 1 (Wo likewise).
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    h, w = input_shape
    kh, kw = kernel.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    matrix = np.zeros((oh, ow, h, w))
    for i in range(oh):
        for j in range(ow):
            matrix[i, j, i * sh:i * sh + kh, j * sw:j * sw + kw] = kernel
    return matrix.reshape(oh * ow, h * w)


def dilate_kernel(kernel: np.ndarray, rate: int | tuple[int, int]) -> np.ndarray:
    """The kernel with ``rate - 1`` zeros between neighbouring taps (rows and columns).

    Args:
        kernel: shape (kh, kw, ...) (any trailing axes, e.g. C_in and C_out, are kept).
        rate: int or (rh, rw), each >= 1.

    Returns:
        array of shape (rh·(kh - 1) + 1, rw·(kw - 1) + 1, ...), the kernel's dtype.
    """
    kernel = np.asarray(kernel)
    rh, rw = (rate, rate) if np.ndim(rate) == 0 else rate
    kh, kw = kernel.shape[:2]
    out = np.zeros((rh * (kh - 1) + 1, rw * (kw - 1) + 1, *kernel.shape[2:]), dtype=kernel.dtype)
    out[::rh, ::rw] = kernel
    return out


def atrous_conv2d(x: np.ndarray, kernel: np.ndarray, rate: int | tuple[int, int],
                  padding: str = "valid") -> np.ndarray:
    """An atrous (dilated) convolution, as ``Conv2D(..., dilation_rate=rate, use_bias=False)``.

    The taps of the kernel are ``rate`` pixels apart, so a k×k kernel covers ``r·(k - 1) + 1``
    pixels with the same k·k weights. "same" pads ``r·(k - 1)`` rows in total, the smaller half on
    top (columns likewise, the smaller half on the left), so the output keeps the input's size.

    Args:
        x: input maps, shape (N, H, W, C_in).
        kernel: shape (kh, kw, C_in, C_out).
        rate: int or (rh, rw), each >= 1.
        padding: "valid" or "same".

    Returns:
        float array of shape (N, Ho, Wo, C_out).
    """
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    rh, rw = (rate, rate) if np.ndim(rate) == 0 else rate
    kh, kw = kernel.shape[:2]
    span_h, span_w = rh * (kh - 1) + 1, rw * (kw - 1) + 1
    if padding == "same":
        ph, pw = span_h - 1, span_w - 1
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    elif padding != "valid":
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    oh, ow = x.shape[1] - span_h + 1, x.shape[2] - span_w + 1
    out = np.zeros((x.shape[0], oh, ow, kernel.shape[3]))
    for a in range(kh):
        for b in range(kw):
            out += x[:, a * rh:a * rh + oh, b * rw:b * rw + ow, :] @ kernel[a, b]
    return out


def upsample(x: np.ndarray, factor: int | tuple[int, int], method: str = "nearest") -> np.ndarray:
    """``keras.layers.UpSampling2D(size=factor, interpolation=method)`` in numpy.

    "nearest" repeats every pixel into a block of fh × fw. "bilinear" uses half-pixel centres
    (as Keras 3 does): output row i reads the source position ``(i + 0.5) / f - 0.5``, clamped to
    ``[0, H - 1]``, and mixes the two nearest rows linearly (columns likewise), so the edge rows
    repeat. Example: [0, 1, 2, 10] ×3 → [0, 0, .33, .67, 1, 1.33, 1.67, 2, 4.67, 7.33, 10, 10].

    Args:
        x: shape (N, H, W, C).
        factor: int or (fh, fw), each >= 1.
        method: "nearest" or "bilinear".

    Returns:
        float array of shape (N, H·fh, W·fw, C).
    """
    x = np.asarray(x, dtype=np.float64)
    fh, fw = (factor, factor) if np.ndim(factor) == 0 else factor
    if method == "nearest":
        return x.repeat(fh, axis=1).repeat(fw, axis=2)
    if method != "bilinear":
        raise ValueError(f"method must be 'nearest' or 'bilinear', got {method!r}")
    for axis, f in ((1, fh), (2, fw)):
        n = x.shape[axis]
        source = np.clip((np.arange(n * f) + 0.5) / f - 0.5, 0, n - 1)
        low = np.floor(source).astype(int)
        high = np.minimum(low + 1, n - 1)
        shape = [1] * x.ndim
        shape[axis] = n * f
        weight = (source - low).reshape(shape)
        x = np.take(x, low, axis=axis) * (1 - weight) + np.take(x, high, axis=axis) * weight
    return x


def segmentation_confusion(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Pixel counts per (true class, predicted class) over all pixels of all images.

    Args:
        y_true: integer label map(s), any shape, values 0 .. n_classes - 1.
        y_pred: integer label map(s) of the same shape.
        n_classes: number of classes; classes that never occur still get a row and a column.

    Returns:
        int64 array (n_classes, n_classes): ``cm[i, j]`` pixels of class i predicted as j.
    """
    y_true = np.asarray(y_true).astype(np.int64).ravel()
    y_pred = np.asarray(y_pred).astype(np.int64).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must have the same shape")
    # bincount of true·n + predicted counts every pair at once.
    counts = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes).astype(np.int64)


def pixel_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """The fraction of pixels (background included) whose predicted class is the true one.

    Args:
        y_true: integer label map(s), any shape.
        y_pred: integer label map(s) of the same shape.

    Returns:
        float in [0, 1].
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must have the same shape")
    return float(np.mean(y_true == y_pred))


def iou_per_class(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Intersection over union of each class: |true ∩ predicted| / |true ∪ predicted|.

    A class absent from both maps has an empty union: its IoU is NaN (undefined, not 0 or 1).
    A class only in the prediction gets 0.

    Args:
        y_true: integer label map(s), any shape, values 0 .. n_classes - 1.
        y_pred: integer label map(s) of the same shape.
        n_classes: number of classes.

    Returns:
        float array (n_classes,), NaN for classes absent from both maps.
    """
    cm = segmentation_confusion(y_true, y_pred, n_classes).astype(np.float64)
    intersection = np.diag(cm)
    union = cm.sum(axis=0) + cm.sum(axis=1) - intersection
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, intersection / np.where(union > 0, union, 1), np.nan)


def mean_iou(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> float:
    """The mean of the per-class IoU over the classes present in either map (NaNs left out).

    This is what ``keras.metrics.MeanIoU(n_classes)`` reports after one update.

    Args:
        y_true: integer label map(s), any shape, values 0 .. n_classes - 1.
        y_pred: integer label map(s) of the same shape.
        n_classes: number of classes.

    Returns:
        float in [0, 1].
    """
    return float(np.nanmean(iou_per_class(y_true, y_pred, n_classes)))


def dice_per_class(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Dice coefficient of each class: 2·|true ∩ predicted| / (|true| + |predicted|).

    Dice = 2·IoU / (1 + IoU): the same ranking as IoU, but less harsh on partial overlaps.
    NaN for a class absent from both maps; 0 for a class only in one of them.

    Args:
        y_true: integer label map(s), any shape, values 0 .. n_classes - 1.
        y_pred: integer label map(s) of the same shape.
        n_classes: number of classes.

    Returns:
        float array (n_classes,).
    """
    cm = segmentation_confusion(y_true, y_pred, n_classes).astype(np.float64)
    sizes = cm.sum(axis=0) + cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sizes > 0, 2 * np.diag(cm) / np.where(sizes > 0, sizes, 1), np.nan)


def unet_param_count(input_channels: int, n_classes: int, depth: int = 2, base_filters: int = 8,
                     skips: bool = True) -> int:
    """The number of trainable parameters of ``build_unet`` with the same arguments, by formula.

    A ``Conv2D`` with k×k kernels from c to f channels has ``k·k·c·f + f`` parameters (a bias per
    filter); so has a ``Conv2DTranspose``. Pooling, upsampling and concatenation have none. A skip
    connection doubles the channels the first convolution of its decoder level reads.

    Args:
        input_channels: channels of the input image.
        n_classes: number of output classes.
        depth, base_filters, skips: as in ``build_unet``.

    Returns:
        int, equal to ``build_unet((H, W, input_channels), n_classes, ...).count_params()``.
    """
    def conv(k: int, c_in: int, c_out: int) -> int:
        return k * k * c_in * c_out + c_out

    total, channels = 0, input_channels
    for d in range(depth):  # encoder
        f = base_filters * 2**d
        total += conv(3, channels, f) + conv(3, f, f)
        channels = f
    f = base_filters * 2**depth  # bottleneck
    total += conv(3, channels, f) + conv(3, f, f)
    channels = f
    for d in reversed(range(depth)):  # decoder
        f = base_filters * 2**d
        total += conv(2, channels, f)
        total += conv(3, 2 * f if skips else f, f) + conv(3, f, f)
        channels = f
    return total + conv(1, channels, n_classes)


def build_unet(input_shape: tuple, n_classes: int, depth: int = 2, base_filters: int = 8,
               skips: bool = True) -> keras.Model:
    """A U-Net: an encoder that halves the map ``depth`` times, a decoder that doubles it back.

    Encoder level d = 0 … depth - 1: two ``Conv2D(base_filters·2^d, 3, padding="same",
    activation="relu")``, then ``MaxPooling2D(2)``. Bottleneck: two such convolutions with
    ``base_filters·2^depth`` filters. Decoder level d = depth - 1 … 0:
    ``Conv2DTranspose(base_filters·2^d, 2, strides=2)`` (no activation), then, with ``skips``,
    ``Concatenate()([upsampled, encoder level d's output before its pooling])``, then two
    convolutions with ``base_filters·2^d`` filters. Output: ``Conv2D(n_classes, 1,
    activation="softmax")``, one probability per class and pixel.

    Args:
        input_shape: (H, W, C); H and W multiples of 2**depth, or None.
        n_classes: number of classes (background included).
        depth: number of poolings (>= 1).
        base_filters: filters of the first level.
        skips: concatenate each encoder level's maps into the decoder level of the same size.

    Returns:
        A functional ``keras.Model`` (not compiled) mapping (N, H, W, C) to (N, H, W, n_classes).
    """
    layers = keras.layers
    inputs = keras.Input(shape=tuple(input_shape))
    x, saved = inputs, []
    for d in range(depth):
        for _ in range(2):
            x = layers.Conv2D(base_filters * 2**d, 3, padding="same", activation="relu")(x)
        saved.append(x)  # the full-resolution maps of this level, before pooling
        x = layers.MaxPooling2D(2)(x)
    for _ in range(2):
        x = layers.Conv2D(base_filters * 2**depth, 3, padding="same", activation="relu")(x)
    for d in reversed(range(depth)):
        x = layers.Conv2DTranspose(base_filters * 2**d, 2, strides=2)(x)
        if skips:
            x = layers.Concatenate()([x, saved[d]])
        for _ in range(2):
            x = layers.Conv2D(base_filters * 2**d, 3, padding="same", activation="relu")(x)
    outputs = layers.Conv2D(n_classes, 1, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)
