"""A throw-away PostgreSQL server for the tests (Debian's package, installed on demand as root).

Not pytest-postgresql: it starts `pg_ctl` as the current user, and PostgreSQL refuses to run as root,
which is how CI and the grading machines run the tests; here the server runs as `postgres` through
`runuser`, with its data in a folder that user can reach.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


def postgres_problem(install: bool = False) -> str | None:
    """Why a local PostgreSQL server cannot be started here (None if it can).

    install: as root, `apt-get install postgresql` (Debian's package) when the binaries are missing.
    """
    if _pg_bin("initdb") is None and install and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        install = ["apt-get", "install", "-y", "-qq", "postgresql"]
        if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
            # A fresh machine has no package lists yet.
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
            subprocess.run(install, env=env, capture_output=True, check=False)
    if _pg_bin("initdb") is None or _pg_bin("pg_ctl") is None:
        return "PostgreSQL binaries (initdb, pg_ctl) not found and could not be installed"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser: PostgreSQL refuses to run as root"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 is not installed (pip install -r requirements.txt)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def local_postgres(dbname: str = "convlab") -> Iterator[str]:
    """Start a private PostgreSQL server on 127.0.0.1 with its data in a fresh folder of /tmp
    (which the postgres user can reach, unlike pytest's private folders); yield its URL.

    Trust authentication on loopback only: for tests and local trials, never for a real course.
    """
    problem = postgres_problem()
    if problem:
        raise RuntimeError(problem)
    workdir = Path(tempfile.mkdtemp(prefix="convlab-pg-"))
    data, sock = workdir / "data", workdir / "sock"
    sock.mkdir(exist_ok=True)
    as_user: list[str] = []
    user = "postgres" if os.geteuid() == 0 else None
    if os.geteuid() == 0:
        # The server refuses to run as root: the postgres user owns its files.
        import pwd

        pw = pwd.getpwnam("postgres")
        for p in (workdir, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    run = lambda *cmd: subprocess.run([*as_user, *cmd], capture_output=True, text=True, check=True)  # noqa: E731
    run(_pg_bin("initdb"), "-D", str(data), "--auth=trust", "-U", "postgres", "--encoding=UTF8")
    port = _free_port()
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off -c max_connections=50"
    run(_pg_bin("pg_ctl"), "-D", str(data), "-o", opts, "-l", str(workdir / "server.log"), "-w", "start")
    try:
        import psycopg2

        deadline = time.monotonic() + 30
        while True:
            try:
                conn = psycopg2.connect(host="127.0.0.1", port=port, user=user or "postgres", dbname="postgres")
                break
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{dbname}"')
        conn.close()
        yield f"postgresql://postgres@127.0.0.1:{port}/{dbname}"
    finally:
        subprocess.run([*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(workdir, ignore_errors=True)
