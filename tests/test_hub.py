"""A class on a real JupyterHub (`make hub`), every step in a real browser, then the attacks.

The hub runs from `hub/` with its own accounts (prefixed `clt-`, removed afterwards) and root folder:
the instructor generates and releases 02_conv1d in formgrader; two students log in, fetch it in the
Assignment List, one pastes the reference answers into the cells, the other leaves the release
untouched, both submit; the instructor collects and autogrades (the engine's bubblewrap sandbox,
as the grader account); the TA grades the written answer in formgrader; the instructor generates
and releases feedback; each student fetches it, opens it and the score is read from the page.
Then one student's server attacks the exchange, the other student's files and the course.

Screenshots of every step, the hub's log and the measurements go to artifacts/hub/.
Needs root (Unix accounts, bubblewrap as root), Chromium and chromedriver (`make hub-deps`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
import pytest
import requests
import websocket
from nbgrader.api import Gradebook
from selenium.webdriver.common.keys import Keys
from support.hub_browser import Person, chromium_paths, wait_until

from convlab.notebook import nbgrader_meta, strip_markers
from convlab.settings import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "hub"))
from convlab_hub import accounts  # noqa: E402
from convlab_hub.layout import COURSE_ID, Hub  # noqa: E402
from convlab_hub.run import hub_argv, hub_environment, prepare, stop  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.root]
ASSIGNMENT, NOTEBOOK = "02_conv1d", "conv1d"
MANUAL_ID = "cross_correlation_answer"
ARTIFACTS = REPO_ROOT / "artifacts" / "hub"
PREFIX = "clt-"
WRITTEN_ANSWER = ("The kernel is learned, so a layer that cross-correlates learns the flipped kernel: the same "
                  "functions are reachable. It matters for a fixed kernel, e.g. a filter designed for convolution.")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@dataclass
class HubRun:
    hub: Hub
    passwords: dict[str, str]
    process: subprocess.Popen
    metrics: dict[str, float] = field(default_factory=dict)

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.hub.url}/hub/api/{path}", timeout=30,
                                headers={"Authorization": f"token {self.hub.admin_token}"}, **kwargs)


def _leftover_processes(hub: Hub, hub_pid: int) -> list[psutil.Process]:
    """Processes of the test's accounts, or still children of the hub."""
    uids = {accounts.pwd.getpwnam(u).pw_uid for u in (*hub.people, hub.grader) if accounts.exists(u)}
    found = []
    for proc in psutil.process_iter(["uids", "cmdline"]):
        try:
            if proc.info["uids"] and proc.info["uids"].real in uids:
                found.append(proc)
            elif (str(hub.root) in " ".join(proc.info["cmdline"] or []) and proc.pid != os.getpid()) or \
                    f"--api-port {hub.proxy_api_port}" in " ".join(proc.info["cmdline"] or []):
                found.append(proc)  # a server's jail, or the proxy of a hub stopped while starting
        except psutil.Error:
            continue
    return [p for p in found if p.pid != hub_pid]


def _start(hub: Hub, log) -> tuple[subprocess.Popen, float]:
    started = time.monotonic()
    process = subprocess.Popen(hub_argv(hub), env=hub_environment(hub), stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)

    def formgrader_routed() -> bool:
        assert process.poll() is None, f"the hub exited ({process.returncode}); see {ARTIFACTS / 'hub.log'}"
        try:
            answer = requests.get(f"{hub.url}/services/{COURSE_ID}/formgrader", allow_redirects=False, timeout=5)
        except requests.ConnectionError:
            return False
        # Up and proxied: the service sends a stranger to the hub's OAuth.
        return answer.status_code in (302, 303) and "oauth" in answer.headers.get("location", "")

    wait_until(formgrader_routed, "the hub and the formgrader service", timeout=120)
    return process, time.monotonic() - started


