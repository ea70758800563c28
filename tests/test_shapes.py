"""The shapes generator shipped with the release: deterministic, consistent labels, boxes and masks."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from convlab.settings import REPO_ROOT


def _load():
    spec = importlib.util.spec_from_file_location("shapes", REPO_ROOT / "source" / "05_keras_cnn" / "shapes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shapes = _load()


def test_same_seed_same_data_and_other_seed_other_data():
    a, b, c = shapes.make_shapes(30, seed=5), shapes.make_shapes(30, seed=5), shapes.make_shapes(30, seed=6)
    for field in ("images", "labels", "boxes", "masks"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.images, c.images)


@pytest.mark.parametrize("size", [12, 32, 48])
def test_types_ranges_and_balance(size):
    data = shapes.make_shapes(61, seed=1, size=size)
    assert data.images.shape == (61, size, size, 1) and data.images.dtype == np.float32
    assert 0 <= data.images.min() and data.images.max() <= 1
    assert np.bincount(data.labels, minlength=3).min() >= 61 // 3
    assert set(np.unique(data.masks)) <= {0, 1} and data.masks.sum((1, 2)).min() > 0


def test_boxes_are_the_tight_exclusive_boxes_of_the_masks():
    data = shapes.make_shapes(40, seed=2)
    for mask, (x1, y1, x2, y2) in zip(data.masks, data.boxes, strict=True):
        assert mask[y1:y2, x1:x2].sum() == mask.sum()
        assert mask[y1, x1:x2].any() and mask[y2 - 1, x1:x2].any()
        assert mask[y1:y2, x1].any() and mask[y1:y2, x2 - 1].any()


def test_the_shape_is_brighter_than_its_background():
    data = shapes.make_shapes(40, seed=3, noise=0.0)
    for image, mask in zip(data.images[..., 0], data.masks, strict=True):
        assert image[mask == 1].mean() >= image[mask == 0].mean() + 0.25 - 1e-6


def test_classes_differ_in_area_for_the_same_radius():
    """Circle, square and triangle of one radius cover clearly different areas (they are distinct)."""
    u, v = np.mgrid[-20:20:0.25, -20:20:0.25] + 0.125  # cell centres
    areas = [shapes._inside(k, u, v, 10.0).sum() * 0.0625 for k in range(3)]
    assert areas[0] == pytest.approx(np.pi * 100, rel=0.02)
    assert areas[1] == pytest.approx(16**2, rel=0.02)
    assert areas[2] == pytest.approx(3 * np.sqrt(3) / 4 * 100, rel=0.03)


# -- make_scenes: several shapes per image (detection, segmentation) --------------------------------


def test_scenes_same_seed_same_data_and_other_seed_other_data():
    a, b, c = shapes.make_scenes(25, seed=5), shapes.make_scenes(25, seed=5), shapes.make_scenes(25, seed=6)
    np.testing.assert_array_equal(a.images, b.images)
    np.testing.assert_array_equal(a.masks, b.masks)
    for field in ("boxes", "labels"):
        for x, y in zip(getattr(a, field), getattr(b, field), strict=True):
            np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a.images, c.images)


@pytest.mark.parametrize(("size", "max_objects"), [(64, 3), (32, 1), (48, 5)])
def test_scenes_types_shapes_and_counts(size, max_objects):
    data = shapes.make_scenes(40, seed=1, size=size, max_objects=max_objects)
    assert len(data) == 40 and len(data.boxes) == len(data.labels) == 40
    assert data.images.shape == (40, size, size, 1) and data.images.dtype == np.float32
    assert 0 <= data.images.min() and data.images.max() <= 1
    assert data.masks.shape == (40, size, size) and data.masks.dtype == np.uint8
    for boxes, labels in zip(data.boxes, data.labels, strict=True):
        assert boxes.dtype == np.int64 and labels.dtype == np.int64
        assert boxes.shape == (len(labels), 4) and 1 <= len(labels) <= max_objects
        assert set(labels.tolist()) <= {0, 1, 2}
        assert (boxes[:, :2] >= 0).all() and (boxes[:, 2:] <= size).all()
        assert (boxes[:, 2:] > boxes[:, :2]).all()


def test_scenes_have_every_class_and_every_object_count():
    data = shapes.make_scenes(300, seed=2)
    assert np.bincount(np.concatenate(data.labels), minlength=3).min() > 150
    assert np.bincount([len(b) for b in data.boxes], minlength=4)[1:].min() > 50


def test_scene_boxes_share_no_pixel():
    data = shapes.make_scenes(200, seed=3, max_objects=4)
    for boxes in data.boxes:
        cover = np.zeros((64, 64), int)
        for x1, y1, x2, y2 in boxes:
            cover[y1:y2, x1:x2] += 1
        assert cover.max() == 1


def test_scene_boxes_are_the_tight_exclusive_boxes_of_the_class_mask():
    data = shapes.make_scenes(100, seed=4)
    for mask, boxes, labels in zip(data.masks, data.boxes, data.labels, strict=True):
        covered = np.zeros(mask.shape, bool)
        for (x1, y1, x2, y2), label in zip(boxes, labels, strict=True):
            crop = mask[y1:y2, x1:x2]
            assert set(np.unique(crop).tolist()) <= {0, 1 + label}  # only this shape in its box
            shape = crop == 1 + label
            assert shape[0].any() and shape[-1].any() and shape[:, 0].any() and shape[:, -1].any()
            covered[y1:y2, x1:x2] = True
        assert not mask[~covered].any(), "a shape pixel lies outside every box"


def test_scene_shapes_are_brighter_than_the_background():
    data = shapes.make_scenes(60, seed=5)
    for image, mask in zip(data.images[..., 0], data.masks, strict=True):
        assert image[mask > 0].mean() >= image[mask == 0].mean() + 0.2
