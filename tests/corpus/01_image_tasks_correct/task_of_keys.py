# function: task_of
# loses:
# message:
def task_of(annotation):
    keys = set(annotation.keys()) if isinstance(annotation, dict) else set()
    for key, task in (("mask", "segmentation"), ("boxes", "detection"), ("label", "classification")):
        if key in keys:
            return task
    raise ValueError("not an annotation record")
