"""nbgrader configuration of the ConvLab course. The repository root is the course root.

Autograding runs through our engine (the `convlab` package), which runs the hidden graders of
`graders/`: nbgrader's in-kernel `Execute` step is replaced by `GradeWithEngine`
(`convlab/integration/nbgrader_plugin.py`), and submissions are read by `TolerantNotebookExporter`,
so one broken file never stops a batch.
"""

import os
import sys

# `.venv/bin/nbgrader` does not put the course root on sys.path; the graders live there.
COURSE_ROOT = os.path.dirname(os.path.abspath(globals().get("__file__", "nbgrader_config.py")))
sys.path.insert(0, COURSE_ROOT)

import nbgrader
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    IgnorePattern,
    LimitOutput,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from convlab.integration.nbgrader_plugin import GetGradesForFeedback, GradeWithEngine, QuietOverwriteCells

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "convlab"
c.CourseDirectory.root = COURSE_ROOT
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

c.Autograde.exporter_class = "convlab.integration.nbgrader_plugin.TolerantNotebookExporter"
c.Autograde.autograde_preprocessors = [
    GradeWithEngine,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
# nbgrader's own sanitising steps, with OverwriteCells quiet about the hidden tests it restores.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    QuietOverwriteCells,
    CheckCellMetadata,
]
# A deleted test or answer cell comes back (from the gradebook) so it is still scored.
c.OverwriteCells.add_missing_cells = True

# Limits of a student kernel (see convlab/settings.py for what each one bounds).
# A cell or call that computes is bounded by CPU seconds, the same on a quiet or a busy machine;
# the timeouts stop one that waits without computing (and anything at 4 times the timeout).
c.GradeWithEngine.memory_gib = 4.0
c.GradeWithEngine.cell_timeout = 120.0
c.GradeWithEngine.call_timeout = 20.0
c.GradeWithEngine.item_cpu_seconds = 240.0
c.GradeWithEngine.call_cpu_seconds = 40.0
c.GradeWithEngine.tmp_mib = 512.0
c.GradeWithEngine.scratch_mib = 1024.0
# Kernels run in a bubblewrap sandbox (convlab/runtime/sandbox.py): only their own folder, the Python
# environment and read-only system directories, no network. Without bubblewrap, grading refuses to
# run; set this to True only where a student checks their own notebook.
c.GradeWithEngine.allow_unsandboxed = False

# Feedback pages: nbgrader's feedback template with a contents list that names each task
# (`conv1d`, `correlate1d`, ...) instead of "Test cell", images that fit the column, padded tables,
# and a hand-graded item no TA has graded yet shown as "to be graded by hand" (templates/feedback_convlab;
# GetGradesForFeedback tells it which). Scoped to `generate_feedback`, so formgrader keeps its own template.
c.GenerateFeedback.preprocessors = [GetGradesForFeedback, CSSHTMLHeaderPreprocessor]
FORMGRADER = os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader")
c.GenerateFeedback.HTMLExporter.template_name = "feedback_convlab"
c.GenerateFeedback.HTMLExporter.extra_template_basedirs = [os.path.join(COURSE_ROOT, "templates")]
# Where `feedback/index.html.j2` (extended) and the Bootstrap CSS it inlines are found.
c.GenerateFeedback.HTMLExporter.extra_template_paths = [
    os.path.join(FORMGRADER, "templates"),
    os.path.join(FORMGRADER, "static", "node_modules", "bootstrap", "dist", "css"),
]

# Never grade or release editor droppings.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# --- Collecting from an LMS (issue 7) ---
# `nbgrader zip_collect <assignment>` reads the Moodle/Canvas "download all submissions" zip placed in
# downloaded/<assignment>/archive/ and takes each student id from the file names (see convlab/integration/lms.py).
c.ZipCollectApp.collector_plugin = "convlab.integration.lms.LmsFileNameCollector"
# --- Gradebook (issue 7) ---
# SQLite above is the default. For a grading cluster use PostgreSQL, here or per run with
# `python -m convlab batch <assignment> --db postgresql://user@host/convlab`:
# c.CourseDirectory.db_url = "postgresql://grader@db-host/convlab"
