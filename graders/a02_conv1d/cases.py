"""The hidden cases of 02_conv1d and the reference they are checked against.

Cases are drawn from a seeded generator over sizes, dtypes and modes (never from the notebook's
examples), so a solution tuned to the visible checks fails here. Every builder takes a case-list
name (the fixed cases, the same for every student) or a submission's generator (its fresh cases).
"""

from __future__ import annotations

import math

import numpy as np

from convlab.checking.calls import Checker
from graders.a02_conv1d.mistakes import MISTAKES
from graders.callables import FunctionSpec
from solutions import conv1d as ref

CHECK = Checker(reference=ref, mistakes=MISTAKES, seed=20260204)
MODES = ("full", "same", "valid")
Source = str | np.random.Generator


def signal_pairs(source: Source, count: int) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """Random float signals and kernels: lengths 1..12, kernels even, odd and longer than x."""
    rng = CHECK.rng(source)
    # The fixed list starts with every size relation once; fresh cases draw all sizes at random.
    fixed = [(1, 1), (1, 4), (5, 2), (6, 4), (3, 7), (8, 8), (2, 9), (9, 3)] if isinstance(source, str) else []
    cases = []
    for i in range(count):
        n, m = fixed[i] if i < len(fixed) else (int(rng.integers(1, 13)), int(rng.integers(1, 13)))
        # Magnitudes in [0.1, 2) with random signs: no sample rounds to an uninformative zero.
        x = (rng.uniform(0.1, 2, n) * rng.choice([-1, 1], n)).round(3)
        w = (rng.uniform(0.1, 2, m) * rng.choice([-1, 1], m)).round(3)
        cases.append((x, w, MODES[i % 3]))
    return cases


def typed_inputs(source: Source) -> list[tuple[object, object, str]]:
    """Lists, int arrays of several widths, uint8 images-like values, float32, length 1."""
    rng = CHECK.rng(source)
    cases: list[tuple[object, object, str]] = []
    kinds = ["list_int", "list_float", "int64", "int32", "uint8", "float32", "len1", "int_kernel_longer",
             "int_float_kernel"]
    if not isinstance(source, str):
        kinds = [str(k) for k in rng.permutation(kinds)]  # a slice of fresh cases holds any kinds
    for i, kind in enumerate(kinds):
        n, m = int(rng.integers(2, 10)), int(rng.integers(1, 6))
        mode = MODES[i % 3] if isinstance(source, str) else str(rng.choice(MODES))
        if kind == "list_int":
            x, w = rng.integers(-5, 6, n).tolist(), rng.integers(-3, 4, m).tolist()
        elif kind == "list_float":
            if isinstance(source, str):
                m = 2  # this fixed case is in 'same' mode: an even kernel, whose centre is ambiguous
            x, w = rng.normal(size=n).round(2).tolist(), rng.normal(size=m).round(2).tolist()
        elif kind in ("int64", "int32"):
            x = rng.integers(-9, 10, n).astype(kind)
            w = rng.integers(-3, 4, m).astype(kind)
        elif kind == "uint8":
            # Products of uint8 values overflow unless the solution converts to float first.
            x = rng.integers(100, 256, n).astype(np.uint8)
            w = np.full(m, 3, dtype=np.uint8)
        elif kind == "float32":
            x = rng.normal(size=n).astype(np.float32)
            w = rng.normal(size=m).astype(np.float32)
        elif kind == "len1":
            x, w = np.array([2.5]), rng.normal(size=m)
        elif kind == "int_float_kernel":
            # Integer samples, fractional weights: an output stored in x's integer type loses its fractions.
            x = rng.integers(-9, 10, n)
            w = (rng.uniform(0.1, 2, m) * rng.choice([-1, 1], m)).round(2) + 0.25
        else:
            x = rng.integers(-4, 5, 3)
            w = rng.integers(-4, 5, 6)
        cases.append((x, w, mode))
    return cases


