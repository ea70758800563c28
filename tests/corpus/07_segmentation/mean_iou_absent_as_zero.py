# function: mean_iou
# loses: mean_iou_values
# message: counted as IoU 0
def mean_iou(y_true, y_pred, n_classes):
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    total = 0.0
    for c in range(n_classes):
        a, b = y_true == c, y_pred == c
        union = (a | b).sum()
        total += (a & b).sum() / union if union else 0.0
    return total / n_classes
