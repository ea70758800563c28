"""Assignment 07_segmentation: reference, release, determinism and the corpus of student answers.

Grading this notebook trains two U-Nets (about 20 s each on two cores), so re-grading the whole
notebook for each of the ~40 corpus entries would not fit the time budget. As for 05_keras_cnn:

* **Whole-notebook grading** (`grade_nb`, exactly what `convlab check` does) for the reference
  (full marks, graded once per session and shared), the untouched release (zero), a second
  grading of the reference (determinism: identical scores, messages and training printouts), and
  the entries that change what the training cell does (`FULL_GRADING`: a U-Net whose training
  fails, whose feedback must say why `unet` is missing).
* **One shared kernel** (`tests/shared_kernel.py`) for the other entries. The reference notebook
  runs once with cheap training (40 scenes, 1 epoch); then, per entry, the entry's answer cell is run in that kernel,
  the hidden checks of its own task (plus a canary of cheap checks of other tasks) run through the
  same pytest graders as in real grading, and the reference answer is restored. Those checks call
  the entry's function or read a model description, so the trained model cannot change them.

A wrong entry must lose points on its `loses` checks with its `message`, and keep full points on
the other tasks' checks; correct entries (`07_segmentation_correct/`) keep full points.
"""

from __future__ import annotations

import filecmp
import os

import pytest
from support.grading import grade_nb, reference_of, scores_by_check
from support.inprocess_student import InProcessStudent
from support.shared_kernel import SharedKernel, fractions, shared_kernel

from convlab.checking.cases import FRESH_PREFIX, case_values
from convlab.checking.checks import CheckFailure
from convlab.dev.corpus import CorpusEntry, corpus, with_answer
from convlab.runtime.seed import submission_seed
from convlab.settings import REPO_ROOT
from graders.a07_segmentation import protocol as P

ASSIGNMENT, NOTEBOOK = "07_segmentation", "segmentation"
MAX_SCORE = 28
TRAINING_CHECKS = {"unet_trained_mean_iou"}
FULL_GRADING = {"build_unet_one_output_channel"}
# Entries that must lose exactly their `loses` checks, not other checks of their own task either
# (the issue: swapped Concatenate inputs are named and cost only the connection check).
EXACT = {"build_unet_concatenate_swapped", "conv2d_transpose_same_wrong_side", "conv2d_transpose_valid_length",
         "atrous_conv2d_same_larger_half_top", "upsample_nearest_tile", "upsample_align_corners"}
FUNCTIONS = ["conv2d_transpose", "conv2d_matrix", "dilate_kernel", "atrous_conv2d", "upsample",
             "segmentation_confusion", "pixel_accuracy", "iou_per_class", "mean_iou", "dice_per_class",
             "unet_param_count", "build_unet"]

WRONG = corpus(ASSIGNMENT)
CORRECT = corpus(ASSIGNMENT, correct=True)
FULL = [e for e in WRONG if e.name in FULL_GRADING]
SHARED = [e for e in WRONG if e.name not in FULL_GRADING]


def function_of(check_id: str) -> str:
    return max((f for f in FUNCTIONS if check_id.startswith(f + "_")), key=len)


def assert_entry_result(entry: CorpusEntry, checks: dict[str, tuple[float, str]]) -> None:
    """checks: check id -> (fraction of the check's points earned, feedback message)."""
    for check_id in entry.loses:
        assert check_id in checks, f"{entry.name}: check {check_id} was not run"
        assert checks[check_id][0] < 1 - 1e-9, f"{entry.name} should lose points on {check_id}"
    messages = " ".join(checks[c][1] for c in entry.loses).lower()
    assert entry.message.lower() in messages, f"{entry.name}: feedback should mention {entry.message!r}; got {messages[:600]}"
    for check_id, (fraction, message) in checks.items():
        own = check_id in TRAINING_CHECKS or function_of(check_id) == entry.function
        if not own or (entry.name in EXACT and check_id not in entry.loses):
            assert fraction == pytest.approx(1.0), f"{entry.name} cost points on {check_id}: {message}"


def test_the_corpus_holds_the_training_and_exact_mistakes():
    """The generic corpus checks are in tests/test_assignments.py."""
    assert FULL_GRADING | EXACT <= {e.name for e in WRONG}


def test_source_links_the_one_shapes_generator_and_the_release_copies_it():
    link = REPO_ROOT / "source" / ASSIGNMENT / "shapes.py"
    assert link.is_symlink() and os.readlink(link) == "../05_keras_cnn/shapes.py"
    shipped = REPO_ROOT / "release" / ASSIGNMENT / "shapes.py"
    assert shipped.is_file() and not shipped.is_symlink()
    assert filecmp.cmp(shipped, REPO_ROOT / "source" / "05_keras_cnn" / "shapes.py", shallow=False)


