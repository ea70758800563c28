# function: confusion_matrix
# loses: confusion_matrix_no_sklearn
# message: scikit-learn
from sklearn.metrics import confusion_matrix as sk_confusion_matrix


def confusion_matrix(y_true, y_pred, n_classes):
    return sk_confusion_matrix(y_true, y_pred, labels=list(range(n_classes)))
