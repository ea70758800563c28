# function: best_anchor
# loses: best_anchor_index
# message: argmin
def best_anchor(wh, anchors):
    return np.argmin(wh_iou(wh, anchors), axis=1).astype(np.int64)
