"""Seeded hidden cases of assignment 04_stacked_convs (shared by the graders and the reference tests),
the reference they are checked against, and the kinds of case.

Every builder takes a case-list name (the fixed cases, from its own seeded generator, reproducible and
never the notebook's examples) or a submission's generator (its fresh cases, every attribute the fixed
list varies by position drawn at random). Specs are random but always cover the structures the issue
asks for: several channels, spatial maps larger than 1x1, omitted strides, negative values, dropout,
pooling before flatten, "same" padding with strides, and a stride > 1 before a later kernel.
"""

from __future__ import annotations

import numpy as np

from convlab.checking.calls import Checker
from graders.a04_stacked_convs.mistakes import MISTAKES
from solutions import stacked_convs as ref

CHECK = Checker(reference=ref, mistakes=MISTAKES, seed=20260404)
ACTIVATIONS = (None, "linear", "relu", "tanh", "sigmoid")
Source = str | np.random.Generator


def _fresh(source: Source) -> bool:
    return not isinstance(source, str)


# -- conv_stack -------------------------------------------------------------------------------------


def conv_stack_cases(name: Source, count: int, typed: bool = False) -> list[tuple[object, list]]:
    """(images, layers): 1-3 layers, several channels, square and non-square kernels."""
    rng = CHECK.rng(name)
    fresh = _fresh(name)
    cases = []
    for i in range(count):
        n, h, w = int(rng.integers(1, 4)), int(rng.integers(7, 12)), int(rng.integers(7, 12))
        c = int(rng.integers(2, 4))
        depth = int(rng.integers(1, 3)) if typed else int(rng.integers(1, 4)) if fresh else 1 + i % 3
        # What the fixed list varies by position: the input type, a first layer without bias, 3x3 kernels.
        kind = int(rng.integers(3)) if fresh else i % 3
        square = rng.random() < 0.25 if fresh else i % 4 == 0
        layers = []
        c_in = c
        for d in range(depth):
            kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
            if square:
                kh = kw = 3
            c_out = int(rng.integers(2, 5))
            kernel = rng.normal(size=(kh, kw, c_in, c_out)).round(3)
            bias = None if (typed and d == 0 and kind == 2) else rng.normal(size=c_out).round(3)
            if typed:
                activation = "relu"
            else:
                activation = ACTIVATIONS[int(rng.integers(len(ACTIVATIONS))) if fresh else (i + d) % len(ACTIVATIONS)]
            layers.append((kernel, bias, activation))
            c_in = c_out
        if typed and kind == 0:
            images: object = rng.integers(0, 256, size=(n, h, w, c)).astype(np.uint8)
            # Scale kernels down so that pixel values of 0..255 stay in a readable range.
            layers = [(k / 50, b, a) for k, b, a in layers]
        elif typed and kind == 1:
            images = rng.normal(size=(n, h, w, c)).astype(np.float32)
            layers = [(k.astype(np.float32), None if b is None else b.astype(np.float32), a) for k, b, a in layers]
        elif typed:
            images = rng.integers(-3, 4, size=(n, h, w, c)).tolist()
        else:
            images = rng.normal(size=(n, h, w, c)).round(3)
        cases.append((images, layers))
    return cases


# -- receptive_field -------------------------------------------------------------------------------


def receptive_field_cases(name: Source, count: int, defaults: bool = False) -> list[list[dict]]:
    """Random stacks of 1-5 conv / pooling layers; strides > 1 before later kernels."""
    rng = CHECK.rng(name)
    cases = []
    for i in range(count):
        layers = []
        depth = int(rng.integers(2, 6))
        for j in range(depth):
            if rng.random() < 0.25:
                p = int(rng.integers(2, 4))
                layers.append({"kernel_size": p, "strides": p})  # a pooling layer
                continue
            layer = {"kernel_size": int(rng.integers(2, 6)), "strides": int(rng.integers(1, 4)),
                     "dilation_rate": int(rng.integers(1, 4))}
            if j == 0 and (rng.random() < 0.5 if _fresh(name) else i % 2 == 0):
                layer["strides"] = max(layer["strides"], 2)  # an early stride scales later kernels
            if defaults:
                for key in ("strides", "dilation_rate"):
                    if rng.random() < 0.5:
                        del layer[key]
            layers.append(layer)
        cases.append(layers)
    return cases