@pytest.fixture(scope="module")
def hub_run():
    if os.geteuid() != 0:
        pytest.skip("the hub creates Unix accounts and runs servers as them: needs root")
    if chromium_paths() is None:
        pytest.skip("Chromium and chromedriver are needed (make hub-deps: Debian chromium, chromium-driver)")
    if not (REPO_ROOT / "hub" / "node_modules" / ".bin" / "configurable-http-proxy").exists():
        pytest.skip("configurable-http-proxy is not installed (make hub-deps)")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    (ARTIFACTS / "screenshots").mkdir(parents=True)
    root = Path(tempfile.mkdtemp(prefix="convlab-hub-test-", dir="/tmp"))
    port, hub_port, proxy_port, service_port = _free_ports(4)
    hub = Hub(root=root, repo=REPO_ROOT, prefix=PREFIX, port=port, hub_port=hub_port, proxy_api_port=proxy_port,
              service_port=service_port, admin_token=secrets.token_hex(24))
    process = None
    log = (ARTIFACTS / "hub.log").open("w")
    try:
        passwords = prepare(hub)
        process, seconds = _start(hub, log)
        run = HubRun(hub, passwords, process, {"hub_start_seconds": round(seconds, 2)})
        yield run
    finally:
        if process is not None:
            stop(hub)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        leftovers = _leftover_processes(hub, process.pid if process else -1)
        for proc in leftovers:
            proc.kill()
        psutil.wait_procs(leftovers, timeout=10)
        log.write(f"\n[test teardown] processes left after the hub stopped: {[p.pid for p in leftovers]}\n")
        log.close()
        accounts.remove_accounts(hub)
        shutil.rmtree(root, ignore_errors=True)


