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

# A page driven over the DevTools protocol runs in real time: virtual time would hold its clock.
LIVE_FLAGS = [flag for flag in FLAGS if not flag.startswith("--virtual-time-budget")]


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
            [chromium(), *LIVE_FLAGS, f"--user-data-dir={profile}", *args],
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
    for key in ("resources", "errors", "selected"):
        if key in attributes:
            attributes[key] = json.loads(attributes[key].replace("&quot;", '"'))
    return attributes


def screenshot(page: Path, target: Path, size: str = "1400,950", query: str = "") -> Path:
    """A PNG of the page as Chromium draws it (``query``: ?a=b)."""
    _run(f"--window-size={size}", f"--screenshot={target.resolve()}", page.resolve().as_uri() + query)
    assert target.exists() and target.stat().st_size > 10_000, "the screenshot is missing or blank"
    return target


# What the map canvas draws as text, recorded as Chromium draws it: every fillText call on the map's
# canvas, with the font, where it lands on screen (CSS px) and how large it is there. A frame starts
# when vis-network clears the canvas, so ``window.rgText`` holds the text of the last frame drawn.
_RECORD_TEXT = """
(function () {
  window.rgText = [];
  var proto = CanvasRenderingContext2D.prototype, fill = proto.fillText, clear = proto.clearRect;
  function onMap(ctx) { return ctx.canvas.closest && ctx.canvas.closest("#mynetwork"); }
  proto.clearRect = function (x, y, w, h) {
    if (onMap(this) && x === 0 && y === 0) { window.rgText = []; }
    return clear.apply(this, arguments);
  };
  proto.fillText = function (text, x, y) {
    if (onMap(this) && String(text).trim()) {
      var t = this.getTransform(), ratio = window.devicePixelRatio || 1, m = this.measureText(text);
      var left = this.textAlign === "center" ? x - m.width / 2 : this.textAlign === "right" ? x - m.width : x;
      function screen(px, py) { return [(t.a * px + t.c * py + t.e) / ratio, (t.b * px + t.d * py + t.f) / ratio]; }
      var a = screen(left, y - m.fontBoundingBoxAscent), b = screen(left + m.width, y + m.fontBoundingBoxDescent);
      var size = /([0-9.]+)px/.exec(this.font);
      window.rgText.push({ text: String(text), font: this.font, px: size ? Number(size[1]) * t.a / ratio : 0,
                           left: a[0], top: a[1], right: b[0], bottom: b[1] });
    }
    return fill.apply(this, arguments);
  };
})();
"""


