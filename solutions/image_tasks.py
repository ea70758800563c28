"""Reference answers of assignment 01_image_tasks: image analytics tasks, annotated data sets,
cloud-service responses and a small image classifier.

Box conventions used throughout: continuous coordinates, x is the column and y the row, and
``xyxy = [x1, y1, x2, y2]`` with exclusive ends, so a box's width is ``x2 - x1``.
"""

from __future__ import annotations

import numpy as np


def task_of(annotation: dict) -> str:
    """The image analytics task an annotation record belongs to.

    The most detailed annotation decides: a ``"mask"`` key means segmentation, else a
    ``"boxes"`` key means detection (even an empty list: an image with no objects is still a
    detection example), else a ``"label"`` key means classification.

    Args:
        annotation: a dict such as ``{"label": "cat"}``, ``{"boxes": [[x1, y1, x2, y2]], "labels": ["cat"]}``
            or ``{"mask": array}``.

    Returns:
        ``"classification"``, ``"detection"`` or ``"segmentation"``.

    Raises:
        ValueError: if ``annotation`` is not a dict with one of those keys.
    """
    if not isinstance(annotation, dict):
        raise ValueError(f"an annotation is a dict, got {type(annotation).__name__}")
    # Key presence, not truthiness: an empty box list is a valid detection annotation.
    if "mask" in annotation:
        return "segmentation"
    if "boxes" in annotation:
        return "detection"
    if "label" in annotation:
        return "classification"
    raise ValueError(f"cannot tell the task from the keys {sorted(annotation)}")


def xyxy_to_xywh(boxes: np.typing.ArrayLike) -> np.ndarray:
    """Corner format ``[x1, y1, x2, y2]`` to COCO format ``[x, y, width, height]``.

    Args:
        boxes: (..., 4) corners; lists and integer arrays are accepted and never modified.

    Returns:
        float64 array (..., 4): top-left corner, then ``width = x2 - x1``, ``height = y2 - y1``.
    """
    # np.array copies, so the caller's array is never modified.
    boxes = np.array(boxes, dtype=np.float64)
    out = boxes.copy()
    out[..., 2:] = boxes[..., 2:] - boxes[..., :2]
    return out


def xywh_to_xyxy(boxes: np.typing.ArrayLike) -> np.ndarray:
    """COCO format ``[x, y, width, height]`` to corner format ``[x1, y1, x2, y2]``.

    Args:
        boxes: (..., 4) top-left corner and size; lists and integer arrays are accepted.

    Returns:
        float64 array (..., 4) with ``x2 = x + width`` and ``y2 = y + height``.
    """
    boxes = np.array(boxes, dtype=np.float64)
    out = boxes.copy()
    out[..., 2:] = boxes[..., :2] + boxes[..., 2:]
    return out


def xyxy_to_cxcywh(boxes: np.typing.ArrayLike, width: float, height: float) -> np.ndarray:
    """Corner format to the normalised centre format of YOLO-style labels.

    Args:
        boxes: (..., 4) corners ``[x1, y1, x2, y2]`` in pixels.
        width: image width in pixels (divides every x quantity).
        height: image height in pixels (divides every y quantity).

    Returns:
        float64 array (..., 4): ``[cx / width, cy / height, w / width, h / height]`` where
        ``cx = (x1 + x2) / 2``, ``cy = (y1 + y2) / 2``, ``w = x2 - x1`` and ``h = y2 - y1``.
    """
    boxes = np.array(boxes, dtype=np.float64)
    scale = np.array([width, height, width, height], dtype=np.float64)
    centre = (boxes[..., :2] + boxes[..., 2:]) / 2
    size = boxes[..., 2:] - boxes[..., :2]
    return np.concatenate([centre, size], axis=-1) / scale


