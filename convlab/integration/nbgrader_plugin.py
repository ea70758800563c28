"""nbgrader integration: `nbgrader autograde` grades with our engine instead of in-kernel asserts.

`nbgrader_config.py` swaps nbgrader's `Execute` preprocessor for `GradeWithEngine` and its notebook
reader for `TolerantNotebookExporter`. Everything downstream (SaveAutoGrades, generate_feedback,
export, formgrader) is unchanged: each test cell simply ends up with a feedback table and, as its
last value, its score as a plain float, which is how nbgrader reads partial credit (marked with
SCORE_KEY so that the feedback page does not show it as a bare `Out[ ]: 1.0`). `GetGradesForFeedback`
tells the feedback page which hand-graded items no TA has graded yet.

The outputs are also made readable once: every image carries alternative text (what the figure
shows: the cell's `alt` metadata, written with the notebook, or a description of the figure) and a
read-only cell that stopped shows one line saying which function of the student's stopped it,
not a traceback under a half-drawn figure.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor, OverwriteCells
from traitlets import Bool, Float, Unicode
from traitlets.config.loader import PyFileConfigLoader

from convlab import course, engine
from convlab.notebook import (
    HIDDEN_BEGIN,
    HIDDEN_PLACEHOLDER,
    BrokenNotebook,
    nbgrader_meta,
    parse_submission,
    strip_hidden,
)
from convlab.results import ItemResult, NotebookResult
from convlab.runner import report
from convlab.runtime.outputs import stopped_cell_line
from convlab.settings import REPO_ROOT, GiB, SandboxSettings

BROKEN_KEY = "convlab_broken"
SCORE_KEY = "convlab_score"  # output metadata of a test cell's score value (the feedback hides it)
ALT_KEY = "alt"  # cell metadata: the alternative text of the figure(s) a cell draws (a string or a list)
IMAGE_TYPES = ("image/png", "image/jpeg")


def _without_hidden_block(source: str) -> str:
    """A test cell's source as the release shows it (nbgrader drops the hidden block), normalised."""
    return "\n".join(line.rstrip() for line in strip_hidden(source).replace(HIDDEN_PLACEHOLDER, "")
                     .strip().splitlines())


class QuietOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells without its false alarm on hidden tests.

    The gradebook keeps each test cell with its hidden block; the release shows it without. So
    every untouched test cell of every submission differs from the gradebook's checksum, and
    nbgrader warns "Attribute 'checksum' ... has changed!" for each (hundreds of lines per class)
    before restoring the cell, which is what should happen. Only that expected difference is
    silenced; a test cell the student really edited is still reported, and restored either way.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: Any, cell_index: int) -> Any:
        self._expected_change = None
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id is not None and nbgrader_meta(cell).get("grade"):
            try:
                source_cell = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
            except MissingEntry:
                source_cell = None
            if (source_cell is not None and HIDDEN_BEGIN in source_cell.source
                    and _without_hidden_block(source_cell.source) == _without_hidden_block(cell.source)):
                self._expected_change = grade_id
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name: str, attr: str, old: Any, new: Any) -> None:
        if attr == "checksum" and name == self._expected_change:
            self.log.debug("test cell %s: hidden tests restored", name)
            return
        super().report_change(name, attr, old, new)


class TolerantNotebookExporter(NotebookExporter):
    """Reads submissions that nbgrader would reject, so one bad file costs one student one notebook.

    Unreadable files are replaced by the release notebook (no answers, so zero points) with the
    reason recorded for the feedback; cells with corrupted nbgrader metadata lose that metadata
    (nbgrader then re-adds any missing graded cell from the gradebook).
    """

    release_directory = Unicode(course.RELEASE, help="Where the student versions live.").tag(config=True)

    def from_file(self, file_stream: Any, resources: dict | None = None, **kw: Any) -> Any:
        text = file_stream.read()
        try:
            nb = parse_submission(text)
        except BrokenNotebook as exc:
            nb = self._placeholder(resources, str(exc))
        self._repair_metadata(nb)
        return self.from_notebook_node(nb, resources=resources, **kw)

    def _placeholder(self, resources: dict | None, reason: str) -> NotebookNode:
        info = (resources or {}).get("nbgrader", {})
        name = (resources or {}).get("unique_key") or info.get("notebook")
        path = course.notebook_file(Path(self.release_directory) / str(info.get("assignment")), str(name))
        nb = nbformat.read(path, as_version=4)
        nb.metadata[BROKEN_KEY] = reason
        return nb

    @staticmethod
    def _repair_metadata(nb: NotebookNode) -> None:
        """Corrupted or duplicated nbgrader metadata makes a cell ordinary.

        nbgrader's own DeduplicateIds leaves a half-cleared record that crashes OverwriteCells, so
        duplicates are handled here: the first copy keeps its identity.
        """
        validator = MetadataValidator()
        seen: set[str] = set()
        for cell in nb.cells:
            if "nbgrader" not in cell.get("metadata", {}):
                continue
            try:
                validator.validate_cell(cell)
            except Exception:  # noqa: BLE001 - any corruption: treat the cell as an ordinary one
                del cell.metadata["nbgrader"]
                continue
            grade_id = cell.metadata["nbgrader"].get("grade_id")
            if grade_id in seen:
                del cell.metadata["nbgrader"]
            elif grade_id:
                seen.add(grade_id)


