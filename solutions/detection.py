"""Reference solutions for assignment 06_object_detection (a one-stage detector, YOLO-style).

Conventions used throughout:

* A box is ``[x1, y1, x2, y2]`` (floats or ints) with x1 <= x2 and y1 <= y2; x is the column and y
  the row. Width = x2 - x1, centre = ((x1 + x2) / 2, (y1 + y2) / 2). An empty set of boxes is
  ``[]`` or a ``(0, 4)`` array.
* Anchors and box sizes are ``(w, h)`` in pixels.
* A detector's output for one image is ``(S, S, A, 5 + C)``: for grid row i, column j and anchor a,
  ``[t0, tx, ty, tw, th, class logits...]``, all raw (no activation).

Each function is self-contained (it may call other functions of this module by name), because its
body is pasted into the solution cell of the notebook, whose setup cell imports ``numpy as np``,
``tensorflow as tf`` and ``keras``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import keras
    import tensorflow as tf
else:

    class _Lazy(ModuleType):
        """A module imported on first use: the graders use this module's numpy functions without
        loading TensorFlow."""

        def __getattr__(self, name: str) -> Any:
            return getattr(importlib.import_module(self.__name__), name)

    keras, tf = _Lazy("keras"), _Lazy("tensorflow")


def iou_matrix(boxes_a: np.typing.ArrayLike, boxes_b: np.typing.ArrayLike) -> np.ndarray:
    """Intersection over union of every box of ``boxes_a`` with every box of ``boxes_b``.

    The intersection of two boxes is the box between the larger top-left and the smaller
    bottom-right corner, with width and height clipped at 0 when they do not overlap. Areas are
    continuous (``(x2 - x1) * (y2 - y1)``, no "+1"), so boxes that only touch have IoU 0.

    Args:
        boxes_a: (N, 4) boxes ``[x1, y1, x2, y2]``, or ``[]``.
        boxes_b: (M, 4) boxes, or ``[]``.

    Returns:
        float64 array of shape (N, M) with values in [0, 1]; 0 where the union is 0 (two boxes
        without area).
    """
    a = np.asarray(boxes_a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(boxes_b, dtype=np.float64).reshape(-1, 4)
    # Broadcasting (N, 1) against (1, M) gives every pair at once.
    w = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None)
    h = np.clip(np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None)
    inter = w * h
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    safe = np.where(union > 0, union, 1.0)
    return np.where(union > 0, inter / safe, 0.0)


def wh_iou(wh: np.typing.ArrayLike, anchors: np.typing.ArrayLike) -> np.ndarray:
    """IoU of boxes and anchors compared by size only, as if both were centred at the same point.

    Then the intersection is ``min(w, aw) * min(h, ah)`` and the union
    ``w * h + aw * ah - intersection``. This is the similarity YOLOv2 uses to choose anchors.

    Args:
        wh: (N, 2) box sizes ``(w, h)``.
        anchors: (K, 2) anchor sizes ``(w, h)``.

    Returns:
        float64 array of shape (N, K); 0 where the union is 0.
    """
    wh = np.asarray(wh, dtype=np.float64).reshape(-1, 2)
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    inter = np.minimum(wh[:, None, 0], anchors[None, :, 0]) * np.minimum(wh[:, None, 1], anchors[None, :, 1])
    union = (wh[:, 0] * wh[:, 1])[:, None] + (anchors[:, 0] * anchors[:, 1])[None, :] - inter
    safe = np.where(union > 0, union, 1.0)
    return np.where(union > 0, inter / safe, 0.0)


def best_anchor(wh: np.typing.ArrayLike, anchors: np.typing.ArrayLike) -> np.ndarray:
    """For each box size, the index of the anchor with the highest ``wh_iou``; ties go to the
    lowest index (``np.argmax`` returns the first maximum).

    Args:
        wh: (N, 2) box sizes.
        anchors: (K, 2) anchor sizes, K >= 1.

    Returns:
        int64 array of shape (N,).
    """
    return np.argmax(wh_iou(wh, anchors), axis=1).astype(np.int64)


def kmeans_anchors(wh: np.typing.ArrayLike, k: int, seed: int = 0, iters: int = 100) -> np.ndarray:
    """``k`` anchor sizes found by k-means on box sizes with the distance ``1 - wh_iou`` (YOLOv2).

    Start: ``u = np.unique(wh, axis=0)`` and ``u[np.random.default_rng(seed).choice(len(u), k,
    replace=False)]`` (sampling distinct sizes, since integer sizes repeat). One round assigns every
    box to its ``best_anchor`` (highest IoU, ties to the lowest index), then moves each anchor to
    the mean ``(w, h)`` of its boxes; an anchor without boxes stays where it is. Stop when a round
    assigns exactly as the previous one did, or after ``iters`` rounds.

    Args:
        wh: (N, 2) box sizes with at least ``k`` distinct rows.
        k: number of anchors (>= 1).
        seed: seed of the initial choice.
        iters: maximum number of rounds.

    Returns:
        float64 array (k, 2) sorted by area ``w * h``, ascending; equal areas by ``w``.
    """
    wh = np.asarray(wh, dtype=np.float64).reshape(-1, 2)
    unique = np.unique(wh, axis=0)
    if not 1 <= k <= len(unique):
        raise ValueError(f"k={k} needs 1 <= k <= {len(unique)} distinct box sizes")
    anchors = unique[np.random.default_rng(seed).choice(len(unique), k, replace=False)].copy()
    previous = None
    for _ in range(iters):
        assigned = best_anchor(wh, anchors)
        if previous is not None and np.array_equal(assigned, previous):
            break
        for j in range(k):
            members = wh[assigned == j]
            if len(members):
                anchors[j] = members.mean(axis=0)
        previous = assigned
    # np.lexsort sorts by its last key first: area, then width.
    order = np.lexsort((anchors[:, 0], anchors[:, 0] * anchors[:, 1]))
    return anchors[order]


def encode_targets(boxes: np.typing.ArrayLike, labels: np.typing.ArrayLike, anchors: np.typing.ArrayLike,
                   grid_size: int, image_size: int, n_classes: int) -> np.ndarray:
    """The training target of one image for a grid detector (YOLOv2-style).

    Cell size ``c = image_size / grid_size``. A box with centre (cx, cy) and size (w, h) belongs to
    column ``j = floor(cx / c)`` and row ``i = floor(cy / c)`` (each clipped to 0 .. S - 1) and to
    its ``best_anchor`` a. Its slot ``[i, j, a]`` holds ``[1, cx / c - j, cy / c - i,
    log(w / aw), log(h / ah), one-hot(label)]``; every other entry is 0. Boxes are written in list
    order, so a later box in the same slot replaces an earlier one.

    Args:
        boxes: (N, 4) boxes ``[x1, y1, x2, y2]`` in pixels with w, h > 0 (may extend past the image).
        labels: (N,) integer classes in 0 .. n_classes - 1.
        anchors: (A, 2) anchor sizes ``(w, h)`` in pixels.
        grid_size: S, cells per side.
        image_size: side of the (square) image in pixels.
        n_classes: C.

    Returns:
        float32 array of shape (S, S, A, 5 + C).
    """
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    target = np.zeros((grid_size, grid_size, len(anchors), 5 + n_classes), dtype=np.float32)
    cell = image_size / grid_size
    wh = boxes[:, 2:] - boxes[:, :2]
    chosen = best_anchor(wh, anchors)
    for (x1, y1, x2, y2), (w, h), a, label in zip(boxes, wh, chosen, labels, strict=True):
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
        j = min(max(int(np.floor(cx / cell)), 0), grid_size - 1)
        i = min(max(int(np.floor(cy / cell)), 0), grid_size - 1)
        target[i, j, a] = 0
        target[i, j, a, :5] = [1, cx / cell - j, cy / cell - i, np.log(w / anchors[a, 0]), np.log(h / anchors[a, 1])]
        target[i, j, a, 5 + label] = 1
    return target


def decode_predictions(output: np.typing.ArrayLike, anchors: np.typing.ArrayLike, image_size: int,
                       score_threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Boxes, scores and classes from a detector's raw output for one image.

    For slot (i, j, a): objectness ``p = sigmoid(t0)``; centre ``cx = (j + sigmoid(tx)) * c``,
    ``cy = (i + sigmoid(ty)) * c`` with ``c = image_size / S``; size ``w = aw * exp(tw)``,
    ``h = ah * exp(th)``; class probabilities ``softmax(t[5:])``; score = p * the largest class
    probability, class = its index. Slots with score >= ``score_threshold`` are kept, highest
    score first; equal scores keep the slot order (i, j, a) (a stable sort of -score).

    Args:
        output: (S, S, A, 5 + C) raw network output (logits).
        anchors: (A, 2) anchor sizes in pixels.
        image_size: side of the image in pixels.
        score_threshold: the lowest score kept.

    Returns:
        ``(boxes, scores, classes)``: float64 (K, 4) ``[x1, y1, x2, y2]``, float64 (K,), int64 (K,).
    """
    t = np.asarray(output, dtype=np.float64)
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    size = t.shape[0]
    cell = image_size / size

    def sigmoid(x: np.ndarray) -> np.ndarray:
        e = np.exp(-np.abs(x))  # never overflows
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

    rows, cols = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    cx = (cols[:, :, None] + sigmoid(t[..., 1])) * cell
    cy = (rows[:, :, None] + sigmoid(t[..., 2])) * cell
    w = anchors[:, 0] * np.exp(t[..., 3])
    h = anchors[:, 1] * np.exp(t[..., 4])
    logits = t[..., 5:] - t[..., 5:].max(axis=-1, keepdims=True)
    probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    scores = (sigmoid(t[..., 0]) * probs.max(axis=-1)).reshape(-1)
    classes = probs.argmax(axis=-1).reshape(-1).astype(np.int64)
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1).reshape(-1, 4)
    keep = np.flatnonzero(scores >= score_threshold)
    keep = keep[np.argsort(-scores[keep], kind="stable")]
    return boxes[keep], scores[keep], classes[keep]


