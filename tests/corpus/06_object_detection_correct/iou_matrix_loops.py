# function: iou_matrix
# loses:
# message:
def iou_matrix(boxes_a, boxes_b):
    a = [list(map(float, b)) for b in boxes_a]
    b = [list(map(float, x)) for x in boxes_b]
    out = np.zeros((len(a), len(b)))
    for i, (ax1, ay1, ax2, ay2) in enumerate(a):
        for j, (bx1, by1, bx2, by2) in enumerate(b):
            iw = max(0.0, min(ax2, bx2) - max(ax1, bx1))
            ih = max(0.0, min(ay2, by2) - max(ay1, by1))
            union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - iw * ih
            out[i, j] = iw * ih / union if union > 0 else 0.0
    return out
