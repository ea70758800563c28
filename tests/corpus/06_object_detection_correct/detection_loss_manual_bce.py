# function: detection_loss
# loses:
# message:
def detection_loss(y_true, y_pred):
    y_true = tf.convert_to_tensor(y_true, tf.float32)
    y_pred = tf.convert_to_tensor(y_pred, tf.float32)
    obj = y_true[..., 0]
    t0 = y_pred[..., 0]
    softplus = tf.maximum(t0, 0.0) + tf.math.log1p(tf.exp(-tf.abs(t0)))  # BCE(t0, 0), stable
    coord = tf.reduce_sum((tf.sigmoid(y_pred[..., 1:3]) - y_true[..., 1:3]) ** 2, -1) \
        + tf.reduce_sum((y_pred[..., 3:5] - y_true[..., 3:5]) ** 2, -1)
    ce = -tf.reduce_sum(y_true[..., 5:] * tf.nn.log_softmax(y_pred[..., 5:]), -1)
    loss = obj * (5 * coord + softplus - t0 + ce) + 0.5 * (1 - obj) * softplus
    batch = tf.shape(loss)[0]
    return tf.reduce_mean(tf.reduce_sum(tf.reshape(loss, (batch, -1)), axis=1))
