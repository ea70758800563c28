# function: output_shapes
# loses: output_shapes_conv output_shapes_network output_shapes_no_keras
# message: not H // strides
# Mistake: "same" keeps h // s rows (rounded down) instead of ceil(h / s).
def output_shapes(input_shape, spec):
    h, w, c = input_shape
    shapes = []
    for layer in spec:
        kind = layer["type"]
        if kind in ("conv2d", "maxpool2d", "avgpool2d"):
            if kind == "conv2d":
                k, s, d = layer["kernel_size"], layer.get("strides", 1), layer.get("dilation_rate", 1)
                c = layer["filters"]
            else:
                k, d = layer.get("pool_size", 2), 1
                s = layer.get("strides") or k
            if layer.get("padding", "valid") == "same":
                h, w = h // s, w // s
            else:
                h, w = (h - d * (k - 1) - 1) // s + 1, (w - d * (k - 1) - 1) // s + 1
            shapes.append((h, w, c))
        elif kind == "flatten":
            shapes.append((h * w * c,))
        elif kind == "dense":
            shapes.append((layer["units"],))
        else:
            shapes.append(shapes[-1] if shapes else (h, w, c))
    return shapes
