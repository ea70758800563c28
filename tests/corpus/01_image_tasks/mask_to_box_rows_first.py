# function: mask_to_box
# loses: mask_to_box_values
# message: x and y are swapped
def mask_to_box(mask):
    rows, cols = np.nonzero(np.asarray(mask))
    if len(rows) == 0:
        return None
    return [int(rows.min()), int(cols.min()), int(rows.max()) + 1, int(cols.max()) + 1]
