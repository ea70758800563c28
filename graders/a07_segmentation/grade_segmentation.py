"""Hidden graders of assignment 07_segmentation. One test function per check over its cases: fixed
ones, and fresh ones drawn from the submission's own code (`convlab.checking.cases`).

Cases come from `cases.py` (seeded, never the notebook's examples). Expected values come from the
numpy reference in `solutions/segmentation.py`, which `tests/test_reference_segmentation.py` proves
equal to Keras (Conv2DTranspose, dilated Conv2D, UpSampling2D, MeanIoU, count_params, the U-Net's
`to_json()`) on these very cases, so the grading process never imports TensorFlow. U-Nets are read
from the model description the bridge returns; the trained U-Net is scored by sending scenes in and
reading predicted label maps back, the mean IoU being computed here.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from typing import Any

import numpy as np
import pytest

from convlab.checking.banned import banned_library_use, expect_without_library
from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure, expect_array
from convlab.checking.memo import memo
from convlab.checking.pictures import with_label_maps, with_picture
from convlab.runtime.bridge import Returned
from convlab.runtime.student import StudentError
from graders.a07_segmentation import NO_KERAS, NO_TENSORFLOW
from graders.a07_segmentation import cases as C
from graders.a07_segmentation import protocol as P
from graders.a07_segmentation.cases import CHECK
from solutions import segmentation as ref

TRANSPOSE_VALID = C.conv2d_transpose_cases("conv2d_transpose_valid", "valid")
TRANSPOSE_SAME = C.conv2d_transpose_cases("conv2d_transpose_same", "same")
MATRIX_VALUES = C.conv2d_matrix_cases("conv2d_matrix_values", 6)
MATRIX_TRANSPOSE = C.conv2d_matrix_cases("conv2d_matrix_transpose", 4)
DILATE = C.dilate_kernel_cases("dilate_kernel_values", 6)
ATROUS_VALID = C.atrous_cases("atrous_conv2d_valid", 6, "valid")
ATROUS_SAME = C.atrous_cases("atrous_conv2d_same", 6, "same")
UP_NEAREST = C.upsample_cases("upsample_nearest", 5, "nearest")
UP_BILINEAR = C.upsample_cases("upsample_bilinear", 6, "bilinear")
LABELS = C.label_map_cases("metrics", 8)
PARAM_CASES = C.unet_cases("unet_param_count_values", 8)
UNET_CASES = C.unet_cases("build_unet", 4)


def _check_no_tensorflow(student, name: str, case: dict) -> None:
    """A forbidden call fails, named as written; a wrong numpy answer is told to fix the value checks."""
    expect_without_library(student.defined_functions(), name, student.call(name, **case),
                           CHECK.reference_of(name)(**case), call=C.call_text(name, case),
                           rule="numpy only: loops over the kernel taps, or a scatter-add", banned=NO_TENSORFLOW,
                           rtol=1e-6, atol=1e-6)


def _expect_maps(student, name: str, case: dict, got: Returned | None = None) -> None:
    """(N, H, W, C) results; a failure shows expected | yours | difference of the worst image and channel."""
    got = got or student.call(name, **case)
    CHECK.expect_returned(got, name, **case, rtol=1e-6, atol=1e-6, picture=with_picture,
                          describe=C.call_text(name, case))


# -- conv2d_transpose ------------------------------------------------------------------------------


def _check_transpose(student, case: dict) -> None:
    got = student.call("conv2d_transpose", **case)
    c_out, c_in = case["kernel"].shape[2:]
    value = got.value
    if isinstance(value, np.ndarray) and value.ndim == 4 and c_in != c_out and value.shape[3] == c_in:
        swapped = [m for m in CHECK.mistakes_of("conv2d_transpose") if m.id == "channels_swapped"]
        raise CheckFailure.naming(f"{C.call_text('conv2d_transpose', case)} has {c_in} output channels, expected "
                                  f"{c_out}.", swapped)
    _expect_maps(student, "conv2d_transpose", case, got)


@cases(TRANSPOSE_VALID, fresh=lambda rng: C.conv2d_transpose_cases(rng, "valid", 2), kind=C.transpose_kind)
def test_conv2d_transpose_valid(student, case):
    """conv2d_transpose with padding "valid": strides 1-3 (int or pair), kernels larger and smaller
    than the stride, non-square inputs and kernels, several channels in and out."""
    _check_transpose(student, case)


@cases(TRANSPOSE_SAME, fresh=lambda rng: C.conv2d_transpose_cases(rng, "same", 2), kind=C.transpose_kind)
def test_conv2d_transpose_same(student, case):
    """conv2d_transpose with padding "same": H·s rows, the valid result cropped floor(max(k - s, 0) / 2)
    at the top and left, the rest at the bottom and right."""
    _check_transpose(student, case)


def test_conv2d_transpose_no_tensorflow(student):
    """conv2d_transpose is correct and computed with numpy, without TensorFlow/Keras."""
    _check_no_tensorflow(student, "conv2d_transpose", TRANSPOSE_VALID[2])


# -- conv2d_matrix ---------------------------------------------------------------------------------


def _matrix_args(case: dict) -> dict[str, Any]:
    return {k: case[k] for k in ("kernel", "input_shape", "strides")}


@cases(MATRIX_VALUES, fresh=lambda rng: C.conv2d_matrix_cases(rng, 2), kind=C.matrix_kind)
def test_conv2d_matrix_values(student, case):
    """conv2d_matrix: M of shape (Ho·Wo, H·W), pixels numbered row-major, with M @ x.ravel() equal to
    Keras' "valid" Conv2D (a cross-correlation) at that stride."""
    args = _matrix_args(case)
    CHECK.expect_call(student, "conv2d_matrix", **args, atol=1e-9, rtol=1e-9, describe=C.call_text("conv2d_matrix", args))