def non_max_suppression(boxes: np.typing.ArrayLike, scores: np.typing.ArrayLike, iou_threshold: float = 0.5,
                        max_outputs: int = 100) -> np.ndarray:
    """Greedy non-maximum suppression, as ``tf.image.non_max_suppression`` (numpy only).

    Take the boxes from the highest score down (equal scores: lower index first); keep a box
    unless its IoU with a box already kept is strictly greater than ``iou_threshold``; stop after
    ``max_outputs`` kept boxes. Boxes without area have IoU 0 with everything, so they never
    suppress and are never suppressed.

    Args:
        boxes: (N, 4) boxes ``[x1, y1, x2, y2]``, or ``[]``.
        scores: (N,) scores, in any order.
        iou_threshold: the largest overlap a kept box may have with a box kept before it.
        max_outputs: the most indices returned.

    Returns:
        int64 array (K,), K <= max_outputs: indices into ``boxes`` in the order they were kept.
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    kept: list[int] = []
    for index in np.argsort(-scores, kind="stable"):
        if len(kept) >= max_outputs:
            break
        if not kept or iou_matrix(boxes[index:index + 1], boxes[kept]).max() <= iou_threshold:
            kept.append(int(index))
    return np.array(kept, dtype=np.int64)


def class_aware_nms(boxes: np.typing.ArrayLike, scores: np.typing.ArrayLike, classes: np.typing.ArrayLike,
                    iou_threshold: float = 0.5, max_outputs: int = 100) -> np.ndarray:
    """Non-maximum suppression in which boxes of different classes never suppress each other.

    ``non_max_suppression`` runs per class; the kept indices of all classes are merged, sorted by
    score (equal scores: lower index first), and the first ``max_outputs`` are returned.

    Args:
        boxes: (N, 4) boxes, or ``[]``.
        scores: (N,) scores.
        classes: (N,) integer classes.
        iou_threshold: as in ``non_max_suppression``.
        max_outputs: the most indices returned, over all classes.

    Returns:
        int64 array (K,) of indices into ``boxes``, highest score first.
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    classes = np.asarray(classes).reshape(-1)
    kept = []
    for label in np.unique(classes):
        members = np.flatnonzero(classes == label)
        kept.append(members[non_max_suppression(boxes[members], scores[members], iou_threshold, len(members))])
    merged = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)
    # lexsort: by -score first, then by index.
    merged = merged[np.lexsort((merged, -scores[merged]))]
    return merged[:max_outputs].astype(np.int64)


