"""Failure pictures (convlab/checking/pictures.py): drawn once per check, titled panels, data kept intact."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from convlab.checking.checks import CheckFailure
from convlab.checking.pictures import (
    PicturedFailure,
    image_panels,
    with_boxes,
    with_gallery,
    with_picture,
    with_signals,
    worst_slice,
)


def _size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def test_image_failure_keeps_its_message_and_mistake_and_draws_three_panels():
    expected = np.add.outer(np.arange(20.0), np.arange(30.0))
    got = expected.copy()
    got[5:8, 10:12] += 7
    failure = with_picture(CheckFailure("3 of 600 values differ", mistake_id="no_flip"), expected, got,
                           title="conv2d(image 20x30, kernel 3x3)")
    assert isinstance(failure, PicturedFailure)
    assert str(failure) == "3 of 600 values differ" and failure.mistake_id == "no_flip"
    [png] = failure.images
    width, height = _size(png)
    assert width > 2.5 * height, "three panels side by side"
    assert failure.images[0] is png, "drawn once, then reused"


def test_no_picture_when_the_results_cannot_be_compared():
    expected = np.zeros((4, 5))
    assert with_picture(CheckFailure("shape"), expected, np.zeros((3, 5))).images == []
    assert with_picture(CheckFailure("nan"), expected, np.full((4, 5), np.nan)).images == []
    assert with_picture(CheckFailure("str"), expected, "oops").images == []
    assert image_panels(np.zeros(4), np.zeros(4)) is None, "1D results are signals, not images"


def test_worst_slice_picks_the_image_and_channel_with_the_largest_error():
    expected = np.zeros((3, 4, 5, 2))
    got = expected.copy()
    got[2, 1, 1, 1] = 9.0
    exp2, got2, where = worst_slice(expected, got)
    assert got2[1, 1] == 9.0 and exp2.shape == (4, 5) and where == "image 2, channel 1"


def test_signals_boxes_and_gallery_draw_pngs():
    signal = with_signals(CheckFailure("x"), np.arange(6.0), np.arange(6.0)[::-1], title="conv1d(...)")
    boxes = with_boxes(CheckFailure("x"), np.zeros((40, 60)), [[5, 5, 20, 30]], [[6, 4, 25, 30], [1, 1, 3, 3]])
    shown = with_gallery(CheckFailure("x"), [np.ones((8, 8, 1))] * 2, ["expected 1, yours 2"] * 2)
    for failure in (signal, boxes, shown):
        [png] = failure.images
        assert png.startswith(b"\x89PNG") and min(_size(png)) > 50
