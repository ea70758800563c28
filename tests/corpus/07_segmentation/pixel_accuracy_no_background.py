# function: pixel_accuracy
# loses: pixel_accuracy_values
# message: background included
def pixel_accuracy(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    shapes = y_true != 0  # only the shapes' pixels
    return float(np.mean(y_true[shapes] == y_pred[shapes]))
