"""Hidden graders of assignment 01_image_tasks. One test function per check; cases are parametrized.

Cases come from a seeded generator (sizes, dtypes, non-square images, thresholds hit exactly,
vertices without x, tiny classes), never from the notebook's visible examples. Functions that need
an object the bridge cannot send (a model) are called through `grading_helpers.py`, which the
release ships beside the notebook (the kernel always gets the release's copy).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from convlab.checking.cases import cases, rng_for
from convlab.checking.cases import ids as case_ids
from convlab.checking.checks import CheckFailure, Mistake, expect_array, first_mistake, hint_text, mistakes_from
from convlab.checking.pictures import with_boxes
from convlab.runtime.student import StudentError
from graders.a01_image_tasks.mistakes import MISTAKES
from solutions import image_tasks as ref

SEED = 20260101
M = {name: mistakes_from(rows) for name, rows in MISTAKES.items()}


def _rng(source: str | np.random.Generator) -> np.random.Generator:
    """The fixed cases' generator for a name; a submission's generator (fresh cases) passes through."""
    return rng_for(SEED, source)


def _mistake(name: str, args: tuple, got: Any, same: Callable[[Any, Any], bool]) -> Mistake | None:
    """The known wrong variant of `name` that reproduces the student's output, if any."""
    return first_mistake(M.get(name, []), args, got, same)


def _named(mistake: Mistake | None) -> dict[str, str]:
    """CheckFailure's keyword for the mistake a failure names."""
    return {"mistake_id": mistake.id if mistake else ""}


def _expect_value_error(student, name: str, call: str, *args: Any) -> None:
    try:
        got = student.call(name, *args)
    except StudentError as exc:
        if exc.raised("ValueError"):
            return
        if exc.kind == "raised":
            raise CheckFailure(f"{call} should raise ValueError; {exc}") from None
        raise
    raise CheckFailure(f"{call} should raise ValueError, but it returned a {got.type_name}")


def _via_helper(student, helper: str, function: str, *args: Any) -> Any:
    """Call a function of grading_helpers.py; failures name the student's function, not the helper."""
    try:
        return student.call(helper, *args)
    except StudentError as exc:
        raise CheckFailure(str(exc).replace(f"`{helper}`", f"`{function}` (called through {helper})")) from None


def _shape(a: Any) -> str:
    return "x".join(map(str, np.shape(a)))


# -- task_of ---------------------------------------------------------------------------------------

_MASK = np.zeros((3, 5), np.uint8)
TASK_CASES = [
    ({"label": 3}, "classification"),
    ({"image": "b.jpg", "label": "dog", "source": "web"}, "classification"),
    ({"boxes": [], "labels": []}, "detection"),
    ({"image": "c.jpg", "boxes": np.zeros((0, 4))}, "detection"),
    ({"boxes": [[1, 2, 30, 40]], "labels": ["cat"], "label": "cat"}, "detection"),
    ({"mask": _MASK, "boxes": [[0, 0, 2, 2]], "label": "x"}, "segmentation"),
    ({"mask": [[0, 1], [1, 1]]}, "segmentation"),
    ({"mask": _MASK}, "segmentation"),
]
TASK_INVALID = [{}, {"caption": "a cat on a sofa"}, {"labels": ["cat", "dog"]}, {"image": "a.png", "bbox": [1, 2, 3, 4]}]


def _describe_record(record: dict) -> str:
    parts = []
    for key, value in record.items():
        if isinstance(value, np.ndarray):
            parts.append(f"{key!r}: array {_shape(value)}")
        elif isinstance(value, list) and not value:
            parts.append(f"{key!r}: []")
        else:
            parts.append(f"{key!r}: ...")
    return "{" + ", ".join(parts) + "}"


def _raising_mistake(name: str, *args: Any) -> Mistake | None:
    """The first known mistake that also raises ValueError on these arguments."""
    for mistake in M.get(name, []):
        try:
            mistake.fn(*args)
        except ValueError:
            return mistake
        except Exception:  # noqa: BLE001, S112 - other failures do not identify the mistake
            continue
    return None


@pytest.mark.parametrize("case", TASK_CASES, ids=case_ids(TASK_CASES))
def test_task_of_records(student, case):
    """task_of on records with extra keys, empty box lists, and several annotation keys at once."""
    record, expected = case
    call = f"task_of({_describe_record(record)})"
    try:
        got = student.call("task_of", record).value
    except StudentError as exc:
        if not exc.raised("ValueError"):
            raise
        mistake = _raising_mistake("task_of", record)
        raise CheckFailure(f"{call} raised ValueError, expected {expected!r}.{hint_text(mistake)}",
                           **_named(mistake)) from None
    if got != expected:
        mistake = _mistake("task_of", (record,), got, lambda g, w: g == w)
        raise CheckFailure(f"{call} returned {got!r}, expected {expected!r}."
                           f"{hint_text(mistake)}", **_named(mistake))


@pytest.mark.parametrize("case", TASK_INVALID, ids=case_ids(TASK_INVALID))
def test_task_of_invalid(student, case):
    """task_of raises ValueError for a dict without 'mask', 'boxes' or 'label'."""
    _expect_value_error(student, "task_of", f"task_of({_describe_record(case)})", case)


# -- box formats -----------------------------------------------------------------------------------


def _random_boxes(rng: np.random.Generator, shape: tuple[int, ...], kind: str, w: float, h: float) -> Any:
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


