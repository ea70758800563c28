# function: wh_iou
# loses:
# message:
def wh_iou(wh, anchors):
    # A small epsilon in the denominator, as in many YOLO codebases.
    wh = np.asarray(wh, dtype=float).reshape(-1, 1, 2)
    anchors = np.asarray(anchors, dtype=float).reshape(1, -1, 2)
    inter = np.prod(np.minimum(wh, anchors), axis=2)
    return inter / (np.prod(wh, axis=2) + np.prod(anchors, axis=2) - inter + 1e-7)
