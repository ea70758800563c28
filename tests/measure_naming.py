"""How often a failed check names the mistake a corpus entry was written to make (issue 22 §2).

    .venv/bin/python tests/measure_naming.py [ASSIGNMENT ...]

An entry's intended mistake is the row of its function's mistake table whose hint contains the
entry's `# message:` words (entries whose words match no row, or several, have no intended row and
are not counted). Each entry is graded in this process (tests/inprocess_student.py) on the checks
it must lose, with the fixed and fresh cases real grading uses; the named mistake is the one
`convlab.runner.naming` picks for its first failed check. Entries whose function needs a kernel
(Keras models) are reported as not measurable.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections import Counter
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

from support.inprocess_student import InProcessStudent, failed_cases  # noqa: E402

from convlab import course  # noqa: E402
from convlab.checking.checks import mistakes_from  # noqa: E402
from convlab.dev.corpus import corpus  # noqa: E402
from convlab.runner.naming import named_mistake  # noqa: E402


def _checks(package: str) -> dict[str, object]:
    found = {}
    for path in sorted((Path(__file__).parent.parent / package.replace(".", "/")).glob("grade_*.py")):
        module = importlib.import_module(f"{package}.{path.stem}")
        found.update({name.removeprefix("test_"): getattr(module, name) for name in dir(module)
                      if name.startswith("test_")})
    return found


def _named(check, student: InProcessStudent) -> str:
    _, failures = failed_cases(check, student)
    return named_mistake(failures)[0] if failures else "<passed>"


def measure(assignment: str) -> tuple[Counter, list[str]]:
    info = course.assignment(assignment)
    reference = importlib.import_module(info.solutions_module)
    table = importlib.import_module(f"{info.graders_package}.mistakes").MISTAKES
    checks = _checks(info.graders_package)
    tally: Counter = Counter()
    misses = []
    for entry in corpus(assignment):
        rows = [r for r in mistakes_from(table.get(entry.function, [])) if entry.message
                and entry.message.lower() in r.hint.lower()]
        if len(rows) != 1:
            tally["no row"] += 1
            continue
        if "model" in inspect.signature(getattr(reference, entry.function)).parameters:
            # A Keras model reaches the student's function only through the kernel's extension.
            tally["not measurable"] += 1
            misses.append(f"  {entry.name}: not measurable in process (takes a Keras model)")
            continue
        try:
            student = InProcessStudent(reference, entry.answer)
            own = [c for c in entry.loses if c in checks]
            named = next((n for n in (_named(checks[c], student) for c in own) if n != "<passed>"), "<passed>")
        except Exception as exc:  # noqa: BLE001 - a check that needs a kernel cannot run here
            tally["not measurable"] += 1
            misses.append(f"  {entry.name}: not measurable in process ({type(exc).__name__})")
            continue
        tally["counted"] += 1
        # A library rule's entry is named by the rule it breaks, not by a row of the table.
        library_rule = named.startswith("banned_call:") and all("_no_" in c for c in entry.loses)
        if named == rows[0].id or library_rule:
            tally["named right"] += 1
        else:
            misses.append(f"  {entry.name}: intended {rows[0].id}, named {named or '(none)'}")
    return tally, misses


def main(assignments: list[str]) -> None:
    print("assignment            entries with a row  named right  accuracy  (no row, not measurable)")
    for assignment in assignments:
        tally, misses = measure(assignment)
        counted = tally["counted"]
        accuracy = f"{tally['named right'] / counted:6.1%}" if counted else "   n/a"
        print(f"{assignment:22s}{counted:>18d}{tally['named right']:>13d}  {accuracy}  "
              f"({tally['no row']}, {tally['not measurable']})")
        for line in misses:
            print(line)


if __name__ == "__main__":
    main(sys.argv[1:] or [a.id for a in course.assignments()])
