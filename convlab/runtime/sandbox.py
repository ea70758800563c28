"""The command line that starts a student kernel inside its sandbox.

The sandbox is an allowlist, built by bubblewrap (`bwrap`, the sandbox under Flatpak). The kernel's
file system holds only:
- the system directories programs need (`/usr` without `/usr/local`, the `/bin`, `/lib`… links, a
  few files of `/etc`), read-only;
- the Python environment that runs kernels, read-only, at `/opt/python` (the interpreter) and
  `/opt/venv` (its virtual environment);
- its own scratch folder (the notebook's shipped files, the bridge's call files, the kernel's
  Unix-domain sockets), read-write, at the same path as outside so both sides name files alike;
- a private, size-limited `/tmp` and `/dev/shm`, `/proc` of its own PID namespace, a minimal `/dev`.
Nothing else of the host exists for it: not the course, not other kernels' folders, not `/root`,
`/home` or `/srv`. It has its own network namespace (only its own loopback), so it reaches no
service of the grading machine; the grading process talks to it over Unix-domain sockets in the
scratch folder (jupyter_client's `ipc` transport).

Layers kept around it: `prlimit` (memory, file size, no core dumps, a CPU backstop, a process cap),
a scrubbed environment, and an unprivileged user (as root the kernel runs as `nobody`; otherwise as
the user who grades, inside a user namespace with no capabilities).
"""

from __future__ import annotations

import functools
import grp
import json
import logging
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from convlab.settings import SandboxSettings

log = logging.getLogger(__name__)