# --- the whole cycle in the browser ---------------------------------------------------------------
def _answers() -> dict[str, str]:
    source = nbformat.read(REPO_ROOT / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    return {nbgrader_meta(c)["grade_id"]: strip_markers(c.source) for c in source.cells
            if nbgrader_meta(c).get("solution") and c.cell_type == "code"}


def _max_points() -> tuple[float, float]:
    """(automatic, by hand) points of the notebook."""
    source = nbformat.read(REPO_ROOT / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    graded = [c for c in source.cells if nbgrader_meta(c).get("grade")]
    manual = sum(nbgrader_meta(c)["points"] for c in graded if nbgrader_meta(c).get("solution"))
    return sum(nbgrader_meta(c)["points"] for c in graded) - manual, manual


def _solve(person: Person, notebook_path: Path, answers: dict[str, str]) -> None:
    """Paste every reference answer (and a written answer) into the fetched notebook, then save."""
    nb = nbformat.read(notebook_path, as_version=4)
    person.lab(f"{ASSIGNMENT}/{NOTEBOOK}.ipynb")
    cells = person.wait(lambda d: (found := d.find_elements("css selector", ".jp-Notebook .jp-Cell"))
                        and len(found) == len(nb.cells) and found, "every cell of the notebook")
    for index, cell in enumerate(nb.cells):
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in answers:
            person.paste_into_cell(cells[index], answers[grade_id])
        elif grade_id == MANUAL_ID:
            person.paste_into_cell(cells[index], WRITTEN_ANSWER, markdown=True)
    person.shot("answers-pasted")
    person.driver.find_element("css selector", "body").send_keys(Keys.CONTROL, "s")

    def saved() -> bool:
        on_disk = nbformat.read(notebook_path, as_version=4)
        sources = {nbgrader_meta(c).get("grade_id"): c.source for c in on_disk.cells}
        return all(sources.get(g, "").strip() == a.strip() for g, a in answers.items()) and \
            WRITTEN_ANSWER in sources.get(MANUAL_ID, "")

    wait_until(saved, "the answers saved in the notebook on disk")


def _fetch_and_submit(person: Person, hub: Hub, answers: dict[str, str] | None) -> tuple[float, float]:
    """Fetch 02_conv1d in the Assignment List, answer (or not), submit. Returns (clicked, confirmed) times."""
    person.lab()
    person.assignment_list()
    person.click(person.list_button("released_assignments_list", ASSIGNMENT, "Fetch"))
    person.list_button("fetched_assignments_list", ASSIGNMENT, "Submit")
    person.shot("fetched")
    if answers is not None:
        _solve(person, hub.home(person.name) / ASSIGNMENT / f"{NOTEBOOK}.ipynb", answers)
        person.lab()
        person.assignment_list()
    submit = person.list_button("fetched_assignments_list", ASSIGNMENT, "Submit")
    clicked = time.monotonic()
    person.click(submit)
    person.xpath(f"//div[@id='submitted_assignments_list']//div[contains(@class,'list_item')][.//*[text()='{ASSIGNMENT}']]",
                 "the submission in the Assignment List")
    confirmed = time.monotonic()
    person.shot("submitted")
    return clicked, confirmed


def _feedback_score(person: Person, hub: Hub) -> tuple[str, str]:
    """Fetch the feedback in the Assignment List, open it; return (the score on the page, the page's text)."""
    person.lab()
    person.assignment_list()
    person.click(person.list_button("submitted_assignments_list", ASSIGNMENT, "Fetch Feedback"))
    person.click(person.xpath("//div[@id='submitted_assignments_list']//a[contains(text(),'view feedback')]",
                              "the link to the fetched feedback"))
    person.shot("feedback-fetched")
    pages = list((hub.home(person.name) / ASSIGNMENT / "feedback").glob(f"*/{NOTEBOOK}.html"))
    assert len(pages) == 1, f"{person.name} fetched {pages}"
    relative = pages[0].relative_to(hub.home(person.name)).as_posix()
    person.driver.get(f"{hub.url}/user/{person.name}/files/{relative}")
    heading = person.xpath("//*[contains(text(),'Score:')]", "the score on the feedback page")
    person.shot("feedback-page")
    match = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", heading.text)
    assert match, heading.text
    return f"{float(match.group(1)):g} / {float(match.group(2)):g}", person.text()


@dataclass
class Cycle:
    run: HubRun
    alice: str
    bob: str
    scores: dict[str, str]
    pages: dict[str, str]
    autograded: dict[str, float]


@pytest.fixture(scope="module")
def cycle(hub_run) -> Cycle:
    hub, passwords = hub_run.hub, hub_run.passwords
    alice, bob = hub.students[:2]
    shots = ARTIFACTS / "screenshots"
    people: dict[str, Person] = {}

    def person(name: str) -> Person:
        people[name] = Person(name, passwords[name], hub.url, shots)
        return people[name]

    started = time.monotonic()
    try:
        # The instructor generates and releases the assignment in formgrader.
        instructor = person(hub.instructor)
        instructor.login(f"/services/{COURSE_ID}/formgrader/manage_assignments")
        instructor.assignment_row(ASSIGNMENT)
        instructor.shot("formgrader")
        instructor.row_action(ASSIGNMENT, "assign", "Successfully created the student version")
        instructor.row_action(ASSIGNMENT, "release", "Successfully released '")

        # Two students fetch it; alice pastes the reference answers, bob submits the release untouched.
        submitted = {}
        for name, answers in ((alice, _answers()), (bob, None)):
            student = person(name)
            student.login("/hub/spawn")
            submitted[name] = _fetch_and_submit(student, hub, answers)

        # The instructor collects and autogrades (the engine, sandboxed, as the grader account).
        instructor.formgrader("manage_assignments")
        instructor.row_action(ASSIGNMENT, "collect", "Successfully collected submissions")
        instructor.formgrader(f"manage_submissions/{ASSIGNMENT}")
        listed = time.monotonic()
        for name in (alice, bob):
            row = f"//tr[td[contains(@class,'student-id') and text()='{name}']]"
            instructor.click(instructor.xpath(f"{row}/td[contains(@class,'autograde')]/a", f"autograde for {name}"))
            instructor.close_dialog(f"Successfully autograded '{ASSIGNMENT}' for student '{name}'")
            instructor.xpath(f"{row}/td[contains(@class,'status')]//*[text()='needs manual grading' or text()='graded']",
                             f"{name}'s submission graded")
        instructor.shot("autograded")
        with Gradebook(f"sqlite:///{hub.course / 'gradebook.db'}", COURSE_ID) as gb:
            autograded = {n: gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, n).score for n in (alice, bob)}
            ids = {n: gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, n).id for n in (alice, bob)}

        # The TA grades the written answer in formgrader: full marks to alice, 0 to bob's untouched cell.
        _, manual_max = _max_points()
        ta = person(hub.ta)
        ta.login(f"/services/{COURSE_ID}/formgrader/gradebook/{ASSIGNMENT}/{NOTEBOOK}")
        ta.find("table", "the submissions of the notebook")
        ta.shot("manual-grading")
        for name, points in ((alice, manual_max), (bob, 0)):
            ta.formgrader(f"submissions/{ids[name]}")
            box = ta.find(f"input#{MANUAL_ID}", "the score box of the written answer")
            box.clear()
            box.send_keys(f"{points:g}", Keys.TAB)

            def stored(name=name, points=points) -> bool:
                with Gradebook(f"sqlite:///{hub.course / 'gradebook.db'}", COURSE_ID) as gb:
                    grade = gb.find_grade(MANUAL_ID, NOTEBOOK, ASSIGNMENT, name)
                    return grade.manual_score is not None and float(grade.manual_score) == points

            wait_until(stored, f"the TA's grade for {name} in the gradebook")
            ta.shot(f"graded-{name}")

        # The instructor generates and releases the feedback.
        instructor.formgrader("manage_assignments")
        instructor.row_action(ASSIGNMENT, "generate-feedback", "Successfully generated feedback")
        instructor.row_action(ASSIGNMENT, "release-feedback", "Successfully released feedback")

        # Each student fetches the feedback and reads the score on the page.
        scores, pages = {}, {}
        for name in (alice, bob):
            scores[name], pages[name] = _feedback_score(people[name], hub)
    finally:
        for browser in people.values():
            browser.quit()
    hub_run.metrics.update(
        browser_cycle_seconds=round(time.monotonic() - started, 1),
        submit_click_to_confirmed_seconds=round(max(c - s for s, c in submitted.values()), 2),
        submit_click_to_formgrader_listing_seconds=round(listed - max(s for s, _ in submitted.values()), 2),
    )
    return Cycle(hub_run, alice, bob, scores, pages, autograded)


