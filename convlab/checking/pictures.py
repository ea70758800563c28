"""Failure pictures for the feedback, shared by every assignment's graders.

A grader wraps a failed case's `CheckFailure` with one of the `with_*` functions; the failure keeps
its message and `mistake_id` and carries the arrays to draw. The PNG is drawn only when the engine
asks for `images` (once per check: its first pictured failure), so a submission that fails many
cases costs one drawing per check, not one per case.

Pictures show what the hidden case produced (the expected result next to the student's), never the
hidden inputs in a reusable form. Drawing uses matplotlib's object API with the Agg canvas (no
pyplot state, no display).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from convlab.checking.checks import CheckFailure

DPI = 80
MAX_GALLERY = 6
GAP = 4  # pixels between panels of pictures built with png_bytes


def png_bytes(grey: np.ndarray) -> bytes:
    """Encode a (H, W) uint8 array as an 8-bit greyscale PNG (zlib only, for plain pixel pictures)."""
    h, w = grey.shape
    raw = b"".join(b"\x00" + grey[row].tobytes() for row in range(h))  # filter type 0 per row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


class PicturedFailure(CheckFailure):
    """A failed case that can draw itself; `images` renders the PNG on first use."""

    def __init__(self, message: str, draw: Callable[[], bytes | None], *, mistake_id: str = "",
                 candidates: Sequence[tuple[str, str]] = (), base: str | None = None) -> None:
        super().__init__(message, mistake_id=mistake_id, candidates=candidates, base=base)
        self._draw = draw
        self._images: list[bytes] | None = None

    @property
    def images(self) -> list[bytes]:
        if self._images is None:
            try:
                png = self._draw()
            except Exception:  # noqa: BLE001 - a picture is a bonus: never let it hide the diagnosis
                png = None
            self._images = [png] if png else []
        return self._images


def _wrap(failure: CheckFailure, draw: Callable[[], bytes | None]) -> PicturedFailure:
    return PicturedFailure(str(failure), draw, mistake_id=getattr(failure, "mistake_id", ""),
                           candidates=getattr(failure, "candidates", ()), base=getattr(failure, "base", None))


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _numeric(a: Any) -> np.ndarray | None:
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr if np.isfinite(arr).all() else None


def worst_slice(expected: np.ndarray, got: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
    """Reduce (..., H, W, C) results to the 2D map with the largest error, and name it.

    Arrays of 3 or more axes are channels-last; the batch image and channel with the largest
    absolute error are chosen.
    """
    if expected.ndim <= 2:
        return expected, got, ""
    err = np.abs(got - expected)
    lead = expected.shape[:-3] + (1,) * (expected.ndim == 3)
    if expected.ndim == 3:
        err, expected, got = err[None], expected[None], got[None]
    flat = err.reshape(-1, *err.shape[-3:])
    n, c = np.unravel_index(int(np.argmax(flat.max(axis=(1, 2)))), (flat.shape[0], flat.shape[-1]))
    exp2 = expected.reshape(-1, *expected.shape[-3:])[n, :, :, c]
    got2 = got.reshape(-1, *got.shape[-3:])[n, :, :, c]
    where = f"channel {c}" if len(lead) == 1 and lead[0] == 1 else f"image {n}, channel {c}"
    return exp2, got2, where


def image_panels(expected: np.ndarray, got: np.ndarray, title: str = "") -> bytes | None:
    """expected | yours on one shared colour scale (one colour bar), then the signed difference
    (yours - expected) on a symmetric scale with its own colour bar; None unless the two have the
    same shape, at least 2 axes and finite values."""
    expected, got = _numeric(expected), _numeric(got)
    if expected is None or got is None or expected.ndim < 2 or expected.shape != got.shape or expected.size == 0:
        return None
    expected, got, where = worst_slice(expected, got)
    both = np.concatenate([expected.ravel(), got.ravel()])
    lo, hi = (float(v) for v in np.percentile(both, [1, 99]))
    if hi <= lo:
        lo, hi = float(both.min()), float(both.max()) + 1e-12
    diff = got - expected
    span = float(np.abs(diff).max()) or 1.0
    # Fixed positions (figure fractions): a layout engine would double the drawing time.
    fig = _figure(9.0, 3.2)
    axes = [fig.add_axes((x, 0.06, 0.25, 0.74)) for x in (0.01, 0.28, 0.66)]
    bars = [fig.add_axes((x, 0.12, 0.012, 0.62)) for x in (0.545, 0.925)]
    shown = None
    for ax, data, name in ((axes[0], expected, "expected"), (axes[1], got, "yours")):
        shown = ax.imshow(data, cmap="gray", vmin=lo, vmax=hi, interpolation="nearest")
        ax.set_title(name, fontsize=10)
    fig.colorbar(shown, cax=bars[0]).set_label("shared scale", fontsize=8)
    d = axes[2].imshow(diff, cmap="RdBu_r", vmin=-span, vmax=span, interpolation="nearest")
    axes[2].set_title("difference (yours - expected)", fontsize=10)
    fig.colorbar(d, cax=bars[1])
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(_title(title, where), fontsize=9)
    return _png(fig)


def signal_panels(expected: np.ndarray, got: np.ndarray, title: str = "") -> bytes | None:
    """Expected and yours as lines over the sample index, the difference below; 1D results only."""
    expected, got = _numeric(expected), _numeric(got)
    if expected is None or got is None or expected.ndim != 1 or got.ndim != 1 or expected.size == 0:
        return None
    fig = _figure(7.5, 3.8)
    top = fig.add_axes((0.1, 0.42, 0.86, 0.47))
    bottom = fig.add_axes((0.1, 0.11, 0.86, 0.24), sharex=top)
    top.plot(np.arange(len(expected)), expected, "o-", color="#1a7f37", label="expected")
    top.plot(np.arange(len(got)), got, "x--", color="#cf222e", label="yours")
    top.legend(loc="best", fontsize=8)
    top.set_ylabel("value")
    if got.shape == expected.shape:
        bottom.bar(np.arange(len(got)), got - expected, color="#8250df")
        bottom.axhline(0, color="black", linewidth=0.5)
        bottom.set_ylabel("yours - expected")
    else:
        bottom.text(0.5, 0.5, f"lengths differ: expected {len(expected)}, yours {len(got)}",
                    ha="center", va="center", transform=bottom.transAxes)
    bottom.set_xlabel("index")
    fig.suptitle(_title(title, ""), fontsize=9)
    return _png(fig)


def box_panels(background: np.ndarray, expected: np.ndarray, got: np.ndarray, title: str = "") -> bytes | None:
    """The same image twice, the expected (x1, y1, x2, y2) boxes drawn on the left and yours on the
    right (pixel coordinates, origin top left)."""
    from matplotlib.patches import Rectangle

    expected = _numeric(expected)
    got = _numeric(got)
    if expected is None or got is None:
        return None
    expected, got = expected.reshape(-1, 4), got.reshape(-1, 4) if got.size % 4 == 0 else None
    if got is None:
        return None
    background = np.asarray(background)
    fig = _figure(8.0, 4.0)
    axes = [fig.add_axes((x, 0.04, 0.45, 0.8)) for x in (0.03, 0.52)]
    for ax, boxes, name, colour in ((axes[0], expected, "expected", "#1a7f37"), (axes[1], got, "yours", "#cf222e")):
        if background.ndim == 2:  # a mask or a blank canvas: 0 black, 1 (or more) white
            ax.imshow(background, cmap="gray", vmin=0, vmax=max(1.0, float(background.max())),
                      interpolation="nearest")
        else:
            ax.imshow(background, interpolation="nearest")
        for x1, y1, x2, y2 in boxes:
            ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=colour, linewidth=2))
        ax.set_title(f"{name} ({len(boxes)} box{'es' if len(boxes) != 1 else ''})")
        height, width = background.shape[:2]
        ax.set_xlim(min(-0.5, *(boxes[:, 0] - 1)), max(width - 0.5, *(boxes[:, 2] + 1)))
        ax.set_ylim(max(height - 0.5, *(boxes[:, 3] + 1)), min(-0.5, *(boxes[:, 1] - 1)))
    fig.suptitle(_title(title, ""), fontsize=9)
    return _png(fig)


def gallery(images: Sequence[np.ndarray], captions: Sequence[str], title: str = "") -> bytes | None:
    """A row of up to MAX_GALLERY small images with a caption each (e.g. misclassified inputs)."""
    images = list(images)[:MAX_GALLERY]
    if not images:
        return None
    fig = _figure(1.6 * len(images) + 0.4, 2.2)
    step = 1.0 / len(images)
    axes = [fig.add_axes((i * step + 0.1 * step, 0.05, 0.8 * step, 0.65)) for i in range(len(images))]
    for ax, image, caption in zip(axes, images, captions, strict=False):
        image = np.asarray(image, dtype=float)
        ax.imshow(image[..., 0] if image.ndim == 3 and image.shape[-1] == 1 else image, cmap="gray",
                  interpolation="nearest")
        ax.set_title(caption, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(_title(title, ""), fontsize=9)
    return _png(fig)


def label_maps(scenes: Sequence[np.ndarray], truths: Sequence[np.ndarray], predicted: Sequence[np.ndarray],
               class_names: Sequence[str], title: str = "") -> bytes | None:
    """Per scene: the image, its true class map and the predicted one, in a colour-blind-safe map
    (viridis, one colour per class) with a legend naming the classes.

    scenes: (H, W) or (H, W, 1) images; truths, predicted: (H, W) int class maps."""
    from matplotlib import colormaps
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    n = len(class_names)
    colours = colormaps["viridis"](np.linspace(0, 1, n))
    cmap, norm = ListedColormap(colours), BoundaryNorm(np.arange(n + 1) - 0.5, n)
    rows = min(len(scenes), 2)
    if rows == 0:
        return None
    fig = _figure(6.4, 2.1 * rows + 0.4)
    step = 0.9 / rows  # the top tenth holds the title
    for r in range(rows):
        panels = [(np.asarray(scenes[r], dtype=float).squeeze(), "image", True),
                  (np.asarray(truths[r]), "true classes", False), (np.asarray(predicted[r]), "yours", False)]
        for c, (picture, caption, grey) in enumerate(panels):
            ax = fig.add_axes((0.02 + c * 0.24, 0.9 - (r + 1) * step + 0.01, 0.22, step - 0.08))
            ax.imshow(picture, cmap="gray" if grey else cmap, norm=None if grey else norm, interpolation="nearest")
            ax.set_title(f"scene {r + 1}: {caption}", fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
    fig.legend(handles=[Patch(color=colours[k], label=name) for k, name in enumerate(class_names)],
               loc="center right", fontsize=8, frameon=False, title="classes", title_fontsize=8)
    fig.suptitle(_title(title, ""), fontsize=9)
    return _png(fig)


def with_label_maps(failure: CheckFailure, scenes: Sequence[np.ndarray], truths: Sequence[np.ndarray],
                    predicted: Sequence[np.ndarray], class_names: Sequence[str], *, title: str = "") -> CheckFailure:
    """The same failure, carrying the scenes with their true and predicted class maps and a legend."""
    return _wrap(failure, lambda: label_maps(scenes, truths, predicted, class_names, title))


def _title(title: str, where: str) -> str:
    text = title if len(title) <= 110 else title[:107] + "..."
    return f"{text} - {where}" if where else text


def with_picture(failure: CheckFailure, expected: Any, got: Any, *, title: str = "") -> CheckFailure:
    """The same failure, carrying an expected | yours | difference picture of 2D (or more) results."""
    return _wrap(failure, lambda: image_panels(np.asarray(expected), np.asarray(got), title))


def with_signals(failure: CheckFailure, expected: Any, got: Any, *, title: str = "") -> CheckFailure:
    """The same failure, carrying a plot of the expected and the student's 1D results."""
    return _wrap(failure, lambda: signal_panels(np.asarray(expected), np.asarray(got), title))


def with_boxes(failure: CheckFailure, background: Any, expected: Any, got: Any, *, title: str = "") -> CheckFailure:
    """The same failure, carrying the expected and the student's boxes drawn over `background`."""
    return _wrap(failure, lambda: box_panels(np.asarray(background), expected, got, title))


def with_gallery(failure: CheckFailure, images: Sequence[np.ndarray], captions: Sequence[str], *,
                 title: str = "") -> CheckFailure:
    """The same failure, carrying a few captioned images (e.g. the ones classified wrongly)."""
    return _wrap(failure, lambda: gallery(images, captions, title))
