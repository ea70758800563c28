"""Seeded hidden cases of assignment 06_object_detection, and a numpy twin of the reference loss.

Every generator draws from its own seeded stream, so the cases are the same on every machine and
never the notebook's examples. `tests/test_reference_detection.py` proves the reference NMS equal to
`tf.image.non_max_suppression` and `numpy_detection_loss` equal to the TensorFlow reference on
these very cases, so the grading process never imports TensorFlow.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import numpy as np

SEED = 20260606


def rng(name: str) -> np.random.Generator:
    return np.random.default_rng([SEED, sum(map(ord, name)), len(name)])


def random_boxes(r: np.random.Generator, n: int, size: float = 64.0, integer: bool = False) -> np.ndarray:
    """(n, 4) boxes inside [0, size]² with positive width and height."""
    x1, y1 = r.uniform(0, size * 0.8, n), r.uniform(0, size * 0.8, n)
    w, h = r.uniform(2, size * 0.4, n), r.uniform(2, size * 0.4, n)
    boxes = np.stack([x1, y1, np.minimum(x1 + w, size), np.minimum(y1 + h, size)], axis=1)
    return np.round(boxes) if integer else boxes


def clustered_boxes(r: np.random.Generator, n: int, size: float = 64.0) -> np.ndarray:
    """(n, 4) boxes in a few tight groups, so IoUs spread over 0 … 1 (what NMS and AP must sort out)."""
    centres = r.uniform(8, size - 8, (max(1, n // 4), 2))
    pick = centres[r.integers(0, len(centres), n)] + r.normal(0, 1.5, (n, 2))
    wh = r.uniform(6, 16, (n, 2)) * r.choice([1.0, 1.0, 1.3], (n, 1))
    return np.concatenate([pick - wh / 2, pick + wh / 2], axis=1)


# -- fair cases: none sits on a decision boundary -------------------------------------------------
#
# Many correct IoUs differ from the reference by round-off: `inter / (union + 1e-7)` (common in public
# detection code), another order of operations. A case whose answer flips when the IoUs move by such
# an amount grades the round-off, not the function: two anchors tied at 0.4 with different unions, a
# detection at IoU exactly 0.5 = the threshold. Random cases are therefore drawn, then rejected when the
# reference's answer changes under any of these nudges of every IoU it computes. The only ties kept
# are the ones the notebook states and shows in a visible check (equal intersection *and* union, so
# every correct IoU ties them exactly).

NUDGE = 1e-6  # relative: far beyond round-off (1e-16) and an epsilon of 1e-7 in a union of >= 1 px²
EPSILON = 1e-7


def _with_epsilon(inter: np.ndarray, union: np.ndarray) -> np.ndarray:
    return inter / (union + EPSILON)


@contextlib.contextmanager
def _nudged_ious(how: str) -> Iterator[None]:
    """The reference module with its two IoU functions changed by `how` (epsilon, up, down)."""
    from solutions import detection as ref

    iou_matrix, wh_iou = ref.iou_matrix, ref.wh_iou

    def nudge(fn: Callable[..., np.ndarray], corners: Callable[[Any, Any], tuple[np.ndarray, np.ndarray]]):
        def nudged(a: Any, b: Any) -> np.ndarray:
            if how == "epsilon":
                return _with_epsilon(*corners(a, b))
            return fn(a, b) * (1 + NUDGE if how == "up" else 1 - NUDGE)
        return nudged

    with mock.patch.multiple(ref, iou_matrix=nudge(iou_matrix, _box_terms), wh_iou=nudge(wh_iou, _wh_terms)):
        yield


def _box_terms(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a, dtype=np.float64).reshape(-1, 4), np.asarray(b, dtype=np.float64).reshape(-1, 4)
    wh = np.clip(np.minimum(a[:, None, 2:], b[None, :, 2:]) - np.maximum(a[:, None, :2], b[None, :, :2]), 0, None)
    inter = wh[..., 0] * wh[..., 1]
    area_a, area_b = np.prod(a[:, 2:] - a[:, :2], axis=1), np.prod(b[:, 2:] - b[:, :2], axis=1)
    return inter, area_a[:, None] + area_b[None, :] - inter


def _wh_terms(wh: Any, anchors: Any) -> tuple[np.ndarray, np.ndarray]:
    wh, anchors = np.asarray(wh, dtype=np.float64).reshape(-1, 2), np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    inter = np.prod(np.minimum(wh[:, None], anchors[None]), axis=2)
    return inter, np.prod(wh, axis=1)[:, None] + np.prod(anchors, axis=1)[None] - inter


def _same_answer(a: Any, b: Any) -> bool:
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(_same_answer(x, y) for x, y in zip(a, b, strict=True))
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))


def is_fair(case: Any, answer: Callable[[Any], Any]) -> bool:
    """Whether the reference's `answer(case)` stays the same when every IoU it uses is nudged."""
    expected = answer(case)
    for how in ("epsilon", "up", "down"):
        with _nudged_ious(how):
            if not _same_answer(answer(case), expected):
                return False
    return True


