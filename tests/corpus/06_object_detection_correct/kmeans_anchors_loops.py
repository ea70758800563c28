# function: kmeans_anchors
# loses:
# message:
def kmeans_anchors(wh, k, seed=0, iters=100):
    wh = np.array(wh, dtype=np.float64)
    candidates = np.unique(wh, axis=0)
    start = np.random.default_rng(seed).choice(len(candidates), k, replace=False)
    anchors = [candidates[s].copy() for s in start]
    last = None
    rounds = 0
    while rounds < iters:
        rounds += 1
        groups = []
        for w, h in wh:
            ious = [min(w, aw) * min(h, ah) / (w * h + aw * ah - min(w, aw) * min(h, ah)) for aw, ah in anchors]
            groups.append(int(np.argmax(ious)))
        if groups == last:
            break
        for j in range(k):
            members = [wh[n] for n in range(len(wh)) if groups[n] == j]
            if members:
                anchors[j] = np.mean(members, axis=0)
        last = groups
    anchors = np.array(anchors)
    return np.array(sorted(anchors.tolist(), key=lambda a: (a[0] * a[1], a[0])))
