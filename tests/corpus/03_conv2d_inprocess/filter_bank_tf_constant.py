# function: filter_bank_tf
# loses:
# message:
# Tensors built with tf.constant and tf.transpose; the batch and channel axes removed with tf.squeeze.
import numpy as np
import tensorflow as tf


def filter_bank_tf(image, kernels):
    x = tf.constant(np.asarray(image, dtype=np.float32))[tf.newaxis, :, :, tf.newaxis]
    k = tf.transpose(tf.constant(np.asarray(kernels, dtype=np.float32)), perm=[1, 2, 0])
    y = tf.nn.conv2d(x, tf.expand_dims(k, 2), strides=[1, 1, 1, 1], padding="SAME")
    return tf.squeeze(y, axis=0).numpy()
