# function: average_precision
# loses: average_precision_random
# message: sorted image by image
def average_precision(detections, ground_truth, iou_threshold=0.5):
    hits, n_truth = [], 0
    for (boxes, scores), truth in zip(detections, ground_truth):
        truth = np.asarray(truth, dtype=float).reshape(-1, 4)
        n_truth += len(truth)
        boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        taken = np.zeros(len(truth), dtype=bool)
        for k in np.argsort(-np.ravel(scores), kind="stable"):  # this image's best detections first
            ious = np.where(taken, -1.0, iou_matrix(boxes[k:k + 1], truth)[0]) if len(truth) else np.zeros(1)
            best = int(np.argmax(ious))
            hits.append(int(ious[best] >= iou_threshold))
            if hits[-1]:
                taken[best] = True
    if n_truth == 0:
        return float("nan")
    if not hits:
        return 0.0
    tp = np.cumsum(hits)
    precision = np.maximum.accumulate((tp / np.arange(1, len(hits) + 1))[::-1])[::-1]
    return float(np.sum(np.diff(np.concatenate([[0.0], tp / n_truth])) * precision))
