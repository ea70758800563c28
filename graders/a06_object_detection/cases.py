"""Seeded hidden cases of assignment 06_object_detection, and a numpy twin of the reference loss.

Every builder takes a case-list name (the fixed cases, the same on every machine and never the
notebook's examples) or a submission's generator (its fresh cases); what the fixed list varies by
position, fresh cases draw at random, and the kind functions at the end name each case's kinds.
`tests/test_reference_detection.py` proves the reference NMS equal to `tf.image.non_max_suppression`
and `numpy_detection_loss` equal to the TensorFlow reference on these very cases, so the grading
process never imports TensorFlow.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple
from unittest import mock

import numpy as np

from convlab.checking.calls import Checker
from graders.a06_object_detection.mistakes import MISTAKES
from solutions import detection as ref

CHECK = Checker(reference=ref, mistakes=MISTAKES, seed=20260606)
Source = str | np.random.Generator


def _by_position(rng: np.random.Generator, source: Source, fixed: bool) -> bool:
    """A yes/no attribute: by position in the fixed list, a coin for fresh cases."""
    return fixed if isinstance(source, str) else bool(rng.integers(2))


def _setups(rng: np.random.Generator, source: Source, setups: tuple, count: int) -> list:
    """All of `setups` for the fixed cases, `count` of them at random for fresh ones."""
    return list(setups) if isinstance(source, str) else [setups[int(i)] for i in rng.integers(0, len(setups), count)]




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


# -- IoU -------------------------------------------------------------------------------------------

BOX_FORMS = ("float64", "int64", "int lists")


def iou_cases(source: Source, count: int = 6) -> list[tuple[Any, Any]]:
    """Random sets of 1-8 boxes: floats, ints, plain lists, clustered (heavy overlap)."""
    rng = CHECK.rng(source)
    cases: list[tuple[Any, Any]] = []
    for i in range(count):
        n, m = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        if isinstance(source, str):
            clustered, form = i % 3 == 2, "int lists" if i == 4 else "int64" if i % 3 == 1 else "float64"
        else:
            clustered = bool(rng.integers(2))
            form = "float64" if clustered else BOX_FORMS[int(rng.integers(3))]
        integer = form != "float64"
        a, b = random_boxes(rng, n, integer=integer), random_boxes(rng, m, integer=integer)
        if clustered:
            a, b = clustered_boxes(rng, n), clustered_boxes(rng, m)
        if integer:
            a, b = a.astype(np.int64), b.astype(np.int64)
        if form == "int lists":
            a, b = a.tolist(), b.tolist()
        cases.append((a, b))
    return cases


def iou_edge_cases(source: Source) -> list[tuple[Any, Any]]:
    """Empty inputs, zero-area boxes, identical boxes, boxes touching at an edge or a corner, boxes
    apart; fresh cases draw each again, moved and resized."""
    rng = CHECK.rng(source)
    some = random_boxes(rng, 3, integer=True).astype(np.int64)
    if isinstance(source, str):
        return [
            ([], some),
            (some, np.zeros((0, 4))),
            (np.array([[2, 2, 2, 8], [5, 5, 5, 5], [0, 0, 4, 4]]), np.array([[2, 2, 2, 8], [5, 5, 5, 5], [1, 1, 3, 3]])),
            (np.array([[0, 0, 10, 10], [3.5, 1, 7.5, 9]]), np.array([[0, 0, 10, 10], [3.5, 1, 7.5, 9]])),
            (np.array([[0, 0, 4, 4], [0, 0, 4, 4]]), np.array([[4, 0, 8, 4], [4, 4, 8, 8], [0, 4, 4, 6], [3, 3, 5, 5]])),
            (np.array([[0, 0, 2, 2]]), np.array([[10, 10, 20, 20], [0, 0, 1, 1]])),
        ]
    x, y = (int(v) for v in rng.integers(0, 40, 2))
    w, h = (int(v) for v in rng.integers(2, 12, 2))
    box = np.array([x, y, x + w, y + h])
    line, point = np.array([x + 1, y, x + 1, y + h]), np.array([x + w, y + 1, x + w, y + 1])
    identical = random_boxes(rng, 2)
    return [
        ([], some),
        (some, np.zeros((0, 4))),
        (np.stack([line, point, box]), np.stack([line, point, box + [1, 1, -1, -1]])),
        (identical, identical.copy()),
        (np.stack([box, box]), np.stack([box + [w, 0, w, 0], box + [w, h, w, h], box + [0, h, 0, h],
                                         box + [w - 1, h - 1, 1, 1]])),
        (box[None], np.stack([box + [w + 5, h + 5, w + 9, h + 9], [x, y, x + 1, y + 1]])),
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


def wh_cases(source: Source, count: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random sizes and anchors, float or int; in some cases a box and an anchor without area (IoU 0,
    not NaN: the union of two empty sizes is 0)."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        wh = rng.uniform(1, 40, (int(rng.integers(1, 12)), 2))
        anchors = rng.uniform(1, 40, (int(rng.integers(1, 6)), 2))
        if _by_position(rng, source, i == 1):
            wh, anchors = np.round(wh).astype(np.int64), np.round(anchors)
        if _by_position(rng, source, i == 3):
            wh[0] = 0  # a box without area: IoU 0 with every anchor of positive area ...
            anchors[-1] = 0  # ... and 0 (not NaN) with an anchor without area: the union is 0
        cases.append((wh, anchors))
    return cases


def best_anchor_cases(source: Source, count: int = 3) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random sizes (fair), plus exact ties the notebook states (two anchors with the same IoU for a
    box: the lowest index wins): square boxes between an anchor and its transpose, repeated anchors."""
    rng = CHECK.rng(source)
    cases = []
    for _ in range(count):
        cases += fair([(np.round(rng.uniform(2, 40, (int(rng.integers(3, 15)), 2))), np.round(rng.uniform(2, 40, (4, 2))))],
                      lambda c: ref.best_anchor(*c))
    if isinstance(source, str):
        ties = [(np.array([[4.0, 4.0], [2.0, 2.0], [6.0, 3.0], [3.0, 6.0]]),
                 np.array([[8.0, 2.0], [2.0, 8.0], [4.0, 4.0], [4.0, 4.0]])),
                (np.array([[10, 10], [5, 20]]), np.array([[10, 10], [20, 5], [5, 20], [10, 10]]))]
    else:
        # An anchor and its transpose have the same intersection and union with any square box;
        # repeated anchors tie with everything.
        short, long = int(rng.integers(4, 12)), int(rng.integers(14, 24))
        anchors = np.array([[short, long], [long, short], [4.0 * long, 4.0 * long], [1, 4.0 * long]])
        squares = rng.integers(short + 1, long, (3, 1)).repeat(2, axis=1).astype(float)
        repeated = np.round(rng.uniform(2, 40, (3, 2)))
        ties = [(squares, anchors[rng.permutation(4)]),
                (np.round(rng.uniform(2, 40, (4, 2))).astype(np.int64), repeated[[0, 1, 1, 2]])]
    # Both anchors of a tie have the same intersection and union, so every correct IoU ties them.
    return cases + fair(ties, lambda c: ref.best_anchor(*c))


