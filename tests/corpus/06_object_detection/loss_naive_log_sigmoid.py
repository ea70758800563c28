# function: detection_loss
# loses: detection_loss_extremes
# message: not finite
def detection_loss(y_true, y_pred):
    y_true = tf.cast(y_true, tf.float32)
    y_pred = tf.cast(y_pred, tf.float32)
    obj = y_true[..., 0]
    p = tf.sigmoid(y_pred[..., 0])
    xy = tf.reduce_sum(tf.square(tf.sigmoid(y_pred[..., 1:3]) - y_true[..., 1:3]), axis=-1)
    wh = tf.reduce_sum(tf.square(y_pred[..., 3:5] - y_true[..., 3:5]), axis=-1)
    cls = -tf.reduce_sum(y_true[..., 5:] * tf.math.log(tf.nn.softmax(y_pred[..., 5:])), axis=-1)
    per_slot = obj * (5.0 * (xy + wh) - tf.math.log(p) + cls) - 0.5 * (1 - obj) * tf.math.log(1 - p)
    return tf.reduce_mean(tf.reduce_sum(per_slot, axis=[1, 2, 3]))
