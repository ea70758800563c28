"""Assignment 05_keras_cnn: reference, release, determinism and the corpus of student answers.

Grading this notebook trains two networks (about 15 s for the shapes, a few seconds for the
digits), so re-grading the whole notebook for each of the ~30 corpus entries would not fit the
time budget. The design, honest about what each entry can change:

* **Whole-notebook grading** (`grade_nb`, exactly what `convlab check` does), for the reference
  (full marks), the untouched release (zero), a second grading of the reference (determinism:
  identical scores, messages and training printouts), and every entry that changes how the shapes
  model trains (`FULL_GRADING`: a loss that does not fit the labels, one-hot labels, no validation
  split, a model that barely trains). Their training checks are graded for real.
* **One shared kernel** (`tests/shared_kernel.py`) for the other entries. The reference notebook
  runs once with cheap training (300 shapes, 1 epoch; digits 1 epoch); then, per entry, the entry's answer cell is run in that
  kernel (and in the code the static checks read), the hidden checks of every task that does not
  grade training run through the same pytest graders as in real grading, and the reference answer
  is restored. Those checks only call the entry's function or read a model description, so the
  quality of the trained model cannot change their result.
* **Digits entries** (`RETRAIN_DIGITS`: unscaled images, a missing channels axis, a leaky split) run
  in the shared kernel too, but the notebook's read-only digits cell is then re-run unchanged (real
  10-epoch training), so the digits accuracy check is graded for real on what they trained.

A wrong entry must lose points on its `loses` checks with its `message`, and keep full points on
checks of other tasks; `build_cnn` entries may also cost `build_cnn_functional_same`, which compares
the two builders. Correct entries (`05_keras_cnn_correct/`) keep full points on every check run.
"""

from __future__ import annotations

import pytest
from support.grading import grade_nb, reference_of, scores_by_check
from support.shared_kernel import SharedKernel, fractions, shared_kernel

from convlab.dev.corpus import CorpusEntry, corpus, with_answer
from convlab.notebook import StudentCell
from convlab.runtime.kernel import ExecResult
from convlab.runtime.student import CellRun, StudentError

ASSIGNMENT, NOTEBOOK = "05_keras_cnn", "keras_cnn"
TRAINING_CHECKS = {"train_history", "train_shapes_accuracy", "train_digits_accuracy"}
FULL_GRADING = {"build_cnn_categorical_loss", "train_one_hot_labels", "train_no_validation_split",
                "train_barely_trains"}
RETRAIN_DIGITS = {"prepare_digits_not_scaled", "prepare_digits_no_channel_axis", "split_holdout_leaky"}
FUNCTIONS = ["build_cnn_functional", "build_cnn", "train", "predict_classes", "feature_maps",
             "confusion_matrix", "prepare_digits", "split_holdout"]

WRONG = corpus(ASSIGNMENT)
CORRECT = corpus(ASSIGNMENT, correct=True)
FULL = [e for e in WRONG if e.name in FULL_GRADING]
SHARED = [e for e in WRONG if e.name not in FULL_GRADING]


def function_of(check_id: str) -> str:
    return max((f for f in FUNCTIONS if check_id.startswith(f + "_")), key=len)


def allowed_checks(entry: CorpusEntry, checks: set[str]) -> set[str]:
    """Checks an entry may cost: its own task's, the training checks, and for build_cnn the comparison."""
    own = {c for c in checks if function_of(c) == entry.function} | TRAINING_CHECKS
    if entry.function == "build_cnn":
        own.add("build_cnn_functional_same")
    return own


def assert_entry_result(entry: CorpusEntry, checks: dict[str, tuple[float, str]]) -> None:
    """checks: check id -> (fraction of the check's points earned, feedback message)."""
    for check_id in entry.loses:
        assert check_id in checks, f"{entry.name}: check {check_id} was not run"
        assert checks[check_id][0] < 1 - 1e-9, f"{entry.name} should lose points on {check_id}"
    messages = " ".join(checks[c][1] for c in entry.loses).lower()
    assert entry.message.lower() in messages, f"{entry.name}: feedback should mention {entry.message!r}; got {messages[:600]}"
    allowed = allowed_checks(entry, set(checks))
    for check_id, (fraction, message) in checks.items():
        if check_id not in allowed:
            assert fraction == pytest.approx(1.0), f"{entry.name} cost points on {check_id}: {message}"


