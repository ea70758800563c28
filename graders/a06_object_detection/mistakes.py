"""Typical wrong variants of the 06_object_detection functions, so the graders can name a mistake.

`MISTAKES` maps a student function name to rows `(mistake_id, hint, fn)`; `fn` takes the student
function's own arguments and returns what a student who made that mistake returns (for
`detection_loss`, numpy arrays in, a float out), or raises what they raise. A failed check names
the row that reproduces the most of its failed cases (ties: the earlier row), so rows go from
specific to generic. Hints never contain expected values.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from solutions import detection as ref

Row = tuple[str, str, Callable[..., Any]]


def _quiet(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` without numpy's warnings: a wrong variant may take the log of a negative size or divide by 0."""
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    return run


def _boxes(b: Any) -> np.ndarray:
    return np.asarray(b, dtype=np.float64).reshape(-1, 4)


def _iou(a: Any, b: Any, plus: float = 0.0, clip: bool = True, nan: bool = False) -> np.ndarray:
    a, b = _boxes(a), _boxes(b)
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]) + plus
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]) + plus
    if clip:
        w, h = np.clip(w, 0, None), np.clip(h, 0, None)
    inter = w * h
    area_a = (a[:, 2] - a[:, 0] + plus) * (a[:, 3] - a[:, 1] + plus)
    area_b = (b[:, 2] - b[:, 0] + plus) * (b[:, 3] - b[:, 1] + plus)
    union = area_a[:, None] + area_b[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        if nan:
            return inter / union
        return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def _iou_sum_union(a: Any, b: Any) -> np.ndarray:
    """|A ∩ B| / (|A| + |B|): the union without the intersection taken off."""
    a, b = _boxes(a), _boxes(b)
    w = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None)
    h = np.clip(np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None)
    total = np.prod(a[:, 2:] - a[:, :2], axis=1)[:, None] + np.prod(b[:, 2:] - b[:, :2], axis=1)[None, :]
    return np.where(total > 0, w * h / np.where(total > 0, total, 1), 0.0)


def _xywh_as_corners(boxes: Any) -> np.ndarray:
    """Boxes read as (x, y, w, h): their corners are (x, y, x + w, y + h)."""
    b = _boxes(boxes)
    return np.concatenate([b[:, :2], b[:, :2] + b[:, 2:]], axis=1)


def _iou_elementwise(a: Any, b: Any) -> np.ndarray:
    """Box i of a with box i of b only: numpy broadcasts (N,) with (M,), or raises ValueError."""
    a, b = _boxes(a), _boxes(b)
    w = np.clip(np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0]), 0, None)
    h = np.clip(np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1]), 0, None)
    union = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - w * h
    return np.where(union > 0, w * h / np.where(union > 0, union, 1), 0.0)


IOU: list[Row] = [
    ("plus_one", "the areas use the old pixel-counting '+1' ((x2 - x1 + 1) * ...); these boxes are continuous: "
     "width = x2 - x1.", lambda a, b: _iou(a, b, plus=1.0)),
    ("no_clip", "the intersection is not clipped at 0: for boxes that do not overlap, min(x2) - max(x1) is "
     "negative, and two negative sides multiply to a positive 'intersection'.", lambda a, b: _iou(a, b, clip=False)),
    ("nan_empty_union", "0 / 0 gives NaN for two boxes without area: return 0 where the union is 0.",
     lambda a, b: _iou(a, b, nan=True)),
    ("union_not_subtracted", "the union was taken as |A| + |B|, which adds the overlap twice: "
     "|A ∪ B| = |A| + |B| - |A ∩ B|.", _iou_sum_union),
    ("xywh", "the boxes were read as (x, y, w, h); they are corners [x1, y1, x2, y2], so the width is x2 - x1.",
     lambda a, b: ref.iou_matrix(_xywh_as_corners(a), _xywh_as_corners(b))),
    ("transposed", "the matrix is transposed: row i belongs to box i of boxes_a and column j to box j of "
     "boxes_b, shape (N, M).", lambda a, b: ref.iou_matrix(a, b).T),
    ("elementwise", "only box i of boxes_a is compared with box i of boxes_b; compare every pair, an (N, M) "
     "matrix (broadcast a[:, None] against b[None, :]).", _iou_elementwise),
]


