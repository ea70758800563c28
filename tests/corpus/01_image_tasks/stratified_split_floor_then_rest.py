# function: stratified_split
# loses: stratified_split_counts
# message: rounding every class down
def stratified_split(labels, fractions=(0.7, 0.15, 0.15), seed=0):
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    train, val, test = [], [], []
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        n_train = int(len(members) * fractions[0])
        n_val = int(len(members) * fractions[1])
        train.extend(members[:n_train])
        val.extend(members[n_train:n_train + n_val])
        test.extend(members[n_train + n_val:])
    return tuple(np.sort(np.array(s, dtype=int)) for s in (train, val, test))
