"""`convlab similarity`: what is compared (answer cells, normalised), the scores (copydetect's, every pair at
once), the corpus of disguised copies (all flagged) and independent answers (none flagged), the CSV and the
HTML report (opened in headless Chromium, as the class report is)."""

from __future__ import annotations

import csv
import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import numpy as np
import pytest
from copydetect import compare_files
from support.chromium import render_in_chromium

from convlab.cli import main as cli_main
from convlab.dev import disguise
from convlab.dev.bench_similarity import corpus_rows, evaluate, is_copy
from convlab.dev.corpus import corpus, reference_submission, release_notebook, with_answer, write_submission
from convlab.settings import REPO_ROOT
from convlab.similarity.compare import DEFAULT, Settings, boilerplate_hashes, fingerprint, share_matrix
from convlab.similarity.extract import answers_of_cells, boilerplate, normalise

ASSIGNMENT, NOTEBOOK = "02_conv1d", "conv1d"


def _entry(name: str, correct: bool = True):  # noqa: ANN202
    return {e.name: e for e in corpus(ASSIGNMENT, correct)}[name]


# --- what is compared ---------------------------------------------------------------------------

def test_normalise_drops_comments_blank_lines_docstrings_annotations_imports_and_the_stub():
    bp = boilerplate(ASSIGNMENT, REPO_ROOT)
    assert bp.starter["conv1d"] == "def conv1d(x, w, mode='full'):\n    pass", "the release stub, normalised"
    plain = "def f(x, k):\n    y = np.asarray(x)\n    return y[::k]"
    noisy = ('import numpy as np\n\n\ndef f(x: np.ndarray, k: int) -> np.ndarray:\n    """Every k-th value."""\n'
             "    # take every k-th\n\n    y: np.ndarray = np.asarray(x)  # as an array\n\n    return y[::k]\n"
             "    raise NotImplementedError()\n")
    assert normalise(noisy) == normalise(plain) == plain


def test_a_cell_left_as_the_stub_is_not_an_answer_and_broken_code_keeps_its_own_lines():
    bp = boilerplate(ASSIGNMENT, REPO_ROOT)
    stub = {c.metadata.nbgrader.grade_id: c.source for c in release_notebook(ASSIGNMENT, NOTEBOOK).cells
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")}["conv1d"]
    broken = stub.replace("raise NotImplementedError()", "for i in range(len(x):\n        y += x[i]")
    found = answers_of_cells("conv1d", [("untouched", stub, False), ("broken", broken, False)], bp.starter["conv1d"],
                             bp.release_cells["conv1d"])
    assert [a.student for a in found] == ["broken"], "the untouched stub has nothing of the student's in it"
    assert "for i in range(len(x):" in found[0].code and "raise NotImplementedError" not in found[0].code
    assert "Discrete 1D convolution" not in found[0].code, "the stub's docstring lines are starter code"


def test_share_matrix_gives_copydetects_numbers_for_every_pair():
    """The all-pairs computation must equal copydetect's compare_files, both shares, for window 1 and 6."""
    bp = boilerplate(ASSIGNMENT, REPO_ROOT)
    codes = [normalise(e.answer) for c in (True, False) for e in corpus(ASSIGNMENT, c) if e.function == "conv1d"]
    codes += [normalise(code) for code in disguise.disguises(_entry("conv1d_sliding_windows").answer, "conv1d").values()]
    codes.append(bp.reference["conv1d"])
    for settings in (DEFAULT, Settings(guarantee=30)):
        bh = boilerplate_hashes(bp.of("conv1d"), settings)
        prints = [fingerprint(code, settings, bh) for code in codes]
        share = share_matrix(prints)
        nonzero = 0
        for i, j in itertools.permutations(range(len(prints)), 2):
            _, (a, b), _ = compare_files(prints[i], prints[j])
            assert share[i, j] == pytest.approx(a, abs=1e-12) and share[j, i] == pytest.approx(b, abs=1e-12), (i, j)
            nonzero += a > 0
        assert nonzero > len(codes), "the comparison must cover pairs that share code, not only zeros"


# --- the disguises --------------------------------------------------------------------------------

def _run(code: str, name: str, *args):  # noqa: ANN002, ANN202
    space: dict = {"np": np}
    exec(compile(code, "<answer>", "exec"), space)  # noqa: S102 - the project's own corpus code
    return space[name](*args)


@pytest.mark.parametrize("entry", ["conv1d_sliding_windows", "conv1d_taps_outer", "moving_average_cumsum"])
def test_every_disguise_keeps_the_behaviour_and_changes_the_text(entry):
    found = _entry(entry)
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=9), rng.normal(size=4)
    args = (x, w, "same") if found.function == "conv1d" else (x, 3)
    expected = _run(found.answer, found.function, *args)
    made = disguise.disguises(found.answer, found.function)
    assert set(made) == {"rename", "comments", "split", "reorder", "all"}
    for kind, code in made.items():
        np.testing.assert_allclose(_run(code, found.function, *args), expected, err_msg=kind)
        assert code.strip() != found.answer.strip(), kind
    assert "def _" + found.function + "_rest(" in made["split"], "split adds a helper function"
    defs = lambda code: re.findall(r"^def (\w+)", code, re.MULTILINE)  # noqa: E731
    assert defs(made["reorder"]) == list(reversed(defs(made["split"]))), "reorder reverses the functions"
    assert "x" not in re.findall(r"\w+", made["rename"].split("\n", 1)[1]), "the argument x is renamed"
    assert made["comments"].count("#") > found.answer.count("#") and "\n\n" in made["comments"]


