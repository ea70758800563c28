# function: confusion_matrix
# loses:
# message:
def confusion_matrix(y_true, y_pred, n_classes):
    flat = n_classes * np.asarray(y_true, int) + np.asarray(y_pred, int)
    return np.bincount(flat, minlength=n_classes * n_classes).reshape(n_classes, n_classes)
