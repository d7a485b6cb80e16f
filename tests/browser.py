"""Open a page in real headless Chromium, with the network blocked, and read what it drew.

The map pages record their own drawing on <body> (data-drawn-nodes, data-inked-pixels,
data-resources, data-errors, data-physics); ``--dump-dom`` returns the DOM after the scripts ran.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no request can leave the machine
    "--proxy-server=http://127.0.0.1:9",
    "--virtual-time-budget=30000",
    "--hide-scrollbars",
]


def chromium() -> str:
    """The Chromium binary; under CI its absence fails, elsewhere the browser tests skip."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("headless Chromium is needed under CI (scripts/test.sh installs Debian's chromium)")
        pytest.skip("browser tests skipped: chromium is not installed (apt-get install chromium)")
    return binary


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


def render(page: Path, query: str = "", size: str = "1400,950") -> dict[str, Any]:
    """The drawing report a map page left on its <body>, after its scripts ran offline (``query``: ?a=b)."""
    done = _run(f"--window-size={size}", "--dump-dom", page.resolve().as_uri() + query)
    body = re.search(r"<body([^>]*)>", done.stdout)
    assert body, f"Chromium returned no page:\n{done.stderr[-2000:]}"
    attributes = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))
    for key in ("resources", "errors", "selected", "label-overlaps"):
        if key in attributes:
            attributes[key] = json.loads(attributes[key].replace("&quot;", '"'))
    return attributes


def screenshot(page: Path, target: Path, size: str = "1400,950", query: str = "") -> Path:
    """A PNG of the page as Chromium draws it (``query``: ?a=b)."""
    _run(f"--window-size={size}", f"--screenshot={target.resolve()}", page.resolve().as_uri() + query)
    assert target.exists() and target.stat().st_size > 10_000, "the screenshot is missing or blank"
    return target