# --- the corpus: precision and recall ---------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_pairs():
    return corpus_rows()


def test_every_disguised_copy_of_the_corpus_is_flagged(corpus_pairs):
    rows, who = corpus_pairs
    copies = [r for r in rows if is_copy(r, who)]
    kinds = {who[r.student_b].disguise for r in copies} | {who[r.student_a].disguise for r in copies}
    assert {"rename", "comments", "split", "reorder", "all"} <= kinds
    missed = [(r.task, r.student_a, r.student_b, round(r.score, 3)) for r in copies if not r.flagged]
    assert not missed, missed
    total, _, _ = evaluate(rows, who)
    assert total.recall == 1.0 and total.tp == len(copies) > 500


def test_independent_correct_answers_are_not_flagged(corpus_pairs):
    """Correct corpus answers against the reference, and against each other: never flagged."""
    rows, who = corpus_pairs
    independent = [r for r in rows if not is_copy(r, who)]
    vs_reference = [r for r in independent if "reference" in (who[r.student_a].base, who[r.student_b].base)]
    assert len(vs_reference) > 100 and len(independent) > len(vs_reference)
    flagged = [(r.task, r.student_a, r.student_b, round(r.score, 3)) for r in independent if r.flagged]
    assert not flagged, flagged
    assert max(r.score for r in independent) < DEFAULT.threshold


# --- the command and its reports --------------------------------------------------------------------

def _course(tmp: Path) -> Path:
    """A course folder with this repository's source/ and release/, and a small class of 02_conv1d."""
    for folder in ("source", "release"):
        (tmp / folder).symlink_to(REPO_ROOT / folder)
    reference = reference_submission(ASSIGNMENT, NOTEBOOK)
    mine = _entry("conv1d_sliding_windows").answer
    own = _entry("conv1d_taps_outer").answer
    students = {
        "ana": with_answer(reference, "conv1d", mine),
        "ben": with_answer(reference, "conv1d", disguise.everything(mine, "conv1d")),
        "carla": with_answer(reference, "conv1d", own),
        "untouched": release_notebook(ASSIGNMENT, NOTEBOOK),
    }
    for student, nb in students.items():
        write_submission(nb, tmp / "submitted", student, ASSIGNMENT, NOTEBOOK)
    broken = tmp / "submitted" / "dan" / ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / f"{NOTEBOOK}.ipynb").write_text('{"cells": [ {"cell_ty')
    # An earlier term: one student copied by this term's carla, two archived students alike.
    for term, student in (("2024", "eve"), ("2024", "fred")):
        write_submission(with_answer(reference, "conv1d", disguise.rename(own, "conv1d")), tmp / "archive" / term,
                         student, ASSIGNMENT, NOTEBOOK)
    return tmp


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    course = _course(tmp_path_factory.mktemp("course"))
    rc = cli_main(["--course-root", str(course), "similarity", ASSIGNMENT, "--archive", str(course / "archive"),
                   "--workers", "2"])
    assert rc == 0
    return course, course / "reports" / ASSIGNMENT


