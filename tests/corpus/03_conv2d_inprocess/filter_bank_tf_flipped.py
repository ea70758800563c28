# function: filter_bank_tf
# loses: filter_bank_tf_values
# message: kernels flipped
# Mistake: the kernels are rotated "to make it a convolution", but tf.nn.conv2d correlates and the
# task asks for the correlation.
import numpy as np
import tensorflow as tf


def filter_bank_tf(image, kernels):
    x = np.asarray(image, dtype=np.float32)[None, :, :, None]
    k = np.asarray(kernels, dtype=np.float32)[:, ::-1, ::-1]
    filters = np.transpose(k, (1, 2, 0))[:, :, None, :]
    return tf.nn.conv2d(x, filters, strides=1, padding="SAME").numpy()[0]
