"""Hidden graders of assignment 05_keras_cnn: one `test_<check id>` per check, its cases in `cases.py`.

Models never leave the student's kernel as objects: architectures are read from the model
description the bridge returns (layer classes, shapes, parameter counts, `to_json()`), and trained
models are scored by sending images in and reading probabilities or labels back. Accuracies,
expected feature maps (recomputed in numpy from the model's weights) and every other expected value
are computed here, in the grading process.
"""

from __future__ import annotations

import ast
from typing import Any

import numpy as np
import pytest

from convlab.checking.banned import banned_library_use
from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure, expect_array, matching_mistakes
from convlab.checking.code_reading import referenced_names
from convlab.checking.memo import memo
from convlab.checking.pictures import with_gallery, with_picture
from convlab.runtime.bridge import Returned
from convlab.runtime.student import StudentError
from graders.a05_keras_cnn import cases as C
from graders.a05_keras_cnn import grader_model
from graders.a05_keras_cnn import protocol as P
from graders.a05_keras_cnn.cases import CHECK

MAX_PARAMS = 150_000
POOLING = {"MaxPooling2D", "AveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling2D"}
SPARSE_LOSSES = {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"}
EXPECTED_STEPS = -(-int(P.SHAPES_TRAIN_SIZE * 0.8) // 32)  # batches per epoch with validation_split=0.2

BUILD_CASES = C.build_cases("build_cnn", 4)
FUNCTIONAL_CASES = BUILD_CASES[:3]
PREDICT_CASES = C.predict_cases("predict_classes_labels")
CONFUSION_CASES = C.confusion_cases()
FEATURE_CASES = C.feature_cases("feature_maps_values", 6)
DIGITS_CASES = C.digits_cases()
SPLIT_CASES = C.split_cases()


def _cell_failure(student, grade_id: str) -> str:
    """Why a read-only cell of the notebook failed, if it did, as a phrase for the student."""
    return _cell_failure_and_mistake(student, grade_id)[0]


def _cell_mistake(student, grade_id: str) -> str:
    """The id of the known mistake that made a read-only cell fail ('' if none is known)."""
    return _cell_failure_and_mistake(student, grade_id)[1]


def _cell_failure_and_mistake(student, grade_id: str) -> tuple[str, str]:
    for run in getattr(student, "runs", []):
        if run.cell.grade_id == grade_id and not run.result.ok:
            if run.result.status == "timeout":
                return (f"was stopped ({run.result.error}): make the training cheaper (fewer filters at full "
                        "resolution, pooling earlier)"), "training_too_slow"
            if run.result.status == "died":
                return "made the kernel die (out of memory?)", ""
            if run.result.ename == "NotImplementedError":
                return "calls a function that is not implemented yet", ""
            mistake_id, hint = _training_mistake(run.result.error)
            return f"failed with {run.result.error}.{hint}", mistake_id
    return "", ""


def _training_mistake(error: str) -> tuple[str, str]:
    """(mistake id, hint sentence) of a known training error, ('', '') when none fits."""
    text = error.lower()
    if "shape" in text and ("target" in text or "label" in text or "logits" in text or "incompatible" in text):
        return "labels_and_loss_disagree", (
            " Likely mistake: labels and loss disagree: one-hot labels need categorical_crossentropy, "
            "integer labels (as here) need sparse_categorical_crossentropy, and one-hot labels with a "
            "sparse loss (or the reverse) fail like this.")
    if "expected" in text and ("ndim" in text or "min_ndim" in text or "rank" in text):
        return "no_channels_axis", " Likely mistake: the images have no channels axis; Keras wants (N, H, W, C)."
    return "", ""


def _notebook_variable(student, name: str, cell: str) -> Returned:
    try:
        return student.get(name)
    except StudentError:
        failure = _cell_failure(student, cell)
        if failure:
            error = StudentError(f"`{name}` is missing because the read-only cell `{cell}` {failure}", function=name,
                                 kind="missing")
            error.mistake_id = _cell_mistake(student, cell)
            raise error from None
        raise


# -- build_cnn -------------------------------------------------------------------------------------


def _build(student, fn: str, input_shape: tuple[int, int, int], n_classes: int) -> Returned:
    def compute() -> Returned:
        got = student.call(fn, input_shape, n_classes)
        if not isinstance(got.value, dict) or "layers" not in got.value:
            raise CheckFailure(f"{fn}{(input_shape, n_classes)} returned a {got.type_name}, not a Keras model")
        return got
    return memo(student, ("build", fn, input_shape, n_classes), compute)


def _loss_kind(loss: object) -> object:
    """The loss as a string, or its class name as a snake_case string (the bridge gives either)."""
    if isinstance(loss, str) and loss[:1].isupper():
        return "".join("_" + c.lower() if c.isupper() else c for c in loss).lstrip("_")
    return loss


def _classes(model: dict) -> list[str]:
    return [layer["class"] for layer in model["layers"] if layer["class"] != "InputLayer"]


def _call(fn: str, input_shape: tuple, n_classes: int) -> str:
    return f"{fn}({input_shape}, {n_classes})"


@cases(BUILD_CASES, fresh=lambda rng: C.build_cases(rng, 1), kind=C.build_kind)
def test_build_cnn_layers(student, case):
    """build_cnn returns a keras.Sequential with at least two Conv2D layers and at least one pooling layer."""
    got = _build(student, "build_cnn", *case)
    call = _call("build_cnn", *case)
    if not got.type_name.endswith("Sequential"):
        raise CheckFailure(f"{call} returned a {got.type_name.rsplit('.', 1)[-1]}; build it with keras.Sequential")
    classes = _classes(got.value)
    if classes.count("Conv2D") < 2:
        raise CheckFailure(f"{call} has {classes.count('Conv2D')} Conv2D layer(s) ({', '.join(classes)}); use at least two")
    if not POOLING & set(classes):
        raise CheckFailure(f"{call} has no pooling layer ({', '.join(classes)}): add MaxPooling2D after a "
                           "convolution block")


@cases(BUILD_CASES, fresh=lambda rng: C.build_cases(rng, 1), kind=C.build_kind)
def test_build_cnn_output(student, case):
    """build_cnn ends with n_classes units and a softmax, so it outputs one probability per class."""
    got = _build(student, "build_cnn", *case)
    call = _call("build_cnn", *case)
    input_shape, n_classes = case
    last = got.value["layers"][-1]
    shape = last.get("output_shape")
    if shape is not None and list(shape) != [None, n_classes]:
        raise CheckFailure(f"{call}: the output shape is {tuple(shape)}, expected (None, {n_classes}): the last "
                           "Dense layer needs n_classes units")
    if last["activation"] != "softmax" and last["class"] != "Softmax":
        act = last["activation"] or "none"
        why = ("gives each class an independent 0..1 score that does not sum to 1" if act == "sigmoid"
               else "outputs unnormalised scores (logits)")
        raise CheckFailure(f"{call}: the last layer's activation is {act!r}, which {why}; use "
                           "activation='softmax' so the outputs are class probabilities")


@cases(BUILD_CASES, fresh=lambda rng: C.build_cases(rng, 1), kind=C.build_kind)
def test_build_cnn_size(student, case):
    """build_cnn takes images of input_shape and has at most 150,000 parameters."""
    got = _build(student, "build_cnn", *case)
    call = _call("build_cnn", *case)
    input_shape, _ = case
    if got.value.get("input_shape") != [None, *input_shape]:
        raise CheckFailure(f"{call}: the model's input shape is {got.value.get('input_shape')}, expected "
                           f"{[None, *input_shape]}: start with keras.Input(shape=input_shape)")
    params = got.value.get("count_params") or 0
    if params > MAX_PARAMS:
        raise CheckFailure(f"{call} has {params:,} parameters, more than {MAX_PARAMS:,}: add pooling before "
                           "Flatten or use fewer filters or Dense units")


@cases(BUILD_CASES[:2], fresh=lambda rng: C.build_cases(rng, 1), kind=C.build_kind)
def test_build_cnn_compiled(student, case):
    """build_cnn returns a compiled model whose loss fits integer labels (sparse_categorical_crossentropy)."""
    got = _build(student, "build_cnn", *case)
    call = _call("build_cnn", *case)
    if not got.value.get("compiled"):
        raise CheckFailure(f"{call} returned a model that is not compiled: call model.compile(...)")
    loss = got.value.get("loss")
    if loss not in SPARSE_LOSSES:
        hint = ""
        one_hot = loss in ("categorical_crossentropy", "CategoricalCrossentropy")
        if one_hot:
            hint = (" categorical_crossentropy expects one-hot labels, but the labels here are integers "
                    "0..n-1;")
        raise CheckFailure(f"{call} is compiled with the loss {loss!r}.{hint} use "
                           "loss='sparse_categorical_crossentropy'",
                           mistake_id="categorical_loss" if one_hot else "wrong_loss")


# -- build_cnn_functional --------------------------------------------------------------------------


@cases(FUNCTIONAL_CASES, fresh=lambda rng: C.build_cases(rng, 1), kind=C.build_kind)
def test_build_cnn_functional_api(student, case):
    """build_cnn_functional returns a compiled keras.Model built with the Functional API (not a Sequential)."""
    got = _build(student, "build_cnn_functional", *case)
    call = _call("build_cnn_functional", *case)
    kind = got.type_name.rsplit(".", 1)[-1]
    if kind != "Functional":
        raise CheckFailure(f"{call} returned a {kind}; connect the layers with the Functional API and return "
                           "keras.Model(inputs=..., outputs=...)")
    if not got.value.get("compiled"):
        raise CheckFailure(f"{call} returned a model that is not compiled: call model.compile(...)")


@pytest.mark.relies_on("build_cnn", "build_cnn_layers", "build_cnn_output", "build_cnn_size", "build_cnn_compiled")
@cases(FUNCTIONAL_CASES, fresh=lambda rng: C.build_cases(rng, 1), kind=C.build_kind)
def test_build_cnn_functional_same(student, case):
    """build_cnn_functional has the same layer types, in the same order, and the same parameter count as build_cnn."""
    functional = _build(student, "build_cnn_functional", *case).value
    sequential = _build(student, "build_cnn", *case).value
    call = _call("build_cnn_functional", *case)
    a, b = _classes(functional), _classes(sequential)
    if a != b:
        raise CheckFailure(f"{call}: its layers differ from build_cnn's: {', '.join(a)} vs {', '.join(b)}")
    if functional.get("count_params") != sequential.get("count_params"):
        raise CheckFailure(f"{call} has {functional.get('count_params'):,} parameters, build_cnn has "
                           f"{sequential.get('count_params'):,}: the layers' sizes differ")
    if _loss_kind(functional.get("loss")) != _loss_kind(sequential.get("loss")):
        raise CheckFailure(f"{call} is compiled with the loss {functional.get('loss')!r}, build_cnn with "
                           f"{sequential.get('loss')!r}: compile both the same way")


# -- train: the history and the trained models -----------------------------------------------------


def test_train_history(student):
    """The notebook's `history` comes from fit with validation_split=0.2 and batch_size=32, for the 10 epochs asked."""
    got = _notebook_variable(student, "history", "train_shapes")
    value = got.value
    if not isinstance(value, dict) or "history" not in value:
        raise CheckFailure(f"`history` is a {got.type_name}; train must return what model.fit returns")
    keys = set(value["history"])
    if "val_loss" in keys and "val_accuracy" not in keys:
        raise CheckFailure(f"the history has {sorted(keys)} but no accuracy: compile with metrics=['accuracy']")
    if not {"val_loss", "val_accuracy"} <= keys:
        raise CheckFailure(f"the history has {sorted(keys)} but no validation metrics: pass "
                           "validation_split=0.2 to model.fit")
    epochs = len(value.get("epoch", []))
    if epochs != P.SHAPES_EPOCHS:
        raise CheckFailure(f"the model was trained for {epochs} epoch(s), the notebook asks for "
                           f"{P.SHAPES_EPOCHS}: pass epochs=epochs to model.fit")
    steps = value.get("params", {}).get("steps")
    if steps is not None and steps != EXPECTED_STEPS:
        raise CheckFailure(f"each epoch ran {steps} batches; with validation_split=0.2 and batch_size=32 on "
                           f"{P.SHAPES_TRAIN_SIZE} images it runs {EXPECTED_STEPS}")


def _accuracy(student, variable: str, cell: str, images: np.ndarray, labels: np.ndarray, n_classes: int) -> float:
    def compute() -> float:
        _notebook_variable(student, variable, cell)  # a clear message when the training cell failed
        got = student.call(f"{variable}.predict", images, verbose=0)
        probs = np.asarray(got.value) if isinstance(got.value, np.ndarray) else None
        if probs is None or probs.shape != (len(images), n_classes):
            shape = None if probs is None else probs.shape
            raise CheckFailure(f"{variable}.predict on {len(images)} images returned {shape}, expected "
                               f"({len(images)}, {n_classes}) class probabilities")
        return float(np.mean(np.argmax(probs, axis=1) == labels))
    return memo(student, ("accuracy", variable), compute)


def _check_band(student, accuracy: float, level: float, task: str, what: str, cell: str) -> None:
    if accuracy < level:
        failure = _cell_failure(student, cell)
        why = (f"the training cell `{cell}` {failure}" if failure else
               "check that the model trains (loss going down, enough epochs, a sensible learning rate) and "
               "that the images are prepared as asked")
        raise CheckFailure(f"accuracy {accuracy:.4f} on {what} is below {level:.2f} (pass mark "
                           f"{P.THRESHOLDS[task]:.2f}): {why}", mistake_id=_cell_mistake(student, cell))


SHAPES_BANDS = P.band_levels("shapes")
DIGITS_BANDS = P.band_levels("digits")


@pytest.mark.weight(4)
@pytest.mark.parametrize("level", SHAPES_BANDS, ids=[f"at_least_{b:.2f}" for b in SHAPES_BANDS])
def test_train_shapes_accuracy(student, level):
    """Accuracy of the trained `model` on 900 new shapes drawn with a seed only the grader knows (one share per band reached)."""
    images, labels = P.shapes_grader_set()
    accuracy = _accuracy(student, "model", "train_shapes", images, labels, 3)
    _check_band(student, accuracy, level, "shapes", f"{len(images)} unseen shapes", "train_shapes")


@pytest.mark.parametrize("level", DIGITS_BANDS, ids=[f"at_least_{b:.2f}" for b in DIGITS_BANDS])
def test_train_digits_accuracy(student, level):
    """Accuracy of `digits_model` on the held-out digits, prepared as Task 7 asks (one share per band reached)."""
    _, _, images, labels = P.digits_split()
    accuracy = _accuracy(student, "digits_model", "train_digits", images, labels, 10)
    _check_band(student, accuracy, level, "digits", f"{len(images)} held-out digits", "train_digits")


# -- predict_classes -------------------------------------------------------------------------------
# Graded on a model the grader supplies (graders/a05_keras_cnn/grader_model.py), sent to the kernel
# as architecture and weights: a correct predict_classes earns its points whatever build_cnn did.


def _close(got: Any, wrong: Any) -> bool:
    got, wrong = np.asarray(got), np.asarray(wrong)
    return got.shape == wrong.shape and got.dtype.kind in "biuf" and bool(np.allclose(got, wrong, rtol=1e-4, atol=1e-5))


def _with_misclassified(failure: CheckFailure, images: np.ndarray, expected: np.ndarray, got: Any,
                        call: str) -> CheckFailure:
    """The failure with a few of the images whose label differs (when the labels have the right shape)."""
    labels = np.asarray(got) if isinstance(got, np.ndarray) else None
    if labels is None or labels.shape != expected.shape:
        return failure
    wrong = np.flatnonzero(labels != expected)[:6]
    return with_gallery(failure, [images[i] for i in wrong],
                        [f"expected {expected[i]}, yours {labels[i]}" for i in wrong], title=call)


@cases(PREDICT_CASES, fresh=C.predict_cases, kind=C.predict_kind)
def test_predict_classes_labels(student, case):
    """predict_classes(model, images) returns the int label of the most probable class of each image
    (1 to 40 images, float32 and float64), on a small model the grader supplies."""
    images = P.shapes_grader_set()[0][list(case["index"])]
    if case["float64"]:
        images = images.astype(np.float64)
    probs = C.grader_probs(case["model"], case["index"])
    got = student.call("predict_classes", C.grader_model_spec(case["model"]), images)
    call = f"predict_classes(model, images of shape {images.shape}, {images.dtype})"
    expected = np.argmax(probs, axis=1)
    try:
        expect_array(got, expected, call=call, atol=0, rtol=0, require_ndarray=True)
    except CheckFailure as exc:
        # The mistakes take the model's probabilities, not the call's arguments; it runs in float32
        # in the kernel and in float64 here, so they match within a float tolerance.
        found = matching_mistakes(CHECK.mistakes_of("predict_classes"), (probs,), None, got.value, _close)
        raise _with_misclassified(CheckFailure.naming(exc.base, found), images, expected, got.value, call) from None
    if np.asarray(got.value).dtype.kind not in "iu":
        raise CheckFailure(f"{call} returned {np.asarray(got.value).dtype} labels; return ints (argmax gives them)")


# -- confusion_matrix ------------------------------------------------------------------------------


@cases(CONFUSION_CASES, fresh=lambda rng: C.confusion_cases(rng, 2), kind=C.confusion_kind)
def test_confusion_matrix_counts(student, case):
    """confusion_matrix counts true classes on rows and predictions on columns, for lists, int arrays
    and classes that never occur."""
    CHECK.expect_call(student, "confusion_matrix", *case, atol=0, rtol=0)


BANNED_SKLEARN = {"scikit-learn": ("sklearn",)}


def _sklearn_aliases(student) -> set[str]:
    """Names the student imported from scikit-learn anywhere (e.g. `from sklearn.metrics import ... as cm`)."""
    names: set[str] = set()
    for cell in student.cells:
        try:
            tree = ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line
                                       for line in cell.source.splitlines()))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sklearn":
                names.update(alias.asname or alias.name for alias in node.names)
    return names


