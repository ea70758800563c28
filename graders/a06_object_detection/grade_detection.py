"""Hidden graders of assignment 06_object_detection. One test function per check; cases from `cases.py`.

Each function is graded on its own inputs, against the reference in `solutions/detection.py`
(numpy; the loss against its numpy twin `cases.numpy_detection_loss`), so the grading process never
imports TensorFlow. Models cross as descriptions; the trained detector is scored by sending images
in and reading its raw outputs back, then decoding, suppressing and scoring them here.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any
from unittest import mock

import numpy as np
import pytest

from convlab.checking.banned import expect_without_library
from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure, Mistake, expect_array, first_mistake, hint_text, mistakes_from
from convlab.checking.code_reading import calls_function
from convlab.checking.memo import memo
from convlab.checking.pictures import with_boxes
from convlab.runtime.bridge import Returned
from convlab.runtime.student import StudentError
from graders.a06_object_detection import NO_TENSORFLOW
from graders.a06_object_detection import cases as C
from graders.a06_object_detection import protocol as P
from graders.a06_object_detection.mistakes import MISTAKES
from solutions import detection as ref

M = {name: mistakes_from(rows) for name, rows in MISTAKES.items()}
MAX_PARAMS = 150_000
POOLING = {"MaxPooling2D", "AveragePooling2D"}
BLANK = np.zeros((64, 64))  # the canvas failure pictures draw boxes on


def _fixed(generator, name: str) -> list:
    return generator(C.rng(name))


def _describe(boxes: Any) -> str:
    arr = np.asarray(boxes, dtype=float).reshape(-1, 4)
    kind = "list" if isinstance(boxes, list) else f"{np.asarray(boxes).dtype} array"
    return f"{len(arr)} boxes ({kind})"


def _same(a: Any, b: Any, atol: float) -> bool:
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=atol, equal_nan=True))


def _parts_mistake(rows: Sequence[Mistake], args: tuple, kwargs: dict, got: Sequence[Any]) -> Mistake | None:
    """The first known mistake whose (boxes, scores, classes) all equal the student's."""
    for row in rows:
        try:
            wrong = row.fn(*args, **kwargs)
        except Exception:  # noqa: BLE001, S112 - a wrong variant may fail on some inputs
            continue
        if all(_same(g, w, 1e-6) for g, w in zip(got, wrong, strict=True)):
            return row
    return None


def _expect_float(got: Returned, expected: float, *, call: str, mistakes: Sequence[Mistake] = (),
                  args: tuple = (), kwargs: dict | None = None, tol: float = 1e-9) -> None:
    """A float result equal to `expected` (NaN where NaN is expected)."""
    value = got.value
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CheckFailure(f"{call} returned a {got.type_name}; return a float")
    if np.isnan(expected) and np.isnan(value):
        return
    if not np.isnan(expected) and not np.isnan(value) and abs(value - expected) <= tol:
        return
    mistake = None
    for row in mistakes:
        try:
            wrong = float(row.fn(*args, **(kwargs or {})))
        except Exception:  # noqa: BLE001, S112 - a wrong variant may fail on some inputs
            continue
        if (np.isnan(wrong) and np.isnan(value)) or abs(wrong - value) <= tol:
            mistake = row
            break
    raise CheckFailure(f"{call}: expected {expected:.6g}, got {value:.6g}.{hint_text(mistake)}",
                       mistake_id=mistake.id if mistake else "")


def _expect_indices(got: Returned, expected: np.ndarray, *, call: str, mistakes: Sequence[Mistake], args: tuple,
                    kwargs: dict, boxes: np.ndarray) -> None:
    """Exactly the expected int indices in the expected order; a picture of the kept boxes on failure."""
    try:
        expect_array(got, expected, call=call, atol=0, rtol=0, mistakes=mistakes, args=args, kwargs=kwargs)
    except CheckFailure as exc:
        values = np.asarray(got.value) if isinstance(got.value, (np.ndarray, list)) else np.zeros(0)
        ok = values.ndim == 1 and values.dtype.kind in "iuf" and np.all((values >= 0) & (values < max(len(boxes), 1)))
        if ok and len(boxes):
            kept = boxes[values.astype(int)]
            raise with_boxes(exc, _canvas(boxes), boxes[expected], kept, title="kept boxes") from None
        raise
    if np.asarray(got.value).dtype.kind not in "iu":
        raise CheckFailure(f"{call} returned {np.asarray(got.value).dtype} indices; return ints (int64)")


