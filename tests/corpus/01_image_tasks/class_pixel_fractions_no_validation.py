# function: class_pixel_fractions
# loses: class_pixel_fractions_invalid
# message: should raise ValueError
def class_pixel_fractions(mask, n_classes):
    mask = np.asarray(mask)
    counts = np.array([(mask == c).sum() for c in range(n_classes)])
    return counts / mask.size
