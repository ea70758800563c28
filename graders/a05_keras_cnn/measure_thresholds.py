"""Measure the reference's accuracy over training seeds and derive the pass thresholds.

    python -m convlab.a05_keras_cnn.measure_thresholds [--seeds 0 1 2 3 4]

Trains `solutions.keras_cnn` exactly as the notebook does (same data, epochs, thread count), once
per training seed, scores each model on the graders' held-out data and prints mean, sd and
mean - 3 sd per task, plus the fit time. THRESHOLDS in protocol.py are mean - 3 sd rounded down to 0.01.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# As the notebook's setup cell: oneDNN off (TF 2.21 miscomputes some strided convolutions with it).
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    args = parser.parse_args(argv)

    import keras
    import tensorflow as tf

    from graders.a05_keras_cnn import protocol as p
    from solutions import keras_cnn as ref

    tf.config.threading.set_intra_op_parallelism_threads(p.THREADS[0])
    tf.config.threading.set_inter_op_parallelism_threads(p.THREADS[1])
    shapes = p.shapes_module().make_shapes(p.SHAPES_TRAIN_SIZE, seed=p.SHAPES_TRAIN_SEED)
    x_shapes, y_shapes = p.shapes_grader_set()
    x_dtrain, y_dtrain, x_dtest, y_dtest = p.digits_split()
    results: dict[str, list[float]] = {"shapes": [], "digits": []}
    seconds: dict[str, list[float]] = {"shapes": [], "digits": []}
    for seed in args.seeds:
        for task, (x, y, xt, yt, n, epochs) in {
            "shapes": (shapes.images, shapes.labels, x_shapes, y_shapes, 3, p.SHAPES_EPOCHS),
            "digits": (x_dtrain, y_dtrain, x_dtest, y_dtest, 10, p.DIGITS_EPOCHS),
        }.items():
            keras.utils.set_random_seed(seed)
            model = ref.build_cnn(x.shape[1:], n)
            start = time.perf_counter()
            ref.train(model, x, y, epochs=epochs)
            seconds[task].append(time.perf_counter() - start)
            accuracy = float((ref.predict_classes(model, xt) == yt).mean())
            results[task].append(accuracy)
            print(f"seed {seed} {task:6s} accuracy {accuracy:.4f}  fit {seconds[task][-1]:.1f} s", flush=True)
    for task, values in results.items():
        mean, sd = statistics.mean(values), statistics.stdev(values)
        print(f"{task:6s} n={len(values)} mean {mean:.4f} sd {sd:.4f} mean-3sd {mean - 3 * sd:.4f} "
              f"min {min(values):.4f}  fit {statistics.mean(seconds[task]):.1f} s "
              f"(threshold in protocol.py: {p.THRESHOLDS[task]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
