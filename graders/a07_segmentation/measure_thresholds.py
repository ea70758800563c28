"""Measure the reference U-Net's mean IoU over training seeds and derive the pass threshold.

    python -m graders.a07_segmentation.measure_thresholds [--seeds 0 1 ... 29]
    convlab thresholds ASSIGNMENT --seeds 30   (the same)

Trains `solutions.segmentation.build_unet` with and without skips exactly as the notebook's
read-only cell does (same scenes, batch size, optimiser, learning rate and number of steps, same
thread count), once per training seed, scores each model on the graders' held-out scenes (one
confusion matrix over all their pixels) and prints the distribution against the pass mark, the
all-background score, and the CPU and wall-clock seconds of each fit (convlab/dev/thresholds.py).
THRESHOLD in protocol.py follows its rule (the lowest of 30 seeds minus a margin). The options
change the protocol for exploring only.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

import numpy as np

from convlab.dev import thresholds
from graders.a07_segmentation import protocol as p
from graders.datasets import shapes_module


def main(argv: list[str] | None = None) -> int:
    parser = thresholds.seeds_parser(__doc__)
    parser.add_argument("--scenes", type=int, default=p.TRAIN_SCENES)
    parser.add_argument("--epochs", type=int, default=p.EPOCHS)
    parser.add_argument("--batch", type=int, default=p.BATCH_SIZE)
    parser.add_argument("--lr", type=float, default=p.LEARNING_RATE)
    parser.add_argument("--depth", type=int, default=p.DEPTH)
    parser.add_argument("--size", type=int, default=p.IMAGE_SIZE)
    parser.add_argument("--base", type=int, default=p.BASE_FILTERS)
    parser.add_argument("--skips-only", action="store_true",
                        help="train only the U-Net with skips (the one the pass mark grades): half the time")
    args = parser.parse_args(argv)
    thresholds.tensorflow_as_notebook(p.THREADS)
    import keras

    from solutions import segmentation as ref

    scenes = shapes_module().make_scenes(args.scenes, seed=p.TRAIN_SEED, size=args.size,
                                           max_objects=p.MAX_OBJECTS)
    test = shapes_module().make_scenes(p.GRADER_SCENES, seed=p.GRADER_SEED, size=args.size,
                                         max_objects=p.MAX_OBJECTS)
    x_test, y_test = test.images, test.masks
    background = ref.mean_iou(y_test, np.zeros_like(y_test), p.N_CLASSES)
    steps = -(-args.scenes // args.batch) * args.epochs
    print(f"protocol: {args.scenes} scenes {args.size}x{args.size}, batch {args.batch}, Adam {args.lr:g}, "
          f"{args.epochs} epochs = {steps} steps; depth {args.depth}, base {args.base}; "
          f"scored on {len(x_test)} scenes; all-background mean IoU {background:.4f}", flush=True)

    def run(skips: bool) -> Callable[[], thresholds.Fit]:
        def fit() -> thresholds.Fit:
            model = ref.build_unet(scenes.images.shape[1:], p.N_CLASSES, args.depth, args.base, skips=skips)
            model.compile(optimizer=keras.optimizers.Adam(args.lr), loss="sparse_categorical_crossentropy")
            _, wall, cpu = thresholds.timed(lambda: model.fit(scenes.images, scenes.masks, batch_size=args.batch,
                                                              epochs=args.epochs, verbose=0))
            predicted = np.argmax(model.predict(x_test, batch_size=50, verbose=0), axis=-1)
            per_class = " ".join(f"{v:.2f}" for v in ref.iou_per_class(y_test, predicted, p.N_CLASSES))
            return thresholds.Fit(ref.mean_iou(y_test, predicted, p.N_CLASSES), wall, cpu, f"({per_class})")
        return fit

    runs = {"skips=True": run(True)} if args.skips_only else {"skips=True": run(True), "skips=False": run(False)}
    fits = thresholds.measure(args.seeds, runs, "mean IoU")
    print(thresholds.summary("skips=True", fits["skips=True"], "mean IoU", p.THRESHOLD))
    if not args.skips_only:
        print(thresholds.summary("skips=False", fits["skips=False"], "mean IoU"))

    def both(kind: str) -> float:
        return sum(statistics.mean(getattr(f, kind) for f in model_fits) for model_fits in fits.values())
    print(f"both fits: {both('wall'):.1f} s wall, {both('cpu'):.1f} CPU-s; all-background {background:.4f} "
          f"(+0.1 = {background + 0.1:.4f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
