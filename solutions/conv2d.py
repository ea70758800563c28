"""Reference solutions for assignment 03_conv2d (2D convolution and filters as feature detectors).

Conventions used throughout:

* A 2D *convolution* flips the kernel along both axes:
  ``(x * k)[i, j] = sum_{a, b} x[i - a, j - b] * k[a, b]``.
  A 2D *cross-correlation* does not: ``c[i, j] = sum_{a, b} x[i + a, j + b] * k[a, b]``.
  Deep-learning layers (``keras.layers.Conv2D``, ``tf.nn.conv2d``) compute cross-correlations.
* Single images are 2D arrays (H, W) indexed [row, column]: rows grow top -> bottom, columns
  left -> right. Batches use the channels-last layout (N, H, W, C) and kernels the Keras layout
  (kh, kw, C_in, C_out).
* Every function returns float64 arrays whatever the input dtype (uint8 images included),
  except ``edge_map`` (boolean) and ``filter_bank_tf`` (float32, TensorFlow's precision).

Each function is self-contained (it may call other functions of this module by name), because
its body is pasted into the solution cell of the notebook.
"""

import numpy as np


def conv2d(image: np.typing.ArrayLike, kernel: np.typing.ArrayLike, mode: str = "full") -> np.ndarray:
    """2D convolution of an image with a kernel, written with explicit loops.

    The full convolution is ``y[i, j] = sum_{a, b} x[i - a, j - b] * k[a, b]`` over every tap
    ``(a, b)`` whose image index is in range (zero fill outside the image). Each tap therefore
    adds a copy of the image shifted down by ``a`` rows and right by ``b`` columns, weighted by
    ``k[a, b]``. The result equals ``scipy.signal.convolve2d(x, k, mode)`` computed on float
    inputs.

    With image shape (h, w) and kernel shape (kh, kw):

    * ``"full"``: shape (h + kh - 1, w + kw - 1), every partial overlap.
    * ``"same"``: shape (h, w), the full output from row ``(kh - 1) // 2`` and column
      ``(kw - 1) // 2``; for an even kernel the extra row/column is dropped at the bottom/right.
    * ``"valid"``: complete overlaps only, shape (h - kh + 1, w - kw + 1). When the kernel is at
      least as large as the image along *both* axes the two swap roles (convolution is
      symmetric), giving (kh - h + 1, kw - w + 1); larger along one axis only is an error.

    Args:
        image: shape (h, w), any real dtype (uint8 included) or nested lists.
        kernel: shape (kh, kw), any real dtype; it may be larger than the image.
        mode: ``"full"``, ``"same"`` or ``"valid"``.

    Returns:
        float64 array, shape given by ``mode`` as above.

    Raises:
        ValueError: if an input is not a non-empty 2D array, ``mode`` is unknown, or ``"valid"``
            is asked with a kernel larger than the image along one axis only.
    """
    # Converting first makes uint8 images sum in float64 instead of wrapping around at 256.
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2 or image.size == 0 or kernel.size == 0:
        raise ValueError("image and kernel must be non-empty 2D arrays")
    (h, w), (kh, kw) = image.shape, kernel.shape

    full = np.zeros((h + kh - 1, w + kw - 1))
    for a in range(kh):
        for b in range(kw):
            # Tap (a, b) reads x[i - a, j - b]: the image shifted by (a, b), weighted by k[a, b].
            full[a : a + h, b : b + w] += kernel[a, b] * image

    if mode == "full":
        return full
    if mode == "same":
        top, left = (kh - 1) // 2, (kw - 1) // 2
        return full[top : top + h, left : left + w].copy()
    if mode == "valid":
        if h >= kh and w >= kw:
            return full[kh - 1 : h, kw - 1 : w].copy()
        if kh >= h and kw >= w:
            # The kernel covers the image: the roles swap, as in scipy.
            return full[h - 1 : kh, w - 1 : kw].copy()
        raise ValueError("'valid' needs one input at least as large as the other along both axes")
    raise ValueError(f"mode must be 'full', 'same' or 'valid', got {mode!r}")


