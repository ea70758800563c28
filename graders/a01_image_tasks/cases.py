"""The hidden cases of 01_image_tasks, the reference they are checked against, and their kinds.

Cases come from a seeded generator (sizes, dtypes, non-square images, thresholds hit exactly,
vertices without x, tiny classes), never from the notebook's visible examples. Every builder takes a
case-list name (the fixed cases, the same for every student) or a submission's generator (its fresh
cases); what the fixed list cycles through by position, fresh cases draw at random. Each `*_kind`
names the kinds of a case; every kind among a check's fixed cases is drawn again, with new numbers,
among each submission's fresh cases.

Functions that need an object the bridge cannot send (a model) are called through
`grading_helpers.py`, which the release ships beside the notebook (the kernel always gets the
release's copy).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from convlab.checking.calls import Checker
from convlab.checking.checks import CheckFailure
from convlab.runtime.student import StudentError
from graders.a01_image_tasks.mistakes import MISTAKES
from solutions import image_tasks as ref

CHECK = Checker(reference=ref, mistakes=MISTAKES, seed=20260101)
Source = str | np.random.Generator


def _pick(rng: np.random.Generator, source: Source, options: Sequence[Any], i: int) -> Any:
    """The i-th option (cycling) for the fixed cases; a random one for a submission's fresh cases."""
    if isinstance(source, str):
        return options[i % len(options)]
    return options[int(rng.integers(len(options)))]


def shape_text(a: Any) -> str:
    return "x".join(map(str, np.shape(a)))


def _orientation(height: int, width: int) -> str:
    return "landscape" if width > height else "portrait" if height > width else "square"


def via_helper(student, helper: str, function: str, *args: Any) -> Any:
    """Call a function of grading_helpers.py; failures name the student's function, not the helper."""
    try:
        return student.call(helper, *args)
    except StudentError as exc:
        raise CheckFailure(str(exc).replace(f"`{helper}`", f"`{function}` (called through {helper})")) from None


# -- task_of ---------------------------------------------------------------------------------------

_MASK = np.zeros((3, 5), np.uint8)
TASK_RECORDS = [
    {"label": 3},
    {"image": "b.jpg", "label": "dog", "source": "web"},
    {"boxes": [], "labels": []},
    {"image": "c.jpg", "boxes": np.zeros((0, 4))},
    {"boxes": [[1, 2, 30, 40]], "labels": ["cat"], "label": "cat"},
    {"mask": _MASK, "boxes": [[0, 0, 2, 2]], "label": "x"},
    {"mask": [[0, 1], [1, 1]]},
    {"mask": _MASK},
]
TASK_INVALID = [{}, {"caption": "a cat on a sofa"}, {"labels": ["cat", "dog"]}, {"image": "a.png", "bbox": [1, 2, 3, 4]}]
TASK_KEYS = ("mask", "boxes", "label")
# Keys that look like an annotation but are none of the three (a student might test for them).
LOOKALIKE_KEYS = ("labels", "bbox", "box", "masks", "segmentation", "class", "category_id")
OTHER_KEYS = ("image", "source", "caption", "id", "width", "height", "annotator")
WORDS = ["Tree", "Sky", "Cloud", "Building", "Car", "Road", "Dog", "Person", "Bicycle", "Street light",
         "Window", "Grass", "Leaf", "Wheel", "Plant", "Cat"]


def _value(rng: np.random.Generator) -> Any:
    return str(rng.choice(WORDS)) if rng.random() < 0.5 else int(rng.integers(0, 1000))


def task_records(rng: np.random.Generator, count: int = 3) -> list[dict]:
    """Records of a random task, with the keys of less detailed tasks too, empty or array box lists,
    list or array masks, and keys that are no annotation."""
    records = []
    for _ in range(count):
        task = int(rng.integers(3))  # 0 classification, 1 detection, 2 segmentation
        record: dict[str, Any] = {str(k): _value(rng) for k in rng.choice(OTHER_KEYS, int(rng.integers(0, 3)), replace=False)}
        if task == 2:
            mask = rng.integers(0, 3, (int(rng.integers(1, 6)), int(rng.integers(1, 6)))).astype(np.uint8)
            record["mask"] = mask.tolist() if rng.random() < 0.4 else mask
        if task == 1 or (task == 2 and rng.random() < 0.4):
            boxes = rng.integers(0, 50, (int(rng.integers(0, 3)), 4))
            record["boxes"] = boxes if rng.random() < 0.4 else boxes.tolist()
            if rng.random() < 0.5:
                record["labels"] = [str(w) for w in rng.choice(WORDS, len(boxes))]
        if task == 0 or rng.random() < 0.4:
            record["label"] = _value(rng)
        keys = list(record)
        records.append({keys[j]: record[keys[j]] for j in rng.permutation(len(keys))})
    return records


