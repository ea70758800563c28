"""The 06_object_detection reference (`solutions/detection.py`), its hidden cases and its protocol.

The graders compare students with the numpy reference and never import TensorFlow, so this file
proves the reference equal to TensorFlow where the notebook says it is: NMS against
`tf.image.non_max_suppression`, and the numpy twin of the loss against the TensorFlow loss, on the
graders' own cases. It also checks the worked examples, the round trip encode -> decode, and that
the notebook's training cell uses the numbers of `protocol.py`.
"""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pytest

from convlab import course
from convlab.notebook import nbgrader_meta
from graders.a06_object_detection import cases as C
from graders.a06_object_detection import protocol as P
from graders.a06_object_detection.mistakes import MISTAKES
from graders.datasets import shapes_module
from solutions import detection as ref


@pytest.fixture(scope="module")
def tf():
    import tensorflow

    return tensorflow


def _nms_cases() -> list[tuple[np.ndarray, np.ndarray, float, int]]:
    r = np.random.default_rng(7)
    extra = [(C.clustered_boxes(r, 40), r.random(40), t, m) for t, m in ((0.3, 100), (0.5, 5), (0.7, 100))]
    return C.nms_cases("non_max_suppression_indices") + extra


def test_nms_equals_tensorflow_on_the_hidden_cases(tf):
    for boxes, scores, threshold, max_outputs in _nms_cases():
        yx = np.asarray(boxes, np.float32).reshape(-1, 4)[:, [1, 0, 3, 2]]
        want = tf.image.non_max_suppression(yx, np.asarray(scores, np.float32), max_outputs, threshold).numpy()
        got = ref.non_max_suppression(boxes, scores, threshold, max_outputs)
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, want)


def test_class_aware_nms_equals_greedy_nms_with_class_offsets(tf):
    """Moving each class far away (a common trick) makes plain NMS class-aware: same indices, by score."""
    for boxes, scores, classes, threshold, max_outputs in C.class_nms_cases("class_aware_nms_indices"):
        shifted = (boxes + 1000.0 * classes[:, None]).astype(np.float32)[:, [1, 0, 3, 2]]
        want = tf.image.non_max_suppression(shifted, scores.astype(np.float32), max_outputs, threshold).numpy()
        np.testing.assert_array_equal(ref.class_aware_nms(boxes, scores, classes, threshold, max_outputs), want)


def test_numpy_loss_equals_the_tensorflow_reference(tf):
    for y_true, y_pred in C.loss_cases("detection_loss_values") + C.loss_extreme_cases("detection_loss_extremes"):
        want = float(ref.detection_loss(tf.constant(y_true), tf.constant(y_pred)))
        assert np.isfinite(want)
        assert C.numpy_detection_loss(y_true, y_pred) == pytest.approx(want, rel=1e-5, abs=1e-4)


def test_loss_of_a_perfect_prediction_is_small(tf):
    """Targets written back as confident logits: only the tiny BCE of ±20 logits remains."""
    y_true = C.loss_cases("detection_loss_values")[1][0]
    logits = np.where(y_true[..., :1] == 1, 20.0, -20.0)
    offsets = np.clip(y_true[..., 1:3], 1e-6, 1 - 1e-6)
    y_pred = np.concatenate([logits, np.log(offsets / (1 - offsets)), y_true[..., 3:5], 40 * y_true[..., 5:]], -1)
    assert float(ref.detection_loss(tf.constant(y_true), tf.constant(y_pred.astype(np.float32)))) < 1e-3


def test_reference_detector_shape_and_size():
    model = ref.build_detector((64, 64, 1), 8, 3, 3)
    assert model.output_shape == (None, 8, 8, 3, 8)
    assert model.count_params() == 99_432
    for input_shape, s, a, c in C.build_cases():
        assert ref.build_detector(input_shape, s, a, c).output_shape == (None, s, s, a, 5 + c)


def test_encode_then_decode_gives_the_boxes_back():
    scenes = shapes_module().make_scenes(40, seed=11)
    wh = np.concatenate([b[:, 2:] - b[:, :2] for b in scenes.boxes]).astype(float)
    anchors = ref.kmeans_anchors(wh, 3)
    for boxes, labels in zip(scenes.boxes, scenes.labels, strict=True):
        target = ref.encode_targets(boxes, labels, anchors, 8, 64, 3).astype(np.float64)
        offsets = np.clip(target[..., 1:3], 1e-9, 1 - 1e-9)
        raw = np.concatenate([np.where(target[..., :1] == 1, 30.0, -30.0), np.log(offsets / (1 - offsets)),
                              target[..., 3:5], 30 * target[..., 5:]], axis=-1)
        got, scores, classes = ref.decode_predictions(raw, anchors, 64)
        assert len(got) == len(boxes), "scene boxes never share a slot"
        order = np.lexsort((got[:, 1], got[:, 0]))
        want = np.lexsort((boxes[:, 1], boxes[:, 0]))
        np.testing.assert_allclose(got[order], boxes[want], atol=1e-6)
        np.testing.assert_array_equal(classes[order], labels[want])


