"""Hidden graders of assignment 04_stacked_convs: one `test_<check id>` per check, cases in `cases.py`.

Expected values come from the reference in `solutions/stacked_convs.py`, which
`tests/test_reference_stacked_convs.py` proves equal to Keras on these very cases, so the grading
process never needs TensorFlow.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from convlab.checking.banned import banned_calls, banned_use_message
from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure, matching_mistakes, same_result
from convlab.checking.pictures import with_picture
from convlab.runtime.bridge import Returned
from graders.a04_stacked_convs import NO_KERAS
from graders.a04_stacked_convs import cases as C
from graders.a04_stacked_convs.cases import CHECK
from solutions import stacked_convs as ref

# -- descriptions (inputs are described, never printed in full) ------------------------------------


def _arr(a: object) -> str:
    if isinstance(a, list):
        return f"a nested list of shape {np.shape(a)}"
    arr = np.asarray(a)
    return f"{arr.dtype} array {arr.shape}"


def _layer_text(layer: dict) -> str:
    kind = layer["type"]
    keys = [k for k in layer if k != "type"]
    return kind + "(" + ", ".join(f"{k}={layer[k]!r}" for k in keys) + ")"


def _spec_text(spec: list[dict]) -> str:
    return "[" + ", ".join(_layer_text(layer) for layer in spec) + "]"


def _failure(base: str, name: str, args: tuple, got: Any) -> CheckFailure:
    """A failure built by a check's own comparison, naming the mistakes that reproduce `got`."""
    return CheckFailure.naming(base, matching_mistakes(CHECK.mistakes_of(name), args, None, got, same_result))


# -- conv_stack ------------------------------------------------------------------------------------

STACK_VALUES = C.conv_stack_cases("conv_stack_values", 12)
STACK_INPUTS = C.conv_stack_cases("conv_stack_inputs", 6, typed=True)


def _expect_stack(student, case: tuple, typed: bool) -> None:
    images, layers = case
    text = "; ".join(f"{k.shape[0]}x{k.shape[1]} kernel, {k.shape[2]}->{k.shape[3]} channels, "
                     f"{'no bias' if b is None else 'bias'}, activation {a!r}" for k, b, a in layers)
    CHECK.expect_call(student, "conv_stack", images, layers, describe=f"conv_stack(images: {_arr(images)}, layers: [{text}])",
                      rtol=1e-5, atol=1e-5, require_ndarray=typed, require_float=typed)


@cases(STACK_VALUES, fresh=lambda rng: C.conv_stack_cases(rng, 3), kind=C.stack_kind)
def test_conv_stack_values(student, case):
    """conv_stack on random stacks of 1-3 layers: several channels, square and non-square kernels, every activation."""
    _expect_stack(student, case, typed=False)


@cases(STACK_INPUTS, fresh=lambda rng: C.conv_stack_cases(rng, 2, typed=True), kind=C.stack_kind)
def test_conv_stack_inputs(student, case):
    """conv_stack accepts uint8, float32 and list images and a None bias, and returns a float ndarray."""
    _expect_stack(student, case, typed=True)


# -- receptive_field -------------------------------------------------------------------------------

RF_IMPULSE = C.receptive_field_cases("receptive_field_impulse", 16)
RF_DEFAULTS = C.receptive_field_cases("receptive_field_defaults", 8, defaults=True)


def _expect_receptive_field(student, layers: list[dict]) -> None:
    """A pair of Python ints equal to a brute-force impulse computation (independent of the reference)."""
    got = CHECK.call_naming_raises(student, "receptive_field", layers)
    call = "receptive_field([" + ", ".join(
        "{" + ", ".join(f"{k}: {v}" for k, v in layer.items()) + "}" for layer in layers) + "])"
    value = got.value
    if isinstance(value, np.ndarray) and value.shape == (2,) and value.dtype.kind in "iu":
        value = [int(v) for v in value]
    if not isinstance(value, list) or len(value) != 2:
        raise CheckFailure(f"{call} returned a {got.type_name}; return a pair (size, jump) of two ints")
    pair = []
    for v in value:
        if isinstance(v, np.ndarray) and v.shape == () and v.dtype.kind in "iu":
            v = int(v)
        if isinstance(v, bool) or not isinstance(v, int):
            raise CheckFailure(f"{call} returned ({value[0]!r}, {value[1]!r}); both numbers must be Python ints")
        pair.append(v)
    expected = list(C.impulse_receptive_field(layers))
    if pair != expected:
        raise _failure(f"{call}: expected (size, jump) = ({expected[0]}, {expected[1]}), got ({pair[0]}, {pair[1]}).",
                       "receptive_field", (layers,), pair)