def invalid_records(rng: np.random.Generator, count: int = 2) -> list[dict]:
    """Dicts without 'mask', 'boxes' or 'label': empty, with look-alike keys, or with other keys only."""
    records = []
    for _ in range(count):
        kind = int(rng.integers(3))
        keys = [] if kind == 0 else list(rng.choice(OTHER_KEYS, int(rng.integers(1, 3)), replace=False))
        if kind == 1:
            keys.append(rng.choice(LOOKALIKE_KEYS))
        records.append({str(k): _value(rng) for k in keys})
    return records


def record_kind(record: dict) -> tuple[str, ...]:
    labels = [ref.task_of(record)]
    if len(set(TASK_KEYS) & set(record)) > 1:
        labels.append("several annotation keys")
    if set(record) - set(TASK_KEYS) - {"labels"}:
        labels.append("extra keys")
    if "boxes" in record and len(record["boxes"]) == 0:
        labels.append("empty boxes")
    if isinstance(record.get("mask"), list):
        labels.append("mask as a list")
    return tuple(labels)


def invalid_kind(record: dict) -> str:
    if not record:
        return "empty dict"
    return "look-alike key" if set(record) & set(LOOKALIKE_KEYS) else "other keys only"


def describe_record(record: dict) -> str:
    parts = []
    for key, value in record.items():
        if isinstance(value, np.ndarray):
            parts.append(f"{key!r}: array {shape_text(value)}")
        elif isinstance(value, list) and not value:
            parts.append(f"{key!r}: []")
        else:
            parts.append(f"{key!r}: ...")
    return "{" + ", ".join(parts) + "}"


# -- box formats -----------------------------------------------------------------------------------

NORMALISED = ("xyxy_to_cxcywh", "cxcywh_to_xyxy")
BOX_SHAPES = [(4,), (1, 4), (5, 4), (2, 3, 4), (7, 4), (4, 1, 4)]
BOX_TYPES = ["int64", "float64", "list", "float32", "int32", "float64"]


def random_boxes(rng: np.random.Generator, shape: tuple[int, ...], kind: str, w: float, h: float) -> Any:
    x1 = rng.uniform(0, w * 0.6, shape)
    y1 = rng.uniform(0, h * 0.6, shape)
    x2 = x1 + rng.uniform(1, w * 0.4, shape)
    y2 = y1 + rng.uniform(1, h * 0.4, shape)
    boxes = np.stack([x1, y1, x2, y2], axis=-1)
    if kind in ("int64", "int32", "list"):
        boxes = np.round(boxes).astype(kind if kind != "list" else np.int64)
        boxes[..., 2:] = np.maximum(boxes[..., 2:], boxes[..., :2] + 1)
        return boxes.tolist() if kind == "list" else boxes
    return boxes.astype(kind).round(2) if kind == "float64" else boxes.astype(kind)


def _to_input(name: str, boxes: Any, width: int, height: int) -> Any:
    """Inputs of the inverse conversions are the outputs of the forward ones."""
    if name == "xywh_to_xyxy":
        out = ref.xyxy_to_xywh(boxes)
        return out.round().astype(np.int64) if np.asarray(boxes).dtype.kind in "iu" else out
    if name == "cxcywh_to_xyxy":
        return ref.xyxy_to_cxcywh(boxes, width, height)
    return boxes


def conversion_cases(name: str, source: Source, count: int) -> list[tuple[Any, int, int]]:
    """(boxes, width, height) for the conversion `name`: one box, (N, 4) and (batch, N, 4) boxes of
    ints, floats and lists, in images of 50 to 900 pixels a side."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        width, height = int(rng.integers(50, 900)), int(rng.integers(50, 900))
        shape, kind = _pick(rng, source, BOX_SHAPES, i), _pick(rng, source, BOX_TYPES, i)
        boxes = random_boxes(rng, shape[:-1], kind, width, height)
        cases.append((_to_input(name, boxes, width, height), width, height))
    return cases


def unchanged_cases(name: str, source: Source) -> list[tuple[np.ndarray, int, int]]:
    """One float64 input (the kind a conversion could modify in place) in a random image."""
    rng = CHECK.rng(source)
    width, height, n = (640, 360, 6) if isinstance(source, str) else (
        int(rng.integers(50, 900)), int(rng.integers(50, 900)), int(rng.integers(1, 9)))
    return [(_to_input(name, random_boxes(rng, (n,), "float64", width, height), width, height), width, height)]


def conversion_kind(case: tuple) -> tuple[str, ...]:
    boxes = case[0]
    rank = {1: "one box", 2: "(N, 4) boxes", 3: "(batch, N, 4) boxes"}[np.ndim(boxes)]
    return ("list" if isinstance(boxes, list) else str(boxes.dtype), rank)


def pixel_xyxy(name: str, boxes: Any, width: int, height: int) -> np.ndarray:
    """A conversion's output as (N, 4) corner boxes in pixels, for drawing (ValueError if not boxes)."""
    b = np.asarray(boxes, dtype=float).reshape(-1, 4)
    if name == "xyxy_to_xywh":
        return np.concatenate([b[:, :2], b[:, :2] + b[:, 2:]], axis=1)
    if name == "xyxy_to_cxcywh":
        centre, size = b[:, :2] * (width, height), b[:, 2:] * (width, height)
        return np.concatenate([centre - size / 2, centre + size / 2], axis=1)
    return b