def matrix_cases(source: Source = "conv_matrix_modes", count: int = 12
                  ) -> list[tuple[np.ndarray, int, str]]:
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        n, m = int(rng.integers(1, 9)), int(rng.integers(1, 7))
        cases.append((rng.normal(size=m).round(3), n, MODES[i % 3]))
    return cases


def length_cases(source: Source = "conv1d_output_length_formula",
                  count: int = 16) -> list[dict[str, int]]:
    rng = CHECK.rng(source)
    cases = [dict(n=5, k=7, stride=1, padding=0, dilation=1),  # kernel longer than input: 0
             dict(n=10, k=3, stride=1, padding=0, dilation=1)] if isinstance(source, str) else []
    for _ in range(count):
        cases.append(dict(n=int(rng.integers(1, 60)), k=int(rng.integers(1, 8)),
                          stride=int(rng.integers(1, 5)), padding=int(rng.integers(0, 4)),
                          dilation=int(rng.integers(1, 4))))
    return cases


def layer_cases(name: Source, paddings: tuple[str, ...], strided: bool, bias: bool,
                 count: int) -> list[dict]:
    rng = CHECK.rng(name)
    cases = []
    for i in range(count):
        batch, steps = int(rng.integers(1, 4)), int(rng.integers(4, 14))
        c_in, c_out, k = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 5))
        stride = dilation = 1
        if strided:
            # Keras refuses stride > 1 together with dilation > 1: vary one at a time.
            if i % 2:
                stride = int(rng.integers(2, 4))
            else:
                dilation = int(rng.integers(2, 4))
        # Keras refuses a 'valid' layer whose dilated kernel is longer than the input.
        steps = max(steps, (k - 1) * dilation + 1)
        dtype = np.float32 if i % 4 == 3 else np.float64
        padding = paddings[i % len(paddings)]
        if not isinstance(name, str):  # fresh cases: any padding and dtype, whatever their count
            dtype, padding = (np.float32, np.float64)[int(rng.integers(2))], str(rng.choice(paddings))
        case = dict(
            x=rng.normal(size=(batch, steps, c_in)).astype(dtype),
            kernel=rng.normal(size=(k, c_in, c_out)).astype(dtype),
            bias=rng.normal(size=c_out).astype(dtype) if bias else None,
            stride=stride, padding=padding, dilation=dilation,
        )
        cases.append(case)
    return cases


def analytic(f: FunctionSpec, g: FunctionSpec, t: np.ndarray) -> np.ndarray:
    if f.kind == g.kind == "box":
        p, q = f.params, g.params
        overlap = np.minimum(p["hi"], t - q["lo"]) - np.maximum(p["lo"], t - q["hi"])
        return np.clip(overlap, 0, None) * p.get("height", 1.0) * q.get("height", 1.0)
    p, q = f.params, g.params
    mu, sigma = p["mu"] + q["mu"], math.hypot(p["sigma"], q["sigma"])
    return FunctionSpec("gaussian", {"mu": mu, "sigma": sigma})(t)