def test_the_corpus_holds_the_training_mistakes():
    """The generic corpus checks are in tests/test_assignments.py."""
    assert FULL_GRADING | RETRAIN_DIGITS <= {e.name for e in WRONG}


# -- whole-notebook grading ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("entry", FULL, ids=[e.name for e in FULL])
def test_training_mistake_loses_points(entry, tmp_path):
    nb = with_answer(reference_of(ASSIGNMENT), entry.function, entry.code)
    result = grade_nb(nb, tmp_path, assignment=ASSIGNMENT)
    checks = {c: (s / mx, m) for c, (s, mx, m) in scores_by_check(result).items()}
    assert_entry_result(entry, checks)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")
def test_training_cut_by_the_cell_time_limit_is_explained():
    """A training cell over the engine's limit (120 s, nbgrader_config.py) is stopped; the feedback
    of every check that needs the model says so instead of only reporting a missing variable."""
    from graders.a05_keras_cnn import grade_keras_cnn as graders_module

    class CutStudent:
        runs = [CellRun(StudentCell(14, "", "train_shapes"),
                        ExecResult("timeout", error="stopped after 120 s wall-clock limit"))]

        def get(self, name):
            raise StudentError(f"`{name}` is not defined: keep its cell, run it, and check the spelling")

    with pytest.raises(StudentError) as caught:
        graders_module._notebook_variable(CutStudent(), "history", "train_shapes")
    assert str(caught.value) == ("`history` is missing because the read-only cell `train_shapes` was stopped "
                                 "(stopped after 120 s wall-clock limit): make the training cheaper (fewer "
                                 "filters at full resolution, pooling earlier)")


# -- one shared kernel -----------------------------------------------------------------------------

CHEAP = {  # read-only cell -> replacements that make its training cheap (the shared kernel only)
    "train_shapes": [("make_shapes(3000, seed=1)", "make_shapes(300, seed=1)"), ("epochs=10", "epochs=1")],
    "train_digits": [("epochs=10", "epochs=1")],
}


@pytest.fixture(scope="module")
def shared():
    with shared_kernel(ASSIGNMENT, NOTEBOOK, CHEAP, TRAINING_CHECKS) as state:
        yield state


# Numpy-only checks of three tasks: cheap enough to run for every entry, as a canary that an entry
# changes nothing outside its own task.
CANARY = {"confusion_matrix_counts", "prepare_digits_values", "split_holdout_indices"}


def checks_for(entry: CorpusEntry, checks: set[str]) -> set[str]:
    """The checks that call the entry's function (build_cnn_functional_same calls both builders)
    plus the canary; checks of other Keras tasks cannot see the entry and cost seconds each."""
    own = {c for c in checks if function_of(c) == entry.function}
    if entry.function == "build_cnn":
        own.add("build_cnn_functional_same")
    return own | CANARY


def grade_in_shared(shared: SharedKernel, entry: CorpusEntry,
                    wanted: set[str] | None = None) -> dict[str, tuple[float, str]]:
    """Grade one answer in the shared kernel; the reference answer is back afterwards."""
    wanted = set(wanted or checks_for(entry, shared.checks))
    with shared.answer(entry.function, entry.code):
        if entry.name in RETRAIN_DIGITS:
            # The real digits training on what this answer prepares and splits (it may fail, and
            # then no model of an earlier entry may stand in for it).
            shared.run("globals().pop('digits_model', None)")
            student = shared.student
            result = student.kernel.execute(shared.unchanged["train_digits"], timeout=120, keep_outputs=False)
            student.runs = [CellRun(r.cell, result) if r.cell.grade_id == "train_digits" else r
                            for r in student.runs]
            wanted.add("train_digits_accuracy")
        return fractions(shared.collect(wanted))


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
    reference = CorpusEntry("reference", "confusion_matrix", (), "", shared.reference["confusion_matrix"])
    result = grade_in_shared(shared, reference, wanted=shared.checks)
    assert set(result) == shared.checks
    lost = {c: m for c, (f, m) in result.items() if f < 1 - 1e-9}
    assert not lost
