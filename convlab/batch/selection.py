"""Which submissions a batch grades: new, resubmitted, or forced; the rest are skipped."""

from __future__ import annotations

from pathlib import Path

from convlab.batch.tasks import Task
from convlab.course import SUBMITTED, autograded_dir, notebooks_in, students_in, submitted_dir


def submissions(course_root: Path, assignment: str, students: list[str] | None = None) -> list[str]:
    """Students with a `submitted/<student>/<assignment>/` folder (in the given order if named)."""
    found = students_in(course_root / SUBMITTED, assignment)
    if students:
        missing = [s for s in students if s not in found]
        if missing:
            raise SystemExit(f"no submission of {assignment} for: {', '.join(missing)}")
        return list(students)
    return found


def _timestamp(folder: Path) -> object | None:
    """The submission time in `timestamp.txt`, parsed as nbgrader's CourseDirectory does."""
    from nbgrader.utils import parse_utc

    path = folder / "timestamp.txt"
    try:
        return parse_utc(path.read_text().strip()) if path.exists() else None
    except ValueError:
        return None


def _newest_mtime(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)


def needs_grading(course_root: Path, assignment: str, student: str, in_gradebook: set[str],
                  force: bool) -> str:
    """Why this submission must be graded now ('' = it is graded and up to date)."""
    if force:
        return "forced"
    dest = autograded_dir(student, assignment, course_root)
    if not dest.is_dir() or not notebooks_in(dest):
        return "new"
    if student not in in_gradebook:
        return "not in this gradebook"
    src = submitted_dir(student, assignment, course_root)
    new, old = _timestamp(src), _timestamp(dest)
    if new is not None and old is not None and new > old:
        return "resubmitted (timestamp.txt)"
    graded_at = min(p.stat().st_mtime for p in notebooks_in(dest))
    if _newest_mtime(src) > graded_at:
        return "resubmitted (file changed)"
    return ""


def students_in_gradebook(url: str, assignment: str, course_id: str) -> set[str]:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(url, course_id) as gb:
        try:
            return {s.student.id for s in gb.find_assignment(assignment).submissions}
        except MissingEntry:
            return set()


def read_task(course_root: Path, assignment: str, student: str, db_url: str) -> Task:
    src = submitted_dir(student, assignment, course_root)
    files = {str(p.relative_to(src)): p.read_bytes() for p in sorted(src.rglob("*")) if p.is_file()}
    return Task(student, assignment, str(course_root), db_url, files)
