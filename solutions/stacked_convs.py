"""Reference solutions for assignment 04_stacked_convs (hierarchies of 2D convolutions, a CNN).

Conventions used throughout:

* Images and feature maps use the channels-last layout (NHWC): ``(N, H, W, C)``.
* Kernels use the Keras layout ``(kh, kw, C_in, C_out)``; like Keras, a "convolution" is a
  cross-correlation (the kernel is not flipped).
* A *spec* describes the hidden layers of a network as a list of dicts, e.g.
  ``{"type": "conv2d", "filters": 8, "kernel_size": 3}``; omitted keys take the Keras defaults
  (strides 1, padding "valid", dilation 1, bias used; pooling strides = pool size).
* Array functions return float64 arrays, whatever the input dtype.

Each function is self-contained (it may call other functions of this module by name), because
its body is pasted into the solution cell of the notebook.
"""

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the notebook imports keras; here it is only needed for an annotation
    import keras


def conv_stack(images: np.typing.ArrayLike, layers: list) -> np.ndarray:
    """Apply a stack of 2D convolution layers (valid padding, stride 1), as Keras ``Conv2D`` does.

    Layer ``l`` holds ``(kernel, bias, activation)`` and computes, on its input ``x``::

        y[n, i, j, o] = act(bias[o] + sum_{a, b, c} x[n, i + a, j + b, c] * kernel[a, b, c, o])

    so every layer sums over *all* input channels: the second layer combines the feature maps
    of the first into features of features.

    Args:
        images: (N, H, W, C); lists and integer arrays are accepted.
        layers: list of ``(kernel, bias, activation)``: kernel (kh, kw, C_in, C_out) with C_in the
            channels of the layer's input, bias (C_out,) or None, activation one of None,
            ``"linear"``, ``"relu"``, ``"tanh"``, ``"sigmoid"``.

    Returns:
        float64 array (N, H', W', C_out of the last layer); each layer shrinks H by kh - 1 and
        W by kw - 1. An empty ``layers`` returns the images as floats.

    Raises:
        ValueError: on inconsistent shapes or an unknown activation.
    """
    x = np.asarray(images, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"images must be (N, H, W, C), got shape {x.shape}")
    for kernel, bias, activation in layers:
        kernel = np.asarray(kernel, dtype=np.float64)
        if kernel.ndim != 4 or kernel.shape[2] != x.shape[3]:
            raise ValueError(f"kernel {kernel.shape} does not fit an input with {x.shape[3]} channels")
        kh, kw, _, c_out = kernel.shape
        out_h, out_w = x.shape[1] - kh + 1, x.shape[2] - kw + 1
        if out_h < 1 or out_w < 1:
            raise ValueError(f"kernel {kh}x{kw} is larger than the feature map {x.shape[1:3]}")
        y = np.zeros((x.shape[0], out_h, out_w, c_out))
        for a in range(kh):
            for b in range(kw):
                # Tap (a, b) for every output position at once: (N, H', W', C_in) @ (C_in, C_out).
                y += x[:, a : a + out_h, b : b + out_w, :] @ kernel[a, b]
        if bias is not None:
            y += np.asarray(bias, dtype=np.float64)  # one bias per output channel
        if activation in (None, "linear"):
            pass
        elif activation == "relu":
            y = np.maximum(y, 0.0)
        elif activation == "tanh":
            y = np.tanh(y)
        elif activation == "sigmoid":
            y = 1.0 / (1.0 + np.exp(-y))
        else:
            raise ValueError(f"unknown activation {activation!r}")
        x = y
    return x


def receptive_field(layers: list) -> tuple[int, int]:
    """Receptive field size and jump of one output unit of a stack of conv / pooling layers.

    Walking from the input to the output, keep ``jump``: the distance in input pixels between
    neighbouring units of the current layer (1 for the input). A layer with kernel ``k`` and
    dilation ``d`` looks at units ``d * (k - 1)`` positions apart at its input, i.e.
    ``d * (k - 1) * jump`` input pixels, so::

        size += d * (k - 1) * jump      (with the jump *before* this layer's stride)
        jump *= s

    Args:
        layers: list of dicts with optional keys ``"kernel_size"``, ``"strides"``,
            ``"dilation_rate"`` (ints, default 1). A pooling layer is ``kernel_size = strides =
            pool size``.

    Returns:
        ``(size, jump)`` as Python ints: the span in input pixels from the first to the last
        input pixel one output unit depends on (dilation gaps included), and the distance in
        input pixels between neighbouring output units (the product of all strides).
    """
    size, jump = 1, 1
    for layer in layers:
        k = int(layer.get("kernel_size", 1))
        s = int(layer.get("strides", 1))
        d = int(layer.get("dilation_rate", 1))
        size += d * (k - 1) * jump
        jump *= s
    return int(size), int(jump)


