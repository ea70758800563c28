"""The similarity reports in `reports/<assignment>/`: similarity.csv (every pair) and similarity.html.

Both are for the instructor only: `reports/` is never committed, released or sent to students, and
nothing here feeds a grade. A flagged pair is a place to look, not a verdict.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

from convlab import course
from convlab.similarity.compare import PairScore, TaskComparison
from convlab.similarity.run import SimilarityResult

CSV_COLUMNS = ("task", "student_a", "student_b", "score", "flagged")
MAX_ROWS = 200  # flagged pairs listed per task in the HTML; similarity.csv has them all


def write_csv(result: SimilarityResult, path: Path) -> None:
    """One row per compared pair and task, tasks in notebook order, highest score first."""
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for c in result.comparisons:
            i, j, score = c.indices()
            names = c.students
            w.writerows((c.task, names[a], names[b], f"{s:.3f}", "true" if s >= c.threshold else "false")
                        for a, b, s in zip(i.tolist(), j.tolist(), score.tolist()))


def _highlighted(code: str, ranges: list[tuple[int, int]]) -> str:
    """`code` as HTML with the shared ranges in <mark>."""
    out, at = [], 0
    for start, end in ranges:
        out += [html.escape(code[at:start]), "<mark>", html.escape(code[start:end]), "</mark>"]
        at = end
    out.append(html.escape(code[at:]))
    return "".join(out)


def _side_by_side(result: SimilarityResult, c: TaskComparison, row: PairScore, anchor: str) -> str:
    e = html.escape
    a = result.answers[(row.task, row.student_a)].code
    b = result.answers[(row.task, row.student_b)].code
    ranges_a, ranges_b = c.passages[(row.student_a, row.student_b)]
    return f"""<div class="pair" id="{anchor}">
<h4>{e(row.student_a)} ↔ {e(row.student_b)} · score {row.score:.2f}</h4>
<div class="sides">
<div><p>{e(row.student_a)}: {100 * row.share_a:.0f}% found in the other</p><pre>{_highlighted(a, ranges_a)}</pre></div>
<div><p>{e(row.student_b)}: {100 * row.share_b:.0f}% found in the other</p><pre>{_highlighted(b, ranges_b)}</pre></div>
</div></div>"""


def _view_link(c: TaskComparison, row: PairScore, n: int) -> str:
    shown = (row.student_a, row.student_b) in c.passages
    return f'<a href="#{html.escape(row.task)}-{n}">view</a>' if shown else ""


def _task_section(result: SimilarityResult, c: TaskComparison) -> str:
    e, task = html.escape, c.task
    flagged = c.pairs(flagged_only=True)
    compared = len(c.indices()[0])
    head = f'<section class="task" id="task-{e(task)}"><h2><code>{e(task)}</code></h2>'
    facts = f"<p>{len(c.students)} answers compared · {compared} pairs · {len(flagged)} flagged</p>"
    if not flagged:
        return head + facts + "<p>No pair at or above the threshold.</p></section>"
    table = "".join(
        f"<tr><td>{n}</td><td>{e(r.student_a)}</td><td>{e(r.student_b)}</td><td>{r.score:.2f}</td>"
        f"<td>{100 * r.share_a:.0f}%</td><td>{100 * r.share_b:.0f}%</td>"
        f"<td>{_view_link(c, r, n)}</td></tr>"
        for n, r in enumerate(flagged[:MAX_ROWS], start=1))
    views = "".join(_side_by_side(result, c, r, f"{task}-{n}") for n, r in enumerate(flagged, start=1)
                    if (r.student_a, r.student_b) in c.passages)
    more = (f"<p>Side-by-side views of the {len(c.passages)} highest pairs; the table lists the first "
            f"{min(len(flagged), MAX_ROWS)}, and similarity.csv all {len(flagged)}.</p>"
            if len(c.passages) < len(flagged) else "")
    return (head + facts + '<table class="ranked"><thead><tr><th>rank</th><th>student A</th><th>student B</th>'
            "<th>score</th><th>A found in B</th><th>B found in A</th><th></th></tr></thead>"
            f"<tbody>{table}</tbody></table>{more}{views}</section>")


_SELF_CHECK = """
<script>
// Marks the page for automated checks: how many side-by-side views and marks rendered, no script error.
window.reportErrors = [];
window.addEventListener('error', e => { window.reportErrors.push(String(e.message)); });
window.addEventListener('load', () => {
  document.body.dataset.views = document.querySelectorAll('.pair').length;
  document.body.dataset.marks = document.querySelectorAll('.pair mark').length;
  document.body.dataset.errors = window.reportErrors.length;
});
</script>"""


def render_html(result: SimilarityResult) -> str:
    e = html.escape
    compared, flagged = result.counts()
    summary = ""
    for c in result.comparisons:
        i, _, score = c.indices()
        summary += (f"<tr><td><a href='#task-{e(c.task)}'><code>{e(c.task)}</code></a></td><td>{len(i)}</td>"
                    f"<td>{int((score >= c.threshold).sum())}</td><td>{score.max() if len(score) else 0.0:.2f}</td></tr>")
    sections = "".join(_task_section(result, c) for c in result.comparisons)
    archive = f" and {len(result.archived)} archived submissions of earlier terms" if result.archived else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Similarity report: {e(result.assignment)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #1f2328; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f6f8fa; }}
.note {{ background: #fff8c5; border: 1px solid #d4a72c; padding: 0.5em 1em; }}
.sides {{ display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }}
.sides pre {{ background: #f6f8fa; padding: 0.5em; overflow-x: auto; font-size: 12px; margin: 0; }}
mark {{ background: #ffd8b5; }}
.pair {{ border-top: 1px solid #d0d7de; margin-top: 1em; }}
</style></head>
<body>
<h1>Similarity report: {e(result.assignment)}</h1>
<p class="note">For the instructor only. Not part of any grade, never shown to students. A flagged pair is a
place to look, not a verdict: read both answers before concluding anything.</p>
<p>{len(result.students)} students{archive} · {compared} pairs compared · {flagged} flagged
(score ≥ {result.settings.threshold:g}). The score of a pair is the larger of the two shares: the share of
one answer's code (after removing comments, docstrings, imports, the release's starter code and the
reference solution, with names and strings made alike) that is also found in the other answer.
Code is shown as it was compared.</p>
<table id="summary"><thead><tr><th>task</th><th>pairs</th><th>flagged</th><th>highest score</th></tr></thead>
<tbody>{summary}</tbody></table>
{sections}
{_SELF_CHECK}
</body></html>
"""


def write_reports(root: Path, result: SimilarityResult) -> Path:
    """Write similarity.csv and similarity.html in `reports/<assignment>/`; return the folder."""
    folder = course.reports_dir(result.assignment, root)
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(result, folder / "similarity.csv")
    (folder / "similarity.html").write_text(render_html(result))
    return folder
