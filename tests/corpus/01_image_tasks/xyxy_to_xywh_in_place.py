# function: xyxy_to_xywh
# loses: xyxy_to_xywh_input_unchanged
# message: modified its input
def xyxy_to_xywh(boxes):
    if not isinstance(boxes, np.ndarray) or boxes.dtype != np.float64:
        boxes = np.array(boxes, dtype=np.float64)
    # in place: saves a copy, but changes the caller's array
    boxes[..., 2:] -= boxes[..., :2]
    return boxes