# -- IoU -------------------------------------------------------------------------------------------


def iou_cases(source: Source, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Boxes in a small area so that most pairs overlap: ints and floats, N and M from 1 to 6."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        n, m = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        a = random_boxes(rng, (n,), _pick(rng, source, ["float64", "int64"], i), 60, 40)
        b = random_boxes(rng, (m,), _pick(rng, source, ["int32", "float64", "float64"], i), 60, 40)
        cases.append((np.asarray(a), np.asarray(b)))
    return cases


def iou_kind(case: tuple) -> tuple[str, str]:
    a, b = case
    return f"a {a.dtype}", f"b {b.dtype}"


IOU_DISJOINT = [
    # apart along x only (the y overlap is positive), along y only, along both, touching edges
    (np.array([[0, 0, 4, 4]]), np.array([[6, 1, 9, 3], [1, 7, 3, 9], [5, 5, 8, 8], [4, 0, 8, 4]])),
    (np.array([[10.5, 2.0, 20.0, 30.0], [0.0, 0.0, 3.0, 3.0]]), np.array([[0.0, 5.0, 8.0, 25.0], [25.0, 40.0, 30.0, 50.0]])),
    (np.array([[3, 3, 7, 5], [0, 0, 2, 9]]), np.array([[0, 6, 9, 8], [8, 0, 9, 9], [2, 0, 3, 2]])),
]
IOU_DEGENERATE = [
    (np.array([[1, 1, 1, 1]]), np.array([[1, 1, 1, 1]])),                            # identical points
    (np.array([[2.0, 2.0, 2.0, 6.0]]), np.array([[2.0, 2.0, 2.0, 6.0], [0.0, 0.0, 5.0, 5.0]])),  # zero-width
    (np.array([[4, 4, 2, 2], [0, 0, 10, 10]]), np.array([[4, 4, 2, 2], [1, 1, 3, 3]])),  # inverted boxes
    (np.array([[5, 0, 1, 4]]), np.array([[0, 0, 6, 4], [5, 0, 1, 4]])),                 # inverted along x only
]
RELATIONS = ("apart", "touching", "overlapping")


def _interval(rng: np.random.Generator, lo: int, hi: int, relation: str) -> tuple[int, int]:
    """An interval apart from, touching or overlapping [lo, hi], on either side."""
    length, after = int(rng.integers(1, 8)), bool(rng.random() < 0.5)
    if relation == "apart":
        gap = int(rng.integers(1, 6))
        return (hi + gap, hi + gap + length) if after else (lo - gap - length, lo - gap)
    if relation == "touching":
        return (hi, hi + length) if after else (lo - length, lo)
    start = int(rng.integers(lo - length + 1, hi))
    return start, start + length


def _boxes(rows: list[list[int]], floats: bool) -> np.ndarray:
    # Halves are exact in binary: touching edges stay exactly touching as floats.
    return np.array(rows, dtype=np.float64) / 2 if floats else np.array(rows, dtype=np.int64)


def disjoint_cases(rng: np.random.Generator, count: int = 2) -> list[tuple[np.ndarray, np.ndarray]]:
    """One box against boxes apart from it, touching it or overlapping it along each axis."""
    cases = []
    for _ in range(count):
        x1, y1 = (int(v) for v in rng.integers(20, 40, 2))
        a = [x1, y1, x1 + int(rng.integers(2, 10)), y1 + int(rng.integers(2, 10))]
        b = []
        for _ in range(int(rng.integers(3, 6))):
            (bx1, bx2), (by1, by2) = (_interval(rng, a[k], a[k + 2], str(rng.choice(RELATIONS))) for k in (0, 1))
            b.append([bx1, by1, bx2, by2])
        floats = bool(rng.random() < 0.5)
        cases.append((_boxes([a], floats), _boxes(b, floats)))
    return cases


def _axis(lo1: float, hi1: float, lo2: float, hi2: float) -> str:
    gap = max(lo1, lo2) - min(hi1, hi2)
    return RELATIONS[0] if gap > 0 else RELATIONS[1] if gap == 0 else RELATIONS[2]


def disjoint_kind(case: tuple) -> tuple[str, ...]:
    a, b = case
    pairs = {f"x {_axis(p[0], p[2], q[0], q[2])}, y {_axis(p[1], p[3], q[1], q[3])}" for p in a for q in b}
    return (*sorted(pairs), "int boxes" if a.dtype.kind in "iu" else "float boxes")


BOX_SHAPE_KINDS = {"point": (0, 0), "zero width": (0, 1), "zero height": (1, 0), "inverted along x only": (-1, 1),
                   "inverted along y only": (1, -1), "inverted along both axes": (-1, -1), "positive area": (1, 1)}


def degenerate_cases(rng: np.random.Generator, count: int = 2) -> list[tuple[np.ndarray, np.ndarray]]:
    """Zero-area and inverted boxes, some against the same box (a union of 0), and ordinary boxes."""
    names = list(BOX_SHAPE_KINDS)

    def box(kinds: list[str]) -> list[int]:
        x, y = (int(v) for v in rng.integers(0, 10, 2))
        sx, sy = BOX_SHAPE_KINDS[str(rng.choice(kinds))]
        return [x, y, x + sx * int(rng.integers(1, 6)), y + sy * int(rng.integers(1, 6))]

    cases = []
    for _ in range(count):
        a = [box(names[:-1]) for _ in range(int(rng.integers(1, 3)))]
        b = [box(names) for _ in range(int(rng.integers(1, 4)))]
        if rng.random() < 0.6:
            b.insert(int(rng.integers(len(b) + 1)), list(a[int(rng.integers(len(a)))]))
        floats = bool(rng.random() < 0.5)
        cases.append((_boxes(a, floats), _boxes(b, floats)))
    return cases


def _box_shape(box: np.ndarray) -> str:
    w, h = box[2] - box[0], box[3] - box[1]
    return next(k for k, (sx, sy) in BOX_SHAPE_KINDS.items() if np.sign(w) == sx and np.sign(h) == sy)


def degenerate_kind(case: tuple) -> tuple[str, ...]:
    a, b = (np.asarray(v, dtype=float) for v in case)
    area = [np.clip(v[:, 2] - v[:, 0], 0, None) * np.clip(v[:, 3] - v[:, 1], 0, None) for v in (a, b)]
    labels = {_box_shape(box) for box in np.concatenate([a, b])}
    if (area[0][:, None] + area[1][None, :] == 0).any():  # two zero-area boxes: the union is 0
        labels.add("zero union")
    return (*sorted(labels), "int boxes" if case[0].dtype.kind in "iu" else "float boxes")


# -- masks -----------------------------------------------------------------------------------------


def mask_cases(source: Source, count: int) -> list[np.ndarray]:
    """Non-square uint8, bool and multi-class masks with one to three blobs."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        h, w = int(rng.integers(4, 25)), int(rng.integers(4, 25))
        while h == w:
            w = int(rng.integers(4, 25))
        dtype = _pick(rng, source, [np.uint8, bool, np.int64, np.int32], i)
        mask = np.zeros((h, w), dtype=dtype)
        for _ in range(int(rng.integers(1, 4))):
            y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
            mask[y : y + int(rng.integers(1, 5)), x : x + int(rng.integers(1, 5))] = 1 if dtype is bool else rng.integers(1, 4)
        cases.append(mask)
    return cases


def mask_kind(mask: np.ndarray) -> str:
    return str(mask.dtype)


def _edge_masks() -> list[np.ndarray]:
    empty = np.zeros((6, 9), np.uint8)
    corner = np.zeros((5, 8), np.uint8)
    corner[0, 0] = 1
    last = np.zeros((7, 4), bool)
    last[-1, -1] = True
    full = np.full((3, 11), 2, np.int64)
    column = np.zeros((9, 6), np.uint8)
    column[2:9, 5] = 3
    return [empty, corner, last, full, column, np.zeros((1, 1), np.uint8)]


MASK_EDGES = _edge_masks()
MASK_EDGE_KINDS = ("empty", "first pixel", "last pixel", "full", "border line", "1x1")


def edge_masks(rng: np.random.Generator, count: int = 2) -> list[np.ndarray]:
    """Empty masks, a single pixel in the first or last corner, full masks, a line along the last row
    or column, 1x1 masks; of random sizes and dtypes."""
    masks = []
    for _ in range(count):
        kind = str(rng.choice(MASK_EDGE_KINDS))
        h, w = (1, 1) if kind == "1x1" else (int(rng.integers(2, 15)), int(rng.integers(2, 15)))
        dtype = [np.uint8, bool, np.int64, np.int32][int(rng.integers(4))]
        value = 1 if dtype is bool else int(rng.integers(1, 4))
        mask = np.zeros((h, w), dtype)
        if kind == "first pixel":
            mask[0, 0] = value
        elif kind == "last pixel":
            mask[-1, -1] = value
        elif kind == "full" or (kind == "1x1" and rng.random() < 0.5):
            mask[:] = value
        elif kind == "border line" and rng.random() < 0.5:
            mask[int(rng.integers(0, h)) :, -1] = value
        elif kind == "border line":
            mask[-1, int(rng.integers(0, w)) :] = value
        masks.append(mask)
    return masks


def edge_kind(mask: np.ndarray) -> tuple[str, ...]:
    foreground = mask != 0
    labels = ["1x1"] if mask.shape == (1, 1) else []
    if not foreground.any():
        return ("empty", *labels)
    if foreground.all():
        return ("full", *labels)
    x1, y1, x2, y2 = ref.mask_to_box(mask)
    if foreground.sum() == 1:
        labels.append("single pixel")
    if x1 == 0 and y1 == 0:
        labels.append("starts at the first row and column")
    if x2 == mask.shape[1] or y2 == mask.shape[0]:
        labels.append("reaches the last row or column")
    return tuple(labels)


def fraction_cases(source: Source, count: int) -> list[tuple[np.ndarray, int]]:
    """Non-square masks of 3 to 6 classes where one class never occurs (its fraction is 0)."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        n_classes = int(rng.integers(3, 7))
        h, w = int(rng.integers(3, 20)), int(rng.integers(3, 20))
        present = rng.choice(n_classes, size=n_classes - 1, replace=False)  # one class always missing
        mask = rng.choice(present, size=(h, w)).astype(_pick(rng, source, [np.uint8, np.int64, np.int32], i))
        cases.append((mask, n_classes))
    return cases


def fraction_kind(case: tuple) -> str:
    return str(case[0].dtype)


FRACTIONS_INVALID = [
    (np.array([[0, 1], [2, 3]], np.uint8), 3),
    (np.array([[0, -1, 1]], np.int64), 2),
    (np.full((2, 5), 9, np.int32), 4),
]


def invalid_fraction_cases(rng: np.random.Generator, count: int = 2) -> list[tuple[np.ndarray, int]]:
    """Valid masks but for one pixel: a class id equal to n_classes, negative, or larger."""
    cases = []
    for _ in range(count):
        n_classes, h, w = (int(v) for v in rng.integers(2, 7, 3))
        bad = int(rng.integers(3))
        value = (n_classes, -int(rng.integers(1, 4)), n_classes + int(rng.integers(1, 10)))[bad]
        dtype = [np.int64, np.int32] if bad == 1 else [np.uint8, np.int64, np.int32]
        mask = rng.integers(0, n_classes, (h, w)).astype(dtype[int(rng.integers(len(dtype)))])
        mask[int(rng.integers(h)), int(rng.integers(w))] = value
        cases.append((mask, n_classes))
    return cases


def invalid_fraction_kind(case: tuple) -> tuple[str, ...]:
    mask, n_classes = case
    labels = [str(mask.dtype)]
    if mask.min() < 0:
        labels.append("negative class id")
    if mask.max() == n_classes:
        labels.append("class id equal to n_classes")
    if mask.max() > n_classes:
        labels.append("class id above n_classes")
    return tuple(labels)


# -- stratified split ------------------------------------------------------------------------------

SPLIT_LAYOUTS = [
    ([6] * 15, (0.7, 0.15, 0.15)),
    ([1, 2, 13, 40], (0.7, 0.15, 0.15)),
    ([6, 6, 7, 9, 1], (0.6, 0.2, 0.2)),
    ([25, 3, 11, 2, 2, 30], (0.8, 0.1, 0.1)),
    ([5] * 12, (0.5, 0.25, 0.25)),
    ([2] * 9 + [1] * 4, (0.7, 0.15, 0.15)),
]
SPLIT_LABELS = ("int64", "str", "int64", "int32", "int64", "int64")


def _random_layout(rng: np.random.Generator) -> tuple[list[int], tuple[float, float, float]]:
    """2 to 15 classes, one of 12 to 40 samples (so the seed always matters), maybe tiny ones."""
    n_classes = int(rng.integers(2, 16))
    low = 1 if rng.random() < 0.5 else 3
    sizes = [int(rng.integers(12, 41))] + [int(rng.integers(low, 15)) for _ in range(n_classes - 1)]
    return [sizes[j] for j in rng.permutation(n_classes)], SPLIT_LAYOUTS[int(rng.integers(len(SPLIT_LAYOUTS)))][1]


def split_cases(source: Source, count: int = len(SPLIT_LAYOUTS)) -> list[tuple[Any, tuple[float, float, float], int]]:
    """Class sizes that break naive rounding (6, 1, 2, 13), many classes, string labels, other seeds."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        sizes, fractions = SPLIT_LAYOUTS[i] if isinstance(source, str) else _random_layout(rng)
        labels = np.repeat(np.arange(len(sizes)), sizes)
        labels = labels[rng.permutation(len(labels))]
        kind = _pick(rng, source, SPLIT_LABELS, i)
        if kind == "str":
            names = ["cat", "dog", "fox", "owl"] if len(sizes) == 4 else [w.lower() for w in WORDS]
            labels = [names[k] for k in labels]
        elif kind == "int32":
            labels = (labels * 7 + 3).astype(np.int32)
        cases.append((labels, fractions, int(rng.integers(1, 1000))))
    return cases


def split_kind(case: tuple) -> tuple[str, ...]:
    labels, fractions, _ = case
    _, counts = np.unique(np.asarray(labels), return_counts=True)
    return ("str labels" if isinstance(labels, list) else f"{labels.dtype} labels", f"fractions {fractions}",
            "a class of 1 or 2 samples" if counts.min() <= 2 else "every class of 3 or more",
            "10 classes or more" if len(counts) >= 10 else "under 10 classes")


# -- annotation cost -------------------------------------------------------------------------------

TASKS = ("classification", "detection", "segmentation")


def hours_cases(source: Source, count: int = 9) -> list[tuple]:
    """The three tasks with several annotators and overlaps of 1 to 3."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        task = _pick(rng, source, TASKS, i)
        cases.append((int(rng.integers(100, 50_000)), float(rng.integers(1, 12)), float(rng.integers(1, 6)),
                      float(rng.integers(4, 12)), float(rng.integers(20, 90)), task,
                      int(rng.integers(2, 7)), int(_pick(rng, source, [2, 3, 1], i))))
    return cases


def hours_kind(case: tuple) -> tuple[str, str]:
    return case[5], "overlap 1" if case[7] == 1 else "overlap > 1"


# -- cloud responses -------------------------------------------------------------------------------


def _label_response(rng: np.random.Generator, n: int, scores: list[float] | None = None) -> dict:
    names = rng.choice(WORDS, size=n, replace=False)
    scores = scores or [float(s) for s in rng.integers(1000, 10000, n) / 10000]
    annotations = []
    for name, score in zip(names, scores, strict=True):
        topicality = score if rng.random() < 0.4 else float(rng.integers(1000, 10000) / 10000)
        annotations.append({"mid": f"/m/{rng.integers(10**4, 10**5)}", "description": str(name), "score": score,
                            "topicality": topicality})
    return {"responses": [{"labelAnnotations": annotations}]}


def label_cases(source: Source, count: int = 6) -> list[tuple[dict, float | None]]:
    """Topicality other than the score, tied scores, the default and other thresholds."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        n = int(rng.integers(3, 9))
        scores = [float(s) for s in rng.choice([0.55, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.42, 0.33], size=n)]
        cases.append((_label_response(rng, n, scores), _pick(rng, source, [None, 0.3, 0.65, 0.8], i)))
    return cases


LABELS_THRESHOLD = [
    (_label_response(np.random.default_rng(1), 5, [0.9, 0.75, 0.5, 0.75, 0.25]), 0.75),
    (_label_response(np.random.default_rng(2), 4, [0.5, 0.625, 0.375, 0.5]), None),
    (_label_response(np.random.default_rng(3), 3, [0.0, 1.0, 0.125]), 0.0),
    (_label_response(np.random.default_rng(4), 3, [0.875, 1.0, 0.125]), 1.0),
]


def threshold_cases(rng: np.random.Generator, count: int = 2) -> list[tuple[dict, float | None]]:
    """Scores in eighths (exact in binary), one of them equal to min_score: the default, 0, 1 or between."""
    cases = []
    for _ in range(count):
        min_score = [None, 0.0, 1.0, int(rng.integers(1, 8)) / 8][int(rng.integers(4))]
        n = int(rng.integers(3, 7))
        scores = [int(s) / 8 for s in rng.integers(0, 9, n)]
        scores[int(rng.integers(n))] = 0.5 if min_score is None else min_score
        cases.append((_label_response(rng, n, scores), min_score))
    return cases


def pairs_same(got: Any, wrong: Any) -> bool:
    """Lists of (name, score[, box]) tuples (as lists, as the bridge delivers them) equal within tolerance."""
    if not isinstance(got, list) or len(got) != len(wrong):
        return False
    for g, w in zip(got, wrong, strict=True):
        if not isinstance(g, list) or len(g) != len(w) or g[0] != w[0] or not np.isclose(float(g[1]), w[1]):
            return False
        if len(w) == 3 and not np.allclose(np.asarray(g[2], float), w[2], atol=1e-6):
            return False
    return True


def _scores(response: dict, key: str) -> list[float]:
    return [a["score"] for a in response["responses"][0][key]]


def _threshold(scores: list[float], min_score: float | None) -> tuple[str, str]:
    given = "default min_score" if min_score is None else "min_score given"
    at = "a score equal to min_score" if (0.5 if min_score is None else min_score) in scores else "no score at min_score"
    return given, at


def labels_kind(case: tuple) -> tuple[str, ...]:
    response, min_score = case
    scores = _scores(response, "labelAnnotations")
    return (*_threshold(scores, min_score), "tied scores" if len(set(scores)) < len(scores) else "no ties")


def threshold_kind(case: tuple) -> tuple[str, ...]:
    response, min_score = case
    edge = {None: "default min_score", 0.0: "min_score 0", 1.0: "min_score 1"}.get(min_score, "min_score between 0 and 1")
    return edge, _threshold(_scores(response, "labelAnnotations"), min_score)[1]


MISSING = [{}, {"responses": []}, {"responses": [{}]},
           {"responses": [{"error": {"code": 7, "message": "The caller does not have permission"}}]},
           {"responses": [{"localizedObjectAnnotations": [], "labelAnnotations": []}]}]
ERRORS = ["The caller does not have permission", "Bad image data.", "Request had invalid authentication credentials.",
          "Quota exceeded for quota metric 'Requests'.", "Image size exceeds the limit."]


def missing_responses(rng: np.random.Generator, count: int = 2) -> list[dict]:
    """Empty, missing and error responses (with a random error), as the service sends them."""
    responses = []
    for _ in range(count):
        kind = int(rng.integers(5))
        if kind == 3:
            error = {"code": int(rng.integers(3, 17)), "message": str(rng.choice(ERRORS))}
            responses.append({"responses": [{"error": error}]})
        elif kind == 4:
            keys = ["localizedObjectAnnotations", "labelAnnotations"]
            responses.append({"responses": [{k: [] for k in (keys if rng.random() < 0.5 else keys[::-1])}]})
        else:
            responses.append(MISSING[kind])
    return responses


def missing_kind(response: dict) -> str:
    if "responses" not in response:
        return "no responses"
    if not response["responses"]:
        return "empty responses"
    first = response["responses"][0]
    return "error" if "error" in first else "empty annotation lists" if first else "empty first response"


def _object_response(rng: np.random.Generator, n: int, scores: list[float]) -> dict:
    objects = []
    for k in range(n):
        x1, y1 = (float(v) for v in rng.choice([0.0, 0.125, 0.25, 0.375], 2))
        x2, y2 = x1 + float(rng.choice([0.25, 0.5, 0.625])), y1 + float(rng.choice([0.125, 0.5, 0.625]))
        corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
        start = int(rng.integers(0, 4)) if k % 2 else 0  # some polygons start at another corner
        vertices = []
        for x, y in corners[start:] + corners[:start]:
            vertex = {}
            if x != 0.0:  # the service omits zero-valued fields
                vertex["x"] = x
            if y != 0.0:
                vertex["y"] = y
            vertices.append(vertex)
        objects.append({"mid": f"/m/{k}", "name": str(rng.choice(WORDS)), "score": scores[k],
                        "boundingPoly": {"normalizedVertices": vertices}})
    return {"responses": [{"localizedObjectAnnotations": objects}]}


IMAGE_SIZES = [(640, 480), (333, 517), (1024, 256), (200, 600), (800, 800)]


def _image_size(rng: np.random.Generator) -> tuple[int, int]:
    long, short = int(rng.integers(150, 1200)), int(rng.integers(100, 150))
    short = int(rng.integers(short, long))
    return [(long, short), (short, long), (long, long)][int(rng.integers(3))]


def object_cases(source: Source, count: int = 5) -> list[tuple[dict, int, int, float | None]]:
    """Non-square and square images, vertices without x or y, scores at the threshold, other thresholds."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        w, h = IMAGE_SIZES[i] if isinstance(source, str) else _image_size(rng)
        n = int(rng.integers(2, 6))
        scores = [float(s) for s in rng.choice([0.45, 0.5, 0.6, 0.75, 0.9], size=n)]
        cases.append((_object_response(rng, n, scores), w, h, _pick(rng, source, [None, 0.6, 0.75, 0.4, 0.5], i)))
    return cases


def objects_kind(case: tuple) -> tuple[str, ...]:
    response, width, height, min_score = case
    return (_orientation(height, width), *_threshold(_scores(response, "localizedObjectAnnotations"), min_score))


def missing_object_cases(rng: np.random.Generator, count: int = 2) -> list[tuple[dict, int, int]]:
    return [(response, *_image_size(rng)) for response in missing_responses(rng, count)]


# -- preprocessing and the model -------------------------------------------------------------------

MEAN_TOLERANCE = 0.07  # bilinear resizes of different libraries differ by about 0.005-0.05 on average


def photo(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A crop of a scikit-image sample photo (shipped with the package, no download)."""
    from skimage import data

    source = [data.chelsea, data.coffee, data.rocket, data.astronaut][int(rng.integers(0, 4))]()
    if source.shape[0] < h or source.shape[1] < w:
        h, w = min(h, source.shape[0]), min(w, source.shape[1])
    y, x = int(rng.integers(0, source.shape[0] - h + 1)), int(rng.integers(0, source.shape[1] - w + 1))
    return np.ascontiguousarray(source[y : y + h, x : x + w])


PREPROCESS_SHAPES = [(240, 360, 64), (300, 180, 48), (37, 20, 48), (123, 321, None), (90, 91, 32), (400, 250, 100)]


def preprocess_cases(source: Source, count: int = 6) -> list[tuple[np.ndarray, int | None]]:
    """Photos of many non-square sizes, down- and upscaled, at the default size or another."""
    rng = CHECK.rng(source)
    shapes = PREPROCESS_SHAPES[:count] if isinstance(source, str) else [
        (int(rng.integers(16, 420)), int(rng.integers(16, 420)), [None, 32, 48, 64, 100][int(rng.integers(5))])
        for _ in range(count)]
    return [(photo(rng, h, w), size) for h, w, size in shapes]


def preprocess_kind(case: tuple) -> tuple[str, ...]:
    image, size = case
    side, target = min(image.shape[:2]), 224 if size is None else size
    return (_orientation(*image.shape[:2]), "downscaled" if side > target else "upscaled" if side < target else "same size",
            "default size" if size is None else "size given")


def crop_cases(source: Source, count: int = 4) -> list[tuple[np.ndarray, int]]:
    """No resizing needed (the short side equals size): the crop offset is checked exactly."""
    rng = CHECK.rng(source)
    sizes = [(9, 14), (17, 8), (12, 15), (31, 24)][:count] if isinstance(source, str) else [
        tuple(int(v) for v in rng.choice(np.arange(6, 41), 2, replace=False)) for _ in range(count)]
    return [(rng.integers(0, 256, (h, w, 3)).astype(np.uint8), min(h, w)) for h, w in sizes]


def crop_kind(case: tuple) -> tuple[str, str]:
    h, w = case[0].shape[:2]
    return _orientation(h, w), "odd offset" if abs(h - w) % 2 else "even offset"


def format_cases(source: Source, count: int = 1) -> list[tuple[np.ndarray, int]]:
    """Images half black (left) and half white (right)."""
    rng = CHECK.rng(source)
    cases = []
    for _ in range(count):
        h, w, size = (30, 50, 16) if isinstance(source, str) else (
            int(rng.integers(12, 60)), int(rng.integers(12, 60)), int(rng.integers(8, 33)))
        image = np.zeros((h, w, 3), np.uint8)
        image[:, w // 2 :] = 255
        cases.append((image, size))
    return cases


def format_kind(case: tuple) -> str:
    return _orientation(*case[0].shape[:2])


class FixedModel:
    """The grader's twin of grading_helpers.FixedOutputModel."""

    def __init__(self, probabilities: np.ndarray, size: int) -> None:
        self.input_shape = (None, size, size, 3)
        self.probabilities = np.asarray(probabilities, dtype=np.float32).reshape(1, -1)

    def predict(self, x: np.ndarray, verbose: int = 0) -> np.ndarray:
        return self.probabilities.copy()


def top_k_cases(source: Source, count: int = 8) -> list[tuple[np.ndarray, list[str], int, int]]:
    """Known probabilities of 2 to 7 classes, ties at the top, k from 1 to more than the classes."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        n = int(rng.integers(2, 8))
        p = rng.dirichlet(np.ones(n)).round(3)
        if _pick(rng, source, [True, False], i):  # ties
            j = rng.choice(n, size=2, replace=False)
            p[j] = p[j].max()
        p = (p / p.sum()).astype(np.float32)
        labels = [f"class_{c}" for c in rng.permutation(20)[:n]]
        k = _pick(rng, source, [1, 2, 3, n, n + 2], i)
        cases.append((p, labels, int(k), int(rng.choice([16, 24, 40]))))
    return cases


def top_k_kind(case: tuple) -> tuple[str, str]:
    p, _, k, _ = case
    n = len(p)
    return ("tied probabilities" if len(set(p.tolist())) < n else "no ties",
            "k = 1" if k == 1 else "k = n" if k == n else "k > n" if k > n else "1 < k < n")


def top_k_input_kind(case: tuple) -> str:
    return f"input size {case[3]}"


# A photo, not noise: on noise, the bilinear resizes of different libraries disagree too much.
TOP_K_IMAGE = photo(CHECK.rng("predict_top_k_image"), 30, 45)


def shape_photos(source: Source, count: int = 4) -> list[tuple[np.ndarray, int]]:
    """Raw photos of generated shapes, padded to non-square sizes; one twice as large (downscaled)."""
    from graders.a01_image_tasks.build_model import training_images

    fixed = isinstance(source, str)
    rng = CHECK.rng(source)
    images, _ = training_images(count, CHECK.seed if fixed else int(rng.integers(2**31)))
    photos = []
    for i, image in enumerate(images):
        if (i == 1) if fixed else rng.random() < 0.5:
            image = np.kron(image, np.ones((2, 2, 1), np.uint8))  # a larger photo: preprocessing downscales
        pad = [(0, 0), (int(rng.integers(5, 30)), int(rng.integers(5, 30))), (0, 0)]
        if _pick(rng, source, [False, True], i):
            pad = [pad[1], (0, 0), (0, 0)]
        photos.append((np.pad(image, pad, mode="edge"), _pick(rng, source, [3, 1, 3, 2], i)))
    return photos


def shape_photo_kind(case: tuple) -> tuple[str, ...]:
    image, k = case
    h, w = image.shape[:2]
    return ("a larger photo" if max(h, w) > 128 else "a photo of the model's size", _orientation(h, w), f"k = {k}")
