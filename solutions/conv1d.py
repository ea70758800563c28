"""Reference solutions for assignment 02_conv1d (one-dimensional convolution).

Conventions used throughout:

* A *convolution* flips the kernel: ``(x * w)[i] = sum_j x[j] * w[i - j]``.
  A *cross-correlation* does not: ``c[k] = sum_j x[j + k] * w[j]``.
  Deep-learning "convolution" layers (Keras ``Conv1D``) compute cross-correlations.
* Signals are 1D arrays of shape (n,), kernels of shape (m,) or (k,).
  Batched layer inputs use the channels-last layout (batch, steps, channels).
* Every function returns float64 arrays, whatever the input dtype.

Each function is self-contained (it may call other functions of this module by
name), because its body is pasted into the solution cell of the notebook.
"""

import numpy as np


def conv1d(x: np.typing.ArrayLike, w: np.typing.ArrayLike, mode: str = "full") -> np.ndarray:
    """Discrete 1D convolution of a signal with a kernel, written with explicit loops.

    The full convolution is ``y[i] = sum_j x[j] * w[i - j]``, the sum running over
    every ``j`` for which both indices are in range: the kernel is flipped and slid
    along the signal. The result equals ``np.convolve(x, w, mode)``.

    With ``n = len(x)``, ``m = len(w)``, ``L = max(n, m)`` and ``S = min(n, m)``:

    * ``"full"``: every partial overlap, shape (n + m - 1,).
    * ``"same"``: shape (L,), the full output starting at index ``(S - 1) // 2``;
      when ``S`` is even the extra unmatched sample is dropped on the right.
    * ``"valid"``: complete overlaps only, shape (L - S + 1,), starting at ``S - 1``.

    Convolution is symmetric (``x * w == w * x``), so when the kernel is longer than
    the signal the two simply exchange roles, exactly as in ``np.convolve``.

    Args:
        x: signal, shape (n,), n >= 1. Lists and integer arrays are accepted.
        w: kernel, shape (m,), m >= 1. It may be longer than ``x``.
        mode: ``"full"``, ``"same"`` or ``"valid"``.

    Returns:
        float64 array, shape given by ``mode`` as above.

    Raises:
        ValueError: if an input is not 1D or is empty, or ``mode`` is unknown.
    """
    # Converting first makes integer inputs produce float sums instead of truncated ones.
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if x.ndim != 1 or w.ndim != 1 or x.size == 0 or w.size == 0:
        raise ValueError("x and w must be non-empty 1D arrays")
    n, m = len(x), len(w)
    longer, shorter = max(n, m), min(n, m)

    # Each mode keeps one contiguous block of the full output: (first index, length).
    if mode == "full":
        start, length = 0, n + m - 1
    elif mode == "same":
        start, length = (shorter - 1) // 2, longer
    elif mode == "valid":
        start, length = shorter - 1, longer - shorter + 1
    else:
        raise ValueError(f"mode must be 'full', 'same' or 'valid', got {mode!r}")

    y = np.zeros(length)
    for out in range(length):
        i = start + out  # position in the full output
        total = 0.0
        # Only signal samples j with a kernel tap i - j in 0..m-1 overlap the kernel.
        for j in range(max(0, i - m + 1), min(n, i + 1)):
            total += x[j] * w[i - j]
        y[out] = total
    return y


