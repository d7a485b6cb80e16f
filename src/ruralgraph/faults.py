"""Named points in a load where the crash tests stop the process, deterministically.

``RURALGRAPH_FAULT=kill:POINT`` kills the process with SIGKILL when the load reaches POINT;
``RURALGRAPH_FAULT=pause:POINT`` prints "paused at POINT" to standard error and waits until its
standard input closes (so a test can act while a load is half done, with no sleeps). Points, in
order: after-validation, mid-write (after the first chunk), before-commit, mid-publish (Neo4j: after
the first batch made part of the graph), before-save (kglite), after-save (kglite). Unset, a
checkpoint costs one dictionary look-up.
"""

from __future__ import annotations

import os
import signal
import sys

POINTS = ("after-validation", "mid-write", "before-commit", "mid-publish", "before-save", "after-save")
NEO4J_ONLY = ("mid-publish",)


def checkpoint(point: str) -> None:
    """Kill or pause here if $RURALGRAPH_FAULT names this point."""
    fault = os.environ.get("RURALGRAPH_FAULT")
    if not fault:
        return
    action, _, where = fault.partition(":")
    if where != point:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "pause":
        print(f"paused at {point}", file=sys.stderr, flush=True)
        sys.stdin.read()
