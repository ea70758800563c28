"""Grading outcomes of 04_stacked_convs: reference full marks, untouched release 0, deterministic results;
and properties of the hidden cases and known mistakes that make the graders general.

The corpus (tests/corpus/04_stacked_convs*) is graded by tests/test_corpus.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from support.grading import grade_nb, graded_reference, reference_of, release_of, scores_by_check

from convlab.checking.checks import CheckFailure
from convlab.runtime.bridge import Returned
from graders.a04_stacked_convs import cases as C
from graders.a04_stacked_convs import grade_stacked_convs as T
from graders.a04_stacked_convs.mistakes import MISTAKES
from solutions import stacked_convs as ref

ASSIGNMENT = "04_stacked_convs"


# -- the hidden cases cover what the issue asks for ------------------------------------------------


def _all_specs() -> list[tuple[tuple[int, int, int], list[dict]]]:
    return (T.SHAPES_CONV + T.SHAPES_NETWORK + T.PARAMS_CONV + T.PARAMS_NETWORK
            + [(shape, spec) for shape, spec, _ in T.MODEL_CASES]
            + [(x.shape[1:], spec) for x, _, spec in T.FORWARD_CONV + T.FORWARD_NETWORK])


def test_hidden_specs_cover_the_required_structures() -> None:
    specs = _all_specs()
    assert all(shape[2] > 1 for shape, _ in specs), "every input has several channels"
    for shape, spec in specs:
        maps = [s for s in ref.output_shapes(shape, spec) if len(s) == 3]
        assert all(h * w > 1 for h, w, _ in maps), "no map shrinks to 1x1"
    layers = [layer for _, spec in specs for layer in spec]
    assert any(layer["type"] == "conv2d" and "strides" not in layer for layer in layers)
    assert any(layer["type"].endswith("pool2d") and "strides" not in layer for layer in layers)
    assert any(layer["type"] == "dropout" for layer in layers)
    assert any(layer.get("padding") == "same" and layer.get("strides", 1) > 1 for layer in layers)
    assert any(layer.get("dilation_rate", 1) > 1 for layer in layers)
    assert any(layer.get("use_bias") is False for layer in layers)
    pooled_before_flatten = stride_then_kernel = False
    for _, spec in specs:
        kinds = [layer["type"] for layer in spec]
        if "flatten" in kinds and any(k.endswith("pool2d") for k in kinds[: kinds.index("flatten")]):
            pooled_before_flatten = True
        for i, layer in enumerate(spec):
            if layer.get("strides", 1) > 1 and any(later["type"] == "conv2d" for later in spec[i + 1:]):
                stride_then_kernel = True
    assert pooled_before_flatten and stride_then_kernel


def test_hidden_pool_and_stack_inputs_are_general() -> None:
    pools = [case for cases in T.POOLS.values() for case in cases]
    assert any(np.all(case["x"] < 0) for case in pools), "all-negative maps catch zero padding in max pooling"
    assert any("strides" not in case for case in pools) and any(case.get("strides", 0) is None for case in pools)
    assert all(case["x"].shape[3] > 1 for case in pools)
    stacks = T.STACK_VALUES + T.STACK_INPUTS
    assert any(len(layers) >= 2 for _, layers in stacks)
    assert any(np.asarray(images).dtype == np.uint8 for images, _ in stacks if not isinstance(images, list))
    assert any(isinstance(images, list) for images, _ in stacks)


def test_receptive_field_cases_include_early_strides_and_omitted_keys() -> None:
    stacks = T.RF_IMPULSE + T.RF_DEFAULTS
    assert any(layers[0].get("strides", 1) > 1 and len(layers) > 1 for layers in stacks)
    assert any("dilation_rate" not in layer for layers in T.RF_DEFAULTS for layer in layers)


def test_grader_cases_never_reuse_the_notebooks_examples() -> None:
    visible_shapes = {(100, 100, 3), (15, 20, 3), (10, 10, 2), (12, 10, 2), (9, 11, 2)}
    assert visible_shapes == C.NOTEBOOK_SHAPES
    assert not visible_shapes & {tuple(shape) for shape, _ in _all_specs()}


def test_shapes_accept_numpy_integers_but_not_floats() -> None:
    # numpy integers cross the bridge as 0-d arrays; 3.0 is not a shape entry.
    got = Returned([[np.array(3), 4, np.array(2)], [np.array(24)]], "list", [])
    assert T._as_shapes(got, "output_shapes(...)", 2) == [(3, 4, 2), (24,)]
    with pytest.raises(CheckFailure, match="tuple of ints"):
        T._as_shapes(Returned([[3.0, 4, 2]], "list", []), "output_shapes(...)", 1)
    with pytest.raises(CheckFailure, match="one per spec entry"):
        T._as_shapes(Returned([[3, 4, 2]], "list", []), "output_shapes(...)", 2)


# -- every known mistake is a real mistake on the hidden cases -------------------------------------


def _differs(expected: object, wrong: object) -> bool:
    if isinstance(expected, np.ndarray):
        wrong = np.asarray(wrong, dtype=float)
        return wrong.shape != expected.shape or not np.allclose(wrong, expected, rtol=1e-5, atol=1e-6)
    return list(map(tuple, expected)) != list(map(tuple, wrong)) if isinstance(expected, list) and expected and \
        isinstance(expected[0], tuple) else expected != wrong


def _inputs(name: str) -> list[tuple[tuple, dict]]:
    if name == "conv_stack":
        return [((images, layers), {}) for images, layers in T.STACK_VALUES + T.STACK_INPUTS]
    if name == "receptive_field":
        return [((layers,), {}) for layers in T.RF_IMPULSE + T.RF_DEFAULTS]
    if name in ("max_pool2d", "avg_pool2d"):
        return [((), case) for (fn, _), cases in T.POOLS.items() if fn == name for case in cases]
    if name in ("output_shapes", "count_params"):
        return [(case, {}) for case in T.SHAPES_CONV + T.SHAPES_NETWORK + T.PARAMS_CONV + T.PARAMS_NETWORK]
    return [(case, {}) for case in T.FORWARD_CONV + T.FORWARD_NETWORK]


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_every_mistake_differs_from_the_reference_on_some_hidden_case(name: str) -> None:
    reference = getattr(ref, name)
    inputs = _inputs(name)
    expected = [reference(*args, **kwargs) for args, kwargs in inputs]
    if name == "receptive_field":
        expected = [list(C.impulse_receptive_field(args[0])) for args, _ in inputs]
    for mistake_id, _, fn in MISTAKES[name]:
        wrong = [fn(*args, **kwargs) for args, kwargs in inputs]
        assert any(_differs(e, w) for e, w in zip(expected, wrong)), f"{name}/{mistake_id} is never caught"


# -- whole-notebook outcomes -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_result():
    return graded_reference(ASSIGNMENT)


@pytest.mark.slow
def test_reference_gets_full_marks(reference_result):
    lost = {c: m for c, (s, mx, m) in scores_by_check(reference_result).items() if s < mx - 1e-9}
    assert not lost, lost
    assert reference_result.score == reference_result.max_score == 19


@pytest.mark.slow
def test_untouched_release_scores_zero(tmp_path):
    result = grade_nb(release_of(ASSIGNMENT), tmp_path, assignment=ASSIGNMENT)
    assert result.score == 0
    messages = [m for _, _, m in scores_by_check(result).values()]
    assert all("not implemented yet" in m for m in messages), messages


@pytest.mark.slow
def test_grading_is_deterministic(reference_result, tmp_path):
    again = grade_nb(reference_of(ASSIGNMENT), tmp_path, assignment=ASSIGNMENT)
    assert scores_by_check(again) == scores_by_check(reference_result)