# Where the kernel's interpreter and virtual environment appear inside the sandbox.
PYTHON_INSIDE = "/opt/python"
VENV_INSIDE = "/opt/venv"
# The entries of "/" a kernel may see, besides the top folder of its scratch path.
ROOT_ALLOWLIST = frozenset({"bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "opt", "proc", "sbin", "tmp", "usr"})
# Files of the host's /etc that the dynamic loader, time zones, fontconfig and lookups of "localhost" read.
ETC_ALLOWLIST = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "hosts", "alternatives", "fonts")
# Merged-/usr links (or, on older systems, folders) at the top of the file system.
USR_LINKS = ("bin", "lib", "lib32", "lib64", "libx32", "sbin")


# What the probe runs in a sandbox: the kernel's imports, and matplotlib's font list (see seed_font_cache).
PROBE_CODE = (
    "import ipykernel, numpy\n"
    "try:\n    import matplotlib.font_manager\nexcept ImportError:\n    pass\n"
)
# Folder of the support folder that keeps the probe's matplotlib font list.
FONT_CACHE = "matplotlib"


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot run here, and the configuration does not allow grading without it."""


@dataclass(frozen=True)
class KernelLaunch:
    """Everything `subprocess.Popen` needs to start one kernel.

    uid, gid: the owner the scratch folder must have for the kernel to write there (None: the
    grading user's own).
    """

    argv: list[str]
    env: dict[str, str]
    cwd: str
    sandboxed: bool
    uid: int | None = None
    gid: int | None = None


@dataclass(frozen=True)
class PythonLayout:
    """Where the kernel's Python lives on the host. venv: None when it is not a virtual environment."""

    base: str
    venv: str | None
    libdir: str | None
    version: str

    def inside(self) -> tuple[str, dict[str, str]]:
        """The interpreter path inside the sandbox, and the environment variables it needs there."""
        env = {}
        if self.libdir and Path(self.libdir).is_relative_to(self.base):
            # The interpreter's RUNPATH names its host folder; without this the loader would pick
            # the system's libpython of another patch release.
            env["LD_LIBRARY_PATH"] = str(PYTHON_INSIDE / Path(self.libdir).relative_to(self.base))
        if self.venv:
            return f"{VENV_INSIDE}/bin/python", env
        return f"{PYTHON_INSIDE}/bin/python{self.version}", env


@functools.cache
def python_layout(python: str) -> PythonLayout:
    """Ask the kernel's interpreter where its files are."""
    code = ("import json, sys, sysconfig; print(json.dumps([sys.prefix, sys.base_prefix, "
            "sysconfig.get_config_var('LIBDIR'), '%d.%d' % sys.version_info[:2]]))")
    done = subprocess.run([python, "-I", "-c", code], capture_output=True, text=True, check=True, timeout=60)
    prefix, base, libdir, version = json.loads(done.stdout)
    base = os.path.realpath(base)
    prefix = os.path.realpath(prefix)
    return PythonLayout(base, None if prefix == base else prefix, libdir and os.path.realpath(libdir), version)


def scrubbed_env(settings: SandboxSettings, scratch: Path, bin_dir: str) -> dict[str, str]:
    """A minimal environment: nothing of the grading process leaks into the kernel."""
    env = {k: os.environ[k] for k in settings.passthrough_env if k in os.environ}
    env.update(
        {
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "HOME": str(scratch),
            "USER": "student",
            "LOGNAME": "student",
            "TMPDIR": "/tmp",
            "IPYTHONDIR": str(scratch / ".ipython"),
            "MPLCONFIGDIR": str(scratch / ".matplotlib"),
            "JUPYTER_RUNTIME_DIR": str(scratch / ".runtime"),
            "JUPYTER_DATA_DIR": str(scratch / ".jupyter"),
            "KERAS_HOME": str(scratch / ".keras"),
            "PYTHONNOUSERSITE": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "NBGRADER_EXECUTION": "autograde",
        }
    )
    env.update(settings.extra_env)
    return env


def _sandbox_user(settings: SandboxSettings) -> tuple[int, int]:
    return pwd.getpwnam(settings.sandbox_user).pw_uid, grp.getgrnam(settings.sandbox_group).gr_gid


@functools.cache
def support_files(folder: Path, layout: PythonLayout, uid: int, gid: int) -> Path:
    """Write the small read-only files the sandbox shows in place of the host's: a `pyvenv.cfg`
    that points at the relocated interpreter, and `passwd`/`group` naming only the kernel's user.
    Written once per grading process (and only when they differ from what is there)."""
    folder.mkdir(mode=0o755, exist_ok=True)
    files = {
        "pyvenv.cfg": f"home = {PYTHON_INSIDE}/bin\ninclude-system-site-packages = false\nversion = {layout.version}\n",
        "passwd": f"student:x:{uid}:{gid}:student:/tmp:/usr/sbin/nologin\n",
        "group": f"student:x:{gid}:\n",
    }
    for name, text in files.items():
        path = folder / name
        if not path.exists() or path.read_text() != text:
            tmp = folder / f".{name}.{os.getpid()}"
            tmp.write_text(text)
            tmp.chmod(0o644)
            os.replace(tmp, path)
    return folder


def usr_links() -> list[str]:
    """bwrap arguments that recreate the host's `/bin`, `/lib`… links (or, on older systems, folders)."""
    args = []
    for name in USR_LINKS:
        host = Path("/") / name
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), f"/{name}"]
        elif host.is_dir():
            args += ["--ro-bind", str(host), f"/{name}"]
    return args


