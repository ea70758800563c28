# function: mask_to_box
# loses:
# message:
def mask_to_box(mask):
    points = np.argwhere(np.asarray(mask) != 0)  # (row, column) pairs
    if points.size == 0:
        return None
    (y1, x1), (y2, x2) = points.min(axis=0), points.max(axis=0) + 1
    return (int(x1), int(y1), int(x2), int(y2))
