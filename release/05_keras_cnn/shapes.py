"""Synthetic shapes: a deterministic data set of small grayscale images of circles, squares and
triangles, with the label, bounding box and pixel mask of each image.

Ships beside the notebooks that use it (classification here; detection and segmentation reuse it).
Only numpy is needed, so the same seed gives the same data on every machine.

    >>> data = make_shapes(6, seed=0)
    >>> data.images.shape, data.labels.shape, data.boxes.shape, data.masks.shape
    ((6, 32, 32, 1), (6,), (6, 4), (6, 32, 32))
"""

from __future__ import annotations

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
