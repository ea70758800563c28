# function: task_of
# loses: task_of_records
# message: empty 'boxes' list
def task_of(annotation):
    if annotation.get("mask") is not None:
        return "segmentation"
    if annotation.get("boxes"):
        return "detection"
    if "label" in annotation:
        return "classification"
    raise ValueError("unknown annotation")
