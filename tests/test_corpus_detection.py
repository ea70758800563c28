"""Assignment 06_object_detection: the corpus of student answers, the reference and the release.

Grading this notebook trains a detector (about 45 s on two cores), so grading the whole notebook
per corpus entry would not fit the time budget. The design, honest about what each entry can change:

* **In-process** (fast, every entry except the Keras builders; `tests/inprocess_student.py`): the
  graders' check functions are called directly with a stand-in `student` that runs the reference
  answers plus the entry's code in this process, with the same fixed and fresh cases as real
  grading. The kernel, the sandbox and the bridge are not exercised here; the cases, tolerances and
  hints are.
* **One shared kernel** (slow; `tests/shared_kernel.py`): the reference notebook runs once with
  cheap training (100 scenes, 1 epoch); per entry, its answer cell runs in that kernel, the hidden
  checks of its task (and its callers') run through the real pytest graders and the bridge, and the
  reference answer is put back. Every entry goes through it, the Keras builders included.
* **Whole-notebook grading** (slow) of the reference (full marks, the real training), the untouched
  release (zero), and one training mistake (row and column swapped in the targets) whose trained
  detector must also lose the mAP check while the other tasks keep their points.

A wrong entry must lose points on its `loses` checks with its `message`, keep full points on the
other checks of its own task, and on the checks of tasks it cannot reach (the reference functions
that call it, and mAP, may lose).
"""

from __future__ import annotations

import functools

import pytest
from support.corpus_grading import depends_on, functions_of
from support.grading import grade_nb, reference_of, scores_by_check
from support.inprocess_student import InProcessStudent, run_check
from support.shared_kernel import SharedKernel, fractions, shared_kernel

import solutions.detection as reference
from convlab.checking.checks import CheckFailure
from convlab.dev.corpus import CorpusEntry, corpus, with_answer
from convlab.notebook import read_layout, read_source
from convlab.settings import REPO_ROOT
from graders.a06_object_detection import grade_detection as graders

ASSIGNMENT, NOTEBOOK = "06_object_detection", "detection"
TRAINING_CHECK = "detector_map"
WRONG, CORRECT = corpus(ASSIGNMENT), corpus(ASSIGNMENT, correct=True)
KERAS_BUILDERS = {"build_detector"}  # models only cross the bridge as descriptions: kernel only


@functools.cache
def all_checks() -> tuple[str, ...]:
    layout = read_layout(read_source(REPO_ROOT, ASSIGNMENT, NOTEBOOK))
    return tuple(c for item in layout.items for c in item.checks)


def function_of(check_id: str) -> str:
    return max((f for f in functions_of(ASSIGNMENT) if check_id.startswith(f + "_")), key=len)


def reach(entry: CorpusEntry) -> set[str]:
    """Checks an entry may cost: those of its task and of the reference functions calling it, and mAP."""
    users = depends_on(ASSIGNMENT, entry.function)
    return {c for c in all_checks() if c != TRAINING_CHECK and function_of(c) in users} | {TRAINING_CHECK}


def assert_entry_result(entry: CorpusEntry, checks: dict[str, tuple[float, str]]) -> None:
    """checks: check id -> (fraction of the check's points earned, feedback message)."""
    for check_id in entry.loses:
        assert check_id in checks, f"{entry.name}: check {check_id} was not run"
        assert checks[check_id][0] < 1 - 1e-9, f"{entry.name} should lose points on {check_id}"
    messages = " ".join(checks[c][1] for c in entry.loses).lower()
    assert entry.message.lower() in messages, f"{entry.name}: feedback should mention {entry.message!r}; got {messages[:600]}"
    # Exactly the listed checks of its own task (e.g. a median k-means keeps the quality check);
    # the tasks calling it may lose too, and so may mAP.
    own = {c for c in checks if c != TRAINING_CHECK and function_of(c) == entry.function}
    allowed = (reach(entry) - own) | set(entry.loses)
    for check_id, (fraction, message) in checks.items():
        if check_id not in allowed:
            assert fraction == pytest.approx(1.0), f"{entry.name} cost points on {check_id}: {message}"


# -- in-process ------------------------------------------------------------------------------------


