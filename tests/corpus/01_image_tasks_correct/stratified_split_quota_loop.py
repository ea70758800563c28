# function: stratified_split
# loses:
# message:
import math


def stratified_split(labels, fractions=(0.7, 0.15, 0.15), seed=0):
    labels = list(np.asarray(labels).tolist())
    rng = np.random.default_rng(seed)
    classes = sorted(set(labels), key=str)
    target = [0.0, 0.0, 0.0]     # ideal number of leftovers per split so far
    given = [0, 0, 0]            # leftovers actually given
    out = [[], [], []]
    for c in classes:
        members = [i for i, label in enumerate(labels) if label == c]
        rng.shuffle(members)
        n = len(members)
        counts = [math.floor(n * f + 1e-9) for f in fractions]
        fracs = [max(n * f - q, 0.0) for f, q in zip(fractions, counts)]
        for j in range(3):
            target[j] += fracs[j]
        for _ in range(n - sum(counts)):
            # the split that lags most among those with a fractional part and no leftover yet from this class
            options = [j for j in range(3) if fracs[j] > 1e-9]
            j = max(options, key=lambda j: (target[j] - given[j], -j))
            counts[j] += 1
            given[j] += 1
            fracs[j] = 0.0
        start = 0
        for j in range(3):
            out[j].extend(members[start:start + counts[j]])
            start += counts[j]
    return tuple(np.array(sorted(part), dtype=int) for part in out)
