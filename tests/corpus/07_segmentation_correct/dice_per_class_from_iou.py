# function: dice_per_class
# loses:
# message:
def dice_per_class(y_true, y_pred, n_classes):
    iou = iou_per_class(y_true, y_pred, n_classes)
    return 2 * iou / (1 + iou)  # NaN stays NaN