def cxcywh_to_xyxy(boxes: np.typing.ArrayLike, width: float, height: float) -> np.ndarray:
    """Normalised centre format back to corners in pixels (inverse of ``xyxy_to_cxcywh``).

    Args:
        boxes: (..., 4) ``[cx, cy, w, h]`` divided by the image width and height.
        width: image width in pixels.
        height: image height in pixels.

    Returns:
        float64 array (..., 4) ``[x1, y1, x2, y2]`` in pixels.
    """
    boxes = np.array(boxes, dtype=np.float64)
    scale = np.array([width, height, width, height], dtype=np.float64)
    pixels = boxes * scale
    half = pixels[..., 2:] / 2
    return np.concatenate([pixels[..., :2] - half, pixels[..., :2] + half], axis=-1)


def box_iou(a: np.typing.ArrayLike, b: np.typing.ArrayLike) -> np.ndarray:
    """Pairwise intersection over union of two sets of ``xyxy`` boxes.

    ``IoU = area(A ∩ B) / area(A ∪ B)`` with continuous coordinates (the area of a box is
    ``(x2 - x1) * (y2 - y1)``). A box with ``x2 < x1`` or ``y2 < y1`` (inverted) has area 0, and
    the IoU is 0 wherever the union is 0 (two zero-area boxes, even identical ones).

    Args:
        a: (N, 4) boxes.
        b: (M, 4) boxes.

    Returns:
        float64 array (N, M): ``iou[i, j]`` compares ``a[i]`` with ``b[j]``.
    """
    a = np.asarray(a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 4)
    area_a = np.clip(a[:, 2] - a[:, 0], 0, None) * np.clip(a[:, 3] - a[:, 1], 0, None)
    area_b = np.clip(b[:, 2] - b[:, 0], 0, None) * np.clip(b[:, 3] - b[:, 1], 0, None)
    # Broadcast (N, 1) against (1, M); clipping at 0 matters for boxes disjoint on one axis only,
    # where the other axis's overlap is positive and the product would turn negative.
    left = np.maximum(a[:, None, 0], b[None, :, 0])
    top = np.maximum(a[:, None, 1], b[None, :, 1])
    right = np.minimum(a[:, None, 2], b[None, :, 2])
    bottom = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(right - left, 0, None) * np.clip(bottom - top, 0, None)
    union = area_a[:, None] + area_b[None, :] - inter
    iou = np.zeros_like(union)
    np.divide(inter, union, out=iou, where=union > 0)
    return iou


def mask_to_box(mask: np.typing.ArrayLike) -> list[int] | None:
    """The tight box of a mask's non-zero pixels, with exclusive ends.

    Args:
        mask: (H, W) array; any non-zero value counts as foreground.

    Returns:
        ``[x1, y1, x2, y2]`` as Python ints, such that ``mask[y1:y2, x1:x2]`` holds every
        non-zero pixel and no smaller box does; ``None`` if the mask has no non-zero pixel.
    """
    mask = np.asarray(mask)
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    # +1: the last foreground row and column are included, and the box's ends are exclusive.
    return [int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1]


def class_pixel_fractions(mask: np.typing.ArrayLike, n_classes: int) -> np.ndarray:
    """Fraction of all pixels of a label mask that belong to each class.

    Args:
        mask: (H, W) integer class ids in ``0..n_classes - 1`` (0 is usually the background).
        n_classes: number of classes.

    Returns:
        float64 array (n_classes,) summing to 1; 0 for a class absent from the mask.

    Raises:
        ValueError: if the mask holds a value outside ``0..n_classes - 1``.
    """
    mask = np.asarray(mask)
    if mask.size and (mask.min() < 0 or mask.max() >= n_classes):
        raise ValueError(f"mask values must be in 0..{n_classes - 1}")
    counts = np.bincount(mask.ravel().astype(np.int64), minlength=n_classes)
    return counts / mask.size