def grade_in_process(entry: CorpusEntry) -> dict[str, tuple[float, str]]:
    """Every check the entry may reach except mAP, plus the others as a canary (fast ones only)."""
    student = InProcessStudent(reference, entry.code)
    wanted = [c for c in all_checks() if c != TRAINING_CHECK and function_of(c) not in KERAS_BUILDERS]
    results = {}
    for check_id in wanted:
        passed, total, first = run_check(graders, student, check_id)
        results[check_id] = (passed / total, first)
    return results


IN_PROCESS_WRONG = [e for e in WRONG if e.function not in KERAS_BUILDERS]
IN_PROCESS_CORRECT = [e for e in CORRECT if e.function not in KERAS_BUILDERS]


def test_reference_passes_every_check_in_process():
    """Control case: the reference itself passes every check the in-process tests run."""
    lost = {c: m for c, (f, m) in grade_in_process(CorpusEntry("reference", "iou_matrix", (), "", "")).items() if f < 1}
    assert not lost


@pytest.mark.parametrize("entry", IN_PROCESS_WRONG, ids=[e.name for e in IN_PROCESS_WRONG])
def test_mistake_loses_points_in_process(entry):
    assert_entry_result(entry, grade_in_process(entry))


@pytest.mark.parametrize("entry", IN_PROCESS_CORRECT, ids=[e.name for e in IN_PROCESS_CORRECT])
def test_correct_variant_full_marks_in_process(entry):
    lost = {c: m for c, (f, m) in grade_in_process(entry).items() if f < 1 - 1e-9}
    assert not lost, f"{entry.name} is correct but lost points: {lost}"


AP_MISTAKES = [e for e in WRONG if e.function == "average_precision"]


@pytest.mark.parametrize("entry", AP_MISTAKES, ids=[e.name for e in AP_MISTAKES])
def test_a_wrong_average_precision_costs_nothing_in_mean_average_precision(entry):
    """One mistake costs one task: the mAP check grades the averaging, not the AP again."""
    student = InProcessStudent(reference, entry.code)
    assert run_check(graders, student, "average_precision_random")[0] < len(graders.AP_RANDOM), \
        f"{entry.name} should fail AP itself"
    passed, total, first = run_check(graders, student, "mean_average_precision_values")
    assert passed == total, f"{entry.name} is wrong only in average_precision, yet mAP lost points: {first}"


def test_fresh_and_hidden_cases_are_off_every_decision_boundary():
    """No case's answer flips when the IoUs move by round-off (an epsilon of 1e-7 in the union, ±1e-6
    relative): a correct IoU written another way must not lose points in the functions that use it."""
    import numpy as np

    C = graders.C
    sources = {"best_anchor_cases": lambda c: reference.best_anchor(*c),
               "kmeans_rule_cases": lambda c: reference.kmeans_anchors(c[0], c[1], seed=c[2], iters=c[3]),
               "encode_cases": C.encode_answer, "encode_collision_cases": C.encode_answer,
               "class_nms_cases": lambda c: reference.class_aware_nms(*c),
               "ap_hand_cases": lambda c: reference.average_precision(*c[:3]),
               "ap_random_cases": lambda c: reference.average_precision(*c),
               "map_cases": lambda c: reference.mean_average_precision(*c)}
    for name, answer in sources.items():
        for source in [name, *(np.random.default_rng(seed) for seed in range(5))]:  # fixed, then fresh cases
            for case in getattr(C, name)(source):
                assert C.is_fair(case, answer), f"{name} ({source}) drew a case on a decision boundary"
    # NMS: every case but the tie at exactly the threshold that the notebook states (C.EXACT).
    nms = lambda c: reference.non_max_suppression(*c)  # noqa: E731
    for source in ["non_max_suppression_indices", *(np.random.default_rng(seed) for seed in range(5))]:
        for case in C.nms_cases(source, 6):
            assert "IoU exactly at the threshold" in C.nms_kind(case) or C.is_fair(case, nms), source
    boxes = np.array([[0.0, 0, 10, 10]])
    on_threshold = ([(np.array([[0.0, 0, 10, 5]]), np.array([0.5]))], [boxes], 0.5)
    assert not C.is_fair(on_threshold, lambda c: reference.average_precision(*c)), "the filter must see a tie"


# -- whole-notebook grading ------------------------------------------------------------------------