def fair(cases: list, answer: Callable[[Any], Any]) -> list:
    """The cases of `cases` that are not on a decision boundary of `answer` (see `is_fair`)."""
    return [case for case in cases if is_fair(case, answer)]


def _ref() -> Any:
    from solutions import detection as ref

    return ref


# -- IoU -------------------------------------------------------------------------------------------


def iou_cases(r: np.random.Generator) -> list[tuple[Any, Any]]:
    """Random sets of several sizes: floats, ints, plain lists, clustered (heavy overlap)."""
    cases: list[tuple[Any, Any]] = []
    for i in range(6):
        n, m = int(r.integers(1, 9)), int(r.integers(1, 9))
        integer = i % 3 == 1
        a, b = random_boxes(r, n, integer=integer), random_boxes(r, m, integer=integer)
        if i % 3 == 2:
            a, b = clustered_boxes(r, n), clustered_boxes(r, m)
        if integer:
            a, b = a.astype(np.int64), b.astype(np.int64)
        if i == 4:
            a, b = a.tolist(), b.tolist()
        cases.append((a, b))
    return cases


def iou_edge_cases(r: np.random.Generator) -> list[tuple[Any, Any]]:
    """Empty inputs, zero-area boxes, identical boxes, boxes touching at an edge or a corner."""
    some = random_boxes(r, 3, integer=True).astype(np.int64)
    return [
        ([], some),
        (some, np.zeros((0, 4))),
        (np.array([[2, 2, 2, 8], [5, 5, 5, 5], [0, 0, 4, 4]]), np.array([[2, 2, 2, 8], [5, 5, 5, 5], [1, 1, 3, 3]])),
        (np.array([[0, 0, 10, 10], [3.5, 1, 7.5, 9]]), np.array([[0, 0, 10, 10], [3.5, 1, 7.5, 9]])),
        (np.array([[0, 0, 4, 4], [0, 0, 4, 4]]), np.array([[4, 0, 8, 4], [4, 4, 8, 8], [0, 4, 4, 6], [3, 3, 5, 5]])),
        (np.array([[0, 0, 2, 2]]), np.array([[10, 10, 20, 20], [0, 0, 1, 1]])),
    ]


# -- anchors ---------------------------------------------------------------------------------------


def scene_wh(n_images: int, seed: int) -> np.ndarray:
    """(N, 2) int sizes of the boxes of `n_images` generated scenes."""
    from graders.datasets import shapes_module

    scenes = shapes_module().make_scenes(n_images, seed=seed)
    return np.concatenate([b[:, 2:] - b[:, :2] for b in scenes.boxes])


def lognormal_wh(r: np.random.Generator, n: int) -> np.ndarray:
    """VOC-like sizes: log-normal areas and aspect ratios, rounded to whole pixels."""
    area = np.exp(r.normal(np.log(60 * 60), 1.0, n))
    aspect = np.exp(r.normal(0.0, 0.5, n))  # h / w
    w = np.sqrt(area / aspect)
    return np.maximum(np.round(np.stack([w, w * aspect], axis=1)), 1)


