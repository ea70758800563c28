# function: iou_per_class
# loses: iou_per_class_values
# message: its IoU is undefined (NaN), not 0
def iou_per_class(y_true, y_pred, n_classes):
    cm = np.zeros((n_classes, n_classes))
    np.add.at(cm, (np.ravel(y_true).astype(int), np.ravel(y_pred).astype(int)), 1)
    inter = np.diag(cm)
    union = cm.sum(0) + cm.sum(1) - inter
    return inter / np.maximum(union, 1)
