"""Loading the bundled dataset: counts, idempotence, and the questions the issue asks, via the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import cli_json, run_cli, snapshot, store_args
from ruralgraph.loading.load import load
from ruralgraph.resources import data_dir
from ruralgraph.store import StoreSettings, open_store


def test_cli_answers_who_co_founded_the_fund_and_with_which_roles(seed_settings: StoreSettings) -> None:
    rows = cli_json(
        "cypher",
        "MATCH (o:Organization)-[r:CO_FOUNDED]->(f:Fund {name: $fund}) "
        "RETURN o.name AS organization, r.role AS role ORDER BY organization",
        "-p",
        "fund=特困帮扶基金",
        *store_args(seed_settings),
    )
    assert rows == [
        {"organization": "中国乡村发展基金会", "role": "资金管理"},
        {"organization": "中国证券业协会", "role": "资金筹措和监督"},
        {"organization": "隰县政府", "role": "相关工作的协调实施"},
    ]


def test_cli_finds_the_foundation_by_its_former_name(seed_settings: StoreSettings) -> None:
    rows = cli_json(
        "cypher",
        "MATCH (o:Organization) WHERE $name IN o.aliases RETURN o.name AS name",
        "-p",
        "name=中国扶贫基金会",
        *store_args(seed_settings),
    )
    assert rows == [{"name": "中国乡村发展基金会"}]


def test_loading_every_file_twice_changes_nothing(empty_settings: StoreSettings) -> None:
    load([data_dir()], empty_settings)
    with open_store(empty_settings) as store:
        first = snapshot(store)
    load([data_dir()], empty_settings)
    with open_store(empty_settings) as store:
        assert snapshot(store) == first
    assert len(first) > 400


def test_cli_load_prints_counts_and_exits_zero(empty_settings: StoreSettings) -> None:
    result = run_cli("load", str(data_dir()), *store_args(empty_settings), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    # 18 from the cases and 31 central units and zones; 国家乡村振兴局 is in both
    assert "node,Organization,48" in result.stdout
    assert "loaded 11 file(s)" in result.stderr


def test_stats_counts_every_label_of_the_seed(seed_settings: StoreSettings) -> None:
    rows = cli_json("stats", *store_args(seed_settings))
    nodes = {row["name"]: row["count"] for row in rows if row["kind"] == "node"}
    assert nodes["Organization"] == 48 and nodes["Fund"] == 1 and nodes["Case"] == 3
    assert {"Program", "Event", "Region", "Source", "Designation"} <= nodes.keys()


def test_unknown_stays_absent_never_empty_or_zero(seed_db: Path) -> None:
    with open_store(StoreSettings(db=seed_db)) as store:
        rows = store.run("MATCH ()-[r:OPERATES]->(f:Fund) RETURN r.amount_text AS text, r.amount_cny AS cny")
        assert rows == [{"text": "万元", "cny": None}]  # the reprint lost the number: no guess
        empty = store.run("MATCH (n) WHERE n.name_en = '' OR n.note = '' RETURN count(*) AS c")
        assert empty == [{"c": 0}]


def test_cypher_is_read_only_unless_write_is_given(seed_settings: StoreSettings) -> None:
    refused = run_cli(
        "cypher", "CREATE (:Organization {id: 'x', name: 'x', kind: 'other'})", *store_args(seed_settings)
    )
    assert refused.exit_code == 5
    assert "--write" in refused.stderr
    allowed = run_cli(
        "cypher",
        "MATCH (o:Organization {id: 'sac'}) SET o.name_en = $en RETURN o.name_en AS en",
        "-p",
        "en=SAC",
        "--write",
        *store_args(seed_settings),
        "--format",
        "json",
    )
    assert allowed.exit_code == 0, allowed.stderr
    assert '"SAC"' in allowed.stdout


def test_nodes_print_as_properties_plus_labels(seed_settings: StoreSettings) -> None:
    rows = cli_json("cypher", "MATCH (f:Fund) RETURN f", *store_args(seed_settings))
    assert rows[0]["f"]["labels"] == ["Fund"]
    assert rows[0]["f"]["name"] == "特困帮扶基金"
    assert "title" not in rows[0]["f"]


def test_store_location_comes_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RURALGRAPH_DB", str(tmp_path / "env.kgl"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    sources = data_dir() / "national" / "sources.csv"  # the key-county list's pages are described there
    result = run_cli("load", str(data_dir() / "cases"), str(data_dir() / "key-counties"), str(sources))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "env.kgl").exists()


def test_one_fact_from_two_sources_stays_two_relationships(empty_settings: StoreSettings, tmp_path: Path) -> None:
    text = (
        "source: s1\nsources: [{id: s1, title: 来源一}, {id: s2, title: 来源二}]\n"
        "organizations: [{id: a, name: 甲, kind: other}, {id: b, name: 乙, kind: other}]\n"
        "relationships:\n"
        "  - {from: a, type: PARTNERS_WITH, to: b, source: s1, evidence: 甲乙合作}\n"
        "  - {from: a, type: PARTNERS_WITH, to: b, source: s2, evidence: 甲与乙合作, role: 共建}\n"
    )
    (tmp_path / "two.yaml").write_text(text, encoding="utf-8")
    load([tmp_path / "two.yaml"], empty_settings)
    with open_store(empty_settings) as store:
        rows = store.run(
            "MATCH (:Organization {id: 'a'})-[r:PARTNERS_WITH]->(:Organization {id: 'b'}) "
            "RETURN r.source AS source, r.role AS role ORDER BY source"
        )
    assert rows == [{"source": "s1", "role": None}, {"source": "s2", "role": "共建"}]


def test_a_failure_during_the_bulk_write_leaves_the_file_as_it_was(seed_db: Path, tmp_path: Path, monkeypatch) -> None:
    import shutil

    from ruralgraph.store import kglite as kglite_store

    db = tmp_path / "graph.kgl"
    shutil.copy(seed_db, db)
    with open_store(StoreSettings(db=db)) as store:
        before = snapshot(store)

    real_frame = kglite_store._frame

    def fail_on_relationships(rows):
        if rows and "from" in rows[0]:
            raise RuntimeError("disk full")
        return real_frame(rows)

    monkeypatch.setattr(kglite_store, "_frame", fail_on_relationships)
    with pytest.raises(RuntimeError, match="disk full"):
        load([data_dir()], StoreSettings(db=db), replace=True)  # replace: the bulk path, after a delete
    with open_store(StoreSettings(db=db)) as store:
        assert snapshot(store) == before


REPLACE_FIRST = (
    "source: s1\nsources: [{id: s1, title: 来源一}, {id: s2, title: 来源二}]\n"
    "organizations: [{id: a, name: 甲, kind: other, note: 旧注}, {id: b, name: 乙, kind: other},\n"
    "                {id: c, name: 丙, kind: other}]\n"
    "relationships:\n"
    "  - {from: a, type: PARTNERS_WITH, to: b, source: s1, evidence: 甲乙合作}\n"
    "  - {from: a, type: PARTNERS_WITH, to: b, source: s2, evidence: 甲与乙合作}\n"
    "  - {from: b, type: PARTNERS_WITH, to: c, source: s1, evidence: 乙丙合作}\n"
)
REPLACE_SECOND = (
    "sources: [{id: s1, title: 来源一}]\n"
    "organizations: [{id: a, name: 甲, kind: other}, {id: b, name: 乙, kind: other}]\n"
    "programs: [{id: c, name: 丙计划}]\n"
    "relationships:\n"
    "  - {from: a, type: PARTNERS_WITH, to: b, source: s1, evidence: 甲乙合作, role: 共建}\n"
    "  - {from: b, type: LAUNCHED, to: c, source: s1, evidence: 乙发起丙计划}\n"
)


def test_replace_leaves_exactly_what_a_fresh_load_of_the_new_files_would(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    # Stale nodes (s2), a node whose label changed (c), a relationship from a dropped source, and
    # properties the new load no longer states (a's note) must all be gone after the replace.
    (tmp_path / "first.yaml").write_text(REPLACE_FIRST, encoding="utf-8")
    (tmp_path / "second.yaml").write_text(REPLACE_SECOND, encoding="utf-8")
    load([tmp_path / "first.yaml"], empty_settings)
    load([tmp_path / "second.yaml"], empty_settings, replace=True)
    with open_store(empty_settings) as store:
        replaced = snapshot(store)
    with open_store(empty_settings, writable=True) as store:
        store.clear()
    load([tmp_path / "second.yaml"], empty_settings)
    with open_store(empty_settings) as store:
        assert replaced == snapshot(store)
    assert not any("旧注" in line or "来源二" in line or '丙"' in line for line in replaced)


def test_replace_keeps_a_node_it_writes_even_if_a_hand_edit_gave_it_a_second_label(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    (tmp_path / "second.yaml").write_text(REPLACE_SECOND, encoding="utf-8")
    load([tmp_path / "second.yaml"], empty_settings)
    with open_store(empty_settings, writable=True) as store:
        store.run("MATCH (o:Organization {id: 'a'}) SET o:Fund", write=True)
    load([tmp_path / "second.yaml"], empty_settings, replace=True)
    with open_store(empty_settings) as store:
        rows = store.run("MATCH (o:Organization {id: 'a'})-[r:PARTNERS_WITH]->(b) RETURN o.name AS name, b.id AS b")
    assert rows == [{"name": "甲", "b": "b"}]
