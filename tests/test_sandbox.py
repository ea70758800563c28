"""The sandbox is an allowlist: a student kernel sees only its own folder, the Python environment and
the system's read-only directories, and reaches no network service.

The attacks are written as a dishonest student would: walk the whole file system reading every file,
look for the course's secrets and for any file that defines the graded function, call the grading
machine's loopback services, and smuggle whatever was found out through the graded functions.
Canaries are planted first where a real grading server keeps secrets.
"""

from __future__ import annotations

import http.server
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from support.grading import ASSIGNMENT, NOTEBOOK, copy_course, reference_of, release_of
from support.snoop import SNOOP

from convlab import engine
from convlab.dev.corpus import with_answer
from convlab.runtime.kernel import StudentKernel
from convlab.runtime.sandbox import ROOT_ALLOWLIST, SandboxUnavailable
from convlab.runtime.scratch import scratch_parent
from convlab.settings import REPO_ROOT, SandboxSettings


class _CanaryHandler(http.server.BaseHTTPRequestHandler):
    canary = ""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.end_headers()
        self.wfile.write(self.canary.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def canaries(tmp_path_factory) -> Iterator[dict]:
    """Secrets planted around the host, a course copy, and a loopback HTTP server; all share a token."""
    token = f"CONVLAB-CANARY-{secrets.token_hex(8)}"
    course = copy_course(tmp_path_factory.mktemp("course"),
                         ("source", "release", "graders", "solutions", "nbgrader_config.py"))
    (course / "grades.csv").write_text(f"student,score\nalice,{token}\n")
    (course / "downloaded" / ASSIGNMENT / "archive").mkdir(parents=True)
    (course / "downloaded" / ASSIGNMENT / "archive" / "bob_conv1d.ipynb").write_text(token)
    (course / "instructor_notes.txt").write_text(token)
    # Files other tools left in the host's /tmp: one with a secret, one defining the graded function.
    solution = (REPO_ROOT / "solutions" / "conv1d.py").read_text()
    host_tmp = Path("/tmp") / f"convlab-leftover-{secrets.token_hex(4)}"
    host_tmp.mkdir()
    (host_tmp / "secret.txt").write_text(token)
    (host_tmp / "conv1d_solution.py").write_text(f"# {token}\n{solution}")
    # A neighbouring kernel's scratch folder.
    neighbour = scratch_parent() / f"k-{secrets.token_hex(16)}"
    neighbour.mkdir(mode=0o755)
    (neighbour / "answers.py").write_text(f"# {token}\n{solution}")
    os.chmod(neighbour / "answers.py", 0o644)

    handler = type("Handler", (_CanaryHandler,), {"canary": token})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host_paths = [str(course), str(host_tmp), str(neighbour), "/root", "/home", "/srv", "/work", "/mnt",
                  str(REPO_ROOT)]
    try:
        yield {"token": token, "course": course, "port": server.server_address[1], "host_paths": host_paths}
    finally:
        server.shutdown()
        for path in (host_tmp, neighbour):
            subprocess.run(["rm", "-rf", str(path)], check=False)


def test_loopback_server_answers_the_grading_process(canaries):
    """The canary server is really reachable from the host: the kernel's refusal below means something."""
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{canaries['port']}/", timeout=5) as reply:
        assert reply.read().decode() == canaries["token"]


@pytest.fixture(scope="module")
def kernel_view(canaries) -> dict:
    """What the snooper sees from inside a sandboxed kernel."""
    with StudentKernel() as kernel:
        assert kernel.sandboxed, kernel.sandbox_note
        code = SNOOP + f"\nprint(_json.dumps(_snoop({canaries['host_paths']!r}, {canaries['port']})))\n"
        result = kernel.execute(code, timeout=60)
        assert result.ok, result.error
        text = "".join(o.get("text", "") for o in result.outputs if o.get("output_type") == "stream")
        view = json.loads(text)
        view["scratch"] = str(kernel.scratch)
        return view


def test_root_holds_only_allowlisted_entries(kernel_view):
    scratch_top = Path(kernel_view["scratch"]).parts[1]
    assert set(kernel_view["root"]) <= ROOT_ALLOWLIST | {scratch_top}, kernel_view["root"]


def test_no_course_host_or_neighbour_path_exists(kernel_view):
    visible = [p for p, exists in kernel_view["exists"].items() if exists]
    assert not visible, f"visible from the kernel: {visible}"


def test_walking_the_disk_finds_nothing(kernel_view, canaries):
    assert kernel_view["read"] > 0, "the snooper read no file at all: the test proves nothing"
    assert kernel_view["found"] == {}, sorted(kernel_view["found"])


def test_loopback_services_of_the_host_are_unreachable(kernel_view, canaries):
    assert canaries["token"] not in kernel_view["net"]
    assert kernel_view["net"] == "ConnectionRefusedError", kernel_view["net"]


def test_writes_succeed_only_in_scratch_and_private_tmp(kernel_view):
    allowed = {p for p, ok in kernel_view["writes"].items() if ok}
    assert allowed == {"/tmp/x", "/dev/shm/x", "x"}, kernel_view["writes"]


def test_process_table_shows_only_the_sandbox(kernel_view):
    # bwrap's init and the kernel (plus at most a thread-spawned helper): never the host's processes.
    assert len(kernel_view["pids"]) <= 4, kernel_view["pids"]


def _attack_notebook(canaries) -> nbformat.NotebookNode:
    """The release notebook whose conv1d cell snoops, runs any conv1d definition it found, and
    raises what it read through every graded function."""
    code = SNOOP + f'''
_seen = _snoop({canaries["host_paths"]!r}, {canaries["port"]})
for _path, _text in _seen["found"].items():
    try:
        exec(_text)
    except Exception:
        pass
_leak = "LEAK " + _json.dumps({{k: _seen[k] for k in ("found", "net", "exists")}})[:3000]
if "conv1d" not in globals():
    def conv1d(x, w, mode="full"):
        raise RuntimeError(_leak)
print(_leak)
'''
    return with_answer(release_of(ASSIGNMENT), "conv1d", code)


@pytest.mark.slow
def test_attack_through_graders_check_reads_nothing_and_scores_zero(canaries, tmp_path):
    folder = tmp_path / ASSIGNMENT
    folder.mkdir()
    path = folder / f"{NOTEBOOK}.ipynb"
    nbformat.write(_attack_notebook(canaries), path)
    done = subprocess.run(
        [sys.executable, "-m", "convlab", "--course-root", str(canaries["course"]), "check", str(path), "--json"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=600,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert canaries["token"] not in done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["score"] == 0.0, report["score"]
    assert "LEAK" in done.stdout, "the attack's own channel should show up in the report"


def _grade_filler_then_reference(tmp_path: Path, fill: str, settings: SandboxSettings) -> list:
    """Grade a submission whose conv1d cell first runs `fill`, then the reference: both results."""
    solution = (REPO_ROOT / "solutions" / "conv1d.py").read_text()
    filler = with_answer(reference_of(ASSIGNMENT), "conv1d", fill + solution)
    results = []
    for name, nb in (("filler", filler), ("next", reference_of(ASSIGNMENT))):
        path = tmp_path / name / f"{NOTEBOOK}.ipynb"
        path.parent.mkdir()
        nbformat.write(nb, path)
        results.append(engine.grade(path, ASSIGNMENT, NOTEBOOK, settings=settings))
    return results


@pytest.mark.slow
def test_filling_tmp_and_shm_hits_the_limit_and_the_next_submission_is_unaffected(tmp_path):
    settings = SandboxSettings(tmp_bytes=32 * 1024**2)
    fill = '''
import os
for folder in ("/tmp", "/dev/shm"):
    try:
        with open(os.path.join(folder, "fill"), "wb") as fh:
            for _ in range(100):
                fh.write(b"x" * 2**20)
        print(folder, "not full")
    except OSError as exc:
        print(folder, "full:", exc.strerror)
'''
    filled, following = _grade_filler_then_reference(tmp_path, fill, settings)
    out = "".join(o.get("text", "") for run in filled.cell_runs for o in run.result.outputs)
    assert "/tmp full: No space left on device" in out and "/dev/shm full: No space left on device" in out, out
    assert filled.score == filled.max_score, "a full /tmp must not cost points the code earned"
    assert following.score == following.max_score


def _kernel_mounts_under(parent: Path) -> list[str]:
    """Mount points of kernel folders under `parent`: other gradings on a shared machine use their own
    scratch parent, so they cannot change what this test counts."""
    points = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()
              if line.startswith("convlab-kernel ")]
    return [point for point in points if Path(point).is_relative_to(parent)]


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="a kernel folder gets its own tmpfs only when grading as root")
def test_filling_its_own_folder_hits_the_limit_and_leaves_no_mount(tmp_path, monkeypatch):
    parent = Path(tempfile.mkdtemp(prefix="convlab-test-scratch-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    monkeypatch.setenv("CONVLAB_SCRATCH", str(parent))
    settings = SandboxSettings(scratch_bytes=48 * 1024**2)
    fill = '''
import os
try:
    for i in range(100):  # many files, each far below the per-file limit
        with open(f"fill{i}", "wb") as fh:
            fh.write(b"x" * 2**20)
    print("folder not full")
except OSError as exc:
    print("folder full:", exc.strerror)
for i in range(100):
    if os.path.exists(f"fill{i}"):
        os.remove(f"fill{i}")
'''
    try:
        filled, following = _grade_filler_then_reference(tmp_path, fill, settings)
        left = _kernel_mounts_under(parent)
    finally:
        shutil.rmtree(parent, ignore_errors=True)
    out = "".join(o.get("text", "") for run in filled.cell_runs for o in run.result.outputs)
    assert "folder full: No space left on device" in out, out
    assert filled.score == filled.max_score and following.score == following.max_score
    assert left == [], f"every kernel's tmpfs is unmounted when it ends; still mounted: {left}"


def test_grading_refuses_to_run_unsandboxed_unless_allowed():
    broken = SandboxSettings(sandbox_user="convlab-no-such-user")
    with pytest.raises(SandboxUnavailable, match="Refusing to grade"):
        StudentKernel(broken)


@pytest.mark.slow
def test_an_allowed_unsandboxed_grade_says_so_in_one_line(tmp_path):
    settings = SandboxSettings(sandbox_user="convlab-no-such-user", allow_unsandboxed=True)
    path = tmp_path / f"{NOTEBOOK}.ipynb"
    nbformat.write(reference_of(ASSIGNMENT), path)
    result = engine.grade(path, ASSIGNMENT, NOTEBOOK, settings=settings)
    lines = [n for n in result.notes if "WITHOUT the sandbox" in n]
    assert len(lines) == 1 and "\n" not in lines[0], result.notes
    assert result.score == result.max_score


def test_graders_check_refuses_without_the_sandbox(tmp_path):
    """The one-notebook check reads nbgrader_config.py and refuses, with a reason, when the sandbox
    cannot run: here its user does not exist."""
    course = copy_course(tmp_path / "course", ("source", "release", "graders", "solutions", "nbgrader_config.py"))
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write("\nc.GradeWithEngine.sandbox_user = 'convlab-no-such-user'\n")
    path = tmp_path / f"{NOTEBOOK}.ipynb"
    nbformat.write(release_of(ASSIGNMENT), path)
    done = subprocess.run(
        [sys.executable, "-m", "convlab", "--course-root", str(course), "check", str(path), "--assignment", ASSIGNMENT],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert done.returncode == 2, (done.returncode, done.stdout[-500:], done.stderr[-2000:])
    assert "Refusing to grade" in done.stderr and "convlab-no-such-user" in done.stderr
