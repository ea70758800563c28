# function: stratified_split
# loses: stratified_split_counts
# message: class proportions not preserved
def stratified_split(labels, fractions=(0.7, 0.15, 0.15), seed=0):
    n = len(labels)
    order = np.random.default_rng(seed).permutation(n)
    n_train = int(round(n * fractions[0]))
    n_val = int(round(n * fractions[1]))
    return (np.sort(order[:n_train]), np.sort(order[n_train:n_train + n_val]), np.sort(order[n_train + n_val:]))
