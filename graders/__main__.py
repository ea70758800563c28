"""Command line: `python -m graders check NOTEBOOK.ipynb [--assignment ID] [--json]`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from graders import engine, report
from graders.settings import REPO_ROOT


def _guess_assignment(path: Path, course_root: Path) -> str:
    """The assignment whose source folder holds a notebook of this name (parent folder first)."""
    parent = path.resolve().parent.name
    if (course_root / "source" / parent / path.name).exists():
        return parent
    matches = sorted(p.parent.name for p in (course_root / "source").glob(f"*/{path.name}"))
    if len(matches) == 1:
        return matches[0]
    raise SystemExit(f"cannot tell which assignment {path.name} belongs to; pass --assignment")


def cmd_check(args: argparse.Namespace) -> int:
    path = Path(args.notebook)
    root = Path(args.course_root)
    assignment = args.assignment or _guess_assignment(path, root)
    result = engine.grade(path, assignment, path.stem, course_root=root)
    if args.json:
        sys.stdout.write(json.dumps(report.notebook_json(result)) + "\n")
    else:
        print(report.notebook_text(result))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from graders import authoring

    root = Path(args.course_root)
    for nb_path in sorted((root / "source" / args.assignment).glob("*.ipynb")):
        changed = authoring.sync(args.assignment, nb_path.stem, root)
        print(f"{nb_path}: {', '.join(changed) if changed else 'already in sync'}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from graders import demo

    return demo.main(args.assignments)


def cmd_bench(args: argparse.Namespace) -> int:
    from graders import bench

    return bench.main(args.assignment, args.copies)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders", description=__doc__)
    parser.add_argument("--course-root", default=str(REPO_ROOT), help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="grade one notebook outside nbgrader")
    check.add_argument("notebook")
    check.add_argument("--assignment", help="assignment id, e.g. 02_conv1d")
    check.add_argument("--json", action="store_true", help="print one JSON object on stdout")
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
    args = parser.parse_args(argv)
    # Logs go to stderr so that --json keeps stdout to exactly one object.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
