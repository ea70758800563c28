"""The threshold rule of convlab/dev/thresholds.py (mean - 3 sd over training seeds, rounded down to
0.01), on the measurements recorded in 06's protocol.py, and its summary line."""

from __future__ import annotations

import pytest

from convlab.dev.thresholds import Fit, suggested_threshold, summary
from graders.a06_object_detection import protocol as detection

# 06's five measured mAPs (protocol.py: mean 0.9637, sd 0.0121 -> 0.9274 -> THRESHOLD 0.92).
MEASURED_06 = [0.9740, 0.9724, 0.9695, 0.9565, 0.9459]


def test_the_recorded_measurements_give_the_protocol_threshold():
    assert suggested_threshold(MEASURED_06) == detection.THRESHOLD


@pytest.mark.parametrize(("scores", "expected"), [
    ([0.50, 0.50], 0.50),  # exactly on a hundredth: kept (no float round-off below it)
    ([0.70, 0.72], 0.66),  # mean 0.71, sd 0.01414 -> 0.6676
    ([0.2, 0.3, 0.4], 0.0),  # mean - 3 sd is -5.6e-17 in floats: not rounded down to -0.01
])
def test_the_threshold_is_mean_minus_three_sd_rounded_down(scores, expected):
    assert suggested_threshold(scores) == pytest.approx(expected)


def test_the_summary_states_spread_cost_and_the_protocol_value():
    fits = [Fit(s, wall=10.0 + i, cpu=20.0) for i, s in enumerate(MEASURED_06)]
    line = summary("detector", fits, "mAP@0.5", detection.THRESHOLD)
    assert line == ("detector mAP@0.5 n=5 mean 0.9637 sd 0.0121 mean-3sd 0.9274 -> 0.92 min 0.9459  "
                    "fit 12.0 s wall, 20.0 CPU-s (threshold in protocol.py: 0.92)")
    assert "one seed: no spread" in summary("detector", fits[:1], "mAP@0.5")