KMEANS_RECIPES = ("clusters", "ties", "scenes", "lognormal", "few rounds", "int scenes")


def kmeans_rule_cases(source: Source, count: int = 2) -> list[tuple[np.ndarray, int, int, int]]:
    """(wh, k, seed, iters): clear clusters, integer sizes with many ties, scene boxes, log-normal
    sizes, few rounds; every recipe in the fixed list, `count` random ones among the fresh cases."""
    rng = CHECK.rng(source)
    recipes = KMEANS_RECIPES if isinstance(source, str) else [KMEANS_RECIPES[int(i)] for i in rng.integers(0, 6, count)]
    cases = []
    for recipe in recipes:
        if recipe == "clusters":
            centres = np.array([[6.0, 6.0], [20.0, 10.0], [10.0, 24.0], [30.0, 30.0]])
            clusters = np.concatenate([c + rng.normal(0, 1.0, (15, 2)) for c in centres])
            cases.append((np.maximum(clusters, 1), 4, int(rng.integers(0, 1000)), 100))
        elif recipe == "ties":
            ties = np.round(rng.uniform(3, 12, (40, 2)))  # few distinct integer sizes: many exact IoU ties
            cases.append((ties, 3, int(rng.integers(0, 1000)), 100))
        elif recipe == "scenes":
            cases.append((scene_wh(60, int(rng.integers(1000, 2000))).astype(float), 3, 0, 100))
        elif recipe == "lognormal":
            cases.append((lognormal_wh(rng, 80), 5, int(rng.integers(0, 1000)), 100))
        elif recipe == "few rounds":
            cases.append((lognormal_wh(rng, 50), 4, int(rng.integers(0, 1000)), 2))  # stops after `iters` rounds
        else:
            cases.append((scene_wh(30, int(rng.integers(2000, 3000))), 2, int(rng.integers(0, 1000)), 100))
    return fair(cases, lambda c: ref.kmeans_anchors(c[0], c[1], seed=c[2], iters=c[3]))


