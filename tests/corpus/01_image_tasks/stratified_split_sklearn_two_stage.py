# function: stratified_split
# loses: stratified_split_partition stratified_split_counts
# message: least populated class
def stratified_split(labels, fractions=(0.7, 0.15, 0.15), seed=0):
    from sklearn.model_selection import train_test_split

    labels = np.asarray(labels)
    idx = np.arange(len(labels))
    train, rest = train_test_split(idx, train_size=fractions[0], stratify=labels, random_state=seed)
    val, test = train_test_split(rest, train_size=fractions[1] / (fractions[1] + fractions[2]),
                                 stratify=labels[rest], random_state=seed)
    return np.sort(train), np.sort(val), np.sort(test)
