# function: non_max_suppression
# loses:
# message:
def non_max_suppression(boxes, scores, iou_threshold=0.5, max_outputs=100):
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    scores = np.asarray(scores, dtype=np.float64)
    order = sorted(range(len(scores)), key=lambda n: (-scores[n], n))
    ious = iou_matrix(boxes, boxes)
    alive = np.ones(len(scores), dtype=bool)
    kept = []
    for n in order:
        if not alive[n]:
            continue
        kept.append(n)
        if len(kept) == max_outputs:
            break
        alive &= ~(ious[n] > iou_threshold)
    return np.asarray(kept, dtype=np.int64)