def _wh_iou_nan(wh: Any, anchors: Any) -> np.ndarray:
    wh, anchors = np.asarray(wh, float).reshape(-1, 2), np.asarray(anchors, float).reshape(-1, 2)
    inter = np.minimum(wh[:, None, 0], anchors[None, :, 0]) * np.minimum(wh[:, None, 1], anchors[None, :, 1])
    union = (wh[:, 0] * wh[:, 1])[:, None] + (anchors[:, 0] * anchors[:, 1])[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        return inter / union


def _wh_iou_smaller_area(wh: Any, anchors: Any) -> np.ndarray:
    wh, anchors = np.asarray(wh, float).reshape(-1, 2), np.asarray(anchors, float).reshape(-1, 2)
    area, anchor_area = wh[:, 0] * wh[:, 1], anchors[:, 0] * anchors[:, 1]
    inter = np.minimum(area[:, None], anchor_area[None, :])
    union = area[:, None] + anchor_area[None, :] - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def _wh_iou_elementwise(wh: Any, anchors: Any) -> np.ndarray:
    """Size i with anchor i only: numpy broadcasts (N,) with (K,), or raises ValueError."""
    wh, anchors = np.asarray(wh, float).reshape(-1, 2), np.asarray(anchors, float).reshape(-1, 2)
    inter = np.minimum(wh[:, 0], anchors[:, 0]) * np.minimum(wh[:, 1], anchors[:, 1])
    union = wh[:, 0] * wh[:, 1] + anchors[:, 0] * anchors[:, 1] - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


WH_IOU: list[Row] = [
    ("union_not_subtracted", "the union is w*h + aw*ah without subtracting the intersection.",
     lambda wh, an: ref.wh_iou(wh, an) / (1 + ref.wh_iou(wh, an))),
    ("nan_empty_union", "0 / 0 gives NaN for a box without area: return 0 where the union is 0.", _wh_iou_nan),
    ("smaller_area", "the intersection was taken as the smaller of the two areas; centred on one point, the "
     "overlap is min(w, aw) * min(h, ah).", _wh_iou_smaller_area),
    ("transposed", "the matrix is transposed: one row per box size and one column per anchor, shape (N, K).",
     lambda wh, an: ref.wh_iou(wh, an).T),
    ("elementwise", "only size i is compared with anchor i; compare every size with every anchor, an (N, K) "
     "matrix (broadcast wh[:, None] against anchors[None, :]).", _wh_iou_elementwise),
]

BEST_ANCHOR: list[Row] = [
    ("argmin", "this picks the anchor with the lowest IoU (argmin); the best anchor has the highest IoU.",
     lambda wh, an: np.argmin(ref.wh_iou(wh, an), axis=1)),
    ("last_tie", "on a tie this picks the last anchor; take the lowest index (np.argmax does).",
     lambda wh, an: ref.wh_iou(wh, an).shape[1] - 1 - np.argmax(ref.wh_iou(wh, an)[:, ::-1], axis=1)),
    ("axis0", "the argmax was taken over axis 0 (the boxes); take it over axis 1, the anchors of each box.",
     lambda wh, an: np.argmax(ref.wh_iou(wh, an), axis=0)),
    ("best_iou", "this is the best IoU of each box, not the index of its anchor: use argmax, not max.",
     lambda wh, an: ref.wh_iou(wh, an).max(axis=1)),
]


def _kmeans(wh: Any, k: int, seed: int = 0, iters: int = 100, *, assign: str = "iou", centre: str = "mean",
            order: str = "area", start: str = "unique") -> np.ndarray:
    wh = np.asarray(wh, dtype=np.float64).reshape(-1, 2)
    pool = np.unique(wh, axis=0) if start == "unique" else wh
    anchors = pool[np.random.default_rng(seed).choice(len(pool), k, replace=False)].copy()
    previous = None
    for _ in range(iters):
        if assign == "iou":
            assigned = ref.best_anchor(wh, anchors)
        else:
            assigned = np.argmin(((wh[:, None] - anchors[None]) ** 2).sum(-1), axis=1)
        if previous is not None and np.array_equal(assigned, previous):
            break
        for j in range(k):
            members = wh[assigned == j]
            if len(members):
                anchors[j] = np.median(members, axis=0) if centre == "median" else members.mean(axis=0)
        previous = assigned
    by_area = anchors[np.lexsort((anchors[:, 0], anchors[:, 0] * anchors[:, 1]))]
    return {"none": anchors, "area": by_area, "descending": by_area[::-1],
            "width": anchors[np.argsort(anchors[:, 0], kind="stable")], "columns": np.sort(anchors, axis=0)}[order]


KMEANS: list[Row] = [
    ("not_sorted", "the anchors are right but not sorted by area (w * h), ascending.",
     lambda wh, k, seed=0, iters=100: _kmeans(wh, k, seed, iters, order="none")),
    ("median", "the anchors move to the median of their boxes; the rule asks for the mean (w, h).",
     lambda wh, k, seed=0, iters=100: _kmeans(wh, k, seed, iters, centre="median")),
    ("euclidean", "boxes are assigned by Euclidean distance; YOLOv2's k-means uses 1 - IoU (the highest "
     "wh_iou), so large boxes do not dominate.", lambda wh, k, seed=0, iters=100: _kmeans(wh, k, seed, iters, assign="euclid")),
    ("descending", "the anchors are sorted from the largest area down; sort them by area, smallest first.",
     lambda wh, k, seed=0, iters=100: _kmeans(wh, k, seed, iters, order="descending")),
    ("sorted_by_width", "the anchors are sorted by width; sort them by area w * h (equal areas by w).",
     lambda wh, k, seed=0, iters=100: _kmeans(wh, k, seed, iters, order="width")),
    ("columns_sorted", "np.sort(anchors, axis=0) sorts the widths and the heights separately, so it mixes "
     "anchors; reorder whole rows (anchors[order]) by area.",
     lambda wh, k, seed=0, iters=100: _kmeans(wh, k, seed, iters, order="columns")),
    ("start_not_unique", "the first anchors were drawn from all the sizes; draw them from the distinct sizes, "
     "np.unique(wh, axis=0), as the rule says.",
     lambda wh, k, seed=0, iters=100: _kmeans(wh, k, seed, iters, start="all")),
]


@_quiet
def _encode(boxes: Any, labels: Any, anchors: Any, grid_size: int, image_size: int, n_classes: int, *,
            swap: bool = False, image_offsets: bool = False, size: str = "log", first_wins: bool = False,
            clip: bool = True, fraction: bool = False, xywh: bool = False, corner: bool = False,
            one_hot: bool = True, clear: bool = True) -> np.ndarray:
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if xywh:
        boxes = np.concatenate([boxes[:, :2], boxes[:, :2] + boxes[:, 2:]], axis=1)
    target = np.zeros((grid_size, grid_size, len(anchors), 5 + n_classes), dtype=np.float32)
    cell = image_size / grid_size
    wh = boxes[:, 2:] - boxes[:, :2]
    for (x1, y1, x2, y2), (w, h), a, label in zip(boxes, wh, ref.best_anchor(wh, anchors), np.asarray(labels).reshape(-1),
                                                   strict=True):
        cx, cy = (x1, y1) if corner else ((x1 + x2) / 2, (y1 + y2) / 2)
        j, i = int(np.floor(cx / cell)), int(np.floor(cy / cell))
        j, i = min(j, grid_size - 1), min(i, grid_size - 1)
        if clip:  # unclipped at 0, a negative index wraps around to the other side of the grid
            j, i = max(j, 0), max(i, 0)
        if swap:
            i, j = j, i
        if first_wins and target[i, j, a, 0] == 1:
            continue
        ox, oy = (cx / image_size, cy / image_size) if image_offsets else (cx / cell - j, cy / cell - i)
        if swap:
            ox, oy = cx / cell - i, cy / cell - j
        if fraction:
            ox, oy = cx / cell - np.floor(cx / cell), cy / cell - np.floor(cy / cell)
        sw, sh = {"log": (np.log(w / anchors[a, 0]), np.log(h / anchors[a, 1])),
                  "inverted": (np.log(anchors[a, 0] / w), np.log(anchors[a, 1] / h)),
                  "ratio": (w / anchors[a, 0], h / anchors[a, 1])}[size]
        if clear:
            target[i, j, a] = 0
        target[i, j, a, :5] = [1, ox, oy, sw, sh]
        if one_hot:
            target[i, j, a, 5 + int(label)] = 1
        else:
            target[i, j, a, 5] = label
    return target


ENCODE: list[Row] = [
    ("row_column_swapped", "row and column are swapped: the slot is [i, j] with row i = floor(cy / c) (y) and "
     "column j = floor(cx / c) (x).", lambda *a: _encode(*a, swap=True)),
    ("offsets_in_image", "the centre offsets are relative to the image (cx / image_size); they are relative to "
     "the cell: cx / c - j.", lambda *a: _encode(*a, image_offsets=True)),
    ("log_inverted", "the size targets are log(aw / w); the target is log(w / aw) (and log(h / ah)).",
     lambda *a: _encode(*a, size="inverted")),
    ("no_log", "the size targets are w / aw without the log; the target is log(w / aw).",
     lambda *a: _encode(*a, size="ratio")),
    ("first_box_wins", "when two boxes fall in the same slot the first one is kept; the later box must replace it.",
     lambda *a: _encode(*a, first_wins=True)),
    ("slot_not_cleared", "a later box in the same slot kept the earlier box's class: clear the slot "
     "(target[i, j, a] = 0) before writing the later box.", lambda *a: _encode(*a, clear=False)),
    ("negative_index", "a centre left of (or above) the image gives a negative column (row), which numpy wraps "
     "around to the other side of the grid: clip it at 0 too, j = min(max(j, 0), S - 1).",
     lambda *a: _encode(*a, clip=False)),
    ("offset_before_clipping", "the offsets were taken in the unclipped cell (cx / c % 1); they are cx / c - j "
     "with the clipped column j (cy / c - i likewise).", lambda *a: _encode(*a, fraction=True)),
    ("corner_as_centre", "the cell and the offsets come from the top-left corner (x1, y1); use the centre "
     "((x1 + x2) / 2, (y1 + y2) / 2).", lambda *a: _encode(*a, corner=True)),
    ("xywh", "the boxes were read as (x, y, w, h); they are corners [x1, y1, x2, y2], so w = x2 - x1.",
     lambda *a: _encode(*a, xywh=True)),
    ("label_as_number", "the class was stored as a number; store it one-hot, a 1 at index 5 + label.",
     lambda *a: _encode(*a, one_hot=False)),
]


@_quiet
def _decode(output: Any, anchors: Any, image_size: int, score_threshold: float = 0.5, *, sigmoid: bool = True,
            exp: bool = True, centre: bool = False, objectness_only: bool = False, reverse_ties: bool = False,
            swap: bool = False, centre_scale: str = "cell", size_scale: float | None = None,
            class_sigmoid: bool = False, order: str = "score") -> list:
    t = np.asarray(output, dtype=np.float64)
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    size = t.shape[0]
    cell = image_size / size
    sig = (lambda x: 1 / (1 + np.exp(-x))) if sigmoid else (lambda x: x)
    rows, cols = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    if swap:
        rows, cols = cols, rows
    scale = {"cell": cell, "none": 1.0}[centre_scale]
    cx = (cols[:, :, None] + sig(t[..., 1])) * scale
    cy = (rows[:, :, None] + sig(t[..., 2])) * scale
    w = anchors[:, 0] * (np.exp(t[..., 3]) if exp else t[..., 3]) * (size_scale or 1.0)
    h = anchors[:, 1] * (np.exp(t[..., 4]) if exp else t[..., 4]) * (size_scale or 1.0)
    if class_sigmoid:
        probs = 1 / (1 + np.exp(-t[..., 5:]))
    else:
        logits = t[..., 5:] - t[..., 5:].max(axis=-1, keepdims=True)
        probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    p = 1 / (1 + np.exp(-t[..., 0]))
    scores = (p if objectness_only else p * probs.max(axis=-1)).reshape(-1)
    classes = probs.argmax(axis=-1).reshape(-1)
    if centre:
        boxes = np.stack([cx, cy, w, h], axis=-1).reshape(-1, 4)
    else:
        boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1).reshape(-1, 4)
    keep = np.flatnonzero(scores >= score_threshold)
    if reverse_ties:
        keep = keep[np.argsort(scores[keep])[::-1]]
    elif order == "score":
        keep = keep[np.argsort(-scores[keep], kind="stable")]
    elif order == "ascending":
        keep = keep[np.argsort(scores[keep], kind="stable")]
    return [boxes[keep], scores[keep], classes[keep]]


