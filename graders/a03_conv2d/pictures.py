"""Pictures for image feedback: expected, got and |difference| side by side, as PNG bytes.

A failed image case raises `ImageMismatch`, a `CheckFailure` that also carries the picture in
`images` (a list of PNG bytes). The text message is unchanged, so feedback works as before; an engine
that knows the `images` attribute can add each picture to the graded cell as a `display_data`
output with `image/png` data, which nbgrader's feedback HTML shows.

The PNG is written with zlib only (no matplotlib in the grading process, so a failure costs
milliseconds). The picture shows the expected image, which a student may see: it is the result of
the hidden input, not a reusable answer.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from graders.checks import CheckFailure

GAP = 4  # white pixels between the three panels
MIN_HEIGHT = 96  # small results are enlarged (nearest neighbour) so they can be seen


class ImageMismatch(CheckFailure):
    """A failed image case; `images` holds PNG pictures for the feedback."""

    def __init__(self, message: str, images: list[bytes]) -> None:
        super().__init__(message)
        self.images = images


def _to_grey(a: np.ndarray, lo: float, hi: float) -> np.ndarray:
    span = hi - lo if hi > lo else 1.0
    return np.clip(np.round((a - lo) / span * 255.0), 0, 255).astype(np.uint8)


def png_bytes(grey: np.ndarray) -> bytes:
    """Encode a (H, W) uint8 array as an 8-bit greyscale PNG."""
    h, w = grey.shape
    raw = b"".join(b"\x00" + grey[row].tobytes() for row in range(h))  # filter type 0 per row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def side_by_side(expected: np.ndarray, got: np.ndarray) -> bytes | None:
    """expected | got | |difference| as one PNG, or None when the results are not 2D of one shape.

    expected and got share one grey scale (so a brightness error shows); the difference panel has
    its own scale (white = the largest errors).
    """
    expected, got = np.asarray(expected, dtype=float), np.asarray(got, dtype=float)
    if expected.ndim != 2 or expected.shape != got.shape or expected.size == 0:
        return None
    if not (np.isfinite(expected).all() and np.isfinite(got).all()):
        return None
    # Percentiles rather than extremes, so a few border spikes (zero fill) do not darken the rest.
    both = np.concatenate([expected.ravel(), got.ravel()])
    lo, hi = (float(v) for v in np.percentile(both, [1, 99]))
    diff = np.abs(got - expected)
    top = float(np.percentile(diff, 99)) or float(diff.max())
    panels = [_to_grey(expected, lo, hi), _to_grey(got, lo, hi), _to_grey(diff, 0.0, top)]
    scale = max(1, -(-MIN_HEIGHT // expected.shape[0]))
    scale = min(scale, max(1, 512 // expected.shape[1]))
    panels = [np.kron(p, np.ones((scale, scale), dtype=np.uint8)) for p in panels]
    gap = np.full((panels[0].shape[0], GAP), 255, dtype=np.uint8)
    return png_bytes(np.hstack([panels[0], gap, panels[1], gap, panels[2]]))


def with_picture(failure: CheckFailure, expected: np.ndarray, got: object) -> CheckFailure:
    """The same failure, carrying the side-by-side picture when one can be drawn."""
    try:
        picture = side_by_side(np.asarray(expected), np.asarray(got))
    except Exception:  # noqa: BLE001 - a picture is a bonus: never let it hide the diagnosis
        picture = None
    if picture is None:
        return failure
    return ImageMismatch(str(failure), [picture])