def _file_system(layout: PythonLayout, scratch: Path, support: Path, settings: SandboxSettings) -> list[str]:
    args = ["--ro-bind", "/usr", "/usr", "--tmpfs", "/usr/local", *usr_links()]
    args += ["--perms", "0755", "--dir", "/etc"]
    for name in ETC_ALLOWLIST:
        if (Path("/etc") / name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    args += ["--ro-bind", str(support / "passwd"), "/etc/passwd", "--ro-bind", str(support / "group"), "/etc/group"]
    args += ["--perms", "0755", "--dir", "/opt", "--ro-bind", layout.base, PYTHON_INSIDE]
    if layout.venv:
        args += ["--perms", "0755", "--dir", VENV_INSIDE, "--perms", "0755", "--dir", f"{VENV_INSIDE}/bin"]
        version = layout.version
        args += [
            "--ro-bind", f"{layout.venv}/lib", f"{VENV_INSIDE}/lib",
            "--ro-bind", str(support / "pyvenv.cfg"), f"{VENV_INSIDE}/pyvenv.cfg",
            "--symlink", f"{PYTHON_INSIDE}/bin/python{version}", f"{VENV_INSIDE}/bin/python",
        ]
    tmp_size = str(settings.tmp_bytes)
    args += [
        "--proc", "/proc",
        "--dev", "/dev",
        "--perms", "1777", "--size", tmp_size, "--tmpfs", "/dev/shm",
        "--perms", "1777", "--size", tmp_size, "--tmpfs", "/tmp",
    ]
    # bwrap creates missing parents as 0700: the kernel's user must be able to walk to its folder.
    for parent in reversed(scratch.parents[:-1]):
        if str(parent) not in ("/tmp", "/dev", "/dev/shm"):
            args += ["--perms", "0711", "--dir", str(parent)]
    args += [
        # Last, so that a scratch folder under /tmp or /dev/shm is not hidden by those tmpfs.
        "--bind", str(scratch), str(scratch),
        "--chdir", str(scratch),
    ]
    return args


def _bwrap_argv(layout: PythonLayout, scratch: Path, support: Path, settings: SandboxSettings,
                as_root: bool) -> list[str]:
    common = ["bwrap", "--die-with-parent", "--new-session", "--hostname", "convlab"]
    if as_root:
        # No user namespace: the kernel drops to a real unprivileged user (setpriv below), so even a
        # root-owned file it could see would stay closed to it.
        namespaces = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    else:
        namespaces = ["--unshare-all", "--cap-drop", "ALL"]
    return common + namespaces + _file_system(layout, scratch, support, settings) + ["--"]


def _drop_privileges(uid: int, gid: int) -> list[str]:
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--no-new-privs",
            "--inh-caps=-all", "--bounding-set=-all", "--"]


def _limits(settings: SandboxSettings, nproc: bool) -> list[str]:
    limits = [
        "prlimit",
        # RLIMIT_DATA counts numpy's anonymous mappings but not the address space TensorFlow
        # reserves at import.
        f"--data={settings.memory_bytes}",
        f"--cpu={settings.kernel_cpu_seconds}",
        "--core=0",
        f"--fsize={settings.max_file_bytes}",
    ]
    if nproc:
        # RLIMIT_NPROC counts the processes of the kernel's user: only meaningful for `nobody`.
        limits.append(f"--nproc={settings.max_processes}")
    return limits + ["--"]


def sandbox_argv(python: str, scratch: Path, support: Path, settings: SandboxSettings,
                 command: list[str]) -> tuple[list[str], dict[str, str], int | None, int | None]:
    """`command` (its first word "python") run in the sandbox: argv, extra env, scratch owner."""
    layout = python_layout(python)
    inner_python, env = layout.inside()
    as_root = os.geteuid() == 0
    uid, gid = _sandbox_user(settings) if as_root else (os.getuid(), os.getgid())
    support_files(support, layout, uid, gid)
    argv = _limits(settings, nproc=as_root) + _bwrap_argv(layout, scratch, support, settings, as_root)
    if as_root:
        argv += _drop_privileges(uid, gid)
    argv += [inner_python, *command[1:]]
    return argv, env, (uid if as_root else None), (gid if as_root else None)


def sandbox_problem(python: str, settings: SandboxSettings, support: Path) -> str | None:
    """Why the sandbox cannot run kernels here, or None when it can (checked once per process)."""
    return _probe(python, settings.sandbox_user, settings.sandbox_group, support)


