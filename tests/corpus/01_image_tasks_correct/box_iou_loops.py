# function: box_iou
# loses:
# message:
def box_iou(a, b):
    a = np.asarray(a, dtype=float).reshape(-1, 4)
    b = np.asarray(b, dtype=float).reshape(-1, 4)

    def area(box):
        return max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0)

    out = np.zeros((len(a), len(b)))
    for i, p in enumerate(a):
        for j, q in enumerate(b):
            iw = min(p[2], q[2]) - max(p[0], q[0])
            ih = min(p[3], q[3]) - max(p[1], q[1])
            inter = iw * ih if iw > 0 and ih > 0 else 0.0
            union = area(p) + area(q) - inter
            out[i, j] = inter / union if union > 0 else 0.0
    return out
