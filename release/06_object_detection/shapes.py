"""Synthetic shapes: deterministic grayscale images of circles, squares and triangles.

`make_shapes` draws one shape per image (classification), with its label, bounding box and pixel
mask. `make_scenes` draws 1 to `max_objects` shapes per image whose boxes do not overlap, with
every box, label and a class mask (detection and segmentation).

Ships beside the notebooks that use it. Only numpy is needed, so the same seed gives the same data
on every machine.

    >>> data = make_shapes(6, seed=0)
    >>> data.images.shape, data.labels.shape, data.boxes.shape, data.masks.shape
    ((6, 32, 32, 1), (6,), (6, 4), (6, 32, 32))
    >>> scenes = make_scenes(4, seed=0)
    >>> scenes.images.shape, scenes.masks.shape, len(scenes.boxes), scenes.boxes[0].shape[1]
    ((4, 64, 64, 1), (4, 64, 64), 4, 4)
"""

from dataclasses import dataclass

import numpy as np

CLASSES = ("circle", "square", "triangle")


@dataclass(frozen=True)
class Shapes:
    """One generated data set.

    images: (N, size, size, 1) float32 in [0, 1], channels last as Keras expects.
    labels: (N,) int64, an index into CLASSES (0 circle, 1 square, 2 triangle).
    boxes: (N, 4) int64 [x1, y1, x2, y2], the tight box of the mask with exclusive ends, so
        `masks[i, y1:y2, x1:x2]` crops the shape (x is the column, y the row).
    masks: (N, size, size) uint8, 1 on the shape's pixels and 0 elsewhere.
    """

    images: np.ndarray
    labels: np.ndarray
    boxes: np.ndarray
    masks: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Scenes:
    """One generated set of scenes (several shapes per image).

    images: (N, size, size, 1) float32 in [0, 1], channels last.
    boxes: list of N int64 arrays, the i-th of shape (K_i, 4) with 1 <= K_i <= max_objects:
        [x1, y1, x2, y2] per shape, the tight box of its pixels with exclusive ends (as in
        `Shapes.boxes`), so `masks[i, y1:y2, x1:x2]` crops it. Boxes of one image never share a
        pixel.
    labels: list of N int64 arrays, the i-th of shape (K_i,): index into CLASSES (0 circle,
        1 square, 2 triangle), in the same order as `boxes[i]`.
    masks: (N, size, size) uint8 class mask: 0 background, 1 + label on each shape's pixels.
    """

    # Evaluated annotations (no `from __future__ import annotations`): dataclasses would otherwise
    # look this module up in sys.modules, which fails when it is loaded from a file path.
    images: np.ndarray
    boxes: list[np.ndarray]
    labels: list[np.ndarray]
    masks: np.ndarray

    def __len__(self) -> int:
        return len(self.boxes)


def _inside(kind: int, u: np.ndarray, v: np.ndarray, radius: float) -> np.ndarray:
    """Pixels inside a shape centred at the origin; (u, v) are already rotated coordinates."""
    if kind == 0:
        return u**2 + v**2 <= radius**2
    if kind == 1:
        # A square with the same area as the circle would be too similar; 0.8·r keeps them apart.
        return np.maximum(np.abs(u), np.abs(v)) <= 0.8 * radius
    # Equilateral triangle with circumradius `radius`: inside all three edges' half-planes.
    inside = np.ones_like(u, dtype=bool)
    for k in range(3):
        angle = np.pi / 2 + 2 * np.pi * k / 3 + np.pi / 3
        inside &= u * np.cos(angle) + v * np.sin(angle) <= radius / 2
    return inside


