# function: dice_per_class
# loses: dice_per_class_values
# message: this is the IoU
def dice_per_class(y_true, y_pred, n_classes):
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    out = np.full(n_classes, np.nan)
    for c in range(n_classes):
        a, b = y_true == c, y_pred == c
        if (a | b).any():
            out[c] = (a & b).sum() / (a | b).sum()
    return out
