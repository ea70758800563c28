# function: stratified_split
# loses: stratified_split_partition
# message: leak
def stratified_split(labels, fractions=(0.7, 0.15, 0.15), seed=0):
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    parts = [[], [], []]
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        for j, f in enumerate(fractions):
            # each split drawn independently: a sample can land in two splits
            n = int(round(len(members) * f))
            parts[j].extend(rng.choice(members, size=n, replace=False))
    return tuple(np.sort(np.array(p, dtype=int)) for p in parts)