def _box_cases(name: str | np.random.Generator, count: int) -> list[tuple[Any, int, int]]:
    rng = _rng(name)
    shapes = [(4,), (1, 4), (5, 4), (2, 3, 4), (7, 4), (4, 1, 4)]
    kinds = ["int64", "float64", "list", "float32", "int32", "float64"]
    cases = []
    for i in range(count):
        width, height = int(rng.integers(50, 900)), int(rng.integers(50, 900))
        boxes = _random_boxes(rng, shapes[i % len(shapes)][:-1], kinds[i % len(kinds)], width, height)
        cases.append((boxes, width, height))
    return cases


def _to_input(name: str, boxes: Any, width: int, height: int) -> Any:
    """Inputs of the inverse conversions are the outputs of the forward ones."""
    if name == "xywh_to_xyxy":
        out = ref.xyxy_to_xywh(boxes)
        return out.round().astype(np.int64) if np.asarray(boxes).dtype.kind in "iu" else out
    if name == "cxcywh_to_xyxy":
        return ref.xyxy_to_cxcywh(boxes, width, height)
    return boxes


NORMALISED = ("xyxy_to_cxcywh", "cxcywh_to_xyxy")


def _pixel_xyxy(name: str, boxes: Any, width: int, height: int) -> np.ndarray:
    """A conversion's output as (N, 4) corner boxes in pixels, for drawing (ValueError if not boxes)."""
    b = np.asarray(boxes, dtype=float).reshape(-1, 4)
    if name == "xyxy_to_xywh":
        return np.concatenate([b[:, :2], b[:, :2] + b[:, 2:]], axis=1)
    if name == "xyxy_to_cxcywh":
        centre, size = b[:, :2] * (width, height), b[:, 2:] * (width, height)
        return np.concatenate([centre - size / 2, centre + size / 2], axis=1)
    return b


def _check_box_values(student, name: str, case: tuple[Any, int, int]) -> None:
    boxes, width, height = case
    boxes = _to_input(name, boxes, width, height)
    extra = (width, height) if name in NORMALISED else ()
    kind = "list" if isinstance(boxes, list) else f"{np.asarray(boxes).dtype} array"
    size = f", width={width}, height={height}" if extra else ""
    call = f"{name}({kind} of shape {_shape(boxes)}{size})"
    got = student.call(name, boxes, *extra)
    expected = getattr(ref, name)(boxes, *extra)
    try:
        expect_array(got, expected, call=call, rtol=1e-6, atol=1e-6,
                     mistakes=M[name], args=(boxes, *extra), require_ndarray=True, require_float=True)
    except CheckFailure as exc:
        canvas = np.full((height, width), 0.85)
        raise with_boxes(exc, canvas, _pixel_xyxy(name, expected, width, height),
                         _pixel_xyxy(name, got.value, width, height), title=call) from None
    if got.value.dtype != np.float64:
        raise CheckFailure(f"{call} returned {got.value.dtype}; return float64 (np.asarray(boxes, dtype=float))")


def _check_box_unchanged(student, name: str) -> None:
    rng = _rng(name + "_unchanged")
    width, height = 640, 360
    boxes = _to_input(name, _random_boxes(rng, (6,), "float64", width, height), width, height)
    extra = (width, height) if name in NORMALISED else ()
    call = f"{name}(float64 array of shape {_shape(boxes)})"
    got = _via_helper(student, "grading_helpers.keeps_input", name, name, boxes, *extra)
    result = got.value.get("result") if isinstance(got.value, dict) else None
    if not isinstance(result, np.ndarray) or not np.allclose(result, getattr(ref, name)(boxes, *extra), atol=1e-6):
        raise CheckFailure(f"{call} gives a wrong result (see the values check)")
    if not got.value.get("unchanged"):
        raise CheckFailure(f"{call} modified its input array: work on a copy (np.array(boxes, dtype=float))")


def _values_test(name: str) -> Callable:
    fixed = _box_cases(name, 12)

    @cases(fixed, fresh=lambda rng: _box_cases(rng, 3))
    def check(student, case):
        _check_box_values(student, name, case)

    what = "normalised by non-square image sizes, " if name in NORMALISED else ""
    check.__doc__ = (f"{name} on one box, lists of boxes and (batch, N, 4) arrays of ints and floats, "
                     f"{what}as float64.")
    return check


def _unchanged_test(name: str) -> Callable:
    @pytest.mark.weight(0.5)
    def check(student):
        _check_box_unchanged(student, name)

    check.__doc__ = f"{name} returns a new array and leaves its input unchanged."
    return check


test_xyxy_to_xywh_values = _values_test("xyxy_to_xywh")
test_xywh_to_xyxy_values = _values_test("xywh_to_xyxy")
test_xyxy_to_cxcywh_values = _values_test("xyxy_to_cxcywh")
test_cxcywh_to_xyxy_values = _values_test("cxcywh_to_xyxy")
test_xyxy_to_xywh_input_unchanged = _unchanged_test("xyxy_to_xywh")
test_xywh_to_xyxy_input_unchanged = _unchanged_test("xywh_to_xyxy")
test_xyxy_to_cxcywh_input_unchanged = _unchanged_test("xyxy_to_cxcywh")
test_cxcywh_to_xyxy_input_unchanged = _unchanged_test("cxcywh_to_xyxy")


# -- IoU -------------------------------------------------------------------------------------------


