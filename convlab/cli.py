"""Command line: `python -m convlab check NOTEBOOK.ipynb [--assignment ID] [--json]`."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import logging
import sys
from pathlib import Path

from convlab import course, engine
from convlab.runner import report
from convlab.runtime.sandbox import SandboxUnavailable
from convlab.settings import REPO_ROOT


def _guess_assignment(path: Path, course_root: Path) -> str:
    """The assignment whose source folder holds a notebook of this name (parent folder first)."""
    parent = path.resolve().parent.name
    if (course.source_dir(parent, course_root) / path.name).exists():
        return parent
    matches = [a.id for a in course.assignments(course_root) if a.source_notebook.name == path.name]
    if len(matches) == 1:
        return matches[0]
    raise SystemExit(f"cannot tell which assignment {path.name} belongs to; pass --assignment")


def cmd_check(args: argparse.Namespace) -> int:
    path = Path(args.notebook)
    root = Path(args.course_root)
    assignment = args.assignment or _guess_assignment(path, root)
    from convlab.integration.nbgrader_plugin import configured_settings

    settings = configured_settings(root)
    if args.allow_unsandboxed:
        settings = dataclasses.replace(settings, allow_unsandboxed=True)
    try:
        result = engine.grade(path, assignment, path.stem, course_root=root, settings=settings)
    except SandboxUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(report.notebook_json(result)) + "\n")
    else:
        print(report.notebook_text(result))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from convlab.dev import authoring

    root = Path(args.course_root)
    for notebook in course.notebooks(args.assignment, root):
        changed = authoring.sync(args.assignment, notebook, root)
        path = course.Assignment(args.assignment, notebook, root).source_notebook
        print(f"{path}: {', '.join(changed) if changed else 'already in sync'}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from convlab.dev import demo

    return demo.main(args.assignments)


def cmd_bench(args: argparse.Namespace) -> int:
    from convlab.dev import bench

    return bench.main(args.assignment, args.copies)


def cmd_batch(args: argparse.Namespace) -> int:
    from convlab import batch
    from convlab.batch import class_report

    root = Path(args.course_root)
    try:
        result = batch.run_batch(root, args.assignment, workers=args.workers, students=args.student or None,
                                 force=args.force, db_url=args.db, scheduler=args.scheduler, timeout=args.timeout)
    except SandboxUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    print(batch.summary(root, args.assignment, result, args.db))
    if not args.no_report:
        print(f"reports: {class_report.write_reports(root, args.assignment, args.db)}")
    if result.interrupted:
        return 130
    return 3 if result.failed else 0


def cmd_report(args: argparse.Namespace) -> int:
    from convlab.batch import class_report

    print(class_report.write_reports(Path(args.course_root), args.assignment, args.db))
    return 0


def cmd_bench_class(args: argparse.Namespace) -> int:
    from convlab.dev import bench_class

    per_assignment = {}
    for spec in args.students_for or []:
        name, _, count = spec.partition("=")
        if not count.isdigit() or int(count) < 1:
            print(f"--students-for wants ASSIGNMENT=N, got {spec!r}", file=sys.stderr)
            return 2
        per_assignment[name] = int(count)
    return bench_class.main(args.students, args.assignment or None, per_assignment)


def cmd_thresholds(args: argparse.Namespace) -> int:
    package = course.assignment(args.assignment, Path(args.course_root)).graders_package
    try:
        measure = importlib.import_module(f"{package}.measure_thresholds")
    except ModuleNotFoundError:
        print(f"{args.assignment} grades no trained model (no {package}.measure_thresholds)", file=sys.stderr)
        return 2
    return measure.main(["--seeds", *map(str, range(args.seeds))])


def cmd_similarity(args: argparse.Namespace) -> int:
    from convlab.similarity import similarity_report
    from convlab.similarity.compare import DEFAULT, Settings
    from convlab.similarity.extract import NoSubmissions

    root = Path(args.course_root)
    try:
        course.assignment(args.assignment, root)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 2
    settings = Settings(threshold=args.threshold) if args.threshold is not None else DEFAULT
    try:
        result, folder = similarity_report(root, args.assignment, Path(args.archive) if args.archive else None,
                                           settings, args.workers)
    except NoSubmissions as exc:
        print(exc, file=sys.stderr)
        return 2
    compared, flagged = result.counts()
    print(f"{args.assignment}: {len(result.students)} students, {compared} pairs compared, "
          f"{flagged} flagged (score >= {settings.threshold:g})")
    print(f"reports: {folder / 'similarity.csv'} {folder / 'similarity.html'} (instructor only)")
    return 0


def _add_instructor_tools(sub: argparse._SubParsersAction) -> None:
    """The commands an instructor runs around grading: benchmarks, pass marks, copying."""
    bench_cls = sub.add_parser("bench-class", help="serial nbgrader vs batch on a synthetic class")
    bench_cls.add_argument("--students", type=int, default=40)
    bench_cls.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    bench_cls.add_argument("--students-for", action="append", metavar="ASSIGNMENT=N",
                           help="a different class size for one assignment (repeatable)")
    bench_cls.set_defaults(func=cmd_bench_class)
    thresholds = sub.add_parser("thresholds", help="train the reference over seeds: the distribution of its "
                                "score, the seeds below the pass mark, the CPU model (slow)")
    thresholds.add_argument("assignment", help="an assignment that grades a trained model, e.g. 07_segmentation")
    thresholds.add_argument("--seeds", type=int, default=30, help="train seeds 0 .. N-1 (default: %(default)s)")
    thresholds.set_defaults(func=cmd_thresholds)
    similarity = sub.add_parser("similarity", help="compare every pair of students per task: "
                                "reports/<assignment>/similarity.csv and similarity.html (instructor only)")
    similarity.add_argument("assignment")
    similarity.add_argument("--archive", help="a folder of earlier terms' submissions (.../<student>/<assignment>/"
                                              "*.ipynb) to compare this term's students with")
    similarity.add_argument("--threshold", type=float, help="flag pairs scoring at least this "
                                                            "(default: THRESHOLD in convlab/similarity/compare.py)")
    similarity.add_argument("--workers", type=int, help="worker processes (default: number of CPUs)")
    similarity.set_defaults(func=cmd_similarity)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m convlab", description=__doc__)
    parser.add_argument("--course-root", default=str(REPO_ROOT), help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="grade one notebook outside nbgrader")
    check.add_argument("notebook")
    check.add_argument("--assignment", help="assignment id, e.g. 02_conv1d")
    check.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    check.add_argument("--allow-unsandboxed", action="store_true",
                       help="grade even if the kernel cannot be sandboxed (your own notebook on a laptop)")
    check.set_defaults(func=cmd_check)
    sync = sub.add_parser("sync", help="write solutions/ into the source notebook's solution cells")
    sync.add_argument("assignment")
    sync.set_defaults(func=cmd_sync)
    demo = sub.add_parser("demo", help="grade a demo class end to end with nbgrader")
    demo.add_argument("assignments", nargs="+")
    demo.set_defaults(func=cmd_demo)
    bench = sub.add_parser("bench", help="engine vs bare nbclient: seconds per notebook, peak RSS")
    bench.add_argument("assignment")
    bench.add_argument("--copies", type=int, default=10)
    bench.set_defaults(func=cmd_bench)
    batch = sub.add_parser("batch", help="grade a whole class in parallel, as nbgrader autograde does")
    batch.add_argument("assignment")
    batch.add_argument("--workers", type=int, help="local worker processes (default: number of CPUs)")
    batch.add_argument("--student", action="append", help="grade only this student (repeatable)")
    batch.add_argument("--force", action="store_true", help="grade again what is already graded")
    batch.add_argument("--db", help="gradebook URL (default: db_url of nbgrader_config.py), "
                                    "e.g. postgresql://user@host/convlab")
    batch.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786")
    batch.add_argument("--timeout", type=float, default=1800.0, help="seconds before a submission is killed")
    batch.add_argument("--no-report", action="store_true", help="do not write reports/<assignment>/")
    batch.set_defaults(func=cmd_batch)
    rep = sub.add_parser("report", help="write reports/<assignment>/ (grades.csv, item analysis, report.html)")
    rep.add_argument("assignment")
    rep.add_argument("--db", help="gradebook URL (default: db_url of nbgrader_config.py)")
    rep.set_defaults(func=cmd_report)
    _add_instructor_tools(sub)
    args = parser.parse_args(argv)
    # The course's own packages (solutions/, hidden graders/) import from its root, wherever the
    # `convlab` command was started.
    if args.course_root not in sys.path:
        sys.path.insert(0, args.course_root)
    # Logs go to stderr so that --json keeps stdout to exactly one object.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
