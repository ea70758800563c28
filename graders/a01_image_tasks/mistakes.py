"""Typical wrong variants of the 01_image_tasks functions, so the graders can name a student's mistake.

`MISTAKES` maps a student function name to rows `(mistake_id, hint, fn)`. Each `fn` takes the
arguments of the function it mimics, in the same order, and returns what a student who made that
mistake returns. When a student's wrong output equals `fn`'s output on the same hidden inputs, the
grader shows `hint`. The first matching row wins, so rows go from specific to generic.

Variants run in the grading process, never in the student's kernel. Hints are one sentence that
names the mistake and never contains expected values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from solutions import image_tasks as ref

Row = tuple[str, str, Callable[..., Any]]


def _f(boxes: Any) -> np.ndarray:
    return np.array(boxes, dtype=np.float64)


# -- tasks -----------------------------------------------------------------------------------------


def _task_truthy(annotation: dict) -> str:
    if annotation.get("mask") is not None and np.asarray(annotation["mask"]).size:
        return "segmentation"
    if len(annotation.get("boxes", [])) > 0:
        return "detection"
    if "label" in annotation:
        return "classification"
    raise ValueError("no task")


def _task_boxes_first(annotation: dict) -> str:
    if "boxes" in annotation:
        return "detection"
    return ref.task_of(annotation)


# -- box formats -----------------------------------------------------------------------------------


def _xywh_plus_one(boxes: Any) -> np.ndarray:
    out = ref.xyxy_to_xywh(boxes)
    out[..., 2:] += 1
    return out


def _xyxy_minus_one(boxes: Any) -> np.ndarray:
    out = ref.xywh_to_xyxy(boxes)
    out[..., 2:] -= 1
    return out


def _xyxy_is_xywh(boxes: Any) -> np.ndarray:
    return ref.xyxy_to_xywh(boxes)


def _cxcywh_pixels(boxes: Any, width: float, height: float) -> np.ndarray:
    return ref.xyxy_to_cxcywh(boxes, 1, 1)


def _cxcywh_swapped(boxes: Any, width: float, height: float) -> np.ndarray:
    return ref.xyxy_to_cxcywh(boxes, height, width)


def _cxcywh_corner(boxes: Any, width: float, height: float) -> np.ndarray:
    out = ref.xyxy_to_xywh(boxes)
    return out / np.array([width, height, width, height])


def _from_cxcywh_not_scaled(boxes: Any, width: float, height: float) -> np.ndarray:
    return ref.cxcywh_to_xyxy(boxes, 1, 1)


def _from_cxcywh_swapped(boxes: Any, width: float, height: float) -> np.ndarray:
    return ref.cxcywh_to_xyxy(boxes, height, width)


def _from_cxcywh_corner(boxes: Any, width: float, height: float) -> np.ndarray:
    scaled = _f(boxes) * np.array([width, height, width, height])
    return ref.xywh_to_xyxy(scaled)


# -- IoU -------------------------------------------------------------------------------------------


def _iou(a: Any, b: Any, *, clip: bool = True, plus: float = 0.0, clip_area: bool = True) -> np.ndarray:
    a = _f(a).reshape(-1, 4)
    b = _f(b).reshape(-1, 4)
    wa, ha = a[:, 2] - a[:, 0] + plus, a[:, 3] - a[:, 1] + plus
    wb, hb = b[:, 2] - b[:, 0] + plus, b[:, 3] - b[:, 1] + plus
    if clip_area:
        wa, ha, wb, hb = (np.clip(v, 0, None) for v in (wa, ha, wb, hb))
    iw = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]) + plus
    ih = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]) + plus
    if clip:
        iw, ih = np.clip(iw, 0, None), np.clip(ih, 0, None)
    inter = iw * ih
    union = (wa * ha)[:, None] + (wb * hb)[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union != 0, inter / np.where(union == 0, 1, union), 0.0)


def _iou_no_clip(a: Any, b: Any) -> np.ndarray:
    return _iou(a, b, clip=False)


def _iou_plus_one(a: Any, b: Any) -> np.ndarray:
    return _iou(a, b, plus=1.0)


def _iou_negative_area(a: Any, b: Any) -> np.ndarray:
    return _iou(a, b, clip_area=False)


def _iou_transposed(a: Any, b: Any) -> np.ndarray:
    return ref.box_iou(b, a)


# -- masks -----------------------------------------------------------------------------------------


def _box_inclusive(mask: Any) -> list[int] | None:
    box = ref.mask_to_box(mask)
    return None if box is None else [box[0], box[1], box[2] - 1, box[3] - 1]


def _box_swapped(mask: Any) -> list[int] | None:
    box = ref.mask_to_box(mask)
    return None if box is None else [box[1], box[0], box[3], box[2]]


def _box_xywh(mask: Any) -> list[int] | None:
    box = ref.mask_to_box(mask)
    return None if box is None else [box[0], box[1], box[2] - box[0], box[3] - box[1]]


def _fractions_foreground(mask: Any, n_classes: int) -> np.ndarray:
    mask = np.asarray(mask)
    counts = np.bincount(mask.ravel().astype(np.int64), minlength=n_classes).astype(float)
    return counts / max((mask != 0).sum(), 1)


def _fractions_counts(mask: Any, n_classes: int) -> np.ndarray:
    return np.bincount(np.asarray(mask).ravel().astype(np.int64), minlength=n_classes).astype(float)


def _fractions_present_only(mask: Any, n_classes: int) -> np.ndarray:
    _, counts = np.unique(np.asarray(mask), return_counts=True)
    return counts / np.asarray(mask).size


# -- annotation cost -------------------------------------------------------------------------------


def _hours_no_overlap(n, obj, s_label, s_box, s_mask, task, n_annotators=1, overlap=1):
    return ref.annotation_hours(n, obj, s_label, s_box, s_mask, task, n_annotators, 1)


def _hours_overlap_divides(n, obj, s_label, s_box, s_mask, task, n_annotators=1, overlap=1):
    return ref.annotation_hours(n, obj, s_label, s_box, s_mask, task, n_annotators, 1) / overlap


def _hours_no_annotators(n, obj, s_label, s_box, s_mask, task, n_annotators=1, overlap=1):
    return ref.annotation_hours(n, obj, s_label, s_box, s_mask, task, 1, overlap)


def _hours_minutes(n, obj, s_label, s_box, s_mask, task, n_annotators=1, overlap=1):
    return ref.annotation_hours(n, obj, s_label, s_box, s_mask, task, n_annotators, overlap) * 60


def _hours_no_objects(n, obj, s_label, s_box, s_mask, task, n_annotators=1, overlap=1):
    return ref.annotation_hours(n, 1, s_label, s_box, s_mask, task, n_annotators, overlap)


# -- cloud responses -------------------------------------------------------------------------------


def _labels_strict(response: dict, min_score: float = 0.5) -> list:
    return [p for p in ref.parse_cloud_labels(response, 0.0) if p[1] > min_score]


def _labels_topicality(response: dict, min_score: float = 0.5) -> list:
    first = response["responses"][0]
    pairs = [(a["description"], float(a.get("topicality", 0.0))) for a in first.get("labelAnnotations", [])]
    return sorted([p for p in pairs if p[1] >= min_score], key=lambda p: -p[1])


def _labels_unsorted(response: dict, min_score: float = 0.5) -> list:
    kept = ref.parse_cloud_labels(response, min_score)
    first = response["responses"][0]
    order = [a["description"] for a in first.get("labelAnnotations", [])]
    return sorted(kept, key=lambda p: order.index(p[0]))


def _labels_ascending(response: dict, min_score: float = 0.5) -> list:
    return sorted(ref.parse_cloud_labels(response, min_score), key=lambda p: p[1])


def _objects_strict(response: dict, width: int, height: int, min_score: float = 0.5) -> list:
    return [o for o in ref.parse_cloud_objects(response, width, height, 0.0) if o[1] > min_score]


def _objects_pixels(response: dict, width: int, height: int, min_score: float = 0.5) -> list:
    return ref.parse_cloud_objects(response, 1, 1, min_score)


def _objects_swapped(response: dict, width: int, height: int, min_score: float = 0.5) -> list:
    return ref.parse_cloud_objects(response, height, width, min_score)


def _objects_first_third(response: dict, width: int, height: int, min_score: float = 0.5) -> list:
    found = []
    for obj in response["responses"][0].get("localizedObjectAnnotations", []):
        v = obj["boundingPoly"]["normalizedVertices"]
        box = (v[0].get("x", 0.0) * width, v[0].get("y", 0.0) * height,
               v[2].get("x", 0.0) * width, v[2].get("y", 0.0) * height)
        found.append((obj["name"], float(obj["score"]), box))
    return sorted([o for o in found if o[1] >= min_score], key=lambda o: -o[1])


# -- model -----------------------------------------------------------------------------------------


def _pre_zero_one(image: Any, size: int = 224) -> np.ndarray:
    return ((ref.preprocess_for_model(image, size) + 1) / 2).astype(np.float32)


def _pre_squash(image: Any, size: int = 224) -> np.ndarray:
    from skimage.transform import resize

    resized = resize(np.asarray(image, float), (size, size), order=1, anti_aliasing=True, preserve_range=True)
    return (resized / 127.5 - 1).astype(np.float32)[None]


def _pre_corner(image: Any, size: int = 224) -> np.ndarray:
    image = np.asarray(image)
    side = min(image.shape[:2])
    return ref.preprocess_for_model(image[:side, :side], size)


def _pre_offset_up(image: Any, size: int = 224) -> np.ndarray:
    image = np.asarray(image)
    h, w = image.shape[:2]
    side = min(h, w)
    top, left = -(-(h - side) // 2), -(-(w - side) // 2)
    return ref.preprocess_for_model(image[top : top + side, left : left + side], size)


def _pre_swapped_crop(image: Any, size: int = 224) -> np.ndarray:
    image = np.asarray(image)
    h, w = image.shape[:2]
    side = min(h, w)
    # Offsets computed from the wrong axes: the width's offset used for the rows and vice versa.
    top, left = (w - side) // 2, (h - side) // 2
    crop = image[top : top + side, left : left + side]
    return ref.preprocess_for_model(crop, size) if crop.shape[:2] == (side, side) else np.zeros(0)


def _top_k_ascending(probabilities: np.ndarray, labels: list[str], k: int) -> list:
    order = np.argsort(probabilities, kind="stable")[:k]
    return [(labels[i], float(probabilities[i])) for i in order]


def _top_k_ties_high(probabilities: np.ndarray, labels: list[str], k: int) -> list:
    order = np.argsort(probabilities, kind="stable")[::-1][:k]
    return [(labels[i], float(probabilities[i])) for i in order]


def _top_k_all(probabilities: np.ndarray, labels: list[str], k: int) -> list:
    order = np.argsort(-probabilities, kind="stable")
    return [(labels[i], float(probabilities[i])) for i in order]


MISTAKES: dict[str, list[Row]] = {
    "task_of": [
        ("empty_boxes", "an empty 'boxes' list is still a detection annotation: test whether the key is present "
                        "(`'boxes' in annotation`), not whether the list is empty", _task_truthy),
        ("boxes_before_mask", "check for 'mask' before 'boxes': a record with a mask is segmentation even if it "
                              "also has boxes", _task_boxes_first),
    ],
    "xyxy_to_xywh": [
        ("plus_one", "width = x2 - x1 with continuous coordinates, no + 1", _xywh_plus_one),
    ],
    "xywh_to_xyxy": [
        ("minus_one", "x2 = x + width with continuous coordinates, no - 1", _xyxy_minus_one),
        ("wrong_direction", "this converts xyxy to xywh; here the input is [x, y, w, h] and x2 = x + w",
         _xyxy_is_xywh),
    ],
    "xyxy_to_cxcywh": [
        ("not_normalised", "the centre format is normalised: divide cx and w by the image width, cy and h by "
                           "the height", _cxcywh_pixels),
        ("swapped", "x and y are swapped: x quantities (cx, w) are divided by the width, y quantities by the "
                    "height", _cxcywh_swapped),
        ("corner", "cx, cy is the box's centre ((x1 + x2) / 2), not its top-left corner", _cxcywh_corner),
    ],
    "cxcywh_to_xyxy": [
        ("not_scaled", "the input is normalised: multiply by the image width and height to get pixels",
         _from_cxcywh_not_scaled),
        ("swapped", "x and y are swapped: multiply x quantities by the width and y quantities by the height",
         _from_cxcywh_swapped),
        ("corner", "cx, cy is the centre: x1 = cx - w / 2, not cx", _from_cxcywh_corner),
    ],
    "box_iou": [
        ("transposed", "the result is transposed: row i must compare a[i] with every box of b, shape (N, M)",
         _iou_transposed),
        ("no_clip", "the overlap width or height is negative for boxes apart along that axis: clip it at 0 "
                    "before multiplying", _iou_no_clip),
        ("plus_one", "pixel counting (width = x2 - x1 + 1) is used, but coordinates here are continuous: "
                     "width = x2 - x1", _iou_plus_one),
        ("negative_area", "an inverted box must have area 0: clip its width and height at 0",
         _iou_negative_area),
    ],
    "mask_to_box": [
        ("inclusive", "off by one: the box's ends are exclusive, so x2 is the last foreground column + 1",
         _box_inclusive),
        ("swapped", "x and y are swapped: x is the column index (axis 1) and y the row index (axis 0)",
         _box_swapped),
        ("xywh", "return the corners [x1, y1, x2, y2], not a width and height", _box_xywh),
    ],
    "class_pixel_fractions": [
        ("foreground", "divide by the number of all pixels (background included), not the foreground pixels",
         _fractions_foreground),
        ("counts", "return fractions (counts divided by the number of pixels), not counts", _fractions_counts),
        ("present_only", "return one value per class 0..n_classes-1, with 0 for absent classes "
                         "(np.bincount with minlength)", _fractions_present_only),
    ],
    "annotation_hours": [
        ("no_overlap", "overlap ignored: each image is labelled `overlap` times, which multiplies the hours",
         _hours_no_overlap),
        ("overlap_divides", "overlap multiplies the work (each image labelled `overlap` times), it does not "
                            "divide it", _hours_overlap_divides),
        ("no_annotators", "the annotators work in parallel: divide by n_annotators", _hours_no_annotators),
        ("minutes", "the result is in minutes: divide the seconds by 3600 for hours", _hours_minutes),
        ("no_objects", "for detection and segmentation the time per image is objects_per_image times the time "
                       "per object", _hours_no_objects),
    ],
    "parse_cloud_labels": [
        ("strict", "a score equal to min_score must be kept: filter with >=, not >", _labels_strict),
        ("topicality", "the confidence is the 'score' field, not 'topicality'", _labels_topicality),
        ("ascending", "sort from the highest score to the lowest", _labels_ascending),
        ("unsorted", "sort the labels by score, highest first", _labels_unsorted),
    ],
    "parse_cloud_objects": [
        ("strict", "a score equal to min_score must be kept: filter with >=, not >", _objects_strict),
        ("pixels", "vertices are normalised to 0..1: multiply x by the width and y by the height to get pixels",
         _objects_pixels),
        ("swapped", "x and y are swapped: multiply x by the width and y by the height", _objects_swapped),
        ("first_third", "take the min and max over all vertices, not two given vertices", _objects_first_third),
    ],
    "preprocess_for_model": [
        ("zero_one", "the model expects [-1, 1]: use x / 127.5 - 1, not x / 255", _pre_zero_one),
        ("squash", "crop the centre square before resizing; resizing the whole image distorts the aspect "
                   "ratio", _pre_squash),
        ("corner", "crop the *centre* square (offset (H - side) // 2), not the top-left one", _pre_corner),
        ("offset_up", "round the crop offset down: (H - side) // 2", _pre_offset_up),
        ("swapped_crop", "the crop offsets are swapped: rows use (H - side) // 2, columns (W - side) // 2",
         _pre_swapped_crop),
    ],
    "predict_top_k": [
        ("ascending", "top-k must be in descending order of probability (the most probable class first)",
         _top_k_ascending),
        ("ties_high", "equal probabilities must keep class order (lower index first): sort -p with a stable "
                      "sort instead of reversing an ascending argsort", _top_k_ties_high),
        ("all", "return only the k most probable classes", _top_k_all),
    ],
}