@pytest.mark.slow
def test_training_mistake_loses_map_and_is_named(tmp_path):
    """Targets with row and column swapped: the encode checks fail, the detector trained on them puts
    its boxes in the wrong cells, and the mAP feedback names encode_targets as the failing pipeline
    function. (Swapped loss weights, by contrast, still train a detector above the pass mark.)"""
    entry = next(e for e in WRONG if e.name == "encode_row_column_swapped")
    result = grade_nb(with_answer(reference_of(ASSIGNMENT), entry.function, entry.code), tmp_path, assignment=ASSIGNMENT)
    checks = {c: (s / mx, m) for c, (s, mx, m) in scores_by_check(result).items()}
    assert_entry_result(entry, checks)
    assert checks[TRAINING_CHECK][0] < 1, "a detector trained with the wrong loss should lose mAP bands"
    assert "This check uses your `encode_targets`, which failed its check" in checks[TRAINING_CHECK][1]


# -- one shared kernel -----------------------------------------------------------------------------

CHEAP = {"train_detector": [("make_scenes(2000, seed=1)", "make_scenes(100, seed=1)"),
                             ("EPOCHS, BATCH = 10, 32", "EPOCHS, BATCH = 1, 32")]}


@pytest.fixture(scope="module")
def shared():
    with shared_kernel(ASSIGNMENT, NOTEBOOK, CHEAP, {TRAINING_CHECK}) as state:
        yield state


def grade_in_shared(shared: SharedKernel, entry: CorpusEntry) -> dict[str, tuple[float, str]]:
    """The entry's reachable checks (without mAP) through the real graders and the bridge."""
    return fractions(shared.grade(entry.function, entry.code, reach(entry) - {TRAINING_CHECK}))


@pytest.mark.slow
@pytest.mark.parametrize("entry", WRONG, ids=[e.name for e in WRONG])
def test_mistake_loses_points_in_kernel(shared, entry):
    assert_entry_result(entry, grade_in_shared(shared, entry))


@pytest.mark.slow
@pytest.mark.parametrize("entry", CORRECT, ids=[e.name for e in CORRECT])
def test_correct_variant_full_marks_in_kernel(shared, entry):
    lost = {c: m for c, (f, m) in grade_in_shared(shared, entry).items() if f < 1 - 1e-9}
    assert not lost, f"{entry.name} is correct but lost points: {lost}"


def test_failed_box_cases_carry_a_picture():
    """NMS, decoding and the mAP check draw the expected and the student's boxes for the feedback."""
    entry = next(e for e in WRONG if e.name == "nms_not_sorted_by_score")
    student = InProcessStudent(reference, entry.code)
    case = graders.NMS[0]
    with pytest.raises(CheckFailure) as caught:
        graders.test_non_max_suppression_indices(student, case)
    images = caught.value.images
    assert len(images) == 1 and images[0].startswith(b"\x89PNG") and len(images[0]) < 200_000


def test_a_caller_failing_because_of_a_callee_says_so():
    """best_anchor with argmin breaks the reference kmeans_anchors and encode_targets that call it:
    their checks rely on best_anchor's check (`relies_on`), so the report names it as what blocked
    them and the feedback says to fix it first; the mAP check relies on the training pipeline."""
    from convlab.checking.code_reading import calls_function
    from convlab.engine import _relied_on
    from convlab.results import CaseResult, CheckOutcome, Reliance

    entry = next(e for e in WRONG if e.name == "best_anchor_argmin")
    checks = grade_in_process(entry)
    outcomes = {c: CheckOutcome(c, cases=[CaseResult(f == 1, m)]) for c, (f, m) in checks.items()}
    functions = InProcessStudent(reference, entry.code).defined_functions()
    for caller in ("kmeans_anchors_rule", "encode_targets_values"):
        assert checks[caller][0] < 1
        relies = tuple(Reliance(m.args[0], tuple(m.args[1:]), m.kwargs.get("caller"))
                       for m in getattr(graders, "test_" + caller).pytestmark if m.name == "relies_on")
        _, blocked, note = _relied_on(relies, outcomes, lambda c, f: calls_function(functions, c, f))
        assert blocked == ["best_anchor_index"]
        assert note.startswith("This check uses your `best_anchor`, which failed its check `best_anchor_index`")
    relied = {m.args[0] for m in graders.test_detector_map.pytestmark if m.name == "relies_on"}
    assert relied == set(graders.PIPELINE)
