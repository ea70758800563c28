# function: kmeans_anchors
# loses: kmeans_anchors_rule
# message: Euclidean distance
def kmeans_anchors(wh, k, seed=0, iters=100):
    wh = np.asarray(wh, dtype=float)
    u = np.unique(wh, axis=0)
    anchors = u[np.random.default_rng(seed).choice(len(u), k, replace=False)].copy()
    previous = None
    for _ in range(iters):
        distances = np.sqrt(((wh[:, None, :] - anchors[None, :, :]) ** 2).sum(axis=2))
        assigned = distances.argmin(axis=1)
        if previous is not None and (assigned == previous).all():
            break
        for j in range(k):
            if (assigned == j).any():
                anchors[j] = wh[assigned == j].mean(axis=0)
        previous = assigned
    return anchors[np.lexsort((anchors[:, 0], anchors[:, 0] * anchors[:, 1]))]
