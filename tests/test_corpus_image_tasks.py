"""Assignment 01_image_tasks: shipped files, reference, release and determinism.

The corpus is graded (in batches, the notebook imports TensorFlow) by tests/test_corpus.py.
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
from support.corpus_grading import batches, grade_entries

from convlab.dev.corpus import corpus
from convlab.runner.report import notebook_json
from convlab.settings import REPO_ROOT

ASSIGNMENT = "01_image_tasks"
SOURCE, RELEASE = REPO_ROOT / "source" / ASSIGNMENT, REPO_ROOT / "release" / ASSIGNMENT
GENERATOR = REPO_ROOT / "source" / "05_keras_cnn" / "shapes.py"
WRONG, CORRECT = corpus(ASSIGNMENT), corpus(ASSIGNMENT, correct=True)


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


# -- determinism (the corpus itself is graded in batches by tests/test_corpus.py) -----------------


@pytest.mark.slow
def test_regrading_wrong_answers_gives_identical_messages(tmp_path):
    """Scores and every message (which quote the students' wrong values) are the same on a regrade."""
    group = batches(ASSIGNMENT, WRONG)[0]
    first = grade_entries(ASSIGNMENT, group, tmp_path / "first")
    again = grade_entries(ASSIGNMENT, group, tmp_path / "again", cached=False)
    assert notebook_json(again) == notebook_json(first)
    assert 0 < first.score < first.max_score
