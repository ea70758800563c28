# function: average_precision
# loses: average_precision_hand_cases average_precision_random
# message: matched by two detections
def average_precision(detections, ground_truth, iou_threshold=0.5):
    truths = [np.asarray(g, dtype=float).reshape(-1, 4) for g in ground_truth]
    n_truth = sum(len(g) for g in truths)
    if n_truth == 0:
        return float("nan")
    found = []
    for image, (boxes, scores) in enumerate(detections):
        boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        for k, score in enumerate(np.asarray(scores, dtype=float).ravel()):
            found.append((score, image, boxes[k]))
    if not found:
        return 0.0
    found = [found[k] for k in np.argsort([-f[0] for f in found], kind="stable")]
    used = [np.zeros(len(g), bool) for g in truths]
    tp = []
    for _, image, box in found:
        hit = False
        if len(truths[image]):
            ious = iou_matrix(box[None], truths[image])[0]
            best = int(np.argmax(ious))
            if ious[best] >= iou_threshold:
                hit = True
        tp.append(hit)
    tp = np.cumsum(tp)
    precision = tp / np.arange(1, len(tp) + 1)
    recall = tp / n_truth
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(np.concatenate([[0.0], recall])) * envelope))
