# function: split_holdout
# loses:
# message:
def split_holdout(n, test_fraction=0.25, seed=0):
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    cut = int(round(n * test_fraction))
    test_idx = order[:cut]
    train_idx = order[cut:]
    return train_idx, test_idx
