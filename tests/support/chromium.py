"""Pages opened in headless Chromium (Debian's package): a screenshot, the DOM after scripts ran,
console errors.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        install = ["apt-get", "install", "-y", "-qq", "chromium"]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
            subprocess.run(install, env=env, capture_output=True)
        found = shutil.which("chromium")
    return found


def render_in_chromium(page: Path, tmp_path: Path, window: str = "1280,2200") -> tuple[Path, str, list[str]]:
    """`page` in headless Chromium (the test is skipped without it) in a `window` ("width,height") of
    pixels: its screenshot, its <body> tag once its scripts ran (they leave their findings as data-
    attributes), and the console's error lines."""
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed and could not be installed with apt-get (Debian package 'chromium')")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--window-size={window}", "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0",
             f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / f"{page.stem}.png"
    done = subprocess.run([*flags, f"--screenshot={shot}", page.as_uri()], capture_output=True, text=True,
                          timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000, done.stderr[-2000:]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    body = re.search(r"<body[^>]*>", dom.stdout).group(0)
    console = [ln for ln in (done.stderr + dom.stderr).splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    return shot, body, console

