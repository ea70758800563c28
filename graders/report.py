"""Feedback for students and TAs: the same facts as text, HTML (in the feedback notebook) and JSON."""

from __future__ import annotations

import base64
import html
from typing import Any

from graders.engine import ItemResult, NotebookResult


def _pts(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def item_text(item: ItemResult) -> str:
    lines = [f"{item.grade_id}: {_pts(item.score)} / {_pts(item.max_score)} points"]
    for c in item.checks:
        mark = "PASS" if c.passed else "FAIL"
        cases = f" ({c.passed_cases}/{c.total_cases} cases)" if c.total_cases else ""
        lines.append(f"  [{mark}] {c.check_id}: {_pts(c.score)} / {_pts(c.max_score)}{cases}")
        if c.description:
            lines.append(f"         tested: {c.description}")
        if c.message:
            lines.append(f"         {c.message}")
    return "\n".join(lines)


def _img(png: bytes) -> str:
    return f"<br><img alt='expected, yours, difference' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"


def item_html(item: ItemResult, notes: list[str] | None = None) -> str:
    rows = []
    for c in item.checks:
        colour = "#1a7f37" if c.passed else "#cf222e"
        mark = "pass" if c.passed else "fail"
        cases = f"{c.passed_cases}/{c.total_cases}" if c.total_cases else "-"
        rows.append(
            "<tr>"
            f"<td style='color:{colour};font-weight:bold'>{mark}</td>"
            f"<td><code>{html.escape(c.check_id)}</code><br><small>{html.escape(c.description)}</small></td>"
            f"<td>{cases}</td><td>{_pts(c.score)} / {_pts(c.max_score)}</td>"
            f"<td>{html.escape(c.message)}{''.join(_img(png) for png in c.images)}</td></tr>"
        )
    note_html = "".join(f"<p><em>{html.escape(n)}</em></p>" for n in notes or [])
    return (
        f"<div class='convlab-report'><p><b>{html.escape(item.grade_id)}</b>: "
        f"{_pts(item.score)} / {_pts(item.max_score)} points</p>{note_html}"
        "<table><thead><tr><th></th><th>check</th><th>cases passed</th><th>points</th>"
        f"<th>diagnosis</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def notebook_text(result: NotebookResult) -> str:
    out = [f"{result.assignment}/{result.notebook}.ipynb"]
    if result.broken:
        out.append(result.broken)
    out.extend(f"note: {n}" for n in result.notes)
    out.extend(item_text(i) for i in result.items)
    for m in result.manual:
        out.append(f"{m.grade_id}: graded by hand (up to {_pts(m.points)} points)")
    out.append(f"TOTAL (auto-graded): {_pts(result.score)} / {_pts(result.max_score)}")
    return "\n".join(out)


def notebook_json(result: NotebookResult) -> dict[str, Any]:
    items = []
    for item in result.items:
        for c in item.checks:
            items.append({
                "id": c.check_id,
                "cell": item.grade_id,
                "score": round(c.score, 4),
                "max_score": round(c.max_score, 4),
                "passed": c.passed,
                "message": c.message,
                "pictures": len(c.images),
            })
    return {
        "assignment": result.assignment,
        "notebook": result.notebook,
        "score": result.score,
        "max_score": result.max_score,
        "items": items,
    }
