"""The reference answers of 01_image_tasks against independent oracles: pixel counting for areas
and IoU, the shapes generator's own boxes, brute-force properties of the split, hand-computed
fixture values, PIL and TensorFlow resizes, and the shipped model on fresh shapes."""

from __future__ import annotations

import importlib.util
import json
import math
import shutil

import numpy as np
import pytest

from convlab.settings import REPO_ROOT
from graders.a01_image_tasks.build_model import INPUT_SIZE, training_images
from solutions import image_tasks as ref

RELEASE = REPO_ROOT / "release" / "01_image_tasks"


def _fixture(name: str) -> dict:
    return json.loads((RELEASE / name).read_text())


# -- tasks and boxes -------------------------------------------------------------------------------


def test_task_of_follows_the_most_detailed_key():
    assert ref.task_of({"label": 1}) == "classification"
    assert ref.task_of({"boxes": []}) == "detection"
    assert ref.task_of({"boxes": [], "label": 1}) == "detection"
    assert ref.task_of({"mask": np.zeros((2, 2)), "boxes": []}) == "segmentation"
    for bad in ({}, {"labels": [1]}, [("label", 1)]):
        with pytest.raises(ValueError):
            ref.task_of(bad)


@pytest.mark.parametrize("shape", [(4,), (7, 4), (2, 3, 4)])
def test_box_conversions_are_inverse_vectorised_float64_and_leave_input(shape):
    rng = np.random.default_rng(0)
    corners = rng.integers(0, 50, shape[:-1] + (2,))
    boxes = np.concatenate([corners, corners + rng.integers(1, 30, corners.shape)], axis=-1)
    before = boxes.copy()
    for forward, backward, extra in [(ref.xyxy_to_xywh, ref.xywh_to_xyxy, ()),
                                     (ref.xyxy_to_cxcywh, ref.cxcywh_to_xyxy, (97, 61))]:
        converted = forward(boxes, *extra)
        assert converted.shape == boxes.shape and converted.dtype == np.float64
        np.testing.assert_allclose(backward(converted, *extra), boxes, atol=1e-9)
    np.testing.assert_array_equal(boxes, before)


def test_box_formats_against_one_box_by_hand():
    box = [10, 20, 50, 30]  # 40 wide, 10 high, centre (30, 25), in a 200 x 100 image
    np.testing.assert_allclose(ref.xyxy_to_xywh(box), [10, 20, 40, 10])
    np.testing.assert_allclose(ref.xyxy_to_cxcywh(box, 200, 100), [0.15, 0.25, 0.2, 0.1])
    assert ref.xyxy_to_cxcywh(box, 200, 100).max() <= 1


def _raster_iou(a: np.ndarray, b: np.ndarray) -> float:
    """IoU by counting unit cells of a grid: exact for integer corners (continuous coordinates)."""
    grid = np.zeros((2, 40, 40), bool)
    for k, (x1, y1, x2, y2) in enumerate((a, b)):
        if x2 > x1 and y2 > y1:
            grid[k, y1:y2, x1:x2] = True
    union = (grid[0] | grid[1]).sum()
    return (grid[0] & grid[1]).sum() / union if union else 0.0


def test_box_iou_equals_pixel_counting_on_integer_boxes():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 30, (25, 4))
    b = rng.integers(0, 30, (20, 4))  # many inverted, empty, disjoint and touching boxes
    iou = ref.box_iou(a, b)
    assert iou.shape == (25, 20) and np.isfinite(iou).all()
    expected = np.array([[_raster_iou(p, q) for q in b] for p in a])
    np.testing.assert_allclose(iou, expected, atol=1e-12)


def test_box_iou_zero_union_and_symmetry():
    assert ref.box_iou([[3, 3, 3, 3]], [[3, 3, 3, 3]])[0, 0] == 0.0
    rng = np.random.default_rng(2)
    a, b = rng.uniform(0, 10, (5, 4)), rng.uniform(0, 10, (6, 4))
    np.testing.assert_allclose(ref.box_iou(a, b), ref.box_iou(b, a).T)


# -- masks -----------------------------------------------------------------------------------------


def test_mask_to_box_matches_the_shapes_generator():
    spec = importlib.util.spec_from_file_location("shapes_release", RELEASE / "shapes.py")
    shapes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shapes)
    data = shapes.make_shapes(30, seed=9, size=40)
    for mask, box in zip(data.masks, data.boxes, strict=True):
        assert ref.mask_to_box(mask) == box.tolist()


def test_mask_to_box_is_the_tightest_box_by_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(50):
        mask = (rng.random((int(rng.integers(1, 9)), int(rng.integers(1, 9)))) < 0.15).astype(np.uint8)
        box = ref.mask_to_box(mask)
        if not mask.any():
            assert box is None
            continue
        h, w = mask.shape
        candidates = [(x1, y1, x2, y2) for x1 in range(w) for x2 in range(x1 + 1, w + 1)
                      for y1 in range(h) for y2 in range(y1 + 1, h + 1)
                      if mask[y1:y2, x1:x2].sum() == mask.sum()]
        smallest = min(candidates, key=lambda c: (c[2] - c[0]) * (c[3] - c[1]))
        assert tuple(box) == smallest


