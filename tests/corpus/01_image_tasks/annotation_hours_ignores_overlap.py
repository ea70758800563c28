# function: annotation_hours
# loses: annotation_hours_values
# message: overlap ignored
def annotation_hours(n_images, objects_per_image, seconds_per_image_label, seconds_per_box, seconds_per_mask,
                     task, n_annotators=1, overlap=1):
    if task == "classification":
        per_image = seconds_per_image_label
    elif task == "detection":
        per_image = objects_per_image * seconds_per_box
    elif task == "segmentation":
        per_image = objects_per_image * seconds_per_mask
    else:
        raise ValueError(task)
    return n_images * per_image / n_annotators / 3600
