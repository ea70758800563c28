# function: decode_predictions
# loses: decode_predictions_values decode_predictions_order
# message: objectness alone
def decode_predictions(output, anchors, image_size, score_threshold=0.5):
    t = np.asarray(output, dtype=float)
    anchors = np.asarray(anchors, dtype=float)
    S = t.shape[0]
    c = image_size / S
    sig = lambda x: 1 / (1 + np.exp(-x))
    i, j = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
    cx = (j[..., None] + sig(t[..., 1])) * c
    cy = (i[..., None] + sig(t[..., 2])) * c
    w = anchors[:, 0] * np.exp(t[..., 3])
    h = anchors[:, 1] * np.exp(t[..., 4])
    e = np.exp(t[..., 5:] - t[..., 5:].max(axis=-1, keepdims=True))
    probs = e / e.sum(axis=-1, keepdims=True)
    scores = sig(t[..., 0]).ravel()
    classes = probs.argmax(axis=-1).ravel()
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1).reshape(-1, 4)
    keep = np.flatnonzero(scores >= score_threshold)
    keep = keep[np.argsort(-scores[keep], kind="stable")]
    return boxes[keep], scores[keep], classes[keep]
