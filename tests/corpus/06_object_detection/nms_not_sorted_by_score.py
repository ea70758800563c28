# function: non_max_suppression
# loses: non_max_suppression_indices non_max_suppression_no_tensorflow
# message: by score
def non_max_suppression(boxes, scores, iou_threshold=0.5, max_outputs=100):
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores = np.asarray(scores, dtype=float)
    order = range(len(scores))
    keep = []
    for idx in order:
        if len(keep) == max_outputs:
            break
        if keep and iou_matrix(boxes[[idx]], boxes[keep]).max() > iou_threshold:
            continue
        keep.append(idx)
    return np.array(keep, dtype=np.int64)
