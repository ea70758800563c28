"""Class reports in `reports/<assignment>/`: grades.csv, item_analysis.csv and report.html.

Scores come from the gradebook (what `nbgrader export` sees, manual grades included); the per-check
facts come from the data each feedback table that `GradeWithEngine` writes into an autograded
notebook carries (`convlab.runner.report.item_data`: check ids, scores, the named mistake's id), so the
report also works for a class graded by plain `nbgrader autograde`, and rewording a message or a
hint changes nothing here.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from convlab import course
from convlab.batch.tasks import FAILURES
from convlab.integration import gradebook_db
from convlab.runner import report

log = logging.getLogger(__name__)

Scores = dict[str, tuple[dict[str, float], float, float]]  # student -> (per notebook, total, max)


def gradebook_scores(url: str, course_root: Path, assignment: str) -> tuple[Scores, list[str]]:
    """Scores of every submission of `assignment` in the gradebook, and the notebook names."""
    from nbgrader.api import Gradebook, MissingEntry

    scores: Scores = {}
    with Gradebook(url, gradebook_db.config_course_id(course_root)) as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            return {}, []
        notebooks = [nb.name for nb in found.notebooks]
        for sub in found.submissions:
            per = {nb.name: float(nb.score or 0.0) for nb in sub.notebooks}
            scores[sub.student.id] = (per, float(sub.score or 0.0), float(sub.max_score or 0.0))
        maximum = float(found.max_score or 0.0)
    for student, (per, total, _) in scores.items():
        scores[student] = (per, total, maximum)
    return scores, notebooks


@dataclass
class GradedCheck:
    """One check of one student, as the feedback's data states it."""

    check_id: str
    cell: str
    score: float
    max_score: float
    passed: bool
    message: str = ""
    mistake_id: str = ""  # the named mistake's id in the assignment's mistakes.py ('' if none)
    blocked_by: tuple[str, ...] = ()  # relied-on checks that failed too


def read_feedback(nb: nbformat.NotebookNode) -> list[GradedCheck]:
    """Every check of an autograded notebook, from the data its feedback tables carry."""
    found: list[GradedCheck] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") != "display_data":
                continue
            text = out.get("data", {}).get("text/html", "")
            data = report.read_item_data("".join(text) if isinstance(text, list) else text)
            if data is None:
                continue
            for c in data["checks"]:
                found.append(GradedCheck(c["id"], data["cell"], float(c["score"]), float(c["max_score"]),
                                         bool(c["passed"]), c["message"], c["mistake_id"],
                                         tuple(c["blocked_by"])))
    return found


@dataclass
class ItemRow:
    check_id: str
    cell: str
    max_score: float
    scores: list[float] = field(default_factory=list)
    passes: int = 0
    mistakes: Counter = field(default_factory=Counter)  # named mistake id -> students
    messages: Counter = field(default_factory=Counter)
    blocked: int = 0  # failures where a check this one relies on failed too

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else 0.0

    @property
    def pass_rate(self) -> float:
        return self.passes / len(self.scores) if self.scores else 0.0


def _normalised(message: str) -> str:
    # Numbers differ between cases and students; the wording is what repeats.
    text = re.sub(r"\s*\(\d+ of \d+ cases failed\)\s*$", "", message)
    text = re.sub(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\w])", "#", text)
    return text[:100]


def item_analysis(course_root: Path, assignment: str, students: list[str]) -> list[ItemRow]:
    rows: dict[str, ItemRow] = {}
    for student in students:
        for path in course.notebooks_in(course.autograded_dir(student, assignment, course_root)):
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception:  # noqa: BLE001 - an unreadable autograded file just has no checks
                continue
            checks = read_feedback(nb)
            if not checks:
                log.warning("%s carries no feedback data (graded by an older version?): regrade it with --force",
                            path)
            for c in checks:
                row = rows.setdefault(c.check_id, ItemRow(c.check_id, c.cell, c.max_score))
                row.scores.append(c.score)
                row.passes += c.passed
                if not c.passed:
                    if c.mistake_id:
                        row.mistakes[c.mistake_id] += 1
                    if c.blocked_by:
                        row.blocked += 1
                    if c.message:
                        row.messages[_normalised(c.message)] += 1
    return list(rows.values())


