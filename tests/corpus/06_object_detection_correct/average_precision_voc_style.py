# function: average_precision
# loses:
# message:
def average_precision(detections, ground_truth, iou_threshold=0.5):
    npos = sum(len(np.reshape(g, (-1, 4))) for g in ground_truth)
    if npos == 0:
        return float("nan")
    image_ids, confidence, dets = [], [], []
    for i, (b, s) in enumerate(detections):
        for box, score in zip(np.reshape(np.asarray(b, float), (-1, 4)), np.ravel(s)):
            image_ids.append(i)
            confidence.append(score)
            dets.append(box)
    if not dets:
        return 0.0
    order = np.argsort(-np.array(confidence), kind="mergesort")
    taken = {i: np.zeros(len(np.reshape(g, (-1, 4))), bool) for i, g in enumerate(ground_truth)}
    tp, fp = np.zeros(len(order)), np.zeros(len(order))
    for d, idx in enumerate(order):
        gts = np.reshape(np.asarray(ground_truth[image_ids[idx]], float), (-1, 4))
        ovmax, jmax = -np.inf, -1
        for j, g in enumerate(gts):
            if taken[image_ids[idx]][j]:
                continue
            ov = iou_matrix([dets[idx]], [g])[0, 0]
            if ov > ovmax:
                ovmax, jmax = ov, j
        if jmax >= 0 and ovmax >= iou_threshold:
            tp[d] = 1
            taken[image_ids[idx]][jmax] = True
        else:
            fp[d] = 1
    tp, fp = np.cumsum(tp), np.cumsum(fp)
    rec, prec = tp / npos, tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))
