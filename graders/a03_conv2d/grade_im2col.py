"""Hidden graders of im2col and conv2d_im2col (03_conv2d): one `test_<check id>` per check, cases in `cases.py`."""

from __future__ import annotations

from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure
from graders.a03_conv2d import cases as C
from graders.a03_conv2d.cases import CHECK
from graders.a03_conv2d.vectorised import loops_reached, per_pixel_seconds

IM2COL_CASES = C.im2col_cases()
IM2COL_LAYER_CASES = C.im2col_layer_cases()
PROBE_REPEATS = 5
# Seconds per output pixel above which a function with Python loops is judged to loop over pixels.
# Measured on a loaded 2-core machine (best of 5): vectorised code (sliding_window_view, fancy
# indexing, a loop over the kernel taps) 0.01-0.04 us per pixel; a loop over output rows 0.4-0.7 us
# (its per-row cost spread over 199 pixels: tolerated); a loop over output pixels 4-8 us, and about
# 2 us or more even on an idle machine (each iteration slices, calls and stores, under the profiler).
PER_PIXEL_BOUND = 1.0e-6


@cases(IM2COL_CASES, fresh=lambda rng: C.im2col_cases(rng, 2), kind=C.im2col_kind)
def test_im2col_patches(student, case):
    """im2col: shape (N, out_h, out_w, kh*kw*C_in), patches flattened in kernel.reshape order, strides."""
    CHECK.expect_call(student, "im2col", case["images"], case["kh"], case["kw"], strides=case["strides"])


@cases(IM2COL_LAYER_CASES, fresh=lambda rng: C.im2col_layer_cases(rng, 2), kind=C.im2col_layer_kind)
def test_conv2d_im2col_values(student, case):
    """conv2d_im2col equals conv2d_layer(..., padding='valid') with and without bias, with strides."""
    CHECK.expect_call(student, "conv2d_im2col", **case, rtol=1e-6, atol=1e-8)


# No fixed case: the probe's shapes make the bound, its values are drawn per submission.
@cases([], fresh=C.probes, kind=lambda probe: "timing probe", argname="probe")
def test_conv2d_im2col_vectorised(student, probe):
    """conv2d_im2col has no Python loop over output pixels: its code and its speed on a 200x200 image are checked."""
    big, small, kernel = probe
    CHECK.expect_call(student, "conv2d_im2col", big, kernel, rtol=1e-6, atol=1e-8)
    loops = loops_reached(student.defined_functions(), "conv2d_im2col")
    if not loops:
        return  # no Python-level loop anywhere it reaches: vectorised, whatever the machine's load
    seconds = per_pixel_seconds(lambda images: student.call("conv2d_im2col", images, kernel).seconds,
                                big, small, kernel.shape[:2], PROBE_REPEATS)
    if seconds > PER_PIXEL_BOUND:
        raise CheckFailure(
            # The measured time stays out of the message so that grading is deterministic.
            f"conv2d_im2col seems to run a Python loop over output pixels ({loops[0]}): it took more than "
            f"{PER_PIXEL_BOUND * 1e6:g} µs per output pixel on a {big.shape[1]}x{big.shape[2]} image, where one "
            "matrix product of all the patches takes a few hundredths of a µs. Build every patch at once "
            "(sliding_window_view, fancy indexing, or a loop over the kh x kw kernel taps) and multiply once."
        )