def impulse_receptive_field(layers: list[dict]) -> tuple[int, int]:
    """Brute force: the input pixels output unit 0 (and unit 1) depends on, layer by layer.

    Walks back from the last layer: output unit u of a layer reads the input units
    u * s + t * d for t in 0..k-1. The receptive field is the span of the input pixels reached
    from output unit 0; the jump is the distance between the first pixels of units 0 and 1.
    """

    def back(units: set[int]) -> set[int]:
        for layer in reversed(layers):
            k, s, d = layer.get("kernel_size", 1), layer.get("strides", 1), layer.get("dilation_rate", 1)
            units = {u * s + t * d for u in units for t in range(k)}
        return units

    zero, one = back({0}), back({1})
    return max(zero) - min(zero) + 1, min(one) - min(zero)


# -- pooling ---------------------------------------------------------------------------------------


def pool_cases(name: Source, count: int, padding: str) -> list[dict]:
    """kwargs for max_pool2d / avg_pool2d: strides omitted, None or given; many negative values."""
    rng = CHECK.rng(name)
    fresh = _fresh(name)
    cases = []
    for i in range(count):
        n, h, w, c = int(rng.integers(1, 3)), int(rng.integers(4, 10)), int(rng.integers(4, 10)), int(rng.integers(2, 4))
        x = rng.normal(size=(n, h, w, c)).round(3)
        # What the fixed list varies by position: all negative values, how strides are given, float32.
        negative, strides, float32 = ((rng.random() < 0.5, int(rng.integers(3)), rng.random() < 0.25) if fresh
                                      else (i % 2 == 0, i % 3, i % 5 == 4))
        if negative:
            x = -np.abs(x) - 0.1  # all negative: zero padding would win every border window
        pool = int(rng.integers(2, 4))
        case: dict = {"x": x, "pool_size": pool, "padding": padding}
        if strides == 1:
            case["strides"] = None
        elif strides == 2:
            case["strides"] = int(rng.integers(1, 4))
        if float32:
            case["x"] = x.astype(np.float32)
        cases.append(case)
    return cases


# -- specs -----------------------------------------------------------------------------------------


def _conv(rng: np.random.Generator, strided: bool, same: bool, dilated: bool, omit: bool) -> dict:
    layer: dict = {"type": "conv2d", "filters": int(rng.integers(2, 5)), "kernel_size": int(rng.integers(2, 4))}
    if strided:
        layer["strides"] = 2
    elif not omit:
        layer["strides"] = 1
    if same:
        layer["padding"] = "same"
    elif not omit:
        layer["padding"] = "valid"
    if dilated and not strided:  # Keras refuses strides > 1 together with dilation > 1
        layer["dilation_rate"] = 2
    if rng.random() < 0.2:
        layer["use_bias"] = False
    return layer


def _pool(rng: np.random.Generator, kind: str, same: bool, omit_strides: bool) -> dict:
    pool = int(rng.integers(2, 4))
    layer: dict = {"type": kind, "pool_size": pool}
    if not omit_strides:
        layer["strides"] = int(rng.integers(1, pool + 1))
    layer["padding"] = "same" if same else "valid"
    return layer


# The input shapes of the notebook's examples, which hidden cases never use.
NOTEBOOK_SHAPES = {(100, 100, 3), (15, 20, 3), (10, 10, 2), (12, 10, 2), (9, 11, 2)}

# Layer structures cycled through by spec_cases: each lists what its spec must contain.
TEMPLATES = (
    ("conv", "conv_strided", "flatten", "dense"),
    ("conv_same_strided", "maxpool_omit", "conv", "flatten", "dropout", "dense"),
    ("conv", "avgpool_same", "conv_dilated", "flatten", "dense", "dropout", "dense"),
    ("conv_strided", "conv_same", "maxpool_same", "flatten", "dense"),
    ("conv_dilated", "avgpool_omit", "flatten", "dropout", "dense"),
    ("conv", "maxpool", "conv_same_strided", "avgpool", "flatten", "dense"),
)


