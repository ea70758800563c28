"""How often the graders name a mistake they were never shown (issue 22 §2, families of mistakes).

    .venv/bin/python tests/measure_unseen.py [ASSIGNMENT ...] [--list]

Mistakes nobody wrote down are made here by mutating the reference functions one small edit at a
time, the way students slip: an integer constant one off, `+`/`-` or `<`/`<=` exchanged, `//` for
`/`, a sum for a mean, a max for a min, an axis changed, a reversal dropped. Each mutant that loses
points on its function's checks (graded in this process, fixed and fresh cases) counts; the figure
is the share of those whose failure names a known mistake. `--list` prints the unnamed mutants,
which is where a mistake family is missing. Functions that need a kernel (Keras) are skipped.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

from measure_naming import _checks  # noqa: E402
from support.inprocess_student import InProcessStudent, failed_cases  # noqa: E402

from convlab import course  # noqa: E402
from convlab.runner.naming import named_mistake  # noqa: E402

MAX_MUTANTS_PER_FUNCTION = 12
SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.FloorDiv: ast.Div, ast.Lt: ast.LtE, ast.LtE: ast.Lt,
         ast.Gt: ast.GtE, ast.GtE: ast.Gt}
CALLS = {"sum": "mean", "mean": "sum", "max": "min", "min": "max", "argmax": "argmin", "floor": "ceil",
         "ceil": "floor", "maximum": "minimum", "minimum": "maximum"}


def _validation(tree: ast.AST) -> set[int]:
    """ids of the nodes inside the tests of `if ...: raise` (argument checks, not arithmetic)."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and node.body and isinstance(node.body[0], ast.Raise):
            inside |= {id(n) for n in ast.walk(node.test)}
    return inside


def _sites(tree: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    skip = _validation(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.BinOp) and type(node.op) in SWAPS:
            yield "operator", node
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in SWAPS:
            yield "comparison", node
        elif isinstance(node, ast.Constant) and type(node.value) is int and node.value in (0, 1, 2):
            yield "constant", node
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CALLS:
            yield "reduction", node
        elif isinstance(node, ast.keyword) and node.arg == "axis" and isinstance(node.value, ast.Constant):
            yield "axis", node
        elif isinstance(node, ast.Slice) and isinstance(node.step, ast.UnaryOp):
            yield "reversal", node


def _mutate(kind: str, node: ast.AST) -> str:
    if kind == "operator":
        node.op = SWAPS[type(node.op)]()
        return "operator exchanged"
    if kind == "comparison":
        node.ops = [SWAPS[type(node.ops[0])]()]
        return "comparison boundary moved"
    if kind == "constant":
        node.value += 1
        return "constant one off"
    if kind == "reduction":
        old, node.func.attr = node.func.attr, CALLS[node.func.attr]
        return f"{node.func.attr} for {old}"
    if kind == "axis":
        node.value = ast.Constant(-1 if node.value.value != -1 else 0)
        return "another axis"
    node.step = None
    return "reversal dropped"


def mutants(function) -> Iterator[tuple[str, str]]:
    """(what changed, source of the mutated function), at most MAX_MUTANTS_PER_FUNCTION."""
    source = textwrap.dedent(inspect.getsource(function))
    count = len(list(_sites(ast.parse(source))))
    for index in range(min(count, MAX_MUTANTS_PER_FUNCTION)):
        tree = ast.parse(source)
        kind, node = list(_sites(tree))[index]
        what = _mutate(kind, node)
        yield f"{what} (line {node.lineno})", ast.unparse(tree)


def _grade(checks: list, student: InProcessStudent) -> tuple[bool, str]:
    """(whether any check lost points, the mistake id the first failed check names)."""
    for check in checks:
        _, failures = failed_cases(check, student)
        if failures:
            return True, named_mistake(failures)[0]
    return False, ""


def measure(assignment: str, show: bool) -> tuple[int, int]:
    info = course.assignment(assignment)
    reference = importlib.import_module(info.solutions_module)
    checks = _checks(info.graders_package)
    functions = [f for n, f in vars(reference).items() if inspect.isfunction(f) and f.__module__ == reference.__name__
                 and not n.startswith("_")]
    losing = named = 0
    for function in functions:
        own = [c for cid, c in sorted(checks.items())
               if max((f.__name__ for f in functions if cid.startswith(f.__name__ + "_")), key=len, default="")
               == function.__name__]
        for what, code in mutants(function):
            try:
                lost, mistake = _grade(own, InProcessStudent(reference, code))
            except Exception:  # noqa: BLE001, S112 - a check that needs a kernel cannot run here
                continue
            if lost:
                losing += 1
                named += bool(mistake)
                if show and not mistake:
                    print(f"  unnamed: {function.__name__}: {what}")
    return losing, named


def main(argv: list[str]) -> None:
    show = "--list" in argv
    assignments = [a for a in argv if not a.startswith("--")] or [a.id for a in course.assignments()]
    print("assignment            mutants losing points  named  unnamed share")
    for assignment in assignments:
        losing, named = measure(assignment, show)
        share = f"{(losing - named) / losing:6.1%}" if losing else "   n/a"
        print(f"{assignment:22s}{losing:>22d}{named:>7d}  {share}")


if __name__ == "__main__":
    main(sys.argv[1:])