def _canvas(boxes: np.ndarray) -> np.ndarray:
    """A blank background wide enough for the boxes (the pictures draw boxes, the input has no image)."""
    side = int(np.ceil(max(64.0, float(np.max(boxes[:, 2:], initial=0)) + 2)))
    return np.zeros((side, side))


# Functions other tasks call: a failure of the caller may come from them (named in its feedback).
CALLEES = {
    "kmeans_anchors": ("best_anchor", "wh_iou"),
    "best_anchor": ("wh_iou",),
    "encode_targets": ("best_anchor", "wh_iou"),
    "non_max_suppression": ("iou_matrix",),
    "class_aware_nms": ("non_max_suppression", "iou_matrix"),
    "average_precision": ("iou_matrix",),
    "mean_average_precision": ("average_precision", "iou_matrix"),
}


def _probe_fails(student, name: str) -> bool:
    """Whether the student's `name` fails the first case of its own check (cached per submission)."""
    def compute() -> bool:
        try:
            PROBES[name](student)
        except (CheckFailure, StudentError):
            return True
        return False
    return memo(student, ("probe", name), compute)


def _failing_callees(student, caller: str) -> list[str]:
    try:
        functions = student.defined_functions()
    except Exception:  # noqa: BLE001 - without the code no callee can be named
        return []
    return [c for c in CALLEES.get(caller, ()) if calls_function(functions, caller, c) and _probe_fails(student, c)]


def blaming_callees(caller: str):
    """Decorator: a failed case of `caller` names the student's own functions it calls that fail too."""
    def wrap(check):
        @functools.wraps(check)
        def run(student, *args, **kwargs):
            try:
                return check(student, *args, **kwargs)
            except CheckFailure as exc:
                failing = _failing_callees(student, caller)
                if not failing:
                    raise
                note = (f" {caller} calls your {', '.join(failing)}, which fail{'s' if len(failing) == 1 else ''} "
                        "its own check: fix that first.")
                exc.args = (str(exc) + note,)
                raise
        return run
    return wrap


# -- iou_matrix ------------------------------------------------------------------------------------

IOU = _fixed(C.iou_cases, "iou_matrix_values")
IOU_EDGES = _fixed(C.iou_edge_cases, "iou_matrix_edge_cases")


def _check_iou(student, a: Any, b: Any) -> None:
    got = student.call("iou_matrix", a, b)
    expect_array(got, ref.iou_matrix(a, b), call=f"iou_matrix({_describe(a)}, {_describe(b)})", rtol=1e-6,
                 atol=1e-9, mistakes=M["iou_matrix"], args=(a, b))


@cases(IOU, fresh=lambda r: C.iou_cases(r)[:2])
def test_iou_matrix_values(student, case):
    """iou_matrix gives the (N, M) IoU of every pair, for random float and int box sets, overlapping
    clusters and plain lists."""
    _check_iou(student, *case)


@cases(IOU_EDGES)
def test_iou_matrix_edge_cases(student, case):
    """iou_matrix handles empty inputs (a zero-length axis), zero-area boxes (IoU 0, not NaN),
    identical boxes (1) and boxes that only touch (0)."""
    _check_iou(student, *case)


# -- wh_iou and best_anchor ------------------------------------------------------------------------


@cases(_fixed(C.wh_cases, "wh_iou_values"), fresh=lambda r: C.wh_cases(r)[:2])
def test_wh_iou_values(student, case):
    """wh_iou gives the (N, K) IoU of box sizes and anchors placed at a common centre."""
    wh, anchors = case
    got = student.call("wh_iou", wh, anchors)
    expect_array(got, ref.wh_iou(wh, anchors), call=f"wh_iou({len(wh)} sizes, {len(anchors)} anchors)", rtol=1e-6,
                 atol=1e-9, mistakes=M["wh_iou"], args=case)