# For decode_predictions, `fn` returns [boxes, scores, classes]; the grader compares the part that failed.
DECODE: list[Row] = [
    ("centre_size", "the boxes are returned as (cx, cy, w, h); return corners [x1, y1, x2, y2] = "
     "[cx - w/2, cy - h/2, cx + w/2, cy + h/2].", lambda *a, **k: _decode(*a, **k, centre=True)),
    ("no_sigmoid", "the centre offsets are used without the sigmoid: cx = (j + sigmoid(tx)) * c.",
     lambda *a, **k: _decode(*a, **k, sigmoid=False)),
    ("no_exp", "the sizes are aw * tw without exp: w = aw * exp(tw).", lambda *a, **k: _decode(*a, **k, exp=False)),
    ("objectness_only", "the score is the objectness alone; score = sigmoid(t0) * the largest class probability.",
     lambda *a, **k: _decode(*a, **k, objectness_only=True)),
    ("reversed_ties", "equal scores come out in reverse slot order: argsort(scores)[::-1] reverses ties; use "
     "np.argsort(-scores, kind='stable').", lambda *a, **k: _decode(*a, **k, reverse_ties=True)),
    ("centres_rows_columns_swapped", "cx was taken from the row and cy from the column: cx = (j + sigmoid(tx)) · c "
     "with the column j (x), cy = (i + sigmoid(ty)) · c with the row i (y).",
     lambda *a, **k: _decode(*a, **k, swap=True)),
    ("centres_in_cells", "the centres are in grid cells; multiply them by the cell size c = image_size / S to "
     "get pixels.", lambda *a, **k: _decode(*a, **k, centre_scale="none")),
    ("anchors_scaled_by_cell", "the anchors are already in pixels: w = aw · exp(tw), not multiplied by the cell "
     "size.", lambda output, anchors, image_size, score_threshold=0.5: _decode(
         output, anchors, image_size, score_threshold, size_scale=image_size / np.shape(output)[0])),
    ("class_sigmoid", "the class probabilities come from a sigmoid per class; they are the softmax over the "
     "class logits.", lambda *a, **k: _decode(*a, **k, class_sigmoid=True)),
    ("not_sorted", "the kept slots are in slot order; sort them by score, highest first.",
     lambda *a, **k: _decode(*a, **k, order="slots")),
    ("ascending", "the kept slots go from the lowest score up; sort them highest first.",
     lambda *a, **k: _decode(*a, **k, order="ascending")),
]


