"""NetworkX views of the graph, and the measures researchers cite.

- ``property_graph``: every node and relationship, as a MultiDiGraph (from either store).
- ``collaboration_network``: organisations, joined where they share a program, fund or event
  (weighted by how many, with what they share) or are linked directly; case write-ups (FEATURES)
  count only when asked (``include_cases=True``): a write-up about two organisations is not work
  they did together.
- ``org_region_network``: organisations and the regions they reach through their activities.

Attribute names, the same in every graph here and in the GraphML and GEXF exports:

- node ``label``: the display name (Gephi and yEd show it); ``node_type``: the graph label
  (Organization, Program, Region …); ``kind``: an organisation's kind (foundation …).
- edge ``relationship``: the relationship type (CO_FOUNDED …). Never ``type``: GEXF reserves it
  for directed/undirected/mutual.
- ``scalar_graph`` makes every value one that GraphML and GEXF hold (text, integer, float,
  boolean): lists are joined with "; ", dates written as ISO text, empty values dropped. The
  graphs the API hands out are scalar, so ``nx.write_gexf`` and ``nx.write_graphml`` take them.

Results are reproducible: nodes are added in sorted order, Louvain runs with a fixed seed, and
communities are numbered by size then by their smallest id.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any, TypeVar

import networkx as nx

from ruralgraph.model import ACTIVITY_LABELS, TIMELESS_TYPES
from ruralgraph.periods import TimeWindow

Row = dict[str, Any]
G = TypeVar("G", bound=nx.Graph)

SEED = 42
RESOLUTION = 1.0
LIST_SEPARATOR = "; "
NODE_TYPE = "node_type"
RELATIONSHIP = "relationship"


NODES_QUERY = "MATCH (n:Entity) RETURN n AS node"
RELATIONSHIPS_QUERY = "MATCH (a:Entity)-[r]->(b) RETURN a.id AS start, r AS rel, b.id AS end"


def property_graph(nodes: Iterable[Row], relationships: Iterable[Row]) -> nx.MultiDiGraph:
    """Every node (keyed by id: ``label`` its name, ``node_type`` its graph label) and relationship.

    Relationships are keyed by type|source and carry their type as ``relationship``. ``nodes`` and
    ``relationships`` are the rows of ``NODES_QUERY`` and ``RELATIONSHIPS_QUERY``; list values
    (aliases) stay lists here (``scalar_graph`` joins them).

    >>> g = property_graph(
    ...     [{"node": {"labels": ["Organization"], "id": "a", "name": "甲"}},
    ...      {"node": {"labels": ["Program"], "id": "p", "name": "乙计划"}}],
    ...     [{"start": "a", "rel": {"type": "LAUNCHED", "source": "s"}, "end": "p"}])
    >>> list(g.edges(keys=True, data="relationship"))
    [('a', 'p', 'LAUNCHED|s', 'LAUNCHED')]
    >>> g.nodes["a"]["label"], g.nodes["a"]["node_type"]
    ('甲', 'Organization')
    """
    graph = nx.MultiDiGraph()
    for row in sorted(nodes, key=lambda r: r["node"]["id"]):
        props = dict(row["node"])
        node_type = props.pop("labels")[0]
        graph.add_node(props["id"], **{NODE_TYPE: node_type, "label": props.get("name", props["id"])}, **props)
    ordered = sorted(relationships, key=lambda r: (r["start"], r["rel"]["type"], r["end"], r["rel"].get("source", "")))
    for row in ordered:
        props = dict(row["rel"])
        rel_type = props.pop("type")
        graph.add_edge(
            row["start"], row["end"], key=f"{rel_type}|{props.get('source', '')}", **{RELATIONSHIP: rel_type}, **props
        )
    return graph


def scalar_value(value: Any) -> str | int | float | bool | None:
    """A value GraphML and GEXF can hold: lists joined with "; ", dates as ISO text, mappings as JSON.

    >>> scalar_value(["甲会", "甲"]), scalar_value(dt.date(2021, 8, 27)), scalar_value({"a": 1})
    ('甲会; 甲', '2021-08-27', '{"a": 1}')
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return LIST_SEPARATOR.join(
            str(v) for v in (sorted(value, key=str) if isinstance(value, set | frozenset) else value)
        )
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def scalar_graph(graph: G) -> G:
    """A copy of any NetworkX graph whose attributes GraphML and GEXF both hold.

    Every value becomes text, an integer, a float or a boolean (``scalar_value``); empty values are
    dropped; an attribute holding integers on some items and floats on others becomes float
    everywhere, and one mixing numbers and text becomes text, so each has one declared type.

    >>> g = nx.Graph(); g.add_node("a", aliases=["x", "y"], n=1); g.add_node("b", n=1.5, note=None)
    >>> dict(scalar_graph(g).nodes(data=True))
    {'a': {'aliases': 'x; y', 'n': 1.0}, 'b': {'n': 1.5}}
    """
    flat: G = graph.__class__()
    flat.graph.update({k: scalar_value(v) for k, v in graph.graph.items() if v is not None})
    nodes = [(n, _scalars(d)) for n, d in graph.nodes(data=True)]
    if graph.is_multigraph():
        edges = [(s, e, k, _scalars(d)) for s, e, k, d in graph.edges(keys=True, data=True)]
    else:
        edges = [(s, e, None, _scalars(d)) for s, e, d in graph.edges(data=True)]
    node_casts, edge_casts = _casts(d for _, d in nodes), _casts(d for *_, d in edges)
    for node, data in nodes:
        flat.add_node(node, **_cast(data, node_casts))
    for start, end, key, data in edges:
        if key is None:
            flat.add_edge(start, end, **_cast(data, edge_casts))
        else:
            flat.add_edge(start, end, key=key, **_cast(data, edge_casts))
    return flat