@cases(_fixed(C.best_anchor_cases, "best_anchor_index"), fresh=lambda r: C.best_anchor_cases(r)[:2])
@blaming_callees("best_anchor")
def test_best_anchor_index(student, case):
    """best_anchor returns, per box, the int index of the anchor with the highest wh_iou (ties: the lowest index)."""
    wh, anchors = case
    got = student.call("best_anchor", wh, anchors)
    call = f"best_anchor({len(wh)} sizes, {len(anchors)} anchors)"
    expect_array(got, ref.best_anchor(wh, anchors), call=call, atol=0, rtol=0, mistakes=M["best_anchor"], args=case)
    if np.asarray(got.value).dtype.kind not in "iu":
        raise CheckFailure(f"{call} returned {np.asarray(got.value).dtype}; return int indices (np.argmax gives them)")


# -- kmeans_anchors --------------------------------------------------------------------------------


@cases(_fixed(C.kmeans_rule_cases, "kmeans_anchors_rule"), fresh=lambda r: C.kmeans_rule_cases(r)[3:5])
@blaming_callees("kmeans_anchors")
def test_kmeans_anchors_rule(student, case):
    """kmeans_anchors follows the stated rule exactly: start from distinct sizes chosen with the seed,
    assign by the highest IoU, move to the mean, stop on an unchanged assignment or after iters
    rounds, sort by area."""
    wh, k, seed, iters = case
    got = student.call("kmeans_anchors", wh, k, seed=seed, iters=iters)
    expect_array(got, ref.kmeans_anchors(wh, k, seed=seed, iters=iters), rtol=1e-6, atol=1e-6,
                 call=f"kmeans_anchors({len(wh)} box sizes, k={k}, seed=<a seed>, iters={iters})",
                 mistakes=M["kmeans_anchors"], args=(wh, k), kwargs={"seed": seed, "iters": iters})


def _avg_iou(wh: np.ndarray, anchors: np.ndarray) -> float:
    return float(ref.wh_iou(wh, anchors).max(axis=1).mean())


@cases(_fixed(C.kmeans_quality_cases, "kmeans_anchors_quality"))
@blaming_callees("kmeans_anchors")
def test_kmeans_anchors_quality(student, case):
    """The anchors fit the boxes: the mean IoU of each box with its best anchor is at least the
    reference's (same seed) minus 0.02, on scene boxes and on VOC-like log-normal sizes."""
    wh, k, seed = case
    got = student.call("kmeans_anchors", wh, k, seed=seed)
    call = f"kmeans_anchors({len(wh)} box sizes, k={k})"
    anchors = np.asarray(got.value, dtype=float) if isinstance(got.value, (np.ndarray, list)) else None
    if anchors is None or anchors.shape != (k, 2) or not np.isfinite(anchors).all():
        raise CheckFailure(f"{call} returned {got.type_name} of shape {np.shape(got.value)}; expected ({k}, 2) finite sizes")
    want = _avg_iou(wh, ref.kmeans_anchors(wh, k, seed=seed))
    mine = _avg_iou(wh, anchors)
    if mine < want - 0.02:
        euclidean = [m for m in M["kmeans_anchors"] if m.id == "euclidean"]
        mistake = first_mistake(euclidean, (wh, k, seed), anchors, same=lambda a, b: _same(a, b, 1e-6))
        raise CheckFailure(f"{call}: the average IoU of a box with its best anchor is {mine:.3f}, below the "
                           f"reference's {want:.3f} - 0.02.{hint_text(mistake)}", mistake_id=mistake.id if mistake else "")


# -- encode_targets --------------------------------------------------------------------------------