def kmeans_quality_cases(source: Source) -> list[tuple[np.ndarray, int, int]]:
    """(wh, k, seed): scene boxes and VOC-like log-normal sizes."""
    rng = CHECK.rng(source)
    return [(scene_wh(150, int(rng.integers(3000, 4000))).astype(float), 3, int(rng.integers(0, 100))),
            (scene_wh(150, int(rng.integers(4000, 5000))).astype(float), 5, int(rng.integers(0, 100))),
            (lognormal_wh(rng, 300), 5, int(rng.integers(0, 100))),
            (lognormal_wh(rng, 300), 9, int(rng.integers(0, 100)))]


# -- targets and decoding --------------------------------------------------------------------------

ENCODE_SETUPS = ((4, 64, 2, 3), (8, 64, 3, 3), (5, 80, 1, 2), (6, 48, 4, 5))  # grid, image, anchors, classes


def encode_cases(source: Source, count: int = 2) -> list[dict[str, Any]]:
    """Boxes in separate slots (one per cell), several grids, anchors, classes and image sizes; int
    boxes (as make_scenes gives) in one fixed case, at random among fresh ones."""
    rng = CHECK.rng(source)
    setups = _setups(rng, source, ENCODE_SETUPS, count)
    cases = []
    for position, (grid, image, n_anchors, n_classes) in enumerate(setups):
        cell = image / grid
        cells = rng.choice(grid * grid, int(rng.integers(1, 5)), replace=False)
        centres = np.stack([(cells % grid) * cell, (cells // grid) * cell], 1) + rng.uniform(0.05, 0.95, (len(cells), 2)) * cell
        wh = rng.uniform(3, image / 2, (len(cells), 2))
        boxes = np.concatenate([centres - wh / 2, centres + wh / 2], 1)
        if _by_position(rng, source, position == 1):
            boxes = np.round(boxes).astype(np.int64)
        cases.append({"boxes": boxes, "labels": rng.integers(0, n_classes, len(cells)),
                      "anchors": rng.uniform(4, image / 2, (n_anchors, 2)), "grid_size": grid, "image_size": image,
                      "n_classes": n_classes})
    return fair(cases, encode_answer)


def encode_args(case: dict[str, Any]) -> tuple:
    return tuple(case[k] for k in ("boxes", "labels", "anchors", "grid_size", "image_size", "n_classes"))


def encode_answer(case: dict[str, Any]) -> np.ndarray:
    return ref.encode_targets(*encode_args(case))


def encode_collision_cases(source: Source = "encode_targets_collisions") -> list[dict[str, Any]]:
    """Several boxes in one cell (other anchors, or the very same slot: the later box wins), and
    boxes on or past the image border (row and column clipped to 0 … S − 1); fresh cases draw each
    again, in other cells."""
    anchors = np.array([[8.0, 8.0], [20.0, 20.0]])
    base = {"anchors": anchors, "grid_size": 4, "image_size": 64, "n_classes": 3}
    if isinstance(source, str):
        return fair([
            {**base, "boxes": np.array([[18, 18, 26, 26], [20, 21, 28, 29]]), "labels": np.array([0, 2])},
            {**base, "boxes": np.array([[18, 18, 26, 26], [12, 12, 32, 32], [17, 18, 25, 27]]),
             "labels": np.array([1, 0, 2])},
            {**base, "boxes": np.array([[60, 2, 70, 12], [-6, 50, 4, 70], [58.0, 58.0, 74.0, 74.0]]),
             "labels": np.array([0, 1, 2])},
            {**base, "boxes": np.array([[-20, -20, -4, -8], [0, 0, 16, 16], [48, 48, 64, 64]]),
             "labels": np.array([2, 1, 0])},
        ], encode_answer)
    rng = source
    corner = rng.integers(0, 4, 2) * 16 + 4  # inside a cell: small and large boxes centred in it
    small = [*(corner + rng.integers(0, 4, 2)), *(corner + rng.integers(0, 4, 2) + 8)]
    again = [*(corner + rng.integers(0, 4, 2)), *(corner + rng.integers(0, 4, 2) + 7)]
    large = [corner[0] - 6, corner[1] - 6, corner[0] + 14, corner[1] + 14]
    side = int(rng.integers(8, 16))
    outside = [[64 - side // 2 + 2, 2, 64 + side, 2 + side], [-side, 40, side // 2 - 3, 40 + side]]
    cases = [{**base, "boxes": np.array([small, large, again]), "labels": rng.integers(0, 3, 3)},
             {**base, "boxes": np.array(outside, float), "labels": rng.integers(0, 3, 2)}]
    return fair(cases, encode_answer)


DECODE_SETUPS = ((4, 2, 3, 64, 0.5), (8, 3, 3, 64, 0.3), (5, 1, 2, 100, 0.05), (3, 4, 5, 48, 0.6))


def decode_cases(source: Source, count: int = 2) -> list[tuple[np.ndarray, np.ndarray, int, float]]:
    """(output, anchors, image_size, score_threshold): random logits, some slots made confident."""
    rng = CHECK.rng(source)
    setups = _setups(rng, source, DECODE_SETUPS, count)
    cases = []
    for grid, n_anchors, n_classes, image, threshold in setups:
        out = rng.normal(0, 1.5, (grid, grid, n_anchors, 5 + n_classes))
        out[..., 0] -= 1.0
        hot = rng.random((grid, grid, n_anchors)) < 0.2
        out[..., 0] = np.where(hot, rng.uniform(2, 6, hot.shape), out[..., 0])
        cases.append((out, rng.uniform(4, image / 2, (n_anchors, 2)), image, threshold))
    return cases


def decode_order_cases(source: Source) -> list[tuple[np.ndarray, np.ndarray, int, float]]:
    """Slots with exactly equal scores (copies of one slot): a stable sort keeps them in (i, j, a)
    order; fresh cases put the copies in other slots."""
    rng = CHECK.rng(source)
    cases = []
    for grid, n_anchors in ((4, 2), (3, 3)):
        out = rng.normal(0, 1, (grid, grid, n_anchors, 8))
        out[..., 0] = -8.0
        slot = np.array([3.0, 0.2, -0.4, 0.1, 0.3, 2.0, 0.0, -1.0])
        where = [(0, 1, 0), (1, 0, 1), (2, 2, 0), (2, 0, 1), (1, 1, 0)]
        if not isinstance(source, str):
            slot[1:] = rng.normal(0, 1, 7).round(2)
            slots = rng.choice(grid * grid * n_anchors, 5, replace=False)
            where = [(int(k) // (grid * n_anchors), int(k) // n_anchors % grid, int(k) % n_anchors) for k in slots]
        for i, j, a in where[:4]:
            out[i % grid, j % grid, a % n_anchors] = slot + [0, 0.1 * i, 0.1 * j, 0, 0, 0, 0, 0]
        out[where[4]] = slot + [1.0, 0, 0, 0, 0, 0, 0, 0]
        cases.append((out, np.array([[8.0, 8.0], [16.0, 12.0], [12.0, 16.0]])[:n_anchors], 48, 0.3))
    return cases


# -- NMS -------------------------------------------------------------------------------------------

NMS_VARIANTS = ("plain", "identical and zero-area boxes", "equal scores", "max_outputs", "exact tie", "no boxes")


def nms_cases(source: Source, count: int = 2) -> list[tuple[np.ndarray, np.ndarray, float, int]]:
    """(boxes, scores, iou_threshold, max_outputs): clustered boxes, unsorted scores, thresholds 0.3,
    0.5, 0.7, a max_outputs smaller than the answer, zero-area and identical boxes, IoU exactly at
    the threshold, equal scores, no boxes; fresh cases draw `count` of these at random."""
    rng = CHECK.rng(source)
    if isinstance(source, str):
        plan = [(NMS_VARIANTS[{3: 1, 4: 2, 5: 3}.get(i, 0)], t) for i, t in enumerate((0.3, 0.5, 0.7, 0.5, 0.3, 0.7))]
        plan += [("exact tie", 0.5), ("no boxes", 0.5)]
    else:
        plan = [(NMS_VARIANTS[int(rng.integers(6))], float(rng.choice([0.3, 0.5, 0.7]))) for _ in range(count)]
    cases = []
    for variant, threshold in plan:
        if variant == "exact tie":
            cases.append(_exact_tie(rng, source))
        elif variant == "no boxes":
            cases.append((np.zeros((0, 4)), np.zeros(0), threshold, 10 if isinstance(source, str) else 100))
        else:
            cases += fair([_nms_case(rng, variant, threshold)], lambda c: ref.non_max_suppression(*c))
    return cases


def _nms_case(rng: np.random.Generator, variant: str, threshold: float) -> tuple[np.ndarray, np.ndarray, float, int]:
    n = int(rng.integers(6, 30))
    boxes = clustered_boxes(rng, n)
    scores = rng.random(n)
    if variant == "identical and zero-area boxes":
        boxes[1] = boxes[0]  # identical boxes
        boxes[2, 2] = boxes[2, 0]  # zero area
        boxes[4] = [boxes[5, 0], boxes[5, 1], boxes[5, 0], boxes[5, 3]]
    if variant == "equal scores":
        scores = np.round(scores * 4) / 4  # many equal scores: lower index first
    return boxes, scores, threshold, 3 if variant == "max_outputs" else 100


# Ties the notebook states and its visible check shows: IoU exactly 0.5 is kept (dropped only when
# strictly greater). An epsilon in the union only lowers an IoU, so such an answer keeps them too;
# integer corners moved and scaled by whole numbers keep the IoUs exact.
EXACT = np.array([[0, 0, 10, 10], [0, 0, 10, 5], [0, 5, 10, 10], [0, 0, 10, 20], [30, 30, 40, 40]], float)
EXACT_SCORES = np.array([0.5, 0.9, 0.8, 0.7, 0.6])


def _exact_tie(rng: np.random.Generator, source: Source) -> tuple[np.ndarray, np.ndarray, float, int]:
    if isinstance(source, str):
        return EXACT, EXACT_SCORES, 0.5, 100
    boxes = EXACT * int(rng.integers(1, 4)) + np.tile(rng.integers(0, 20, 2), 2)
    scores = np.sort(rng.uniform(0.05, 1, 5))[np.argsort(np.argsort(EXACT_SCORES))]
    order = rng.permutation(5)
    return boxes[order], scores[order], 0.5, 100


def class_nms_cases(source: Source, count: int = 2) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, float, int]]:
    """(boxes, scores, classes, iou_threshold, max_outputs): overlapping boxes of several classes,
    scores to two decimals (some equal), a max_outputs smaller than the answer in one fixed case."""
    rng = CHECK.rng(source)
    thresholds = (0.5, 0.3, 0.7, 0.5) if isinstance(source, str) else rng.choice([0.3, 0.5, 0.7], count)
    cases = []
    for i, threshold in enumerate(thresholds):
        n = int(rng.integers(8, 30))
        boxes = clustered_boxes(rng, n)
        scores = np.round(rng.random(n), 2)
        classes = rng.integers(0, 3, n)
        capped = _by_position(rng, source, i == 3)
        cases.append((boxes, scores, classes, float(threshold), 4 if capped else 100))
    return fair(cases, lambda c: ref.class_aware_nms(*c))


# -- AP and mAP ------------------------------------------------------------------------------------

Det = tuple[np.ndarray, np.ndarray]


class HandCase(NamedTuple):
    """An average_precision case worked out by hand: its inputs, the AP and what it tests (its kind)."""

    detections: list[Det]
    ground_truth: list[np.ndarray]
    iou_threshold: float
    expected: float
    kind: str


def _empty() -> Det:
    return np.zeros((0, 4)), np.zeros(0)


def ap_hand_cases(source: Source = "average_precision_hand_cases") -> list[HandCase]:
    """(detections, ground truth, iou_threshold, expected AP, kind) worked out by hand. Fresh cases
    are the same situations moved and scaled by whole numbers (IoUs unchanged, exactly) with other
    scores in the same order."""
    g1, g2 = np.array([[0, 0, 10, 10]], float), np.array([[20, 20, 30, 30], [40, 40, 50, 50]], float)
    two = np.array([[0, 0, 10, 10], [0, 0, 10, 10]], float)
    cases = [
        # A duplicate detection of one object is a false positive: TP, FP, TP, FP -> 0.5 + 0.5 * 2/3.
        HandCase([(two, np.array([0.9, 0.8])), (g2, np.array([0.7, 0.1]))], [g1, g2[:1]], 0.5, 0.5 + 0.5 * 2 / 3,
                 "a duplicate detection"),
        # A detection on another image's box is a false positive: FP, TP -> 1 * 1/2.
        HandCase([(g1, np.array([0.9])), (g1, np.array([0.6]))], [np.zeros((0, 4)), g1], 0.5, 0.5,
                 "a detection on another image's box"),
        HandCase([_empty(), _empty()], [g1, g2], 0.5, 0.0, "no detections"),
        # FP, TP, TP with 2 truths: precision 0, 1/2, 2/3; the envelope lifts the first step to 2/3.
        HandCase([(np.array([[100, 100, 110, 110], [20, 20, 30, 30], [40, 40, 50, 50]], float),
                   np.array([0.9, 0.8, 0.7]))], [g2], 0.5, 2 / 3, "the precision envelope"),
        # IoU 0.6 is a hit at threshold 0.5 and a miss at 0.7 (never exactly at the threshold: an IoU
        # written with an epsilon would miss a hit at IoU = threshold, see `fair`).
        HandCase([(np.array([[0, 0, 10, 6]], float), np.array([0.5]))], [g1], 0.5, 1.0, "IoU above the threshold"),
        HandCase([(np.array([[0, 0, 10, 6]], float), np.array([0.5]))], [g1], 0.7, 0.0, "IoU below the threshold"),
        # The best *unmatched* box: the second detection takes the other truth (TP, TP) -> 1.
        HandCase([(np.array([[0, 0, 10, 10], [0, 0, 10, 10]], float), np.array([0.9, 0.8]))],
                 [np.array([[0, 0, 10, 10], [0, 0, 10, 12]], float)], 0.5, 1.0, "the best unmatched box"),
    ]
    if isinstance(source, str):
        return cases
    return [_moved(source, case) for case in cases]


def _moved(rng: np.random.Generator, case: HandCase) -> HandCase:
    scale, shift = int(rng.integers(1, 4)), np.tile(rng.integers(0, 30, 2), 2)
    all_scores = np.concatenate([np.asarray(s, float) for _, s in case.detections])
    new = dict(zip(np.unique(all_scores), np.sort(rng.uniform(0.01, 1, len(np.unique(all_scores)))), strict=True))
    detections = [(b * scale + shift, np.array([new[v] for v in np.asarray(s, float)])) for b, s in case.detections]
    return case._replace(detections=detections, ground_truth=[g * scale + shift for g in case.ground_truth])


def ap_random_cases(source: Source, count: int = 2) -> list[tuple[list[Det], list[np.ndarray], float]]:
    """Noisy copies of the truth plus clutter over several images; equal scores across images in
    one fixed case (scores to one decimal), at random among fresh ones."""
    rng = CHECK.rng(source)
    thresholds = (0.5, 0.5, 0.7, 0.3, 0.5) if isinstance(source, str) else rng.choice([0.3, 0.5, 0.7], count)
    cases = []
    for i, threshold in enumerate(thresholds):
        coarse = _by_position(rng, source, i == 1)
        dets, truth = [], []
        for _ in range(int(rng.integers(2, 7))):
            g = random_boxes(rng, int(rng.integers(0, 4)), integer=True)
            truth.append(g)
            hits = g[rng.random(len(g)) < 0.8]
            noisy = np.concatenate([hits + rng.normal(0, 2.0, hits.shape), hits + rng.normal(0, 3.0, hits.shape),
                                    random_boxes(rng, int(rng.integers(0, 3)))])
            scores = np.round(rng.random(len(noisy)), 1 if coarse else 6)
            dets.append((noisy, scores))
        if sum(len(g) for g in truth) == 0:
            truth[0] = random_boxes(rng, 1, integer=True)
        cases.append((dets, truth, float(threshold)))
    return fair(cases, lambda c: ref.average_precision(*c))


MAP_SETUPS = ((3, 0.5, {2}), (4, 0.5, set()), (5, 0.3, {0, 3}), (2, 0.7, set()))


def map_cases(source: Source, count: int = 2) -> list[tuple[list, list, int, float]]:
    """(predictions, ground truth, n_classes, iou_threshold); some classes have no ground truth and
    some detections belong to them; in one case no class has any (the mAP is NaN)."""
    rng = CHECK.rng(source)
    if isinstance(source, str):
        setups: list = [*MAP_SETUPS, "no truth"]
    else:
        setups = [MAP_SETUPS[int(i)] if i < 4 else "no truth" for i in rng.integers(0, 5, count)]
    cases = []
    for setup in setups:
        if setup == "no truth":
            preds = _map_case(rng, 3, 0.5, set())[0][:2]
            cases.append((preds, [(np.zeros((0, 4)), np.zeros(0, np.int64))] * len(preds), 3, 0.5))
        else:
            cases.append(_map_case(rng, *setup))
    return fair(cases, lambda c: ref.mean_average_precision(*c))


def _map_case(rng: np.random.Generator, n_classes: int, threshold: float, absent: set[int]) -> tuple[list, list, int, float]:
    preds, truth = [], []
    for _ in range(int(rng.integers(2, 6))):
        g = random_boxes(rng, int(rng.integers(1, 4)), integer=True)
        labels = rng.choice([c for c in range(n_classes) if c not in absent], len(g))
        truth.append((g, labels))
        noisy = np.concatenate([g + rng.normal(0, 2.5, g.shape), random_boxes(rng, 2)])
        classes = np.concatenate([np.where(rng.random(len(g)) < 0.8, labels, rng.integers(0, n_classes, len(g))),
                                  rng.integers(0, n_classes, 2)])
        preds.append((noisy, np.round(rng.random(len(noisy)), 3), classes))
    return preds, truth, n_classes, threshold


# -- the network -----------------------------------------------------------------------------------


def build_cases() -> list[tuple[tuple[int, int, int], int, int, int]]:
    """(input_shape, grid_size, n_anchors, n_classes); sides are grid_size · 2^k."""
    return [((64, 64, 1), 8, 3, 3), ((32, 32, 3), 4, 2, 5), ((48, 48, 1), 6, 5, 2), ((64, 64, 1), 16, 1, 4)]


LOSS_SETUPS = ((2, 4, 2, 3), (3, 8, 3, 3), (1, 5, 1, 2), (4, 3, 4, 4))  # batch, grid, anchors, classes


def loss_cases(source: Source, count: int = 2) -> list[tuple[np.ndarray, np.ndarray]]:
    """(y_true, y_pred) float32: random targets (a few object slots) and random raw outputs."""
    rng = CHECK.rng(source)
    return [_loss_case(rng, setup) for setup in _setups(rng, source, LOSS_SETUPS, count)]


def _loss_case(rng: np.random.Generator, setup: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    batch, grid, anchors, classes = setup
    y_true = np.zeros((batch, grid, grid, anchors, 5 + classes), np.float32)
    obj = rng.random((batch, grid, grid, anchors)) < 0.15
    obj[0, 0, 0, 0] = True
    n = int(obj.sum())
    y_true[obj, 0] = 1
    y_true[obj, 1:3] = rng.uniform(0, 1, (n, 2))
    y_true[obj, 3:5] = rng.normal(0, 0.5, (n, 2))
    y_true[obj, 5 + rng.integers(0, classes, n)] = 1
    y_pred = rng.normal(0, 2, y_true.shape).astype(np.float32)
    return y_true, y_pred


def loss_extreme_cases(source: Source, count: int = 2) -> list[tuple[np.ndarray, np.ndarray]]:
    """Logits of ±80 (a confident network, right and wrong): a hand-written log(sigmoid) overflows."""
    rng = CHECK.rng(source)
    cases = []
    for setup in _setups(rng, source, LOSS_SETUPS[:2], count):
        y_true, y_pred = _loss_case(rng, setup)
        signs = np.where(rng.random(y_pred.shape) < 0.5, -1, 1)
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


# -- kinds: the ways cases differ, each drawn again among every submission's fresh cases ---------------


def _boxes(value: Any) -> np.ndarray:
    return np.asarray(value, dtype=np.float64).reshape(-1, 4)


def _zero_area(boxes: np.ndarray) -> bool:
    return bool(np.any(np.prod(boxes[:, 2:] - boxes[:, :2], axis=1) == 0))


def _form(value: Any) -> str:
    return "lists" if isinstance(value, list) else str(np.asarray(value).dtype)


def iou_kind(case: tuple) -> str:
    return _form(case[0])


def iou_edge_kind(case: tuple) -> tuple[str, ...]:
    """Empty sets, boxes without area, identical boxes, boxes that touch or lie apart."""
    a, b = _boxes(case[0]), _boxes(case[1])
    if not len(a) or not len(b):
        return ("an empty set of boxes",)
    labels = ["boxes without area"] if _zero_area(a) or _zero_area(b) else []
    area = lambda x: np.prod(x[2:] - x[:2]) > 0  # noqa: E731 - read in place
    gaps = [max(max(p[0], q[0]) - min(p[2], q[2]), max(p[1], q[1]) - min(p[3], q[3]))
            for p in a for q in b if area(p) and area(q)]
    if any(np.array_equal(p, q) and area(p) for p in a for q in b):
        labels.append("identical boxes")
    if any(g == 0 for g in gaps):
        labels.append("boxes that only touch")
    if any(g > 0 for g in gaps):
        labels.append("boxes apart")
    return tuple(labels) or ("overlapping boxes",)


def wh_kind(case: tuple) -> tuple[str, ...]:
    wh, anchors = np.asarray(case[0], float), np.asarray(case[1], float)
    empty = (np.prod(wh, axis=1) == 0).any() and (np.prod(anchors, axis=1) == 0).any()
    return (_form(case[0]), "a box and an anchor without area" if empty else "every size has an area")


def best_anchor_kind(case: tuple) -> str:
    ious = ref.wh_iou(*case)
    best = ious.max(axis=1, keepdims=True)
    return "an exact tie for the best anchor" if ((ious == best).sum(axis=1) > 1).any() else "one best anchor"


def kmeans_kind(case: tuple) -> tuple[str, ...]:
    wh, _, _, iters = case
    whole = np.array_equal(wh, np.round(wh))
    return ("whole-pixel sizes" if whole else "real sizes", f"iters={iters}")


def kmeans_quality_kind(case: tuple) -> str:
    return f"k={case[1]}"


def encode_kind(case: dict[str, Any]) -> tuple[str, ...]:
    boxes = np.asarray(case["boxes"])
    return ("int boxes" if boxes.dtype.kind in "iu" else "float boxes",
            "one anchor" if len(case["anchors"]) == 1 else "several anchors")


def collision_kind(case: dict[str, Any]) -> tuple[str, ...]:
    """Two boxes in one cell (other anchors), in one slot (the later wins), centres past the border."""
    boxes = _boxes(case["boxes"])
    cell = case["image_size"] / case["grid_size"]
    centres = (boxes[:, :2] + boxes[:, 2:]) / 2
    cells = [tuple(c) for c in np.clip(np.floor(centres / cell), 0, case["grid_size"] - 1).astype(int)]
    slots = list(zip(cells, ref.best_anchor(boxes[:, 2:] - boxes[:, :2], case["anchors"]), strict=True))
    labels = []
    if len(set(slots)) < len(slots):
        labels.append("one slot twice")
    if len({c for c, _ in set(slots)}) < len(set(slots)):
        labels.append("one cell, other anchors")
    if ((centres < 0) | (centres >= case["image_size"])).any():
        labels.append("a centre past the border")
    return tuple(labels) or ("one box per cell",)


def decode_kind(case: tuple) -> str:
    return "one anchor" if len(case[1]) == 1 else "several anchors"


def nms_kind(case: tuple) -> tuple[str, ...]:
    boxes, scores, threshold, max_outputs = case
    boxes = _boxes(boxes)
    if not len(boxes):
        return ("no boxes",)
    ious = ref.iou_matrix(boxes, boxes)[~np.eye(len(boxes), dtype=bool)]
    labels = [f"threshold {threshold}"]
    if (ious == threshold).any():
        labels.append("IoU exactly at the threshold")
    if _zero_area(boxes) or len(np.unique(boxes, axis=0)) < len(boxes):
        labels.append("identical or zero-area boxes")
    if len(np.unique(scores)) < len(scores):
        labels.append("equal scores")
    if len(ref.non_max_suppression(boxes, scores, threshold, len(boxes))) > max_outputs:
        labels.append("max_outputs below the answer")
    return tuple(labels)


def class_nms_kind(case: tuple) -> tuple[str, ...]:
    boxes, scores, classes, threshold, max_outputs = case
    capped = len(ref.class_aware_nms(boxes, scores, classes, threshold, len(scores))) > max_outputs
    return (f"threshold {threshold}", "max_outputs below the answer" if capped else "every kept box returned")


def ap_random_kind(case: tuple) -> tuple[str, ...]:
    """Equal scores, images without truth, and whether the precision rises again after a false
    positive (then the envelope changes the AP)."""
    detections, truth, _ = case
    scores = np.concatenate([np.asarray(s, float) for _, s in detections])
    no_envelope = next(m.fn for m in CHECK.mistakes_of("average_precision") if m.id == "no_envelope")
    rises = not np.isclose(no_envelope(*case), ref.average_precision(*case), rtol=0, atol=1e-12)
    return ("equal scores" if len(np.unique(scores)) < len(scores) else "distinct scores",
            "an image without ground truth" if any(len(_boxes(g)) == 0 for g in truth) else "ground truth in every image",
            "the precision rises again" if rises else "the precision never rises")


def map_kind(case: tuple) -> str:
    _, truth, n_classes, _ = case
    classes = set(np.concatenate([np.asarray(labels).reshape(-1) for _, labels in truth]).tolist())
    if not classes:
        return "no ground truth at all (NaN)"
    return "a class without ground truth" if len(classes) < n_classes else "every class has ground truth"


def loss_kind(case: tuple) -> str:
    return "a batch of one" if len(case[0]) == 1 else "a batch of several"