@dataclass
class ClassData:
    assignment: str
    notebooks: list[str]
    scores: Scores
    students: list[str]
    status: dict[str, str]
    items: list[ItemRow]


def collect(course_root: Path, assignment: str, db_url: str | None = None) -> ClassData:
    url = gradebook_db.resolve_db_url(db_url, course_root)
    scores, notebooks = gradebook_scores(url, course_root, assignment)
    failures_path = course.reports_dir(assignment, course_root) / FAILURES
    failures = json.loads(failures_path.read_text()) if failures_path.exists() else {}
    submitted = set(course.students_in(course_root / course.SUBMITTED, assignment))
    students = sorted(set(scores) | submitted | set(failures))
    status = {}
    for s in students:
        if s in failures:
            status[s] = "failed: " + failures[s].splitlines()[0][:200]
        elif s in scores and course.autograded_dir(s, assignment, course_root).is_dir():
            status[s] = "graded"
        else:
            status[s] = "not graded"
    graded = [s for s in students if status[s] == "graded"]
    return ClassData(assignment, notebooks, scores, students, status, item_analysis(course_root, assignment, graded))


def _total(data: ClassData, student: str) -> float:
    return data.scores[student][1] if data.status[student] == "graded" else 0.0


def write_grades_csv(data: ClassData, path: Path) -> None:
    """One row per student: per-notebook scores, total and max (0 for failed or ungraded)."""
    maximum = max((m for _, _, m in data.scores.values()), default=0.0)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student_id", *data.notebooks, "total", "max_score", "status"])
        for s in data.students:
            per = data.scores.get(s, ({}, 0.0, 0.0))[0] if data.status[s] == "graded" else {}
            w.writerow([s, *(f"{per.get(nb, 0.0):g}" for nb in data.notebooks), f"{_total(data, s):g}",
                        f"{maximum:g}", data.status[s]])


def write_item_analysis_csv(data: ClassData, path: Path) -> None:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["check", "cell", "max_points", "students", "mean_score", "pass_rate",
                    "most_common_mistake", "mistake_count", "most_common_failure", "failed_with_relied_on_check"])
        for r in data.items:
            mistake, count = r.mistakes.most_common(1)[0] if r.mistakes else ("", 0)
            failure = r.messages.most_common(1)[0][0] if r.messages else ""
            w.writerow([r.check_id, r.cell, f"{r.max_score:g}", len(r.scores), f"{r.mean:.3f}",
                        f"{r.pass_rate:.3f}", mistake, count, failure, r.blocked])


def _png(fig) -> str:  # noqa: ANN001
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