def _check_encode(student, case: dict) -> None:
    args = (case["boxes"], case["labels"], case["anchors"], case["grid_size"], case["image_size"], case["n_classes"])
    got = student.call("encode_targets", *args)
    call = (f"encode_targets({len(case['boxes'])} boxes, {len(case['anchors'])} anchors, grid_size={case['grid_size']}, "
            f"image_size={case['image_size']}, n_classes={case['n_classes']})")
    expect_array(got, ref.encode_targets(*args), call=call, rtol=1e-5, atol=1e-5, mistakes=M["encode_targets"], args=args)
    if np.asarray(got.value).dtype != np.float32:
        raise CheckFailure(f"{call} returned {np.asarray(got.value).dtype}; return float32 "
                           "(np.zeros(..., dtype=np.float32))")


@cases(_fixed(C.encode_cases, "encode_targets_values"), fresh=lambda r: C.encode_cases(r)[:2])
@blaming_callees("encode_targets")
def test_encode_targets_values(student, case):
    """encode_targets writes [1, offsets in the cell, log size ratios, one-hot] into the slot [row, column,
    best anchor] of each box (one box per cell), for several grids, anchors, classes and image sizes."""
    _check_encode(student, case)


@cases(C.encode_collision_cases())
@blaming_callees("encode_targets")
def test_encode_targets_collisions(student, case):
    """encode_targets with several boxes in one cell (other anchors, or the same slot: the later box
    replaces the earlier) and boxes on or past the image border (row and column clipped to 0 … S − 1)."""
    _check_encode(student, case)


# -- decode_predictions ----------------------------------------------------------------------------


def _check_decode(student, case: tuple) -> None:
    output, anchors, image_size, threshold = case
    got = student.call("decode_predictions", output, anchors, image_size, score_threshold=threshold)
    call = (f"decode_predictions(output {output.shape}, {len(anchors)} anchors, image_size={image_size}, "
            f"score_threshold={threshold})")
    value = got.value
    if not isinstance(value, list) or len(value) != 3:
        raise CheckFailure(f"{call} returned a {got.type_name}; return a tuple (boxes, scores, classes)")
    want = ref.decode_predictions(output, anchors, image_size, threshold)
    args, kwargs = (output, anchors, image_size), {"score_threshold": threshold}
    if all(_same(g, w, 1e-6) for g, w in zip(value, want, strict=True)):
        if np.asarray(value[2]).dtype.kind not in "iu":
            raise CheckFailure(f"{call} returned {np.asarray(value[2]).dtype} classes; return ints (argmax gives them)")
        return
    mistake = _parts_mistake(M["decode_predictions"], args, kwargs, value)
    hint = hint_text(mistake)
    for part, name, w in zip(value, ("boxes", "scores", "classes"), want, strict=True):
        try:
            expect_array(Returned(part, "numpy.ndarray", []), w, call=f"{call}: {name}", rtol=1e-6, atol=1e-6)
        except CheckFailure as exc:
            failure = CheckFailure(f"{exc}{hint}", mistake_id=mistake.id if mistake else "")
            if name == "boxes" and np.size(part) % 4 == 0:
                raise with_boxes(failure, _canvas(np.concatenate([w, np.asarray(part, float).reshape(-1, 4)])), w,
                                 np.asarray(part, float).reshape(-1, 4), title="decoded boxes") from None
            raise failure from None
    raise CheckFailure(f"{call} differs from the expected detections.{hint}", mistake_id=mistake.id if mistake else "")


@cases(_fixed(C.decode_cases, "decode_predictions_values"), fresh=lambda r: C.decode_cases(r)[:2])
def test_decode_predictions_values(student, case):
    """decode_predictions turns random raw outputs into boxes [x1, y1, x2, y2], scores p · max class
    probability and int classes, keeping scores ≥ the threshold, highest first."""
    _check_decode(student, case)


@cases(_fixed(C.decode_order_cases, "decode_predictions_order"))
def test_decode_predictions_order(student, case):
    """decode_predictions keeps slots with equal scores in slot order (i, j, a): a stable sort of -score."""
    _check_decode(student, case)


# -- non_max_suppression and class_aware_nms --------------------------------------------------------