@cases(CONFUSION_CASES[1:2], fresh=lambda rng: C.confusion_cases(rng, 2)[1:], kind=C.confusion_kind)
def test_confusion_matrix_no_sklearn(student, case):
    """confusion_matrix is computed with numpy, without scikit-learn."""
    CHECK.expect_call(student, "confusion_matrix", *case, atol=0, rtol=0)
    functions = student.defined_functions()
    used = banned_library_use(functions, "confusion_matrix", (), BANNED_SKLEARN)
    fn = functions.get("confusion_matrix")
    if fn is not None and not used:
        referenced = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
        # The notebook imports load_digits itself; only names the function uses count.
        if referenced & (_sklearn_aliases(student) - {"load_digits"}):
            used = ["scikit-learn"]
    if used:
        raise CheckFailure("confusion_matrix uses scikit-learn, which this task asks you not to use: count the "
                           "pairs with numpy (np.zeros and a loop, or np.add.at)")


# -- feature_maps ----------------------------------------------------------------------------------
# Graded on the grader's model too; its layers' activations are recomputed in numpy.


@cases(FEATURE_CASES, fresh=lambda rng: C.feature_cases(rng, 3), kind=lambda case: case["layer"],
       ids=[f"image{c['image']}_{c['layer']}" for c in FEATURE_CASES])