def _nms(boxes: Any, scores: Any, iou_threshold: float = 0.5, max_outputs: int = 100, *, ge: bool = False,
         unsorted: bool = False, against_all: bool = False, plus: float = 0.0, order: str = "stable") -> np.ndarray:
    boxes, scores = _boxes(boxes), np.asarray(scores, dtype=np.float64).reshape(-1)
    order_of = {"stable": lambda: np.argsort(-scores, kind="stable"), "reversed": lambda: np.argsort(scores)[::-1],
                "ascending": lambda: np.argsort(scores, kind="stable")}
    visit = np.arange(len(scores)) if unsorted else order_of[order]()
    kept: list[int] = []
    for index in visit:
        if len(kept) >= max_outputs:
            break
        others = [o for o in visit if o != index and scores[o] > scores[index]] if against_all else kept
        if others:
            iou = _iou(boxes[index:index + 1], boxes[others], plus=plus).max()
            if (iou >= iou_threshold) if ge else (iou > iou_threshold):
                continue
        kept.append(int(index))
    return np.array(kept, dtype=np.int64)


NMS: list[Row] = [
    ("greater_equal", "a box is dropped when its IoU equals the threshold; drop it only when the IoU is strictly "
     "greater (as tf.image.non_max_suppression).", lambda *a, **k: _nms(*a, **k, ge=True)),
    ("not_sorted", "the boxes are visited in input order; visit them by score, highest first.",
     lambda *a, **k: _nms(*a, **k, unsorted=True)),
    ("against_all", "a box is compared with every higher-scoring box, also the suppressed ones; compare it only "
     "with the boxes already kept.", lambda *a, **k: _nms(*a, **k, against_all=True)),
    ("plus_one", "the IoU uses the old pixel-counting '+1' areas ((x2 - x1 + 1) * ...); these boxes are "
     "continuous: width = x2 - x1.", lambda *a, **k: _nms(*a, **k, plus=1.0)),
    ("reversed_ties", "equal scores are visited in reverse index order: argsort(scores)[::-1] reverses ties; "
     "use np.argsort(-scores, kind='stable').", lambda *a, **k: _nms(*a, **k, order="reversed")),
    ("lowest_first", "the boxes are visited from the lowest score up; start from the highest.",
     lambda *a, **k: _nms(*a, **k, order="ascending")),
    ("index_order", "the kept indices are sorted by index; return them in the order they were kept, highest "
     "score first.", lambda *a, **k: np.sort(ref.non_max_suppression(*a, **k))),
]