@cases(_fixed(C.nms_cases, "non_max_suppression_indices"), fresh=lambda r: C.nms_cases(r)[:2])
@blaming_callees("non_max_suppression")
def test_non_max_suppression_indices(student, case):
    """non_max_suppression returns the indices tf.image.non_max_suppression returns: by score (equal
    scores: lower index first), dropping IoU > threshold with a kept box, at most max_outputs; thresholds
    0.3/0.5/0.7, identical, zero-area boxes and IoU exactly at the threshold."""
    boxes, scores, threshold, max_outputs = case
    kwargs = {"iou_threshold": threshold, "max_outputs": max_outputs}
    got = student.call("non_max_suppression", boxes, scores, **kwargs)
    call = f"non_max_suppression({_describe(boxes)}, iou_threshold={threshold}, max_outputs={max_outputs})"
    _expect_indices(got, ref.non_max_suppression(boxes, scores, **kwargs), call=call,
                    mistakes=M["non_max_suppression"], args=(boxes, scores), kwargs=kwargs, boxes=boxes)


def test_non_max_suppression_no_tensorflow(student):
    """non_max_suppression is written with numpy, without TensorFlow (and gives the right indices)."""
    boxes, scores, threshold, max_outputs = _fixed(C.nms_cases, "non_max_suppression_indices")[1]
    got = student.call("non_max_suppression", boxes, scores, iou_threshold=threshold, max_outputs=max_outputs)
    expect_without_library(student.defined_functions(), "non_max_suppression", got,
                           ref.non_max_suppression(boxes, scores, threshold, max_outputs), atol=0, rtol=0,
                           call=f"non_max_suppression({_describe(boxes)}, iou_threshold={threshold})",
                           rule="numpy only: loop over the boxes by score and compare with the kept ones",
                           banned=NO_TENSORFLOW)


@cases(_fixed(C.class_nms_cases, "class_aware_nms_indices"), fresh=lambda r: C.class_nms_cases(r)[:2])
@blaming_callees("class_aware_nms")
def test_class_aware_nms_indices(student, case):
    """class_aware_nms suppresses only within a class and returns the kept indices by score (ties:
    lower index first), at most max_outputs in all."""
    boxes, scores, classes, threshold, max_outputs = case
    kwargs = {"iou_threshold": threshold, "max_outputs": max_outputs}
    got = student.call("class_aware_nms", boxes, scores, classes, **kwargs)
    call = (f"class_aware_nms({_describe(boxes)}, {len(np.unique(classes))} classes, iou_threshold={threshold}, "
            f"max_outputs={max_outputs})")
    _expect_indices(got, ref.class_aware_nms(boxes, scores, classes, **kwargs), call=call,
                    mistakes=M["class_aware_nms"], args=(boxes, scores, classes), kwargs=kwargs, boxes=boxes)


# -- average_precision and mean_average_precision ---------------------------------------------------


def _ap_call(dets: list, truth: list, threshold: float) -> str:
    n_det = sum(len(np.asarray(s).reshape(-1)) for _, s in dets)
    n_truth = sum(len(np.asarray(g).reshape(-1, 4)) for g in truth)
    return f"average_precision({n_det} detections and {n_truth} true boxes in {len(truth)} images, iou_threshold={threshold})"


@cases(C.ap_hand_cases())
@blaming_callees("average_precision")
def test_average_precision_hand_cases(student, case):
    """average_precision on cases worked out by hand: a duplicate detection and a detection on another
    image's box are false positives, no detections give 0, IoU exactly at the threshold counts."""
    dets, truth, threshold, expected = case
    got = student.call("average_precision", dets, truth, iou_threshold=threshold)
    _expect_float(got, expected, call=_ap_call(dets, truth, threshold), mistakes=M["average_precision"],
                  args=(dets, truth), kwargs={"iou_threshold": threshold})


@cases(_fixed(C.ap_random_cases, "average_precision_random"), fresh=lambda r: C.ap_random_cases(r)[:2])
@blaming_callees("average_precision")
def test_average_precision_random(student, case):
    """average_precision on random detections over several images (noisy copies of the truth, clutter,
    equal scores), against an independent implementation."""
    dets, truth, threshold = case
    got = student.call("average_precision", dets, truth, iou_threshold=threshold)
    _expect_float(got, ref.average_precision(dets, truth, threshold), call=_ap_call(dets, truth, threshold),
                  mistakes=M["average_precision"], args=(dets, truth), kwargs={"iou_threshold": threshold})