def test_csv_has_one_row_per_pair_and_task_with_the_stated_columns(reported):
    _, folder = reported
    with (folder / "similarity.csv").open() as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, r)) for r in reader]
    assert header == ["task", "student_a", "student_b", "score", "flagged"]
    conv1d = {(r["student_a"], r["student_b"]): r for r in rows if r["task"] == "conv1d"}
    # ana, ben, carla answered conv1d (untouched and the broken file did not); eve and fred are archived.
    students = {"ana", "ben", "carla"}
    assert set(conv1d) == {p for p in conv1d if p[0] in students}, "this term's student comes first"
    assert len(conv1d) == 3 + 3 * 2, "3 pairs within the class, 3 x 2 with the archive, none archive-archive"
    assert conv1d[("ana", "ben")]["flagged"] == "true" and float(conv1d[("ana", "ben")]["score"]) >= 0.5
    assert conv1d[("carla", "archive/2024/eve")]["flagged"] == "true"
    assert conv1d[("ana", "carla")]["flagged"] == "false"
    assert {r["flagged"] for r in rows} == {"true", "false"}
    # The other tasks: the three students handed in the reference answers there, which is boilerplate.
    others = [r for r in rows if r["task"] != "conv1d"]
    assert others and all(r["flagged"] == "false" and float(r["score"]) == 0.0 for r in others)
    assert all(re.fullmatch(r"\d\.\d{3}", r["score"]) for r in rows)


def test_reports_are_never_committed(reported):
    ignored = subprocess.run(["git", "check-ignore", "-q", "reports/02_conv1d/similarity.csv"], cwd=REPO_ROOT)
    assert ignored.returncode == 0, "reports/ must stay in .gitignore: the similarity report is instructor-only"


def test_no_submissions_is_a_clear_error(tmp_path, capsys):
    for folder in ("source", "release"):
        (tmp_path / folder).symlink_to(REPO_ROOT / folder)
    assert cli_main(["--course-root", str(tmp_path), "similarity", ASSIGNMENT]) == 2
    err = capsys.readouterr().err
    assert "no submissions of 02_conv1d" in err and "nbgrader collect" in err
    assert not (tmp_path / "reports").exists()


def test_class_report_links_the_similarity_report():
    from convlab.batch import class_report

    page = class_report.render_html(class_report.ClassData(ASSIGNMENT, [], {}, [], {}, []))
    assert 'href="similarity.html"' in page and f"convlab similarity {ASSIGNMENT}" in page


@pytest.mark.slow
def test_similarity_html_renders_in_headless_chromium(reported, tmp_path):
    _, folder = reported
    page = folder / "similarity.html"
    text = page.read_text()
    assert "For the instructor only" in text and "ana ↔ ben" in text and "<mark>" in text
    shot, body, console = render_in_chromium(page, tmp_path)
    # Two flagged pairs (ana-ben, carla-eve and carla-fred: three), each with a side-by-side view and marks.
    views = int(re.search(r'data-views="(\d+)"', body).group(1))
    marks = int(re.search(r'data-marks="(\d+)"', body).group(1))
    assert views == 3 and marks >= 2 * views and 'data-errors="0"' in body, body
    assert not console, console
    shutil.copy(shot, folder / "similarity_screenshot.png")  # kept for a person to look at


def test_notebooks_are_read_as_plain_json(reported):
    """A notebook nbformat would reject (an unknown field) still has its answers compared."""
    course, _ = reported
    path = course / "submitted" / "ana" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    raw = json.loads(path.read_text())
    raw["cells"][0]["unexpected"] = True
    odd = course.parent / "odd"
    shutil.copytree(course, odd, symlinks=True)
    (odd / "submitted" / "ana" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").write_text(json.dumps(raw))
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(nbformat.from_dict(raw))
    from convlab.similarity.run import read_submissions

    assert "ana" in {s.student for s in read_submissions(odd, ASSIGNMENT)}