def random_spec(rng: np.random.Generator, template: tuple[str, ...]) -> list[dict]:
    spec = []
    for part in template:
        if part.startswith("conv"):
            spec.append(_conv(rng, "strided" in part, "same" in part, "dilated" in part, omit=rng.random() < 0.5))
        elif part.startswith(("maxpool", "avgpool")):
            kind = "maxpool2d" if part.startswith("max") else "avgpool2d"
            spec.append(_pool(rng, kind, "same" in part, "omit" in part))
        elif part == "flatten":
            spec.append({"type": "flatten"})
        elif part == "dense":
            layer = {"type": "dense", "units": int(rng.integers(3, 9))}
            if rng.random() < 0.2:
                layer["use_bias"] = False
            spec.append(layer)
        elif part == "dropout":
            spec.append({"type": "dropout", "rate": float(rng.choice([0.2, 0.25, 0.5]))})
    return spec


def spec_cases(name: Source, count: int, flatten: bool = True) -> list[tuple[tuple[int, int, int], list[dict]]]:
    """(input_shape, spec) pairs; every map before flatten is larger than 1x1 with >= 2 channels.

    flatten=False keeps only the conv / pooling part of each template (fresh cases: any template).
    """
    rng = CHECK.rng(name)
    cases = []
    i = 0
    while len(cases) < count:
        template = TEMPLATES[int(rng.integers(len(TEMPLATES))) if _fresh(name) else i % len(TEMPLATES)]
        i += 1
        if not flatten:
            template = tuple(p for p in template if p.startswith(("conv", "maxpool", "avgpool")))
        input_shape = (int(rng.integers(14, 24)), int(rng.integers(14, 24)), int(rng.integers(2, 4)))
        spec = random_spec(rng, template)
        shapes = ref.output_shapes(input_shape, spec)
        maps = [s for s in shapes if len(s) == 3]
        fits = all(s[0] >= 1 and s[1] >= 1 for s in maps) and maps[-1][0] * maps[-1][1] > 1
        if fits and input_shape not in NOTEBOOK_SHAPES:
            cases.append((input_shape, spec))
    return cases


def weights_for(rng: np.random.Generator, input_shape: tuple, spec: list[dict], n_classes: int) -> list[np.ndarray]:
    """Random float32 weights in the order of model.get_weights(), scaled to keep ReLUs alive."""
    shapes = ref.output_shapes(input_shape, spec)
    previous = tuple(input_shape)
    weights = []
    for layer, shape in zip(spec, shapes):
        if layer["type"] == "conv2d":
            k = layer["kernel_size"]
            fan_in = k * k * previous[-1]
            weights.append(rng.normal(0, np.sqrt(2 / fan_in), size=(k, k, previous[-1], layer["filters"])))
        elif layer["type"] == "dense":
            weights.append(rng.normal(0, np.sqrt(2 / previous[-1]), size=(previous[-1], layer["units"])))
        if layer["type"] in ("conv2d", "dense") and layer.get("use_bias", True):
            weights.append(rng.normal(0, 0.1, size=shape[-1]))
        previous = shape
    weights.append(rng.normal(0, 2 / np.sqrt(previous[-1]), size=(previous[-1], n_classes)))
    weights.append(rng.normal(0, 0.3, size=n_classes))
    return [w.astype(np.float32) for w in weights]


def forward_cases(name: Source, count: int) -> list[tuple[np.ndarray, list[np.ndarray], list[dict]]]:
    """(x, weights, spec): batches of 2-3 images with negative values and random weights."""
    rng = CHECK.rng(name if _fresh(name) else name + "_weights")
    cases = []
    for input_shape, spec in spec_cases(name, count):
        n_classes = int(rng.integers(3, 6))
        x = rng.normal(size=(int(rng.integers(2, 4)), *input_shape)).astype(np.float32)
        cases.append((x, weights_for(rng, input_shape, spec, n_classes), spec))
    return cases


def layer_params(input_shape: tuple, spec: list[dict]) -> list[int]:
    """Parameters of each spec layer (the differences of count_params over prefixes)."""
    totals = [0] + [ref.count_params(input_shape, spec[: i + 1]) for i in range(len(spec))]
    return [b - a for a, b in zip(totals, totals[1:])]


