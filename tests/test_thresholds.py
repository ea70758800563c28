"""The pass-mark rule of convlab/dev/thresholds.py (the lowest of at least 30 training seeds minus a
margin, rounded down to 0.01), on the measurements each protocol.py records, and its summary line."""

from __future__ import annotations

import pytest

from convlab.dev.thresholds import MARGIN, MIN_SEEDS, Fit, pass_mark, summary
from graders.a05_keras_cnn import protocol as keras_cnn
from graders.a06_object_detection import protocol as detection
from graders.a07_segmentation import protocol as segmentation

RECORDED = {  # model -> (the 30-seed scores its protocol.py records, the pass mark it grades with)
    "05 shapes": (keras_cnn.MEASURED["shapes"], keras_cnn.THRESHOLDS["shapes"]),
    "05 digits": (keras_cnn.MEASURED["digits"], keras_cnn.THRESHOLDS["digits"]),
    "06 detector": (detection.MEASURED, detection.THRESHOLD),
    "07 U-Net": (segmentation.MEASURED, segmentation.THRESHOLD),
}


@pytest.mark.parametrize("model", RECORDED)
def test_every_recorded_seed_clears_the_pass_mark_with_margin(model):
    scores, threshold = RECORDED[model]
    assert len(scores) >= MIN_SEEDS, f"{model}: {len(scores)} seeds do not show the tail"
    assert threshold == pass_mark(scores), f"{model}: protocol.py holds {threshold}, the rule gives {pass_mark(scores)}"
    assert min(scores) - threshold >= MARGIN - 1e-9, f"{model}: the lowest seed is too close to the pass mark"


@pytest.mark.parametrize(("lowest", "expected"), [
    (0.5, 0.48),  # exactly on a hundredth after the margin: kept (no float round-off below it)
    (0.7381, 0.71),
    (0.02, 0.0),
])
def test_the_pass_mark_is_the_lowest_seed_minus_the_margin_rounded_down(lowest, expected):
    scores = [lowest] + [0.9] * (MIN_SEEDS - 1)
    assert pass_mark(scores) == pytest.approx(expected)


def test_fewer_than_thirty_seeds_set_no_pass_mark():
    with pytest.raises(ValueError, match="at least 30"):
        pass_mark([0.9] * (MIN_SEEDS - 1))


def test_the_summary_states_spread_margin_seeds_below_and_cost():
    scores = [0.95] * 28 + [0.90, 0.70]
    fits = [Fit(s, wall=10.0, cpu=20.0) for s in scores]
    line = summary("detector", fits, "mAP@0.5", 0.8)
    assert "n=30" in line and "min 0.7000" in line and "-> pass mark 0.68" in line
    assert "min - pass mark -0.1000, 1 of 30 seeds below (3%)" in line
    assert "fit 10.0 s wall, 20.0 CPU-s" in line
    assert "one seed: no spread" in summary("detector", fits[:1], "mAP@0.5")
