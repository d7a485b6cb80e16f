"""Start and stop the Neo4j test server (Neo4j Community 5.26 embedded, Bolt on 127.0.0.1).

Used by the test fixtures (tests/conftest.py) and by the benchmarks (bench/run.py).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

from ruralgraph.store import StoreSettings, open_store

SERVER_DIR = Path(__file__).resolve().parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Neo4jServer:
    """The test server process; it stops when its standard input closes."""

    def __init__(self, auth: bool = False, heap: str = "1g", tx_memory: str | None = None) -> None:
        self.auth = auth
        self.heap = heap
        self.tx_memory = tx_memory  # all transactions' memory limit (Neo4j's default: 70% of the heap)
        self.home = Path(tempfile.mkdtemp(prefix="ruralgraph-neo4j-"))
        self.port = _free_port()
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None
        self.log: list[str] = []

    def start(self, timeout_s: float = 180) -> None:
        subprocess.run(["bash", str(SERVER_DIR / "build.sh")], check=True, capture_output=True, text=True)
        java = [
            "java",
            "-Xms256m",
            f"-Xmx{self.heap}",
            "-XX:+UseParallelGC",
            *([f"-Druralgraph.txMemory={self.tx_memory}"] if self.tx_memory else []),
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-cp",
            f"{SERVER_DIR / 'target' / 'classes'}:{SERVER_DIR / 'target' / 'lib' / '*'}",
            "ruralgraph.TestServer",
            str(self.port),
            str(self.home),
            *(["auth"] if self.auth else []),
        ]
        self.process = subprocess.Popen(
            java, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        ready = threading.Event()

        def read_output() -> None:
            assert self.process is not None and self.process.stdout is not None
            for line in self.process.stdout:
                self.log.append(line)
                if line.startswith("READY"):
                    ready.set()
            ready.set()  # the process ended (its output closed): stop waiting, the check below says why

        threading.Thread(target=read_output, daemon=True).start()
        # Wait on the server's own "READY" line (an event, not a sleep), then prove it answers.
        if not ready.wait(timeout_s) or self.process.poll() is not None:
            self.stop()
            raise RuntimeError("the Neo4j test server did not start:\n" + "".join(self.log[-40:]))
        credentials = {"neo4j_user": "neo4j", "neo4j_password": "neo4j"} if self.auth else {}
        if not self.auth:  # with auth on, the default password must be changed before queries run
            with open_store(StoreSettings(neo4j_uri=self.uri, **credentials)) as store:
                assert store.run("RETURN 1 AS one") == [{"one": 1}]

    def crash(self) -> None:
        """Kill the server process at once (SIGKILL), keeping its data folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=60)

    def restart(self) -> None:
        """Start again on the same data (Neo4j recovers from its transaction log), on a fresh port."""
        self.crash()
        self.port = _free_port()
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.log = []
        self.start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.home, ignore_errors=True)