def wh_cases(r: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    cases = []
    for i in range(5):
        wh = r.uniform(1, 40, (int(r.integers(1, 12)), 2))
        anchors = r.uniform(1, 40, (int(r.integers(1, 6)), 2))
        if i == 1:
            wh, anchors = np.round(wh).astype(np.int64), np.round(anchors)
        if i == 3:
            wh[0] = 0  # a box without area: IoU 0 with every anchor of positive area ...
            anchors[-1] = 0  # ... and 0 (not NaN) with an anchor without area: the union is 0
        cases.append((wh, anchors))
    return cases


def best_anchor_cases(r: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random sizes, plus exact ties (two anchors with the same IoU for a box)."""
    cases = []
    for _ in range(3):
        cases += fair([(np.round(r.uniform(2, 40, (int(r.integers(3, 15)), 2))), np.round(r.uniform(2, 40, (4, 2))))],
                      lambda c: _ref().best_anchor(*c))
    cases.append((np.array([[4.0, 4.0], [2.0, 2.0], [6.0, 3.0], [3.0, 6.0]]),
                  np.array([[8.0, 2.0], [2.0, 8.0], [4.0, 4.0], [4.0, 4.0]])))
    cases.append((np.array([[10, 10], [5, 20]]), np.array([[10, 10], [20, 5], [5, 20], [10, 10]])))
    return cases


def kmeans_rule_cases(r: np.random.Generator) -> list[tuple[np.ndarray, int, int, int]]:
    """(wh, k, seed, iters): clear clusters, integer sizes with many ties, scene boxes, few rounds."""
    cases = []
    centres = np.array([[6.0, 6.0], [20.0, 10.0], [10.0, 24.0], [30.0, 30.0]])
    clusters = np.concatenate([c + r.normal(0, 1.0, (15, 2)) for c in centres])
    cases.append((np.maximum(clusters, 1), 4, int(r.integers(0, 1000)), 100))
    ties = np.round(r.uniform(3, 12, (40, 2)))  # few distinct integer sizes: many exact IoU ties
    cases.append((ties, 3, int(r.integers(0, 1000)), 100))
    cases.append((scene_wh(60, int(r.integers(1000, 2000))).astype(float), 3, 0, 100))
    cases.append((lognormal_wh(r, 80), 5, int(r.integers(0, 1000)), 100))
    cases.append((lognormal_wh(r, 50), 4, int(r.integers(0, 1000)), 2))  # stops after `iters` rounds
    cases.append((scene_wh(30, int(r.integers(2000, 3000))), 2, int(r.integers(0, 1000)), 100))
    return fair(cases, lambda c: _ref().kmeans_anchors(c[0], c[1], seed=c[2], iters=c[3]))


def kmeans_quality_cases(r: np.random.Generator) -> list[tuple[np.ndarray, int, int]]:
    """(wh, k, seed): scene boxes and VOC-like log-normal sizes."""
    return [(scene_wh(150, int(r.integers(3000, 4000))).astype(float), 3, int(r.integers(0, 100))),
            (scene_wh(150, int(r.integers(4000, 5000))).astype(float), 5, int(r.integers(0, 100))),
            (lognormal_wh(r, 300), 5, int(r.integers(0, 100))),
            (lognormal_wh(r, 300), 9, int(r.integers(0, 100)))]


# -- targets and decoding --------------------------------------------------------------------------


def encode_cases(r: np.random.Generator) -> list[dict[str, Any]]:
    """Boxes in separate slots (one per cell), several grids, anchors, classes and image sizes."""
    cases = []
    for grid, image, n_anchors, n_classes in ((4, 64, 2, 3), (8, 64, 3, 3), (5, 80, 1, 2), (6, 48, 4, 5)):
        cell = image / grid
        cells = r.choice(grid * grid, int(r.integers(1, 5)), replace=False)
        centres = np.stack([(cells % grid) * cell, (cells // grid) * cell], 1) + r.uniform(0.05, 0.95, (len(cells), 2)) * cell
        wh = r.uniform(3, image / 2, (len(cells), 2))
        boxes = np.concatenate([centres - wh / 2, centres + wh / 2], 1)
        anchors = r.uniform(4, image / 2, (n_anchors, 2))
        labels = r.integers(0, n_classes, len(cells))
        cases.append({"boxes": boxes, "labels": labels, "anchors": anchors, "grid_size": grid,
                      "image_size": image, "n_classes": n_classes})
    cases[1]["boxes"] = np.round(cases[1]["boxes"]).astype(np.int64)  # int boxes, as make_scenes gives
    return fair(cases, _encode)


def _encode(case: dict[str, Any]) -> np.ndarray:
    return _ref().encode_targets(case["boxes"], case["labels"], case["anchors"], case["grid_size"],
                                 case["image_size"], case["n_classes"])


def encode_collision_cases() -> list[dict[str, Any]]:
    """Several boxes in one cell (other anchors, or the very same slot: the later box wins), and
    boxes on or past the image border (row and column clipped to 0 … S − 1)."""
    anchors = np.array([[8.0, 8.0], [20.0, 20.0]])
    base = {"anchors": anchors, "grid_size": 4, "image_size": 64, "n_classes": 3}
    return [
        {**base, "boxes": np.array([[18, 18, 26, 26], [20, 21, 28, 29]]), "labels": np.array([0, 2])},
        {**base, "boxes": np.array([[18, 18, 26, 26], [12, 12, 32, 32], [17, 18, 25, 27]]),
         "labels": np.array([1, 0, 2])},
        {**base, "boxes": np.array([[60, 2, 70, 12], [-6, 50, 4, 70], [58.0, 58.0, 74.0, 74.0]]),
         "labels": np.array([0, 1, 2])},
        {**base, "boxes": np.array([[-20, -20, -4, -8], [0, 0, 16, 16], [48, 48, 64, 64]]), "labels": np.array([2, 1, 0])},
    ]


def decode_cases(r: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray, int, float]]:
    """(output, anchors, image_size, score_threshold): random logits, some slots made confident."""
    cases = []
    for grid, n_anchors, n_classes, image, threshold in ((4, 2, 3, 64, 0.5), (8, 3, 3, 64, 0.3), (5, 1, 2, 100, 0.05),
                                                         (3, 4, 5, 48, 0.6)):
        out = r.normal(0, 1.5, (grid, grid, n_anchors, 5 + n_classes))
        out[..., 0] -= 1.0
        hot = r.random((grid, grid, n_anchors)) < 0.2
        out[..., 0] = np.where(hot, r.uniform(2, 6, hot.shape), out[..., 0])
        cases.append((out, r.uniform(4, image / 2, (n_anchors, 2)), image, threshold))
    return cases


def decode_order_cases(r: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray, int, float]]:
    """Slots with exactly equal scores (copies of one slot): a stable sort keeps them in (i, j, a) order."""
    cases = []
    for grid, n_anchors in ((4, 2), (3, 3)):
        out = r.normal(0, 1, (grid, grid, n_anchors, 8))
        out[..., 0] = -8.0
        slot = np.array([3.0, 0.2, -0.4, 0.1, 0.3, 2.0, 0.0, -1.0])
        for i, j, a in ((0, 1, 0), (1, 0, 1), (2, 2, 0), (2, 0, 1)):
            out[i % grid, j % grid, a % n_anchors] = slot + [0, 0.1 * i, 0.1 * j, 0, 0, 0, 0, 0]
        out[1, 1, 0] = slot + [1.0, 0, 0, 0, 0, 0, 0, 0]
        cases.append((out, np.array([[8.0, 8.0], [16.0, 12.0], [12.0, 16.0]])[:n_anchors], 48, 0.3))
    return cases


# -- NMS -------------------------------------------------------------------------------------------


def nms_cases(r: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray, float, int]]:
    """(boxes, scores, iou_threshold, max_outputs): clustered boxes, unsorted scores, thresholds 0.3,
    0.5, 0.7, a max_outputs smaller than the answer, zero-area and identical boxes, IoU exactly at
    the threshold, equal scores, no boxes."""
    cases = []
    for i, threshold in enumerate((0.3, 0.5, 0.7, 0.5, 0.3, 0.7)):
        n = int(r.integers(6, 30))
        boxes = clustered_boxes(r, n)
        scores = r.random(n)
        if i == 3:
            boxes[1] = boxes[0]  # identical boxes
            boxes[2, 2] = boxes[2, 0]  # zero area
            boxes[4] = [boxes[5, 0], boxes[5, 1], boxes[5, 0], boxes[5, 3]]
        if i == 4:
            scores = np.round(scores * 4) / 4  # many equal scores: lower index first
        cases += fair([(boxes, scores, threshold, 3 if i == 5 else 100)],
                      lambda c: _ref().non_max_suppression(c[0], c[1], c[2], c[3]))
    # Ties the notebook states and its visible check shows: IoU exactly 0.5 is kept (dropped only when
    # strictly greater), and exactly 1/3 with threshold 1/3 ≠ 0.3. An epsilon in the union only lowers
    # an IoU, so such an answer keeps them too.
    exact = np.array([[0, 0, 10, 10], [0, 0, 10, 5], [0, 5, 10, 10], [0, 0, 10, 20], [30, 30, 40, 40]], float)
    cases.append((exact, np.array([0.5, 0.9, 0.8, 0.7, 0.6]), 0.5, 100))
    cases.append((np.zeros((0, 4)), np.zeros(0), 0.5, 10))
    return cases


def class_nms_cases(r: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, float, int]]:
    """(boxes, scores, classes, iou_threshold, max_outputs): overlapping boxes of several classes."""
    cases = []
    for i, threshold in enumerate((0.5, 0.3, 0.7, 0.5)):
        n = int(r.integers(8, 30))
        boxes = clustered_boxes(r, n)
        scores = np.round(r.random(n), 2)
        classes = r.integers(0, 3, n)
        cases.append((boxes, scores, classes, threshold, 4 if i == 3 else 100))
    return fair(cases, lambda c: _ref().class_aware_nms(*c))


# -- AP and mAP ------------------------------------------------------------------------------------

Det = tuple[np.ndarray, np.ndarray]


def _empty() -> Det:
    return np.zeros((0, 4)), np.zeros(0)


def ap_hand_cases() -> list[tuple[list[Det], list[np.ndarray], float, float]]:
    """(detections, ground truth, iou_threshold, expected AP) worked out by hand."""
    g1, g2 = np.array([[0, 0, 10, 10]], float), np.array([[20, 20, 30, 30], [40, 40, 50, 50]], float)
    two = np.array([[0, 0, 10, 10], [0, 0, 10, 10]], float)
    return [
        # A duplicate detection of one object is a false positive: TP, FP, TP, FP -> 0.5 + 0.5 * 2/3.
        ([(two, np.array([0.9, 0.8])), (g2, np.array([0.7, 0.1]))], [g1, g2[:1]], 0.5, 0.5 + 0.5 * 2 / 3),
        # A detection on another image's box is a false positive: FP, TP -> 1 * 1/2.
        ([(g1, np.array([0.9])), (g1, np.array([0.6]))], [np.zeros((0, 4)), g1], 0.5, 0.5),
        # No detections at all: 0.
        ([_empty(), _empty()], [g1, g2], 0.5, 0.0),
        # FP, TP, TP with 2 truths: precision 0, 1/2, 2/3; the envelope lifts the first step to 2/3.
        ([(np.array([[100, 100, 110, 110], [20, 20, 30, 30], [40, 40, 50, 50]], float),
           np.array([0.9, 0.8, 0.7]))], [g2], 0.5, 2 / 3),
        # IoU 0.6 is a hit at threshold 0.5 and a miss at 0.7 (never exactly at the threshold: an IoU
        # written with an epsilon would miss a hit at IoU = threshold, see `fair`).
        ([(np.array([[0, 0, 10, 6]], float), np.array([0.5]))], [g1], 0.5, 1.0),
        ([(np.array([[0, 0, 10, 6]], float), np.array([0.5]))], [g1], 0.7, 0.0),
        # The best *unmatched* box: the second detection takes the other truth (TP, TP) -> 1.
        ([(np.array([[0, 0, 10, 10], [0, 0, 10, 10]], float), np.array([0.9, 0.8]))],
         [np.array([[0, 0, 10, 10], [0, 0, 10, 12]], float)], 0.5, 1.0),
    ]


def ap_random_cases(r: np.random.Generator) -> list[tuple[list[Det], list[np.ndarray], float]]:
    """Noisy copies of the truth plus clutter over several images, equal scores across images."""
    cases = []
    for i, threshold in enumerate((0.5, 0.5, 0.7, 0.3, 0.5)):
        dets, truth = [], []
        for _ in range(int(r.integers(2, 7))):
            g = random_boxes(r, int(r.integers(0, 4)), integer=True)
            truth.append(g)
            hits = g[r.random(len(g)) < 0.8]
            noisy = np.concatenate([hits + r.normal(0, 2.0, hits.shape), hits + r.normal(0, 3.0, hits.shape),
                                    random_boxes(r, int(r.integers(0, 3)))])
            scores = np.round(r.random(len(noisy)), 1 if i == 1 else 6)
            dets.append((noisy, scores))
        if sum(len(g) for g in truth) == 0:
            truth[0] = random_boxes(r, 1, integer=True)
        cases.append((dets, truth, threshold))
    return fair(cases, lambda c: _ref().average_precision(*c))


def map_cases(r: np.random.Generator) -> list[tuple[list, list, int, float]]:
    """(predictions, ground truth, n_classes, iou_threshold); some classes have no ground truth and
    some detections belong to them."""
    cases = []
    for n_classes, threshold, absent in ((3, 0.5, {2}), (4, 0.5, set()), (5, 0.3, {0, 3}), (2, 0.7, set())):
        preds, truth = [], []
        for _ in range(int(r.integers(2, 6))):
            g = random_boxes(r, int(r.integers(1, 4)), integer=True)
            labels = r.choice([c for c in range(n_classes) if c not in absent], len(g))
            truth.append((g, labels))
            noisy = np.concatenate([g + r.normal(0, 2.5, g.shape), random_boxes(r, 2)])
            classes = np.concatenate([np.where(r.random(len(g)) < 0.8, labels, r.integers(0, n_classes, len(g))),
                                      r.integers(0, n_classes, 2)])
            preds.append((noisy, np.round(r.random(len(noisy)), 3), classes))
        cases.append((preds, truth, n_classes, threshold))
    return fair(cases, lambda c: _ref().mean_average_precision(*c))


# -- the network -----------------------------------------------------------------------------------


def build_cases() -> list[tuple[tuple[int, int, int], int, int, int]]:
    """(input_shape, grid_size, n_anchors, n_classes); sides are grid_size · 2^k."""
    return [((64, 64, 1), 8, 3, 3), ((32, 32, 3), 4, 2, 5), ((48, 48, 1), 6, 5, 2), ((64, 64, 1), 16, 1, 4)]


def loss_cases(r: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """(y_true, y_pred) float32: random targets (a few object slots) and random raw outputs."""
    cases = []
    for batch, grid, anchors, classes in ((2, 4, 2, 3), (3, 8, 3, 3), (1, 5, 1, 2), (4, 3, 4, 4)):
        y_true = np.zeros((batch, grid, grid, anchors, 5 + classes), np.float32)
        obj = r.random((batch, grid, grid, anchors)) < 0.15
        obj[0, 0, 0, 0] = True
        n = int(obj.sum())
        y_true[obj, 0] = 1
        y_true[obj, 1:3] = r.uniform(0, 1, (n, 2))
        y_true[obj, 3:5] = r.normal(0, 0.5, (n, 2))
        y_true[obj, 5 + r.integers(0, classes, n)] = 1
        y_pred = r.normal(0, 2, y_true.shape).astype(np.float32)
        cases.append((y_true, y_pred))
    return cases


def loss_extreme_cases(r: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """Logits of ±80 (a confident network, right and wrong): a hand-written log(sigmoid) overflows."""
    cases = []
    for y_true, y_pred in loss_cases(r)[:2]:
        signs = np.where(r.random(y_pred.shape) < 0.5, -1, 1)
        extreme = (80.0 * signs).astype(np.float32)
        extreme[..., 1:5] = np.clip(y_pred[..., 1:5], -3, 3)  # keep the squared terms moderate
        cases.append((y_true, extreme))
    return cases


def numpy_detection_loss(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """The reference `detection_loss` in float64 numpy (BCE and CE from logits, stable)."""
    t, p = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    obj = t[..., 0]

    def sigmoid(x: np.ndarray) -> np.ndarray:
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

    def bce(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
        return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))

    shifted = p[..., 5:] - p[..., 5:].max(axis=-1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    coords = ((sigmoid(p[..., 1:3]) - t[..., 1:3]) ** 2).sum(-1) + ((p[..., 3:5] - t[..., 3:5]) ** 2).sum(-1)
    ce = -(t[..., 5:] * log_softmax).sum(-1)
    per_slot = obj * (5 * coords + bce(p[..., 0], 1.0) + ce) + 0.5 * (1 - obj) * bce(p[..., 0], 0.0)
    return float(per_slot.reshape(len(p), -1).sum(axis=1).mean())
