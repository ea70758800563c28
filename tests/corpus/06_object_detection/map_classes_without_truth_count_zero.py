# function: mean_average_precision
# loses: mean_average_precision_values
# message: count as AP 0
def mean_average_precision(predictions, ground_truth, n_classes, iou_threshold=0.5):
    aps = []
    for k in range(n_classes):
        truth = [np.asarray(b, dtype=float).reshape(-1, 4)[np.asarray(l) == k] for b, l in ground_truth]
        dets = [(np.asarray(b, dtype=float).reshape(-1, 4)[np.asarray(c) == k], np.asarray(s)[np.asarray(c) == k])
                for b, s, c in predictions]
        ap = average_precision(dets, truth, iou_threshold)
        aps.append(0.0 if np.isnan(ap) else ap)
    return float(np.mean(aps))
