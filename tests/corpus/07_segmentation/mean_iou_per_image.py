# function: mean_iou
# loses: mean_iou_values
# message: computed per image
def mean_iou(y_true, y_pred, n_classes):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim < 3:  # a single map
        y_true, y_pred = y_true[None], y_pred[None]
    scores = []
    for t, p in zip(y_true, y_pred):
        ious = []
        for c in range(n_classes):
            inter = np.sum((t == c) & (p == c))
            union = np.sum((t == c) | (p == c))
            if union > 0:
                ious.append(inter / union)
        scores.append(np.mean(ious))
    return float(np.mean(scores))
