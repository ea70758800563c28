# function: mask_to_box
# loses: mask_to_box_values mask_to_box_edges
# message: off by one
def mask_to_box(mask):
    rows, cols = np.nonzero(np.asarray(mask))
    if len(rows) == 0:
        return None
    return [int(cols.min()), int(rows.min()), int(cols.max()), int(rows.max())]