def test_an_answer_copied_from_the_feedback_passes_the_fixed_cases_and_fails_fresh_ones():
    """The table of unet_param_count_hardcoded_from_feedback holds the count of every fixed case
    (regenerate it from the fixed cases and the reference when they change); the cases its own code
    draws catch it."""
    import solutions.segmentation as reference
    from graders.a07_segmentation import grade_segmentation as graders

    entry = next(e for e in WRONG if e.name == "unet_param_count_hardcoded_from_feedback")
    student = InProcessStudent(reference, entry.code)
    mark = next(m for m in graders.test_unet_param_count_values.pytestmark if m.name == "cases")
    _, values, ids = case_values(mark, submission_seed([student.source]), "unet_param_count_values")
    passed = {}
    for case_id, case in zip(ids, values, strict=True):
        try:
            graders.test_unet_param_count_values(student, case)
            passed[case_id] = True
        except CheckFailure:
            passed[case_id] = False
    assert all(ok for case_id, ok in passed.items() if not case_id.startswith(FRESH_PREFIX)), passed
    assert not all(ok for case_id, ok in passed.items() if case_id.startswith(FRESH_PREFIX)), passed


# -- whole-notebook grading ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("entry", FULL, ids=[e.name for e in FULL])
def test_training_mistake_loses_points(entry, tmp_path):
    result = grade_nb(with_answer(reference_of(ASSIGNMENT), entry.function, entry.code), tmp_path,
                      assignment=ASSIGNMENT)
    checks = {c: (s / mx, m) for c, (s, mx, m) in scores_by_check(result).items()}
    assert_entry_result(entry, checks)


# -- one shared kernel (tests/shared_kernel.py) ----------------------------------------------------

CHEAP = {  # read-only cell -> replacements that make its training cheap (the shared kernel only)
    "train_unet": [("make_scenes(400, seed=1, size=IMAGE_SIZE)", "make_scenes(40, seed=1, size=IMAGE_SIZE)"),
                   ("epochs=18", "epochs=1")],
    "train_unet_no_skip": [("epochs=18", "epochs=1")],
}
# Cheap numpy checks of other tasks, run for every entry: a canary that an entry changes nothing
# outside its own task.
CANARY = {"segmentation_confusion_counts", "dilate_kernel_values", "upsample_nearest"}


@pytest.fixture(scope="module")
def shared():
    with shared_kernel(ASSIGNMENT, NOTEBOOK, CHEAP, TRAINING_CHECKS) as state:
        yield state


def grade_in_shared(shared: SharedKernel, entry: CorpusEntry, wanted: set[str] | None = None) -> dict[str, tuple[float, str]]:
    """Grade one answer in the shared kernel: its own task's checks and the canary."""
    wanted = wanted or {c for c in shared.checks if function_of(c) == entry.function} | CANARY
    return fractions(shared.grade(entry.function, entry.code, wanted))


@pytest.mark.slow
@pytest.mark.parametrize("entry", SHARED, ids=[e.name for e in SHARED])
def test_mistake_loses_points_with_named_message(shared, entry):
    assert_entry_result(entry, grade_in_shared(shared, entry))


@pytest.mark.slow
@pytest.mark.parametrize("entry", CORRECT, ids=[e.name for e in CORRECT])
def test_correct_variant_gets_full_marks(shared, entry):
    lost = {c: m for c, (f, m) in grade_in_shared(shared, entry).items() if f < 1 - 1e-9}
    assert not lost, f"{entry.name} is correct but lost points: {lost}"


@pytest.mark.slow
def test_shared_kernel_reference_passes_every_check_it_runs(shared):
    """The cheap training does not change any check the shared kernel grades (control case)."""
    reference = CorpusEntry("reference", "mean_iou", (), "", shared.reference["mean_iou"])
    result = grade_in_shared(shared, reference, wanted=shared.checks)
    assert set(result) == shared.checks
    lost = {c: m for c, (f, m) in result.items() if f < 1 - 1e-9}
    assert not lost


@pytest.mark.slow
def test_failed_image_and_training_checks_carry_pictures(shared):
    """Feedback pictures: a wrong transposed convolution shows expected | yours | difference; the
    shared kernel's cheaply trained U-Net (40 scenes, 1 epoch) misses the pass mark, and its check
    shows scenes, true masks and the U-Net's masks."""
    entry = next(e for e in SHARED if e.name == "conv2d_transpose_no_flip")
    collected = shared.grade(entry.function, entry.code, {"conv2d_transpose_valid", "unet_trained_mean_iou"})
    for check_id, outcome in collected.outcomes.items():
        failed = [c for c in outcome.cases if not c.passed]
        assert failed, f"{check_id} should fail"
        assert any(c.images for c in failed), f"{check_id}: no picture in the feedback"
    messages = " ".join(c.message for c in collected.outcomes["unet_trained_mean_iou"].cases)
    assert f"below {P.THRESHOLD:.2f} (pass mark {P.THRESHOLD:.2f})" in messages
    assert "IoU per class: background" in messages, "the message gives the per-class scores"
    # The U-Net here is the reference: the message blames the training, not the layers.
    assert "Your build_unet passes its checks" in messages and "fails these checks" not in messages
