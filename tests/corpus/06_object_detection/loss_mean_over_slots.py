# function: detection_loss
# loses: detection_loss_values detection_loss_extremes
# message: mean over every slot
def detection_loss(y_true, y_pred):
    y_true = tf.cast(y_true, tf.float32)
    y_pred = tf.cast(y_pred, tf.float32)
    obj = y_true[..., 0]
    xy = tf.reduce_sum(tf.square(tf.sigmoid(y_pred[..., 1:3]) - y_true[..., 1:3]), axis=-1)
    wh = tf.reduce_sum(tf.square(y_pred[..., 3:5] - y_true[..., 3:5]), axis=-1)
    conf = tf.nn.sigmoid_cross_entropy_with_logits(labels=obj, logits=y_pred[..., 0])
    cls = tf.nn.softmax_cross_entropy_with_logits(labels=y_true[..., 5:], logits=y_pred[..., 5:])
    loss = obj * (5.0 * (xy + wh) + conf + cls) + 0.5 * (1.0 - obj) * conf
    return tf.reduce_mean(loss)