def function_cases(source: Source = "convolve_functions_analytic", count: int = 8
                    ) -> list[tuple[FunctionSpec, FunctionSpec, np.ndarray]]:
    """Grids of 12-16 time units starting anywhere in [-9, 3]; f sits well inside its grid."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        start = float(rng.uniform(-9, 3))
        dt = float(rng.choice([0.01, 0.02, 0.025]))
        t = start + dt * np.arange(int(rng.uniform(12, 16) / dt))
        mid = float(t[len(t) // 2])
        if i % 2 == 0:
            lo1 = mid + float(rng.uniform(-1, 1))
            f = FunctionSpec("box", {"lo": lo1, "hi": lo1 + float(rng.uniform(0.5, 2)),
                                     "height": float(rng.uniform(0.5, 2))})
            lo2 = float(rng.uniform(-1, 1.5))
            g = FunctionSpec("box", {"lo": lo2, "hi": lo2 + float(rng.uniform(0.5, 2)),
                                     "height": float(rng.uniform(0.5, 2))})
        else:
            f = FunctionSpec("gaussian", {"mu": mid + float(rng.uniform(-1, 1)),
                                          "sigma": float(rng.uniform(0.3, 0.8))})
            g = FunctionSpec("gaussian", {"mu": float(rng.uniform(-1, 1.5)),
                                          "sigma": float(rng.uniform(0.3, 0.8))})
        cases.append((f, g, t))
    return cases


def average_cases(source: Source = "moving_average_values", count: int = 10
                   ) -> list[tuple[object, int]]:
    rng = CHECK.rng(source)
    cases: list[tuple[object, int]] = []
    # The fixed list starts with both window edges: k = 1 (one output per sample) and k = n (one output).
    edges = [(int(rng.integers(2, 12)), "k = 1"), (int(rng.integers(2, 12)), "k = n")] if isinstance(source, str) else []
    for n, edge in edges:
        cases.append((rng.normal(size=n).round(3), 1 if edge == "k = 1" else n))
    for i in range(count):
        n = int(rng.integers(1, 20))
        k = int(rng.integers(1, n + 1))
        x: object = rng.normal(size=n).round(3)
        if i % 3 == 1:
            x = rng.integers(0, 10, n)
        elif i % 3 == 2:
            x = rng.normal(size=n).round(2).tolist()
        cases.append((x, k))
    return cases


# -- kinds: the ways cases differ, each drawn again among every submission's fresh cases ---------------


def _input(value: object) -> str:
    return "list" if isinstance(value, list) else str(np.asarray(value).dtype)


def _sizes(n: int, m: int) -> str:
    if n == 1:
        return "x of length 1"
    return "kernel longer than x" if m > n else "kernel as long as x" if m == n else "kernel shorter than x"


def signal_kind(case: tuple) -> tuple[str, ...]:
    """Mode, size relation and their pairing, the parity of the shorter input per mode ('same'
    centres on it, and an even length has two centres), and the inputs' types."""
    x, w, mode = case
    sizes, parity = _sizes(len(x), len(w)), "even" if min(len(x), len(w)) % 2 == 0 else "odd"
    return (f"mode {mode}", sizes, f"{mode}, {sizes}", f"{mode}, shorter input {parity}", f"x {_input(x)}",
            f"w {_input(w)}")


def matrix_kind(case: tuple) -> tuple[str, ...]:
    w, n, mode = case
    return (f"mode {mode}", _sizes(n, len(w)))


def length_kind(case: dict) -> tuple[str, ...]:
    span = case["dilation"] * (case["k"] - 1) + 1
    fits = "nothing fits" if case["n"] + 2 * case["padding"] < span else "fits"
    return (fits, f"stride {'> 1' if case['stride'] > 1 else '1'}", f"dilation {'> 1' if case['dilation'] > 1 else '1'}",
            f"padding {'> 0' if case['padding'] else '0'}")


def layer_kind(case: dict) -> tuple[str, ...]:
    """Padding with stride and dilation, the parity of 'same' padding (odd totals put the extra zero
    on the right, TensorFlow's rule), dtype and bias."""
    padding, stride, dilation = case["padding"], case["stride"], case["dilation"]
    steps, k = case["x"].shape[1], case["kernel"].shape[0]
    labels = [f"padding {padding}", str(case["x"].dtype), f"{padding}, stride {'> 1' if stride > 1 else '1'}",
              f"{padding}, dilation {'> 1' if dilation > 1 else '1'}", "bias" if case["bias"] is not None else "no bias"]
    if padding == "same":
        total = max((-(-steps // stride) - 1) * stride + (k - 1) * dilation + 1 - steps, 0)
        labels.append(f"same, {'odd' if total % 2 else 'even'} total padding")
    return tuple(labels)


def function_kind(case: tuple) -> str:
    return case[0].kind


def average_kind(case: tuple) -> tuple[str, ...]:
    x, k = case
    window = "k = 1" if k == 1 else "k = len(x)" if k == len(x) else "1 < k < len(x)"
    return (_input(x), window)
