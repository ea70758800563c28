# function: encode_targets
# loses:
# message:
def encode_targets(boxes, labels, anchors, grid_size, image_size, n_classes):
    target = np.zeros((grid_size, grid_size, len(anchors), 5 + n_classes), np.float32)
    boxes = np.reshape(np.asarray(boxes, np.float64), (-1, 4))
    if len(boxes) == 0:
        return target
    anchors = np.asarray(anchors, np.float64)
    cell = image_size / grid_size
    centres = (boxes[:, :2] + boxes[:, 2:]) / 2
    sizes = boxes[:, 2:] - boxes[:, :2]
    cols = np.clip(np.floor(centres[:, 0] / cell).astype(int), 0, grid_size - 1)
    rows = np.clip(np.floor(centres[:, 1] / cell).astype(int), 0, grid_size - 1)
    best = best_anchor(sizes, anchors)
    rows_out = np.concatenate([np.ones((len(boxes), 1)), centres / cell - np.stack([cols, rows], 1),
                               np.log(sizes / anchors[best]), np.eye(n_classes)[np.asarray(labels, int)]], axis=1)
    for n in range(len(boxes)):  # in order: a later box overwrites an earlier one
        target[rows[n], cols[n], best[n]] = rows_out[n]
    return target