def _iou_random(name: str | np.random.Generator, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Boxes in a small area so that most pairs overlap: ints and floats, N and M from 1 to 6."""
    rng = _rng(name)
    cases = []
    for i in range(count):
        n, m = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        a = _random_boxes(rng, (n,), "int64" if i % 2 else "float64", 60, 40)
        b = _random_boxes(rng, (m,), "float64" if i % 3 else "int32", 60, 40)
        cases.append((np.asarray(a), np.asarray(b)))
    return cases


IOU_RANDOM = _iou_random("box_iou_values", 10)
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


def _check_iou(student, case: tuple[np.ndarray, np.ndarray]) -> None:
    a, b = case
    call = f"box_iou({a.dtype} boxes ({len(a)}, 4), {b.dtype} boxes ({len(b)}, 4))"
    expect_array(student.call("box_iou", a, b), ref.box_iou(a, b), call=call, rtol=1e-6, atol=1e-9,
                 mistakes=M["box_iou"], args=(a, b))


@cases(IOU_RANDOM, fresh=lambda rng: _iou_random(rng, 3))
def test_box_iou_values(student, case):
    """box_iou on random overlapping int and float boxes: shape (N, M) and values."""
    _check_iou(student, case)


@pytest.mark.parametrize("case", IOU_DISJOINT, ids=case_ids(IOU_DISJOINT))
def test_box_iou_disjoint(student, case):
    """box_iou is 0 for boxes apart along x only, along y only, along both, or touching at an edge."""
    _check_iou(student, case)


@pytest.mark.parametrize("case", IOU_DEGENERATE, ids=case_ids(IOU_DEGENERATE))
def test_box_iou_degenerate(student, case):
    """box_iou is 0 (never NaN) for zero-area boxes, even identical ones, and inverted boxes have area 0."""
    _check_iou(student, case)


# -- masks -----------------------------------------------------------------------------------------


def _mask_cases(name: str | np.random.Generator, count: int) -> list[np.ndarray]:
    rng = _rng(name)
    cases = []
    for i in range(count):
        h, w = int(rng.integers(4, 25)), int(rng.integers(4, 25))
        while h == w:
            w = int(rng.integers(4, 25))
        mask = np.zeros((h, w), dtype=[np.uint8, bool, np.int64, np.int32][i % 4])
        for _ in range(int(rng.integers(1, 4))):
            y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
            mask[y : y + int(rng.integers(1, 5)), x : x + int(rng.integers(1, 5))] = 1 if i % 4 == 1 else rng.integers(1, 4)
        cases.append(mask)
    return cases


MASKS = _mask_cases("mask_to_box_values", 10)


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


def _box_same(got: Any, wrong: Any) -> bool:
    if wrong is None or got is None:
        return got is None and wrong is None
    return np.asarray(got, float).shape == (4,) and np.allclose(np.asarray(got, float), wrong)


def _check_mask_box(student, mask: np.ndarray) -> None:
    call = f"mask_to_box({mask.dtype} mask of shape {_shape(mask)} with {int((mask != 0).sum())} foreground pixels)"
    got = student.call("mask_to_box", mask)
    expected = ref.mask_to_box(mask)
    if expected is None:
        if got.value is not None:
            raise CheckFailure(f"{call} returned a {got.type_name}; return None for a mask without foreground")
        return
    if got.value is None:
        raise CheckFailure(f"{call} returned None, but the mask has foreground pixels")
    try:
        values = np.asarray(got.value, dtype=float)
    except (TypeError, ValueError):
        values = np.zeros(0)
    if values.shape != (4,):
        raise CheckFailure(f"{call} returned a {got.type_name} of shape {_shape(values)}; return [x1, y1, x2, y2]")
    if not np.array_equal(values, expected):
        mistake = _mistake("mask_to_box", (mask,), values, _box_same)
        failure = CheckFailure(f"{call} returned {values.astype(int).tolist()}, which is not the tight box with "
                               f"exclusive ends (mask[y1:y2, x1:x2] must hold every foreground pixel)."
                               f"{hint_text(mistake)}", **_named(mistake))
        # Pixel i spans [i - 0.5, i + 0.5] in the picture: an exclusive end x2 is drawn at x2 - 0.5.
        raise with_boxes(failure, (mask != 0).astype(float), np.asarray(expected, float) - 0.5, values - 0.5,
                         title=call)


@cases(MASKS, fresh=lambda rng: _mask_cases(rng, 3), argname="mask")
def test_mask_to_box_values(student, mask):
    """mask_to_box on non-square uint8, bool and multi-class masks with one or several blobs."""
    _check_mask_box(student, mask)


@pytest.mark.parametrize("mask", MASK_EDGES, ids=case_ids(MASK_EDGES))
def test_mask_to_box_edges(student, mask):
    """mask_to_box on an empty mask (None), single pixels in the corners, a full mask and a border column."""
    _check_mask_box(student, mask)


def _fraction_cases(name: str | np.random.Generator, count: int) -> list[tuple[np.ndarray, int]]:
    rng = _rng(name)
    cases = []
    for i in range(count):
        n_classes = int(rng.integers(3, 7))
        h, w = int(rng.integers(3, 20)), int(rng.integers(3, 20))
        present = rng.choice(n_classes, size=n_classes - 1, replace=False)  # one class always missing
        mask = rng.choice(present, size=(h, w)).astype([np.uint8, np.int64, np.int32][i % 3])
        cases.append((mask, n_classes))
    return cases


FRACTIONS = _fraction_cases("class_pixel_fractions_values", 8)
FRACTIONS_INVALID = [
    (np.array([[0, 1], [2, 3]], np.uint8), 3),
    (np.array([[0, -1, 1]], np.int64), 2),
    (np.full((2, 5), 9, np.int32), 4),
]


@cases(FRACTIONS, fresh=lambda rng: _fraction_cases(rng, 2))
def test_class_pixel_fractions_values(student, case):
    """class_pixel_fractions on non-square masks where one class never occurs (its fraction is 0)."""
    mask, n_classes = case
    call = f"class_pixel_fractions({mask.dtype} mask of shape {_shape(mask)}, n_classes={n_classes})"
    expect_array(student.call("class_pixel_fractions", mask, n_classes), ref.class_pixel_fractions(mask, n_classes),
                 call=call, mistakes=M["class_pixel_fractions"], args=(mask, n_classes))


@pytest.mark.parametrize("case", FRACTIONS_INVALID, ids=case_ids(FRACTIONS_INVALID))
def test_class_pixel_fractions_invalid(student, case):
    """class_pixel_fractions raises ValueError for class ids equal to n_classes, negative or larger."""
    mask, n_classes = case
    _expect_value_error(student, "class_pixel_fractions",
                        f"class_pixel_fractions(mask with values {sorted(set(mask.ravel().tolist()))}, "
                        f"n_classes={n_classes})", mask, n_classes)


# -- stratified split ------------------------------------------------------------------------------


def _split_cases(name: str | np.random.Generator) -> list[tuple[Any, tuple[float, float, float], int]]:
    """Class sizes that break naive rounding (6, 1, 2, 13), many classes, string labels, other seeds."""
    rng = _rng(name)
    cases = []
    layouts = [
        ([6] * 15, (0.7, 0.15, 0.15)),
        ([1, 2, 13, 40], (0.7, 0.15, 0.15)),
        ([6, 6, 7, 9, 1], (0.6, 0.2, 0.2)),
        ([25, 3, 11, 2, 2, 30], (0.8, 0.1, 0.1)),
        ([5] * 12, (0.5, 0.25, 0.25)),
        ([2] * 9 + [1] * 4, (0.7, 0.15, 0.15)),
    ]
    for i, (sizes, fractions) in enumerate(layouts):
        labels = np.repeat(np.arange(len(sizes)), sizes)
        labels = labels[rng.permutation(len(labels))]
        if i == 1:
            labels = [["cat", "dog", "fox", "owl"][k] for k in labels]
        elif i == 3:
            labels = (labels * 7 + 3).astype(np.int32)
        cases.append((labels, fractions, int(rng.integers(1, 1000))))
    return cases


SPLITS = _split_cases("stratified_split")


def _split_call(student, labels: Any, fractions: tuple, seed: int) -> tuple[list[np.ndarray], str]:
    n = len(labels)
    call = f"stratified_split({n} labels in {len(set(np.asarray(labels).tolist()))} classes, fractions={fractions}, seed={seed})"
    got = student.call("stratified_split", labels, fractions, seed)
    value = got.value
    if not isinstance(value, list) or len(value) != 3:
        raise CheckFailure(f"{call} returned a {got.type_name}; return three index arrays (train, validation, test)")
    parts = []
    for name, part in zip(("train", "validation", "test"), value, strict=True):
        arr = np.asarray(part)
        if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
            raise CheckFailure(f"{call}: the {name} set is not a 1D integer index array")
        parts.append(arr.astype(np.int64))
    return parts, call


@cases(SPLITS, fresh=lambda rng: _split_cases(rng)[:2])
def test_stratified_split_partition(student, case):
    """stratified_split returns three sorted index arrays that are disjoint and cover every sample once."""
    labels, fractions, seed = case
    parts, call = _split_call(student, labels, fractions, seed)
    everything = np.concatenate(parts)
    if len(np.unique(everything)) != len(everything):
        raise CheckFailure(f"{call}: a sample appears in more than one split (or twice in one): the splits leak")
    if sorted(everything.tolist()) != list(range(len(labels))):
        raise CheckFailure(f"{call}: the splits do not cover every index 0..N-1 exactly once")
    for name, part in zip(("train", "validation", "test"), parts, strict=True):
        if np.any(np.diff(part) <= 0):
            raise CheckFailure(f"{call}: the {name} indices are not sorted")


@cases(SPLITS, fresh=lambda rng: _split_cases(rng)[:2])
def test_stratified_split_counts(student, case):
    """Each class puts floor or ceil of n_class * fraction samples in each split; each split is within one of N * fraction."""
    labels, fractions, seed = case
    parts, call = _split_call(student, labels, fractions, seed)
    labels_arr = np.asarray(labels)
    for name, part, f in zip(("train", "validation", "test"), parts, fractions, strict=True):
        if np.any(part < 0) or np.any(part >= len(labels_arr)):
            raise CheckFailure(f"{call}: the {name} set holds indices outside 0..N-1")
        for cls in np.unique(labels_arr):
            n_c = int((labels_arr == cls).sum())
            count = int((labels_arr[part] == cls).sum())
            lo, hi = np.floor(n_c * f + 1e-9), np.ceil(n_c * f - 1e-9)
            if not lo <= count <= hi:
                raise CheckFailure(
                    f"{call}: a class of {n_c} samples has {count} in the {name} set, but {n_c} x {f} = "
                    f"{n_c * f:g}: class proportions not preserved (each count must be the floor or the ceiling; "
                    "rounding every class down and putting the rest in the last split breaks this)")
    for name, part, f in zip(("train", "validation", "test"), parts, fractions, strict=True):
        if abs(len(part) - len(labels_arr) * f) > 1 + 1e-9:
            raise CheckFailure(
                f"{call}: the {name} set has {len(part)} samples, more than one away from N x {f} = "
                f"{len(labels_arr) * f:g}: split sizes drift when every class rounds the same way; give each "
                "class's leftover samples to the splits that lag their target most")


@cases(SPLITS[:4], fresh=lambda rng: _split_cases(rng)[:1])
def test_stratified_split_seed(student, case):
    """stratified_split gives the same split for the same seed and a different one for other seeds."""
    labels, fractions, seed = case
    first, call = _split_call(student, labels, fractions, seed)
    again, _ = _split_call(student, labels, fractions, seed)
    if any(not np.array_equal(a, b) for a, b in zip(first, again, strict=True)):
        raise CheckFailure(f"{call} gave two different splits for the same seed: use np.random.default_rng(seed)")
    others = [_split_call(student, labels, fractions, s)[0] for s in (seed + 1, seed + 2, seed + 3)]
    if all(all(np.array_equal(a, b) for a, b in zip(first, other, strict=True)) for other in others):
        raise CheckFailure(f"{call} gives the same split for seeds {seed}..{seed + 3}: the seed is ignored "
                           "(shuffle with np.random.default_rng(seed))")


# -- annotation cost -------------------------------------------------------------------------------


def _hours_cases(source: str | np.random.Generator = "annotation_hours", repeat: int = 3) -> list[tuple]:
    rng = _rng(source)
    cases = []
    for i, task in enumerate(["classification", "detection", "segmentation"] * repeat):
        cases.append((int(rng.integers(100, 50_000)), float(rng.integers(1, 12)), float(rng.integers(1, 6)),
                      float(rng.integers(4, 12)), float(rng.integers(20, 90)), task,
                      int(rng.integers(2, 7)), int([2, 3, 1][i % 3])))
    return cases


HOURS = _hours_cases()


@cases(HOURS, fresh=lambda rng: _hours_cases(rng, 1))
def test_annotation_hours_values(student, case):
    """annotation_hours for the three tasks with several annotators and overlaps of 1 to 3."""
    n, obj, s_label, s_box, s_mask, task, annotators, overlap = case
    call = (f"annotation_hours({n}, {obj:g}, {s_label:g}, {s_box:g}, {s_mask:g}, {task!r}, "
            f"n_annotators={annotators}, overlap={overlap})")
    got = student.call("annotation_hours", n, obj, s_label, s_box, s_mask, task, annotators, overlap)
    expected = ref.annotation_hours(*case)
    value = got.value
    if isinstance(value, np.ndarray) and value.shape == ():
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CheckFailure(f"{call} returned a {got.type_name}; return a number of hours")
    if not np.isclose(value, expected, rtol=1e-9, atol=1e-12):
        mistake = _mistake("annotation_hours", case, value, lambda g, w: bool(np.isclose(g, w, rtol=1e-9)))
        raise CheckFailure(f"{call} returned {value:.6g} hours, expected {expected:.6g}."
                           f"{hint_text(mistake)}", **_named(mistake))


# -- cloud responses -------------------------------------------------------------------------------

WORDS = ["Tree", "Sky", "Cloud", "Building", "Car", "Road", "Dog", "Person", "Bicycle", "Street light",
         "Window", "Grass", "Leaf", "Wheel", "Plant", "Cat"]


def _label_response(rng: np.random.Generator, n: int, scores: list[float] | None = None) -> dict:
    names = rng.choice(WORDS, size=n, replace=False)
    scores = scores or [float(s) for s in rng.integers(1000, 10000, n) / 10000]
    annotations = []
    for name, score in zip(names, scores, strict=True):
        topicality = score if rng.random() < 0.4 else float(rng.integers(1000, 10000) / 10000)
        annotations.append({"mid": f"/m/{rng.integers(10**4, 10**5)}", "description": str(name), "score": score,
                            "topicality": topicality})
    return {"responses": [{"labelAnnotations": annotations}]}


def _label_cases(source: str | np.random.Generator = "parse_cloud_labels", count: int = 6
                 ) -> list[tuple[dict, float | None]]:
    rng = _rng(source)
    cases = []
    for i in range(count):
        n = int(rng.integers(3, 9))
        scores = [float(s) for s in rng.choice([0.55, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.42, 0.33], size=n)]
        cases.append((_label_response(rng, n, scores), [None, 0.3, 0.65, 0.8][i % 4]))  # ties in scores
    return cases


LABELS = _label_cases()
LABELS_THRESHOLD = [
    (_label_response(np.random.default_rng(1), 5, [0.9, 0.75, 0.5, 0.75, 0.25]), 0.75),
    (_label_response(np.random.default_rng(2), 4, [0.5, 0.625, 0.375, 0.5]), None),
    (_label_response(np.random.default_rng(3), 3, [0.0, 1.0, 0.125]), 0.0),
    (_label_response(np.random.default_rng(4), 3, [0.875, 1.0, 0.125]), 1.0),
]
MISSING = [{}, {"responses": []}, {"responses": [{}]},
           {"responses": [{"error": {"code": 7, "message": "The caller does not have permission"}}]},
           {"responses": [{"localizedObjectAnnotations": [], "labelAnnotations": []}]}]


def _pairs_same(got: Any, wrong: Any) -> bool:
    if not isinstance(got, list) or len(got) != len(wrong):
        return False
    for g, w in zip(got, wrong, strict=True):
        if not isinstance(g, list) or len(g) != len(w) or g[0] != w[0] or not np.isclose(float(g[1]), w[1]):
            return False
        if len(w) == 3 and not np.allclose(np.asarray(g[2], float), w[2], atol=1e-6):
            return False
    return True


def _check_parsed(name: str, call: str, got, expected: list, args: tuple) -> None:
    value = got.value
    if not isinstance(value, list):
        raise CheckFailure(f"{call} returned a {got.type_name}; return a list of tuples")
    try:
        ok = _pairs_same(value, expected)
    except (TypeError, ValueError, IndexError):
        ok = False
    if ok:
        return
    mistake = _mistake(name, args, value, _pairs_same)
    names = [str(v[0]) if isinstance(v, list) and v else "?" for v in value]
    raise CheckFailure(f"{call} returned {len(value)} entries {names[:8]}; expected {len(expected)} "
                       f"entries (score >= min_score, highest first, ties in response order)."
                           f"{hint_text(mistake)}", **_named(mistake))


def _labels_call(student, response: dict, min_score: float | None) -> None:
    n = len(response.get("responses", [{}])[0].get("labelAnnotations", [])) if response.get("responses") else 0
    kwargs = {} if min_score is None else {"min_score": min_score}
    call = f"parse_cloud_labels(response with {n} labels{'' if min_score is None else f', min_score={min_score}'})"
    got = student.call("parse_cloud_labels", response, **kwargs)
    args = (response,) if min_score is None else (response, min_score)
    _check_parsed("parse_cloud_labels", call, got, ref.parse_cloud_labels(*args), args)


@cases(LABELS, fresh=lambda rng: _label_cases(rng, 2))
def test_parse_cloud_labels_values(student, case):
    """parse_cloud_labels on responses with topicality different from score, tied scores and several thresholds."""
    _labels_call(student, *case)


@pytest.mark.parametrize("case", LABELS_THRESHOLD, ids=case_ids(LABELS_THRESHOLD))
def test_parse_cloud_labels_threshold(student, case):
    """parse_cloud_labels keeps a score exactly equal to min_score (the default 0.5 included)."""
    _labels_call(student, *case)


@pytest.mark.parametrize("case", MISSING, ids=case_ids(MISSING))
def test_parse_cloud_labels_missing(student, case):
    """parse_cloud_labels returns [] for an empty, missing or error response."""
    _labels_call(student, case, None)


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


def _object_cases(source: str | np.random.Generator = "parse_cloud_objects", count: int = 5
                  ) -> list[tuple[dict, int, int, float | None]]:
    rng = _rng(source)
    cases = []
    for i, (w, h) in enumerate([(640, 480), (333, 517), (1024, 256), (200, 600), (800, 800)][:count]):
        n = int(rng.integers(2, 6))
        scores = [float(s) for s in rng.choice([0.45, 0.5, 0.6, 0.75, 0.9], size=n)]
        cases.append((_object_response(rng, n, scores), w, h, [None, 0.6, 0.75, 0.4, 0.5][i]))
    return cases


OBJECTS = _object_cases()


def _objects_call(student, response: dict, width: int, height: int, min_score: float | None) -> None:
    first = response.get("responses") or [{}]
    n = len(first[0].get("localizedObjectAnnotations", []))
    kwargs = {} if min_score is None else {"min_score": min_score}
    call = (f"parse_cloud_objects(response with {n} objects, width={width}, height={height}"
            f"{'' if min_score is None else f', min_score={min_score}'})")
    got = student.call("parse_cloud_objects", response, width, height, **kwargs)
    args = (response, width, height) if min_score is None else (response, width, height, min_score)
    _check_parsed("parse_cloud_objects", call, got, ref.parse_cloud_objects(*args), args)


@cases(OBJECTS, fresh=lambda rng: _object_cases(rng, 2))
def test_parse_cloud_objects_values(student, case):
    """parse_cloud_objects on non-square images, vertices without x or y, scores at the threshold, other thresholds."""
    _objects_call(student, *case)


@pytest.mark.parametrize("case", MISSING, ids=case_ids(MISSING))
def test_parse_cloud_objects_missing(student, case):
    """parse_cloud_objects returns [] for an empty, missing or error response."""
    _objects_call(student, case, 320, 240, None)


# -- preprocessing and the model -------------------------------------------------------------------

MEAN_TOLERANCE = 0.07  # bilinear resizes of different libraries differ by about 0.005-0.05 on average


def _photo(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A crop of a scikit-image sample photo (shipped with the package, no download)."""
    from skimage import data

    source = [data.chelsea, data.coffee, data.rocket, data.astronaut][int(rng.integers(0, 4))]()
    if source.shape[0] < h or source.shape[1] < w:
        h, w = min(h, source.shape[0]), min(w, source.shape[1])
    y, x = int(rng.integers(0, source.shape[0] - h + 1)), int(rng.integers(0, source.shape[1] - w + 1))
    return np.ascontiguousarray(source[y : y + h, x : x + w])


def _preprocess_cases(source: str | np.random.Generator = "preprocess_for_model", count: int = 6
                      ) -> list[tuple[np.ndarray, int | None]]:
    rng = _rng(source)
    shapes = [(240, 360, 64), (300, 180, 48), (37, 20, 48), (123, 321, None), (90, 91, 32), (400, 250, 100)]
    return [(_photo(rng, h, w), size) for h, w, size in shapes[:count]]


PREPROCESS = _preprocess_cases()


def _crop_cases(source: str | np.random.Generator = "preprocess_for_model_crop", count: int = 4
                ) -> list[tuple[np.ndarray, int]]:
    """No resizing needed (the short side equals size): the crop offset is checked exactly."""
    rng = _rng(source)
    sizes = [(9, 14), (17, 8), (12, 15), (31, 24)][:count]
    return [(rng.integers(0, 256, (h, w, 3)).astype(np.uint8), min(h, w)) for h, w in sizes]


CROPS = _crop_cases()


def _expect_preprocessed(got, expected: np.ndarray, call: str, args: tuple, tolerance: float) -> None:
    value = got.value
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "fiu":
        raise CheckFailure(f"{call} returned a {got.type_name}; return a float32 numpy array")
    if value.shape != expected.shape:
        hint = " Add the batch axis: x[None] or x[np.newaxis]." if value.shape == expected.shape[1:] else ""
        raise CheckFailure(f"{call}: shape {value.shape}, expected {expected.shape}.{hint}",
                           mistake_id="preprocess_no_batch_axis" if hint else "")
    error = float(np.abs(value.astype(float) - expected).mean())
    if error <= tolerance:
        return
    mistake = _mistake("preprocess_for_model", args, value,
                 lambda g, w: np.shape(w) == g.shape and float(np.abs(g - w).mean()) <= tolerance)
    raise CheckFailure(f"{call}: mean absolute difference {error:.3g} from the expected input "
                       f"(tolerance {tolerance:g}); values range {value.min():.3g}..{value.max():.3g}."
                           f"{hint_text(mistake)}", **_named(mistake))


@cases(PREPROCESS, fresh=lambda rng: _preprocess_cases(rng, 2))
def test_preprocess_for_model_values(student, case):
    """preprocess_for_model on photos of many non-square sizes, down- and upscaled, compared on average."""
    image, size = case
    call = f"preprocess_for_model(uint8 image {_shape(image)}{'' if size is None else f', size={size}'})"
    args = (image,) if size is None else (image, size)
    got = student.call("preprocess_for_model", *args)
    _expect_preprocessed(got, ref.preprocess_for_model(*args), call, args, MEAN_TOLERANCE)


@cases(CROPS, fresh=lambda rng: _crop_cases(rng, 2))
def test_preprocess_for_model_crop(student, case):
    """preprocess_for_model crops the centre square with the offset rounded down (checked exactly, no resizing)."""
    image, size = case
    call = f"preprocess_for_model(uint8 noise image {_shape(image)}, size={size})"
    got = student.call("preprocess_for_model", image, size)
    _expect_preprocessed(got, ref.preprocess_for_model(image, size), call, (image, size), 1e-4)


def test_preprocess_for_model_format(student):
    """preprocess_for_model returns float32 (1, size, size, 3) in [-1, 1]; black maps to -1 and white to 1."""
    image = np.zeros((30, 50, 3), np.uint8)
    image[:, 25:] = 255
    call = "preprocess_for_model(uint8 image 30x50x3, half black half white, size=16)"
    got = student.call("preprocess_for_model", image, 16)
    value = got.value
    if not isinstance(value, np.ndarray) or value.shape != (1, 16, 16, 3):
        raise CheckFailure(f"{call} returned {got.type_name} of shape {_shape(value)}; expected (1, 16, 16, 3)")
    if value.dtype != np.float32:
        raise CheckFailure(f"{call} returned dtype {value.dtype}; return float32 (.astype(np.float32))")
    if value.min() < -1 - 1e-6 or value.max() > 1 + 1e-6 or value.min() > -0.99 or value.max() < 0.99:
        scaled01 = value.min() >= -1e-6
        hint = " Likely mistake: x / 255 gives [0, 1], the model expects x / 127.5 - 1." if scaled01 else ""
        raise CheckFailure(f"{call}: values range {value.min():.3g}..{value.max():.3g}, expected -1 (black) to "
                           f"1 (white).{hint}", mistake_id="preprocess_scaled_to_0_1" if scaled01 else "")


class _FixedModel:
    """The grader's twin of grading_helpers.FixedOutputModel."""

    def __init__(self, probabilities: np.ndarray, size: int) -> None:
        self.input_shape = (None, size, size, 3)
        self.probabilities = np.asarray(probabilities, dtype=np.float32).reshape(1, -1)

    def predict(self, x: np.ndarray, verbose: int = 0) -> np.ndarray:
        return self.probabilities.copy()


def _top_k_cases(source: str | np.random.Generator = "predict_top_k", count: int = 8
                 ) -> list[tuple[np.ndarray, list[str], int, int]]:
    rng = _rng(source)
    cases = []
    for i in range(count):
        n = int(rng.integers(2, 8))
        p = rng.dirichlet(np.ones(n)).round(3)
        if i % 2 == 0:  # ties
            j = rng.choice(n, size=2, replace=False)
            p[j] = p[j].max()
        p = (p / p.sum()).astype(np.float32)
        labels = [f"class_{c}" for c in rng.permutation(20)[:n]]
        k = [1, 2, 3, n, n + 2][i % 5]
        cases.append((p, labels, int(k), int(rng.choice([16, 24, 40]))))
    return cases


TOP_K = _top_k_cases()
# A photo, not noise: on noise, the bilinear resizes of different libraries disagree too much.
TOP_K_IMAGE = _photo(_rng("predict_top_k_image"), 30, 45)


def _fixed_top_k(student, case: tuple) -> tuple[Any, str, list, tuple]:
    p, labels, k, size = case
    call = f"predict_top_k(model with {len(p)} classes and input size {size}, image 30x45x3, labels, k={k})"
    got = _via_helper(student, "grading_helpers.top_k_fixed", "predict_top_k", p, TOP_K_IMAGE, labels, k, size)
    if not isinstance(got.value, dict):
        raise CheckFailure(f"{call} could not be run through grading_helpers.py")
    expected = ref.predict_top_k(_FixedModel(p, size), TOP_K_IMAGE, labels, k)
    return got.value, call, expected, (p.astype(np.float64), labels, k)


@cases(TOP_K, fresh=lambda rng: _top_k_cases(rng, 2))
def test_predict_top_k_order(student, case):
    """predict_top_k with known probabilities: highest first, ties to the lower class index, k larger than the classes."""
    value, call, expected, args = _fixed_top_k(student, case)
    top = value.get("top")
    if not isinstance(top, list):
        raise CheckFailure(f"{call} did not return a list of (label, probability) tuples")
    if not _pairs_same(top, expected):
        mistake = _mistake("predict_top_k", args, top, _pairs_same)
        got_labels = [str(t[0]) if isinstance(t, list) and t else "?" for t in top]
        raise CheckFailure(f"{call} returned the labels {got_labels}, expected the {len(expected)} most probable "
                           f"in descending order of probability."
                           f"{hint_text(mistake)}", **_named(mistake))


@cases(TOP_K[:3], fresh=lambda rng: _top_k_cases(rng, 1))
def test_predict_top_k_input(student, case):
    """predict_top_k gives the model one image preprocessed at the model's own input size (not always 224)."""
    value, call, _, _ = _fixed_top_k(student, case)
    inputs = value.get("inputs") or []
    if len(inputs) != 1:
        raise CheckFailure(f"{call} called model.predict {len(inputs)} times; call it once with the preprocessed batch")
    size = case[3]
    x = np.asarray(inputs[0], dtype=float)
    expected = ref.preprocess_for_model(TOP_K_IMAGE, size)
    if x.shape != expected.shape:
        raise CheckFailure(f"{call} gave the model an input of shape {x.shape}, expected {expected.shape} "
                           "(preprocess at model.input_shape[1])")
    error = float(np.abs(x - expected).mean())
    if error > MEAN_TOLERANCE:
        raise CheckFailure(f"{call}: the model's input differs from preprocess_for_model(image, {size}) by "
                           f"{error:.3g} on average")


def _shapes_photos() -> list[tuple[np.ndarray, int]]:
    from graders.a01_image_tasks.build_model import training_images

    images, _ = training_images(4, SEED)
    rng = _rng("predict_top_k_shapes_model")
    photos = []
    for i, image in enumerate(images):
        if i == 1:
            image = np.kron(image, np.ones((2, 2, 1), np.uint8))  # a larger photo: preprocessing downscales
        pad = [(0, 0), (int(rng.integers(5, 30)), int(rng.integers(5, 30))), (0, 0)]
        if i % 2:
            pad = [pad[1], (0, 0), (0, 0)]
        photos.append((np.pad(image, pad, mode="edge"), [3, 1, 3, 2][i]))
    return photos


SHAPE_PHOTOS = _shapes_photos()


@pytest.mark.parametrize("case", SHAPE_PHOTOS, ids=case_ids(SHAPE_PHOTOS))
def test_predict_top_k_shapes_model(student, case):
    """predict_top_k with the shipped shapes classifier on raw, non-square photos of shapes."""
    image, k = case
    call = f"predict_top_k(shapes_model, uint8 photo {_shape(image)}, CLASSES, k={k})"
    top = _via_helper(student, "grading_helpers.top_k_shapes", "predict_top_k", image, k).value
    # The model runs in the student's kernel on the reference input: no Keras in the grading process.
    probabilities = np.asarray(student.call("shapes_model.predict", ref.preprocess_for_model(image, 64),
                                            verbose=0).value, dtype=float)[0]
    labels = ["circle", "square", "triangle"]
    if not isinstance(top, list) or len(top) != k:
        raise CheckFailure(f"{call} returned {len(top) if isinstance(top, list) else 'no list'} entries, expected {k}")
    try:
        pairs = [(str(t[0]), float(t[1])) for t in top]
    except (TypeError, ValueError, IndexError):
        raise CheckFailure(f"{call} did not return (label, probability) tuples") from None
    for (_label, p), (_, p_next) in zip(pairs, pairs[1:], strict=False):
        if p_next > p + 1e-6:
            order = mistakes_from(MISTAKES["predict_top_k"])[0]
            raise CheckFailure(f"{call}: probabilities are not in descending order.{hint_text(order)}",
                               **_named(order))
    order = np.argsort(-probabilities, kind="stable")
    for rank, (label, p) in enumerate(pairs):
        if label not in labels or abs(p - probabilities[labels.index(label)]) > 0.05:
            raise CheckFailure(f"{call}: {label!r} with probability {p:.3g} does not match the model's output")
        if probabilities[order[rank]] - probabilities[labels.index(label)] > 0.05:
            raise CheckFailure(f"{call}: {label!r} is not the class of rank {rank + 1}")
