"""More corpus entries of 03_conv2d, graded in-process: the graders' checks called directly.

Every entry of `tests/corpus/03_conv2d/` grades a whole notebook in a sandboxed kernel (about 7 s
each, most of it importing TensorFlow), so that folder holds the issue's list of mistakes and the
rest lives in `tests/corpus/03_conv2d_inprocess/`. Those entries run here against the same check
functions, with a stand-in `student` that executes the reference notebook's answers plus the entry's
code in this process. The kernel, the sandbox and the bridge are not exercised (test_corpus does
that); the graders' cases, tolerances and hints are.
"""

from __future__ import annotations

import importlib
import inspect
from types import SimpleNamespace

import pytest
from support.inprocess_student import InProcessStudent, run_check

import solutions.conv2d as reference
from convlab.dev.corpus import read_corpus_entry
from convlab.settings import REPO_ROOT

# Every check of 03, from all its grade_<task>.py modules, as one namespace for run_check.
graders = SimpleNamespace(**{
    name: check for path in sorted((REPO_ROOT / "graders" / "a03_conv2d").glob("grade_*.py"))
    for name, check in vars(importlib.import_module(f"graders.a03_conv2d.{path.stem}")).items()
    if name.startswith("test_")})
FOLDER = REPO_ROOT / "tests" / "corpus" / "03_conv2d_inprocess"
ENTRIES = [read_corpus_entry(p) for p in sorted(FOLDER.glob("*.py"))]
NEEDS_TF = {"filter_bank_tf"}


def _checks_of(function: str) -> list[str]:
    """Check ids of a function: the longest function-name prefix decides, as in test_corpus."""
    names = [n for n, f in vars(reference).items() if inspect.isfunction(f) and f.__module__ == reference.__name__]
    checks = [name.removeprefix("test_") for name in dir(graders) if name.startswith("test_")]
    return [c for c in checks if max((n for n in names if c.startswith(n + "_")), key=len) == function]


def _params(entries):
    return [pytest.param(e, id=e.name, marks=[pytest.mark.slow] if _needs_tf(e) else []) for e in entries]


def _needs_tf(entry) -> bool:
    return entry.function in NEEDS_TF or "tensorflow" in entry.code or "keras" in entry.code


@pytest.mark.parametrize("entry", _params([e for e in ENTRIES if e.loses]))
def test_inprocess_mistake_loses_points_with_named_message(entry):
    student = InProcessStudent(reference, entry.code)
    messages = []
    for check_id in entry.loses:
        passed, total, message = run_check(graders, student, check_id)
        assert passed < total, f"{entry.name} should lose points on {check_id}"
        messages.append(message)
    assert entry.message.lower() in " ".join(messages).lower(), f"{entry.name}: got {messages}"


@pytest.mark.parametrize("entry", _params([e for e in ENTRIES if not e.loses]))
def test_inprocess_correct_variant_passes_its_checks(entry):
    student = InProcessStudent(reference, entry.code)
    for check_id in _checks_of(entry.function):
        if check_id == "conv2d_im2col_vectorised":
            continue  # timings in this process say nothing about the kernel's
        passed, total, message = run_check(graders, student, check_id)
        assert passed == total, f"{entry.name} lost points on {check_id}: {message}"


def test_reference_passes_every_check_in_process():
    """The stand-in itself is faithful: the reference answers pass every check (TensorFlow aside)."""
    student = InProcessStudent(reference, "")
    for check_id in [name.removeprefix("test_") for name in dir(graders) if name.startswith("test_")]:
        if check_id.startswith("filter_bank_tf"):
            continue
        passed, total, message = run_check(graders, student, check_id)
        assert passed == total, f"{check_id}: {message}"