def _class_nms(boxes: Any, scores: Any, classes: Any, iou_threshold: float = 0.5, max_outputs: int = 100, *,
               ties: str = "index") -> np.ndarray:
    boxes, scores, classes = _boxes(boxes), np.asarray(scores, float).reshape(-1), np.asarray(classes).reshape(-1)
    kept = [np.flatnonzero(classes == c)[ref.non_max_suppression(
        boxes[classes == c], scores[classes == c], iou_threshold,
        int(np.sum(classes == c)))] for c in np.unique(classes)]
    merged = np.concatenate(kept) if kept else np.zeros(0, np.int64)
    merged = merged[np.argsort(scores[merged])[::-1]] if ties == "reversed" else merged[np.lexsort((merged, -scores[merged]))]
    return merged[:max_outputs]


CLASS_NMS: list[Row] = [
    ("class_agnostic", "boxes of different classes suppress each other; run the suppression within each class.",
     lambda b, s, c, iou_threshold=0.5, max_outputs=100: ref.non_max_suppression(b, s, iou_threshold, max_outputs)),
    ("grouped_by_class", "the indices are grouped by class; sort all kept indices by score, highest first.",
     lambda b, s, c, iou_threshold=0.5, max_outputs=100: np.concatenate(
         [np.flatnonzero(np.asarray(c) == k)[ref.non_max_suppression(_boxes(b)[np.asarray(c) == k],
                                                                    np.asarray(s)[np.asarray(c) == k], iou_threshold)]
          for k in np.unique(c)] or [np.zeros(0, np.int64)])[:max_outputs]),
    ("reversed_ties", "equal scores come out in reverse order: argsort(scores)[::-1] reverses ties; order "
     "them by index (np.lexsort((indices, -scores))).", lambda *a, **k: _class_nms(*a, **k, ties="reversed")),
]


