# function: segmentation_confusion
# loses: segmentation_confusion_counts
# message: once per distinct pair
def segmentation_confusion(y_true, y_pred, n_classes):
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    cm[np.ravel(y_true).astype(int), np.ravel(y_pred).astype(int)] += 1
    return cm
