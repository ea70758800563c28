"""Pass marks of the checks that grade a trained model: the reference's whole distribution over seeds.

05, 06 and 07 grade a model the student's notebook trains against a pass mark (their protocol.py).
Training is bit-for-bit repeatable only for one seed on one kind of CPU: another instruction set
gives another trajectory, so the notebook's fixed seed is a random draw per grading machine and a
training seed stands in for a machine. The pass mark is therefore set below the *lowest* score of
at least MIN_SEEDS seeds, by MARGIN, rounded down to 0.01 (`pass_mark`): the whole measured
distribution clears it, not only its mean. A spread-based rule (mean - 3 sd of 5 seeds) missed the
tail: on another CPU a correct U-Net landed 0.15 below it.

Each assignment has a `measure_thresholds` script that says how to train and score one reference
model; this module does the rest the same way for all three: TensorFlow configured as the
notebooks' setup cell, one fit per seed after `keras.utils.set_random_seed(seed)`, wall-clock and
CPU seconds of each fit with the load average (other processes share the CPU), the CPU model, and
the summary (`convlab thresholds ASSIGNMENT --seeds N` runs it).
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

DEFAULT_SEEDS = tuple(range(30))
MIN_SEEDS = 30  # fewer seeds do not show the tail of the distribution
MARGIN = 0.02  # between the lowest measured score and the pass mark


def seeds_parser(doc: str) -> argparse.ArgumentParser:
    """A parser with `--seeds` (the training seeds), described by the first line of `doc`."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS),
                        help="training seeds, one fit each (default: 0 to 29)")
    return parser


def cpu_model() -> str:
    """The CPU's model name and its widest vector instructions (they decide the trajectory)."""
    name, flags = "unknown CPU", set()
    try:
        for line in open("/proc/cpuinfo"):
            key, _, value = line.partition(":")
            if key.strip() == "model name" and name == "unknown CPU":
                name = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    except OSError:
        pass
    vector = next((f for f in ("avx512f", "avx2", "avx", "sse4_2") if f in flags), "")
    return f"{name} ({vector}, {os.cpu_count()} CPUs)" if vector else f"{name} ({os.cpu_count()} CPUs)"


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
    print(header(metric), flush=True)
    for seed in seeds:
        for name, run in runs.items():
            keras.utils.set_random_seed(seed)
            fit = run()
            fits[name].append(fit)
            detail = f"  {fit.detail}" if fit.detail else ""
            print(f"seed {seed} {name} {metric} {fit.score:.4f}{detail}  fit {fit.wall:.1f} s wall, "
                  f"{fit.cpu:.1f} CPU-s  load {os.getloadavg()[0]:.2f}", flush=True)
    return fits


def pass_mark(scores: Sequence[float]) -> float:
    """The lowest of `scores` minus MARGIN, rounded down to 0.01 (the rule the protocols follow).

    Raises ValueError with fewer than MIN_SEEDS scores: five seeds did not show the tail."""
    if len(scores) < MIN_SEEDS:
        raise ValueError(f"a pass mark needs at least {MIN_SEEDS} training seeds, got {len(scores)}")
    return math.floor(round((min(scores) - MARGIN) * 100, 6)) / 100


def summary(name: str, fits: Sequence[Fit], metric: str, threshold: float | None = None) -> str:
    """The distribution of one model over seeds: mean, sd, lowest score, the pass mark the rule gives
    (with enough seeds), the pass mark protocol.py holds with min - pass mark and the seeds below
    it, and the mean fit cost."""
    scores = [f.score for f in fits]
    cost = (f"fit {statistics.mean(f.wall for f in fits):.1f} s wall, "
            f"{statistics.mean(f.cpu for f in fits):.1f} CPU-s")
    if len(scores) < 2:
        spread = f"{scores[0]:.4f} (one seed: no spread)"
    else:
        spread = f"mean {statistics.mean(scores):.4f} sd {statistics.stdev(scores):.4f} min {min(scores):.4f}"
        if len(scores) >= MIN_SEEDS:
            spread += f" -> pass mark {pass_mark(scores):.2f}"
    held = ""
    if threshold is not None:
        below = sum(s < threshold for s in scores)
        held = (f"; protocol.py pass mark {threshold:.2f}: min - pass mark {min(scores) - threshold:+.4f}, "
                f"{below} of {len(scores)} seeds below ({below / len(scores):.0%})")
    return f"{name} {metric} n={len(scores)} {spread}{held}  {cost}"


def header(metric: str) -> str:
    """The first line of a measurement: the machine it ran on (a seed stands in for a machine)."""
    return f"{metric} of the reference over training seeds on {cpu_model()}"