class GradeWithEngine(NbGraderPreprocessor):
    """Runs the student's cells in a sandboxed kernel and the hidden pytest graders outside it."""

    memory_gib = Float(4.0, help="Memory limit of a student kernel, in GiB.").tag(config=True)
    cell_timeout = Float(120.0, help="Wall-clock seconds one notebook cell may wait without computing "
                                     "(4 times this in any case).").tag(config=True)
    call_timeout = Float(20.0, help="Wall-clock seconds one call of a student function may wait without "
                                    "computing (4 times this in any case).").tag(config=True)
    item_cpu_seconds = Float(240.0, help="CPU seconds one cell may use, over all threads.").tag(config=True)
    call_cpu_seconds = Float(0.0, help="CPU seconds one call of a student function may use, over all "
                                       "threads (0: twice call_timeout).").tag(config=True)
    tmp_mib = Float(512.0, help="Size of a kernel's private /tmp and of its /dev/shm, in MiB each.").tag(config=True)
    scratch_mib = Float(1024.0, help="Size of a kernel's own folder (shipped files, what it writes there), "
                                     "in MiB; enforced when grading as root.").tag(config=True)
    allow_unsandboxed = Bool(False, help="Grade even when kernels cannot be sandboxed (bubblewrap missing). "
                                         "Only for a student checking their own notebook: an unsandboxed "
                                         "kernel can read the course and reach the network.").tag(config=True)
    sandbox_user = Unicode("nobody", help="Unprivileged user a kernel runs as when grading as root.").tag(config=True)
    sandbox_group = Unicode("nogroup", help="Group of sandbox_user.").tag(config=True)
    course_root = Unicode(str(REPO_ROOT), help="The nbgrader course root.").tag(config=True)

    def settings(self) -> SandboxSettings:
        return SandboxSettings(
            memory_bytes=int(self.memory_gib * GiB),
            cell_timeout=self.cell_timeout,
            call_timeout=self.call_timeout,
            item_cpu_seconds=self.item_cpu_seconds,
            call_cpu_seconds=self.call_cpu_seconds,
            tmp_bytes=int(self.tmp_mib * 1024**2),
            scratch_bytes=int(self.scratch_mib * 1024**2),
            allow_unsandboxed=self.allow_unsandboxed,
            sandbox_user=self.sandbox_user,
            sandbox_group=self.sandbox_group,
        )

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        assignment, notebook = info["assignment"], info["notebook"]
        root = Path(self.course_root)
        broken = nb.metadata.get(BROKEN_KEY)
        if broken:
            layout = engine.read_layout(engine.read_source(root, assignment, notebook))
            reason = f"Your notebook could not be read: {broken}. Nothing in it was graded."
            result = engine.zero_result(assignment, notebook, layout.items, layout.manual, reason)
        else:
            result = engine.grade(nb, assignment, notebook, course_root=root,
                                  settings=self.settings())
        write_results(nb, result)
        self.log.info("%s/%s: %s / %s", assignment, notebook, result.score, result.max_score)
        return nb, resources


def configured_settings(course_root: Path) -> SandboxSettings:
    """The kernel limits that `nbgrader_config.py` of `course_root` sets: the one source of them,
    so that `convlab check` grades under the same limits as `nbgrader autograde` and `convlab batch`."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()
    return GradeWithEngine(config=config).settings()


def _score_output(score: float) -> NotebookNode:
    # nbgrader's partial credit: the cell's last value, parsed with float().
    return nbformat.v4.new_output("execute_result", data={"text/plain": repr(float(score))},
                                  metadata={SCORE_KEY: True}, execution_count=None)


def _picture_outputs(item: ItemResult) -> list[NotebookNode]:
    """One image output per failed check that has a picture; nbgrader's feedback HTML shows them."""
    return [
        nbformat.v4.new_output("display_data", data={
            "image/png": base64.b64encode(png).decode("ascii"),
            "text/plain": f"<picture for {check.check_id}>",
        }, metadata={"image/png": {"alt": report.picture_alt(check, png)}})
        for check in item.checks for png in check.images
    ]


_TITLE = re.compile(r"""(?:set_title|suptitle|title)\(\s*f?(["'])(.+?)\1""")
_AXES = re.compile(r"with (\d+) Axes")