def max_pool2d(
    x: np.typing.ArrayLike, pool_size: int = 2, strides: int | None = None, padding: str = "valid"
) -> np.ndarray:
    """Max pooling over H and W, per channel, equal to ``keras.layers.MaxPooling2D``.

    Windows of ``pool_size x pool_size`` pixels, ``strides`` apart (``None``: ``pool_size``).

    * ``"valid"``: only windows inside the image, ``floor((H - pool_size) / strides) + 1`` rows.
    * ``"same"``: ``ceil(H / strides)`` rows; the ``max((out - 1) * strides + pool_size - H, 0)``
      missing pixels are split ``total // 2`` before and the rest after, and padded pixels never
      win (they count as ``-inf``, not 0, so all-negative windows stay negative).

    Args:
        x: (N, H, W, C).
        pool_size: window side, an int.
        strides: step between windows, or None for ``pool_size``.
        padding: ``"valid"`` or ``"same"``.

    Returns:
        float64 array (N, H_out, W_out, C).
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must be (N, H, W, C), got shape {x.shape}")
    ph, pw = (pool_size, pool_size) if np.ndim(pool_size) == 0 else pool_size
    sh, sw = (ph, pw) if strides is None else ((strides, strides) if np.ndim(strides) == 0 else strides)
    n, h, w, c = x.shape
    if padding == "valid":
        out_h, out_w = (h - ph) // sh + 1, (w - pw) // sw + 1
        top = left = pad_h = pad_w = 0
    elif padding == "same":
        out_h, out_w = -(-h // sh), -(-w // sw)
        pad_h = max((out_h - 1) * sh + ph - h, 0)
        pad_w = max((out_w - 1) * sw + pw - w, 0)
        top, left = pad_h // 2, pad_w // 2
    else:
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    # -inf padding can never be the maximum of a window that holds a real pixel.
    padded = np.full((n, h + pad_h, w + pad_w, c), -np.inf)
    padded[:, top : top + h, left : left + w, :] = x
    y = np.empty((n, max(out_h, 0), max(out_w, 0), c))
    for i in range(out_h):
        for j in range(out_w):
            window = padded[:, i * sh : i * sh + ph, j * sw : j * sw + pw, :]
            y[:, i, j, :] = window.max(axis=(1, 2))  # over the window's pixels, never channels
    return y


def avg_pool2d(
    x: np.typing.ArrayLike, pool_size: int = 2, strides: int | None = None, padding: str = "valid"
) -> np.ndarray:
    """Average pooling over H and W, per channel, equal to ``keras.layers.AveragePooling2D``.

    Same windows as ``max_pool2d``. With ``"same"`` padding a window that hangs over the border
    is the mean of its *real* pixels only: padded pixels count neither in the sum nor in the
    divisor.

    Args:
        x: (N, H, W, C).
        pool_size: window side, an int.
        strides: step between windows, or None for ``pool_size``.
        padding: ``"valid"`` or ``"same"``.

    Returns:
        float64 array (N, H_out, W_out, C).
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must be (N, H, W, C), got shape {x.shape}")
    ph, pw = (pool_size, pool_size) if np.ndim(pool_size) == 0 else pool_size
    sh, sw = (ph, pw) if strides is None else ((strides, strides) if np.ndim(strides) == 0 else strides)
    n, h, w, c = x.shape
    if padding == "valid":
        out_h, out_w = (h - ph) // sh + 1, (w - pw) // sw + 1
        top = left = pad_h = pad_w = 0
    elif padding == "same":
        out_h, out_w = -(-h // sh), -(-w // sw)
        pad_h = max((out_h - 1) * sh + ph - h, 0)
        pad_w = max((out_w - 1) * sw + pw - w, 0)
        top, left = pad_h // 2, pad_w // 2
    else:
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    padded = np.zeros((n, h + pad_h, w + pad_w, c))
    padded[:, top : top + h, left : left + w, :] = x
    # 1 where a pixel is real: summing it over a window counts the real pixels.
    real = np.zeros((h + pad_h, w + pad_w))
    real[top : top + h, left : left + w] = 1.0
    y = np.empty((n, max(out_h, 0), max(out_w, 0), c))
    for i in range(out_h):
        for j in range(out_w):
            rows, cols = slice(i * sh, i * sh + ph), slice(j * sw, j * sw + pw)
            y[:, i, j, :] = padded[:, rows, cols, :].sum(axis=(1, 2)) / real[rows, cols].sum()
    return y


def output_shapes(input_shape: tuple, spec: list) -> list[tuple[int, ...]]:
    """Output shape (without the batch axis) of every layer of a spec, as Keras computes it.

    * conv2d: ``"valid"``: ``floor((H - d * (k - 1) - 1) / s) + 1``; ``"same"``: ``ceil(H / s)``;
      likewise for W; channels = filters.
    * maxpool2d / avgpool2d: the same with ``k = pool_size``, ``d = 1``, ``s = strides`` (default
      and None: pool_size); channels unchanged.
    * flatten: ``(H * W * C,)``. dense: the last axis becomes ``units``. dropout: unchanged.

    Args:
        input_shape: (H, W, C), no batch axis.
        spec: list of layer dicts, as described in section 4 of the notebook.

    Returns:
        one tuple of ints per spec entry.
    """
    shape = tuple(int(d) for d in input_shape)
    shapes = []
    for layer in spec:
        kind = layer["type"]
        if kind in ("conv2d", "maxpool2d", "avgpool2d"):
            if kind == "conv2d":
                k, d, s = layer["kernel_size"], layer.get("dilation_rate", 1), layer.get("strides", 1)
                channels = int(layer["filters"])
            else:
                k, d = layer.get("pool_size", 2), 1
                s = layer.get("strides") or k  # omitted or None: windows do not overlap
                channels = shape[2]
            padding = layer.get("padding", "valid")
            spatial = []
            for size in shape[:2]:
                if padding == "same":
                    spatial.append(-(-size // s))
                else:
                    spatial.append((size - d * (k - 1) - 1) // s + 1)
            shape = (int(spatial[0]), int(spatial[1]), channels)
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "dense":
            shape = shape[:-1] + (int(layer["units"]),)
        elif kind == "dropout":
            pass
        else:
            raise ValueError(f"unknown layer type {kind!r}")
        shapes.append(shape)
    return shapes


def count_params(input_shape: tuple, spec: list) -> int:
    """Total number of trainable parameters of a spec's layers, without building a model.

    * conv2d: ``k * k * C_in * filters`` weights (every filter sees every input channel), plus
      ``filters`` biases when ``use_bias`` (default True).
    * dense: ``inputs * units`` weights plus ``units`` biases, where ``inputs`` is the size of
      the last axis of the layer's input (after flatten: H * W * C of the map that was flattened).
    * pooling, flatten, dropout: no parameters.

    Args:
        input_shape: (H, W, C), no batch axis.
        spec: list of layer dicts, as described in section 4 of the notebook.

    Returns:
        the total as a Python int.
    """
    shapes = output_shapes(input_shape, spec)
    previous = tuple(int(d) for d in input_shape)
    total = 0
    for layer, shape in zip(spec, shapes):
        bias = 1 if layer.get("use_bias", True) else 0
        if layer["type"] == "conv2d":
            k = layer["kernel_size"]
            total += k * k * previous[-1] * layer["filters"] + bias * layer["filters"]
        elif layer["type"] == "dense":
            total += previous[-1] * layer["units"] + bias * layer["units"]
        previous = shape
    return int(total)


def build_model(input_shape: tuple, spec: list, n_classes: int) -> "keras.Model":
    """The Keras classifier of a spec: its layers (ReLU after every conv2d and dense) and a
    ``Dense(n_classes, activation="softmax")`` output layer.

    Args:
        input_shape: (H, W, C), no batch axis.
        spec: list of layer dicts, as described in section 4 of the notebook.
        n_classes: number of classes of the output layer.

    Returns:
        an (uncompiled) ``keras.Sequential`` model.
    """
    import keras  # here, so that the numpy functions of solutions/ load without TensorFlow

    model = keras.Sequential([keras.Input(shape=tuple(input_shape))])
    for layer in spec:
        kind = layer["type"]
        if kind == "conv2d":
            model.add(keras.layers.Conv2D(
                layer["filters"], layer["kernel_size"], strides=layer.get("strides", 1),
                padding=layer.get("padding", "valid"), dilation_rate=layer.get("dilation_rate", 1),
                use_bias=layer.get("use_bias", True), activation="relu"))
        elif kind in ("maxpool2d", "avgpool2d"):
            pool = keras.layers.MaxPooling2D if kind == "maxpool2d" else keras.layers.AveragePooling2D
            model.add(pool(layer.get("pool_size", 2), strides=layer.get("strides"),
                           padding=layer.get("padding", "valid")))
        elif kind == "flatten":
            model.add(keras.layers.Flatten())
        elif kind == "dense":
            model.add(keras.layers.Dense(layer["units"], activation="relu",
                                         use_bias=layer.get("use_bias", True)))
        elif kind == "dropout":
            model.add(keras.layers.Dropout(layer["rate"]))
        else:
            raise ValueError(f"unknown layer type {kind!r}")
    model.add(keras.layers.Dense(n_classes, activation="softmax"))
    return model


def cnn_forward(x: np.typing.ArrayLike, weights: list, spec: list) -> np.ndarray:
    """Forward pass in numpy of ``build_model(x.shape[1:], spec, n_classes)`` with given weights.

    ``weights`` is ``model.get_weights()``: for each conv2d and dense of the spec, its kernel and
    (when ``use_bias``) its bias, in order; the last two entries are the output layer's kernel
    (features, n_classes) and bias. Conv layers follow Keras (cross-correlation, strides,
    dilation, TensorFlow's "same" padding with the odd extra zero after) and are followed by ReLU,
    like dense layers; pooling as in ``max_pool2d`` / ``avg_pool2d``; flatten in (H, W, C) order;
    dropout does nothing at inference; the output layer applies a softmax over the classes.

    Args:
        x: (N, H, W, C).
        weights: list of arrays as returned by ``model.get_weights()``.
        spec: list of layer dicts, as described in section 4 of the notebook.

    Returns:
        float64 array (N, n_classes) of class probabilities (each row sums to 1).
    """
    a = np.asarray(x, dtype=np.float64)
    weights = [np.asarray(w, dtype=np.float64) for w in weights]
    pos = 0  # next unused entry of weights
    for layer in spec:
        kind = layer["type"]
        if kind == "conv2d":
            kernel = weights[pos]
            pos += 1
            bias = None
            if layer.get("use_bias", True):
                bias = weights[pos]
                pos += 1
            kh, kw, _, filters = kernel.shape
            s, d = layer.get("strides", 1), layer.get("dilation_rate", 1)
            n, h, w, _ = a.shape
            span_h, span_w = d * (kh - 1) + 1, d * (kw - 1) + 1
            if layer.get("padding", "valid") == "same":
                out_h, out_w = -(-h // s), -(-w // s)
                pad_h = max((out_h - 1) * s + span_h - h, 0)
                pad_w = max((out_w - 1) * s + span_w - w, 0)
            else:
                out_h, out_w = (h - span_h) // s + 1, (w - span_w) // s + 1
                pad_h = pad_w = 0
            padded = np.pad(a, ((0, 0), (pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2), (0, 0)))
            y = np.zeros((n, out_h, out_w, filters))
            for i in range(kh):
                for j in range(kw):
                    # Pixels read by tap (i, j) for every output position: (N, out_h, out_w, C_in).
                    taps = padded[:, i * d : i * d + (out_h - 1) * s + 1 : s, j * d : j * d + (out_w - 1) * s + 1 : s, :]
                    y += taps @ kernel[i, j]
            if bias is not None:
                y += bias
            a = np.maximum(y, 0.0)
        elif kind == "maxpool2d":
            a = max_pool2d(a, layer.get("pool_size", 2), layer.get("strides"), layer.get("padding", "valid"))
        elif kind == "avgpool2d":
            a = avg_pool2d(a, layer.get("pool_size", 2), layer.get("strides"), layer.get("padding", "valid"))
        elif kind == "flatten":
            a = a.reshape(len(a), -1)  # row-major over (H, W, C), as Keras' Flatten
        elif kind == "dense":
            a = a @ weights[pos]
            pos += 1
            if layer.get("use_bias", True):
                a = a + weights[pos]
                pos += 1
            a = np.maximum(a, 0.0)
        elif kind == "dropout":
            pass  # dropout only acts while training
        else:
            raise ValueError(f"unknown layer type {kind!r}")
    logits = a @ weights[pos] + weights[pos + 1]
    # Subtracting each row's maximum keeps exp from overflowing and does not change the softmax.
    logits = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=-1, keepdims=True)
