"""Exports that other tools read right: names as labels, types as ordinary attributes, only scalar values.

No package on PyPI ships the GEXF schema (XSD), and networkx writes GEXF 1.2 (it has no 1.3 writer), so
the GEXF files are checked against the format's rules directly: every node's label is its name, an
edge's ``type`` is only directed/undirected/mutual, every attribute is declared with a GEXF type, and
every value parses as its declared type.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

import ruralgraph
from conftest import run_cli
from ruralgraph.store import StoreSettings, open_store
from ruralgraph.views.export import for_gephi

GEXF_TYPES = {"integer", "long", "float", "double", "boolean", "string", "date", "anyURI"}
GEXF_EDGE_TYPES = {"directed", "undirected", "mutual"}
GRAPHML_TYPES = {"boolean", "int", "long", "float", "double", "string"}


def export(seed_db: Path, tmp_path: Path, fmt: str, network: str) -> Path:
    target = tmp_path / f"{network}.{fmt}"
    result = run_cli("export", fmt, "--network", network, "-o", str(target), "--db", str(seed_db))
    assert result.exit_code == 0, result.stderr
    return target


def read(path: Path) -> nx.Graph:
    return nx.read_gexf(path) if path.suffix == ".gexf" else nx.read_graphml(path)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_the_full_export_labels_nodes_by_name_and_keeps_types_as_attributes(
    seed_db: Path, tmp_path: Path, fmt: str
) -> None:
    back = read(export(seed_db, tmp_path, fmt, "full"))
    with open_store(StoreSettings(db=seed_db)) as store:
        counts = store.counts()
    assert back.number_of_nodes() == sum(counts["nodes"].values())
    assert back.number_of_edges() == sum(counts["relationships"].values())
    crdf = back.nodes["crdf"]
    assert (
        crdf["label"] == "中国乡村发展基金会" and crdf["node_type"] == "Organization" and crdf["kind"] == "foundation"
    )
    assert all(data["label"] == data["name"] for _, data in back.nodes(data=True))
    relationships = {data["relationship"] for *_, data in back.edges(data=True)}
    assert {"CO_FOUNDED", "OPERATES_IN", "PART_OF"} <= relationships
    assert all(data.get("type", "directed") in GEXF_EDGE_TYPES for *_, data in back.edges(data=True))


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_lists_are_joined_with_semicolons(seed_db: Path, tmp_path: Path, fmt: str) -> None:
    back = read(export(seed_db, tmp_path, fmt, "full"))
    aliases = {node: data["aliases"] for node, data in back.nodes(data=True) if "aliases" in data}
    assert aliases and all(isinstance(value, str) for value in aliases.values())
    with ruralgraph.connect(db=seed_db) as g:
        (row,) = g.cypher("MATCH (o {id: 'crdf'}) RETURN o.aliases AS aliases")
    assert aliases["crdf"].split("; ") == row["aliases"]


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_the_collaboration_export_holds_organisations_with_weights(seed_db: Path, tmp_path: Path, fmt: str) -> None:
    back = read(export(seed_db, tmp_path, fmt, "collaboration"))
    with ruralgraph.connect(db=seed_db) as g:
        expected = g.collaboration()
    assert set(back.nodes) == set(expected.nodes) and back.number_of_edges() == expected.number_of_edges()
    assert back.nodes["sac"]["label"] == "中国证券业协会"
    edge = back.edges["crdf", "sac"]
    assert float(edge["weight"]) == expected.edges["crdf", "sac"]["weight"]
    assert "特困帮扶基金" in edge["shared"].split("; ")


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_the_org_regions_export_joins_organisations_to_regions(seed_db: Path, tmp_path: Path, fmt: str) -> None:
    back = read(export(seed_db, tmp_path, fmt, "org-regions"))
    assert back.nodes["cn-141031"]["label"] == "隰县" and back.nodes["cn-141031"]["kind"] == "region"
    assert back.has_edge("sac", "cn-141031")


def test_an_unknown_network_is_refused_with_the_choices(seed_db: Path, tmp_path: Path) -> None:
    result = run_cli("export", "gexf", "--network", "people", "-o", str(tmp_path / "x.gexf"), "--db", str(seed_db))
    assert result.exit_code == 2
    assert "full, collaboration, org-regions" in result.stderr and not (tmp_path / "x.gexf").exists()


@pytest.mark.parametrize("network", ["full", "collaboration", "org-regions"])
def test_gexf_follows_the_format_rules(seed_db: Path, tmp_path: Path, network: str) -> None:
    root = ET.parse(export(seed_db, tmp_path, "gexf", network)).getroot()
    ns = {"g": root.tag.split("}")[0].strip("{")}
    declared: dict[tuple[str, str], str] = {}
    for block in root.iterfind(".//g:attributes", ns):
        for attribute in block.iterfind("g:attribute", ns):
            assert attribute.get("type") in GEXF_TYPES, attribute.attrib
            declared[(block.get("class"), attribute.get("id"))] = attribute.get("type")
    assert ("node", "label") not in {(c, a) for (c, i), a in declared.items()}
    titles = {block.get("class"): {a.get("title") for a in block} for block in root.iterfind(".//g:attributes", ns)}
    assert "type" not in titles.get("edge", set()), "the relationship type must not use GEXF's reserved edge type"
    nodes = root.findall(".//g:node", ns)
    ids = [node.get("id") for node in nodes]
    assert len(ids) == len(set(ids))
    for node in nodes:
        assert node.get("label") and node.get("label") not in {"Organization", "Region", "Program", "Fund"}
    for element, kind in [(n, "node") for n in nodes] + [(e, "edge") for e in root.findall(".//g:edge", ns)]:
        if kind == "edge":
            assert element.get("source") in ids and element.get("target") in ids
            assert element.get("type", "directed") in GEXF_EDGE_TYPES
        for value in element.iterfind(".//g:attvalue", ns):
            declared_type = declared[(kind, value.get("for"))]
            text = value.get("value")
            if declared_type in ("integer", "long"):
                int(text)
            elif declared_type in ("float", "double"):
                float(text)
            elif declared_type == "boolean":
                assert text in ("true", "false")


def test_graphml_declares_only_graphml_types(seed_db: Path, tmp_path: Path) -> None:
    root = ET.parse(export(seed_db, tmp_path, "graphml", "full")).getroot()
    types = {key.get("attr.type") for key in root.iter() if key.tag.endswith("}key")}
    assert types <= GRAPHML_TYPES


def test_json_keeps_lists_as_lists(seed_db: Path, tmp_path: Path) -> None:
    data = json.loads(export(seed_db, tmp_path, "json", "full").read_text(encoding="utf-8"))
    crdf = next(node for node in data["nodes"] if node["id"] == "crdf")
    assert isinstance(crdf["aliases"], list) and crdf["node_type"] == "Organization"


def test_graphs_from_the_api_are_written_by_networkx_itself(seed_db: Path, tmp_path: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        graphs = {"full": g.to_networkx(), "collaboration": g.collaboration(), "org-regions": g.org_regions()}
    for name, graph in graphs.items():
        nx.write_gexf(graph, tmp_path / f"{name}.gexf")
        nx.write_graphml(graph, tmp_path / f"{name}.graphml")
        back = nx.read_gexf(tmp_path / f"{name}.gexf")
        assert back.number_of_nodes() == graph.number_of_nodes()
        assert all(data["label"] == graph.nodes[node]["name"] for node, data in back.nodes(data=True))


def test_for_gephi_makes_any_graph_writable() -> None:
    mine = nx.MultiDiGraph()
    mine.add_node("a", label="甲", members=["x", "y"], founded=None)
    mine.add_edge("a", "b", type="FUNDS", amount=1)
    mine.add_edge("a", "b", type="FUNDS", amount=2.5)
    with pytest.raises(nx.NetworkXError):
        nx.write_graphml(mine, Path("/dev/null"))
    flat = for_gephi(mine)
    nx.write_graphml(flat, Path("/dev/null"))
    assert flat.nodes["a"] == {"label": "甲", "members": "x; y"}
    assert {d["relationship"] for *_, d in flat.edges(data=True)} == {"FUNDS"}
    assert {type(d["amount"]) for *_, d in flat.edges(data=True)} == {float}
