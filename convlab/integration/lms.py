"""Collecting submissions from an LMS download with `nbgrader zip_collect`.

Put the "download all submissions" zip of Moodle or Canvas in `downloaded/<assignment>/archive/` and
run `nbgrader zip_collect <assignment>`: nbgrader extracts it and this collector (configured in
nbgrader_config.py) reads the student id from each file name, so the files land in
`submitted/<student id>/<assignment>/<notebook>.ipynb`, ready for `python -m convlab batch`.

File names understood (the id is the number the LMS puts in the name):
- Moodle, one folder per submission: `Ada Lovelace_1234_assignsubmission_file_/conv1d.ipynb`
- Moodle, flat:                       `Ada Lovelace_1234_assignsubmission_file_conv1d.ipynb`
- Canvas:                             `lovelaceada_1234_56789_conv1d.ipynb`, late ones
  `lovelaceada_LATE_1234_56789_conv1d.ipynb`; a resubmission Canvas renamed `conv1d-2.ipynb`
  replaces the earlier file (the highest number wins).
If `FileNameCollector.named_regexp`-style configuration is set on this class, it is used instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Unicode

MOODLE_FOLDER = re.compile(r"^(?P<name>.+)_(?P<student_id>\d+)_assignsubmission_(?:file|onlinetext)_?$")
MOODLE_FLAT = re.compile(r"^(?P<name>.+)_(?P<student_id>\d+)_assignsubmission_file_(?P<file_id>.+)$")
CANVAS = re.compile(r"^(?P<name>[^_]+?)(?:_LATE)?_(?P<student_id>\d+)_(?P<attachment>\d+)_(?P<file_id>.+)$")
# Canvas appends -1, -2, ... to a file the student uploaded again.
RESUBMITTED = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)(?P<ext>\.[^.]+)$")


def parse_lms_name(path: str) -> dict[str, str] | None:
    """{student_id, file_id, lms, version} for a file of an LMS download, or None if not one."""
    p = Path(path)
    if m := MOODLE_FOLDER.match(p.parent.name):
        return {"student_id": m["student_id"], "file_id": p.name, "lms": "moodle", "version": "0"}
    if m := MOODLE_FLAT.match(p.name):
        return {"student_id": m["student_id"], "file_id": m["file_id"], "lms": "moodle", "version": "0"}
    if m := CANVAS.match(p.name):
        file_id, version = m["file_id"], "0"
        if r := RESUBMITTED.match(file_id):
            file_id, version = r["stem"] + r["ext"], r["n"]
        return {"student_id": m["student_id"], "file_id": file_id, "lms": "canvas", "version": version}
    return None


class LmsFileNameCollector(FileNameCollectorPlugin):
    """Student id and notebook name from Moodle and Canvas download file names."""

    student_id_prefix = Unicode("", help="Prepended to every parsed id, e.g. 'moodle-'.").tag(config=True)

    def collect(self, submitted_file: str) -> dict | None:
        if self.named_regexp:
            return super().collect(submitted_file)
        if os.path.splitext(submitted_file)[1] not in self.valid_ext:
            return None
        info = parse_lms_name(submitted_file)
        if info is None:
            self.log.warning("Not an LMS submission file name, skipped: %s", submitted_file)
            return None
        if self._superseded(submitted_file, info):
            self.log.info("Skipped %s: the student uploaded it again", submitted_file)
            return None
        return {"student_id": self.student_id_prefix + info["student_id"], "file_id": info["file_id"]}

    @staticmethod
    def _superseded(submitted_file: str, info: dict[str, str]) -> bool:
        """A newer upload of the same file by the same student sits in the same folder."""
        folder = Path(submitted_file).parent
        for other in folder.iterdir():
            o = parse_lms_name(str(other))
            if (o and other.name != Path(submitted_file).name and o["student_id"] == info["student_id"]
                    and o["file_id"] == info["file_id"] and int(o["version"]) > int(info["version"])):
                return True
        return False
