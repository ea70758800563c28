# function: encode_targets
# loses: encode_targets_values encode_targets_collisions
# message: log(aw / w)
def encode_targets(boxes, labels, anchors, grid_size, image_size, n_classes):
    anchors = np.asarray(anchors, dtype=float).reshape(-1, 2)
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    target = np.zeros((grid_size, grid_size, len(anchors), 5 + n_classes), dtype=np.float32)
    c = image_size / grid_size
    wh = boxes[:, 2:] - boxes[:, :2]
    for box, size, a, label in zip(boxes, wh, best_anchor(wh, anchors), labels):
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        j = min(max(int(np.floor(cx / c)), 0), grid_size - 1)
        i = min(max(int(np.floor(cy / c)), 0), grid_size - 1)
        target[i, j, a] = 0
        target[i, j, a, :5] = [1, cx / c - j, cy / c - i, np.log(anchors[a, 0] / size[0]), np.log(anchors[a, 1] / size[1])]
        target[i, j, a, 5 + int(label)] = 1
    return target
