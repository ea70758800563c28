"""Spotting copying: every pair of students compared per task, for the instructor (README "Spotting copying").

extract.py  the answer cells per task, normalised (starter code, comments, docstrings gone)
compare.py  copydetect fingerprints, the reference and the release as boilerplate, a score per pair
run.py      read a class's submissions (and an archive of earlier terms), compare in worker processes
report.py   reports/<assignment>/similarity.csv and similarity.html
"""

from __future__ import annotations

from pathlib import Path

from convlab.similarity.compare import DEFAULT, Settings
from convlab.similarity.report import write_reports
from convlab.similarity.run import SimilarityResult, compare_assignment


def similarity_report(root: Path, assignment: str, archive: Path | None = None, settings: Settings = DEFAULT,
                      workers: int | None = None) -> tuple[SimilarityResult, Path]:
    """Compare the class's submissions of `assignment` and write its reports; the result and their folder."""
    result = compare_assignment(root, assignment, archive, settings, workers)
    return result, write_reports(root, result)
