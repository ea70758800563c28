"""nbgrader integration: `nbgrader autograde` grades with our engine instead of in-kernel asserts.

`nbgrader_config.py` swaps nbgrader's `Execute` preprocessor for `GradeWithEngine` and its notebook
reader for `TolerantNotebookExporter`. Everything downstream (SaveAutoGrades, generate_feedback,
export, formgrader) is unchanged: each test cell simply ends up with a feedback table and, as its
last value, its score as a plain float, which is how nbgrader reads partial credit.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells
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
from convlab.settings import REPO_ROOT, GiB, SandboxSettings

BROKEN_KEY = "convlab_broken"


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
                                  execution_count=None)


def _picture_outputs(item: ItemResult) -> list[NotebookNode]:
    """One image output per failed check that has a picture; nbgrader's feedback HTML shows them."""
    return [
        nbformat.v4.new_output("display_data", data={
            "image/png": base64.b64encode(png).decode("ascii"),
            "text/plain": f"<picture for {check.check_id}>",
        }, metadata={"image/png": {"alt": report.picture_alt(check)}})
        for check in item.checks for png in check.images
    ]


def write_results(nb: NotebookNode, result: NotebookResult) -> None:
    """Put the student's outputs, the feedback tables and the scores into the notebook."""
    outputs = {run.cell.index: run.result.outputs for run in result.cell_runs}
    items = {item.grade_id: item for item in result.items}
    notes = ([result.broken] if result.broken else []) + result.notes
    first = True
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        cell.outputs = outputs.get(index, [])
        meta = nbgrader_meta(cell)
        item = items.get(meta.get("grade_id")) if meta.get("grade") else None
        if item is None or meta.get("solution"):
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
