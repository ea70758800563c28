# function: conv1d_output_length
# loses: conv1d_output_length_formula
# message: missing + 1
# Mistake: forgets that the kernel's first position is an output too.
def conv1d_output_length(n, k, stride=1, padding=0, dilation=1):
    return max((n + 2 * padding - dilation * (k - 1) - 1) // stride, 0)
