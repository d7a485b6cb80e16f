"""Analysis choices in the open: what collaboration weights count, who is a broker, what reach counts,
and network statistics that say how they were computed."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

import ruralgraph
from conftest import cli_json, store_args
from ruralgraph.loading.load import load
from ruralgraph.resources import data_dir
from ruralgraph.store import StoreSettings

# An organisation from the east assisting a designated key county (三江, Guangxi) and a county inside
# a prefecture, directly: no program, fund or event in between.
ASSISTS_CASE = """
sources:
  - id: pairing-test
    title: 东西部协作结对帮扶（测试）
organizations:
  - id: east-enterprise
    name: 东部测试企业
    kind: enterprise
relationships:
  - from: east-enterprise
    type: ASSISTS
    to: region:450226
    source: pairing-test
    evidence: 东部测试企业结对帮扶三江侗族自治县
"""


def test_collaboration_weights_leave_case_write_ups_out(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        plain = g.collaboration().edges["crdf", "tencent-foundation"]
        with_cases = g.collaboration(include_cases=True).edges["crdf", "tencent-foundation"]
    assert "（典型案例）" not in plain["shared"]
    assert "（典型案例）" in with_cases["shared"]
    assert with_cases["weight"] == plain["weight"] + 1


def test_include_cases_reaches_the_cli(seed_db: Path) -> None:
    plain = cli_json("network", "ego", "crdf", "--db", str(seed_db))
    cases = cli_json("network", "ego", "crdf", "--include-cases", "--db", str(seed_db))
    weight = {frozenset((r["a"], r["b"])): r["weight"] for r in plain}
    weight_with_cases = {frozenset((r["a"], r["b"])): r["weight"] for r in cases}
    pair = frozenset(("crdf", "tencent-foundation"))
    assert weight_with_cases[pair] == weight[pair] + 1


def test_brokers_are_only_organisations_with_betweenness_above_zero(seed_settings: StoreSettings) -> None:
    rows = cli_json("network", "brokers", "--top", "10", *store_args(seed_settings))
    assert rows, "the bundled data has brokers"
    assert all(row["betweenness"] > 0 for row in rows)
    with ruralgraph.Graph(seed_settings) as g:
        betweenness = nx.betweenness_centrality(g.collaboration())
    assert {row["id"] for row in rows} == {org for org, value in betweenness.items() if value > 0}


def test_network_stats_say_how_each_measure_was_computed(seed_db: Path) -> None:
    rows = {row["measure"]: row for row in cli_json("network", "stats", "--db", str(seed_db))}
    assert {"components", "density", "communities"} <= set(rows)
    method = rows["communities"]["method"]
    assert "Louvain" in method and "seed 42" in method and "resolution 1.0" in method
    assert f"networkx {nx.__version__}" in method
    assert "FEATURES" in rows["collaborations"]["method"] and "excluded" in rows["collaborations"]["method"]
    assert rows["components"]["value"] == nx.number_connected_components(ruralgraph.connect(db=seed_db).collaboration())


def _with_assists(settings: StoreSettings, tmp_path: Path) -> StoreSettings:
    (tmp_path / "assists.yaml").write_text(ASSISTS_CASE, encoding="utf-8")
    load([data_dir(), tmp_path / "assists.yaml"], settings)
    return settings


def test_reach_counts_direct_assistance(empty_settings: StoreSettings, tmp_path: Path) -> None:
    settings = _with_assists(empty_settings, tmp_path)
    with ruralgraph.Graph(settings) as g:
        rows = g.reach("东部测试企业").to_dicts()
    assert [(r["region"], r["prefecture"], r["province"]) for r in rows] == [
        ("三江侗族自治县", "柳州市", "广西壮族自治区")
    ]
    assert rows[0]["through"] == [{"id": "east-enterprise", "name": "东部测试企业", "how": "ASSISTS"}]
    assert rows[0]["evidence"][0]["evidence"] == "东部测试企业结对帮扶三江侗族自治县"


def test_key_county_reach_counts_direct_assistance(empty_settings: StoreSettings, tmp_path: Path) -> None:
    settings = _with_assists(empty_settings, tmp_path)
    with ruralgraph.Graph(settings) as g:
        rows = g.query("key-county-reach").to_dicts()
    direct = [r for r in rows if r["basis"] == "assists_county" and "东部测试企业" in r["organizations"]]
    assert [(r["county"], r["activity"], r["organizations"]) for r in direct] == [
        ("三江侗族自治县", None, ["东部测试企业"])
    ]
    assert any(r["county"] == "三江侗族自治县" and r["basis"] != "assists_county" for r in rows)