def correlate2d(image: np.typing.ArrayLike, kernel: np.typing.ArrayLike, mode: str = "full") -> np.ndarray:
    """2D cross-correlation of an image with a kernel, written with explicit loops.

    The full correlation lists every displacement of the (unflipped) kernel over the image,
    from the kernel's bottom-right tap on the image's top-left pixel onwards::

        c[i, j] = sum_{a, b} x[i - (kh - 1) + a, j - (kw - 1) + b] * k[a, b]

    with zero fill outside the image. It equals the full convolution with the kernel flipped
    along both axes, and ``scipy.signal.correlate2d(x, k, mode)`` on float inputs.

    With image shape (h, w) and kernel shape (kh, kw):

    * ``"full"``: shape (h + kh - 1, w + kw - 1).
    * ``"same"``: shape (h, w), the full output from row ``kh // 2`` and column ``kw // 2``.
      This is *not* the window of ``conv2d`` (which starts at ``(kh - 1) // 2``): for an even
      kernel the extra row/column is dropped at the top/left, so that output ``(i, j)`` is
      ``sum x[i + a - (kh - 1) // 2, j + b - (kw - 1) // 2] * k[a, b]``, exactly TensorFlow's
      "SAME" padding.
    * ``"valid"``: shape (h - kh + 1, w - kw + 1); when the kernel is at least as large as the
      image along both axes the roles swap (the result is then
      ``correlate2d(k, x, "valid")`` rotated by 180 degrees), giving (kh - h + 1, kw - w + 1).

    Args:
        image: shape (h, w), any real dtype (uint8 included) or nested lists.
        kernel: shape (kh, kw), any real dtype; it may be larger than the image.
        mode: ``"full"``, ``"same"`` or ``"valid"``.

    Returns:
        float64 array, shape given by ``mode`` as above.

    Raises:
        ValueError: as for ``conv2d``.
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2 or image.size == 0 or kernel.size == 0:
        raise ValueError("image and kernel must be non-empty 2D arrays")
    (h, w), (kh, kw) = image.shape, kernel.shape

    full = np.zeros((h + kh - 1, w + kw - 1))
    for a in range(kh):
        for b in range(kw):
            # Tap (a, b) meets pixel (r, s) at output (r + kh - 1 - a, s + kw - 1 - b).
            full[kh - 1 - a : kh - 1 - a + h, kw - 1 - b : kw - 1 - b + w] += kernel[a, b] * image

    if mode == "full":
        return full
    if mode == "same":
        top, left = kh // 2, kw // 2
        return full[top : top + h, left : left + w].copy()
    if mode == "valid":
        if h >= kh and w >= kw:
            return full[kh - 1 : h, kw - 1 : w].copy()
        if kh >= h and kw >= w:
            return full[h - 1 : kh, w - 1 : kw].copy()
        raise ValueError("'valid' needs one input at least as large as the other along both axes")
    raise ValueError(f"mode must be 'full', 'same' or 'valid', got {mode!r}")


def conv2d_layer(
    images: np.typing.ArrayLike,
    kernel: np.typing.ArrayLike,
    bias: np.typing.ArrayLike | None = None,
    strides: int | tuple[int, int] = 1,
    padding: str = "valid",
    activation: str | object | None = None,
) -> np.ndarray:
    """Forward pass of a 2D convolution layer, equal to ``keras.layers.Conv2D``.

    Like every deep-learning framework this computes a cross-correlation (no flip), summed over
    the input channels, then adds the bias and applies the activation::

        z[n, i, j, o] = bias[o] + sum_{a, b, c} xp[n, i * sh + a, j * sw + b, c] * kernel[a, b, c, o]
        y = activation(z)

    where ``xp`` is the batch zero-padded along height and width according to ``padding``:

    * ``"valid"``: no padding; ``out = (size - k) // stride + 1``.
    * ``"same"`` (TensorFlow rule): ``out = ceil(size / stride)``; the
      ``max((out - 1) * stride + k - size, 0)`` zeros needed are split with ``total // 2`` at the
      top/left and the odd extra one at the bottom/right.

    Args:
        images: batch, shape (N, H, W, C_in).
        kernel: weights, shape (kh, kw, C_in, C_out), Keras layout.
        bias: shape (C_out,), or None for no bias.
        strides: an int, or a pair (sh, sw) of steps along height and width.
        padding: ``"valid"`` or ``"same"``.
        activation: None (or ``"linear"``), ``"relu"``, ``"sigmoid"``, ``"tanh"``, or a callable
            applied to the whole pre-activation array.

    Returns:
        float64 array of shape (N, out_h, out_w, C_out).

    Raises:
        ValueError: on inconsistent shapes, unknown padding or activation, or a kernel larger
            than the padded input.
    """
    images = np.asarray(images, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if images.ndim != 4 or kernel.ndim != 4 or kernel.shape[2] != images.shape[3]:
        raise ValueError(
            f"need images (N, H, W, C_in) and kernel (kh, kw, C_in, C_out), got {images.shape} and {kernel.shape}"
        )
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else tuple(strides)
    if sh < 1 or sw < 1:
        raise ValueError("strides must be >= 1")
    _, h, w, _ = images.shape
    kh, kw, _, c_out = kernel.shape

    if padding == "valid":
        pad_h = pad_w = 0
    elif padding == "same":
        # TensorFlow: as many zeros as needed for ceil(size / stride) outputs, extra one at the end.
        pad_h = max((-(-h // sh) - 1) * sh + kh - h, 0)
        pad_w = max((-(-w // sw) - 1) * sw + kw - w, 0)
    else:
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    padded = np.pad(images, ((0, 0), (pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2), (0, 0)))
    out_h = (h + pad_h - kh) // sh + 1
    out_w = (w + pad_w - kw) // sw + 1
    if out_h < 1 or out_w < 1:
        raise ValueError("the kernel is larger than the (padded) input")

    z = np.zeros((images.shape[0], out_h, out_w, c_out))
    for a in range(kh):
        for b in range(kw):
            # Tap (a, b) of every output at once: (N, out_h, out_w, C_in) @ (C_in, C_out).
            window = padded[:, a : a + (out_h - 1) * sh + 1 : sh, b : b + (out_w - 1) * sw + 1 : sw, :]
            z += window @ kernel[a, b]

    if bias is not None:
        bias = np.asarray(bias, dtype=np.float64)
        if bias.shape != (c_out,):
            raise ValueError(f"bias must have shape ({c_out},), got {bias.shape}")
        z += bias  # one bias per output channel, broadcast over batch and positions

    if activation is None or activation == "linear":
        return z
    if callable(activation):
        return np.asarray(activation(z), dtype=np.float64)
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "sigmoid":
        # 1 / (1 + exp(-z)) written with tanh, which never overflows for large |z|.
        return 0.5 * (1.0 + np.tanh(0.5 * z))
    if activation == "tanh":
        return np.tanh(z)
    raise ValueError(f"unknown activation {activation!r}")


def im2col(images: np.typing.ArrayLike, kh: int, kw: int, strides: int | tuple[int, int] = 1) -> np.ndarray:
    """The patches a 'valid' (kh, kw) convolution layer reads, one flat row per output position.

    ``patches[n, i, j]`` is the window ``images[n, i*sh : i*sh + kh, j*sw : j*sw + kw, :]``
    flattened in C order, i.e. tap-row ``a``, then tap-column ``b``, then channel ``c``. That is
    the order of ``kernel.reshape(kh * kw * C_in, C_out)`` for a Keras kernel (kh, kw, C_in,
    C_out), so ``im2col(x, kh, kw, s) @ kernel.reshape(-1, C_out)`` is the layer's output.

    Args:
        images: batch, shape (N, H, W, C_in).
        kh, kw: kernel height and width, 1 <= kh <= H, 1 <= kw <= W.
        strides: an int, or a pair (sh, sw).

    Returns:
        float64 array of shape (N, out_h, out_w, kh * kw * C_in) with
        ``out_h = (H - kh) // sh + 1`` and ``out_w = (W - kw) // sw + 1``.

    Raises:
        ValueError: if ``images`` is not 4D or the kernel does not fit.
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 4:
        raise ValueError(f"images must have shape (N, H, W, C_in), got {images.shape}")
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else tuple(strides)
    n, h, w, c_in = images.shape
    if not (1 <= kh <= h and 1 <= kw <= w and sh >= 1 and sw >= 1):
        raise ValueError("need 1 <= kh <= H, 1 <= kw <= W and strides >= 1")
    out_h, out_w = (h - kh) // sh + 1, (w - kw) // sw + 1
    # Every (kh, kw) window as a view: (N, H - kh + 1, W - kw + 1, C_in, kh, kw); no copy yet.
    windows = np.lib.stride_tricks.sliding_window_view(images, (kh, kw), axis=(1, 2))
    windows = windows[:, ::sh, ::sw]
    # Put the taps before the channel, as in the kernel's layout, then copy into rows.
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(n, out_h, out_w, kh * kw * c_in)