def _ap(detections: list, ground_truth: list, iou_threshold: float = 0.5, *, envelope: bool | str = True,
        eleven: bool = False, rematch: bool = False, order: str = "global", best_overall: bool = False) -> float:
    truths = [_boxes(g) for g in ground_truth]
    n_truth = sum(len(g) for g in truths)
    if n_truth == 0:
        return float("nan")
    found = [(s, i, _boxes(b)[r]) for i, (b, ss) in enumerate(detections)
             for r, s in enumerate(np.asarray(ss, float).reshape(-1))]
    if not found:
        return 0.0
    scores, images = np.array([f[0] for f in found]), np.array([f[1] for f in found])
    order_of = {"global": lambda: np.argsort(-scores, kind="stable"), "input": lambda: np.arange(len(found)),
                "reversed": lambda: np.argsort(scores)[::-1],
                "per_image": lambda: np.lexsort((-scores, images))}
    matched = [np.zeros(len(g), dtype=bool) for g in truths]
    hits = np.zeros(len(found))
    for rank, index in enumerate(order_of[order]()):
        _, image, box = found[index]
        if not len(truths[image]):
            continue
        ious = ref.iou_matrix(box[None], truths[image])[0]
        if not rematch and not best_overall:
            ious = np.where(matched[image], -1.0, ious)
        best = int(np.argmax(ious))
        if ious[best] >= iou_threshold and not (best_overall and matched[image][best]):
            matched[image][best] = True
            hits[rank] = 1
    tp = np.cumsum(hits)
    precision, recall = tp / np.arange(1, len(found) + 1), tp / n_truth
    if eleven:
        return float(np.mean([precision[recall >= t].max() if (recall >= t).any() else 0 for t in np.linspace(0, 1, 11)]))
    if envelope == "unreversed":
        precision = np.maximum.accumulate(precision[::-1])
    elif envelope:
        precision = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(np.concatenate([[0.0], recall])) * precision))


