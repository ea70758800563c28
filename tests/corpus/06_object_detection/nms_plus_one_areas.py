# function: non_max_suppression
# loses: non_max_suppression_indices
# message: '+1' areas
def non_max_suppression(boxes, scores, iou_threshold=0.5, max_outputs=100):
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores = np.asarray(scores, dtype=float).reshape(-1)
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    areas = (x2 - x1 + 1) * (y2 - y1 + 1)  # as in the Fast R-CNN code
    order = np.argsort(-scores, kind="stable")
    keep = []
    for i in order:
        if len(keep) >= max_outputs:
            break
        if keep:
            k = np.array(keep)
            w = np.maximum(0.0, np.minimum(x2[i], x2[k]) - np.maximum(x1[i], x1[k]) + 1)
            h = np.maximum(0.0, np.minimum(y2[i], y2[k]) - np.maximum(y1[i], y1[k]) + 1)
            inter = w * h
            if np.max(inter / (areas[i] + areas[k] - inter)) > iou_threshold:
                continue
        keep.append(int(i))
    return np.array(keep, dtype=np.int64)