def conv2d_im2col(
    images: np.typing.ArrayLike,
    kernel: np.typing.ArrayLike,
    bias: np.typing.ArrayLike | None = None,
    strides: int | tuple[int, int] = 1,
) -> np.ndarray:
    """A 'valid' 2D convolution layer (no activation) as ONE matrix product of im2col patches.

    ``im2col`` gathers every window into a row of length kh * kw * C_in; reshaping the kernel
    to (kh * kw * C_in, C_out) in the same order turns the whole layer into
    ``patches @ kernel_matrix``: no Python loop over output positions.

    Args:
        images: batch, shape (N, H, W, C_in).
        kernel: weights, shape (kh, kw, C_in, C_out), Keras layout.
        bias: shape (C_out,), or None.
        strides: an int, or a pair (sh, sw).

    Returns:
        float64 array of shape (N, out_h, out_w, C_out), equal to
        ``conv2d_layer(images, kernel, bias, strides, "valid")``.

    Raises:
        ValueError: on inconsistent shapes.
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 4 or np.ndim(images) != 4 or np.shape(images)[3] != kernel.shape[2]:
        raise ValueError("need images (N, H, W, C_in) and kernel (kh, kw, C_in, C_out)")
    kh, kw, c_in, c_out = kernel.shape
    patches = im2col(images, kh, kw, strides)  # (N, out_h, out_w, kh * kw * C_in)
    out = patches @ kernel.reshape(kh * kw * c_in, c_out)
    if bias is not None:
        out = out + np.asarray(bias, dtype=np.float64)
    return out


def box_kernel(k: int) -> np.ndarray:
    """The (k, k) box (mean) filter: every weight 1 / k**2, so the weights sum to 1.

    Args:
        k: side, k >= 1.

    Returns:
        float64 array of shape (k, k).

    Raises:
        ValueError: if ``k`` is not a positive integer.
    """
    if int(k) != k or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    k = int(k)
    return np.full((k, k), 1.0 / k**2)


def gaussian_kernel(size: int, sigma: float) -> np.ndarray:
    """A (size, size) Gaussian blur kernel, normalised to sum 1.

    ``g[i, j] = exp(-((i - c)**2 + (j - c)**2) / (2 * sigma**2)) / Z`` with the centre
    ``c = (size - 1) / 2`` (between two pixels for an even size, so the kernel stays symmetric)
    and ``Z`` the sum of the unnormalised values. ``sigma`` is the standard deviation in pixels.

    Args:
        size: side, size >= 1.
        sigma: standard deviation, sigma > 0.

    Returns:
        float64 array of shape (size, size), symmetric under both flips and transposition.

    Raises:
        ValueError: if ``size`` is not a positive integer or ``sigma <= 0``.
    """
    if int(size) != size or size < 1 or not sigma > 0:
        raise ValueError("need an integer size >= 1 and sigma > 0")
    r = np.arange(int(size)) - (size - 1) / 2  # distances to the centre along one axis
    g = np.exp(-(r[:, None] ** 2 + r[None, :] ** 2) / (2.0 * sigma**2))
    return g / g.sum()


def sobel_kernels() -> tuple[np.ndarray, np.ndarray]:
    """The unscaled Sobel derivative kernels ``(gx, gy)``, for use with cross-correlation.

    ``gx = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]`` and ``gy = gx.T``, so that
    ``correlate2d(img, gx, "same")`` is positive where intensity grows left -> right and
    ``correlate2d(img, gy, "same")`` where it grows top -> bottom.

    Returns:
        (gx, gy): two float64 arrays of shape (3, 3).
    """
    gx = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    return gx, gx.T.copy()


def laplacian_kernel() -> np.ndarray:
    """The 4-neighbour Laplacian ``[[0, 1, 0], [1, -4, 1], [0, 1, 0]]`` (float64, (3, 3)).

    It approximates the sum of the second derivatives: zero on flat regions and ramps, large
    on both sides of an edge and on isolated dots.
    """
    return np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def sharpen_kernel(alpha: float = 1.0) -> np.ndarray:
    """The sharpening kernel ``identity - alpha * laplacian`` (float64, (3, 3)).

    ``identity`` is the 3x3 kernel with a single 1 in the centre (it leaves images unchanged);
    subtracting the Laplacian boosts the pixels that differ from their neighbours. The weights
    sum to 1, so flat regions keep their brightness.

    Args:
        alpha: strength, 0 gives the identity.
    """
    identity = np.zeros((3, 3))
    identity[1, 1] = 1.0
    return identity - alpha * laplacian_kernel()


def gradient_magnitude(image: np.typing.ArrayLike) -> np.ndarray:
    """Sobel gradient magnitude ``sqrt(gx_response**2 + gy_response**2)`` of a 2D image.

    The responses are ``correlate2d(image, gx, "same")`` and ``correlate2d(image, gy, "same")``
    with the kernels of ``sobel_kernels``, so zeros are assumed outside the image (the border
    of a bright image shows up as an edge).

    Args:
        image: shape (H, W), any real dtype (uint8 included).

    Returns:
        float64 array of shape (H, W), >= 0.
    """
    gx, gy = sobel_kernels()
    return np.hypot(correlate2d(image, gx, "same"), correlate2d(image, gy, "same"))


def edge_map(image: np.typing.ArrayLike, threshold: float) -> np.ndarray:
    """Boolean edge map: True where the Sobel gradient magnitude is strictly above ``threshold``.

    Args:
        image: shape (H, W), any real dtype.
        threshold: a magnitude; pixels whose magnitude equals it are not edges.

    Returns:
        bool array of shape (H, W).
    """
    return gradient_magnitude(image) > threshold


def filter_bank_tf(image: np.typing.ArrayLike, kernels: np.typing.ArrayLike) -> np.ndarray:
    """Correlate one image with K kernels in a single ``tf.nn.conv2d`` call, "SAME" padding.

    The image becomes a batch of one single-channel image (1, H, W, 1) and the kernels a filter
    tensor (kh, kw, 1, K), one output channel per kernel. ``tf.nn.conv2d`` cross-correlates (no
    flip) and its "SAME" padding puts the odd extra zero at the bottom/right, so channel ``k``
    equals ``correlate2d(image, kernels[k], "same")``, up to float32 rounding.

    Args:
        image: shape (H, W), any real dtype.
        kernels: shape (K, kh, kw).

    Returns:
        float32 array of shape (H, W, K).

    Raises:
        ValueError: on inputs that are not (H, W) and (K, kh, kw).
    """
    import tensorflow as tf

    image = np.asarray(image, dtype=np.float32)
    kernels = np.asarray(kernels, dtype=np.float32)
    if image.ndim != 2 or kernels.ndim != 3:
        raise ValueError(f"need image (H, W) and kernels (K, kh, kw), got {image.shape} and {kernels.shape}")
    x = image[None, :, :, None]  # (1, H, W, 1): a batch of one single-channel image
    filters = np.transpose(kernels, (1, 2, 0))[:, :, None, :]  # (kh, kw, 1, K)
    y = tf.nn.conv2d(x, filters, strides=1, padding="SAME")  # (1, H, W, K)
    return y.numpy()[0]
