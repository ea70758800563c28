# function: mean_iou
# loses:
# message:
def mean_iou(y_true, y_pred, n_classes):
    cm = segmentation_confusion(y_true, y_pred, n_classes)
    inter = np.diag(cm)
    union = cm.sum(axis=0) + cm.sum(axis=1) - inter
    present = union > 0
    return float(np.mean(inter[present] / union[present]))
