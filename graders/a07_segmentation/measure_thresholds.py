"""Measure the reference U-Net's mean IoU over training seeds and derive the pass threshold.

    python -m convlab.a07_segmentation.measure_thresholds [--seeds 0 1 2 3 4]

Trains `solutions.segmentation.build_unet` with and without skips exactly as the notebook's
read-only cell does (same scenes, batch size, optimiser, learning rate and number of steps, same
thread count), once per training seed, scores each model on the graders' held-out scenes (one
confusion matrix over all their pixels) and prints mean, sd and mean - 3 sd, the all-background
score, and the CPU and wall-clock seconds of each fit. THRESHOLD in protocol.py is mean - 3 sd of
the U-Net with skips, rounded down to 0.01. The options change the protocol for exploring only.
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
    from graders.a07_segmentation import protocol as p

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--scenes", type=int, default=p.TRAIN_SCENES)
    parser.add_argument("--epochs", type=int, default=p.EPOCHS)
    parser.add_argument("--batch", type=int, default=p.BATCH_SIZE)
    parser.add_argument("--lr", type=float, default=p.LEARNING_RATE)
    parser.add_argument("--depth", type=int, default=p.DEPTH)
    parser.add_argument("--size", type=int, default=p.IMAGE_SIZE)
    parser.add_argument("--base", type=int, default=p.BASE_FILTERS)
    args = parser.parse_args(argv)

    import keras
    import numpy as np
    import tensorflow as tf

    from solutions import segmentation as ref

    tf.config.threading.set_intra_op_parallelism_threads(p.THREADS[0])
    tf.config.threading.set_inter_op_parallelism_threads(p.THREADS[1])
    scenes = p.shapes_module().make_scenes(args.scenes, seed=p.TRAIN_SEED, size=args.size,
                                           max_objects=p.MAX_OBJECTS)
    test = p.shapes_module().make_scenes(p.GRADER_SCENES, seed=p.GRADER_SEED, size=args.size,
                                         max_objects=p.MAX_OBJECTS)
    x_test, y_test = test.images, test.masks
    background = ref.mean_iou(y_test, np.zeros_like(y_test), p.N_CLASSES)
    steps = -(-args.scenes // args.batch) * args.epochs
    print(f"protocol: {args.scenes} scenes {args.size}x{args.size}, batch {args.batch}, Adam {args.lr:g}, "
          f"{args.epochs} epochs = {steps} steps; depth {args.depth}, base {args.base}; "
          f"scored on {len(x_test)} scenes; all-background mean IoU {background:.4f}", flush=True)
    results: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    wall: dict[bool, list[float]] = {True: [], False: []}
    for seed in args.seeds:
        for skips in (True, False):
            keras.utils.set_random_seed(seed)
            model = ref.build_unet(scenes.images.shape[1:], p.N_CLASSES, args.depth, args.base, skips=skips)
            model.compile(optimizer=keras.optimizers.Adam(args.lr), loss="sparse_categorical_crossentropy")
            start, start_cpu = time.perf_counter(), time.process_time()
            model.fit(scenes.images, scenes.masks, batch_size=args.batch, epochs=args.epochs, verbose=0)
            cpu[skips].append(time.process_time() - start_cpu)
            wall[skips].append(time.perf_counter() - start)
            predicted = np.argmax(model.predict(x_test, batch_size=50, verbose=0), axis=-1)
            results[skips].append(ref.mean_iou(y_test, predicted, p.N_CLASSES))
            per_class = " ".join(f"{v:.2f}" for v in ref.iou_per_class(y_test, predicted, p.N_CLASSES))
            print(f"seed {seed} skips={skips!s:5} mean IoU {results[skips][-1]:.4f} ({per_class})  "
                  f"fit {wall[skips][-1]:.1f} s "
                  f"wall, {cpu[skips][-1]:.1f} CPU-s  load {os.getloadavg()[0]:.2f}", flush=True)
    for skips, values in results.items():
        mean, sd = statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0
        print(f"skips={skips!s:5} n={len(values)} mean {mean:.4f} sd {sd:.4f} mean-3sd {mean - 3 * sd:.4f} "
              f"min {min(values):.4f}  fit {statistics.mean(wall[skips]):.1f} s wall, "
              f"{statistics.mean(cpu[skips]):.1f} CPU-s")
    print(f"both fits: {statistics.mean(wall[True]) + statistics.mean(wall[False]):.1f} s wall, "
          f"{statistics.mean(cpu[True]) + statistics.mean(cpu[False]):.1f} CPU-s; all-background {background:.4f} "
          f"(+0.1 = {background + 0.1:.4f}); threshold in protocol.py: {p.THRESHOLD}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