@cases(RF_IMPULSE, fresh=lambda rng: C.receptive_field_cases(rng, 4), kind=C.receptive_field_kind, argname="layers")
def test_receptive_field_impulse(student, layers):
    """receptive_field of random conv / pooling stacks (strides, dilations) against a brute-force impulse computation."""
    _expect_receptive_field(student, layers)


@cases(RF_DEFAULTS, fresh=lambda rng: C.receptive_field_cases(rng, 2, defaults=True), kind=C.receptive_field_kind,
       argname="layers")
def test_receptive_field_defaults(student, layers):
    """receptive_field on layers that omit strides or dilation_rate (default 1)."""
    _expect_receptive_field(student, layers)


# -- pooling ---------------------------------------------------------------------------------------

POOLS = {(name, padding): C.pool_cases(f"{name}_{padding}", 8, padding)
         for name in ("max_pool2d", "avg_pool2d") for padding in ("valid", "same")}


def _expect_pool(student, name: str, case: dict) -> None:
    strides = f"strides={case['strides']}" if "strides" in case else "strides omitted"
    negative = ", all values negative" if np.all(case["x"] < 0) else ""
    CHECK.expect_call(student, name, **case, rtol=1e-5, atol=1e-6, picture=with_picture,
                      describe=(f"{name}(x: {_arr(case['x'])}{negative}, pool_size={case['pool_size']}, {strides}, "
                                f"padding={case['padding']!r})"))


@cases(POOLS["max_pool2d", "valid"], fresh=lambda rng: C.pool_cases(rng, 2, "valid"), kind=C.pool_kind)
def test_max_pool2d_valid(student, case):
    """max_pool2d with 'valid' padding: pool sizes 2-3, strides omitted, None or given, several channels."""
    _expect_pool(student, "max_pool2d", case)


@cases(POOLS["max_pool2d", "same"], fresh=lambda rng: C.pool_cases(rng, 2, "same"), kind=C.pool_kind)
def test_max_pool2d_same(student, case):
    """max_pool2d with 'same' padding on negative values: padded pixels never win."""
    _expect_pool(student, "max_pool2d", case)


@cases(POOLS["avg_pool2d", "valid"], fresh=lambda rng: C.pool_cases(rng, 2, "valid"), kind=C.pool_kind)
def test_avg_pool2d_valid(student, case):
    """avg_pool2d with 'valid' padding: pool sizes 2-3, strides omitted, None or given, several channels."""
    _expect_pool(student, "avg_pool2d", case)


@cases(POOLS["avg_pool2d", "same"], fresh=lambda rng: C.pool_cases(rng, 2, "same"), kind=C.pool_kind)
def test_avg_pool2d_same(student, case):
    """avg_pool2d with 'same' padding: a border window averages its real pixels only."""
    _expect_pool(student, "avg_pool2d", case)


# -- output_shapes ---------------------------------------------------------------------------------

SHAPES_CONV = C.spec_cases("output_shapes_conv", 6, flatten=False)
SHAPES_NETWORK = C.spec_cases("output_shapes_network", 8)


def _as_shapes(got: Returned, call: str, count: int) -> list[tuple[int, ...]]:
    value = got.value
    if not isinstance(value, list):
        raise CheckFailure(f"{call} returned a {got.type_name}; return a list with one tuple per layer")
    if len(value) != count:
        raise CheckFailure(f"{call} returned {len(value)} shapes for {count} layers; return one per spec entry")
    shapes = []
    for shape in value:
        if isinstance(shape, np.ndarray) and shape.ndim == 1 and shape.dtype.kind in "iu":
            shape = [int(v) for v in shape]
        if not isinstance(shape, list):
            raise CheckFailure(f"{call}: every shape must be a tuple of ints, got a {type(shape).__name__}")
        # numpy integers (e.g. from np.prod) arrive as 0-d arrays: they are whole numbers too.
        shape = [int(v) if isinstance(v, np.ndarray) and v.shape == () and v.dtype.kind in "iu" else v for v in shape]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in shape):
            raise CheckFailure(f"{call}: every shape must be a tuple of ints, got {tuple(shape)!r} "
                               "(use // and int(), not /)")
        shapes.append(tuple(shape))
    return shapes



