# function: box_iou
# loses: box_iou_values box_iou_disjoint
# message: pixel counting
def box_iou(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    # pixel-style sizes: a box from x1 to x2 covers x2 - x1 + 1 pixels
    area_a = np.clip(a[:, 2] - a[:, 0] + 1, 0, None) * np.clip(a[:, 3] - a[:, 1] + 1, 0, None)
    area_b = np.clip(b[:, 2] - b[:, 0] + 1, 0, None) * np.clip(b[:, 3] - b[:, 1] + 1, 0, None)
    w = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]) + 1, 0, None)
    h = np.clip(np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]) + 1, 0, None)
    inter = w * h
    union = area_a[:, None] + area_b[None, :] - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
