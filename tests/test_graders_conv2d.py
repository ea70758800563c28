"""Unit tests of the 03_conv2d graders' own logic: the vectorisation check and the mistake table.

They run in the grading process only (no kernel), so they are fast.
"""

from __future__ import annotations

import ast
import textwrap

import numpy as np
import pytest

from graders.a03_conv2d import cases as C
from graders.a03_conv2d import grade_conv2d, grade_conv2d_layer, grade_edges, grade_filter_bank_tf, grade_im2col
from graders.a03_conv2d.mistakes import MISTAKES
from graders.a03_conv2d.vectorised import loops_reached, per_pixel_seconds
from solutions import conv2d as ref


def _functions(source: str) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(textwrap.dedent(source))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_loop_free_code_has_no_loops():
    fns = _functions("""
        def im2col(x, kh, kw, strides=1):
            return np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(1, 2))
        def conv2d_im2col(images, kernel, bias=None, strides=1):
            return im2col(images, 2, 2) @ kernel.reshape(-1, 3)
    """)
    assert loops_reached(fns, "conv2d_im2col") == []


def test_loops_are_found_in_called_helpers_and_hidden_loops():
    fns = _functions("""
        def patch(x, i, j):
            return x[i:i + 2, j:j + 2]
        def im2col(x, kh, kw, strides=1):
            return np.array([[patch(x, i, j) for j in range(3)] for i in range(3)])
        def conv2d_im2col(images, kernel, bias=None, strides=1):
            return im2col(images, 2, 2) @ kernel
        def other(x):
            return np.vectorize(float)(x)
    """)
    found = loops_reached(fns, "conv2d_im2col")
    assert found and all("im2col" in f for f in found)
    assert loops_reached(fns, "other") == ["vectorize() in other, line 9"]


def test_per_pixel_seconds_subtracts_the_fixed_cost_and_keeps_the_best():
    big, small = np.zeros((1, 101, 101, 1)), np.zeros((1, 11, 11, 1))
    times = iter([0.5, 0.1, 0.011, 0.001, 0.2, 0.05])  # big, small, big, small, ...

    def seconds_of(images: np.ndarray) -> float:
        return next(times)

    # Best big 0.011, best small 0.001: 0.01 s over 100*100 - 10*10 pixels.
    got = per_pixel_seconds(seconds_of, big, small, (2, 2), 3)
    assert got == pytest.approx(0.01 / (100 * 100 - 10 * 10))


def _hidden_cases() -> dict[str, list[tuple[tuple, dict]]]:
    """(args, kwargs) of the graders' hidden calls, per student function."""
    # The impossible 'valid' case tests that a ValueError is raised; it has no reference output.
    pair = [((x, k, m), {}) for x, k, m in grade_conv2d.CONV_CASES + grade_conv2d.CONV_TYPED + grade_conv2d.CONV_ANALYTIC
            if (x, k, m) is not C.MIXED_VALID]
    corr = [((x, k, m), {}) for x, k, m in grade_conv2d.CORR_CASES + grade_conv2d.CORR_ANALYTIC
            if (x, k, m) is not C.MIXED_VALID]
    layer = [((), c) for c in grade_conv2d_layer.LAYER_VALID + grade_conv2d_layer.LAYER_PADDING
             + grade_conv2d_layer.LAYER_STRIDES + grade_conv2d_layer.LAYER_BIAS_ACT]
    return {
        "conv2d": pair,
        "correlate2d": corr,
        "conv2d_layer": layer,
        "im2col": [((c["images"], c["kh"], c["kw"]), {"strides": c["strides"]}) for c in grade_im2col.IM2COL_CASES],
        "conv2d_im2col": [((), c) for c in grade_im2col.IM2COL_LAYER_CASES],
        "box_kernel": [((k,), {}) for k in C.BOX_SIZES],
        "gaussian_kernel": [(c, {}) for c in C.GAUSS_CASES],
        "sobel_kernels": [((), {})],
        "laplacian_kernel": [((), {})],
        "sharpen_kernel": [((), kw) for kw in C.SHARPEN_CASES],
        "gradient_magnitude": [((x,), {}) for x in grade_edges.MAGNITUDE_CASES],
        "edge_map": [(c, {}) for c in grade_edges.EDGE_CASES],
        "filter_bank_tf": [(c, {}) for c in grade_filter_bank_tf.BANK_CASES],
    }


def _reference(name: str, args: tuple, kwargs: dict) -> np.ndarray:
    if name == "filter_bank_tf":  # the graders' own expectation, without TensorFlow
        image, kernels = args
        return np.stack([ref.correlate2d(image, k, "same") for k in kernels], axis=-1)
    return np.asarray(getattr(ref, name)(*args, **kwargs), dtype=float)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_every_mistake_is_wrong_on_some_hidden_case(name):
    """A hint that can never match is dead code; one that matches the truth would accuse right answers."""
    cases = _hidden_cases()[name]
    for mistake_id, _, fn in MISTAKES[name]:
        differs = False
        for args, kwargs in cases:
            try:
                wrong = np.asarray(fn(*args, **kwargs), dtype=float)
            except Exception:  # noqa: BLE001 - a variant only defined on some inputs
                continue
            right = _reference(name, args, kwargs)
            if wrong.shape != right.shape or not np.allclose(wrong, right, rtol=1e-6, atol=1e-9):
                differs = True
                break
        assert differs, f"{name}/{mistake_id} never differs from the reference on the hidden cases"

