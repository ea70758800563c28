# function: segmentation_confusion
# loses:
# message:
def segmentation_confusion(y_true, y_pred, n_classes):
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    for t, p in zip(np.ravel(y_true), np.ravel(y_pred)):
        cm[int(t), int(p)] += 1
    return cm