def _expect_shapes(student, input_shape: tuple, spec: list[dict]) -> Returned:
    got = CHECK.call_naming_raises(student, "output_shapes", input_shape, spec)
    call = f"output_shapes({input_shape}, {_spec_text(spec)})"
    shapes = _as_shapes(got, call, len(spec))
    expected = ref.output_shapes(input_shape, spec)
    if shapes != expected:
        first = next(i for i, (a, b) in enumerate(zip(shapes, expected)) if a != b)
        raise _failure(f"{call}: layer {first} ({spec[first]['type']}) should output {expected[first]}, "
                       f"got {shapes[first]}.", "output_shapes", (input_shape, spec), shapes)
    return got


def _expect_no_keras(student, got: Returned, name: str) -> None:
    uses = banned_calls(student.defined_functions(), name, got.library_calls, banned=NO_KERAS)
    if uses:
        raise CheckFailure(banned_use_message(name, uses, "no Keras model, no Keras function")
                           + ": compute the result from the layer formulas, without building a Keras model.",
                           mistake_id="banned_call:keras")


@cases(SHAPES_CONV, fresh=lambda rng: C.spec_cases(rng, 2, flatten=False), kind=C.spec_kind)
def test_output_shapes_conv(student, case):
    """output_shapes of conv and pooling stacks: strides, dilations, 'valid' and 'same', omitted keys."""
    _expect_shapes(student, *case)


@cases(SHAPES_NETWORK, fresh=lambda rng: C.spec_cases(rng, 2), kind=C.spec_kind)
def test_output_shapes_network(student, case):
    """output_shapes of whole networks: conv, pooling, flatten, dense and dropout layers."""
    _expect_shapes(student, *case)


@cases(SHAPES_NETWORK[1:2], fresh=lambda rng: C.spec_cases(rng, 1), kind=C.spec_kind)
def test_output_shapes_no_keras(student, case):
    """output_shapes is correct without building a Keras model (no Keras or TensorFlow call)."""
    _expect_no_keras(student, _expect_shapes(student, *case), "output_shapes")


# -- count_params ----------------------------------------------------------------------------------

PARAMS_CONV = C.spec_cases("count_params_conv", 6, flatten=False)
PARAMS_NETWORK = C.spec_cases("count_params_network", 8)


def _expect_params(student, input_shape: tuple, spec: list[dict]) -> Returned:
    return CHECK.expect_call(student, "count_params", input_shape, spec,
                             describe=f"count_params({input_shape}, {_spec_text(spec)})")


@cases(PARAMS_CONV, fresh=lambda rng: C.spec_cases(rng, 2, flatten=False), kind=C.spec_kind)
def test_count_params_conv(student, case):
    """count_params of conv and pooling stacks, with and without biases."""
    _expect_params(student, *case)


@cases(PARAMS_NETWORK, fresh=lambda rng: C.spec_cases(rng, 2), kind=C.spec_kind)
def test_count_params_network(student, case):
    """count_params of whole networks: dense layers after flatten, pooling before flatten, dropout."""
    _expect_params(student, *case)


@cases(PARAMS_NETWORK[2:3], fresh=lambda rng: C.spec_cases(rng, 1), kind=C.spec_kind)
def test_count_params_no_keras(student, case):
    """count_params is correct without building a Keras model (no Keras or TensorFlow call)."""
    _expect_no_keras(student, _expect_params(student, *case), "count_params")


# -- build_model -----------------------------------------------------------------------------------

MODEL_CASES = C.model_cases("build_model_layers", 6)
CLASS_OF = {"conv2d": "Conv2D", "maxpool2d": "MaxPooling2D", "avgpool2d": "AveragePooling2D", "flatten": "Flatten",
            "dense": "Dense", "dropout": "Dropout"}
ACTIVATION_LAYERS = {"Activation", "ReLU", "Softmax"}


