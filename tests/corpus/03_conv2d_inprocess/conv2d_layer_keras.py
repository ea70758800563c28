# function: conv2d_layer
# loses: conv2d_layer_numpy_only
# message: uses keras.layers.Conv2D (TensorFlow/Keras
# Mistake: right values, but Keras does the work; the task asks for the layer in numpy.
import keras
import numpy as np


def conv2d_layer(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    kernel = np.asarray(kernel, dtype=np.float32)
    layer = keras.layers.Conv2D(kernel.shape[3], kernel.shape[:2], strides=strides, padding=padding,
                                activation=activation, use_bias=bias is not None)
    layer.build(np.shape(images))
    layer.set_weights([kernel] + ([np.asarray(bias, dtype=np.float32)] if bias is not None else []))
    return np.asarray(layer(np.asarray(images, dtype=np.float32)), dtype=float)
