"""Typical wrong variants of the 06_object_detection functions, so the graders can name a mistake.

`MISTAKES` maps a student function name to rows `(mistake_id, hint, fn)`; `fn` takes the student
function's own arguments and returns what a student who made that mistake returns (for
`detection_loss`, numpy arrays in, a float out). The first row whose output equals the student's
wins, so rows go from specific to generic. Hints never contain expected values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from solutions import detection as ref

Row = tuple[str, str, Callable[..., Any]]


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


IOU: list[Row] = [
    ("plus_one", "the areas use the old pixel-counting '+1' ((x2 - x1 + 1) * ...); these boxes are continuous: "
     "width = x2 - x1.", lambda a, b: _iou(a, b, plus=1.0)),
    ("no_clip", "the intersection is not clipped at 0: for boxes that do not overlap, min(x2) - max(x1) is "
     "negative, and two negative sides multiply to a positive 'intersection'.", lambda a, b: _iou(a, b, clip=False)),
    ("nan_empty_union", "0 / 0 gives NaN for two boxes without area: return 0 where the union is 0.",
     lambda a, b: _iou(a, b, nan=True)),
]


def _wh_iou_nan(wh: Any, anchors: Any) -> np.ndarray:
    wh, anchors = np.asarray(wh, float).reshape(-1, 2), np.asarray(anchors, float).reshape(-1, 2)
    inter = np.minimum(wh[:, None, 0], anchors[None, :, 0]) * np.minimum(wh[:, None, 1], anchors[None, :, 1])
    union = (wh[:, 0] * wh[:, 1])[:, None] + (anchors[:, 0] * anchors[:, 1])[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        return inter / union


WH_IOU: list[Row] = [
    ("union_not_subtracted", "the union is w*h + aw*ah without subtracting the intersection.",
     lambda wh, an: ref.wh_iou(wh, an) / (1 + ref.wh_iou(wh, an))),
    ("nan_empty_union", "0 / 0 gives NaN for a box without area: return 0 where the union is 0.", _wh_iou_nan),
]

BEST_ANCHOR: list[Row] = [
    ("argmin", "this picks the anchor with the lowest IoU (argmin); the best anchor has the highest IoU.",
     lambda wh, an: np.argmin(ref.wh_iou(wh, an), axis=1)),
    ("last_tie", "on a tie this picks the last anchor; take the lowest index (np.argmax does).",
     lambda wh, an: ref.wh_iou(wh, an).shape[1] - 1 - np.argmax(ref.wh_iou(wh, an)[:, ::-1], axis=1)),
]


def _kmeans(wh: Any, k: int, seed: int = 0, iters: int = 100, *, assign: str = "iou", centre: str = "mean",
            order: bool = True) -> np.ndarray:
    wh = np.asarray(wh, dtype=np.float64).reshape(-1, 2)
    unique = np.unique(wh, axis=0)
    anchors = unique[np.random.default_rng(seed).choice(len(unique), k, replace=False)].copy()
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
    if not order:
        return anchors
    return anchors[np.lexsort((anchors[:, 0], anchors[:, 0] * anchors[:, 1]))]


KMEANS: list[Row] = [
    ("not_sorted", "the anchors are right but not sorted by area (w * h), ascending.",
     lambda wh, k, seed=0, iters=100: _kmeans(wh, k, seed, iters, order=False)),
    ("median", "the anchors move to the median of their boxes; the rule asks for the mean (w, h).",
     lambda wh, k, seed=0, iters=100: _kmeans(wh, k, seed, iters, centre="median")),
    ("euclidean", "boxes are assigned by Euclidean distance; YOLOv2's k-means uses 1 - IoU (the highest "
     "wh_iou), so large boxes do not dominate.", lambda wh, k, seed=0, iters=100: _kmeans(wh, k, seed, iters, assign="euclid")),
]


def _encode(boxes: Any, labels: Any, anchors: Any, grid_size: int, image_size: int, n_classes: int, *,
            swap: bool = False, image_offsets: bool = False, size: str = "log", first_wins: bool = False) -> np.ndarray:
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    target = np.zeros((grid_size, grid_size, len(anchors), 5 + n_classes), dtype=np.float32)
    cell = image_size / grid_size
    wh = boxes[:, 2:] - boxes[:, :2]
    for (x1, y1, x2, y2), (w, h), a, label in zip(boxes, wh, ref.best_anchor(wh, anchors), np.asarray(labels).reshape(-1),
                                                   strict=True):
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
        j = min(max(int(np.floor(cx / cell)), 0), grid_size - 1)
        i = min(max(int(np.floor(cy / cell)), 0), grid_size - 1)
        if swap:
            i, j = j, i
        if first_wins and target[i, j, a, 0] == 1:
            continue
        ox, oy = (cx / image_size, cy / image_size) if image_offsets else (cx / cell - j, cy / cell - i)
        if swap:
            ox, oy = cx / cell - i, cy / cell - j
        sw, sh = {"log": (np.log(w / anchors[a, 0]), np.log(h / anchors[a, 1])),
                  "inverted": (np.log(anchors[a, 0] / w), np.log(anchors[a, 1] / h)),
                  "ratio": (w / anchors[a, 0], h / anchors[a, 1])}[size]
        target[i, j, a] = 0
        target[i, j, a, :5] = [1, ox, oy, sw, sh]
        target[i, j, a, 5 + int(label)] = 1
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
]


def _decode(output: Any, anchors: Any, image_size: int, score_threshold: float = 0.5, *, sigmoid: bool = True,
            exp: bool = True, centre: bool = False, objectness_only: bool = False, reverse_ties: bool = False) -> list:
    t = np.asarray(output, dtype=np.float64)
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    size = t.shape[0]
    cell = image_size / size
    sig = (lambda x: 1 / (1 + np.exp(-x))) if sigmoid else (lambda x: x)
    rows, cols = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    cx = (cols[:, :, None] + sig(t[..., 1])) * cell
    cy = (rows[:, :, None] + sig(t[..., 2])) * cell
    w = anchors[:, 0] * (np.exp(t[..., 3]) if exp else t[..., 3])
    h = anchors[:, 1] * (np.exp(t[..., 4]) if exp else t[..., 4])
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
    keep = keep[np.argsort(scores[keep])[::-1]] if reverse_ties else keep[np.argsort(-scores[keep], kind="stable")]
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
]


def _nms(boxes: Any, scores: Any, iou_threshold: float = 0.5, max_outputs: int = 100, *, ge: bool = False,
         unsorted: bool = False, against_all: bool = False) -> np.ndarray:
    boxes, scores = _boxes(boxes), np.asarray(scores, dtype=np.float64).reshape(-1)
    order = np.arange(len(scores)) if unsorted else np.argsort(-scores, kind="stable")
    kept: list[int] = []
    for index in order:
        if len(kept) >= max_outputs:
            break
        others = [o for o in order if o != index and scores[o] > scores[index]] if against_all else kept
        if others:
            iou = ref.iou_matrix(boxes[index:index + 1], boxes[others]).max()
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
]

CLASS_NMS: list[Row] = [
    ("class_agnostic", "boxes of different classes suppress each other; run the suppression within each class.",
     lambda b, s, c, iou_threshold=0.5, max_outputs=100: ref.non_max_suppression(b, s, iou_threshold, max_outputs)),
    ("grouped_by_class", "the indices are grouped by class; sort all kept indices by score, highest first.",
     lambda b, s, c, iou_threshold=0.5, max_outputs=100: np.concatenate(
         [np.flatnonzero(np.asarray(c) == k)[ref.non_max_suppression(_boxes(b)[np.asarray(c) == k],
                                                                    np.asarray(s)[np.asarray(c) == k], iou_threshold)]
          for k in np.unique(c)] or [np.zeros(0, np.int64)])[:max_outputs]),
]


def _ap(detections: list, ground_truth: list, iou_threshold: float = 0.5, *, envelope: bool = True,
        eleven: bool = False, rematch: bool = False) -> float:
    truths = [_boxes(g) for g in ground_truth]
    n_truth = sum(len(g) for g in truths)
    if n_truth == 0:
        return float("nan")
    found = [(s, i, _boxes(b)[r]) for i, (b, ss) in enumerate(detections)
             for r, s in enumerate(np.asarray(ss, float).reshape(-1))]
    if not found:
        return 0.0
    order = np.argsort(-np.array([f[0] for f in found]), kind="stable")
    matched = [np.zeros(len(g), dtype=bool) for g in truths]
    hits = np.zeros(len(found))
    for rank, index in enumerate(order):
        _, image, box = found[index]
        if not len(truths[image]):
            continue
        ious = ref.iou_matrix(box[None], truths[image])[0]
        if not rematch:
            ious = np.where(matched[image], -1.0, ious)
        best = int(np.argmax(ious))
        if ious[best] >= iou_threshold:
            matched[image][best] = True
            hits[rank] = 1
    tp = np.cumsum(hits)
    precision, recall = tp / np.arange(1, len(found) + 1), tp / n_truth
    if eleven:
        return float(np.mean([precision[recall >= t].max() if (recall >= t).any() else 0 for t in np.linspace(0, 1, 11)]))
    if envelope:
        precision = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(np.concatenate([[0.0], recall])) * precision))


AP: list[Row] = [
    ("matched_twice", "one ground-truth box was matched by two detections; a matched box is taken, so a second "
     "detection of the same object is a false positive.", lambda *a, **k: _ap(*a, **k, rematch=True)),
    ("no_envelope", "the precision is not made non-increasing from the right (the envelope) before summing.",
     lambda *a, **k: _ap(*a, **k, envelope=False)),
    ("eleven_point", "this is the 11-point AP of VOC 2007; use all-point interpolation (sum over every recall step).",
     lambda *a, **k: _ap(*a, **k, eleven=True)),
]


def _map_zero_for_empty(predictions: list, ground_truth: list, n_classes: int, iou_threshold: float = 0.5) -> float:
    aps = []
    for label in range(n_classes):
        truth = [_boxes(b)[np.asarray(lab).reshape(-1) == label] for b, lab in ground_truth]
        dets = [(_boxes(b)[np.asarray(c) == label], np.asarray(s, float)[np.asarray(c) == label]) for b, s, c in predictions]
        ap = ref.average_precision(dets, truth, iou_threshold)
        aps.append(0.0 if np.isnan(ap) else ap)
    return float(np.mean(aps))


MAP: list[Row] = [
    ("empty_classes_zero", "classes without ground truth count as AP 0; average only over the classes that have "
     "ground-truth boxes.", _map_zero_for_empty),
]


def _loss(y_true: Any, y_pred: Any, *, sigmoid: bool = True, coord: float = 5.0, noobj: float = 0.5) -> float:
    """The loss with the mistakes' knobs: the offsets without sigmoid, other weights."""
    t, p = np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64)
    obj = t[..., 0]
    xy = 1 / (1 + np.exp(-p[..., 1:3])) if sigmoid else p[..., 1:3]
    coords = ((xy - t[..., 1:3]) ** 2).sum(-1) + ((p[..., 3:5] - t[..., 3:5]) ** 2).sum(-1)
    x = p[..., 0]
    softplus = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))  # BCE(x, 0); BCE(x, 1) = softplus - x
    shifted = p[..., 5:] - p[..., 5:].max(-1, keepdims=True)
    ce = -(t[..., 5:] * (shifted - np.log(np.exp(shifted).sum(-1, keepdims=True)))).sum(-1)
    per = obj * (coord * coords + softplus - x + ce) + noobj * (1 - obj) * softplus
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
