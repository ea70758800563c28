# function: conv1d_output_length
# loses:
# message:
# Same count written as a ceiling: floor((A - 1) / s) + 1 == ceil(A / s) for integers A >= 1.
def conv1d_output_length(n, k, stride=1, padding=0, dilation=1):
    room = n + 2 * padding - dilation * (k - 1)
    return max(-(-room // stride), 0)
