"""Collaboration networks, brokers, partnership maps in a real browser, and exports that load back."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx
import pytest

import ruralgraph
from browser import render, screenshot
from conftest import cli_json, neo4j_settings, run_cli, store_args
from ruralgraph.store import StoreSettings, open_store
from ruralgraph.views.maps import build_map
from ruralgraph.views.network import communities

REMOTE = re.compile(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)\s*=\s*\"https?://", re.IGNORECASE)


def test_brokers_rank_the_foundation_first(seed_settings: StoreSettings) -> None:
    rows = cli_json("network", "brokers", "--top", "3", *store_args(seed_settings))
    assert [row["name"] for row in rows][:2] == ["中国乡村发展基金会", "中国证券业协会"]
    assert rows[0]["betweenness"] > rows[1]["betweenness"] > 0


def test_network_stats_describe_the_collaboration_network(seed_db: Path) -> None:
    rows = cli_json("network", "stats", "--db", str(seed_db))
    stats = {row["measure"]: row["value"] for row in rows}
    with open_store(StoreSettings(db=seed_db)) as store:
        counts = store.counts()["nodes"]
    assert stats["organizations"] == counts["Organization"] > 30 and stats["nodes"] == sum(counts.values())
    assert stats["largest_component"] >= 9


def test_collaboration_edges_say_what_is_shared(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        network = g.collaboration()
    shared = network.edges["crdf", "sac"]["shared"].split("; ")
    assert {"特困帮扶基金", "“善行者”公益徒步活动"} <= set(shared)
    assert network.edges["crdf", "sac"]["weight"] == len(shared)


def test_the_org_region_network_joins_organisations_to_the_regions_they_reach(seed_settings: StoreSettings) -> None:
    with ruralgraph.Graph(seed_settings) as g:
        network = g.org_regions()
    assert set(network["sac"]) == {"cn-141031"}  # through the 特困帮扶基金
    assert {"cn-150000", "cn-450000", "cn-500000", "cn-520622"} <= set(network["tencent-foundation"])
    assert network.nodes["cn-520622"]["kind"] == "region"


def test_the_ego_network_of_an_organisation(seed_settings: StoreSettings) -> None:
    rows = cli_json("network", "ego", "中国证券业协会", *store_args(seed_settings))
    pairs = {frozenset((r["a"], r["b"])) for r in rows}
    assert frozenset(("crdf", "sac")) in pairs and frozenset(("sac", "securities-firms-63")) in pairs
    with ruralgraph.Graph(seed_settings) as g:
        assert set(g.ego("sac", radius=2)) > set(g.ego("sac", radius=1))


def test_communities_are_the_same_every_time_and_on_every_engine(seed_settings: StoreSettings, seed_db: Path) -> None:
    with ruralgraph.Graph(seed_settings) as g:
        first = communities(g.collaboration())
    with ruralgraph.Graph(StoreSettings(db=seed_db)) as g:
        second = communities(g.collaboration())
    assert first == second
    assert first["crdf"] == first["tencent-foundation"]


@pytest.mark.browser
def test_demo_map_opens_offline_in_chromium_with_the_whole_network(tmp_path: Path) -> None:
    page = tmp_path / "demo.html"
    result = run_cli("demo", "--db", str(tmp_path / "demo.kgl"), "--output", str(page), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    assert not REMOTE.search(text), "the map links something on the network"
    assert "中国乡村发展基金会" in text and "特困帮扶基金" in text
    for organization in (
        "国家乡村振兴局",
        "腾讯公益慈善基金会",
        "中国证券业协会",
        "隰县政府",
        "63家证券公司",
        "善品公社合作社",
        "玉屏县融媒体中心",
        "公益时报",
        "中国石油化工集团有限公司",  # a central unit (定点帮扶)
        "北京市",  # a place that assists (东西部协作)
    ):
        assert organization in text
    shown = int(re.search(r"wrote the partnership map .* \((\d+) nodes\)", result.stderr).group(1))
    drawn = render(page)
    with ruralgraph.connect(db=tmp_path / "demo.kgl") as g:
        expected = g.map()  # the demo's map is the default map of the store it loaded
    assert int(drawn["drawn-nodes"]) == shown == expected.nodes > 250
    assert int(drawn["drawn-edges"]) == expected.edges
    assert int(drawn["inked-pixels"]) > 1000, "the canvas is blank"
    assert drawn["resources"] == [] and drawn["errors"] == []
    assert drawn["physics"] == "off"


@pytest.mark.browser
def test_ego_map_shows_partners_with_evidence_tooltips(seed_settings: StoreSettings, tmp_path: Path) -> None:
    page = tmp_path / "ego.html"
    result = run_cli("map", "--focus", "中国乡村发展基金会", "--hops", "2", "-o", str(page), *store_args(seed_settings))
    assert result.exit_code == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    for partner in ("腾讯公益慈善基金会", "中国证券业协会", "隰县政府"):
        assert partner in text
    assert "evidence: “基金会负责资金管理”" in text  # the tooltip quotes its span
    assert "source: 《公益时报》" in text
    shown = int(re.search(r": (\d+) nodes", result.stderr).group(1))
    drawn = render(page)
    assert int(drawn["drawn-nodes"]) == shown > 15 and drawn["errors"] == []


def test_maps_filter_by_kind_type_and_region(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        funds_only = g.map(types=["CO_FOUNDED"])
        foundations = g.map(focus="crdf", hops=1, kinds=["foundation"])
        xixian = g.map(region="隰县")
    assert funds_only.nodes == 4 and funds_only.edges == 3
    assert "中国证券业协会帮扶案例" not in foundations.html and "腾讯公益慈善基金会" in foundations.html
    assert "特困帮扶基金" in xixian.html and "活水计划爱心捐赠者" not in xixian.html


def test_all_regions_brings_back_the_listed_counties(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        # no size cap: this is about what the selection holds, not how a large map is trimmed
        reached, everything = g.map(), g.map(all_regions=True, max_nodes=100_000)
    with open_store(StoreSettings(db=seed_db)) as store:
        counts = store.counts()
        lone = store.run("MATCH (s:Source) WHERE NOT (s)--() RETURN count(s) AS n")[0]["n"]
    # sources are joined by the relationships' `source` property, not by edges: those that no edge
    # reaches (every source but the few a PUBLISHED, REFERS_TO or REPRINTS edge touches) are left out
    assert lone > 0
    assert (everything.nodes, everything.edges) == (
        sum(counts["nodes"].values()) - lone,
        sum(counts["relationships"].values()),
    )
    assert "巴林左旗" in everything.html and "巴林左旗" not in reached.html
    assert "隰县" in reached.html and "舒兰市" in reached.html


@pytest.mark.browser
def test_a_large_graph_is_cut_down_and_says_so(tmp_path: Path) -> None:
    big = nx.MultiDiGraph()
    for index in range(1500):
        big.add_node(f"o{index}", node_type="Organization", name=f"机构{index}", kind="other", id=f"o{index}")
    for index in range(1, 1500):
        big.add_edge(f"o{index}", f"o{index // 7}", relationship="PARTNERS_WITH", evidence="合作", source="s")
    result = build_map(big, title="big", max_nodes=300)
    assert (result.nodes, result.total_nodes) == (300, 1500)
    assert "Showing the 300 most connected of 1500 nodes" in result.html
    drawn = render(result.write(tmp_path / "big.html"))
    assert int(drawn["drawn-nodes"]) == 300 and drawn["physics"] == "off"


def test_maps_show_inline_in_a_notebook(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        frame = g.map(focus="sac", hops=1)._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "中国证券业协会" in frame


@pytest.mark.browser
def test_screenshot_of_the_demo_map(seed_db: Path, tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    assert run_cli("map", "-o", str(page), "--db", str(seed_db)).exit_code == 0
    assert screenshot(page, tmp_path / "map.png").stat().st_size > 10_000


def test_neo4j_admin_csvs_load_into_the_real_neo4j(seed_db: Path, neo4j_server, neo4j_uri: str) -> None:
    if neo4j_server is None:
        pytest.skip("LOAD CSV needs the built-in test server's import folder")
    folder = neo4j_server.home / "import"
    assert run_cli("export", "neo4j-csv", "-o", str(folder), "--db", str(seed_db)).exit_code == 0
    settings = neo4j_settings(neo4j_uri)
    with open_store(settings, writable=True) as store:
        store.clear()
        for path in sorted(folder.glob("nodes_*.csv")) + sorted(folder.glob("rels_*.csv")):
            store.run(load_csv_statement(path), write=True)
        counts = store.counts()
    with open_store(StoreSettings(db=seed_db)) as store:
        assert counts == store.counts()


def load_csv_statement(path: Path) -> str:
    """LOAD CSV for one neo4j-admin file, reading its typed header (test code: names from our own export)."""
    with path.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    casts = {
        "long": "toInteger({})",
        "double": "toFloat({})",
        "boolean": "toBoolean({})",
        "string[]": "split({}, ';')",
        "string": "{}",
        "date": "date({})",
    }
    sets = []
    for column in header:
        name, _, kind = column.partition(":")
        if name and kind in casts:
            sets.append(f"x.{name} = {casts[kind].format(f'row.`{column}`')}")
    if path.name.startswith("nodes_"):
        label = path.stem.removeprefix("nodes_")
        with path.open(encoding="utf-8") as handle:  # the :LABEL column, as neo4j-admin reads it
            labels = {row[":LABEL"] for row in csv.DictReader(handle)}
        assert labels == {f"{label};Entity"}
        head = f"CREATE (x:`{label}`:Entity) SET x.id = row.`id:ID`"
    else:
        rel_type = path.stem.removeprefix("rels_")
        head = f"MATCH (a {{id: row.`:START_ID`}}) MATCH (b {{id: row.`:END_ID`}}) CREATE (a)-[x:`{rel_type}`]->(b)"
    return f"LOAD CSV WITH HEADERS FROM 'file:///{path.name}' AS row {head}" + (
        f" SET {', '.join(sets)}" if sets else ""
    )