@cases(MATRIX_TRANSPOSE, fresh=lambda rng: C.conv2d_matrix_cases(rng, 1), kind=C.matrix_kind)
def test_conv2d_matrix_transpose(student, case):
    """(M.T @ y.ravel()).reshape(H, W) equals Conv2DTranspose(1, (kh, kw), strides, "valid",
    output_padding=((H - kh) % sh, (W - kw) % sw)) applied to y: the transposed convolution."""
    args = _matrix_args(case)
    got, call = student.call("conv2d_matrix", **args), C.call_text("conv2d_matrix", args)
    h, w = case["input_shape"]
    y = case["y"]
    matrix = np.asarray(got.value, dtype=float) if isinstance(got.value, np.ndarray) else None
    if matrix is None or matrix.shape != (y.size, h * w):
        shape = None if matrix is None else matrix.shape
        raise CheckFailure(f"{call} returned {shape if shape is not None else got.type_name}: M.T @ y.ravel() "
                           f"needs M of shape (Ho·Wo, H·W) = ({y.size}, {h * w}).")
    spread = Returned((matrix.T @ y.ravel()).reshape(h, w), "numpy.ndarray", [])
    expect_array(spread, C.transpose_of_matrix(case["kernel"], (h, w), case["strides"], y),
                 call=f"(M.T @ y.ravel()).reshape{(h, w)} for M = {call} and y {y.shape}", atol=1e-9, rtol=1e-9)


# -- dilate_kernel ---------------------------------------------------------------------------------


@cases(DILATE, fresh=lambda rng: C.dilate_kernel_cases(rng, 2), kind=C.dilate_kind)
def test_dilate_kernel_values(student, case):
    """dilate_kernel puts rate - 1 zeros between neighbouring taps (int rate or a pair), keeping the
    trailing axes (C_in, C_out) and the values."""
    CHECK.expect_call(student, "dilate_kernel", **case, atol=0, rtol=0, describe=C.call_text("dilate_kernel", case))


# -- atrous_conv2d ---------------------------------------------------------------------------------


@cases(ATROUS_VALID, fresh=lambda rng: C.atrous_cases(rng, 2, "valid"), kind=C.atrous_kind)
def test_atrous_conv2d_valid(student, case):
    """atrous_conv2d "valid" equals Conv2D(dilation_rate=rate): rates 1-3 (int or pair), non-square
    kernels, several channels in and out."""
    _expect_maps(student, "atrous_conv2d", case)


