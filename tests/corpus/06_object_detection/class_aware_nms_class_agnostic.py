# function: class_aware_nms
# loses: class_aware_nms_indices
# message: different classes suppress each other
def class_aware_nms(boxes, scores, classes, iou_threshold=0.5, max_outputs=100):
    return non_max_suppression(boxes, scores, iou_threshold, max_outputs)