def _scalars(data: dict[str, Any]) -> dict[str, Any]:
    return {k: scalar_value(v) for k, v in data.items() if v is not None and v != []}


def _casts(items: Iterable[dict[str, Any]]) -> dict[str, type]:
    """Per attribute: the one type its values must share (float for int+float, str for anything else mixed)."""
    seen: dict[str, set[type]] = defaultdict(set)
    for data in items:
        for key, value in data.items():
            seen[key].add(type(value))
    casts: dict[str, type] = {}
    for key, kinds in seen.items():
        if len(kinds) > 1:
            casts[key] = float if kinds <= {int, float} else str
    return casts


def _cast(data: dict[str, Any], casts: dict[str, type]) -> dict[str, Any]:
    return {k: casts[k](v) if k in casts else v for k, v in data.items()}


def organizations(graph: nx.MultiDiGraph) -> list[str]:
    """The ids of Organization nodes, sorted."""
    return sorted(node for node, data in graph.nodes(data=True) if data[NODE_TYPE] == "Organization")


def collaboration_network(graph: nx.MultiDiGraph, *, include_cases: bool = False) -> nx.Graph:
    """Organisations joined by what they share (weight = number of shared things + direct links).

    Shared things are programs, funds and events that both have a relationship with, and direct
    organisation-to-organisation relationships; with ``include_cases`` also case write-ups that
    feature both. ``shared`` names them, joined with "; ".

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", node_type="Organization", name="甲")
    >>> g.add_node("b", node_type="Organization", name="乙")
    >>> g.add_node("f", node_type="Fund", name="基金")
    >>> _ = g.add_edge("a", "f", relationship="CO_FOUNDED"), g.add_edge("b", "f", relationship="CO_FOUNDED")
    >>> collaboration_network(g).edges["a", "b"]
    {'shared': '基金', 'weight': 1}
    """
    collaboration = nx.Graph()
    for org in organizations(graph):
        data = graph.nodes[org]
        collaboration.add_node(org, label=data["name"], name=data["name"], kind=data.get("kind"))
    members: dict[str, set[str]] = defaultdict(set)
    for start, end, data in graph.edges(data=True):
        start_type, end_type = graph.nodes[start][NODE_TYPE], graph.nodes[end][NODE_TYPE]
        if start_type == "Organization" and end_type in ACTIVITY_LABELS:
            members[end].add(start)
        elif include_cases and start_type == "Case" and end_type == "Organization" and data[RELATIONSHIP] == "FEATURES":
            members[start].add(end)
        elif start_type == "Organization" and end_type == "Organization" and start != end:
            _join(collaboration, start, end, f"{data[RELATIONSHIP]} (direct)")
    for shared in sorted(members):
        for left, right in combinations(sorted(members[shared]), 2):
            _join(collaboration, left, right, graph.nodes[shared]["name"])
    for _, _, data in collaboration.edges(data=True):
        data["shared"] = LIST_SEPARATOR.join(data["shared"])
    return scalar_graph(collaboration)


