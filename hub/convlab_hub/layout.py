"""Where the hub keeps its files, and the names of the class's accounts.

Everything lives under one root folder (`/srv/convlab-hub` for `make hub`, a temporary folder in the
tests), with the permissions that keep each account to its own part:

    <root>/             root 0755
      state/            root 0700   JupyterHub's database, cookie secret, settings, passwords, logs
      course/           grader 0700 the course root: this repository's course, graded here
      exchange/         root 1777   nbgrader's exchange root (sticky: nobody renames another's folder)
        convlab/        grader 0755 outbound/ 0755, inbound/ 2733, feedback/ 0711 (see exchange.py)
      home/             root 0755
        <user>/         user 0700   each account's home, the only folder its server may write besides the exchange
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

COURSE_ID = "convlab"
STUDENTS = ("student1", "student2", "student3")
# The course files copied into the course root (the rest of the checkout is not the course).
COURSE_FILES = ("source", "graders", "solutions", "templates", "nbgrader_config.py")
# JupyterHub groups: formgrader is a service only the instructor and the TA reach.
STAFF_GROUP = f"formgrade-{COURSE_ID}"
STUDENT_GROUP = f"nbgrader-{COURSE_ID}"


@dataclass(frozen=True)
class Hub:
    root: Path
    repo: Path
    prefix: str = ""  # prepended to every Unix account name (the tests use one of their own)
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    service_port: int = 9999
    admin_token: str = ""  # a token of an admin service (tests and measurements); empty: none
    python_base: str = field(default_factory=lambda: str(Path(sys.base_prefix).resolve()))

    # --- accounts -------------------------------------------------------------------------------
    @property
    def instructor(self) -> str:
        return f"{self.prefix}instructor"

    @property
    def ta(self) -> str:
        return f"{self.prefix}ta"

    @property
    def students(self) -> tuple[str, ...]:
        return tuple(f"{self.prefix}{s}" for s in STUDENTS)

    @property
    def grader(self) -> str:
        """The Unix account that owns the course and runs formgrader (never a person's login)."""
        return f"{self.prefix}grader-{COURSE_ID}"

    @property
    def people(self) -> tuple[str, ...]:
        return (self.instructor, self.ta, *self.students)

    # --- folders --------------------------------------------------------------------------------
    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def course(self) -> Path:
        return self.root / "course"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def homes(self) -> Path:
        return self.root / "home"

    def home(self, user: str) -> Path:
        return self.homes / user

    @property
    def venv(self) -> Path:
        return self.repo / ".venv"

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")

    @property
    def config(self) -> Path:
        """hub/config/ of the checkout: the students' and the grader's Jupyter and nbgrader settings."""
        return self.repo / "hub" / "config"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- the settings file jupyterhub_config.py reads -------------------------------------------
    @property
    def settings_file(self) -> Path:
        return self.state / "settings.json"

    def save(self) -> Path:
        data = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}
        self.settings_file.write_text(json.dumps(data, indent=1))
        self.settings_file.chmod(0o600)
        return self.settings_file

    @classmethod
    def load(cls, path: str | Path) -> Hub:
        data = json.loads(Path(path).read_text())
        data["root"], data["repo"] = Path(data["root"]), Path(data["repo"])
        return cls(**data)
