# function: average_precision
# loses: average_precision_hand_cases
# message: best ground-truth box was already taken
def average_precision(detections, ground_truth, iou_threshold=0.5):
    # The PASCAL VOC devkit's rule: the best box overall; a second hit on it is a false positive.
    gts = [np.asarray(g, dtype=float).reshape(-1, 4) for g in ground_truth]
    npos = sum(len(g) for g in gts)
    if npos == 0:
        return float("nan")
    dets = [(score, i, box) for i, (b, s) in enumerate(detections)
            for box, score in zip(np.asarray(b, dtype=float).reshape(-1, 4), np.ravel(s))]
    if not dets:
        return 0.0
    image_ids = [i for _, i, _ in dets]
    boxes = [box for _, _, box in dets]
    order = np.argsort([-score for score, _, _ in dets], kind="stable")
    detected = [np.zeros(len(g), bool) for g in gts]
    tp = np.zeros(len(order))
    for d, idx in enumerate(order):
        g = gts[image_ids[idx]]
        if not len(g):
            continue
        overlaps = iou_matrix(boxes[idx][None], g)[0]
        jmax = int(np.argmax(overlaps))
        if overlaps[jmax] >= iou_threshold and not detected[image_ids[idx]][jmax]:
            tp[d] = 1
            detected[image_ids[idx]][jmax] = True
    tp = np.cumsum(tp)
    rec = tp / npos
    prec = tp / np.arange(1, len(tp) + 1)
    prec = np.maximum.accumulate(prec[::-1])[::-1]
    return float(np.sum(np.diff(np.concatenate([[0.0], rec])) * prec))