def average_precision(detections: list, ground_truth: list, iou_threshold: float = 0.5) -> float:
    """Average precision of one class over a set of images (all-point interpolation, VOC 2010+).

    All detections of all images are sorted by score, highest first (equal scores keep image
    order, then order within the image). Each is a true positive when the not yet matched
    ground-truth box of its image with the highest IoU (equal IoU: lowest index) has IoU >=
    ``iou_threshold``, which is then matched; otherwise a false positive (so a second detection of
    one object counts as a false positive). After each detection, precision = TP / detections so
    far and recall = TP / ground-truth boxes. AP is the area under the precision envelope
    (precision made non-increasing from the right), summed over the steps of recall.

    Args:
        detections: per image, ``(boxes (K, 4), scores (K,))``.
        ground_truth: per image, boxes (G, 4) (same number of images).
        iou_threshold: the smallest IoU of a true positive.

    Returns:
        AP as a float in [0, 1]; NaN when there is no ground-truth box; 0 when there are
        ground-truth boxes and no detection.
    """
    truths = [np.asarray(g, dtype=np.float64).reshape(-1, 4) for g in ground_truth]
    n_truth = sum(len(g) for g in truths)
    if n_truth == 0:
        return float("nan")
    found = []  # (score, image, boxes row)
    for image, (boxes, scores) in enumerate(detections):
        boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
        for row, score in enumerate(np.asarray(scores, dtype=np.float64).reshape(-1)):
            found.append((score, image, boxes[row]))
    if not found:
        return 0.0
    order = np.argsort(-np.array([f[0] for f in found]), kind="stable")
    matched = [np.zeros(len(g), dtype=bool) for g in truths]
    hits = np.zeros(len(found))
    for rank, index in enumerate(order):
        _, image, box = found[index]
        if not len(truths[image]):
            continue
        ious = np.where(matched[image], -1.0, iou_matrix(box[None], truths[image])[0])
        best = int(np.argmax(ious))
        if ious[best] >= iou_threshold:
            matched[image][best] = True
            hits[rank] = 1
    true_positives = np.cumsum(hits)
    precision = true_positives / np.arange(1, len(found) + 1)
    recall = true_positives / n_truth
    # Envelope: the best precision at this recall or any higher one.
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    steps = np.diff(np.concatenate([[0.0], recall]))
    return float(np.sum(steps * envelope))


