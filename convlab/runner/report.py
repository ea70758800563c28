"""Feedback for students and TAs: the same facts as text, HTML (in the feedback notebook) and JSON.

The HTML table of a test cell also carries its checks as data (`item_data`: ids, scores, the
named mistake's id, the checks each relies on) in a JSON block that `read_item_data` reads back,
so the class report never parses the wording of a message.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from convlab.checking.pictures import png_description
from convlab.results import CheckResult, ItemResult, NotebookResult


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


DATA_FORMAT = "convlab.item/1"
_DATA_OPEN = "<script type='application/json' class='convlab-item'>"
_DATA_BLOCK = re.compile(re.escape(_DATA_OPEN) + r"(.*?)</script>", re.DOTALL)


def check_data(c: CheckResult) -> dict[str, Any]:
    return {"id": c.check_id, "score": round(c.score, 4), "max_score": round(c.max_score, 4),
            "passed": c.passed, "passed_cases": c.passed_cases, "total_cases": c.total_cases,
            "mistake_id": c.mistake_id, "relies_on": list(c.relies_on), "blocked_by": list(c.blocked_by),
            "message": c.message, "pictures": len(c.images)}


def item_data(item: ItemResult) -> dict[str, Any]:
    """A test cell's result as data: the contract between the feedback and the class report."""
    return {"format": DATA_FORMAT, "cell": item.grade_id, "score": item.score, "max_score": item.max_score,
            "checks": [check_data(c) for c in item.checks]}


def read_item_data(html_text: str) -> dict[str, Any] | None:
    """The `item_data` a feedback table carries, or None for HTML without one."""
    m = _DATA_BLOCK.search(html_text)
    if m is None:
        return None
    data = json.loads(m.group(1))
    if data.get("format") != DATA_FORMAT:
        raise ValueError(f"feedback data of format {data.get('format')!r}, this version reads {DATA_FORMAT!r}")
    return data


def _data_block(item: ItemResult) -> str:
    # "</" could close the script element early; JSON reads "<\/" as the same two characters.
    return _DATA_OPEN + json.dumps(item_data(item)).replace("</", "<\\/") + "</script>"


def picture_alt(check: CheckResult, png: bytes | None = None) -> str:
    """Alternative text of a check's failure picture: what the picture says it shows (the call and
    what differs, see `pictures.png_description`), after the check it belongs to."""
    png = png if png is not None else (check.images[0] if check.images else b"")
    described = png_description(png)
    return (f"{check.check_id}, first failed case: {described}" if described
            else f"{check.check_id}: picture of the first failed case ({check.message[:200]})")


# Inline styles: the table reads the same in the feedback page, formgrader and Jupyter, whatever their CSS.
_CELL = "padding:4px 10px;text-align:left;vertical-align:top;border-bottom:1px solid #d0d7de"
_TABLE = "border-collapse:collapse;margin:4px 0 8px 0"


def item_html(item: ItemResult, notes: list[str] | None = None) -> str:
    rows = []
    for c in item.checks:
        colour = "#1a7f37" if c.passed else "#cf222e"
        mark = "pass" if c.passed else "fail"
        cases = f"{c.passed_cases}/{c.total_cases}" if c.total_cases else "-"
        rows.append(
            "<tr>"
            f"<td style='{_CELL};color:{colour};font-weight:bold'>{mark}</td>"
            f"<td style='{_CELL}'><code>{html.escape(c.check_id)}</code><br><small>{html.escape(c.description)}</small></td>"
            f"<td style='{_CELL};white-space:nowrap'>{cases}</td>"
            f"<td style='{_CELL};white-space:nowrap'>{_pts(c.score)} / {_pts(c.max_score)}</td>"
            f"<td style='{_CELL}'>{html.escape(c.message)}{'<br><small>(picture below)</small>' if c.images else ''}</td></tr>"
        )
    note_html = "".join(f"<p><em>{html.escape(n)}</em></p>" for n in notes or [])
    head = "".join(f"<th style='{_CELL}'>{name}</th>" for name in ("", "check", "cases passed", "points", "diagnosis"))
    return (
        f"<div class='convlab-report'><p><b>{html.escape(item.grade_id)}</b>: "
        f"{_pts(item.score)} / {_pts(item.max_score)} points</p>{note_html}"
        f"<table style='{_TABLE}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{_data_block(item)}</div>"
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
                "mistake_id": c.mistake_id,
                "relies_on": list(c.relies_on),
                "blocked_by": list(c.blocked_by),
                "pictures": len(c.images),
            })
    return {
        "assignment": result.assignment,
        "notebook": result.notebook,
        "score": result.score,
        "max_score": result.max_score,
        "items": items,
    }
