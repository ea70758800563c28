"""Known wrong variants of the tasks of 04_stacked_convs, replayed on a failing case to name the mistake.

`MISTAKES` maps a student function name to rows `(mistake_id, hint, fn)`; `fn` takes the student
function's arguments. A check names the row that reproduces the most of its failed cases (ties: the
earlier row), so rows go from specific to generic. Hints are one sentence and never contain expected
values. Rows never raise on the hidden cases: where the student's code would crash they return
`CRASHES`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from solutions import stacked_convs as ref

Row = tuple[str, str, Callable[..., Any]]

# What a row returns where its mistake makes the student's code crash (a 3D map fed to the next layer,
# a map smaller than the kernel):
# no student returns a 0-d NaN, so it matches nobody, and it differs from every expected result.
CRASHES = np.array(np.nan)

# -- shared wrong building blocks ------------------------------------------------------------------


def _pads(size: int, k: int, s: int, d: int, padding: str, extra_before: bool = False,
          same_ignores_stride: bool = False, same_floor: bool = False, valid_short: bool = False
          ) -> tuple[int, int, int]:
    """(output size, zeros before, zeros after) along one axis for a conv / pool window.

    same_floor: 'same' keeps size // s outputs (and TensorFlow's padding for that many);
    valid_short: 'valid' keeps (size - span) // s outputs, the + 1 forgotten.
    """
    span = d * (k - 1) + 1
    if padding != "same":
        return (size - span) // s + (0 if valid_short else 1), 0, 0
    out = size // s if same_floor else -(-size // s)
    total = span - 1 if same_ignores_stride else max((out - 1) * s + span - size, 0)
    before = total - total // 2 if extra_before else total // 2
    if not same_floor:
        out = (size + total - span) // s + 1
    return out, before, total - before


def _conv2d(a: np.ndarray, kernel: np.ndarray, bias: Any, s: int = 1, d: int = 1, padding: str = "valid",
            flip: bool = False, extra_before: bool = False) -> np.ndarray:
    """Keras-style conv (or a wrong variant of it): a (N, H, W, C) -> (N, H', W', F)."""
    kernel = np.asarray(kernel, dtype=float)
    if flip:
        kernel = kernel[::-1, ::-1]
    kh, kw, _, f = kernel.shape
    out_h, top, bottom = _pads(a.shape[1], kh, s, d, padding, extra_before)
    out_w, left, right = _pads(a.shape[2], kw, s, d, padding, extra_before)
    padded = np.pad(a, ((0, 0), (top, bottom), (left, right), (0, 0)))
    y = np.zeros((a.shape[0], out_h, out_w, f))
    for i in range(kh):
        for j in range(kw):
            y += padded[:, i * d : i * d + (out_h - 1) * s + 1 : s, j * d : j * d + (out_w - 1) * s + 1 : s, :] @ kernel[i, j]
    if bias is not None:
        y += np.asarray(bias, dtype=float)
    return y


def _pool(x: Any, pool_size: int = 2, strides: int | None = None, padding: str = "valid", *, op: str = "max",
          default_stride_one: bool = False, zero_pad: bool = False, full_window: bool = False,
          extra_before: bool = False, over_channels: bool = False, ignore_padding: bool = False,
          strides_ignored: bool = False, same_floor: bool = False, valid_short: bool = False,
          no_divide: bool = False) -> np.ndarray:
    """Pooling with one wrong choice switched on: (N, H, W, C) -> (N, H', W', C)."""
    x = np.asarray(x, dtype=float)
    p = pool_size
    s = strides if strides is not None and not strides_ignored else (1 if default_stride_one else p)
    if ignore_padding:
        padding = "valid"
    out_h, top, bottom = _pads(x.shape[1], p, s, 1, padding, extra_before, same_floor=same_floor,
                               valid_short=valid_short)
    out_w, left, right = _pads(x.shape[2], p, s, 1, padding, extra_before, same_floor=same_floor,
                               valid_short=valid_short)
    fill = 0.0 if (op == "avg" or zero_pad) else -np.inf
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
    real = np.pad(np.ones(x.shape[1:3]), ((top, bottom), (left, right)))
    y = np.zeros((x.shape[0], out_h, out_w, x.shape[3]))
    axes = (1, 2, 3) if over_channels else (1, 2)
    for i in range(out_h):
        for j in range(out_w):
            rows, cols = slice(i * s, i * s + p), slice(j * s, j * s + p)
            window = padded[:, rows, cols, :]
            if op == "max":
                value = window.max(axis=axes)
            else:
                count = 1 if no_divide else p * p if full_window else real[rows, cols].sum()
                value = window.sum(axis=axes) / (count * (x.shape[3] if over_channels else 1))
            y[:, i, j, :] = value[:, None] if over_channels else value
    return y


# -- conv_stack ------------------------------------------------------------------------------------


def _stack(images: Any, layers: list, *, padding: str = "valid", flip: bool = False, act_mode: str = "each",
           no_bias: bool = False, act_before_bias: bool = False, transpose: bool = False, short: bool = False,
           sigmoid_sign: bool = False, relu_np_max: bool = False) -> np.ndarray:
    a = np.asarray(images, dtype=float)
    for index, (kernel, bias, activation) in enumerate(layers):
        kernel = np.asarray(kernel, dtype=float)
        if transpose:
            kernel = kernel.transpose(1, 0, 2, 3)
        if a.ndim != 4 or (padding != "same" and (a.shape[1] < kernel.shape[0] or a.shape[2] < kernel.shape[1])):
            return CRASHES  # a 3D map (np.max(y, 0)), or one smaller than the kernel: this layer fails
        if padding == "same":
            # 'same' with stride 1: (k - 1) zeros, the odd extra one after.
            kh, kw = kernel.shape[:2]
            a_p = np.pad(a, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
        else:
            a_p = a
        y = _conv2d(a_p, kernel, None, flip=flip)
        if short:
            y = y[:, :-1, :-1]  # range(H - kh) windows: the + 1 forgotten
        apply = act_mode == "each" or (act_mode == "last" and index == len(layers) - 1)
        if bias is not None and not no_bias and not act_before_bias:
            y = y + np.asarray(bias, dtype=float)
        if apply and sigmoid_sign and activation == "sigmoid":
            y = 1.0 / (1.0 + np.exp(y))
        elif apply and relu_np_max and activation == "relu":
            y = np.max(y, axis=0)
        elif apply:
            y = _activate(y, activation)
        if bias is not None and act_before_bias:
            y = y + np.asarray(bias, dtype=float)
        a = y
    return a


def _activate(y: np.ndarray, activation: str | None) -> np.ndarray:
    if activation == "relu":
        return np.maximum(y, 0.0)
    if activation == "tanh":
        return np.tanh(y)
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-y))
    return y


CONV_STACK: list[Row] = [
    ("same_padding",
     "'same' padding used: conv_stack uses valid padding (no zeros added), so each layer shrinks H by kh - 1 "
     "and W by kw - 1.", lambda images, layers: _stack(images, layers, padding="same")),
    ("kernel_flipped",
     "kernel flipped: Keras Conv2D computes a cross-correlation, so kernel[a, b] multiplies x[i + a, j + b] "
     "without reversing the kernel.", lambda images, layers: _stack(images, layers, flip=True)),
    ("activation_last_only",
     "the activation was applied only after the last layer: every layer applies its own activation before "
     "the next layer reads its output.", lambda images, layers: _stack(images, layers, act_mode="last")),
    ("activation_ignored",
     "activations ignored: apply each layer's activation (relu, tanh, sigmoid; None and 'linear' do nothing).",
     lambda images, layers: _stack(images, layers, act_mode="none")),
    ("bias_ignored",
     "bias ignored: add bias[o] to every output of channel o (when the bias is not None).",
     lambda images, layers: _stack(images, layers, no_bias=True)),
    ("activation_before_bias",
     "the bias was added after the activation: add the bias first, then apply the activation.",
     lambda images, layers: _stack(images, layers, act_before_bias=True)),
    ("kernel_transposed",
     "the kernel's height and width are exchanged: kernel[a, b] has a along the height and b along the width, "
     "so it multiplies x[i + a, j + b].", lambda images, layers: _stack(images, layers, transpose=True)),
    ("output_one_short",
     "each layer's output is one row and one column short: a kh x kw kernel fits H - kh + 1 times down and "
     "W - kw + 1 times across.", lambda images, layers: _stack(images, layers, short=True)),
    ("sigmoid_sign",
     "sigmoid sign: sigmoid(y) = 1 / (1 + exp(-y)), with a minus sign in the exponent.",
     lambda images, layers: _stack(images, layers, sigmoid_sign=True)),
    ("relu_np_max",
     "np.max(y, 0) takes the maximum over the batch axis: ReLU is the element-wise np.maximum(y, 0).",
     lambda images, layers: _stack(images, layers, relu_np_max=True)),
]

# -- receptive_field -------------------------------------------------------------------------------


def _rf(layers: list, *, stride_scales: bool = True, dilation: bool = True, early_jump: bool = False,
        span_dk: bool = False, start: int = 1) -> list[int]:
    size, jump = start, 1
    for layer in layers:
        k, s, d = layer.get("kernel_size", 1), layer.get("strides", 1), layer.get("dilation_rate", 1)
        if not dilation:
            d = 1
        if early_jump:
            jump *= s
        extra = (d * k - 1) if span_dk else d * (k - 1)
        size += extra * (jump if stride_scales else 1)
        if not early_jump:
            jump *= s
    return [size, jump]


RECEPTIVE_FIELD: list[Row] = [
    ("earlier_strides_ignored",
     "the stride of earlier layers is ignored: after a stride s, neighbouring units are s input pixels apart, "
     "so each layer adds d * (k - 1) times the product of the strides before it.",
     lambda layers: _rf(layers, stride_scales=False)),
    ("jump_wrong_order",
     "the jump is multiplied in the wrong order: a layer's kernel spans units spaced by the strides of the "
     "layers before it; add d * (k - 1) * jump first, then multiply the jump by this layer's stride.",
     lambda layers: _rf(layers, early_jump=True)),
    ("dilation_ignored",
     "dilation ignored: a kernel of k taps with dilation d spans d * (k - 1) + 1 units, gaps included.",
     lambda layers: _rf(layers, dilation=False)),
    ("dilation_span_dk",
     "a dilated kernel spans d * (k - 1) + 1 units, not d * k: the gaps lie only between taps.",
     lambda layers: _rf(layers, span_dk=True)),
    ("size_starts_at_zero",
     "the receptive field starts at 1 pixel (a unit sees itself) before the layers add d * (k - 1) * jump "
     "each, not at 0.", lambda layers: _rf(layers, start=0)),
    ("pair_swapped",
     "size and jump exchanged: return the pair as (size, jump), the receptive field size first.",
     lambda layers: _rf(layers)[::-1]),
]

# -- pooling ---------------------------------------------------------------------------------------

POOL_SHARED: list[tuple[str, str, dict]] = [
    ("stride_one_default",
     "pooling with stride 1 by default: when strides is None (or omitted) the windows move by pool_size, "
     "as in Keras.", {"default_stride_one": True}),
    ("same_extra_before",
     "'same' padding puts the odd extra padded row/column before the image; Keras puts total // 2 before "
     "and the odd extra one after.", {"extra_before": True}),
    ("same_floor",
     "'same' keeps ceil(H / strides) rows and columns, rounded up (-(-H // strides)), not H // strides.",
     {"same_floor": True}),
    ("same_ignored",
     "padding='same' ignored: 'same' keeps ceil(H / strides) rows and columns, padding the border windows.",
     {"ignore_padding": True}),
    ("strides_ignored",
     "the strides argument is ignored: windows move by pool_size only when strides is None or omitted.",
     {"strides_ignored": True}),
    ("valid_one_short",
     "'valid' output one row and one column short: floor((H - pool_size) / strides) + 1 windows, the + 1 "
     "counting the first one.", {"valid_short": True}),
]


def _pool_channels_first(op: str) -> Callable[..., np.ndarray]:
    """x read as (N, C, H, W): the student pools over the width and the channels, keeping the height."""
    pool = ref.max_pool2d if op == "max" else ref.avg_pool2d

    def variant(x: Any, pool_size: int = 2, strides: int | None = None, padding: str = "valid") -> np.ndarray:
        moved = np.asarray(x, dtype=float).transpose(0, 2, 3, 1)
        return pool(moved, pool_size, strides, padding).transpose(0, 3, 1, 2)
    return variant


CHANNELS_FIRST_HINT = ("channels-first assumption: x is (N, H, W, C), channels last as in Keras, so the windows "
                       "slide over axes 1 and 2.")


def _pool_rows(op: str, specific: list[tuple[str, str, dict]]) -> list[Row]:
    def make(options: dict) -> Callable[..., np.ndarray]:
        return lambda x, pool_size=2, strides=None, padding="valid": _pool(x, pool_size, strides, padding, op=op, **options)

    return ([(mistake_id, hint, make(options)) for mistake_id, hint, options in specific + POOL_SHARED]
            + [("channels_first", CHANNELS_FIRST_HINT, _pool_channels_first(op))])


MAX_POOL2D = _pool_rows("max", [
    ("zero_padding",
     "max pooling that pads with zeros is wrong for negative values: padded pixels must never win, so pad "
     "with -inf (or take the max over the real pixels only).", {"zero_pad": True}),
    ("over_channels",
     "max pool over channels: pooling works on each channel separately, so take the max over the window's "
     "rows and columns only (axes 1 and 2).", {"over_channels": True}),
])

AVG_POOL2D = _pool_rows("avg", [
    ("same_full_window",
     "SAME average pooling divides by the full window: a border window is the mean of its real pixels only, "
     "so divide by the number of real pixels it covers.", {"full_window": True}),
    ("over_channels",
     "average over channels: pooling works on each channel separately, so average over the window's rows "
     "and columns only (axes 1 and 2).", {"over_channels": True}),
    ("sum_not_mean",
     "the window is summed: average pooling divides the sum by the number of (real) pixels in the window.",
     {"no_divide": True}),
])

# -- output_shapes and count_params ----------------------------------------------------------------


def _shapes(input_shape: Any, spec: list, *, pool_stride_one: bool = False, same_ignores_stride: bool = False,
            dilation: bool = True, ceil_valid: bool = False, flatten_no_channels: bool = False,
            conv_stride_ignored: bool = False, pooling_ignored: bool = False, valid_short: bool = False,
            span_dk: bool = False, same_floor: bool = False, conv_channels_kept: bool = False
            ) -> list[tuple[int, ...]]:
    shape = tuple(int(v) for v in input_shape)
    shapes = []
    for layer in spec:
        kind = layer["type"]
        if kind in ("conv2d", "maxpool2d", "avgpool2d"):
            if kind == "conv2d":
                k, d, s = layer["kernel_size"], layer.get("dilation_rate", 1), layer.get("strides", 1)
                channels = shape[2] if conv_channels_kept else layer["filters"]
                if not dilation:
                    d = 1
                if conv_stride_ignored:
                    s = 1
            else:
                if pooling_ignored:
                    shapes.append(shape)
                    continue
                k, d = layer.get("pool_size", 2), 1
                s = layer.get("strides") or (1 if pool_stride_one else k)
                channels = shape[2]
            same = layer.get("padding", "valid") == "same"
            span = d * k if span_dk and kind == "conv2d" else d * (k - 1) + 1
            spatial = []
            for size in shape[:2]:
                if same:
                    spatial.append(size if same_ignores_stride else size // s if same_floor else -(-size // s))
                elif ceil_valid:
                    spatial.append(-(-(size - span) // s) + 1)
                else:
                    spatial.append((size - span) // s + (0 if valid_short else 1))
            shape = (spatial[0], spatial[1], channels)
        elif kind == "flatten":
            shape = (shape[0] * shape[1],) if flatten_no_channels else (int(np.prod(shape)),)
        elif kind == "dense":
            shape = shape[:-1] + (layer["units"],)
        shapes.append(shape)
    return shapes


def _params(input_shape: Any, spec: list, *, bias: str = "use", conv_channels: bool = True, kernel_power: int = 2,
            **shape_options: bool) -> int:
    shapes = _shapes(input_shape, spec, **shape_options)
    previous = tuple(input_shape)
    total = 0
    for layer, shape in zip(spec, shapes):
        b = {"use": int(layer.get("use_bias", True)), "never": 0, "always": 1}[bias]
        if layer["type"] == "conv2d":
            c_in = previous[-1] if conv_channels else 1
            total += layer["kernel_size"] ** kernel_power * c_in * layer["filters"] + b * layer["filters"]
        elif layer["type"] == "dense":
            total += previous[-1] * layer["units"] + b * layer["units"]
        previous = shape
    return total


SHAPE_ERRORS: list[tuple[str, str, dict]] = [
    ("pool_stride_one",
     "pooling with stride 1 by default: when strides is omitted or None the windows move by pool_size.",
     {"pool_stride_one": True}),
    ("same_ignores_stride",
     "'same' padding keeps ceil(H / strides) rows, not H: the stride still skips positions.",
     {"same_ignores_stride": True}),
    ("dilation_ignored",
     "dilation ignored: a conv kernel of k taps with dilation d spans d * (k - 1) + 1 pixels.",
     {"dilation": False}),
    ("conv_stride_ignored",
     "conv stride ignored: a conv with stride s keeps floor((H - d * (k - 1) - 1) / s) + 1 rows.",
     {"conv_stride_ignored": True}),
    ("ceil_valid",
     "'valid' rounds down: floor((H - d * (k - 1) - 1) / s) + 1, a partial last step gives no output.",
     {"ceil_valid": True}),
    ("flatten_no_channels",
     "flatten without channels: Flatten gives H * W * C values, one per pixel and channel.",
     {"flatten_no_channels": True}),
    ("pooling_ignored",
     "pooling ignored: a pooling layer shrinks H and W like a window of pool_size moved by its strides.",
     {"pooling_ignored": True}),
    ("same_floor",
     "'same' keeps ceil(H / strides) rows, rounded up (-(-H // strides)), not H // strides.",
     {"same_floor": True}),
    ("valid_one_short",
     "'valid' keeps floor((H - d * (k - 1) - 1) / s) + 1 rows: the + 1 counts the first window.",
     {"valid_short": True}),
    ("dilation_span_dk",
     "a dilated kernel spans d * (k - 1) + 1 pixels, not d * k: the gaps lie only between taps.",
     {"span_dk": True}),
    ("conv_channels_kept",
     "a conv layer outputs `filters` channels, whatever the number of channels of its input.",
     {"conv_channels_kept": True}),
]



def _shape_variant(options: dict) -> Callable[..., list[tuple[int, ...]]]:
    return lambda input_shape, spec: _shapes(input_shape, spec, **options)


OUTPUT_SHAPES: list[Row] = [(mistake_id, hint, _shape_variant(options)) for mistake_id, hint, options in SHAPE_ERRORS]

# Shape slips that change only the flatten size, hence the first dense layer's weights.
FLATTEN_SIZE_SLIPS: list[tuple[str, dict]] = [
    ("'same' padding rounds up: ceil(H / strides) rows", {"same_floor": True}),
    ("'valid' keeps floor((H - d * (k - 1) - 1) / s) + 1 rows", {"valid_short": True}),
    ("'valid' rounds down: a partial last step gives no output", {"ceil_valid": True}),
    ("a dilated conv spans d * (k - 1) + 1 pixels", {"dilation": False}),
    ("a conv with stride s keeps about H / s rows", {"conv_stride_ignored": True}),
]


def _params_variant(options: dict) -> Callable[..., int]:
    return lambda input_shape, spec: _params(input_shape, spec, **options)


COUNT_PARAMS: list[Row] = [
    ("bias_forgotten",
     "bias forgotten: each conv filter and each dense unit has one bias (unless use_bias is False).",
     lambda input_shape, spec: _params(input_shape, spec, bias="never")),
    ("bias_always",
     "a layer with use_bias=False has no bias parameters.",
     lambda input_shape, spec: _params(input_shape, spec, bias="always")),
    ("conv_without_input_channels",
     "conv params counted without input channels: each filter has k * k * C_in weights, one k x k kernel "
     "per input channel.", lambda input_shape, spec: _params(input_shape, spec, conv_channels=False)),
    ("dense_wrong_flatten_size",
     "dense params counted from the wrong flatten size: the first dense layer has H * W * C inputs per "
     "unit, with H, W, C the shape right before Flatten (after every conv and pooling).",
     lambda input_shape, spec: _params(input_shape, spec, pooling_ignored=True)),
    ("dense_wrong_flatten_size",
     "dense params counted from the wrong flatten size: the first dense layer has H * W * C inputs per "
     "unit, with H, W, C the shape right before Flatten (after every conv and pooling).",
     lambda input_shape, spec: _params(input_shape, spec, flatten_no_channels=True)),
    ("dense_wrong_flatten_size",
     "dense params counted from the wrong flatten size (pooling strides default to pool_size).",
     lambda input_shape, spec: _params(input_shape, spec, pool_stride_one=True)),
    ("dense_wrong_flatten_size",
     "dense params counted from the wrong flatten size ('same' padding keeps ceil(H / strides) rows).",
     lambda input_shape, spec: _params(input_shape, spec, same_ignores_stride=True)),
    *[("dense_wrong_flatten_size", f"dense params counted from the wrong flatten size ({why}).",
       _params_variant(options)) for why, options in FLATTEN_SIZE_SLIPS],
    ("kernel_not_squared",
     "a conv kernel has k * k weights per input channel and filter (kernel_size is the side of a square "
     "window), not k.", lambda input_shape, spec: _params(input_shape, spec, kernel_power=1)),
]

# -- cnn_forward -----------------------------------------------------------------------------------


def _forward(x: Any, weights: list, spec: list, *, flatten_chw: bool = False, softmax_axis: int = -1,
             output: str = "softmax", relu_after: tuple[str, ...] = ("conv2d", "dense"), flip: bool = False,
             extra_before: bool = False, dropout_scale: bool = False, biases: tuple[str, ...] = ("hidden", "output"),
             avg_full_window: bool = False) -> np.ndarray:
    """The forward pass with wrong choices: relu_after, the hidden layer types followed by a ReLU;
    biases, which biases are added ('hidden', 'output'; every bias is still read in order)."""
    a = np.asarray(x, dtype=float)
    w = [np.asarray(v, dtype=float) for v in weights]
    pos = 0
    for layer in spec:
        kind = layer["type"]
        if kind in ("conv2d", "dense"):
            kernel = w[pos]
            pos += 1
            bias = None
            if layer.get("use_bias", True):
                bias = w[pos] if "hidden" in biases else None
                pos += 1
            if kind == "conv2d":
                a = _conv2d(a, kernel, bias, layer.get("strides", 1), layer.get("dilation_rate", 1),
                            layer.get("padding", "valid"), flip=flip, extra_before=extra_before)
            else:
                a = a @ kernel + (0.0 if bias is None else bias)
            if kind in relu_after:
                a = np.maximum(a, 0.0)
        elif kind in ("maxpool2d", "avgpool2d"):
            a = _pool(a, layer.get("pool_size", 2), layer.get("strides"), layer.get("padding", "valid"),
                      op="max" if kind == "maxpool2d" else "avg", extra_before=extra_before,
                      full_window=avg_full_window)
        elif kind == "flatten":
            a = (a.transpose(0, 3, 1, 2) if flatten_chw else a).reshape(len(a), -1)
        elif kind == "dropout" and dropout_scale:
            a = a * (1 - layer["rate"])
    logits = a @ w[pos] + (w[pos + 1] if "output" in biases else 0.0)
    if output == "relu":
        return np.maximum(logits, 0.0)
    if output == "linear":
        return logits
    e = np.exp(logits - logits.max(axis=softmax_axis, keepdims=True))
    return e / e.sum(axis=softmax_axis, keepdims=True)


CNN_FORWARD: list[Row] = [
    ("flatten_channels_first",
     "flatten in channels-first order: Keras flattens (H, W, C) row by row with the channel changing fastest, "
     "so the dense weights are then misaligned; reshape the NHWC array directly.",
     lambda x, weights, spec: _forward(x, weights, spec, flatten_chw=True)),
    ("softmax_batch_axis",
     "softmax over the batch axis: normalise each image's scores over the classes (the last axis), so each "
     "row sums to 1.", lambda x, weights, spec: _forward(x, weights, spec, softmax_axis=0)),
    ("relu_output",
     "ReLU on the output layer instead of softmax: the output layer turns scores into probabilities with a "
     "softmax over the classes.", lambda x, weights, spec: _forward(x, weights, spec, output="relu")),
    ("no_output_softmax",
     "the output layer's softmax is missing: turn the scores into probabilities over the classes.",
     lambda x, weights, spec: _forward(x, weights, spec, output="linear")),
    ("no_hidden_relu",
     "ReLU missing after the hidden conv and dense layers of the spec.",
     lambda x, weights, spec: _forward(x, weights, spec, relu_after=())),
    ("conv_relu_missing",
     "ReLU missing after the conv2d layers: build_model follows every conv2d (and dense) of the spec with a ReLU.",
     lambda x, weights, spec: _forward(x, weights, spec, relu_after=("dense",))),
    ("dense_relu_missing",
     "ReLU missing after the hidden dense layers: build_model follows every dense (and conv2d) of the spec with "
     "a ReLU; only the output layer uses softmax instead.",
     lambda x, weights, spec: _forward(x, weights, spec, relu_after=("conv2d",))),
    ("biases_ignored",
     "the biases are read but never added: add each layer's bias (the entry after its kernel) before its "
     "activation.", lambda x, weights, spec: _forward(x, weights, spec, biases=())),
    ("output_bias_ignored",
     "the output layer's bias (the last entry of weights) is not added to the scores before the softmax.",
     lambda x, weights, spec: _forward(x, weights, spec, biases=("hidden",))),
    ("avg_same_full_window",
     "'same' average pooling divides by the full window: a border window is the mean of its real pixels only.",
     lambda x, weights, spec: _forward(x, weights, spec, avg_full_window=True)),
    ("kernel_flipped",
     "conv kernel flipped: Keras Conv2D computes a cross-correlation.",
     lambda x, weights, spec: _forward(x, weights, spec, flip=True)),
    ("same_extra_before",
     "'same' padding puts the odd extra zero before the image; Keras puts it after.",
     lambda x, weights, spec: _forward(x, weights, spec, extra_before=True)),
    ("dropout_scaled",
     "dropout does nothing at inference (Keras scales during training instead): pass the values through.",
     lambda x, weights, spec: _forward(x, weights, spec, dropout_scale=True)),
]

MISTAKES: dict[str, list[Row]] = {
    "conv_stack": CONV_STACK,
    "receptive_field": RECEPTIVE_FIELD,
    "max_pool2d": MAX_POOL2D,
    "avg_pool2d": AVG_POOL2D,
    "output_shapes": OUTPUT_SHAPES,
    "count_params": COUNT_PARAMS,
    "cnn_forward": CNN_FORWARD,
}
"""Student function name -> [(mistake_id, hint, fn)], tried in order by the graders."""
