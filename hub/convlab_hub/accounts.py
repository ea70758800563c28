"""The class's local Unix accounts: created when missing, kept when present (re-running is fine).

People log in with PAM (JupyterHub's default authenticator) and a password generated on first
creation, kept in `<root>/state/passwords.json` (root only). The grader account has no password
and no shell: only the formgrader service runs as it.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import subprocess
from pathlib import Path

from convlab_hub.layout import Hub


def exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


def _ensure_user(user: str, home: Path, shell: str) -> None:
    if not exists(user):
        # A private group of the same name; no /etc/skel copy (the home is made below).
        subprocess.run(["useradd", "--user-group", "--no-create-home", "--home-dir", str(home), "--shell", shell, user],
                       check=True)
    elif pwd.getpwnam(user).pw_dir != str(home):
        subprocess.run(["usermod", "--home", str(home), user], check=True)
    entry = pwd.getpwnam(user)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)


def _passwords(hub: Hub) -> dict[str, str]:
    path = hub.state / "passwords.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    for user in hub.people:
        known.setdefault(user, secrets.token_urlsafe(12))
    path.write_text(json.dumps(known, indent=1))
    path.chmod(0o600)
    return {user: known[user] for user in hub.people}


def ensure_accounts(hub: Hub) -> dict[str, str]:
    """Create (or keep) every account; returns each person's password."""
    hub.homes.mkdir(parents=True, exist_ok=True)
    hub.homes.chmod(0o755)
    _ensure_user(hub.grader, hub.home(hub.grader), "/usr/sbin/nologin")
    for user in hub.people:
        _ensure_user(user, hub.home(user), "/bin/bash")
    passwords = _passwords(hub)
    lines = "".join(f"{user}:{password}\n" for user, password in passwords.items())
    subprocess.run(["chpasswd"], input=lines, text=True, check=True)
    return passwords


def remove_accounts(hub: Hub) -> None:
    """Delete the accounts (their homes under the hub's root are removed with the root)."""
    for user in (*hub.people, hub.grader):
        if exists(user):
            subprocess.run(["userdel", "--force", user], check=False, capture_output=True)