@functools.cache
def _probe(python: str, user: str, group: str, support: Path) -> str | None:
    settings = SandboxSettings(sandbox_user=user, sandbox_group=group)
    if shutil.which("bwrap") is None:
        return "bubblewrap (`bwrap`) is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return "`setpriv` (util-linux) is not installed"
    support.mkdir(mode=0o755, parents=True, exist_ok=True)
    probe_dir = support / f"probe-{os.getpid()}"
    probe_dir.mkdir(exist_ok=True)
    (probe_dir / ".matplotlib").mkdir(exist_ok=True)
    try:
        argv, env, uid, gid = sandbox_argv(python, probe_dir, support, settings, ["python", "-c", PROBE_CODE])
        if uid is not None:
            for path in (probe_dir, probe_dir / ".matplotlib"):
                os.chown(path, uid, gid)
        done = subprocess.run(argv, env={**scrubbed_env(settings, probe_dir, "/usr/bin"), **env},
                              capture_output=True, timeout=120, check=False)
        if done.returncode == 0:
            _keep_font_cache(probe_dir / ".matplotlib", support / FONT_CACHE)
    except (OSError, subprocess.SubprocessError, KeyError) as exc:
        return f"the sandbox probe failed: {exc}"
    finally:
        shutil.rmtree(probe_dir, ignore_errors=True)
    if done.returncode != 0:
        tail = " ".join(done.stderr.decode(errors="replace").strip().splitlines()[-2:])
        return f"bubblewrap cannot start {python} here ({tail})"
    return None


def _keep_font_cache(built: Path, cache: Path) -> None:
    """Keep the font list the probe built (trusted: no student code ran there) for every kernel."""
    cache.mkdir(mode=0o755, exist_ok=True)
    for path in built.glob("fontlist-*.json"):
        tmp = cache / f".{path.name}.{os.getpid()}"
        shutil.copyfile(path, tmp)
        tmp.chmod(0o644)
        os.replace(tmp, cache / path.name)


def seed_font_cache(support: Path, mpl_config_dir: Path) -> None:
    """Give a new kernel the font list its sandbox would otherwise rebuild (0.13 s per kernel).

    matplotlib scans every font file when its config folder has no list; the list names fonts as
    the sandbox sees them, the same for every kernel, so the probe's copy serves them all."""
    for path in sorted((support / FONT_CACHE).glob("fontlist-*.json")):
        shutil.copyfile(path, mpl_config_dir / path.name)


def require_sandbox(settings: SandboxSettings, python: str, support: Path) -> str | None:
    """None when kernels will be sandboxed. Otherwise the one-line note every report carries when
    the configuration allows grading without the sandbox, or SandboxUnavailable when it does not."""
    problem = sandbox_problem(python, settings, support)
    if problem is None:
        return None
    if not settings.allow_unsandboxed:
        raise SandboxUnavailable(
            f"Refusing to grade: student kernels cannot be sandboxed because {problem}. Without the "
            "sandbox a submission can read the course, other students' work and the network. Install "
            "bubblewrap, or, only for a student checking their own notebook, allow it explicitly "
            "(`--allow-unsandboxed`, or c.GradeWithEngine.allow_unsandboxed = True)."
        )
    return f"Graded WITHOUT the sandbox (allowed by the configuration): {problem}."


def kernel_launch(connection_file: Path, scratch: Path, support: Path, settings: SandboxSettings,
                  python: str, sandboxed: bool) -> KernelLaunch:
    """The command that starts `ipykernel` for one submission.

    scratch: the submission's private working folder; it holds `connection_file`.
    support: a root-owned folder for the sandbox's read-only files (shared by all kernels).
    sandboxed: whether `require_sandbox` found the sandbox usable (else it allowed going without).
    """
    command = ["python", "-m", "ipykernel_launcher", "-f", str(connection_file)]
    if not sandboxed:
        env = scrubbed_env(settings, scratch, str(Path(python).parent))
        argv = _limits(settings, nproc=False) + [python, *command[1:]]
        return KernelLaunch(argv, env, str(scratch), sandboxed=False)
    argv, extra_env, uid, gid = sandbox_argv(python, scratch, support, settings, command)
    layout = python_layout(python)
    env = scrubbed_env(settings, scratch, str(Path(layout.inside()[0]).parent)) | extra_env
    return KernelLaunch(argv, env, str(scratch), sandboxed=True, uid=uid, gid=gid)