def _model_layers(got: Returned, call: str) -> list[dict]:
    """The model's layers from `model.to_json()`, activation layers folded into the layer before.

    Each entry: class, config, output_shape (no batch axis), params, activation.
    """
    value = got.value
    if not isinstance(value, dict) or "json" not in value:
        raise CheckFailure(f"{call} returned a {got.type_name}; return the Keras model")
    try:
        configs = json.loads(value["json"])["config"]["layers"]
    except (ValueError, KeyError, TypeError):
        raise CheckFailure(f"{call}: the model's to_json() has no layer list; build a Sequential or functional "
                           "model") from None
    info = {layer.get("name"): layer for layer in value.get("layers", []) if isinstance(layer, dict)}
    layers: list[dict] = []
    for entry in configs:
        cls, config = entry.get("class_name"), entry.get("config", {})
        if cls == "InputLayer":
            continue
        if cls in ACTIVATION_LAYERS:
            activation = {"ReLU": "relu", "Softmax": "softmax"}.get(cls, config.get("activation"))
            if layers and layers[-1]["activation"] in (None, "linear"):
                layers[-1]["activation"] = activation
                continue
            layers.append({"class": cls, "config": config, "output_shape": None, "params": 0,
                           "activation": activation})
            continue
        meta = info.get(config.get("name"), {})
        shape = meta.get("output_shape")
        activation = config.get("activation")
        layers.append({"class": cls, "config": config, "params": meta.get("params"),
                       "output_shape": None if shape is None else tuple(shape[1:]),
                       "activation": activation if isinstance(activation, str) else None})
    return layers


def _expected_layers(input_shape: tuple, spec: list[dict], n_classes: int) -> list[dict]:
    shapes = ref.output_shapes(input_shape, spec)
    params = C.layer_params(input_shape, spec)
    last = shapes[-1][-1] if shapes else input_shape[-1]
    layers = [{"class": CLASS_OF[layer["type"]], "spec": layer, "output_shape": shape, "params": p,
               "activation": "relu" if layer["type"] in ("conv2d", "dense") else None}
              for layer, shape, p in zip(spec, shapes, params)]
    layers.append({"class": "Dense", "spec": {"type": "dense", "units": n_classes}, "output_shape": (n_classes,),
                   "params": last * n_classes + n_classes, "activation": "softmax"})
    return layers


def _pair(v: Any) -> tuple:
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


def _config_problem(spec_layer: dict, config: dict) -> str:
    """What differs between a spec entry and the Keras layer's config ('' when nothing)."""
    kind = spec_layer["type"]
    want: dict[str, Any] = {}
    if kind == "conv2d":
        want = {"filters": spec_layer["filters"], "kernel_size": _pair(spec_layer["kernel_size"]),
                "strides": _pair(spec_layer.get("strides", 1)), "padding": spec_layer.get("padding", "valid"),
                "dilation_rate": _pair(spec_layer.get("dilation_rate", 1)),
                "use_bias": spec_layer.get("use_bias", True)}
    elif kind in ("maxpool2d", "avgpool2d"):
        pool = spec_layer.get("pool_size", 2)
        want = {"pool_size": _pair(pool), "strides": _pair(spec_layer.get("strides") or pool),
                "padding": spec_layer.get("padding", "valid")}
    elif kind == "dense":
        want = {"units": spec_layer["units"], "use_bias": spec_layer.get("use_bias", True)}
    elif kind == "dropout":
        want = {"rate": spec_layer["rate"]}
    for key, value in want.items():
        have = config.get(key)
        have = tuple(have) if isinstance(have, list) else have
        if have != value:
            return f"{key}={have!r}, expected {value!r}"
    return ""


def _matched_layers(student, case: tuple) -> tuple[str, list[dict], list[dict]]:
    input_shape, spec, n_classes = case
    call = f"build_model({input_shape}, {_spec_text(spec)}, n_classes={n_classes})"
    got = student.call("build_model", input_shape, spec, n_classes)
    have, want = _model_layers(got, call), _expected_layers(input_shape, spec, n_classes)
    have_classes, want_classes = [h["class"] for h in have], [w["class"] for w in want]
    if have_classes != want_classes:
        if len(have) > len(want):
            what = f"extra layer: the model has {len(have)} layers, expected {len(want)}"
        elif len(have) < len(want):
            what = f"missing layer: the model has {len(have)} layers, expected {len(want)}"
        else:
            what = "layers in the wrong order or of the wrong type"
        raise CheckFailure(f"{call}: {what} ({' -> '.join(want_classes)}: the spec's layers, then one "
                           f"Dense(n_classes, softmax)); got {' -> '.join(have_classes)}.")
    return call, have, want


