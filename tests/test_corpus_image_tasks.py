"""Assignment 01_image_tasks: shipped files, reference, release, determinism and the corpus.

The notebook loads a Keras model, so each grading pays for importing TensorFlow (about 5 s). The
corpus is therefore graded in batches: one notebook holds several wrong (or correct) answers, at
most one per task and never two tasks where one calls the other, and each batch is graded as a
whole (exactly what `graders check` does). A check belongs to one task, and a wrong answer can only
change the checks of its task and of the tasks that call it, so each entry is judged on its own
checks as if it had been graded alone. This runs when `tests/test_corpus.py` lists the assignment
in `OWN_CORPUS_TEST` (or with CONVLAB_BATCH_CORPUS=1); otherwise the generic per-entry corpus
test grades it.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import test_corpus
from conftest import grade_nb, reference_of, release_of, scores_by_check
from test_corpus import depends_on, function_of

from graders.engine import NotebookResult
from graders.report import notebook_json
from graders.settings import REPO_ROOT
from graders.submissions import CorpusEntry, corpus, with_answer

ASSIGNMENT = "01_image_tasks"
SOURCE, RELEASE = REPO_ROOT / "source" / ASSIGNMENT, REPO_ROOT / "release" / ASSIGNMENT
GENERATOR = REPO_ROOT / "source" / "05_keras_cnn" / "shapes.py"
WRONG, CORRECT = corpus(ASSIGNMENT), corpus(ASSIGNMENT, correct=True)
# CONVLAB_BATCH_CORPUS=1 runs the batches even while the generic test still grades this corpus.
BATCHED = ASSIGNMENT in test_corpus.OWN_CORPUS_TEST or os.environ.get("CONVLAB_BATCH_CORPUS") == "1"


# -- shipped files ---------------------------------------------------------------------------------


def test_source_links_the_one_shapes_generator():
    link = SOURCE / "shapes.py"
    assert link.is_symlink() and os.readlink(link) == "../05_keras_cnn/shapes.py"


def test_release_copy_of_the_generator_is_identical():
    shipped = RELEASE / "shapes.py"
    assert shipped.is_file() and not shipped.is_symlink(), "the release needs a real file, not a link"
    assert filecmp.cmp(shipped, GENERATOR, shallow=False)


def test_release_ships_a_small_model_the_helpers_and_the_fixtures():
    model = RELEASE / "shapes_classifier.keras"
    assert model.is_file() and model.stat().st_size < 400 * 1024
    assert filecmp.cmp(model, SOURCE / "shapes_classifier.keras", shallow=False)
    assert filecmp.cmp(RELEASE / "grading_helpers.py", SOURCE / "grading_helpers.py", shallow=False)
    for name in ("cloud_vision_street.json", "cloud_vision_topicality.json", "cloud_vision_error.json"):
        assert json.loads((RELEASE / name).read_text())["responses"]


@pytest.mark.slow
def test_generate_assignment_turns_the_link_into_a_file(tmp_path):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    for name in (ASSIGNMENT, "05_keras_cnn"):
        shutil.copytree(REPO_ROOT / "source" / name, course / "source" / name, symlinks=True)
    shutil.copytree(REPO_ROOT / "graders", course / "graders")
    shutil.copy(REPO_ROOT / "nbgrader_config.py", course)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force",
                    "--log-level=ERROR"], cwd=course, env=env, check=True)
    shipped = course / "release" / ASSIGNMENT / "shapes.py"
    assert shipped.is_file() and not shipped.is_symlink()
    assert filecmp.cmp(shipped, GENERATOR, shallow=False)


# -- whole-notebook grading ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_result(tmp_path_factory):
    return grade_nb(reference_of(ASSIGNMENT), tmp_path_factory.mktemp("ref"), assignment=ASSIGNMENT)


@pytest.mark.slow
def test_reference_gets_full_marks(reference_result):
    lost = {c: m for c, (s, mx, m) in scores_by_check(reference_result).items() if s < mx - 1e-9}
    assert not lost
    assert reference_result.score == reference_result.max_score == 23
    assert not reference_result.notes
    assert all(run.result.ok for run in reference_result.cell_runs), "every notebook cell runs"


@pytest.mark.slow
def test_untouched_release_scores_zero(tmp_path):
    result = grade_nb(release_of(ASSIGNMENT), tmp_path, assignment=ASSIGNMENT)
    assert result.score == 0
    for check, (_, _, message) in scores_by_check(result).items():
        assert "not implemented yet" in message, check


# -- corpus in batches -----------------------------------------------------------------------------


def batches(entries: list[CorpusEntry]) -> list[list[CorpusEntry]]:
    """Greedy grouping: an entry joins the first batch none of whose tasks it shares or is called by."""
    groups: list[tuple[set[str], list[CorpusEntry]]] = []
    for entry in entries:
        reach = depends_on(ASSIGNMENT, entry.function)
        for used, group in groups:
            if not reach & used:
                used |= reach
                group.append(entry)
                break
        else:
            groups.append((set(reach), [entry]))
    return [group for _, group in groups]


def test_corpus_is_big_enough_and_batches_are_independent():
    assert len(WRONG) >= 15 and len(CORRECT) >= 5
    for entry in WRONG:
        assert entry.loses and entry.message, f"{entry.name}: header needs loses and message"
    for group in batches(WRONG) + batches(CORRECT):
        reaches = [depends_on(ASSIGNMENT, e.function) for e in group]
        assert sum(map(len, reaches)) == len(set().union(*reaches)), "two entries of a batch share a task"


_RESULTS: dict[tuple[str, ...], NotebookResult] = {}  # batch -> its first grading, shared by the tests


def _grade(group: list[CorpusEntry], tmp_path: Path, cached: bool = True) -> NotebookResult:
    key = tuple(e.name for e in group)
    if cached and key in _RESULTS:
        return _RESULTS[key]
    nb = reference_of(ASSIGNMENT)
    for entry in group:
        nb = with_answer(nb, entry.function, entry.code)
    result = grade_nb(nb, tmp_path, assignment=ASSIGNMENT)
    _RESULTS.setdefault(key, result)
    return result


def _grade_batch(group: list[CorpusEntry], tmp_path: Path) -> dict[str, tuple[float, float, str]]:
    return scores_by_check(_grade(group, tmp_path))


WRONG_BATCHES, CORRECT_BATCHES = batches(WRONG), batches(CORRECT)


def _batch_ids(groups: list[list[CorpusEntry]]) -> list[str]:
    return ["+".join(e.name for e in group)[:80] for group in groups]


@pytest.mark.slow
@pytest.mark.skipif(not BATCHED, reason="graded per entry by tests/test_corpus.py")
@pytest.mark.parametrize("group", WRONG_BATCHES, ids=_batch_ids(WRONG_BATCHES))
def test_mistakes_lose_points_with_named_messages(group, tmp_path):
    checks = _grade_batch(group, tmp_path)
    reached = set().union(*(depends_on(ASSIGNMENT, e.function) for e in group))
    for entry in group:
        for check_id in entry.loses:
            score, max_score, _ = checks[check_id]
            assert score < max_score - 1e-9, f"{entry.name} should lose points on {check_id}"
        messages = " ".join(checks[c][2] for c in entry.loses).lower()
        assert entry.message.lower() in messages, f"{entry.name}: feedback should mention {entry.message!r}"
    for check_id, (score, max_score, message) in checks.items():
        if function_of(ASSIGNMENT, check_id) not in reached:
            assert score == pytest.approx(max_score), f"a task no entry touches lost points on {check_id}: {message}"


@pytest.mark.slow
@pytest.mark.skipif(not BATCHED, reason="graded per entry by tests/test_corpus.py")
@pytest.mark.parametrize("group", CORRECT_BATCHES, ids=_batch_ids(CORRECT_BATCHES))
def test_correct_variants_get_full_marks(group, tmp_path):
    lost = {c: m for c, (s, mx, m) in _grade_batch(group, tmp_path).items() if s < mx - 1e-9}
    assert not lost, f"correct variants lost points: {lost}"


@pytest.mark.slow
def test_grading_twice_gives_identical_results(tmp_path):
    """Scores and every message (which quote the students' wrong values) are the same on a regrade."""
    first = _grade(WRONG_BATCHES[0], tmp_path / "first")
    again = _grade(WRONG_BATCHES[0], tmp_path / "again", cached=False)
    assert notebook_json(again) == notebook_json(first)
    assert 0 < first.score < first.max_score