def make_shapes(n: int, seed: int = 0, size: int = 32, noise: float = 0.05) -> Shapes:
    """`n` images, labels balanced (n // 3 of each class at least), all drawn from `seed`.

    Each image has a random radius (15 % to 35 % of the size), centre (the shape stays inside),
    rotation, shape intensity, background intensity (always at least 0.25 darker) and Gaussian
    pixel noise of standard deviation `noise`.
    """
    if n < 0 or size < 12:
        raise ValueError("need n >= 0 and size >= 12")
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % len(CLASSES)).astype(np.int64)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float64) + 0.5  # pixel centres
    images = np.empty((n, size, size, 1), np.float32)
    masks = np.empty((n, size, size), np.uint8)
    boxes = np.empty((n, 4), np.int64)
    for i, kind in enumerate(labels):
        radius = rng.uniform(0.15, 0.35) * size
        cx, cy = rng.uniform(radius + 1, size - radius - 1, 2)
        theta = rng.uniform(0, 2 * np.pi)
        dx, dy = xs - cx, ys - cy
        u = dx * np.cos(theta) + dy * np.sin(theta)
        v = -dx * np.sin(theta) + dy * np.cos(theta)
        mask = _inside(int(kind), u, v, radius)
        background = rng.uniform(0.0, 0.35)
        foreground = rng.uniform(background + 0.25, 1.0)
        image = np.where(mask, foreground, background) + rng.normal(0, noise, (size, size))
        images[i, :, :, 0] = np.clip(image, 0, 1)
        masks[i] = mask
        rows, cols = np.nonzero(mask)
        boxes[i] = cols.min(), rows.min(), cols.max() + 1, rows.max() + 1
    return Shapes(images, labels, boxes, masks)


def _disjoint(box: np.ndarray, others: list[np.ndarray]) -> bool:
    """True when the exclusive-end box shares no pixel with any of `others`."""
    return all(box[2] <= o[0] or o[2] <= box[0] or box[3] <= o[1] or o[3] <= box[1] for o in others)


def make_scenes(n: int, seed: int, size: int = 64, max_objects: int = 3) -> Scenes:
    """`n` scenes of `size`×`size` pixels, each with 1 to `max_objects` shapes, all drawn from `seed`.

    Per image: a number of shapes (uniform in 1 … max_objects), a background intensity and
    Gaussian pixel noise (sd 0.05). Per shape: a class (uniform), a radius (8 % to 20 % of the
    size), a centre that keeps the shape inside, a rotation and an intensity at least 0.25 brighter
    than the background. A shape whose box would share a pixel with an earlier box is drawn again
    (up to 100 times, then the image keeps fewer shapes), so boxes never overlap and every image has
    at least one.
    """
    if n < 0 or size < 16 or max_objects < 1:
        raise ValueError("need n >= 0, size >= 16 and max_objects >= 1")
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float64) + 0.5  # pixel centres
    images = np.empty((n, size, size, 1), np.float32)
    masks = np.zeros((n, size, size), np.uint8)
    all_boxes: list[np.ndarray] = []
    all_labels: list[np.ndarray] = []
    for i in range(n):
        count = int(rng.integers(1, max_objects + 1))
        background = rng.uniform(0.0, 0.35)
        image = np.full((size, size), background)
        boxes: list[np.ndarray] = []
        labels: list[int] = []
        for _ in range(count):
            for _attempt in range(100):
                kind = int(rng.integers(len(CLASSES)))
                radius = rng.uniform(0.08, 0.20) * size
                cx, cy = rng.uniform(radius + 1, size - radius - 1, 2)
                theta = rng.uniform(0, 2 * np.pi)
                dx, dy = xs - cx, ys - cy
                mask = _inside(kind, dx * np.cos(theta) + dy * np.sin(theta),
                               -dx * np.sin(theta) + dy * np.cos(theta), radius)
                rows, cols = np.nonzero(mask)
                box = np.array([cols.min(), rows.min(), cols.max() + 1, rows.max() + 1], np.int64)
                if _disjoint(box, boxes):
                    break
            else:
                break  # no room left: this image keeps the shapes it has
            image[mask] = rng.uniform(background + 0.25, 1.0)
            masks[i][mask] = 1 + kind
            boxes.append(box)
            labels.append(kind)
        images[i, :, :, 0] = np.clip(image + rng.normal(0, 0.05, (size, size)), 0, 1)
        all_boxes.append(np.array(boxes, np.int64).reshape(-1, 4))
        all_labels.append(np.array(labels, np.int64))
    return Scenes(images, all_boxes, all_labels, masks)