def figure_alt(cell: NotebookNode, output: NotebookNode, number: int) -> str:
    """Alternative text of a figure whose cell has none written: what the code says it shows (the
    titles it sets) and how many plots it holds."""
    titles = [re.sub(r"\{[^}]*\}", "…", t) for _, t in _TITLE.findall(cell.source)]
    plots = _AXES.search(str(output.get("data", {}).get("text/plain", "")))
    count = f" with {plots.group(1)} plot{'s' if plots.group(1) != '1' else ''}" if plots else ""
    titled = f", titled {'; '.join(dict.fromkeys(titles))}" if titles else ""
    return f"Figure {number} drawn by this cell{count}{titled}."


def add_alt_text(cell: NotebookNode) -> None:
    """Every image the cell shows gets alternative text: the cell's `alt` metadata (one string, or one
    per figure in order), else `figure_alt`. Text already on an output (failure pictures) stays."""
    written = cell.get("metadata", {}).get(ALT_KEY)
    alts = [written] if isinstance(written, str) else [a for a in written or [] if isinstance(a, str)]
    number = 0
    for output in cell.get("outputs", []):
        for mime in IMAGE_TYPES:
            if mime not in output.get("data", {}):
                continue
            number += 1
            meta = output.setdefault("metadata", {})
            if not isinstance(meta.get(mime), dict):
                meta[mime] = {}
            if not meta[mime].get("alt"):
                meta[mime]["alt"] = alts[min(number, len(alts)) - 1] if alts else figure_alt(cell, output, number)


_DEFINED = re.compile(r"^def (\w+)\(", re.MULTILINE)


def _one_line_stops(cell: NotebookNode, earlier_stopped: bool, yours: set[str]) -> bool:
    """A read-only cell that stopped shows one line instead of its traceback, and none of the figures
    it had half drawn. True when the cell stopped."""
    errors = [o for o in cell.outputs if o.get("output_type") == "error"]
    if not errors:
        return False
    for error in errors:
        error["traceback"] = [stopped_cell_line(error, earlier_stopped=earlier_stopped, yours=yours)]
    cell.outputs = [o for o in cell.outputs if not any(m in o.get("data", {}) for m in IMAGE_TYPES)]
    return True


def write_results(nb: NotebookNode, result: NotebookResult) -> None:
    """Put the student's outputs, the feedback tables and the scores into the notebook."""
    outputs = {run.cell.index: run.result.outputs for run in result.cell_runs}
    items = {item.grade_id: item for item in result.items}
    notes = ([result.broken] if result.broken else []) + result.notes
    first = True
    stopped = False
    yours = {name for cell in nb.cells if nbgrader_meta(cell).get("solution") for name in _DEFINED.findall(cell.source)}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        cell.outputs = outputs.get(index, [])
        meta = nbgrader_meta(cell)
        item = items.get(meta.get("grade_id")) if meta.get("grade") else None
        if item is None or meta.get("solution"):
            if meta.get("locked") and not meta.get("solution") and item is None:
                stopped = _one_line_stops(cell, stopped, yours) or stopped
            else:
                stopped = stopped or any(o.get("output_type") == "error" for o in cell.outputs)
            add_alt_text(cell)
            continue
        cell.source = strip_hidden(cell.source)
        shown_notes = notes if first else []
        first = False
        # What the visible checks printed stays (07's written answer refers to the IoUs its test cell
        # prints); their tracebacks do not: the table below says what failed.
        printed = [o for o in cell.outputs if o.get("output_type") == "stream" and o.get("name") == "stdout"]
        cell.outputs = [
            *printed,
            nbformat.v4.new_output(
                "display_data",
                data={
                    "text/html": report.item_html(item, shown_notes),
                    "text/plain": "\n".join(shown_notes + [report.item_text(item)]),
                },
            ),
            *_picture_outputs(item),
            _score_output(item.score),
        ]
    if notes and first:
        # No test cell left to carry the notes: say it at the top.
        text = "\n".join(f"- {html.escape(n)}" for n in notes)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"**Grading notes**\n\n{text}"))


class GetGradesForFeedback(GetGrades):
    """nbgrader's GetGrades, also telling the feedback page whether a hand-graded item still waits
    for a TA (`needs_manual_grade`): its score then reads "to be graded by hand", not "0 / 2"."""

    def _get_score(self, cell: NotebookNode, resources: Any) -> None:
        super()._get_score(cell, resources)
        grade = self.gradebook.find_grade(cell.metadata["nbgrader"]["grade_id"], self.notebook_id,
                                          self.assignment_id, self.student_id)
        cell.metadata.nbgrader["needs_manual_grade"] = bool(grade.needs_manual_grade)