def test_each_student_reads_their_own_score_on_the_feedback_page(cycle):
    auto, manual = _max_points()
    total = f"{auto + manual:g}"
    assert cycle.scores == {cycle.alice: f"{total} / {total}", cycle.bob: f"0 / {total}"}


def test_autograding_ran_in_the_sandbox_and_scored_the_reference_fully(cycle):
    """The course refuses to grade without the sandbox (allow_unsandboxed = False): a full automatic
    score for the reference means the kernel ran in bubblewrap, started by the grader account."""
    auto, _ = _max_points()
    assert cycle.autograded == {cycle.alice: auto, cycle.bob: 0.0}
    hub = cycle.run.hub
    graded = hub.course / "autograded" / cycle.alice / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert graded.stat().st_uid == accounts.pwd.getpwnam(hub.grader).pw_uid
    assert "WITHOUT the sandbox" not in cycle.pages[cycle.alice]


# --- the attacks, from inside a student's server ----------------------------------------------------
def _user_token(run: HubRun, user: str) -> str:
    answer = run.api("POST", f"users/{user}/tokens", json={"note": "test_hub attack", "expires_in": 600})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["token"]


def _run_in_server(run: HubRun, user: str, token: str, code: str) -> str:
    """Run `code` in a new kernel of `user`'s own server (through its REST and WebSocket API); its stdout."""
    base = f"{run.hub.url}/user/{user}/api/kernels"
    auth = {"Authorization": f"token {token}"}
    kernel = requests.post(base, headers=auth, json={"name": "python3"}, timeout=60).json()["id"]
    ws = websocket.create_connection(f"{base.replace('http', 'ws', 1)}/{kernel}/channels", timeout=120,
                                     header=[f"Authorization: token {token}"])
    try:
        msg_id, out = uuid.uuid4().hex, []
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex, "msg_type": "execute_request",
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise AssertionError("\n".join(msg["content"]["traceback"]))
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(out)
    finally:
        ws.close()
        requests.delete(f"{base}/{kernel}", headers=auth, timeout=30)


