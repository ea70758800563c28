# function: iou_per_class
# loses: iou_per_class_values
# message: counts the intersection twice
def iou_per_class(y_true, y_pred, n_classes):
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    iou = np.full(n_classes, np.nan)
    for c in range(n_classes):
        a, b = y_true == c, y_pred == c
        union = a.sum() + b.sum()
        if union:
            iou[c] = (a & b).sum() / union
    return iou