def mean_average_precision(predictions: list, ground_truth: list, n_classes: int,
                           iou_threshold: float = 0.5) -> float:
    """The mean of ``average_precision`` over the classes that have ground truth (mAP).

    Args:
        predictions: per image, ``(boxes (K, 4), scores (K,), classes (K,))``.
        ground_truth: per image, ``(boxes (G, 4), labels (G,))``.
        n_classes: classes 0 .. n_classes - 1; detections of classes without ground truth are
            ignored.
        iou_threshold: the smallest IoU of a true positive.

    Returns:
        mAP as a float; NaN when no class has a ground-truth box.
    """
    aps = []
    for label in range(n_classes):
        truth = [np.asarray(b, dtype=np.float64).reshape(-1, 4)[np.asarray(lab).reshape(-1) == label]
                 for b, lab in ground_truth]
        if sum(len(t) for t in truth) == 0:
            continue
        dets = []
        for boxes, scores, classes in predictions:
            mine = np.asarray(classes).reshape(-1) == label
            dets.append((np.asarray(boxes, dtype=np.float64).reshape(-1, 4)[mine],
                         np.asarray(scores, dtype=np.float64).reshape(-1)[mine]))
        aps.append(average_precision(dets, truth, iou_threshold))
    return float(np.mean(aps)) if aps else float("nan")