ATTACK = r"""
import errno, json, os, shutil
targets = json.loads({targets!r})
def attempt(action, path):
    try:
        if action == "list":
            os.listdir(path)
        elif action == "read":
            open(path, "rb").read(1)
        elif action == "write":
            with open(path, "w") as f:
                f.write("stolen")
        elif action == "rename":
            os.rename(path, path + ".hidden")
        elif action == "remove":
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
        return "done"
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))
print(json.dumps({{name: attempt(action, path) for name, (action, path) in targets.items()}}))
"""


def _snapshot(*tops: Path) -> dict[str, tuple]:
    """Every file and folder under `tops`: mode, owner, and content digest."""
    seen = {}
    for top in tops:
        for folder, _, files in os.walk(top):
            for path in [Path(folder), *(Path(folder) / f for f in files)]:
                info = path.lstat()
                digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else None
                seen[str(path)] = (info.st_mode, info.st_uid, info.st_gid, digest)
    return seen


@pytest.fixture(scope="module")
def attack(cycle):
    hub, alice, bob = cycle.run.hub, cycle.alice, cycle.bob
    exchange = hub.exchange / COURSE_ID
    # What bob is told, as if it leaked: the exact names of alice's submission and feedback.
    alice_submission = next(p for p in (exchange / "inbound").iterdir() if p.name.startswith(f"{alice}+"))
    feedback_pages = sorted((exchange / "feedback").glob("*.html"))
    alice_cache = next((hub.home(alice) / ".local/share/jupyter/nbgrader_cache" / COURSE_ID).iterdir())
    from nbgrader.utils import notebook_hash
    alice_feedback = exchange / "feedback" / (notebook_hash(
        secret=(alice_cache / "submission_secret.txt").read_text(), notebook_id=NOTEBOOK) + ".html")
    assert alice_feedback in feedback_pages
    alice_feedback_home = next((hub.home(alice) / ASSIGNMENT / "feedback").iterdir())
    targets = {
        "list inbound": ("list", exchange / "inbound"),
        "read alice's submission by its name": ("read", alice_submission / f"{NOTEBOOK}.ipynb"),
        "read alice's submission secret": ("read", alice_submission / "submission_secret.txt"),
        "write into alice's submission": ("write", alice_submission / f"{NOTEBOOK}.ipynb"),
        "add a file to alice's submission": ("write", alice_submission / "extra.ipynb"),
        "rename alice's submission away": ("rename", alice_submission),
        "list the released feedback": ("list", exchange / "feedback"),
        "read alice's feedback by its name": ("read", alice_feedback),
        "write a feedback page": ("write", exchange / "feedback" / "forged.html"),
        "replace alice's feedback": ("write", alice_feedback),
        "write into alice's feedback folder": ("write", alice_feedback_home / "forged.html"),
        "overwrite alice's feedback page": ("write", alice_feedback_home / f"{NOTEBOOK}.html"),
        "list alice's home": ("list", hub.home(alice)),
        "read the gradebook": ("read", hub.course / "gradebook.db"),
        "list the course": ("list", hub.course),
        "read the course's source": ("read", hub.course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"),
        "read the course's solutions": ("read", hub.course / "solutions" / "conv1d.py"),
        "read the course's graders": ("read", hub.course / "graders" / "a02_conv1d" / "__init__.py"),
        "remove the course's release": ("remove", exchange / "outbound" / ASSIGNMENT),
        "read the checkout's solutions": ("read", REPO_ROOT / "solutions" / "conv1d.py"),
        "read the checkout's graders": ("read", REPO_ROOT / "graders" / "a02_conv1d" / "__init__.py"),
        "read the hub's passwords": ("read", hub.state / "passwords.json"),
    }
    for _, path in targets.values():
        if not path.name.startswith("forged") and path.name != "extra.ipynb":
            assert path.exists(), f"the attack's target {path} must exist for the test to mean anything"
    watched = (hub.exchange, hub.course, hub.home(alice) / ASSIGNMENT, hub.state / "passwords.json")
    before = _snapshot(*watched[:3]), (hub.state / "passwords.json").read_bytes()
    token = _user_token(cycle.run, bob)
    out = _run_in_server(cycle.run, bob, token, ATTACK.format(targets=json.dumps({k: [a, str(p)] for k, (a, p) in
                                                                                  targets.items()})))
    after = _snapshot(*watched[:3]), (hub.state / "passwords.json").read_bytes()
    (ARTIFACTS / "attacks.json").write_text(out)
    return json.loads(out.strip().splitlines()[-1]), before, after, token


def test_every_attack_from_a_students_server_is_refused(attack):
    results, *_ = attack
    hidden = {"read the checkout's solutions", "read the checkout's graders"}
    # The checkout is not in the student's jail at all; everything else exists and is closed by its mode.
    expected = {name: ("ENOENT" if name in hidden else "EACCES") for name in results}
    expected["rename alice's submission away"] = "EPERM"  # the sticky bit of inbound/ refuses it
    assert results == expected


def test_nothing_changed_on_disk(attack):
    _, before, after, _ = attack
    assert after[1] == before[1]
    changed = sorted(set(before[0]) ^ set(after[0]) | {p for p in before[0] if p in after[0] and before[0][p] != after[0][p]})
    assert changed == []


def test_formgrader_is_closed_to_students(cycle, attack):
    *_, token = attack
    hub = cycle.run.hub
    service = requests.get(f"{hub.url}/services/{COURSE_ID}/formgrader/api/assignments",
                           headers={"Authorization": f"token {token}"}, allow_redirects=False, timeout=30)
    assert service.status_code == 403
    own = requests.get(f"{hub.url}/user/{cycle.bob}/formgrader", headers={"Authorization": f"token {token}"},
                       allow_redirects=False, timeout=30)
    assert own.status_code == 404, "the student's own server must not run the formgrader extension"


# --- numbers for the closing note ---------------------------------------------------------------------
def test_memory_of_the_hub_with_five_users(cycle, attack):
    run = cycle.run
    hub = run.hub
    for user in hub.people:
        answer = run.api("POST", f"users/{user}/server")
        assert answer.status_code in (201, 202, 400), answer.text  # 400: already running

    def all_ready() -> bool:
        users = [run.api("GET", f"users/{u}").json() for u in hub.people]
        return all(u["servers"].get("", {}).get("ready") for u in users)

    wait_until(all_ready, "the five users' servers", timeout=180)
    tree = [psutil.Process(run.process.pid), *psutil.Process(run.process.pid).children(recursive=True)]
    rss = pss = 0
    for proc in tree:
        try:
            info = proc.memory_full_info()
        except psutil.Error:
            continue
        rss, pss = rss + info.rss, pss + info.pss
    run.metrics.update(processes_with_5_servers=len(tree), rss_mib_with_5_servers=round(rss / 2**20),
                       pss_mib_with_5_servers=round(pss / 2**20))
    (ARTIFACTS / "metrics.json").write_text(json.dumps(run.metrics, indent=1))
    print(json.dumps(run.metrics, indent=1))
    assert pss < 8 * 2**30, "five idle servers, the hub, the proxy and formgrader fit in a few GiB"