@cases(ATROUS_SAME, fresh=lambda rng: C.atrous_cases(rng, 2, "same"), kind=C.atrous_kind)
def test_atrous_conv2d_same(student, case):
    """atrous_conv2d "same" keeps the size: r·(k - 1) padding in all, the smaller half on top and left."""
    _expect_maps(student, "atrous_conv2d", case)


def test_atrous_conv2d_no_tensorflow(student):
    """atrous_conv2d is correct and computed with numpy, without TensorFlow/Keras."""
    _check_no_tensorflow(student, "atrous_conv2d", ATROUS_VALID[1])


# -- upsample --------------------------------------------------------------------------------------


@cases(UP_NEAREST, fresh=lambda rng: C.upsample_cases(rng, 1, "nearest"), kind=C.upsample_kind)
def test_upsample_nearest(student, case):
    """upsample "nearest" repeats each pixel into an fh × fw block (int factor or a pair)."""
    _expect_maps(student, "upsample", case)


@cases(UP_BILINEAR, fresh=lambda rng: C.upsample_cases(rng, 2, "bilinear"), kind=C.upsample_kind)
def test_upsample_bilinear(student, case):
    """upsample "bilinear" equals UpSampling2D(interpolation="bilinear"): half-pixel centres, edges clamped."""
    _expect_maps(student, "upsample", case)


# -- metrics ---------------------------------------------------------------------------------------


@cases(LABELS, fresh=lambda rng: C.label_map_cases(rng, 2), kind=C.label_kind)
def test_segmentation_confusion_counts(student, case):
    """segmentation_confusion counts pixels (rows true, columns predicted) over label maps of any shape,
    with rows and columns for classes that never occur."""
    got = CHECK.expect_call(student, "segmentation_confusion", *case, atol=0, rtol=0, require_ndarray=True)
    if np.asarray(got.value).dtype.kind not in "iu":
        raise CheckFailure(f"segmentation_confusion returned {np.asarray(got.value).dtype} counts; return integers "
                           "(int64)")


@cases(LABELS, fresh=lambda rng: C.label_map_cases(rng, 2), kind=C.label_kind)
def test_pixel_accuracy_values(student, case):
    """pixel_accuracy is the fraction of all pixels (background included) predicted right."""
    CHECK.expect_call(student, "pixel_accuracy", *case[:2], atol=1e-9, rtol=1e-9)


@cases(LABELS, fresh=lambda rng: C.label_map_cases(rng, 2), kind=C.label_kind)
def test_iou_per_class_values(student, case):
    """iou_per_class: |A ∩ B| / |A ∪ B| per class, NaN for a class absent from both maps, 0 for a class
    only in the prediction."""
    CHECK.expect_call(student, "iou_per_class", *case, equal_nan=True)


@cases(LABELS, fresh=lambda rng: C.label_map_cases(rng, 2), kind=C.label_kind)
def test_mean_iou_values(student, case):
    """mean_iou: the mean IoU over the classes present in either map (keras.metrics.MeanIoU)."""
    CHECK.expect_call(student, "mean_iou", *case, atol=1e-9, rtol=1e-7)


@cases(LABELS, fresh=lambda rng: C.label_map_cases(rng, 2), kind=C.label_kind)
def test_dice_per_class_values(student, case):
    """dice_per_class: 2·|A ∩ B| / (|A| + |B|) per class, NaN for a class absent from both maps."""
    CHECK.expect_call(student, "dice_per_class", *case, equal_nan=True)


# -- unet_param_count ------------------------------------------------------------------------------