def test_class_pixel_fractions_by_counting():
    rng = np.random.default_rng(4)
    mask = rng.choice([0, 2, 3], size=(7, 11))
    got = ref.class_pixel_fractions(mask, 5)
    expected = [sum(v == c for v in mask.ravel()) / 77 for c in range(5)]
    np.testing.assert_allclose(got, expected)
    assert got[1] == got[4] == 0 and math.isclose(got.sum(), 1)
    for bad in (np.array([[5]]), np.array([[-1, 0]])):
        with pytest.raises(ValueError):
            ref.class_pixel_fractions(bad, 5)


# -- split and cost --------------------------------------------------------------------------------


def _check_split(labels: np.ndarray, fractions: tuple[float, float, float], seed: int) -> list[np.ndarray]:
    parts = ref.stratified_split(labels, fractions, seed)
    everything = np.concatenate(parts)
    assert sorted(everything.tolist()) == list(range(len(labels)))
    for part, f in zip(parts, fractions, strict=True):
        assert part.dtype.kind == "i" and np.all(np.diff(part) > 0)
        assert abs(len(part) - len(labels) * f) <= 1 + 1e-9
        for cls in np.unique(labels):
            n_c = (labels == cls).sum()
            count = (labels[part] == cls).sum()
            assert math.floor(n_c * f + 1e-9) <= count <= math.ceil(n_c * f - 1e-9), (n_c, f, count)
    return parts


def test_stratified_split_rounding_rules_hold_on_many_random_label_sets():
    """The greedy leftover rule keeps both rounding rules: 400 random layouts, tiny classes included."""
    rng = np.random.default_rng(5)
    for trial in range(400):
        sizes = rng.integers(1, 15, int(rng.integers(1, 25)))
        labels = np.repeat(np.arange(len(sizes)), sizes)[rng.permutation(sizes.sum())]
        f1 = float(rng.choice([0.5, 0.6, 0.7, 0.8, 0.34]))
        f2 = float(rng.uniform(0, 1 - f1))
        _check_split(labels, (f1, f2, 1 - f1 - f2), trial)


def test_stratified_split_is_seeded():
    labels = np.repeat(["a", "b", "c"], [10, 20, 5])
    first = _check_split(labels, (0.7, 0.15, 0.15), 7)
    again = ref.stratified_split(labels, seed=7)
    other = ref.stratified_split(labels, seed=8)
    assert all(np.array_equal(x, y) for x, y in zip(first, again, strict=True))
    assert not all(np.array_equal(x, y) for x, y in zip(first, other, strict=True))


def test_two_stage_sklearn_split_fails_on_a_tiny_class_where_ours_works():
    from sklearn.model_selection import train_test_split

    labels = np.array([0] * 10 + [1] * 10 + [2])
    with pytest.raises(ValueError):
        train_test_split(np.arange(21), train_size=0.7, stratify=labels, random_state=0)
    _check_split(labels, (0.7, 0.15, 0.15), 0)


def test_annotation_hours_worked_example():
    assert math.isclose(ref.annotation_hours(10_000, 6, 3, 7, 40, "detection", 4, 2), 10_000 * 6 * 7 * 2 / 4 / 3600)
    assert math.isclose(ref.annotation_hours(3600, 9, 2, 7, 40, "classification"), 2.0)
    assert math.isclose(ref.annotation_hours(90, 4, 2, 7, 40, "segmentation", overlap=3), 90 * 4 * 40 * 3 / 3600)
    with pytest.raises(ValueError):
        ref.annotation_hours(1, 1, 1, 1, 1, "captioning")


# -- cloud responses -------------------------------------------------------------------------------


def test_fixtures_follow_the_cloud_vision_layout():
    street = _fixture("cloud_vision_street.json")["responses"][0]
    assert {"labelAnnotations", "localizedObjectAnnotations"} <= set(street)
    for a in street["labelAnnotations"]:
        assert {"mid", "description", "score", "topicality"} <= set(a)
    cat = _fixture("cloud_vision_topicality.json")["responses"][0]["labelAnnotations"]
    assert any(a["score"] != a["topicality"] for a in cat)
    assert "error" in _fixture("cloud_vision_error.json")["responses"][0]


def test_parse_cloud_labels_on_the_fixtures_by_hand():
    street = _fixture("cloud_vision_street.json")
    assert ref.parse_cloud_labels(street) == [("Sky", 0.9712), ("Car", 0.9421), ("Road", 0.8875),
                                              ("Vehicle", 0.8875), ("Bicycle", 0.5)]
    cat = _fixture("cloud_vision_topicality.json")
    # By score, not topicality: Mammal (topicality 0.84, score 0.48) is out; the tie keeps input order.
    assert ref.parse_cloud_labels(cat, 0.8) == [("Cat", 0.9503), ("Felidae", 0.8932), ("Carnivore", 0.8711),
                                                ("Whiskers", 0.8711)]
    for missing in (_fixture("cloud_vision_error.json"), {}, {"responses": []}, {"responses": [{}]}):
        assert ref.parse_cloud_labels(missing) == []