AP: list[Row] = [
    ("matched_twice", "one ground-truth box was matched by two detections; a matched box is taken, so a second "
     "detection of the same object is a false positive.", lambda *a, **k: _ap(*a, **k, rematch=True)),
    ("no_envelope", "the precision is not made non-increasing from the right (the envelope) before summing.",
     lambda *a, **k: _ap(*a, **k, envelope=False)),
    ("eleven_point", "this is the 11-point AP of VOC 2007; use all-point interpolation (sum over every recall step).",
     lambda *a, **k: _ap(*a, **k, eleven=True)),
    ("envelope_backwards", "the running maximum was taken over the reversed precision but not reversed "
     "back: np.maximum.accumulate(precision[::-1])[::-1].", lambda *a, **k: _ap(*a, **k, envelope="unreversed")),
    ("best_already_taken", "a detection whose best ground-truth box was already taken became a false positive; "
     "match it with the best box not taken yet, if that IoU reaches the threshold.",
     lambda *a, **k: _ap(*a, **k, best_overall=True)),
    ("sorted_per_image", "the detections were sorted image by image; sort the detections of all images "
     "together by score, highest first.", lambda *a, **k: _ap(*a, **k, order="per_image")),
    ("reversed_ties", "equal scores come out in reverse order: argsort(scores)[::-1] reverses ties; equal "
     "scores keep image order, then order within the image (np.argsort(-scores, kind='stable')).",
     lambda *a, **k: _ap(*a, **k, order="reversed")),
    ("not_sorted", "the detections are taken in input order; sort them by score, highest first.",
     lambda *a, **k: _ap(*a, **k, order="input")),
]


def _map_zero_for_empty(predictions: list, ground_truth: list, n_classes: int, iou_threshold: float = 0.5) -> float:
    aps = []
    for label in range(n_classes):
        truth = [_boxes(b)[np.asarray(lab).reshape(-1) == label] for b, lab in ground_truth]
        dets = [(_boxes(b)[np.asarray(c) == label], np.asarray(s, float)[np.asarray(c) == label]) for b, s, c in predictions]
        ap = ref.average_precision(dets, truth, iou_threshold)
        aps.append(0.0 if np.isnan(ap) else ap)
    return float(np.mean(aps))


def _map(predictions: list, ground_truth: list, n_classes: int, iou_threshold: float = 0.5, *,
         absent: str = "skip") -> float:
    aps = []
    for label in range(n_classes):
        truth = [_boxes(b)[np.asarray(lab).reshape(-1) == label] for b, lab in ground_truth]
        mine = [np.asarray(c).reshape(-1) == label for _, _, c in predictions]
        dets = [(_boxes(b)[m], np.asarray(s, float).reshape(-1)[m]) for (b, s, _), m in zip(predictions, mine, strict=True)]
        if absent != "keep" and sum(len(t) for t in truth) == 0:
            continue
        aps.append(ref.average_precision(dets, truth, iou_threshold))
    if not aps:
        return 0.0 if absent == "zero_when_none" else float("nan")
    return float(np.mean(aps))


