"""Tests proving the reference solutions of 07_segmentation correct against independent oracles.

Oracles: Keras layers holding the same weights (`Conv2DTranspose`, `Conv2D` with `dilation_rate`,
`UpSampling2D`), `keras.metrics.MeanIoU`, `count_params` and `to_json()` of the reference U-Net,
direct transcriptions of the definitions, and the issue's worked examples. The graders' hidden
cases are run through Keras, so every expected value a grader uses is Keras' own. Keras tests are
marked ``slow``; they build small layers only (about 10 s in all).
"""

from __future__ import annotations

import json
import os
from types import ModuleType

import numpy as np
import pytest

from convlab.runtime.bridge import Returned
from graders.a07_segmentation import cases as C
from graders.a07_segmentation import grade_segmentation as T
from graders.a07_segmentation.mistakes import MISTAKES
from solutions import segmentation as ref

# Fresh cases as a submission would draw them (convlab.checking.cases): Keras must agree on those too.
FRESH = np.random.default_rng(2026)


@pytest.fixture(scope="module")
def keras() -> ModuleType:
    """Keras, imported lazily so that the fast tests never load TensorFlow."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


# -- fast tests (numpy only) -----------------------------------------------------------------------


def test_transpose_equals_a_direct_transcription_of_the_stamps() -> None:
    rng = np.random.default_rng(3)
    x, k = rng.normal(size=(2, 3, 4, 2)), rng.normal(size=(3, 2, 3, 2))
    out = np.zeros((2, (3 - 1) * 2 + 3, (4 - 1) * 3 + 3, 3))
    for n, i, j, c, a, b, o in np.ndindex(2, 3, 4, 2, 3, 2, 3):
        out[n, i * 2 + a, j * 3 + b, o] += x[n, i, j, c] * k[a, b, o, c]
    np.testing.assert_allclose(ref.conv2d_transpose(x, k, (2, 3)), out, rtol=1e-12, atol=1e-12)


def test_transpose_is_the_transpose_of_the_convolution_matrix() -> None:
    rng = np.random.default_rng(4)
    for kh, kw, sh, sw, h, w in [(3, 2, 2, 1, 7, 5), (2, 2, 2, 2, 6, 6), (1, 3, 3, 2, 7, 8)]:
        k = rng.normal(size=(kh, kw))
        m = ref.conv2d_matrix(k, (h, w), (sh, sw))
        y = rng.normal(size=((h - kh) // sh + 1, (w - kw) // sw + 1))
        np.testing.assert_allclose((m.T @ y.ravel()).reshape(h, w), C.transpose_of_matrix(k, (h, w), (sh, sw), y),
                                   atol=1e-12)


def test_issue_examples() -> None:
    row = np.array([0.0, 1, 2, 10]).reshape(1, 1, 4, 1)
    np.testing.assert_allclose(ref.upsample(row, (1, 3), "bilinear").ravel(),
                               [0, 0, 1 / 3, 2 / 3, 1, 4 / 3, 5 / 3, 2, 14 / 3, 22 / 3, 10, 10], atol=1e-12)
    assert ref.unet_param_count(1, 4) == 29_348
    assert ref.unet_param_count(1, 4, skips=False) == 26_468
    assert ref.dilate_kernel(np.ones((3, 3, 2, 1)), (2, 3)).shape == (5, 7, 2, 1)


def test_metrics_definitions_on_the_notebook_example() -> None:
    yt, yp = np.array([[0, 1], [1, 1]]), np.array([[0, 1], [0, 2]])
    np.testing.assert_array_equal(ref.segmentation_confusion(yt, yp, 3), [[1, 0, 0], [1, 1, 1], [0, 0, 0]])
    assert ref.pixel_accuracy(yt, yp) == 0.5
    np.testing.assert_allclose(ref.iou_per_class(yt, yp, 4), [1 / 2, 1 / 3, 0, np.nan])
    np.testing.assert_allclose(ref.dice_per_class(yt, yp, 4), [2 / 3, 1 / 2, 0, np.nan])
    assert ref.mean_iou(yt, yp, 4) == pytest.approx((1 / 2 + 1 / 3) / 3)


def test_hidden_label_maps_have_absent_and_prediction_only_classes() -> None:
    for y_true, y_pred, n in T.LABELS:
        present_true, present_pred = set(np.unique(y_true)), set(np.unique(y_pred))
        assert set(range(n)) - present_true - present_pred, "a class absent from both maps"
        assert present_pred - present_true, "a class only in the prediction"
        assert present_true - present_pred, "a class only in the truth"
    assert {np.asarray(t).ndim for t, _, _ in T.LABELS} == {1, 2, 3}


def test_hidden_cases_cover_strides_kernels_rates_and_channels() -> None:
    transposes = T.TRANSPOSE_VALID + T.TRANSPOSE_SAME
    shapes = [(c["kernel"].shape, np.broadcast_to(c["strides"], 2)) for c in transposes]
    assert any((np.array(k[:2]) < s).any() for k, s in shapes), "kernels smaller than the stride"
    assert any((np.array(k[:2]) > s).any() for k, s in shapes), "kernels larger than the stride"
    assert {int(s) for _, st in shapes for s in st} == {1, 2, 3}
    assert any(c["kernel"].shape[2] != c["kernel"].shape[3] for c in transposes)
    assert any(c["x"].shape[1] % 2 for c in transposes) and any(c["x"].shape[1] % 2 == 0 for c in transposes)
    rates = {int(r) for c in T.ATROUS_VALID + T.ATROUS_SAME for r in np.broadcast_to(c["rate"], 2)}
    assert rates == {1, 2, 3}
    assert {c["depth"] for c in T.UNET_CASES + T.PARAM_CASES} == {1, 2, 3}
    assert any(c["input_shape"][0] is None for c in T.UNET_CASES)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_every_mistake_differs_from_the_reference_on_some_hidden_case(name: str) -> None:
    inputs: list[tuple[tuple, dict]] = {
        "conv2d_transpose": [((), c) for c in T.TRANSPOSE_VALID + T.TRANSPOSE_SAME],
        "conv2d_matrix": [((c["kernel"], c["input_shape"], c["strides"]), {}) for c in T.MATRIX_VALUES],
        "dilate_kernel": [((c["kernel"], c["rate"]), {}) for c in T.DILATE],
        "atrous_conv2d": [((), c) for c in T.ATROUS_VALID + T.ATROUS_SAME],
        "upsample": [((), c) for c in T.UP_NEAREST + T.UP_BILINEAR],
        "pixel_accuracy": [(case[:2], {}) for case in T.LABELS],
        "unet_param_count": [(C.unet_args(c), {}) for c in T.PARAM_CASES],
    }.get(name, [(case, {}) for case in T.LABELS])
    reference = getattr(ref, name)
    for mistake_id, _, fn in MISTAKES[name]:
        caught = False
        for args, kwargs in inputs:
            want = np.asarray(reference(*args, **kwargs), dtype=float)
            try:
                wrong = fn(*args, **kwargs)
            except ValueError:  # e.g. taps r + 1 apart no longer fit the input: the grader skips it too
                continue
            if wrong is None:
                continue
            wrong = np.asarray(wrong, dtype=float)
            caught |= wrong.shape != want.shape or not np.allclose(wrong, want, equal_nan=True)
        assert caught, f"{name}/{mistake_id} is never caught by the hidden cases"


def test_expected_unet_graph_matches_the_parameter_formula() -> None:
    for case in T.UNET_CASES:
        nodes = C.expected_unet(case["n_classes"], case["depth"], case["base_filters"], case["skips"])
        assert nodes[-1].cls == "Conv2D" and dict(nodes[-1].config)["activation"] == "softmax"
        assert sum(n.cls == "Concatenate" for n in nodes) == (case["depth"] if case["skips"] else 0)


# -- against Keras ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_conv2d_transpose_equals_keras_on_hidden_cases(keras: ModuleType) -> None:
    fresh = C.conv2d_transpose_cases(FRESH, "valid", 8) + C.conv2d_transpose_cases(FRESH, "same", 8)
    for case in T.TRANSPOSE_VALID + T.TRANSPOSE_SAME + fresh:
        x, k = case["x"].astype(np.float32), case["kernel"].astype(np.float32)
        layer = keras.layers.Conv2DTranspose(k.shape[2], k.shape[:2], strides=case["strides"], padding=case["padding"],
                                             use_bias=False)
        layer.build(x.shape)
        layer.set_weights([k])
        np.testing.assert_allclose(ref.conv2d_transpose(**case), layer(x).numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.slow
def test_conv2d_matrix_equals_keras_conv_and_its_transpose(keras: ModuleType) -> None:
    for case in T.MATRIX_VALUES + T.MATRIX_TRANSPOSE + C.conv2d_matrix_cases(FRESH, 6):
        k, (h, w), strides = case["kernel"], case["input_shape"], case["strides"]
        sh, sw = np.broadcast_to(strides, 2)
        m = ref.conv2d_matrix(k, (h, w), strides)
        conv = keras.layers.Conv2D(1, k.shape, strides=strides, use_bias=False)
        conv.build((1, h, w, 1))
        conv.set_weights([k[:, :, None, None].astype(np.float32)])
        x = case["x"].astype(np.float32)
        np.testing.assert_allclose(m @ case["x"].ravel(), conv(x[None, :, :, None]).numpy().ravel(), rtol=1e-4, atol=1e-4)
        y = case["y"].astype(np.float32)
        up = keras.layers.Conv2DTranspose(1, k.shape, strides=strides, padding="valid", use_bias=False,
                                          output_padding=((h - k.shape[0]) % sh, (w - k.shape[1]) % sw))
        up.build((1, *y.shape, 1))
        up.set_weights([k[:, :, None, None].astype(np.float32)])
        want = up(y[None, :, :, None]).numpy()[0, :, :, 0]
        np.testing.assert_allclose((m.T @ case["y"].ravel()).reshape(h, w), want, rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(C.transpose_of_matrix(k, (h, w), strides, case["y"]), want, rtol=1e-4, atol=1e-4)


@pytest.mark.slow
def test_atrous_conv2d_equals_keras_dilated_conv2d_on_hidden_cases(keras: ModuleType) -> None:
    fresh = C.atrous_cases(FRESH, 6, "valid") + C.atrous_cases(FRESH, 6, "same")
    for case in T.ATROUS_VALID + T.ATROUS_SAME + fresh:
        x, k = case["x"].astype(np.float32), case["kernel"].astype(np.float32)
        layer = keras.layers.Conv2D(k.shape[3], k.shape[:2], dilation_rate=case["rate"], padding=case["padding"],
                                    use_bias=False)
        layer.build(x.shape)
        layer.set_weights([k])
        np.testing.assert_allclose(ref.atrous_conv2d(**case), layer(x).numpy(), rtol=1e-4, atol=1e-4)
        dilated = ref.dilate_kernel(case["kernel"], case["rate"])
        if case["padding"] == "valid":
            np.testing.assert_allclose(ref.atrous_conv2d(case["x"], dilated, 1), ref.atrous_conv2d(**case), atol=1e-9)


@pytest.mark.slow
def test_upsample_equals_keras_upsampling2d_on_hidden_cases(keras: ModuleType) -> None:
    fresh = C.upsample_cases(FRESH, 4, "nearest") + C.upsample_cases(FRESH, 6, "bilinear")
    for case in T.UP_NEAREST + T.UP_BILINEAR + fresh:
        layer = keras.layers.UpSampling2D(size=case["factor"], interpolation=case["method"])
        np.testing.assert_allclose(ref.upsample(**case), layer(case["x"].astype(np.float32)).numpy(), rtol=1e-5,
                                   atol=1e-5)


@pytest.mark.slow
def test_mean_iou_equals_keras_meaniou_on_hidden_cases(keras: ModuleType) -> None:
    for y_true, y_pred, n in T.LABELS + C.label_map_cases(FRESH, 6):
        metric = keras.metrics.MeanIoU(num_classes=n)
        metric.update_state(y_true.astype(np.int64).ravel(), y_pred.astype(np.int64).ravel())
        assert ref.mean_iou(y_true, y_pred, n) == pytest.approx(float(metric.result()), abs=1e-6)


@pytest.mark.slow
def test_build_unet_graph_and_parameters_are_what_the_graders_expect(keras: ModuleType) -> None:
    """The reference U-Net's to_json(), read as the graders read it, equals the expected graph; its
    count_params equals the formula; its output keeps the input's size."""
    for case in T.UNET_CASES + T.PARAM_CASES[:3] + C.unet_cases(FRESH, 4):
        model = ref.build_unet(case["input_shape"], case["n_classes"], case["depth"], case["base_filters"],
                               case["skips"])
        assert model.count_params() == ref.unet_param_count(*C.unet_args(case))
        assert model.output_shape == (None, *case["input_shape"][:2], case["n_classes"])
        nodes, output = T._graph(Returned({"json": model.to_json()}, "keras.Model", []), "build_unet(...)")
        expected = C.expected_unet(case["n_classes"], case["depth"], case["base_filters"], case["skips"])
        assert sorted(T._signature(n["class"], n["config"]) for n in nodes.values()) == sorted(
            T._signature(n.cls, dict(n.config)) for n in expected)
        order = list(nodes)
        assert [nodes[name]["class"] for name in order] == [n.cls for n in expected]
        for node, name in zip(expected, order):
            assert [order.index(source) for source in nodes[name]["inputs"]] == list(node.inputs)
        assert output == order[-1]
        json.loads(model.to_json())  # the bridge sends exactly this text