def test_parse_cloud_objects_on_the_fixtures_by_hand():
    objects = ref.parse_cloud_objects(_fixture("cloud_vision_street.json"), 800, 600)
    assert [(n, s) for n, s, _ in objects] == [("Car", 0.9187), ("Bicycle", 0.7342)]
    np.testing.assert_allclose(objects[0][2], (0.5125 * 800, 0.55 * 600, 0.8875 * 800, 0.85 * 600))
    np.testing.assert_allclose(objects[1][2], (0.0, 360.0, 160.0, 540.0))  # vertices without x are at x = 0
    assert len(ref.parse_cloud_objects(_fixture("cloud_vision_street.json"), 800, 600, min_score=0.4)) == 3
    assert ref.parse_cloud_objects(_fixture("cloud_vision_error.json"), 800, 600) == []


# -- preprocessing and top-k -----------------------------------------------------------------------


def _photo(h: int, w: int) -> np.ndarray:
    from skimage import data

    return data.chelsea()[:h, :w]


def test_preprocess_crop_offset_and_scale_exactly_when_no_resize_is_needed():
    image = np.random.default_rng(6).integers(0, 256, (7, 12, 3)).astype(np.uint8)
    x = ref.preprocess_for_model(image, 7)
    assert x.shape == (1, 7, 7, 3) and x.dtype == np.float32
    np.testing.assert_allclose(x[0], image[:, 2:9] / 127.5 - 1, atol=1e-6)  # offset (12 - 7) // 2 = 2
    assert ref.preprocess_for_model(np.full((3, 5, 3), 255, np.uint8), 3).min() == 1.0
    assert ref.preprocess_for_model(np.zeros((3, 5, 3), np.uint8), 3).max() == -1.0


@pytest.mark.parametrize(("h", "w", "size"), [(240, 360, 64), (300, 200, 48), (37, 20, 48)])
def test_preprocess_agrees_with_pil_on_average(h, w, size):
    from PIL import Image

    image = _photo(h, w)
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    pil = Image.fromarray(image[top : top + side, left : left + side]).resize((size, size), Image.BILINEAR)
    expected = np.asarray(pil, np.float64) / 127.5 - 1
    assert np.abs(ref.preprocess_for_model(image, size)[0] - expected).mean() < 0.02


class _Fixed:
    def __init__(self, p: list[float], size: int = 8) -> None:
        self.input_shape = (None, size, size, 3)
        self.p = np.asarray(p, np.float32)[None]
        self.seen: list[np.ndarray] = []

    def predict(self, x: np.ndarray, verbose: int = 0) -> np.ndarray:
        self.seen.append(x)
        return self.p


def test_predict_top_k_order_ties_and_k():
    image = _photo(20, 30)
    model = _Fixed([0.1, 0.3, 0.3, 0.05, 0.25], size=12)
    labels = list("abcde")
    assert [lab for lab, _ in ref.predict_top_k(model, image, labels, 3)] == ["b", "c", "e"]
    assert len(ref.predict_top_k(model, image, labels, 9)) == 5
    assert model.seen[0].shape == (1, 12, 12, 3)
    assert all(isinstance(p, float) for _, p in ref.predict_top_k(model, image, labels))


@pytest.mark.slow
def test_preprocess_agrees_with_tensorflow_antialiased_bilinear():
    import tensorflow as tf

    image = _photo(240, 360)
    square = image[:, 60:300]
    expected = tf.image.resize(square[None].astype(np.float32), (64, 64), "bilinear", antialias=True).numpy()
    assert np.abs(ref.preprocess_for_model(image, 64) - (expected / 127.5 - 1)).mean() < 0.03


@pytest.mark.slow
def test_shipped_model_classifies_fresh_raw_shapes_through_predict_top_k():
    import keras

    model = keras.saving.load_model(RELEASE / "shapes_classifier.keras")
    assert model.input_shape == (None, INPUT_SIZE, INPUT_SIZE, 3) and model.output_shape == (None, 3)
    images, labels = training_images(60, seed=424242)
    names = ["circle", "square", "triangle"]
    correct = 0
    for image, label in zip(images, labels, strict=True):
        photo = np.pad(image, ((0, 0), (10, 25), (0, 0)), mode="edge")  # raw and non-square
        top = ref.predict_top_k(model, photo, names, k=3)
        assert math.isclose(sum(p for _, p in top), 1, rel_tol=1e-4)
        correct += top[0][0] == names[label]
    assert correct / len(labels) >= 0.9


@pytest.mark.slow
def test_visible_checks_pass_on_the_reference_notebook(tmp_path):
    """The source notebook (reference answers and visible checks) runs top to bottom without an error."""
    import nbformat
    from nbclient import NotebookClient

    for path in RELEASE.iterdir():
        if path.suffix != ".ipynb":
            shutil.copy(path, tmp_path / path.name)
    nb = nbformat.read(REPO_ROOT / "source" / "01_image_tasks" / "image_tasks.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = " ".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert printed.count("Visible checks passed.") == 14