def _join(graph: nx.Graph, left: str, right: str, what: str) -> None:
    if graph.has_edge(left, right):
        shared = graph.edges[left, right]["shared"]
        if what not in shared:
            shared.append(what)
            graph.edges[left, right]["weight"] = len(shared)
    else:
        graph.add_edge(left, right, shared=[what], weight=1)


def org_region_network(graph: nx.MultiDiGraph) -> nx.Graph:
    """Organisations and the regions their programs, funds and events (or their parts) operate in."""
    bipartite = nx.Graph()
    part_of = nx.DiGraph(
        (s, e)
        for s, e, d in graph.edges(data=True)
        if d[RELATIONSHIP] == "PART_OF" and graph.nodes[s][NODE_TYPE] in ACTIVITY_LABELS
    )
    for start, end, data in graph.edges(data=True):
        if data[RELATIONSHIP] != "OPERATES_IN":
            continue
        activities = {start} | (nx.descendants(part_of, start) if start in part_of else set())
        for activity in sorted(activities):
            for org, _, _ in graph.in_edges(activity, data=True):
                if graph.nodes[org][NODE_TYPE] == "Organization":
                    org_name, region_name = graph.nodes[org]["name"], graph.nodes[end]["name"]
                    bipartite.add_node(org, kind="organization", label=org_name, name=org_name)
                    bipartite.add_node(end, kind="region", label=region_name, name=region_name)
                    bipartite.add_edge(org, end)
    return bipartite


def communities(graph: nx.Graph) -> dict[str, int]:
    """Louvain communities with a fixed seed, numbered by size (largest first), then smallest id."""
    if graph.number_of_edges() == 0:
        return {node: index for index, node in enumerate(sorted(graph.nodes))}
    found = nx.community.louvain_communities(graph, weight="weight", resolution=RESOLUTION, seed=SEED)
    ordered = sorted((sorted(group) for group in found), key=lambda group: (-len(group), group[0]))
    return {node: index for index, group in enumerate(ordered) for node in group}


def measures(graph: nx.Graph) -> list[dict[str, Any]]:
    """Per node: degree, weighted degree, betweenness (normalised), community and component."""
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    community = communities(graph)
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    component = {node: index for index, group in enumerate(components) for node in group}
    rows = []
    for node in sorted(graph.nodes):
        rows.append(
            {
                "id": node,
                "name": graph.nodes[node].get("name"),
                "kind": graph.nodes[node].get("kind"),
                "degree": graph.degree(node),
                "weighted_degree": graph.degree(node, weight="weight"),
                "betweenness": round(betweenness[node], 6),
                "community": community[node],
                "component": component[node],
            }
        )
    return rows


def brokers(collaboration: nx.Graph, top: int = 10) -> list[dict[str, Any]]:
    """Organisations that connect otherwise separate groups: betweenness above 0, highest first.

    An organisation on no shortest path between two others (betweenness 0) brokers nothing and is
    never listed, so fewer than ``top`` rows may come back.

    >>> path = nx.Graph([("a", "b"), ("b", "c")])
    >>> [row["id"] for row in brokers(path)]
    ['b']
    """
    rows = [row for row in measures(collaboration) if row["betweenness"] > 0]
    ranked = sorted(rows, key=lambda r: (-r["betweenness"], -r["weighted_degree"], r["id"]))
    return [{"rank": index + 1, **row} for index, row in enumerate(ranked[:top])]


def weights_meaning(include_cases: bool) -> str:
    """What a collaboration edge's weight counts, in words for a methods section."""
    cases = "case write-ups featuring both, " if include_cases else ""
    return (
        f"number of programs, funds and events both organisations have a relationship with, {cases}"
        "plus direct organisation-to-organisation relationship types"
        + ("" if include_cases else " (case write-ups (FEATURES) excluded)")
    )


