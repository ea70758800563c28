"""Measure the reference detector's mAP over training seeds and derive the pass threshold.

    python -m graders.a06_object_detection.measure_thresholds [--seeds 0 1 ... 29]
    convlab thresholds ASSIGNMENT --seeds 30   (the same)

Trains `solutions.detection` exactly as the notebook's read-only cell does (same scenes, anchors,
targets, schedule, epochs and thread count), once per training seed, scores each model on the
graders' unseen scenes as the grader does, and prints the distribution against the pass mark, with
the fit's wall-clock and CPU seconds and the load average (convlab/dev/thresholds.py). THRESHOLD in
protocol.py follows its rule: the lowest of 30 seeds minus a margin, rounded down to 0.01.
`convlab thresholds 06_object_detection --seeds 30` runs it.
"""

from __future__ import annotations

import numpy as np

from convlab.dev import thresholds
from graders.a06_object_detection import protocol as p
from graders.datasets import shapes_module


def main(argv: list[str] | None = None) -> int:
    args = thresholds.seeds_parser(__doc__).parse_args(argv)
    thresholds.tensorflow_as_notebook(p.THREADS)
    import keras

    from solutions import detection as ref

    scenes = shapes_module().make_scenes(p.TRAIN_SIZE, seed=p.TRAIN_SEED)
    wh = np.concatenate([b[:, 2:] - b[:, :2] for b in scenes.boxes]).astype(float)
    anchors = ref.kmeans_anchors(wh, p.N_ANCHORS, seed=p.ANCHOR_SEED)
    targets = np.stack([ref.encode_targets(b, lab, anchors, p.GRID, p.IMAGE_SIZE, p.N_CLASSES)
                        for b, lab in zip(scenes.boxes, scenes.labels, strict=True)])
    images, boxes, labels = p.grader_scenes()
    steps = p.EPOCHS * -(-p.TRAIN_SIZE // p.BATCH_SIZE)
    print(f"anchors {anchors.round(2).tolist()}", flush=True)

    def fit() -> thresholds.Fit:
        model = ref.build_detector(scenes.images.shape[1:], p.GRID, p.N_ANCHORS, p.N_CLASSES)
        schedule = keras.optimizers.schedules.CosineDecay(p.LEARNING_RATE / 10, steps - steps // 10,
                                                          warmup_target=p.LEARNING_RATE, warmup_steps=steps // 10)
        model.compile(optimizer=keras.optimizers.Adam(schedule), loss=ref.detection_loss)
        history, wall, cpu = thresholds.timed(lambda: model.fit(scenes.images, targets, epochs=p.EPOCHS,
                                                                batch_size=p.BATCH_SIZE, verbose=0))
        outputs = model.predict(images, verbose=0, batch_size=200)
        score = p.detector_map(outputs.astype(np.float64), anchors, boxes, labels)
        return thresholds.Fit(score, wall, cpu, f"final loss {history.history['loss'][-1]:.3f}")

    fits = thresholds.measure(args.seeds, {"detector": fit}, "mAP@0.5")
    print(thresholds.summary("detector", fits["detector"], "mAP@0.5", p.THRESHOLD))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