def stratified_split(
    labels: np.typing.ArrayLike, fractions: tuple[float, float, float] = (0.7, 0.15, 0.15), seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split sample indices into train, validation and test sets that keep the class proportions.

    Every class ``c`` with ``n_c`` samples puts ``floor(n_c * f)`` or ``ceil(n_c * f)`` of them in
    each split of fraction ``f``, and each split's size stays within one of ``N * f``. Each class
    first gets ``floor(n_c * f)`` per split; its ``k_c`` leftover samples (the fractional parts add
    up to a whole number) go to ``k_c`` different splits: those whose running total lags its
    target the most. That greedy choice keeps every split's lag between -1 and 1.

    Args:
        labels: (N,) class labels of any hashable numeric or string type.
        fractions: three non-negative fractions that sum to 1.
        seed: seed of the random order within each class; the same seed gives the same split.

    Returns:
        three sorted int64 index arrays (train, validation, test), disjoint and covering 0..N-1.
    """
    labels = np.asarray(labels)
    fractions = np.asarray(fractions, dtype=np.float64)
    if fractions.shape != (3,) or fractions.min() < 0 or not np.isclose(fractions.sum(), 1.0):
        raise ValueError("fractions must be three non-negative numbers that sum to 1")
    rng = np.random.default_rng(seed)
    splits: list[list[np.ndarray]] = [[], [], []]
    lag = np.zeros(3)  # target minus samples given so far, per split
    for cls in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == cls))
        share = len(members) * fractions
        # The small tolerance keeps 20 * 0.15 = 3.0000000000000004 from counting as 3 plus a bit.
        counts = np.floor(share + 1e-9).astype(int)
        remainder = np.clip(share - counts, 0, None)
        lag += remainder
        extra = len(members) - counts.sum()
        # Stable sort on the negated lag: ties go to the earlier split, so the result is deterministic.
        candidates = [j for j in np.argsort(-lag, kind="stable") if remainder[j] > 1e-9]
        for j in candidates[:extra]:
            counts[j] += 1
            lag[j] -= 1
        bounds = np.cumsum(counts)[:-1]
        for split, part in zip(splits, np.split(members, bounds), strict=True):
            split.append(part)
    return tuple(np.sort(np.concatenate(parts)).astype(np.int64) if parts else np.zeros(0, np.int64)
                 for parts in splits)


def annotation_hours(
    n_images: int,
    objects_per_image: float,
    seconds_per_image_label: float,
    seconds_per_box: float,
    seconds_per_mask: float,
    task: str,
    n_annotators: int = 1,
    overlap: int = 1,
) -> float:
    """Wall-clock hours an annotation campaign takes.

    Labelling one image takes ``seconds_per_image_label`` for classification,
    ``objects_per_image * seconds_per_box`` for detection and ``objects_per_image *
    seconds_per_mask`` for segmentation. Each image is labelled by ``overlap`` annotators (to
    measure agreement or vote), and ``n_annotators`` people work in parallel::

        hours = n_images * seconds_per_image * overlap / n_annotators / 3600

    Returns:
        hours as a float.

    Raises:
        ValueError: for an unknown task.
    """
    per_image = {
        "classification": seconds_per_image_label,
        "detection": objects_per_image * seconds_per_box,
        "segmentation": objects_per_image * seconds_per_mask,
    }
    if task not in per_image:
        raise ValueError(f"unknown task {task!r}")
    return float(n_images * per_image[task] * overlap / n_annotators / 3600)


def parse_cloud_labels(response: dict, min_score: float = 0.5) -> list[tuple[str, float]]:
    """Labels of a Cloud Vision ``images:annotate`` response with score at least ``min_score``.

    The labels are ``response["responses"][0]["labelAnnotations"]``, each with a
    ``"description"`` and a ``"score"`` (``"topicality"`` is another number, not the score).

    Returns:
        ``[(description, score)]``, highest score first, ties in the response's order; ``[]``
        when the response is missing, empty or holds an ``"error"``.
    """
    responses = response.get("responses") if isinstance(response, dict) else None
    first = responses[0] if responses and isinstance(responses[0], dict) else {}
    # A failed request has an "error" entry instead of annotations.
    annotations = [] if "error" in first else first.get("labelAnnotations", [])
    found = [(str(a["description"]), float(a.get("score", 0.0))) for a in annotations]
    kept = [pair for pair in found if pair[1] >= min_score]
    # sorted() is stable, so equal scores keep the response's order.
    return sorted(kept, key=lambda pair: -pair[1])


def parse_cloud_objects(
    response: dict, width: int, height: int, min_score: float = 0.5
) -> list[tuple[str, float, tuple[float, float, float, float]]]:
    """Objects of a Cloud Vision response, with their boxes in pixels.

    Each ``localizedObjectAnnotations`` entry has a ``"name"``, a ``"score"`` and a
    ``"boundingPoly"`` whose ``"normalizedVertices"`` are ``{"x": ..., "y": ...}`` in 0..1 of the
    image width and height; a missing ``x`` or ``y`` means 0 (the service omits zero values).

    Returns:
        ``[(name, score, (x1, y1, x2, y2))]`` for score >= ``min_score``, highest first, ties in
        the response's order; the box is the min and max of the vertices times width and height,
        as floats. ``[]`` for a missing, empty or error response.
    """
    responses = response.get("responses") if isinstance(response, dict) else None
    first = responses[0] if responses and isinstance(responses[0], dict) else {}
    annotations = [] if "error" in first else first.get("localizedObjectAnnotations", [])
    found = []
    for obj in annotations:
        vertices = obj.get("boundingPoly", {}).get("normalizedVertices", [])
        xs = [float(v.get("x", 0.0)) * width for v in vertices]
        ys = [float(v.get("y", 0.0)) * height for v in vertices]
        box = (min(xs), min(ys), max(xs), max(ys)) if vertices else (0.0, 0.0, 0.0, 0.0)
        found.append((str(obj["name"]), float(obj.get("score", 0.0)), box))
    kept = [obj for obj in found if obj[1] >= min_score]
    return sorted(kept, key=lambda obj: -obj[1])


def preprocess_for_model(image: np.typing.ArrayLike, size: int = 224) -> np.ndarray:
    """Prepare an RGB image the way Teachable Machine's exported image models expect.

    Centre crop to a square of side ``min(H, W)`` (offset ``(H - side) // 2``, rounded down, and
    likewise for the width), bilinear resize with anti-aliasing to ``size x size``, then map
    0..255 to -1..1 with ``x / 127.5 - 1``.

    Args:
        image: (H, W, 3) uint8 RGB in 0..255.
        size: side of the model's square input.

    Returns:
        float32 array (1, size, size, 3) in [-1, 1]: a batch of one image.
    """
    from skimage.transform import resize

    image = np.asarray(image, dtype=np.float64)
    height, width = image.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = image[top : top + side, left : left + side]
    # preserve_range keeps 0..255 (skimage would otherwise rescale); order=1 is bilinear.
    resized = resize(square, (size, size), order=1, anti_aliasing=True, preserve_range=True)
    return (resized / 127.5 - 1.0).astype(np.float32)[None]


def predict_top_k(model: object, image: np.typing.ArrayLike, labels: list[str], k: int = 3) -> list[tuple[str, float]]:
    """The k most probable labels of a raw image under a Keras classifier.

    The image is preprocessed with ``preprocess_for_model`` at the model's input size
    (``model.input_shape[1]``), then ``model.predict(batch, verbose=0)`` gives one probability
    per label.

    Args:
        model: a Keras model with a square RGB input and a softmax over ``len(labels)`` classes.
        image: (H, W, 3) uint8 RGB.
        labels: the class names, in the model's output order.
        k: how many labels to return; all of them if k exceeds their number.

    Returns:
        ``[(label, probability)]``, highest first, ties to the lower class index.
    """
    size = int(model.input_shape[1])
    probabilities = np.asarray(model.predict(preprocess_for_model(image, size), verbose=0))[0]
    # A stable sort of the negated values keeps equal probabilities in class order.
    order = np.argsort(-probabilities, kind="stable")[:k]
    return [(labels[i], float(probabilities[i])) for i in order]