def network_stats(full: nx.MultiDiGraph, *, include_cases: bool = False) -> list[dict[str, Any]]:
    """Size, density, components and communities of the collaboration network, with how each was computed.

    One row per measure: ``measure``, ``value`` and ``method`` (the algorithm, its parameters and
    seed, in words a methods section can cite).

    >>> rows = network_stats(nx.MultiDiGraph())
    >>> {r["measure"]: r["value"] for r in rows}["organizations"]
    0
    """
    collaboration = collaboration_network(full, include_cases=include_cases)
    components = list(nx.connected_components(collaboration))
    found = len(set(communities(collaboration).values()))
    version = nx.__version__
    edge = f"an edge joins two organisations that share work; weight = {weights_meaning(include_cases)}"
    rows: list[tuple[str, Any, str]] = [
        ("nodes", full.number_of_nodes(), "all nodes of the property graph"),
        ("relationships", full.number_of_edges(), "all relationships of the property graph"),
        ("organizations", collaboration.number_of_nodes(), "nodes of the collaboration network (Organization nodes)"),
        ("collaborations", collaboration.number_of_edges(), f"edges of the collaboration network: {edge}"),
        ("density", round(nx.density(collaboration), 6), f"networkx {version} density: 2m / (n(n-1)), undirected"),
        ("components", len(components), f"networkx {version} connected_components (undirected)"),
        ("largest_component", max((len(c) for c in components), default=0), "organisations in the largest component"),
        ("isolated_organizations", sum(1 for c in components if len(c) == 1), "organisations with no collaboration"),
        (
            "communities",
            found,
            f"Louvain (networkx {version} louvain_communities, resolution {RESOLUTION}, seed {SEED}, "
            "weight = the collaboration weight); isolated organisations count as one community each",
        ),
        (
            "betweenness",
            "per organisation (network brokers)",
            f"networkx {version} betweenness_centrality, normalised, unweighted shortest paths; "
            "brokers are organisations with betweenness > 0",
        ),
    ]
    return [{"measure": measure, "value": value, "method": method} for measure, value, method in rows]


def ego_network(graph: nx.Graph, center: str, radius: int = 1) -> nx.Graph:
    """The part of a network within ``radius`` of ``center``.

    >>> sorted(ego_network(nx.path_graph(5), 0, radius=2))
    [0, 1, 2]
    """
    return nx.ego_graph(graph, center, radius=radius)


# How the pairing measure is computed, stated in every answer (researchers cite the method): the
# undirected graph of provinces, two provinces joined when a place in one assists a place in the
# other (Region→Region ASSISTS, each end rolled up to its province through PART_OF; pairings inside
# one province left out), and NetworkX's normalised, unweighted shortest-path betweenness on it.
PAIRING_METHOD = "betweenness centrality (NetworkX, normalised, unweighted) on the province pairing graph"


def province_of(graph: nx.MultiDiGraph, region: str) -> str | None:
    """The province a region belongs to (itself for a province), following PART_OF; None if unknown.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", node_type="Region", level="province"); g.add_node("c", node_type="Region", level="county")
    >>> _ = g.add_edge("c", "p", relationship="PART_OF")
    >>> province_of(g, "c")
    'p'
    """
    seen: set[str] = set()
    current: str | None = region
    while current is not None and current not in seen:
        if graph.nodes[current].get("level") == "province":
            return current
        seen.add(current)
        current = next((end for _, end, d in graph.out_edges(current, data=True) if d[RELATIONSHIP] == "PART_OF"), None)
    return None