def test_feature_maps_values(student, case):
    """feature_maps(model, image, name) equals that layer's activations (a Conv2D, the pooling after
    it, the output layer), without the batch axis, on a small model the grader supplies."""
    image = P.shapes_grader_set()[0][case["image"]]
    model, name = C.grader_model_spec(case["model"]), case["layer"]
    expected = grader_model.activations(model, image)
    try:
        got = student.call("feature_maps", model, image, name)
    except StudentError as exc:
        # Keras 3 raises AttributeError for `model.input` of a Sequential model never called on a tensor.
        code = student.defined_functions().get("feature_maps")
        if exc.raised("AttributeError") and code is not None and "input" in referenced_names(code)[1]:
            raise CheckFailure(f"{exc} Likely mistake: Keras 3 Sequential models have no `model.input`; "
                               "use `model.inputs`.", mistake_id="keras3_model_input") from None
        raise
    call = f"feature_maps(model, one 32x32x1 image, {name!r})"
    arr = np.asarray(got.value) if isinstance(got.value, np.ndarray) else None
    want = expected[name]
    if arr is not None and arr.shape == (1, *want.shape):
        raise CheckFailure(f"{call} has shape {arr.shape}: drop the batch axis (return the [0] element)",
                           mistake_id="feature_maps_batch_axis")
    for other, values in expected.items():
        if other != name and arr is not None and values.shape == arr.shape and (
                arr.shape != want.shape or np.allclose(arr, values, rtol=1e-3, atol=1e-4)):
            raise CheckFailure(f"{call} returned the activations of layer {other!r}: wrong layer; take "
                               "model.get_layer(layer_name).output", mistake_id="feature_maps_wrong_layer")
    try:
        expect_array(got, want, call=call, rtol=1e-3, atol=1e-4)
    except CheckFailure as exc:
        raise with_picture(exc, want, arr, title=call) from None


