# function: stratified_split
# loses: stratified_split_seed
# message: seed is ignored
def stratified_split(labels, fractions=(0.7, 0.15, 0.15), seed=0):
    labels = np.asarray(labels)
    fractions = np.asarray(fractions, dtype=float)
    rng = np.random.default_rng(0)
    splits = [[], [], []]
    lag = np.zeros(3)
    for cls in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == cls))
        share = len(members) * fractions
        counts = np.floor(share + 1e-9).astype(int)
        remainder = np.clip(share - counts, 0, None)
        lag += remainder
        extra = len(members) - counts.sum()
        candidates = [j for j in np.argsort(-lag, kind="stable") if remainder[j] > 1e-9]
        for j in candidates[:extra]:
            counts[j] += 1
            lag[j] -= 1
        for split, part in zip(splits, np.split(members, np.cumsum(counts)[:-1])):
            split.append(part)
    return tuple(np.sort(np.concatenate(parts)).astype(np.int64) for parts in splits)