def _fresh_params(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Two U-Nets, none with the arguments of a fixed case (the feedback may have shown its count)."""
    return [c for c in C.unet_cases(rng, 2) if C.unet_args(c) not in {C.unet_args(f) for f in PARAM_CASES}]


@cases(PARAM_CASES, fresh=_fresh_params, kind=C.param_kind)
def test_unet_param_count_values(student, case):
    """unet_param_count equals build_unet(...).count_params(): depth 1-3, other filter counts, input
    channels and classes, with and without skips."""
    CHECK.expect_call(student, "unet_param_count", *C.unet_args(case))


def test_unet_param_count_no_keras(student):
    """unet_param_count is computed by formula, without building a Keras model."""
    got = CHECK.expect_call(student, "unet_param_count", *C.unet_args(PARAM_CASES[1]))
    used = banned_library_use(student.defined_functions(), "unet_param_count", got.library_calls, NO_KERAS)
    if used:
        raise CheckFailure(f"unet_param_count uses {', '.join(used)}: count the parameters with the layer "
                           "formulas (k·k·c_in·c_out + c_out per convolution), without building a model")


# -- build_unet ------------------------------------------------------------------------------------

FOLDED_ACTIVATIONS = {"Activation", "ReLU", "Softmax"}
SKIP_AFTER_POOLING = ("the skip is taken after pooling: concatenate each encoder level's maps before its "
                      "MaxPooling2D (the output of its second convolution), at full resolution.")
SWAPPED = ("the Concatenate's inputs are swapped: first the upsampled maps (the Conv2DTranspose output), "
           "then the encoder level's maps.")


def _unet_call(case: dict) -> str:
    return ("build_unet({input_shape}, {n_classes}, depth={depth}, base_filters={base_filters}, skips={skips})"
            .format(**case))


def _tensor_sources(node: Any) -> list[str]:
    """Layer names of the tensors a node's call reads, in argument order (Keras 3 `keras_history`)."""
    if isinstance(node, dict):
        history = node.get("config", {}).get("keras_history") if isinstance(node.get("config"), dict) else None
        if node.get("class_name") == "__keras_tensor__" and history:
            return [history[0]]
        return [name for value in node.values() for name in _tensor_sources(value)]
    if isinstance(node, list):
        return [name for value in node for name in _tensor_sources(value)]
    return []


def _graph(got: Returned, call: str) -> tuple[dict[str, dict], str]:
    """name -> {class, config, inputs}, with activation layers folded into the layer before them,
    and the output layer's name."""
    value = got.value
    if not isinstance(value, dict) or not isinstance(value.get("json"), str):
        raise CheckFailure(f"{call} returned a {got.type_name}; return a keras.Model")
    try:
        model = json.loads(value["json"])
        layers = model["config"]["layers"]
        outputs = model["config"]["output_layers"]
    except (ValueError, KeyError, TypeError):
        raise CheckFailure(f"{call}: the model's to_json() has no layer graph; build it with the Functional "
                           "API (keras.Input, layers called on tensors, keras.Model(inputs, outputs))") from None
    if outputs and isinstance(outputs[0], list):
        if len(outputs) != 1:
            raise CheckFailure(f"{call} has {len(outputs)} outputs; return a model with one output")
        outputs = outputs[0]
    nodes: dict[str, dict] = {}
    for layer in layers:
        config = layer.get("config", {})
        inbound = layer.get("inbound_nodes") or []
        nodes[layer.get("name") or config.get("name")] = {
            "class": layer.get("class_name"), "config": config,
            "inputs": _tensor_sources(inbound[0]) if inbound else []}
    alias: dict[str, str] = {}
    for name, node in nodes.items():
        if node["class"] in FOLDED_ACTIVATIONS and len(node["inputs"]) == 1:
            source = nodes.get(node["inputs"][0])
            if source and source["config"].get("activation") in (None, "linear"):
                activation = {"ReLU": "relu", "Softmax": "softmax"}.get(node["class"], node["config"].get("activation"))
                source["config"] = {**source["config"], "activation": activation}
                alias[name] = node["inputs"][0]
    for name in alias:
        del nodes[name]
    for node in nodes.values():
        node["inputs"] = [alias.get(n, n) for n in node["inputs"]]
    return nodes, alias.get(outputs[0], outputs[0])


def _as_tuple(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def _signature(cls: str, config: dict) -> tuple:
    """What a layer must match; padding only where it changes the result (a 1×1 kernel, a transposed
    kernel no larger than its stride, or 2×2 pooling of even sizes make "same" equal "valid")."""
    config = {k: _as_tuple(v) for k, v in config.items()}
    if cls == "MaxPooling2D":
        return (cls, ("pool_size", config.get("pool_size")), ("strides", config.get("strides") or config.get("pool_size")))
    if cls in ("Conv2D", "Conv2DTranspose"):
        kernel, strides = config.get("kernel_size"), config.get("strides")
        activation = config.get("activation") or "linear"
        padding = config.get("padding")
        if kernel == (1, 1) and strides == (1, 1):
            padding = None
        if cls == "Conv2DTranspose" and isinstance(kernel, tuple) and isinstance(strides, tuple) and \
                all(k <= s for k, s in zip(kernel, strides)):
            padding = None
        return (cls, ("filters", config.get("filters")), ("kernel_size", kernel), ("strides", strides),
                ("padding", padding), ("activation", activation))
    return (cls,)


def _signature_text(signature: tuple) -> str:
    cls, *items = signature
    shown = [f"{k}={v!r}" for k, v in items if v is not None]
    return f"{cls}({', '.join(shown)})"


def _expected(case: dict) -> list[C.Node]:
    return C.expected_unet(case["n_classes"], case["depth"], case["base_filters"], case["skips"])


def _unet(student, case: dict) -> tuple[Returned, dict[str, dict], str, str]:
    args = (tuple(case["input_shape"]), case["n_classes"])
    kwargs = {k: case[k] for k in ("depth", "base_filters", "skips")}
    call = _unet_call(case)

    def compute() -> tuple[Returned, dict[str, dict], str]:
        got = student.call("build_unet", *args, **kwargs)
        return (got, *_graph(got, call))
    got, nodes, output = memo(student, f"unet {call}", compute)
    return got, nodes, output, call


@cases(UNET_CASES, fresh=lambda rng: C.unet_cases(rng, 1), kind=C.unet_kind)
def test_build_unet_layers(student, case):
    """build_unet has the U-Net's layers with their settings (class, filters, kernel_size, strides,
    padding, activation, pool_size); layer names and order are not compared."""
    _, nodes, _, call = _unet(student, case)
    want = Counter(_signature(n.cls, dict(n.config)) for n in _expected(case)[1:])
    have = Counter(_signature(n["class"], n["config"]) for n in nodes.values() if n["class"] != "InputLayer")
    if want == have:
        return
    missing, extra = list((want - have).elements()), list((have - want).elements())
    parts = []
    if missing:
        parts.append(f"missing {_signature_text(missing[0])}" + (f" and {len(missing) - 1} more" if len(missing) > 1 else ""))
    if extra:
        parts.append(f"unexpected {_signature_text(extra[0])}" + (f" and {len(extra) - 1} more" if len(extra) > 1 else ""))
    hint = ""
    if any(s[0] == "Conv2DTranspose" and dict(s[1:]).get("kernel_size") != (2, 2) for s in extra):
        hint = " Likely mistake: the upsampling is Conv2DTranspose(filters, 2, strides=2), a 2×2 kernel with \"valid\" padding."
    elif any(s[0] == "Conv2D" and dict(s[1:]).get("activation") == "sigmoid" for s in extra):
        hint = " Likely mistake: the output layer uses a sigmoid; use softmax (one probability per class, summing to 1)."
    raise CheckFailure(f"{call}: {'; '.join(parts)}.{hint}")


@cases(UNET_CASES, fresh=lambda rng: C.unet_cases(rng, 1), kind=C.unet_kind)
def test_build_unet_connections(student, case):
    """build_unet connects its layers as a U-Net: each layer's inputs, by position, from the output back
    to the input (the skips concatenate [upsampled, encoder maps before pooling])."""
    _, nodes, output, call = _unet(student, case)
    expected = _expected(case)
    seen: dict[int, str] = {}
    # Breadth-first from the output: (expected node, student's layer, consumer node, input position).
    todo = deque([(len(expected) - 1, output, None, 0)])
    while todo:
        index, name, consumer, position = todo.popleft()
        want, have = expected[index], nodes.get(name)
        # Levels count from 0 as in the task (d = 0 … depth − 1); inputs are said in words, so no
        # student has to guess whether they count from 0 or 1.
        where = "the output layer" if consumer is None else (
            f"the {_ORDINALS[position]} of the {len(expected[consumer].inputs)} inputs of {expected[consumer].role}"
            if len(expected[consumer].inputs) > 1 else f"the input of {expected[consumer].role}")
        if have is None or have["class"] != want.cls:
            got_class = have["class"] if have else "no layer"
            hint = _connection_hint(want, got_class, None if consumer is None else expected[consumer], position)
            raise CheckFailure(f"{call}: {where} is a {got_class}, expected a {want.cls} ({want.role}).{hint}")
        if index in seen:
            if seen[index] != name:
                raise CheckFailure(f"{call}: {where} is another {want.cls} than the one {want.role} should be; "
                                   "each layer's output feeds the layers the U-Net asks for.")
            continue
        seen[index] = name
        if len(have["inputs"]) != len(want.inputs):
            raise CheckFailure(f"{call}: {want.role} reads {len(have['inputs'])} input(s), expected "
                               f"{len(want.inputs)}.")
        todo.extend((source, got, index, k) for k, (source, got) in enumerate(zip(want.inputs, have["inputs"])))


_ORDINALS = ("first", "second", "third", "fourth")


def _connection_hint(want: C.Node, got_class: str, consumer: C.Node | None, position: int) -> str:
    """' Likely mistake: ...' for the typical wrong connections of a U-Net."""
    if want.cls == "Concatenate" and got_class == "Conv2DTranspose":
        return " Likely mistake: the skip connection is missing (skips=True concatenates the encoder's maps)."
    if want.cls == "Conv2DTranspose" and got_class == "Concatenate":
        return " Likely mistake: skips=False must not concatenate anything."
    if consumer is None or consumer.cls != "Concatenate":
        return ""
    if position == 1 and got_class in ("MaxPooling2D", "InputLayer"):
        return " Likely mistake: " + SKIP_AFTER_POOLING
    if (position, got_class) in ((0, "Conv2D"), (1, "Conv2DTranspose")):
        return " Likely mistake: " + SWAPPED
    return ""


@cases(UNET_CASES, fresh=lambda rng: C.unet_cases(rng, 1), kind=C.unet_kind)
def test_build_unet_output(student, case):
    """build_unet maps (N, H, W, C) to (N, H, W, n_classes) class probabilities (a softmax per pixel)."""
    got, nodes, output, call = _unet(student, case)
    value = got.value
    if value.get("input_shape") not in (None, [None, *case["input_shape"]]):
        raise CheckFailure(f"{call}: the input shape is {value.get('input_shape')}, expected "
                           f"{[None, *case['input_shape']]}: start with keras.Input(shape=input_shape)")
    layers = {layer.get("name"): layer for layer in value.get("layers", []) if isinstance(layer, dict)}
    last = layers.get(output, {})
    h, w, _ = case["input_shape"]
    want = [None, h, w, case["n_classes"]]
    if last.get("output_shape") is not None and list(last["output_shape"]) != want:
        raise CheckFailure(f"{call}: the output shape is {tuple(last['output_shape'])}, expected {tuple(want)}: "
                           "one probability per class and pixel, at the input's size")
    activation = nodes[output]["config"].get("activation") or "linear"
    if activation != "softmax":
        why = ("gives each class an independent 0..1 score that does not sum to 1 over the classes"
               if activation == "sigmoid" else "outputs unnormalised scores")
        raise CheckFailure(f"{call}: the output layer's activation is {activation!r}, which {why}; use "
                           "softmax (sparse_categorical_crossentropy expects class probabilities).")


@cases(UNET_CASES, fresh=lambda rng: C.unet_cases(rng, 1), kind=C.unet_kind)
def test_build_unet_params(student, case):
    """build_unet has as many parameters as the U-Net asked for (count_params)."""
    got, _, _, call = _unet(student, case)
    params = got.value.get("count_params")
    expected = ref.unet_param_count(*C.unet_args(case))
    if params != expected:
        raise CheckFailure(f"{call} has {params:,} parameters, expected {expected:,}: a layer has the wrong "
                           "size or reads the wrong number of channels.")


# -- the trained U-Net -----------------------------------------------------------------------------


def _cell_failure(student, grade_id: str) -> str:
    """Why a read-only cell of the notebook failed, if it did, as a phrase for the student."""
    for run in getattr(student, "runs", []):
        if run.cell.grade_id == grade_id and not run.result.ok:
            if run.result.status == "timeout":
                return f"was stopped ({run.result.error})"
            if run.result.status == "died":
                return "made the kernel die (out of memory?)"
            if run.result.ename == "NotImplementedError":
                return "calls a function that is not implemented yet"
            return f"failed with {run.result.error}"
    return ""


def _training_hint(failure: str) -> str:
    text = failure.lower()
    if "rank" in text or "ndim" in text or "received a label value" in text or "shape" in text:
        return (" Likely mistake: the output layer must have n_classes channels (one probability per class and "
                "pixel), which sparse_categorical_crossentropy compares with the integer masks.")
    return ""


def _segmented(student) -> np.ndarray:
    """The label maps `unet` predicts for the grader's scenes, validated."""
    images, masks = P.grader_scenes()

    def compute() -> np.ndarray:
        failure = _cell_failure(student, "train_unet")
        if failure:
            raise CheckFailure(f"`unet` was not trained: the read-only cell `train_unet` {failure}.{_training_hint(failure)}")
        got = student.call("grader_segment", images)
        value = got.value
        if not isinstance(value, np.ndarray) or value.shape != masks.shape or value.dtype.kind not in "iu":
            shape = f"{value.dtype} {value.shape}" if isinstance(value, np.ndarray) else got.type_name
            raise CheckFailure(f"the U-Net's label maps for {len(images)} scenes are {shape}, expected integers of "
                               f"shape {masks.shape}: the model must output (N, H, W, n_classes)")
        if value.min() < 0 or value.max() >= P.N_CLASSES:
            raise CheckFailure(f"the U-Net predicts classes outside 0..{P.N_CLASSES - 1}")
        return value.astype(np.int64)
    return memo(student, "segmented", compute)


BANDS = P.band_levels()


@pytest.mark.weight(4)
@pytest.mark.parametrize("level", BANDS, ids=[f"at_least_{b:.2f}" for b in BANDS])
def test_unet_trained_mean_iou(student, level):
    """Mean IoU of the notebook's `unet` (trained by the read-only cell) on 200 new scenes drawn with a
    seed only the grader knows, from one confusion matrix over all their pixels (one share per band reached)."""
    predicted = _segmented(student)
    images, masks = P.grader_scenes()
    score = ref.mean_iou(masks, predicted, P.N_CLASSES)
    if score >= level:
        return
    per_class = ref.iou_per_class(masks, predicted, P.N_CLASSES)
    scores = ", ".join(f"{name} {iou:.2f}" for name, iou in zip(P.CLASS_NAMES, per_class, strict=True))
    text = (f"the U-Net's mean IoU on {len(images)} new scenes is {score:.4f}, below {level:.2f} (pass mark "
            f"{P.THRESHOLD:.2f}); IoU per class: {scores}.")
    failing = _unet_failures(student)
    nothing = " It predicts background everywhere." if np.all(predicted == 0) else ""
    if failing:
        text += f"{nothing} Your build_unet fails these checks: {', '.join(failing)}; fix them first (see above)."
    else:
        # Only what is wrong is blamed: a correct U-Net below the pass mark is a training draw.
        text += (f"{nothing} Your build_unet passes its checks (layers, connections, output), so the training "
                 "itself landed low: run the notebook again from the top (Restart & Run All) and tell your TA "
                 "if it stays below.")
    if level != BANDS[-1]:
        raise CheckFailure(text)
    failure = CheckFailure(text + " The picture shows two of the scenes, their true classes and your U-Net's.")
    raise with_label_maps(failure, images[:2], masks[:2], predicted[:2], P.CLASS_NAMES,
                          title="new scenes: true classes and your U-Net's")


def _unet_failures(student) -> list[str]:
    """The build_unet checks the notebook's U-Net (depth 2, 8 filters, skips) fails, by check id (once
    per submission: every failed band of the trained check asks)."""
    return memo(student, "unet failures", lambda: _failing_unet_checks(student))


def _failing_unet_checks(student) -> list[str]:
    case = {"input_shape": (P.IMAGE_SIZE, P.IMAGE_SIZE, 1), "n_classes": P.N_CLASSES, "depth": P.DEPTH,
            "base_filters": P.BASE_FILTERS, "skips": True}
    failing = []
    checks = {"build_unet_layers": test_build_unet_layers, "build_unet_connections": test_build_unet_connections,
              "build_unet_output": test_build_unet_output}
    for name, check in checks.items():
        try:
            check(student, case)
        except (CheckFailure, StudentError):
            failing.append(name)
    return failing
