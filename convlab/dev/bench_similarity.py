"""`python -m convlab.dev.bench_similarity [--students 200]`: precision and recall of the similarity report
on its corpus, and the time it takes for a synthetic class of every assignment.

The corpus (`labelled_corpus`): for every function with independent correct answers in
`tests/corpus/<assignment>_correct/`, one student hands in each such answer, one hands in the
reference, and one more hands in each disguise of each correct answer (`convlab/dev/disguise.py`).
Two students whose answers come from the same correct answer copied; any other pair (two different
correct answers, or a correct answer and the reference) worked independently.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat

from convlab import course
from convlab.dev import disguise
from convlab.dev.corpus import corpus, release_notebook, write_submission
from convlab.notebook import nbgrader_meta
from convlab.settings import REPO_ROOT
from convlab.similarity import similarity_report
from convlab.similarity.compare import DEFAULT, PairScore, Settings
from convlab.similarity.extract import Boilerplate, boilerplate
from convlab.similarity.run import Submission, compare_submissions

ORIGINAL = "as written"


@dataclass(frozen=True)
class CorpusStudent:
    """A synthetic student of the corpus: the correct answer their code comes from and how it was disguised."""

    name: str
    base: str  # the corpus entry (or "reference")
    disguise: str  # ORIGINAL or a key of disguise.DISGUISES


def labelled_corpus(assignment: str, root: Path = REPO_ROOT) -> tuple[list[Submission], dict[str, CorpusStudent]]:
    """The corpus's submissions of `assignment` (one task each) and who each synthetic student is."""
    subs: list[Submission] = []
    who: dict[str, CorpusStudent] = {}
    bp = boilerplate(assignment, root)
    entries = [e for e in corpus(assignment, correct=True, root=root) if e.function in bp.starter]
    reference = course.assignment(assignment, root)
    for function in sorted({e.function for e in entries}):
        source = nbformat.read(reference.source_notebook, as_version=4)
        ref_code = next(c.source for c in source.cells if nbgrader_meta(c).get("grade_id") == function)
        students = [CorpusStudent(f"{function}/reference", "reference", ORIGINAL)]
        codes = [ref_code]
        for entry in (e for e in entries if e.function == function):
            students.append(CorpusStudent(f"{function}/{entry.name}", entry.name, ORIGINAL))
            codes.append(entry.answer)
            for kind, code in disguise.disguises(entry.answer, function).items():
                students.append(CorpusStudent(f"{function}/{entry.name}~{kind}", entry.name, kind))
                codes.append(code)
        for student, code in zip(students, codes):
            subs.append(Submission(student.name, {function: code}))
            who[student.name] = student
    return subs, who


@dataclass
class Confusion:
    """Counts over labelled pairs: copies flagged (tp) or missed (fn), independent pairs flagged (fp) or not (tn)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def is_copy(row: PairScore, who: dict[str, CorpusStudent]) -> bool:
    return who[row.student_a].base == who[row.student_b].base


def evaluate(rows: list[PairScore], who: dict[str, CorpusStudent]) -> tuple[Confusion, Counter, Counter]:
    """The confusion counts, plus missed copies per disguise and flagged independent pairs per kind."""
    total = Confusion()
    missed: Counter = Counter()
    false_flags: Counter = Counter()
    for row in rows:
        a, b = who[row.student_a], who[row.student_b]
        if is_copy(row, who):
            total.tp += row.flagged
            total.fn += not row.flagged
            if not row.flagged:
                missed[b.disguise if a.disguise == ORIGINAL else f"{a.disguise}+{b.disguise}"] += 1
        else:
            total.fp += row.flagged
            total.tn += not row.flagged
            if row.flagged:
                false_flags["vs reference" if "reference" in (a.base, b.base) else "two correct answers"] += 1
    return total, missed, false_flags


def corpus_rows(settings: Settings = DEFAULT, reference_as_boilerplate: bool = True,
                root: Path = REPO_ROOT) -> tuple[list[PairScore], dict[str, CorpusStudent]]:
    """Every labelled pair of every assignment's corpus, compared as `convlab similarity` does."""
    rows: list[PairScore] = []
    who: dict[str, CorpusStudent] = {}
    for a in course.assignments(root):
        subs, names = labelled_corpus(a.id, root)
        bp = boilerplate(a.id, root)
        if not reference_as_boilerplate:
            bp = Boilerplate(bp.starter, {})
        rows += compare_submissions(a.id, subs, bp, settings, workers=1).pairs
        who.update(names)
    return rows, who


