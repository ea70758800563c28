# function: kmeans_anchors
# loses: kmeans_anchors_rule
# message: not sorted by area
def kmeans_anchors(wh, k, seed=0, iters=100):
    wh = np.asarray(wh, dtype=float)
    u = np.unique(wh, axis=0)
    anchors = u[np.random.default_rng(seed).choice(len(u), k, replace=False)].copy()
    previous = None
    for _ in range(iters):
        assigned = best_anchor(wh, anchors)
        if previous is not None and (assigned == previous).all():
            break
        for j in range(k):
            if (assigned == j).any():
                anchors[j] = wh[assigned == j].mean(axis=0)
        previous = assigned
    return anchors