def _map_fixed() -> list:
    fixed = _fixed(C.map_cases, "mean_average_precision_values")
    no_truth = [(np.zeros((0, 4)), np.zeros(0, np.int64))] * 2
    return [*fixed, (fixed[0][0][:2], no_truth, 3, 0.5)]  # no class has ground truth: NaN


@cases(_map_fixed(), fresh=lambda r: C.map_cases(r)[:2])
@blaming_callees("mean_average_precision")
def test_mean_average_precision_values(student, case):
    """mean_average_precision averages the per-class APs over the classes with ground truth (NaN when
    none has), ignoring detections of the other classes."""
    preds, truth, n_classes, threshold = case
    got = student.call("mean_average_precision", preds, truth, n_classes, iou_threshold=threshold)
    call = f"mean_average_precision({len(truth)} images, n_classes={n_classes}, iou_threshold={threshold})"
    value = got.value.item() if isinstance(got.value, np.ndarray) and got.value.shape == () else got.value
    expected = ref.mean_average_precision(preds, truth, n_classes, threshold)
    if isinstance(value, float) and not _same(value, expected, 1e-9):
        # One mistake costs one task: a mAP that averages the student's own (wrong) per-class APs
        # correctly is a correct mAP; the AP itself is graded by its own checks.
        own = _map_of_own_aps(student, preds, truth, n_classes, threshold)
        if own is not None and _same(value, own, 1e-9):
            return
    _expect_float(got, expected, call=call, mistakes=M["mean_average_precision"], args=(preds, truth, n_classes),
                  kwargs={"iou_threshold": threshold})


def _map_of_own_aps(student, preds: list, truth: list, n_classes: int, threshold: float) -> float | None:
    """The reference mAP with the student's `average_precision` in place of the reference's (None when
    their AP fails or returns no float)."""
    def students_ap(dets: list, class_truth: list, iou_threshold: float = 0.5) -> float:
        value = student.call("average_precision", dets, class_truth, iou_threshold=iou_threshold).value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError("not a float")
        return float(value)

    try:
        with mock.patch.object(ref, "average_precision", students_ap):
            return ref.mean_average_precision(preds, truth, n_classes, threshold)
    except (StudentError, TypeError, CheckFailure):
        return None


# -- build_detector --------------------------------------------------------------------------------

BUILD = C.build_cases()


def _build(student, case: tuple) -> dict:
    def compute() -> dict:
        got = student.call("build_detector", *case)
        if not isinstance(got.value, dict) or "layers" not in got.value:
            raise CheckFailure(f"build_detector{case} returned a {got.type_name}, not a Keras model")
        return got.value
    return memo(student, ("build", case), compute)


@cases(BUILD)
def test_build_detector_output(student, case):
    """build_detector's model takes (H, W, C_in) images and outputs raw (S, S, A, 5 + C) logits: a final
    Reshape after a layer without activation."""
    model = _build(student, case)
    input_shape, s, a, c = case
    call = f"build_detector({input_shape}, grid_size={s}, n_anchors={a}, n_classes={c})"
    if model.get("input_shape") != [None, *input_shape]:
        raise CheckFailure(f"{call}: the input shape is {model.get('input_shape')}, expected {[None, *input_shape]}")
    layers = [layer for layer in model["layers"] if layer["class"] != "InputLayer"]
    shape = layers[-1].get("output_shape") if layers else None
    if shape != [None, s, s, a, 5 + c]:
        raise CheckFailure(f"{call}: the output shape is {shape}, expected {[None, s, s, a, 5 + c]}")
    if layers[-1]["class"] != "Reshape":
        raise CheckFailure(f"{call}: the last layer is a {layers[-1]['class']}; end with keras.layers.Reshape")
    before = layers[-2] if len(layers) > 1 else {}
    if before.get("activation") not in (None, "linear") or before.get("class") in ("Activation", "ReLU", "Softmax"):
        act = before.get("activation") or before.get("class")
        raise CheckFailure(f"{call}: the layer before the Reshape applies {act!r}; the detector outputs raw logits "
                           "(the loss and the decoding apply sigmoid and softmax themselves)")


