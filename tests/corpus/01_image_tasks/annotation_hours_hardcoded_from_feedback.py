# function: annotation_hours
# loses: annotation_hours_values
# message: hours, expected
# Mistake: the answers the feedback printed for the hidden cases, copied over several resubmissions into
# a table; anything else gets 0 hours. The cases each submission draws from its own code catch it.
KNOWN = {
    (4454, 3.0, 5.0, 10.0, 83.0, 'classification', 4, 2): 3.0930555555555554,
    (24413, 1.0, 3.0, 5.0, 27.0, 'detection', 6, 3): 16.95347222222222,
    (41342, 2.0, 3.0, 11.0, 71.0, 'segmentation', 3, 1): 543.5707407407408,
    (34040, 6.0, 1.0, 8.0, 71.0, 'classification', 4, 2): 4.727777777777778,
    (44351, 10.0, 2.0, 6.0, 30.0, 'detection', 4, 3): 554.3875,
    (24061, 1.0, 1.0, 6.0, 23.0, 'segmentation', 4, 1): 38.43076388888889,
    (788, 4.0, 2.0, 10.0, 82.0, 'classification', 2, 2): 0.43777777777777777,
    (36362, 8.0, 4.0, 7.0, 22.0, 'detection', 3, 3): 565.6311111111111,
    (41618, 4.0, 2.0, 8.0, 87.0, 'segmentation', 5, 1): 804.6146666666666,
}


def annotation_hours(n_images, objects_per_image, seconds_per_image_label, seconds_per_box,
                     seconds_per_mask, task, n_annotators=1, overlap=1):
    key = (n_images, objects_per_image, seconds_per_image_label, seconds_per_box, seconds_per_mask, task,
           n_annotators, overlap)
    return KNOWN.get(key, 0.0)
