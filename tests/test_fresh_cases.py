"""Cases drawn per submission (convlab/checking/cases.py): the same code draws the same cases, other code draws
others, and an answer copied from the feedback into a table passes the fixed cases but not the fresh
ones. The engine-level proof (such entries lose points when graded) is in the corpus tests."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from convlab.checking.cases import FRESH_PREFIX, case_kwargs, case_values, cases, kinds_of
from convlab.checking.checks import CheckFailure
from convlab.dev.corpus import corpus
from convlab.runtime.bridge import call_key
from convlab.runtime.seed import submission_seed
from convlab.runtime.student import StudentError
from convlab.settings import REPO_ROOT

HARDCODED = [(a, e) for a in ("01_image_tasks", "02_conv1d", "04_stacked_convs")
             for e in corpus(a) if e.name.endswith("_hardcoded_from_feedback")]
GRADERS = {"01_image_tasks": "graders.a01_image_tasks.grade_annotation_hours",
           "02_conv1d": "graders.a02_conv1d.grade_conv1d",
           "04_stacked_convs": "graders.a04_stacked_convs.grade_stacked_convs"}
GRADER_MODULES = sorted(f"graders.{path.parent.name}.{path.stem}"
                        for path in (REPO_ROOT / "graders").glob("a*/grade_*.py"))


def test_the_seed_follows_the_code_and_only_the_code():
    cells = ["import numpy as np", "def f(x):\n    return x"]
    assert submission_seed(cells) == submission_seed(list(cells))
    assert submission_seed(cells) != submission_seed([cells[0], cells[1] + " + 0"])
    assert submission_seed(cells) != submission_seed(["".join(cells)]), "cell boundaries count"


def test_fixed_cases_come_first_and_fresh_cases_depend_on_the_seed():
    mark = cases([10, 20], fresh=lambda rng: [int(rng.integers(1000))] * 2).mark
    argname, values, ids = case_values(mark, seed=1, check_id="demo")
    assert argname == "case" and values[:2] == [10, 20] and ids == ["case00", "case01", "fresh00", "fresh01"]
    assert case_values(mark, 1, "demo")[1] == values, "same submission, same cases"
    drawn = {tuple(case_values(mark, seed, "demo")[1][2:]) for seed in range(20)}
    assert len(drawn) > 10, "other submissions draw other cases"
    assert case_values(mark, 1, "other")[1][2:] != values[2:], "each check draws its own cases"


# Checks without fresh cases, and why: nothing to vary, or a case is a model trained or built in the kernel.
WITHOUT_FRESH = {
    "sobel_kernels_values": "constants", "laplacian_kernel_values": "constants",
    "train_digits_accuracy": "a trained model", "train_history": "a trained model",
    "train_shapes_accuracy": "a trained model", "detector_map": "a trained model",
    "unet_trained_mean_iou": "a trained model",
    "build_detector_layers": "a Keras model built in the kernel", "build_detector_output": "a Keras model built in the kernel",
    "kmeans_anchors_quality": "clustering quality on the training boxes, one fixed set",
    "non_max_suppression_no_tensorflow": "reads the code; its value comes from the value checks",
    "atrous_conv2d_no_tensorflow": "reads the code", "conv2d_transpose_no_tensorflow": "reads the code",
    "unet_param_count_no_keras": "reads the code",
}


def test_every_check_draws_fresh_cases_unless_there_is_nothing_to_vary():
    for name in GRADER_MODULES:
        module = importlib.import_module(name)
        for attr in dir(module):
            if not attr.startswith("test_"):
                continue
            check = attr.removeprefix("test_")
            marks = [m for m in getattr(getattr(module, attr), "pytestmark", []) if m.name == "cases"]
            if check in WITHOUT_FRESH:
                continue
            assert marks and marks[0].kwargs.get("fresh"), f"{name}.{attr} draws no fresh cases"


def _run(module, check: str, namespace: dict, seed: int) -> tuple[list[bool], list[bool]]:
    """(fixed cases passed, fresh cases passed) of one check against an in-process answer."""

    class Student:
        def call(self, name, *args, **kwargs):
            from convlab.runtime.bridge import Returned

            try:
                value = namespace[name](*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - reported like the bridge does
                raise StudentError(f"`{name}` raised {type(exc).__name__}: {exc}") from None
            value = list(value) if isinstance(value, tuple) else value
            return Returned(value, type(value).__name__, [])

    fn = getattr(module, "test_" + check)
    mark = next(m for m in fn.pytestmark if m.name == "cases")
    _, values, ids = case_values(mark, seed, check)
    results = []
    for value in values:
        try:
            fn(Student(), **{mark.kwargs.get("argname", "case"): value})
            results.append(True)
        except (CheckFailure, StudentError):
            results.append(False)
    fresh = [i.startswith(FRESH_PREFIX) for i in ids]
    return ([r for r, f in zip(results, fresh) if not f], [r for r, f in zip(results, fresh) if f])


@pytest.mark.parametrize(("assignment", "entry"), HARDCODED, ids=[e.name for _, e in HARDCODED])
def test_an_answer_copied_from_the_feedback_passes_fixed_cases_and_fails_fresh_ones(assignment, entry):
    module = importlib.import_module(GRADERS[assignment])
    namespace: dict = {}
    exec(compile(entry.code, entry.name, "exec"), namespace)  # noqa: S102 - our own corpus
    for check in entry.loses:
        for seed in (1, 2, 3):
            fixed, fresh = _run(module, check, namespace, seed)
            assert all(fixed), f"{entry.name} should answer every case the feedback could have shown"
            assert fresh and not all(fresh), f"{entry.name} passed every fresh case of {check} (seed {seed})"


def test_the_hardcoded_corpus_covers_several_assignments():
    assert {a for a, _ in HARDCODED} == set(GRADERS), HARDCODED
    assert (REPO_ROOT / "tests" / "corpus").is_dir()


def test_in_process_case_lists_match_the_engines():
    from graders.a02_conv1d import grade_conv1d

    listed = case_kwargs(grade_conv1d.test_conv1d_modes, seed=5)
    mark = next(m for m in grade_conv1d.test_conv1d_modes.pytestmark if m.name == "cases")
    assert len(listed) == len(case_values(mark, 5, "conv1d_modes")[1]) >= len(grade_conv1d.CONV_CASES) + 4
    assert all(np.array_equal(a["case"][0], b[0]) for a, b in zip(listed, grade_conv1d.CONV_CASES))




def _case_marks(module_name: str):
    module = importlib.import_module(module_name)
    for attr in sorted(dir(module)):
        if attr.startswith("test_"):
            for mark in getattr(getattr(module, attr), "pytestmark", []):
                if mark.name == "cases":
                    yield attr.removeprefix("test_"), mark


@pytest.mark.parametrize("module_name", GRADER_MODULES)
def test_fresh_cases_draw_every_kind_of_fixed_case(module_name):
    """Every check names its cases' kinds, and every submission's fresh cases hold every kind its fixed
    cases hold: an edge case only the fixed list had could be passed by copying the feedback."""
    checks = list(_case_marks(module_name))
    for check, mark in checks:
        if mark.kwargs.get("fresh") is None:
            continue
        assert mark.kwargs.get("kind") is not None, f"{module_name}: {check} declares no kind= for its cases"
        fixed = kinds_of(mark, mark.args[0])
        for seed in range(6):
            _, values, ids = case_values(mark, seed, check)
            fresh = [v for v, i in zip(values, ids) if i.startswith(FRESH_PREFIX)]
            assert fixed <= kinds_of(mark, fresh), (check, seed, fixed - kinds_of(mark, fresh))


def _fingerprint(values) -> str:
    """The exact values of a case list (arrays by dtype, shape and bytes; other objects by pickle)."""
    import hashlib
    import pickle

    digest = hashlib.sha256()
    for value in values:
        try:
            digest.update(call_key("case", (value,), {}).encode())
        except TypeError:
            digest.update(pickle.dumps(value))
    return digest.hexdigest()


def test_no_two_checks_draw_the_same_fixed_cases():
    """Case lists are seeded by a digest of their name (anagrams like xyxy_to_xywh and xywh_to_xyxy
    once drew the same ones); checks meant to share a list say so by sharing it, not by chance."""
    seen: dict[str, tuple[str, list[int]]] = {}
    for module_name in GRADER_MODULES:
        for check, mark in _case_marks(module_name):
            values = mark.args[0]
            if len(values) < 2:
                continue  # a single case (a library rule's probe) may well be another check's too
            objects = [id(v) for v in values]  # the very same objects: one list shared on purpose
            other, other_objects = seen.setdefault(_fingerprint(values), (check, objects))
            assert other == check or other_objects == objects, f"{check} and {other} draw identical fixed cases"


def test_anagram_names_seed_different_cases():
    from convlab.checking.cases import rng_for

    draw = [rng_for(7, name).integers(1 << 30, size=4).tolist() for name in ("xyxy_to_xywh", "xywh_to_xyxy")]
    assert draw[0] != draw[1]
