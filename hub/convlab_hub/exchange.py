"""nbgrader's file exchange, locked down so that a name known is still no way in.

nbgrader's default exchange relies on names nobody can guess: `inbound/` (mode 2733) cannot be
listed, a submission folder ends in a random string, a feedback file is named by a keyed hash. But
what sits behind a name is open: a submission is left world-readable (files 0644) in a folder of
mode 0777, and a released feedback file is 0644. Anyone who learns a name (a shared screen, a log,
a path in a traceback) can read that student's work or feedback, or replace files of their
submission. And `collect` only *warns* when a submission's folder is not owned by the student it
names, then collects it: a student can submit in another's name.

These classes close that, with the modes below and one POSIX ACL entry; selected in
`hub/config/*/nbgrader_config.py` through `c.ExchangeFactory`:

- `LockedSubmit` (students): the submission is assembled in a private staging folder (0700) and
  moved into `inbound/` whole, with folders 0770 and files 0640: the student and the grader's
  group (inherited from `inbound/`'s set-group-id bit) only. It is never readable by others, not
  even for a moment, and `collect` never sees half a submission.
- `LockedCollect` (grader): a submission whose folder is not owned by the student it names is
  skipped, and a genuine one of that student is taken instead.
- `LockedReleaseFeedback` (grader): each feedback file is 0640 with one ACL entry that lets its
  student, and only that student, read it; it is written under a temporary name and moved in.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import secrets
import shutil
import struct
import tempfile

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import notebook_hash

SUBMISSION_DIR_MODE = 0o770
SUBMISSION_FILE_MODE = 0o640
FEEDBACK_FILE_MODE = 0o640

# Linux's xattr form of a POSIX access ACL (include/uapi/linux/posix_acl_xattr.h).
_ACL_XATTR = "system.posix_acl_access"
_ACL_VERSION = 2
_USER_OBJ, _USER, _GROUP_OBJ, _MASK, _OTHER = 0x01, 0x02, 0x04, 0x10, 0x20
_UNDEFINED_ID = 0xFFFFFFFF


def grant_read(path: str, uid: int, *, owner: int = 6, group: int = 4) -> None:
    """Give `path` the ACL `user::rw-, user:<uid>:r--, group::r--, mask::r--, other::---`."""
    entries = [
        (_USER_OBJ, owner, _UNDEFINED_ID),
        (_USER, 4, uid),
        (_GROUP_OBJ, group, _UNDEFINED_ID),
        (_MASK, 4 | group, _UNDEFINED_ID),
        (_OTHER, 0, _UNDEFINED_ID),
    ]
    blob = struct.pack("<I", _ACL_VERSION) + b"".join(struct.pack("<HHI", *e) for e in entries)
    os.setxattr(path, _ACL_XATTR, blob)


def _lock_tree(top: str, dir_mode: int, file_mode: int) -> None:
    for folder, _, files in os.walk(top):
        for name in files:
            os.chmod(os.path.join(folder, name), file_mode)
        os.chmod(folder, dir_mode)


class LockedSubmit(ExchangeSubmit):
    """Submit through a private staging folder; the submission is never readable by others."""

    def copy_files(self):
        self.init_release()
        secret = secrets.token_hex(64)
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        cached = self.assignment_filename.rsplit("+", 1)[0] if self.add_random_string else self.assignment_filename
        self.log.info("Source: %s", self.src_path)
        self.log.info("Destination: %s", dest)
        self.check_filename_diff()
        # mkdtemp makes it 0700; inside inbound/ it takes the grader's group (set-group-id folder).
        staging = tempfile.mkdtemp(prefix=".staging-", dir=self.inbound_path)
        try:
            inner = os.path.join(staging, "submission")
            self.do_copy(self.src_path, inner)
            # copytree ends by giving `inner` the source's mode, which clears its set-group-id bit: files
            # created in it now would take the student's group. Written in `staging` and moved, they keep the grader's.
            for name in _write_stamps(staging, self.timestamp, secret):
                os.rename(os.path.join(staging, name), os.path.join(inner, name))
            _lock_tree(inner, SUBMISSION_DIR_MODE, SUBMISSION_FILE_MODE)
            os.rename(inner, dest)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        # The student's own copy, which fetch_feedback reads the secret from.
        os.makedirs(self.cache_path, exist_ok=True)
        self.do_copy(self.src_path, os.path.join(self.cache_path, cached))
        _write_stamps(os.path.join(self.cache_path, cached), self.timestamp, secret)
        self.log.info("Submitted as: %s %s %s", self.coursedir.course_id, self.coursedir.assignment_id, self.timestamp)


def _write_stamps(folder: str, timestamp: str, secret: str) -> tuple[str, ...]:
    stamps = {"timestamp.txt": timestamp, "submission_secret.txt": secret}
    for name, text in stamps.items():
        with open(os.path.join(folder, name), "w") as out:
            out.write(text)
    return tuple(stamps)


def _owner(path: str) -> str | None:
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except (KeyError, OSError):
        return None


class LockedCollect(ExchangeCollect):
    """Collect only submissions owned by the student they name."""

    def _genuine(self, record) -> bool:
        return _owner(os.path.join(self.inbound_path, record["filename"])) == record["username"]

    def _sort_by_timestamp(self, records):
        # A student's own submissions first (newest first), forged ones after: those are dropped below.
        return sorted(records, key=lambda r: (self._genuine(r), r["timestamp"]), reverse=True)

    def copy_files(self):
        forged = [r for r in self.src_records if not self._genuine(r)]
        for record in forged:
            self.log.warning("Skipping %s: not owned by %s (a submission in another student's name)",
                             record["filename"], record["username"])
        self.src_records = [r for r in self.src_records if r not in forged]
        super().copy_files()


class LockedReleaseFeedback(ExchangeReleaseFeedback):
    """Each released feedback file is readable by its student only (and the grader's group)."""

    def copy_files(self):
        excluded = set(filter(None, (self.coursedir.student_id_exclude or "").split(",")))
        pattern = re.escape(os.path.sep).join([
            self.coursedir.format_path(self.coursedir.feedback_directory, "(?P<student_id>.*)",
                                       self.coursedir.assignment_id, escape=True),
            "(?P<notebook_id>.*).html",
        ])
        for page in glob.glob(os.path.join(self.src_path, "*.html")):
            match = re.match(pattern, page)
            if match is None:
                self.log.error("Could not match %r with %r", page, pattern)
                continue
            student, notebook = match.group("student_id"), match.group("notebook_id")
            if student in excluded:
                continue
            with open(os.path.join(os.path.dirname(page), "submission_secret.txt")) as fh:
                checksum = notebook_hash(secret=fh.read(), notebook_id=notebook)
            self._publish(page, os.path.join(self.dest_path, f"{checksum}.html"), student)
            self.log.info("Released feedback for %s on %s/%s", student, self.coursedir.assignment_id, notebook)

    def _publish(self, page: str, dest: str, student: str) -> None:
        tmp = f"{dest}-tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out, open(page, "rb") as src:
            shutil.copyfileobj(src, out)
        os.chmod(tmp, 0o600)
        try:
            grant_read(tmp, pwd.getpwnam(student).pw_uid)
        except KeyError:
            self.log.warning("No Unix account %s: its feedback stays closed to students", student)
            os.chmod(tmp, FEEDBACK_FILE_MODE)
        os.replace(tmp, dest)