def correlate1d(x: np.typing.ArrayLike, w: np.typing.ArrayLike, mode: str = "valid") -> np.ndarray:
    """Discrete 1D cross-correlation of real inputs, written with explicit loops.

    The correlation at lag ``k`` is ``c[k] = sum_j x[j + k] * w[j]``: the kernel
    slides along the signal *without* being flipped, which is what deep-learning
    "convolution" layers compute. The result equals ``np.correlate(x, w, mode)``.
    The full output lists the lags ``k = -(m - 1), ..., n - 1``, so its index
    ``i`` is lag ``i - (m - 1)``.

    With ``n = len(x)``, ``m = len(w)``, ``L = max(n, m)`` and ``S = min(n, m)``:

    * ``"full"``: every partial overlap, shape (n + m - 1,).
    * ``"valid"``: complete overlaps only, shape (L - S + 1,), starting at ``S - 1``.
    * ``"same"``: shape (L,). If ``m <= n`` it starts at ``(m - 1) // 2``, as for
      ``conv1d``. If ``m > n`` it starts at ``n // 2``: ``np.correlate`` then
      correlates the longer array with the shorter one and reverses the result, and
      the reversal mirrors the window, so for even ``n`` the extra unmatched sample
      is dropped on the left instead of the right.

    Unlike convolution, correlation is not symmetric: ``correlate1d(w, x)`` is the
    reverse of ``correlate1d(x, w)``, which is why the argument order matters.

    Args:
        x: signal, shape (n,), n >= 1. Lists and integer arrays are accepted.
        w: kernel, shape (m,), m >= 1. It may be longer than ``x``.
        mode: ``"full"``, ``"same"`` or ``"valid"``.

    Returns:
        float64 array, shape given by ``mode`` as above.

    Raises:
        ValueError: if an input is not 1D or is empty, or ``mode`` is unknown.
    """
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if x.ndim != 1 or w.ndim != 1 or x.size == 0 or w.size == 0:
        raise ValueError("x and w must be non-empty 1D arrays")
    n, m = len(x), len(w)
    longer, shorter = max(n, m), min(n, m)

    if mode == "full":
        start, length = 0, n + m - 1
    elif mode == "same":
        start = (m - 1) // 2 if m <= n else n // 2
        length = longer
    elif mode == "valid":
        start, length = shorter - 1, longer - shorter + 1
    else:
        raise ValueError(f"mode must be 'full', 'same' or 'valid', got {mode!r}")

    y = np.zeros(length)
    for out in range(length):
        i = start + out  # position in the full output, i.e. lag i - (m - 1)
        total = 0.0
        # Signal sample j meets kernel tap j - i + m - 1; keep the taps inside 0..m-1.
        for j in range(max(0, i - m + 1), min(n, i + 1)):
            total += x[j] * w[j - i + m - 1]
        y[out] = total
    return y


def conv_matrix(w: np.typing.ArrayLike, n: int, mode: str = "full") -> np.ndarray:
    """Matrix of the linear map ``x -> conv1d(x, w, mode)`` on signals of length n.

    Convolution with a fixed kernel is linear in ``x``, so it is a matrix product:
    ``M @ x == conv1d(x, w, mode)`` for every ``x`` of shape (n,). Row ``i`` computes
    output ``i``, which is full-convolution index ``start + i`` and reads ``x[j]``
    through the kernel tap ``w[start + i - j]``. Hence::

        M[i, j] = w[start + i - j]    (0 when that index is outside 0..m-1)

    where ``start`` is the first full-output index kept by ``mode`` (see ``conv1d``).
    Every diagonal of ``M`` is constant (a Toeplitz matrix), and column ``j`` is the
    kernel shifted down by ``j``: the response to a unit impulse at position ``j``.

    Args:
        w: kernel, shape (m,), m >= 1. Lists and integer arrays are accepted.
        n: length of the signals the matrix acts on, n >= 1.
        mode: ``"full"``, ``"same"`` or ``"valid"``, as in ``conv1d``.

    Returns:
        float64 array of shape (len(conv1d(x, w, mode)), n):
        (n + m - 1, n) for ``"full"``, (max(n, m), n) for ``"same"`` and
        (max(n, m) - min(n, m) + 1, n) for ``"valid"``.

    Raises:
        ValueError: if ``w`` is not a non-empty 1D array, ``n < 1`` or ``mode`` is unknown.
    """
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        raise ValueError("w must be a non-empty 1D array")
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    n, m = int(n), len(w)
    longer, shorter = max(n, m), min(n, m)

    # The same (first index, length) blocks of the full output as in conv1d.
    if mode == "full":
        start, rows = 0, n + m - 1
    elif mode == "same":
        start, rows = (shorter - 1) // 2, longer
    elif mode == "valid":
        start, rows = shorter - 1, longer - shorter + 1
    else:
        raise ValueError(f"mode must be 'full', 'same' or 'valid', got {mode!r}")

    matrix = np.zeros((rows, n))
    for i in range(rows):
        for j in range(n):
            tap = start + i - j
            if 0 <= tap < m:
                matrix[i, j] = w[tap]
    return matrix