def model_cases(name: Source, count: int) -> list[tuple[tuple[int, int, int], list[dict], int]]:
    """(input_shape, spec, n_classes) for build_model."""
    if _fresh(name):
        return [(shape, spec, int(name.integers(2, 8))) for shape, spec in spec_cases(name, count)]
    return [(shape, spec, 3 + i % 4) for i, (shape, spec) in enumerate(spec_cases(name, count))]


# -- kinds: the ways cases differ, each drawn again among every submission's fresh cases ---------------


def stack_kind(case: tuple) -> tuple[str, ...]:
    images, layers = case
    kind = "list" if isinstance(images, list) else str(np.asarray(images).dtype)
    bias = "a layer without bias" if any(b is None for _, b, _ in layers) else "every layer with a bias"
    square = "3x3 kernels" if all(k.shape[:2] == (3, 3) for k, _, _ in layers) else "other kernels"
    return (f"images {kind}", bias, square, f"{len(layers)} layer(s)", *(f"activation {a!r}" for _, _, a in layers))


def receptive_field_kind(layers: list[dict]) -> tuple[str, ...]:
    """Whether a dilation, or a stride before a later layer, changes the answer; omitted keys."""
    dilated = any(layer.get("dilation_rate", 1) > 1 for layer in layers)
    early = any(layer.get("strides", 1) > 1 for layer in layers[:-1])
    labels = ["a layer with dilation > 1" if dilated else "no dilation",
              "a stride > 1 before a later layer" if early else "no stride before a later layer"]
    if any("strides" not in layer for layer in layers):
        labels.append("strides omitted")
    return tuple(labels)


def pool_kind(case: dict) -> tuple[str, ...]:
    strides = ("strides omitted" if "strides" not in case else "strides None" if case["strides"] is None
               else "strides given")
    signs = "all values negative" if np.all(case["x"] < 0) else "mixed signs"
    return strides, signs, str(case["x"].dtype)


def spec_features(spec: list[dict]) -> tuple[str, ...]:
    """What a spec holds that a formula can get wrong: strides, 'same', dilation, defaults, no bias, ..."""
    labels = set()
    for layer in spec:
        kind = layer["type"]
        if kind == "conv2d":
            strided, same = layer.get("strides", 1) > 1, layer.get("padding") == "same"
            labels |= {label for label, present in [
                ("strided conv", strided), ("'same' conv", same), ("'same' strided conv", strided and same),
                ("dilated conv", layer.get("dilation_rate", 1) > 1),
                ("conv with omitted keys", "strides" not in layer or "padding" not in layer),
                ("conv without bias", layer.get("use_bias") is False)] if present}
        elif kind.endswith("pool2d"):
            labels.add(kind)
            labels |= {f"'{layer['padding']}' pooling", "pooling strides omitted" if "strides" not in layer
                       else "pooling strides given"}
        else:
            labels.add(kind if layer.get("use_bias", True) else f"{kind} without bias")
    return tuple(sorted(labels))


def spec_kind(case: tuple) -> tuple[str, ...]:
    """Kinds of (input_shape, spec), (input_shape, spec, n_classes) and (x, weights, spec) cases, and
    whether a 'same' layer's stride leaves a remainder (ceil and floor of H / s differ only then)."""
    spec = next(part for part in case if isinstance(part, list) and isinstance(part[0], dict))
    first = case[0]
    input_shape = tuple(first) if isinstance(first, tuple) else tuple(np.shape(first)[1:])
    return spec_features(spec) + _same_remainders(input_shape, spec)


def _same_remainders(input_shape: tuple, spec: list[dict]) -> tuple[str, ...]:
    sizes = [input_shape, *ref.output_shapes(input_shape, spec)]
    labels = set()
    for layer, before in zip(spec, sizes, strict=False):
        # A pooling layer's strides default to its pool size (also when given as None).
        strides = layer.get("strides") or (layer.get("pool_size", 1) if layer["type"].endswith("pool2d") else 1)
        if layer.get("padding") == "same" and isinstance(strides, int) and strides > 1 and len(before) == 3:
            rest = "with" if before[0] % strides or before[1] % strides else "without"
            labels.add(f"'same' {layer['type']} stride {rest} a remainder")
    return tuple(sorted(labels))