def pairing_network(graph: nx.MultiDiGraph, scheme: str | None = None) -> nx.Graph:
    """Provinces joined by paired assistance between their places (see ``PAIRING_METHOD``).

    Each node has ``name``, ``assists`` and ``assisted`` (how many pairings it gives and receives);
    each edge has ``weight`` (distinct place pairings), ``pairings`` (assisting → assisted names) and
    ``sources``. ``scheme`` keeps only pairings whose scheme contains that text (e.g. ``2021``).

    >>> g = nx.MultiDiGraph()
    >>> for n, name in [("b", "北京市"), ("n", "内蒙古自治区"), ("h", "河北省")]:
    ...     g.add_node(n, node_type="Region", level="province", name=name)
    >>> _ = g.add_edge("b", "n", relationship="ASSISTS", source="s1", scheme="东西部协作")
    >>> _ = g.add_edge("b", "h", relationship="ASSISTS", source="s1", scheme="东西部协作")
    >>> sorted(pairing_network(g).edges)
    [('b', 'h'), ('b', 'n')]
    """
    network = nx.Graph()
    for start, end, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("source", ""))):
        if (
            data[RELATIONSHIP] != "ASSISTS"
            or graph.nodes[start][NODE_TYPE] != "Region"
            or graph.nodes[end][NODE_TYPE] != "Region"
        ):
            continue
        if scheme is not None and scheme not in (data.get("scheme") or ""):
            continue
        east, west = province_of(graph, start), province_of(graph, end)
        if east is None or west is None or east == west:
            continue
        for province in (east, west):
            if province not in network:
                network.add_node(province, name=graph.nodes[province]["name"], assists=set(), assisted=set())
        network.nodes[east]["assists"].add((start, end))
        network.nodes[west]["assisted"].add((start, end))
        if not network.has_edge(east, west):
            network.add_edge(east, west, pairs=set(), sources=set())
        edge = network.edges[east, west]
        edge["pairs"].add(f"{graph.nodes[start]['name']}→{graph.nodes[end]['name']}")
        edge["sources"].add(data.get("source", ""))
    for _, _, edge in network.edges(data=True):
        edge["pairings"] = sorted(edge.pop("pairs"))
        edge["sources"] = sorted(edge["sources"])
        edge["weight"] = len(edge["pairings"])
    for _, node in network.nodes(data=True):
        node["assists"], node["assisted"] = len(node["assists"]), len(node["assisted"])
    return network


def pairing_bridges(network: nx.Graph, top: int | None = None) -> list[dict[str, Any]]:
    """Provinces ranked by how much they bridge the pairing network, with the method and its coverage.

    ``side`` is assisting, assisted or both; ``partners`` the provinces it is paired with.

    >>> net = nx.Graph([("east", "w1"), ("east", "w2")])
    >>> for n in net: net.nodes[n].update(name=n, assists=int(n == "east") * 2, assisted=int(n != "east"))
    >>> [(r["name"], r["betweenness"]) for r in pairing_bridges(net)][:1]
    [('east', 1.0)]
    """
    betweenness = nx.betweenness_centrality(network, normalized=True)
    components = sorted((sorted(c) for c in nx.connected_components(network)), key=lambda c: (-len(c), c[0]))
    component = {node: index for index, group in enumerate(components) for node in group}
    # No source gives the whole 2021 table: a pairing missing from the data can change every value.
    coverage = (
        f"partial: {network.number_of_nodes()} provinces, {network.number_of_edges()} province pairs, "
        "as far as the bundled sources give pairings"
    )
    rows = []
    for node, data in network.nodes(data=True):
        side = "both" if data["assists"] and data["assisted"] else "assisting" if data["assists"] else "assisted"
        rows.append(
            {
                "id": node,
                "name": data["name"],
                "side": side,
                "partners": sorted(network.nodes[p]["name"] for p in network.neighbors(node)),
                "degree": network.degree(node),
                "pairings": data["assists"] + data["assisted"],
                "betweenness": round(betweenness[node], 6),
                "component": component[node],
                "method": PAIRING_METHOD,
                "coverage": coverage,
            }
        )
    ranked = sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], r["id"]))
    return [{"rank": index + 1, **row} for index, row in enumerate(ranked[:top] if top else ranked)]


def in_time(graph: nx.MultiDiGraph, window: TimeWindow) -> nx.MultiDiGraph:
    """The property graph as it stood in ``window``: relationships whose interval (``valid_from``,
    ``valid_to``) overlaps it, undated ones unless the window leaves them out; PART_OF and other
    timeless relationships always. The same rule as the query files' ``time_*`` parameters. The
    graph's ``period`` attribute says which time it shows.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", relationship="ASSISTS", valid_from=dt.date(2016, 1, 1))
    >>> _ = g.add_edge("a", "c", relationship="ASSISTS", valid_from=dt.date(2021, 1, 1))
    >>> sorted(in_time(g, TimeWindow.of(as_of="2018")).edges())
    [('a', 'b')]
    """
    if window.is_open:
        return graph
    kept = graph.copy()
    dropped = [
        (start, end, key)
        for start, end, key, data in graph.edges(keys=True, data=True)
        if data.get(RELATIONSHIP) not in TIMELESS_TYPES
        and not window.keeps(data.get("valid_from"), data.get("valid_to"))
    ]
    kept.remove_edges_from(dropped)
    kept.graph["period"] = window.describe()  # map titles name it
    return kept