@cases(BUILD[:2])
def test_build_detector_layers(student, case):
    """build_detector uses Conv2D and pooling layers, no pretrained sub-model, and at most 150,000 parameters."""
    model = _build(student, case)
    call = f"build_detector{case}"
    classes = [layer["class"] for layer in model["layers"]]
    if "Conv2D" not in classes or not POOLING & set(classes):
        raise CheckFailure(f"{call} has layers {', '.join(classes)}; use Conv2D layers and pooling (MaxPooling2D)")
    nested = [c for c in classes if c in ("Functional", "Sequential", "Model")]
    if nested:
        raise CheckFailure(f"{call} contains a whole model ({nested[0]}) as a layer; build the detector from layers, "
                           "without a pretrained backbone")
    params = model.get("count_params") or 0
    if params > MAX_PARAMS:
        raise CheckFailure(f"{call} has {params:,} parameters, more than {MAX_PARAMS:,}: use fewer filters or pool earlier")


# -- detection_loss --------------------------------------------------------------------------------


def _check_loss(student, y_true: np.ndarray, y_pred: np.ndarray) -> None:
    got = student.call("detection_loss", y_true, y_pred)
    call = f"detection_loss(y_true {y_true.shape}, y_pred {y_pred.shape} with |logits| up to {np.abs(y_pred).max():.0f})"
    value = got.value
    if isinstance(value, (float, np.ndarray)) and np.size(value) == 1 and not np.isfinite(value).all():
        raise CheckFailure(f"{call} is not finite ({float(np.ravel(value)[0])}): compute BCE and CE from logits with "
                           "tf.nn.sigmoid_cross_entropy_with_logits and tf.nn.softmax_cross_entropy_with_logits "
                           "(log(sigmoid(t)) and log(1 - sigmoid(t)) overflow for large |t|)", mistake_id="not_finite")
    expect_array(got, np.asarray(C.numpy_detection_loss(y_true, y_pred)), call=call, rtol=1e-4, atol=1e-3,
                 mistakes=M["detection_loss"], args=(y_true, y_pred))


@cases(_fixed(C.loss_cases, "detection_loss_values"), fresh=lambda r: C.loss_cases(r)[:2])
def test_detection_loss_values(student, case):
    """detection_loss equals the stated loss (mean over the batch of the per-image sums) on random
    targets and raw outputs."""
    _check_loss(student, *case)


@cases(_fixed(C.loss_extreme_cases, "detection_loss_extremes"))
def test_detection_loss_extremes(student, case):
    """detection_loss stays finite and right for confident logits of ±80 (BCE and CE from logits)."""
    _check_loss(student, *case)


# -- the trained detector --------------------------------------------------------------------------

PIPELINE = ("kmeans_anchors", "encode_targets", "build_detector", "detection_loss")


def _pipeline_failures(student) -> list[str]:
    """The training pipeline's functions that fail their own first hidden case (named in the feedback)."""
    return [name for name in PIPELINE if _probe_fails(student, name)]


def _cell_failure(student) -> str:
    for run in getattr(student, "runs", []):
        if run.cell.grade_id == "train_detector" and not run.result.ok:
            if run.result.status == "timeout":
                return f"was stopped ({run.result.error})"
            if run.result.ename == "NotImplementedError":
                return "calls a function that is not implemented yet"
            return f"failed with {run.result.error}"
    return ""


