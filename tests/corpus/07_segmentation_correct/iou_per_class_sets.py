# function: iou_per_class
# loses:
# message:
def iou_per_class(y_true, y_pred, n_classes):
    t, p = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    result = []
    for c in range(n_classes):
        inter = np.count_nonzero((t == c) & (p == c))
        union = np.count_nonzero((t == c) | (p == c))
        result.append(inter / union if union else float("nan"))
    return np.array(result)
