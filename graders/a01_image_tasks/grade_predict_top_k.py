"""Hidden graders of 01_image_tasks, predict_top_k: the k most probable labels under a classifier.

A model cannot cross the bridge: grading_helpers.py builds a model of known output in the kernel
(`top_k_fixed`) or uses the notebook's shapes model (`top_k_shapes`) and calls the student's function.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure, matching_mistakes
from convlab.runtime.student import StudentError
from graders.a01_image_tasks import cases as C
from graders.a01_image_tasks.cases import CHECK

TOP_K = C.top_k_cases("predict_top_k")
SHAPE_CLASSES = ["circle", "square", "triangle"]


def _fixed_top_k(student, case: tuple) -> tuple[Any, str, list, tuple]:
    p, labels, k, size = case
    call = f"predict_top_k(model with {len(p)} classes and input size {size}, image 30x45x3, labels, k={k})"
    got = C.via_helper(student, "grading_helpers.top_k_fixed", "predict_top_k", p, C.TOP_K_IMAGE, labels, k, size)
    if not isinstance(got.value, dict):
        raise CheckFailure(f"{call} could not be run through grading_helpers.py")
    expected = C.ref.predict_top_k(C.FixedModel(p, size), C.TOP_K_IMAGE, labels, k)
    return got.value, call, expected, (p.astype(np.float64), labels, k)


@cases(TOP_K, fresh=lambda rng: C.top_k_cases(rng, 2), kind=C.top_k_kind)
def test_predict_top_k_order(student, case):
    """predict_top_k with known probabilities: highest first, ties to the lower class index, k larger than the classes."""
    value, call, expected, args = _fixed_top_k(student, case)
    top = value.get("top")
    if not isinstance(top, list):
        raise CheckFailure(f"{call} did not return a list of (label, probability) tuples")
    if not C.pairs_same(top, expected):
        got_labels = [str(t[0]) if isinstance(t, list) and t else "?" for t in top]
        raise CheckFailure.naming(f"{call} returned the labels {got_labels}, expected the {len(expected)} most "
                                  "probable in descending order of probability.",
                                  matching_mistakes(CHECK.mistakes_of("predict_top_k"), args, None, top, C.pairs_same))


@cases(TOP_K[:3], fresh=lambda rng: C.top_k_cases(rng, 1), kind=C.top_k_input_kind)
def test_predict_top_k_input(student, case):
    """predict_top_k gives the model one image preprocessed at the model's own input size (not always 224)."""
    value, call, _, _ = _fixed_top_k(student, case)
    inputs = value.get("inputs") or []
    if len(inputs) != 1:
        raise CheckFailure(f"{call} called model.predict {len(inputs)} times; call it once with the preprocessed batch")
    size = case[3]
    x = np.asarray(inputs[0], dtype=float)
    expected = C.ref.preprocess_for_model(C.TOP_K_IMAGE, size)
    if x.shape != expected.shape:
        raise CheckFailure(f"{call} gave the model an input of shape {x.shape}, expected {expected.shape} "
                           "(preprocess at model.input_shape[1])")
    error = float(np.abs(x - expected).mean())
    if error > C.MEAN_TOLERANCE:
        raise CheckFailure(f"{call}: the model's input differs from preprocess_for_model(image, {size}) by "
                           f"{error:.3g} on average")


def _model_input(student, image: np.ndarray) -> np.ndarray:
    """The input whose probabilities predict_top_k must return: the student's own preprocessing where the
    preprocessing checks accept it (another library's resize, which the notebook allows: on an ambiguous
    shape the model's probabilities move with it by up to 0.15), else the reference's."""
    expected = C.ref.preprocess_for_model(image, 64)
    try:
        own = np.asarray(student.call("preprocess_for_model", image, 64).value, dtype=np.float32)
    except (StudentError, TypeError, ValueError):
        return expected
    accepted = own.shape == expected.shape and float(np.abs(own - expected).mean()) <= C.MEAN_TOLERANCE
    return own if accepted else expected


@cases(C.shape_photos("predict_top_k_shapes_model"), fresh=lambda rng: C.shape_photos(rng, 1),
       kind=C.shape_photo_kind)
def test_predict_top_k_shapes_model(student, case):
    """predict_top_k with the shipped shapes classifier on raw, non-square photos of shapes."""
    image, k = case
    call = f"predict_top_k(shapes_model, uint8 photo {C.shape_text(image)}, CLASSES, k={k})"
    top = C.via_helper(student, "grading_helpers.top_k_shapes", "predict_top_k", image, k).value
    # The model runs in the student's kernel: no Keras in the grading process.
    probabilities = np.asarray(student.call("shapes_model.predict", _model_input(student, image),
                                            verbose=0).value, dtype=float)[0]
    if not isinstance(top, list) or len(top) != k:
        raise CheckFailure(f"{call} returned {len(top) if isinstance(top, list) else 'no list'} entries, expected {k}")
    try:
        pairs = [(str(t[0]), float(t[1])) for t in top]
    except (TypeError, ValueError, IndexError):
        raise CheckFailure(f"{call} did not return (label, probability) tuples") from None
    for (_label, p), (_, p_next) in zip(pairs, pairs[1:], strict=False):
        if p_next > p + 1e-6:
            ascending = [m for m in CHECK.mistakes_of("predict_top_k") if m.id == "ascending"]
            raise CheckFailure.naming(f"{call}: probabilities are not in descending order.", ascending)
    order = np.argsort(-probabilities, kind="stable")
    for rank, (label, p) in enumerate(pairs):
        if label not in SHAPE_CLASSES or abs(p - probabilities[SHAPE_CLASSES.index(label)]) > 0.05:
            raise CheckFailure(f"{call}: {label!r} with probability {p:.3g} does not match the model's output")
        if probabilities[order[rank]] - probabilities[SHAPE_CLASSES.index(label)] > 0.05:
            raise CheckFailure(f"{call}: {label!r} is not the class of rank {rank + 1}")