def _perturbed(code: str, function: str, number: int) -> str:
    """`code` with one statement of its own (every real student differs somewhere), when it parses."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            node.body.insert(0, ast.parse(f"attempt = {number}").body[0])
    return ast.unparse(ast.fix_missing_locations(tree))


def synthetic_class(root: Path, students: int, seed: int = 0) -> None:
    """`students` submissions of every assignment in `root/submitted/`: per task a random answer of the
    corpus (reference, correct or wrong; 5% left as the stub) with a random disguise and a line of its own."""
    rng = random.Random(seed)
    for a in course.assignments(REPO_ROOT):
        bp = boilerplate(a.id, REPO_ROOT)
        pool: dict[str, list[str]] = {task: [code] for task, code in bp.reference.items()}
        for correct in (True, False):
            for entry in corpus(a.id, correct):
                pool.setdefault(entry.function, []).append(entry.answer)
        release = release_notebook(a.id, a.notebook)
        for n in range(students):
            nb = copy.deepcopy(release)
            for cell in nb.cells:
                task = nbgrader_meta(cell).get("grade_id")
                if not nbgrader_meta(cell).get("solution") or task not in pool or rng.random() < 0.05:
                    continue
                code = rng.choice(pool[task])
                kinds = [ORIGINAL, *disguise.disguises(code, task)] if _parses(code) else [ORIGINAL]
                kind = rng.choice(kinds)
                code = code if kind == ORIGINAL else disguise.DISGUISES[kind](code, task)
                cell.source = _perturbed(code, task, n)
            write_submission(nb, root / course.SUBMITTED, f"student{n:03d}", a.id, a.notebook)


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m convlab.dev.bench_similarity", description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=200, help="size of the synthetic class (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default: %(default)s)")
    args = parser.parse_args(argv)

    rows, who = corpus_rows()
    total, missed, false_flags = evaluate(rows, who)
    print(f"corpus: {total.tp + total.fn} copied pairs, {total.fp + total.tn} independent pairs "
          f"(threshold {DEFAULT.threshold:g})")
    print(f"  precision {total.precision:.3f}  recall {total.recall:.3f}  "
          f"(flagged: {total.tp} copies, {total.fp} independent; missed {total.fn} copies)")
    if missed:
        print(f"  missed copies by disguise: {dict(missed)}")
    if false_flags:
        print(f"  independent pairs flagged: {dict(false_flags)}")
    copies = sorted(r.score for r in rows if is_copy(r, who))
    independent = sorted(r.score for r in rows if not is_copy(r, who))
    print(f"  scores: copies lowest {copies[0]:.3f}, median {copies[len(copies) // 2]:.3f}; "
          f"independent highest {independent[-1]:.3f}")
    raw, raw_who = corpus_rows(reference_as_boilerplate=False)
    vs_ref = [r for r in raw if {raw_who[r.student_a].base, raw_who[r.student_b].base} & {"reference"}
              and raw_who[r.student_a].disguise == raw_who[r.student_b].disguise == ORIGINAL and not is_copy(r, raw_who)]
    top = max(vs_ref, key=lambda r: r.score)
    print(f"  were the reference not boilerplate, correct answers as written vs the reference: highest {top.score:.3f} "
          f"({top.student_a} / {top.student_b}), {sum(r.flagged for r in vs_ref)} of {len(vs_ref)} flagged")

    tmp = Path(tempfile.mkdtemp(prefix="convlab-similarity-bench-"))
    try:
        for folder in (course.SOURCE, course.RELEASE):
            (tmp / folder).symlink_to(REPO_ROOT / folder)
        print(f"synthetic class: {args.students} students x {len(course.assignments(REPO_ROOT))} notebooks "
              f"(writing them...)", flush=True)
        synthetic_class(tmp, args.students)
        print(f"  load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              "(other jobs' load slows the wall-clock times)", flush=True)
        total_wall = total_cpu = 0.0
        for a in course.assignments(REPO_ROOT):
            start, cpu = time.perf_counter(), _cpu_seconds()
            result, _ = similarity_report(tmp, a.id, workers=args.workers)
            wall, used = time.perf_counter() - start, _cpu_seconds() - cpu
            total_wall, total_cpu = total_wall + wall, total_cpu + used
            compared, flagged = result.counts()
            print(f"  {a.id}: {len(result.tasks)} tasks, {compared} pairs, {flagged} flagged, "
                  f"{wall:.1f} s wall, {used:.1f} CPU-s", flush=True)
        print(f"  total {total_wall:.1f} s wall with {args.workers} workers, {total_cpu:.1f} CPU-s "
              f"(goal: under 60 s on 2 cores)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
