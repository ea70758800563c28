"""Hidden graders of assignment 03_conv2d (2D convolution, Conv2D layer, im2col, image filters)."""