def _detector_result(student) -> tuple[float, np.ndarray, np.ndarray]:
    """(mAP, raw outputs, anchors) of the student's trained detector on the grader's scenes."""
    def compute() -> tuple[float, np.ndarray, np.ndarray]:
        try:
            anchors = student.get("detector_anchors")
        except StudentError:
            failure = _cell_failure(student)
            if failure:
                raise StudentError(f"`detector_anchors` is missing because the read-only cell `train_detector` "
                                   f"{failure}", function="detector_anchors", kind="missing") from None
            raise
        anchors = np.asarray(anchors.value, dtype=float) if isinstance(anchors.value, (np.ndarray, list)) else None
        if anchors is None or anchors.shape != (P.N_ANCHORS, 2) or not np.isfinite(anchors).all():
            raise CheckFailure(f"`detector_anchors` is not a ({P.N_ANCHORS}, 2) array of finite sizes")
        images, boxes, labels = P.grader_scenes()
        try:
            outputs = student.call("grader_detector_outputs", images).value
        except StudentError:
            failure = _cell_failure(student)
            if not failure:
                raise
            raise StudentError(f"the read-only cell `train_detector` {failure}", function="grader_detector_outputs",
                               kind="missing") from None
        expected_shape = (len(images), P.GRID, P.GRID, P.N_ANCHORS, 5 + P.N_CLASSES)
        if not isinstance(outputs, np.ndarray) or outputs.shape != expected_shape:
            raise CheckFailure(f"the detector's outputs have shape {np.shape(outputs)}, expected {expected_shape}")
        if not np.isfinite(outputs).all():
            raise CheckFailure("the detector's outputs contain NaN or inf: the training diverged")
        return P.detector_map(outputs.astype(np.float64), anchors, boxes, labels), outputs, anchors
    return memo(student, ("detector",), compute)


BANDS = P.band_levels()


@pytest.mark.weight(4)
@pytest.mark.parametrize("level", BANDS, ids=[f"at_least_{b:.2f}" for b in BANDS])
def test_detector_map(student, level):
    """mAP@0.5 of the trained `detector` on 400 new scenes drawn with a seed only the grader knows
    (reference decoding at score 0.05 with your `detector_anchors`, class-aware NMS at 0.5); one share
    per band reached."""
    value, outputs, anchors = _detector_result(student)
    if value >= level:
        return
    failed = _pipeline_failures(student)
    why = (f"these functions the training uses fail their own checks: {', '.join(failed)}; fix them first" if failed
           else f"the functions the training uses ({', '.join(PIPELINE)}) pass their own checks, so look at the "
                "training cell's loss (it should fall steadily); run the notebook again from the top and tell your "
                "TA if it stays below")
    failure = CheckFailure(f"mAP@0.5 {value:.3f} on {P.GRADER_SIZE} unseen scenes is below {level:.2f} (pass mark "
                           f"{P.THRESHOLD:.2f}): {why}")
    images, boxes, labels = P.grader_scenes()
    b, s, c = ref.decode_predictions(outputs[0], anchors, P.IMAGE_SIZE, P.SCORE_THRESHOLD)
    kept = ref.class_aware_nms(b, s, c, P.NMS_IOU)
    kept = kept[s[kept] >= 0.3]
    raise with_boxes(failure, images[0, ..., 0], boxes[0], b[kept],
                     title="an unseen scene: true boxes | your detections (score >= 0.3, after NMS)") from None


# One or two hidden cases of each function's own checks: how a caller's feedback knows it fails.
PROBES = {
    "iou_matrix": lambda student: test_iou_matrix_values(student, IOU[0]),
    "wh_iou": lambda student: test_wh_iou_values(student, _fixed(C.wh_cases, "wh_iou_values")[0]),
    "best_anchor": lambda student: test_best_anchor_index(student, _fixed(C.best_anchor_cases, "best_anchor_index")[3]),
    "kmeans_anchors": lambda student: test_kmeans_anchors_rule(student, _fixed(C.kmeans_rule_cases, "kmeans_anchors_rule")[2]),
    "encode_targets": lambda student: (test_encode_targets_values(student, _fixed(C.encode_cases, "encode_targets_values")[0]),
                                       test_encode_targets_collisions(student, C.encode_collision_cases()[1])),
    "non_max_suppression": lambda student: test_non_max_suppression_indices(
        student, _fixed(C.nms_cases, "non_max_suppression_indices")[6]),
    "average_precision": lambda student: test_average_precision_hand_cases(student, C.ap_hand_cases()[0]),
    "build_detector": lambda student: test_build_detector_output(student, BUILD[0]),
    "detection_loss": lambda student: test_detection_loss_values(student, _fixed(C.loss_cases, "detection_loss_values")[1]),
}
