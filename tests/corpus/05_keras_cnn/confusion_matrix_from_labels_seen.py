# function: confusion_matrix
# loses: confusion_matrix_counts
# message: never occur
def confusion_matrix(y_true, y_pred, n_classes):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    size = max(y_true.max(), y_pred.max()) + 1
    cm = np.zeros((size, size), dtype=int)
    for t, p in zip(y_true, y_pred):
        cm[t, p] += 1
    return cm