def plots(data: ClassData) -> dict[str, str]:
    """Base64 PNGs: score histogram, pass rate per check, most common mistakes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = {}
    totals = [_total(data, s) for s in data.students]
    maximum = max((m for _, _, m in data.scores.values()), default=1.0) or 1.0
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.hist(totals, bins=min(20, max(5, len(totals) // 2)), range=(0, maximum), color="#3b6ea5", edgecolor="white")
    ax.set_xlabel(f"total score (max {maximum:g})")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Score distribution")
    out["histogram"] = _png(fig)
    plt.close(fig)

    items = data.items or []
    fig, ax = plt.subplots(figsize=(7, 0.28 * max(4, len(items)) + 1))
    ax.barh([r.check_id for r in items], [100 * r.pass_rate for r in items], color="#1a7f37")
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.set_xlabel("students passing every case (%)")
    ax.set_title("Pass rate per check")
    out["pass_rate"] = _png(fig)
    plt.close(fig)

    mistakes = Counter()
    for r in items:
        for name, n in r.mistakes.items():
            mistakes[f"{r.check_id}: {name}"[:70]] += n
    top = mistakes.most_common(10)
    fig, ax = plt.subplots(figsize=(7, 0.35 * max(3, len(top)) + 1))
    if top:
        ax.barh([k for k, _ in top], [v for _, v in top], color="#cf222e")
        ax.invert_yaxis()
    else:
        ax.text(0.5, 0.5, "no named mistakes", ha="center", va="center")
        ax.set_yticks([])
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("failed checks naming this mistake")
    ax.set_title("Most common mistakes")
    out["mistakes"] = _png(fig)
    plt.close(fig)
    return out


_SELF_CHECK = """
<script>
// Marks the page for automated checks: every plot decoded, no script error.
window.reportErrors = [];
window.addEventListener('error', e => { window.reportErrors.push(String(e.message)); });
window.addEventListener('load', () => {
  const imgs = Array.from(document.images);
  const ok = imgs.filter(i => i.complete && i.naturalWidth > 0).length;
  document.body.dataset.imagesLoaded = ok + '/' + imgs.length;
  document.body.dataset.errors = window.reportErrors.length;
});
</script>"""


def render_html(data: ClassData) -> str:
    e = html.escape
    totals = [_total(data, s) for s in data.students]
    maximum = max((m for _, _, m in data.scores.values()), default=0.0)
    figs = plots(data)
    stats = ""
    if totals:
        stats = (f"<p>{len(data.students)} students · mean {statistics.fmean(totals):.2f} · "
                 f"median {statistics.median(totals):.2f} · min {min(totals):g} · max {max(totals):g} "
                 f"(out of {maximum:g}) · {sum(v == 'graded' for v in data.status.values())} graded</p>")
    item_rows = "".join(
        f"<tr><td><code>{e(r.check_id)}</code></td><td>{e(r.cell)}</td><td>{r.max_score:g}</td>"
        f"<td>{r.mean:.2f}</td><td>{100 * r.pass_rate:.0f}%</td>"
        f"<td>{e(r.mistakes.most_common(1)[0][0]) if r.mistakes else ''}</td>"
        f"<td><small>{e(r.messages.most_common(1)[0][0]) if r.messages else ''}</small></td></tr>"
        for r in data.items)
    student_rows = "".join(
        f"<tr><td>{e(s)}</td>"
        + "".join(f"<td>{round(data.scores.get(s, ({}, 0, 0))[0].get(nb, 0.0) if data.status[s] == 'graded' else 0, 2):g}"
                  "</td>" for nb in data.notebooks)
        + f"<td><b>{round(_total(data, s), 2):g}</b></td><td>{e(data.status[s])}</td></tr>"
        for s in data.students)
    nb_heads = "".join(f"<th>{e(nb)}</th>" for nb in data.notebooks)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Class report: {e(data.assignment)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #1f2328; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f6f8fa; }}
.plots img {{ max-width: 100%; display: block; margin: 1em 0; }}
</style></head>
<body>
<h1>Class report: {e(data.assignment)}</h1>
{stats}
<p id="similarity">Copying: <a href="similarity.html">similarity report</a>, written beside this page by
<code>python -m convlab similarity {e(data.assignment)}</code> (instructor only, not part of any grade).</p>
<div class="plots">
<img id="histogram" alt="score histogram" src="data:image/png;base64,{figs['histogram']}">
<img id="pass-rate" alt="pass rate per check" src="data:image/png;base64,{figs['pass_rate']}">
<img id="mistakes" alt="most common mistakes" src="data:image/png;base64,{figs['mistakes']}">
</div>
<h2>Checks</h2>
<table id="items"><thead><tr><th>check</th><th>cell</th><th>points</th><th>mean</th><th>pass rate</th>
<th>most common mistake</th><th>most common failure</th></tr></thead><tbody>{item_rows}</tbody></table>
<h2>Students</h2>
<table id="students"><thead><tr><th>student</th>{nb_heads}<th>total</th><th>status</th></tr></thead>
<tbody>{student_rows}</tbody></table>
{_SELF_CHECK}
</body></html>
"""


def write_reports(course_root: Path, assignment: str, db_url: str | None = None) -> Path:
    """Write grades.csv, item_analysis.csv and report.html; return their folder."""
    data = collect(course_root, assignment, db_url)
    folder = course.reports_dir(assignment, course_root)
    folder.mkdir(parents=True, exist_ok=True)
    write_grades_csv(data, folder / "grades.csv")
    write_item_analysis_csv(data, folder / "item_analysis.csv")
    (folder / "report.html").write_text(render_html(data))
    return folder