def conv1d_output_length(
    n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    """Return the number of outputs of a 1D convolution layer along the steps axis.

    The input of length ``n`` gets ``padding`` zeros on *each* side. A dilated
    kernel of ``k`` taps spans ``dilation * (k - 1) + 1`` input samples, and it is
    moved by ``stride`` samples between outputs, so::

        out = floor((n + 2 * padding - dilation * (k - 1) - 1) / stride) + 1

    When the dilated kernel does not fit in the padded input that value is 0 or
    negative; this function then returns 0 (an empty output) rather than a negative
    length or an error, so it is defined for every valid argument.

    Args:
        n: input length, n >= 0.
        k: number of kernel taps, k >= 1.
        stride: step between consecutive outputs, >= 1.
        padding: zeros added on each side, >= 0.
        dilation: spacing between kernel taps, >= 1 (1 means contiguous taps).

    Returns:
        The output length, a Python int >= 0.

    Raises:
        ValueError: if an argument is out of range.
    """
    if n < 0 or k < 1 or stride < 1 or padding < 0 or dilation < 1:
        raise ValueError("need n >= 0, k >= 1, stride >= 1, padding >= 0, dilation >= 1")
    span = dilation * (k - 1) + 1  # input samples covered by one dilated kernel
    # Floor division rounds towards -inf, so a kernel that does not fit gives <= 0.
    out = (n + 2 * padding - span) // stride + 1
    return int(max(out, 0))


def conv1d_layer(
    x: np.typing.ArrayLike,
    kernel: np.typing.ArrayLike,
    bias: np.typing.ArrayLike | None = None,
    stride: int = 1,
    padding: str = "valid",
    dilation: int = 1,
) -> np.ndarray:
    """Forward pass of a 1D convolution layer, equal to ``keras.layers.Conv1D``.

    Like every deep-learning framework, this computes a cross-correlation (the
    kernel is *not* flipped), summed over input channels::

        y[b, t, o] = bias[o] + sum_{i, c} xp[b, t * stride + i * dilation, c] * kernel[i, c, o]

    where ``xp`` is ``x`` zero-padded along the steps axis according to ``padding``:

    * ``"valid"``: no padding.
    * ``"same"`` (TensorFlow rule): ``out = ceil(steps / stride)`` outputs; the
      ``max((out - 1) * stride + (k - 1) * dilation + 1 - steps, 0)`` zeros needed
      are split with ``total // 2`` on the left and the odd extra one on the right.
    * ``"causal"``: ``(k - 1) * dilation`` zeros on the left only, so output ``t``
      depends on inputs ``0..t * stride`` and never on later steps.

    Keras refuses ``stride > 1`` together with ``dilation > 1`` (for every padding);
    this function accepts it and applies the same formula.

    Args:
        x: input, shape (batch, steps, in_channels).
        kernel: weights, shape (k, in_channels, out_channels), Keras layout.
        bias: shape (out_channels,), or None for no bias.
        stride: step between consecutive outputs, >= 1.
        padding: ``"valid"``, ``"same"`` or ``"causal"``.
        dilation: spacing between kernel taps, >= 1.

    Returns:
        float64 array of shape (batch, out_steps, out_channels), where out_steps is
        ``ceil(steps / stride)`` for "same" and "causal", and
        ``conv1d_output_length(steps, k, stride, 0, dilation)`` for "valid" (0 when the
        dilated kernel is longer than the input, a case Keras refuses with a ValueError).

    Raises:
        ValueError: on inconsistent shapes or invalid arguments.
    """
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if x.ndim != 3 or kernel.ndim != 3 or kernel.shape[1] != x.shape[2] or kernel.shape[0] < 1:
        raise ValueError(
            f"need x (batch, steps, in_channels) and kernel (k, in_channels, out_channels), "
            f"got {x.shape} and {kernel.shape}"
        )
    if stride < 1 or dilation < 1:
        raise ValueError("stride and dilation must be >= 1")
    steps = x.shape[1]
    k, _, out_channels = kernel.shape
    span = (k - 1) * dilation + 1  # input samples covered by one dilated kernel

    if padding == "valid":
        left, right = 0, 0
    elif padding == "same":
        out_steps = -(-steps // stride)  # ceil(steps / stride) with integers only
        total = max((out_steps - 1) * stride + span - steps, 0)
        left, right = total // 2, total - total // 2
    elif padding == "causal":
        left, right = span - 1, 0
    else:
        raise ValueError(f"padding must be 'valid', 'same' or 'causal', got {padding!r}")

    padded = np.pad(x, ((0, 0), (left, right), (0, 0)))
    out_steps = max((steps + left + right - span) // stride + 1, 0)
    y = np.zeros((x.shape[0], out_steps, out_channels))
    for t in range(out_steps):
        # The k input steps seen by output t, every dilation-th sample: (batch, k, in_channels).
        window = padded[:, t * stride : t * stride + span : dilation, :]
        # Contract taps and input channels against the kernel: (batch, out_channels).
        y[:, t, :] = np.tensordot(window, kernel, axes=([1, 2], [0, 1]))

    if bias is not None:
        bias = np.asarray(bias, dtype=np.float64)
        if bias.shape != (out_channels,):
            raise ValueError(f"bias must have shape ({out_channels},), got {bias.shape}")
        y += bias  # broadcast over batch and steps: one bias per output channel
    return y


def convolve_functions(f: object, g: object, t: np.typing.ArrayLike) -> np.ndarray:
    """Riemann-sum approximation of the continuous convolution ``(f * g)(t)``.

    ``(f * g)(t) = integral f(s) g(t - s) ds`` is approximated on the uniform grid
    ``t`` itself::

        (f * g)(t_i) ~= sum_j f(t_j) * g(t_i - t_j) * dt,    dt = t[1] - t[0]

    The sum only visits the grid points, so the grid must cover the support of
    ``f`` (where it is not negligible); ``g`` is evaluated at the differences
    ``t_i - t_j`` and may live anywhere.

    Args:
        f: vectorised callable, maps an array of any shape to an array of the same shape.
        g: vectorised callable, same contract as ``f``.
        t: increasing uniform grid, shape (N,), N >= 2.

    Returns:
        float64 array, shape (N,): the approximation at every grid point.

    Raises:
        ValueError: if ``t`` is not an increasing uniform 1D grid of at least 2 points.
    """
    t = np.asarray(t, dtype=np.float64)
    if t.ndim != 1 or len(t) < 2:
        raise ValueError("t must be a 1D grid with at least 2 points")
    dt = t[1] - t[0]
    if dt <= 0 or not np.allclose(np.diff(t), dt, rtol=1e-6, atol=0.0):
        raise ValueError("t must be increasing and uniformly spaced")

    # broadcast_to also accepts callables that return a scalar, such as a constant.
    f_values = np.broadcast_to(np.asarray(f(t), dtype=np.float64), t.shape)
    # Row i holds g(t_i - t_j) for every j: shape (N, N).
    lags = t[:, None] - t[None, :]
    g_values = np.broadcast_to(np.asarray(g(lags), dtype=np.float64), lags.shape)
    # One matrix-vector product performs all N Riemann sums at once.
    return g_values @ f_values * dt


def moving_average(x: np.typing.ArrayLike, k: int) -> np.ndarray:
    """Mean of every window of k consecutive samples, computed as a convolution.

    Averaging a window is a dot product with the constant kernel ``[1/k] * k``.
    A constant kernel is unchanged by flipping, so convolution and correlation agree,
    and the ``"valid"`` mode keeps only windows that lie entirely inside ``x``:
    ``y[i] = mean(x[i : i + k])``.

    Args:
        x: signal, shape (n,). Lists and integer arrays are accepted.
        k: window length, 1 <= k <= n.

    Returns:
        float64 array of shape (n - k + 1,).

    Raises:
        ValueError: if ``x`` is not 1D or ``k`` is not in 1..n.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("x must be a 1D array")
    # conv1d would swap the roles for k > n, which is not a moving average.
    if int(k) != k or not 1 <= k <= len(x):
        raise ValueError(f"k must be an integer in 1..{len(x)}, got {k!r}")
    return conv1d(x, np.full(int(k), 1.0 / k), mode="valid")
