"""Measure the reference's accuracy over training seeds and derive the pass thresholds.

    python -m graders.a05_keras_cnn.measure_thresholds [--seeds 0 1 ... 29]
    convlab thresholds ASSIGNMENT --seeds 30   (the same)

Trains `solutions.keras_cnn` exactly as the notebook does (same data, epochs, thread count), once
per training seed, scores each model on the graders' held-out data and prints
the distribution per task against its pass mark, with the fit's wall-clock and CPU seconds
(convlab/dev/thresholds.py). THRESHOLDS in protocol.py follow its rule: the lowest of 30 seeds minus a
margin, rounded down to 0.01. `convlab thresholds 05_keras_cnn --seeds 30` runs it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlab.dev import thresholds
from graders.a05_keras_cnn import protocol as p
from graders.datasets import shapes_module


def main(argv: list[str] | None = None) -> int:
    args = thresholds.seeds_parser(__doc__).parse_args(argv)
    thresholds.tensorflow_as_notebook(p.THREADS)
    from solutions import keras_cnn as ref

    def run(x: np.ndarray, y: np.ndarray, x_test: np.ndarray, y_test: np.ndarray, n_classes: int,
            epochs: int) -> Callable[[], thresholds.Fit]:
        def fit() -> thresholds.Fit:
            model = ref.build_cnn(x.shape[1:], n_classes)
            _, wall, cpu = thresholds.timed(lambda: ref.train(model, x, y, epochs=epochs))
            return thresholds.Fit(float((ref.predict_classes(model, x_test) == y_test).mean()), wall, cpu)
        return fit

    shapes = shapes_module().make_shapes(p.SHAPES_TRAIN_SIZE, seed=p.SHAPES_TRAIN_SEED)
    x_dtrain, y_dtrain, x_dtest, y_dtest = p.digits_split()
    fits = thresholds.measure(args.seeds, {
        "shapes": run(shapes.images, shapes.labels, *p.shapes_grader_set(), 3, p.SHAPES_EPOCHS),
        "digits": run(x_dtrain, y_dtrain, x_dtest, y_dtest, 10, p.DIGITS_EPOCHS),
    }, "accuracy")
    for task, task_fits in fits.items():
        print(thresholds.summary(task, task_fits, "accuracy", p.THRESHOLDS[task]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