MAP: list[Row] = [
    ("no_truth_zero", "with no ground-truth box in any class the mAP is undefined: return NaN, not 0.",
     lambda *a, **k: _map(*a, **k, absent="zero_when_none")),
    ("empty_classes_zero", "classes without ground truth count as AP 0; average only over the classes that have "
     "ground-truth boxes.", _map_zero_for_empty),
    ("empty_classes_nan", "a class without ground truth has AP NaN, which makes the mean NaN; average only over "
     "the classes that have ground-truth boxes.", lambda *a, **k: _map(*a, **k, absent="keep")),
    ("classes_ignored", "the classes were ignored: compute one AP per class (the detections of class c against "
     "the ground truth of class c) and average them.",
     lambda predictions, ground_truth, n_classes, iou_threshold=0.5: ref.average_precision(
         [(b, s) for b, s, _ in predictions], [b for b, _ in ground_truth], iou_threshold)),
]


@_quiet
def _loss(y_true: Any, y_pred: Any, *, sigmoid: bool = True, coord: float = 5.0, noobj: float = 0.5,
          reduce: str = "images", noobj_mask: bool = True, objectness: str = "bce") -> float:
    """The loss with the mistakes' knobs: the offsets without sigmoid, other weights, other reductions."""
    t, p = np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64)
    obj = t[..., 0]
    xy = 1 / (1 + np.exp(-p[..., 1:3])) if sigmoid else p[..., 1:3]
    coords = ((xy - t[..., 1:3]) ** 2).sum(-1) + ((p[..., 3:5] - t[..., 3:5]) ** 2).sum(-1)
    x = p[..., 0]
    softplus = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))  # BCE(x, 0); BCE(x, 1) = softplus - x
    shifted = p[..., 5:] - p[..., 5:].max(-1, keepdims=True)
    ce = -(t[..., 5:] * (shifted - np.log(np.exp(shifted).sum(-1, keepdims=True)))).sum(-1)
    if objectness == "bce":
        present, absent = softplus - x, softplus
    else:  # squared error of the objectness probability
        e = np.exp(-np.abs(x))
        prob = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        present, absent = (1 - prob) ** 2, prob ** 2
    per = obj * (coord * coords + present + ce) + noobj * ((1 - obj) if noobj_mask else 1.0) * np.where(
        obj == 1, present, absent)
    if reduce == "slots":
        return float(per.mean())
    return float(per.reshape(len(p), -1).sum(1).mean())


LOSS: list[Row] = [
    ("no_sigmoid_offsets", "the centre offsets are compared without the sigmoid: the targets tx*, ty* are offsets "
     "in [0, 1), so use (sigmoid(tx) - tx*)².", lambda yt, yp: _loss(yt, yp, sigmoid=False)),
    ("weights_swapped", "the weights are swapped: 5 multiplies the coordinate terms and 0.5 the no-object term.",
     lambda yt, yp: _loss(yt, yp, coord=0.5, noobj=5.0)),
    ("no_weights", "the terms are not weighted: 5 multiplies the coordinate terms and 0.5 the no-object term.",
     lambda yt, yp: _loss(yt, yp, coord=1.0, noobj=1.0)),
    ("sum_over_batch", "the loss is summed over the batch; take the mean over the images of the batch.",
     lambda yt, yp: _loss(yt, yp) * len(np.asarray(yp))),
    ("mean_over_slots", "the loss is the mean over every slot; sum the slots of each image, then take the mean "
     "over the images.", lambda yt, yp: _loss(yt, yp, reduce="slots")),
    ("noobj_term_everywhere", "the 0.5-weighted objectness term covers every slot; it belongs to the slots "
     "without an object only (multiply by 1 - obj).", lambda yt, yp: _loss(yt, yp, noobj_mask=False)),
    ("objectness_squared_error", "the objectness uses a squared error of sigmoid(t0); use the binary "
     "cross-entropy from logits (tf.nn.sigmoid_cross_entropy_with_logits).",
     lambda yt, yp: _loss(yt, yp, objectness="squared")),
]


MISTAKES: dict[str, list[Row]] = {
    "iou_matrix": IOU,
    "wh_iou": WH_IOU,
    "best_anchor": BEST_ANCHOR,
    "kmeans_anchors": KMEANS,
    "encode_targets": ENCODE,
    "decode_predictions": DECODE,
    "non_max_suppression": NMS,
    "class_aware_nms": CLASS_NMS,
    "average_precision": AP,
    "mean_average_precision": MAP,
    "detection_loss": LOSS,
}
