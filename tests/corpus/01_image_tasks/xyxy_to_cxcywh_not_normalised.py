# function: xyxy_to_cxcywh
# loses: xyxy_to_cxcywh_values xyxy_to_cxcywh_input_unchanged
# message: normalised
def xyxy_to_cxcywh(boxes, width, height):
    boxes = np.array(boxes, dtype=float)
    centre = (boxes[..., :2] + boxes[..., 2:]) / 2
    size = boxes[..., 2:] - boxes[..., :2]
    return np.concatenate([centre, size], axis=-1)
