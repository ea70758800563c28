"""Pass thresholds of the checks that grade a trained model: the reference's spread over training seeds.

05, 06 and 07 grade a model the student's notebook trains against a threshold (their protocol.py)
set to mean - 3 sd of the reference's score over training seeds, rounded down to 0.01. Each of
them has a `measure_thresholds` script that says how to train and score one reference model; this
module does the rest the same way for all three: TensorFlow configured as the notebooks' setup
cell, one fit per seed after `keras.utils.set_random_seed(seed)`, wall-clock and CPU seconds of
each fit with the load average (other processes share the CPU), and the summary.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

DEFAULT_SEEDS = (0, 1, 2, 3, 4)


def seeds_parser(doc: str) -> argparse.ArgumentParser:
    """A parser with `--seeds` (the training seeds), described by the first line of `doc`."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS),
                        help="training seeds, one fit each (default: %(default)s)")
    return parser


def tensorflow_as_notebook(threads: tuple[int, int]) -> None:
    """Set TensorFlow up as the notebooks' setup cell does: oneDNN off, `threads` = (intra-op,
    inter-op). Call before anything imports TensorFlow (the environment is read at import)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # TF 2.21's oneDNN kernels miscompute some strided convolutions (see convlab/settings.py).
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads[0])
    tf.config.threading.set_inter_op_parallelism_threads(threads[1])


@dataclass(frozen=True)
class Fit:
    """One trained reference model: its score on the graders' data and what the fit cost."""

    score: float
    wall: float  # seconds of the fit, wall-clock
    cpu: float  # CPU-seconds of the fit (both cores count)
    detail: str = ""  # printed with the seed's line, e.g. the final loss or the per-class IoU


def timed(fit: Callable[[], Any]) -> tuple[Any, float, float]:
    """(what `fit()` returns, wall-clock seconds, CPU-seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fit()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def measure(seeds: Sequence[int], runs: dict[str, Callable[[], Fit]], metric: str) -> dict[str, list[Fit]]:
    """Every run (name -> train and score one model) once per seed, the seed set just before it as
    the notebook does before its training; prints a line per fit as it ends."""
    import keras

    fits: dict[str, list[Fit]] = {name: [] for name in runs}
    for seed in seeds:
        for name, run in runs.items():
            keras.utils.set_random_seed(seed)
            fit = run()
            fits[name].append(fit)
            detail = f"  {fit.detail}" if fit.detail else ""
            print(f"seed {seed} {name} {metric} {fit.score:.4f}{detail}  fit {fit.wall:.1f} s wall, "
                  f"{fit.cpu:.1f} CPU-s  load {os.getloadavg()[0]:.2f}", flush=True)
    return fits


def suggested_threshold(scores: Sequence[float]) -> float:
    """mean - 3 sd of `scores`, rounded down to 0.01 (the rule the protocols' thresholds follow)."""
    mean, sd = statistics.mean(scores), statistics.stdev(scores)
    return math.floor(round((mean - 3 * sd) * 100, 6)) / 100


def summary(name: str, fits: Sequence[Fit], metric: str, threshold: float | None = None) -> str:
    """One line: mean, sd, mean - 3 sd and the threshold it suggests, the lowest score, the mean fit
    cost, and the threshold protocol.py holds (None: this run sets no threshold)."""
    scores = [f.score for f in fits]
    cost = (f"fit {statistics.mean(f.wall for f in fits):.1f} s wall, "
            f"{statistics.mean(f.cpu for f in fits):.1f} CPU-s")
    if len(scores) < 2:
        spread = f"{scores[0]:.4f} (one seed: no spread)"
    else:
        mean, sd = statistics.mean(scores), statistics.stdev(scores)
        spread = (f"mean {mean:.4f} sd {sd:.4f} mean-3sd {mean - 3 * sd:.4f} -> {suggested_threshold(scores):.2f} "
                  f"min {min(scores):.4f}")
    held = "" if threshold is None else f" (threshold in protocol.py: {threshold})"
    return f"{name} {metric} n={len(scores)} {spread}  {cost}{held}"
