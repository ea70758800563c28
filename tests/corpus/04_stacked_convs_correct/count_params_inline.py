# function: count_params
# loses:
# message:
import math


def count_params(input_shape, spec):
    h, w, c = input_shape
    total = 0
    for layer in spec:
        t = layer["type"]
        if t == "conv2d":
            k = layer["kernel_size"]
            s = layer.get("strides", 1)
            d = layer.get("dilation_rate", 1)
            total += (k * k * c + int(layer.get("use_bias", True))) * layer["filters"]
            if layer.get("padding", "valid") == "same":
                h, w = math.ceil(h / s), math.ceil(w / s)
            else:
                h = (h - d * (k - 1) - 1) // s + 1
                w = (w - d * (k - 1) - 1) // s + 1
            c = layer["filters"]
        elif t in ("maxpool2d", "avgpool2d"):
            p = layer.get("pool_size", 2)
            s = layer.get("strides") or p
            if layer.get("padding", "valid") == "same":
                h, w = math.ceil(h / s), math.ceil(w / s)
            else:
                h, w = (h - p) // s + 1, (w - p) // s + 1
        elif t == "flatten":
            h, w, c = 1, 1, h * w * c
        elif t == "dense":
            total += (c + int(layer.get("use_bias", True))) * layer["units"]
            c = layer["units"]
    return total