def build_detector(input_shape: tuple[int, int, int], grid_size: int, n_anchors: int, n_classes: int) -> keras.Model:
    """A small one-stage detector: a convolutional backbone down to an S x S grid, then one 1x1
    convolution that predicts, for every cell and anchor, 5 + C raw numbers.

    Blocks of ``Conv2D`` (3x3, "same", ``use_bias=False``: the BatchNormalization after it shifts
    anyway) + ``BatchNormalization`` (momentum 0.9) + ReLU, each followed by
    ``MaxPooling2D(2)`` until the maps are ``grid_size`` wide (the input side must be grid_size
    times a power of 2), two more 3x3 blocks of 64 filters at grid resolution (so each cell sees its
    neighbours), a 1x1 ``Conv2D`` with ``A * (5 + C)`` filters and no activation, and a
    ``Reshape`` to ``(S, S, A, 5 + C)``. For 64x64x1 inputs, S = 8, A = 3, C = 3: 99,432
    parameters (99,672 if those convolutions keep their bias; both are fine). Not compiled (the
    training cell compiles it with ``detection_loss``).

    Args:
        input_shape: ``(H, W, C_in)`` with H = W = grid_size * 2**k, k >= 1.
        grid_size: S.
        n_anchors: A.
        n_classes: C.

    Returns:
        A ``keras.Model``: input (N, H, W, C_in) float32, output (N, S, S, A, 5 + C) logits.
    """
    layers = keras.layers
    inputs = keras.Input(shape=tuple(input_shape))
    x, side = inputs, int(input_shape[0])
    filters = 16
    while side > grid_size:
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        # momentum 0.9: the moving statistics that predict() uses settle within a short training.
        x = layers.BatchNormalization(momentum=0.9)(x)
        x = layers.ReLU()(x)
        x = layers.MaxPooling2D(2)(x)
        side //= 2
        filters = min(filters * 2, 64)
    for _ in range(2):
        x = layers.Conv2D(64, 3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization(momentum=0.9)(x)
        x = layers.ReLU()(x)
    x = layers.Conv2D(n_anchors * (5 + n_classes), 1)(x)
    outputs = layers.Reshape((grid_size, grid_size, n_anchors, 5 + n_classes))(x)
    return keras.Model(inputs, outputs)


def detection_loss(y_true: tf.Tensor, y_pred: tf.Tensor) -> tf.Tensor:
    """The YOLO-style loss of a batch of grid outputs against ``encode_targets`` targets.

    With obj the slots where ``y_true[..., 0] == 1`` and noobj all others, per image:
    ``5 * sum_obj[(sigmoid(tx) - tx*)^2 + (sigmoid(ty) - ty*)^2 + (tw - tw*)^2 + (th - th*)^2]
    + sum_obj BCE(t0, 1) + 0.5 * sum_noobj BCE(t0, 0) + sum_obj CE(softmax(t[5:]), one-hot*)``;
    the result is the mean over the batch. BCE and CE are computed from logits with TensorFlow's
    numerically stable functions (finite even at logits of +-80).

    Args:
        y_true: (N, S, S, A, 5 + C) targets from ``encode_targets`` (offsets in [0, 1), not logits).
        y_pred: (N, S, S, A, 5 + C) raw network outputs.

    Returns:
        A scalar float32 tensor.
    """
    y_true = tf.cast(y_true, tf.float32)
    y_pred = tf.cast(y_pred, tf.float32)
    obj = y_true[..., 0]
    noobj = 1.0 - obj
    xy = tf.reduce_sum(tf.square(tf.sigmoid(y_pred[..., 1:3]) - y_true[..., 1:3]), axis=-1)
    wh = tf.reduce_sum(tf.square(y_pred[..., 3:5] - y_true[..., 3:5]), axis=-1)
    objectness = tf.nn.sigmoid_cross_entropy_with_logits(labels=obj, logits=y_pred[..., 0])
    classes = tf.nn.softmax_cross_entropy_with_logits(labels=y_true[..., 5:], logits=y_pred[..., 5:])
    per_slot = obj * (5.0 * (xy + wh) + objectness + classes) + 0.5 * noobj * objectness
    per_image = tf.reduce_sum(tf.reshape(per_slot, [tf.shape(per_slot)[0], -1]), axis=1)
    return tf.reduce_mean(per_image)
