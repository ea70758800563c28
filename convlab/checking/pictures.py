"""Failure pictures for the feedback, shared by every assignment's graders.

A grader wraps a failed case's `CheckFailure` with one of the `with_*` functions; the failure keeps
its message and `mistake_id` and carries the arrays to draw. The PNG is drawn only when the engine
asks for `images` (once per check: its first pictured failure), so a submission that fails many
cases costs one drawing per check, not one per case.

Pictures show what the hidden case produced (the expected result next to the student's), never the
hidden inputs in a reusable form. Drawing uses matplotlib's object API with the Agg canvas (no
pyplot state, no display). Colours are readable with any colour vision: cividis for values,
blue/orange (with different markers or line styles) for expected/yours, viridis with a legend for
class maps.

Each PNG carries its own alternative text (a PNG `Description` text chunk, read back with
`png_description`): what the picture shows, for which call, and what differs. The feedback puts it
in the image's `alt`, so a student who cannot see the picture reads the same facts.
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
# Widest picture, in inches at DPI: it fits a feedback page's column (about 900 px at a 1200 px window).
MAX_WIDTH_IN = 11.0
# Expected and yours in every picture: blue and orange (distinct for every colour vision), drawn with
# different markers or line styles as well.
EXPECTED_COLOUR, YOURS_COLOUR, DIFFERENCE_COLOUR = "#0072b2", "#e69f00", "#555555"
VALUE_MAP = "cividis"  # values (expected | yours); differences use the blue-to-red "RdBu_r"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ALT_KEY = "Description"  # the PNG text keyword that holds a picture's alternative text


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _text_chunk(text: str) -> bytes:
    # iTXt: keyword, no compression, no language tag, UTF-8 text.
    return _chunk(b"iTXt", ALT_KEY.encode("latin-1") + b"\x00\x00\x00\x00\x00" + text.encode("utf-8"))


def png_bytes(grey: np.ndarray, description: str = "") -> bytes:
    """Encode a (H, W) uint8 array as an 8-bit greyscale PNG (zlib only, for plain pixel pictures),
    with `description` as its alternative text when given."""
    h, w = grey.shape
    raw = b"".join(b"\x00" + grey[row].tobytes() for row in range(h))  # filter type 0 per row
    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    text = _text_chunk(description) if description else b""
    return (PNG_SIGNATURE + _chunk(b"IHDR", header) + text + _chunk(b"IDAT", zlib.compress(raw, 6))
            + _chunk(b"IEND", b""))


def png_description(png: bytes) -> str:
    """The alternative text a PNG carries (its `Description` tEXt or iTXt chunk), '' if none."""
    if not png.startswith(PNG_SIGNATURE):
        return ""
    at = len(PNG_SIGNATURE)
    while at + 8 <= len(png):
        (length,), kind = struct.unpack(">I", png[at:at + 4]), png[at + 4:at + 8]
        data = png[at + 8:at + 8 + length]
        if kind in (b"tEXt", b"iTXt"):
            keyword, _, rest = data.partition(b"\x00")
            if keyword == ALT_KEY.encode("latin-1"):
                if kind == b"tEXt":
                    return rest.decode("latin-1")
                if rest[:1] == b"\x00":  # uncompressed iTXt: flag, method, language, translated keyword
                    _, _, rest = rest[2:].partition(b"\x00")
                    _, _, text = rest.partition(b"\x00")
                    return text.decode("utf-8", errors="replace")
        if kind in (b"IDAT", b"IEND"):
            return ""  # text chunks of ours come before the image data
        at += 12 + length
    return ""


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

    fig = Figure(figsize=(min(width, MAX_WIDTH_IN), height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Any, description: str = "") -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={ALT_KEY: description} if description else None)
    return buf.getvalue()


def _for(title: str, where: str = "") -> str:
    """' for conv2d(x (5, 7), k (3, 3)) (image 1, channel 0)': the call and the slice a picture shows."""
    text = f" for {title}" if title else ""
    return f"{text} ({where})" if where else text


def _differing(expected: np.ndarray, got: np.ndarray) -> str:
    """'12 of 35 values differ, the largest by 0.5' (shapes equal, values finite)."""
    off = ~np.isclose(got, expected, rtol=1e-5, atol=1e-6)
    if not off.any():
        return f"all {expected.size} values agree within 1e-5"
    largest = float(np.abs(got - expected).max())
    return f"{int(off.sum())} of {expected.size} values differ, the largest by {largest:.3g}"


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
    differing = _differing(expected, got)
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
        shown = ax.imshow(data, cmap=VALUE_MAP, vmin=lo, vmax=hi, interpolation="nearest")
        ax.set_title(name, fontsize=10)
    fig.colorbar(shown, cax=bars[0]).set_label("shared scale", fontsize=8)
    d = axes[2].imshow(diff, cmap="RdBu_r", vmin=-span, vmax=span, interpolation="nearest")
    axes[2].set_title("difference (yours - expected)", fontsize=10)
    fig.colorbar(d, cax=bars[1])
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(_title(title, where), fontsize=9)
    alt = (f"Three panels{_for(title, where)}: the expected result, yours (one colour scale), and the "
           f"difference yours minus expected; {differing}.")
    return _png(fig, alt)


def signal_panels(expected: np.ndarray, got: np.ndarray, title: str = "") -> bytes | None:
    """Expected and yours as lines over the sample index, the difference below; 1D results only."""
    expected, got = _numeric(expected), _numeric(got)
    if expected is None or got is None or expected.ndim != 1 or got.ndim != 1 or expected.size == 0:
        return None
    fig = _figure(7.5, 3.8)
    top = fig.add_axes((0.1, 0.42, 0.86, 0.47))
    bottom = fig.add_axes((0.1, 0.11, 0.86, 0.24), sharex=top)
    top.plot(np.arange(len(expected)), expected, "o-", color=EXPECTED_COLOUR, label="expected")
    top.plot(np.arange(len(got)), got, "x--", color=YOURS_COLOUR, label="yours")
    top.legend(loc="best", fontsize=8)
    top.set_ylabel("value")
    if got.shape == expected.shape:
        bottom.bar(np.arange(len(got)), got - expected, color=DIFFERENCE_COLOUR)
        bottom.axhline(0, color="black", linewidth=0.5)
        bottom.set_ylabel("yours - expected")
        differing = _differing(expected, got)
    else:
        differing = f"the lengths differ: expected {len(expected)}, yours {len(got)}"
        bottom.text(0.5, 0.5, differing, ha="center", va="center", transform=bottom.transAxes)
    bottom.set_xlabel("index")
    fig.suptitle(_title(title, ""), fontsize=9)
    alt = (f"Line plot{_for(title)}: the expected values (circles) and yours (crosses) over the index, "
           f"the difference below; {differing}.")
    return _png(fig, alt)


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
    for ax, boxes, name, colour in ((axes[0], expected, "expected", EXPECTED_COLOUR), (axes[1], got, "yours", YOURS_COLOUR)):
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
    alt = (f"The same image twice{_for(title)}: left the {_boxes(expected)} expected, right the "
           f"{_boxes(got)} you returned (x1, y1, x2, y2 in pixels).")
    return _png(fig, alt)


def _boxes(boxes: np.ndarray, most: int = 4) -> str:
    """'2 boxes [1, 2, 5, 6], [0, 0, 3, 3]' (the first `most` of them)."""
    listed = ", ".join("[" + ", ".join(f"{v:g}" for v in box) + "]" for box in boxes[:most])
    more = f" and {len(boxes) - most} more" if len(boxes) > most else ""
    return f"{len(boxes)} box{'es' if len(boxes) != 1 else ''}" + (f" {listed}{more}" if len(boxes) else "")


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
    shown = "; ".join(f"image {k + 1}: {caption}" for k, caption in enumerate(list(captions)[:len(images)]))
    alt = f"{len(images)} small image{'s' if len(images) != 1 else ''}{_for(title)}, each captioned: {shown}."
    return _png(fig, alt)


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
    agree = [float(np.mean(np.asarray(truths[r]) == np.asarray(predicted[r]))) for r in range(rows)
             if np.shape(truths[r]) == np.shape(predicted[r])]
    share = "; ".join(f"scene {r + 1}: {100 * a:.0f}% of pixels of the right class" for r, a in enumerate(agree))
    alt = (f"{rows} scene{'s' if rows != 1 else ''}{_for(title)}, each as the image, its true class map and "
           f"yours, one colour per class ({', '.join(class_names)})" + (f"; {share}." if share else "."))
    return _png(fig, alt)


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
