"""Shared fixtures: stores of both engines, a real Neo4j 5 server, the bundled dataset.

The Neo4j server is the real thing: Neo4j Community 5.26 embedded in a small Java launcher
(tests/neo4j_server/), started once per test session on a free port. Set NEO4J_URI to use another
server (e.g. `docker compose up`). Under CI=true a server that cannot start fails the run;
elsewhere, without Java, the Neo4j tests skip with one line saying why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ruralgraph.cli import app
from ruralgraph.loading.load import load
from ruralgraph.resources import data_dir
from ruralgraph.store import Store, StoreSettings, open_store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "neo4j_server"))
from launcher import Neo4jServer, _free_port  # noqa: E402,F401

IN_CI = os.environ.get("CI", "").lower() == "true"
ENGINES = ["kglite", "neo4j"]


NEO4J_FIXTURES = {"neo4j_server", "neo4j_uri", "neo4j_auth_uri"}
STORE_FIXTURES = {"empty_settings", "seed_settings", "seed_db", *NEO4J_FIXTURES}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Apply the tier markers from what each test uses, so ``-m`` selects truly.

    ``neo4j``: it needs the Neo4j server (a Neo4j fixture, or the neo4j half of an engine-parametrised
    test); ``engine``: it runs against a store fixture; ``unit``: everything with no store fixture, no
    server, no browser and not marked slow (``pytest -m unit`` is the fast tier, ``-m "engine and not
    neo4j"`` the embedded store's tests).
    """
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        needs_neo4j = bool(fixtures & NEO4J_FIXTURES) or params.get("empty_settings") == "neo4j"
        if needs_neo4j:
            item.add_marker(pytest.mark.neo4j)
        if fixtures & STORE_FIXTURES:
            item.add_marker(pytest.mark.engine)
        uses_store = bool(fixtures & STORE_FIXTURES)
        if uses_store:
            continue  # marked engine above: the engine tier, not the unit tier
        if item.get_closest_marker("browser") is None and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.unit)


def _neo4j_unavailable_reason() -> str | None:
    if os.environ.get("NEO4J_URI"):
        return None
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    return f"Neo4j tests skipped: {' and '.join(missing)} not installed" if missing else None


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer | None]:
    """The test server started for this session (None when $NEO4J_URI names another server)."""
    if os.environ.get("NEO4J_URI"):
        yield None
        return
    reason = _neo4j_unavailable_reason()
    if reason:
        if IN_CI:
            pytest.fail(reason.replace("skipped", "cannot run under CI"))
        pytest.skip(reason)
    server = Neo4jServer()
    try:
        server.start()
    except Exception as error:
        if IN_CI:
            pytest.fail(f"the Neo4j test server did not start under CI: {error}")
        pytest.skip(f"Neo4j tests skipped: the test server did not start ({error})")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_uri(neo4j_server: Neo4jServer | None) -> str:
    """A running Neo4j 5: $NEO4J_URI, or the test server started for this session."""
    return neo4j_server.uri if neo4j_server is not None else os.environ["NEO4J_URI"]


@pytest.fixture(scope="session")
def neo4j_auth_uri(neo4j_uri: str) -> Iterator[str]:
    """A second test server with authentication on (user neo4j, password neo4j), for credential errors."""
    server = Neo4jServer(auth=True)
    try:
        server.start()
    except Exception as error:
        pytest.fail(f"the auth-enabled Neo4j test server did not start: {error}")
    yield server.uri
    server.stop()


def neo4j_settings(uri: str) -> StoreSettings:
    """Settings for the test Neo4j, with credentials from the environment when given."""
    return StoreSettings(
        neo4j_uri=uri,
        neo4j_user=os.environ.get("NEO4J_USERNAME"),
        neo4j_password=os.environ.get("NEO4J_PASSWORD"),
        neo4j_database=os.environ.get("NEO4J_DATABASE"),
    )


@pytest.fixture(autouse=True)
def default_store_outside_the_checkout(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command given no --db uses $RURALGRAPH_DB, else ./ruralgraph.kgl: point it at a fresh path, so
    the store that the README's `ruralgraph demo` leaves in the checkout never joins a test."""
    monkeypatch.setenv("RURALGRAPH_DB", str(tmp_path_factory.mktemp("default-store") / "ruralgraph.kgl"))


@pytest.fixture(params=ENGINES)
def empty_settings(request: pytest.FixtureRequest, tmp_path: Path) -> StoreSettings:
    """Settings for an empty store of each engine (Neo4j is cleared for every test)."""
    if request.param == "kglite":
        settings = StoreSettings(db=tmp_path / "graph.kgl")
    else:
        settings = neo4j_settings(request.getfixturevalue("neo4j_uri"))
    with open_store(settings, writable=True) as store:  # an empty store exists (reading a missing one is an error)
        store.clear()
    return settings


@pytest.fixture
def seed_settings(empty_settings: StoreSettings) -> StoreSettings:
    """A store of each engine holding the bundled dataset."""
    load([data_dir()], empty_settings)
    return empty_settings


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedded store with the bundled dataset, shared read-only by the tests that only read."""
    path = tmp_path_factory.mktemp("seed") / "seed.kgl"
    load([data_dir()], StoreSettings(db=path))
    return path


def store_args(settings: StoreSettings) -> list[str]:
    """The CLI options that name this store."""
    return ["--neo4j", settings.neo4j_uri] if settings.neo4j_uri else ["--db", str(settings.db)]


def run_cli(*args: str) -> Any:
    """Run the ruralgraph CLI in-process; returns typer's Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def cli_json(*args: str) -> list[dict[str, Any]]:
    """Run a CLI command with --format json and return its rows."""
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout)


def snapshot(store: Store) -> list[str]:
    """Every node and relationship with all properties, as sorted JSON lines (for equality checks)."""
    nodes = store.run("MATCH (n) RETURN n AS node")
    rels = store.run("MATCH (a)-[r]->(b) RETURN a.id AS start, r AS rel, b.id AS end")
    lines = [json.dumps(row["node"], ensure_ascii=False, sort_keys=True, default=str) for row in nodes]
    lines += [json.dumps(row, ensure_ascii=False, sort_keys=True, default=str) for row in rels]
    return sorted(lines)


def cli_process(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own (``kwargs`` go to ``subprocess.run``: env, preexec_fn, timeout)."""
    return subprocess.run(
        [sys.executable, "-m", "ruralgraph", *args],
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
        **kwargs,
    )


def python() -> str:
    """The interpreter running the tests."""
    return sys.executable
