"""Measure the reference detector's mAP over training seeds and derive the pass threshold.

    python -m graders.a06_object_detection.measure_thresholds [--seeds 0 1 2 3 4]

Trains `solutions.detection` exactly as the notebook's read-only cell does (same scenes, anchors,
targets, schedule, epochs and thread count), once per training seed, scores each model on the
graders' unseen scenes as the grader does, and prints mean, sd and mean - 3 sd, with the fit's
wall-clock and CPU seconds and the load average (other processes share the CPU). THRESHOLD in
protocol.py is mean - 3 sd rounded down to 0.01.
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
    import numpy as np
    import tensorflow as tf

    from graders.a06_object_detection import protocol as p
    from solutions import detection as ref

    tf.config.threading.set_intra_op_parallelism_threads(p.THREADS[0])
    tf.config.threading.set_inter_op_parallelism_threads(p.THREADS[1])
    scenes = p.shapes_module().make_scenes(p.TRAIN_SIZE, seed=p.TRAIN_SEED)
    wh = np.concatenate([b[:, 2:] - b[:, :2] for b in scenes.boxes]).astype(float)
    anchors = ref.kmeans_anchors(wh, p.N_ANCHORS, seed=p.ANCHOR_SEED)
    targets = np.stack([ref.encode_targets(b, lab, anchors, p.GRID, p.IMAGE_SIZE, p.N_CLASSES)
                        for b, lab in zip(scenes.boxes, scenes.labels, strict=True)])
    images, boxes, labels = p.grader_scenes()
    steps = p.EPOCHS * -(-p.TRAIN_SIZE // p.BATCH_SIZE)
    print(f"anchors {anchors.round(2).tolist()}  load average {os.getloadavg()}", flush=True)
    values, walls, cpus = [], [], []
    for seed in args.seeds:
        keras.utils.set_random_seed(seed)
        model = ref.build_detector(scenes.images.shape[1:], p.GRID, p.N_ANCHORS, p.N_CLASSES)
        schedule = keras.optimizers.schedules.CosineDecay(p.LEARNING_RATE / 10, steps - steps // 10,
                                                          warmup_target=p.LEARNING_RATE, warmup_steps=steps // 10)
        model.compile(optimizer=keras.optimizers.Adam(schedule), loss=ref.detection_loss)
        wall, cpu = time.perf_counter(), time.process_time()
        history = model.fit(scenes.images, targets, epochs=p.EPOCHS, batch_size=p.BATCH_SIZE, verbose=0)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        outputs = model.predict(images, verbose=0, batch_size=200)
        values.append(p.detector_map(outputs.astype(np.float64), anchors, boxes, labels))
        print(f"seed {seed} mAP@0.5 {values[-1]:.4f}  final loss {history.history['loss'][-1]:.3f}  "
              f"fit {walls[-1]:.1f} s wall, {cpus[-1]:.1f} s CPU  load average {os.getloadavg()[0]:.2f}", flush=True)
    if len(values) < 2:
        return 0
    mean, sd = statistics.mean(values), statistics.stdev(values)
    print(f"mAP@0.5 n={len(values)} mean {mean:.4f} sd {sd:.4f} mean-3sd {mean - 3 * sd:.4f} min {min(values):.4f}  "
          f"fit {statistics.mean(walls):.1f} s wall, {statistics.mean(cpus):.1f} s CPU "
          f"(threshold in protocol.py: {p.THRESHOLD})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