class Tab:
    """A page in headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe):
    no extra package, and no port. ``wait_for`` waits on a condition in the page, with a deadline."""

    def __init__(self, page: Path, query: str = "", size: str = "1400,950") -> None:
        self._profile = tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
        to_browser, self._send = os.pipe()
        self._receive, from_browser = os.pipe()

        def wire() -> None:  # runs in the child: the protocol expects fds 3 (commands) and 4 (replies)
            high_in, high_out = os.dup(to_browser), os.dup(from_browser)
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        self._process = subprocess.Popen(
            [
                chromium(),
                *LIVE_FLAGS,
                f"--user-data-dir={self._profile.name}",
                f"--window-size={size}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,  # noqa: PLW1509 - only dup2, before exec
            close_fds=False,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self._session = ""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable")
        self.call("Page.addScriptToEvaluateOnNewDocument", source=_RECORD_TEXT)
        self.call("Page.navigate", url=page.resolve().as_uri() + query)

    def call(self, method: str, timeout: float = 60.0, **params: Any) -> dict[str, Any]:
        """Send one protocol command and return its result (an error in the reply fails the test)."""
        import select
        import time

        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if self._session:
            message["sessionId"] = self._session
        os.write(self._send, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next:
                    assert "error" not in reply, f"{method}: {reply['error']}"
                    return dict(reply["result"])
            left = deadline - time.monotonic()
            assert left > 0, f"{method}: Chromium did not answer within {timeout:.0f} s"
            ready, _, _ = select.select([self._receive], [], [], left)
            if ready:
                chunk = os.read(self._receive, 1 << 20)
                assert chunk, "Chromium closed the DevTools pipe"
                self._buffer += chunk

    def evaluate(self, expression: str, timeout: float = 60.0) -> Any:
        """The value of a JavaScript expression in the page (a promise is awaited), as JSON."""
        result = self.call(
            "Runtime.evaluate", timeout=timeout, expression=expression, awaitPromise=True, returnByValue=True
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait_for(self, condition: str, timeout: float = 90.0) -> Any:
        """Wait until a JavaScript expression is truthy in the page (checked on every frame), and return it."""
        return self.evaluate(
            "new Promise(function (done) { (function check() { var value; try { value = (" + condition + "); }"
            " catch (e) { value = null; } if (value) { done(value); } else { requestAnimationFrame(check); } })(); })",
            timeout=timeout,
        )

    def wheel(self, x: float, y: float, delta_y: float) -> None:
        """Turn the mouse wheel at a point of the page, as a reader zooming in (delta < 0) would."""
        self.call("Input.dispatchMouseEvent", type="mouseWheel", x=x, y=y, deltaX=0, deltaY=delta_y)

    def screenshot(self, target: Path) -> Path:
        """A PNG of the page as it is now."""
        import base64

        target.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
        return target

    def close(self) -> None:
        """Quit Chromium and remove its profile."""
        self._process.kill()
        self._process.wait(timeout=30)
        os.close(self._send)
        os.close(self._receive)
        self._profile.cleanup()

    def __enter__(self) -> Tab:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


# The page has placed its labels for the zoom it shows, after the layout stopped.
SETTLED = (
    "document.body && document.body.getAttribute('data-physics') === 'off'"
    " && document.body.getAttribute('data-labelled-scale') === String(network.getScale())"
)
# The text of one whole frame, drawn after the condition held.
_FRAME = (
    "new Promise(function (done) { network.once('afterDrawing', function () { done(window.rgText.slice()); });"
    " network.redraw(); })"
)


def drawn_labels(tab: Tab) -> list[dict[str, Any]]:
    """The labels the map's canvas drew in its last frame, each with its text, its smallest font size on
    screen (CSS px) and its box on screen. vis-network draws a label of several lines line by line,
    centred, one font size apart: such runs are joined into one label."""
    labels: list[dict[str, Any]] = []
    for line in tab.evaluate(_FRAME):
        last = labels[-1] if labels else None
        if (
            last is not None
            and last["font"] == line["font"]
            and abs((last["left"] + last["right"]) - (line["left"] + line["right"])) < 2
            and abs(line["top"] - last["line_top"] - line["px"]) < 0.5
        ):
            last.update(
                text=last["text"] + line["text"],
                left=min(last["left"], line["left"]),
                right=max(last["right"], line["right"]),
                bottom=line["bottom"],
                line_top=line["top"],
            )
        else:
            labels.append({**line, "line_top": line["top"]})
    return labels


def overlapping(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The pairs of labels whose boxes on screen overlap."""
    return [
        (a["text"], b["text"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
    ]


def zoom_in(tab: Tab, factor: float) -> float:
    """Turn the mouse wheel over the middle of the map until it is ``factor`` times as large; the new scale."""
    start = tab.evaluate("network.getScale()")
    x, y = tab.evaluate(
        "(function () { var r = document.querySelector('#mynetwork canvas').getBoundingClientRect();"
        " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
    )
    for _ in range(60):
        if tab.evaluate("network.getScale()") >= factor * start:
            break
        tab.wheel(x, y, -100)
    scale = float(tab.evaluate("network.getScale()"))
    assert scale >= factor * start, "the wheel did not zoom the map"
    return scale
