"""The Neo4j store: same content as the embedded store, atomic loads, and clear connection errors."""

from __future__ import annotations

import pytest

from conftest import IN_CI, Neo4jServer, _free_port, neo4j_settings, run_cli, snapshot
from ruralgraph.errors import StoreError
from ruralgraph.loading.load import load
from ruralgraph.resources import data_dir
from ruralgraph.store import StoreSettings, open_store
from ruralgraph.store.chunks import GraphBatch
from ruralgraph.tools.synth import write_synthetic


def test_bundled_dataset_loads_identically_into_both_engines(neo4j_uri: str, tmp_path) -> None:
    embedded = StoreSettings(db=tmp_path / "graph.kgl")
    server = neo4j_settings(neo4j_uri)
    load([data_dir()], embedded)
    load([data_dir()], server, replace=True)
    with open_store(embedded) as left, open_store(server) as right:
        assert left.counts() == right.counts()
        left_rows, right_rows = snapshot(left), snapshot(right)
    missing = sorted(set(left_rows) ^ set(right_rows))
    assert not missing, "\n".join(missing[:20])


def test_a_load_that_fails_half_way_leaves_neo4j_as_it_was(neo4j_uri: str) -> None:
    settings = neo4j_settings(neo4j_uri)
    load([data_dir()], settings, replace=True)
    batch = GraphBatch()
    for index in range(4500):  # three batches of 2,000 rows: the first two succeed inside the transaction
        batch.add_node(
            "Organization", f"bulk-{index}", {"id": f"bulk-{index}", "name": f"机构{index}", "kind": "other"}
        )
    # Neo4j refuses a map as a property value: this last batch fails after the others were sent.
    batch.add_node("Program", "broken", {"id": "broken", "name": "坏", "nested": {"not": "allowed"}})
    with open_store(settings, writable=True) as store:
        before = snapshot(store)
        with pytest.raises(StoreError, match="nothing was written"):
            store.write(batch.chunks(2000))
        assert snapshot(store) == before


def test_unreachable_server_is_a_fast_clear_error_without_the_password() -> None:
    port = _free_port()
    result = run_cli("stats", "--neo4j", f"bolt://neo4j:s3cret-pw@127.0.0.1:{port}")
    assert result.exit_code == 4
    assert f"cannot reach Neo4j at bolt://127.0.0.1:{port}: is the server running?" in result.stderr
    assert "s3cret-pw" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_wrong_password_is_a_clear_error_that_never_shows_it(neo4j_auth_uri: str, monkeypatch) -> None:
    monkeypatch.setenv("NEO4J_USERNAME", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong-pa55word")
    result = run_cli("stats", "--neo4j", neo4j_auth_uri)
    assert result.exit_code == 4
    assert "refused the credentials of user 'neo4j'" in result.stderr
    assert "wrong-pa55word" not in result.stderr + result.stdout


def test_help_never_shows_a_password(monkeypatch) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "hidden-pa55")
    for command in ("load", "cypher", "stats"):
        result = run_cli(command, "--help")
        assert "hidden-pa55" not in result.stdout


def test_store_errors_name_the_uri_without_credentials() -> None:
    settings = StoreSettings.resolve(neo4j=f"neo4j://admin:topsecret@127.0.0.1:{_free_port()}")
    assert settings.neo4j_user == "admin" and "topsecret" not in settings.describe() + repr(settings)
    with pytest.raises(StoreError) as caught:
        open_store(settings)
    assert "topsecret" not in str(caught.value)


def test_a_load_too_big_for_the_servers_transaction_memory_says_what_to_do(neo4j_uri: str, tmp_path) -> None:
    # A server whose transactions may use 10 MiB in all (Neo4j's minimum): 10k relationships in one
    # transaction need more.
    server = Neo4jServer(tx_memory="10m")
    try:
        server.start()
    except Exception as error:
        if IN_CI:
            raise
        pytest.skip(f"a second Neo4j test server did not start: {error}")
    try:
        synthetic = write_synthetic("S", tmp_path).path
        result = run_cli("load", str(synthetic), "--neo4j", server.uri)
        assert result.exit_code == 4, result.stderr
        assert "nothing was written" in result.stderr
        assert "dbms.memory.transaction.total.max" in result.stderr
        assert "ruralgraph export neo4j-csv" in result.stderr
        assert "Traceback" not in result.stderr
        with open_store(StoreSettings(neo4j_uri=server.uri)) as store:
            assert store.counts() == {"nodes": {}, "relationships": {}}
    finally:
        server.stop()
