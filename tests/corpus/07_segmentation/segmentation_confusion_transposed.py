# function: segmentation_confusion
# loses: segmentation_confusion_counts
# message: the matrix is transposed
def segmentation_confusion(y_true, y_pred, n_classes):
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(cm, (np.ravel(y_pred).astype(int), np.ravel(y_true).astype(int)), 1)
    return cm
