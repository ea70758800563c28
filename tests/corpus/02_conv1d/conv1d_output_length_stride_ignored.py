# function: conv1d_output_length
# loses: conv1d_output_length_formula
# message: stride ignored
# Mistake: counts every position of the kernel, as if stride were always 1.
def conv1d_output_length(n, k, stride=1, padding=0, dilation=1):
    return max(n + 2 * padding - dilation * (k - 1), 0)
