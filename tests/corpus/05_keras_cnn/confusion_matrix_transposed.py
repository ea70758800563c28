# function: confusion_matrix
# loses: confusion_matrix_counts confusion_matrix_no_sklearn
# message: transposed
def confusion_matrix(y_true, y_pred, n_classes):
    cm = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        cm[p, t] += 1
    return cm