def test_ap_hand_cases_and_perfect_detections():
    for dets, truth, threshold, expected, kind in C.ap_hand_cases() + C.ap_hand_cases(np.random.default_rng(5)):
        assert ref.average_precision(dets, truth, threshold) == pytest.approx(expected, abs=1e-12), kind
    truth = [C.random_boxes(np.random.default_rng(3), 4) for _ in range(3)]
    assert ref.average_precision([(g, np.linspace(1, 0.5, len(g))) for g in truth], truth) == 1.0
    assert np.isnan(ref.mean_average_precision([], [], 3))


def test_kmeans_stops_early_and_keeps_an_empty_anchor():
    wh = np.array([[4, 4], [4, 4], [5, 5], [30, 30]], float)
    # iters=0: the initial distinct sizes, sorted.
    start = ref.kmeans_anchors(wh, 3, seed=1, iters=0)
    chosen = np.unique(wh, axis=0)[np.random.default_rng(1).choice(3, 3, replace=False)]
    assert sorted(map(tuple, start)) == sorted(map(tuple, chosen))
    np.testing.assert_allclose(ref.kmeans_anchors(wh, 3, seed=1), [[4, 4], [5, 5], [30, 30]])


def test_every_mistake_differs_from_the_reference_somewhere():
    """A hint is only shown when a wrong variant reproduces the output: each must be a real variant."""
    inputs = {
        "iou_matrix": [(a, b) for a, b in C.iou_cases("iou_matrix_values") + C.iou_edge_cases("iou_matrix_edge_cases")],
        "wh_iou": C.wh_cases("wh_iou_values"),
        "best_anchor": C.best_anchor_cases("best_anchor_index"),
        "kmeans_anchors": [c[:2] for c in C.kmeans_rule_cases("kmeans_anchors_rule")],
        "encode_targets": [C.encode_args(c) for c in C.encode_cases("encode_targets_values") + C.encode_collision_cases()],
        "decode_predictions": [c[:3] for c in C.decode_cases("decode_predictions_values")
                               + C.decode_order_cases("decode_predictions_order")],
        "non_max_suppression": [c[:2] for c in C.nms_cases("non_max_suppression_indices")],
        "class_aware_nms": [c[:3] for c in C.class_nms_cases("class_aware_nms_indices")],
        "average_precision": [c[:2] for c in C.ap_hand_cases() + C.ap_random_cases("average_precision_random")],
        "mean_average_precision": [c[:3] for c in C.map_cases("mean_average_precision_values")],
        "detection_loss": C.loss_cases("detection_loss_values"),
    }

    def same(a, b) -> bool:
        if isinstance(a, (tuple, list)) and not isinstance(a, np.ndarray) and len(a) == 3 and np.ndim(a[0]) == 2:
            return all(same(x, y) for x, y in zip(a, b, strict=True))
        a, b = np.asarray(a, float), np.asarray(b, float)
        return a.shape == b.shape and bool(np.allclose(a, b, equal_nan=True))

    for name, rows in MISTAKES.items():
        for mistake_id, hint, fn in rows:
            assert hint.endswith(".") and "expected" not in hint.lower()
            with np.errstate(all="ignore"):
                differs = any(not same(fn(*args), getattr(ref, name)(*args)) for args in inputs[name])
            assert differs, f"{name}/{mistake_id} equals the reference on every case"


def test_notebook_training_cell_uses_the_protocol():
    nb = nbformat.read(course.assignment("06_object_detection").source_notebook, as_version=4)
    cell = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == "train_detector")
    for text in (f"make_scenes({P.TRAIN_SIZE}, seed={P.TRAIN_SEED})", f"EPOCHS, BATCH = {P.EPOCHS}, {P.BATCH_SIZE}",
                 f"warmup_target={P.LEARNING_RATE},", f"kmeans_anchors(train_wh, N_ANCHORS, seed={P.ANCHOR_SEED})",
                 f"GRID, IMAGE_SIZE, N_ANCHORS = {P.GRID}, {P.IMAGE_SIZE}, {P.N_ANCHORS}"):
        assert text in cell.source, f"train_detector does not say {text!r}"
    visible = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == "test_detector").source
    assert f"pass mark on the grader's scenes: {P.THRESHOLD:.2f}" in visible
    # Validation scenes are not the grader's: a visible check on the pass mark itself could fail a
    # correct notebook, so it asserts a floor one band below.
    floor = float(re.search(r"assert validation_map >= ([0-9.]+)", visible).group(1))
    assert floor == pytest.approx(P.THRESHOLD - P.BAND_WIDTH)
    prose = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert f"**{P.THRESHOLD:.2f}**" in prose, "the notebook states the pass mark"
