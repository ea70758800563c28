# function: split_holdout
# loses: split_holdout_indices
# message: in both the training and the test set
def split_holdout(n, test_fraction=0.25, seed=0):
    perm = np.random.default_rng(seed).permutation(n)
    n_test = round(test_fraction * n)
    return perm, perm[:n_test]  # "more data is better": trains on the test images too