# -- prepare_digits --------------------------------------------------------------------------------


@cases(DIGITS_CASES, fresh=lambda rng: C.digits_cases(rng, 2), kind=C.digits_kind, argname="images")
def test_prepare_digits_values(student, images):
    """prepare_digits gives (N, 16, 16, 1) floats in [0, 1]: scaled by 1/16, each pixel repeated 2x2, channels axis added."""
    CHECK.expect_call(student, "prepare_digits", images, rtol=1e-6, atol=1e-6, require_ndarray=True,
                      require_float=True)


# -- split_holdout ---------------------------------------------------------------------------------


@cases(SPLIT_CASES, fresh=lambda rng: C.split_cases(rng, 2), kind=C.split_kind)
def test_split_holdout_indices(student, case):
    """split_holdout returns disjoint (train_idx, test_idx) covering 0..n-1, the test set being the
    first round(test_fraction*n) of the seeded permutation."""
    n, fraction, seed = case
    got = student.call("split_holdout", n, test_fraction=fraction, seed=seed)
    call = f"split_holdout({n}, test_fraction={fraction}, seed=<a seed>)"
    value = got.value
    if isinstance(value, list) and len(value) == 2 and all(np.ndim(v) == 1 for v in value):
        shared = np.intersect1d(*value).size
        if shared:
            found = matching_mistakes(CHECK.mistakes_of("split_holdout"), case, None, value, _all_equal)
            raise CheckFailure.naming(f"{call}: {shared} index(es) are in both the training and the test set, so "
                                      "the test set is not held out.", found)
    CHECK.expect_returned(got, "split_holdout", n, test_fraction=fraction, seed=seed, atol=0, rtol=0, describe=call,
                          parts=("train_idx", "test_idx"))


def _all_equal(got: Any, wrong: Any) -> bool:
    return all(np.shape(a) == np.shape(b) and np.array_equal(a, b) for a, b in zip(got, wrong, strict=True))
