# function: non_max_suppression
# loses: non_max_suppression_no_tensorflow
# message: tf.image.non_max_suppression
def non_max_suppression(boxes, scores, iou_threshold=0.5, max_outputs=100):
    boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4)
    yx = boxes[:, [1, 0, 3, 2]]  # TensorFlow wants [y1, x1, y2, x2]
    kept = tf.image.non_max_suppression(yx, np.asarray(scores, dtype=np.float32), max_outputs, iou_threshold)
    return kept.numpy().astype(np.int64)