@cases(MODEL_CASES, fresh=lambda rng: C.model_cases(rng, 1), kind=C.spec_kind)
def test_build_model_layers(student, case):
    """build_model: the spec's layers in order with their settings (filters, kernel, strides, padding, units, ...)."""
    call, have, want = _matched_layers(student, case)
    for i, (h, w) in enumerate(zip(have, want)):
        problem = _config_problem(w["spec"], h["config"])
        if problem:
            raise CheckFailure(f"{call}: layer {i} ({h['class']}) has {problem}.")


@cases(MODEL_CASES, fresh=lambda rng: C.model_cases(rng, 1), kind=C.spec_kind)
def test_build_model_shapes(student, case):
    """build_model: every layer's output shape and parameter count equal those of the spec's model."""
    call, have, want = _matched_layers(student, case)
    for i, (h, w) in enumerate(zip(have, want)):
        if h["output_shape"] is None:
            raise CheckFailure(f"{call}: layer {i} ({h['class']}) has no output shape: start the model with "
                               "keras.Input(shape=input_shape) so that every layer is built.")
        if h["output_shape"] != w["output_shape"]:
            raise CheckFailure(f"{call}: layer {i} ({h['class']}) outputs {h['output_shape']}, "
                               f"expected {w['output_shape']}.")
        if h["params"] != w["params"]:
            raise CheckFailure(f"{call}: layer {i} ({h['class']}) has {h['params']} parameters, "
                               f"expected {w['params']}.")


@cases(MODEL_CASES, fresh=lambda rng: C.model_cases(rng, 1), kind=C.spec_kind)
def test_build_model_activations(student, case):
    """build_model: ReLU after every conv and dense layer of the spec, softmax on the output layer."""
    call, have, want = _matched_layers(student, case)
    for i, (h, w) in enumerate(zip(have, want)):
        got_act = h["activation"] if h["activation"] != "linear" else None
        if got_act != w["activation"]:
            if i == len(want) - 1:
                raise CheckFailure(f"{call}: the output layer uses {got_act or 'no activation'}; it must use "
                                   "softmax, to turn the class scores into probabilities.")
            raise CheckFailure(f"{call}: layer {i} ({h['class']}) uses {got_act or 'no activation'}, "
                               f"expected {w['activation'] or 'no activation'}.")


# -- cnn_forward -----------------------------------------------------------------------------------

FORWARD_CONV = C.forward_cases("cnn_forward_conv", 5)
FORWARD_NETWORK = C.forward_cases("cnn_forward_network", 8)


def _expect_forward(student, case: tuple) -> None:
    x, weights, spec = case
    CHECK.expect_call(student, "cnn_forward", x, weights, spec, rtol=1e-5, atol=1e-5,
                      describe=f"cnn_forward(x: {_arr(x)}, weights: {len(weights)} arrays, spec={_spec_text(spec)})")


# A cnn_forward built on the student's own pooling and conv functions fails when they do.
RELIES_ON_BLOCKS = [
    pytest.mark.relies_on("conv_stack", "conv_stack_values", "conv_stack_inputs", caller="cnn_forward"),
    pytest.mark.relies_on("max_pool2d", "max_pool2d_valid", "max_pool2d_same", caller="cnn_forward"),
    pytest.mark.relies_on("avg_pool2d", "avg_pool2d_valid", "avg_pool2d_same", caller="cnn_forward"),
]


def _relies_on_blocks(check):  # noqa: ANN001, ANN202 - a decorator
    for mark in RELIES_ON_BLOCKS:
        check = mark(check)
    return check


@_relies_on_blocks
@cases(FORWARD_CONV, fresh=lambda rng: C.forward_cases(rng, 1), kind=C.spec_kind)
def test_cnn_forward_conv(student, case):
    """cnn_forward on networks of conv layers (strides, dilation, 'same') then flatten, dense and the softmax output."""
    _expect_forward(student, case)


@_relies_on_blocks
@cases(FORWARD_NETWORK, fresh=lambda rng: C.forward_cases(rng, 2), kind=C.spec_kind)
def test_cnn_forward_network(student, case):
    """cnn_forward on whole networks with pooling, flatten, dropout and dense layers, equal to model.predict."""
    _expect_forward(student, case)
