"""NetworkX views of the graph, and the measures researchers cite.

- ``property_graph``: every node and relationship, as a MultiDiGraph (from either store).
- ``collaboration_network``: organisations, joined where they share a program, fund, event or case
  (weighted by how many, with what they share) or are linked directly.
- ``org_region_network``: organisations and the regions they reach through their activities.

Results are reproducible: nodes are added in sorted order, Louvain runs with a fixed seed, and
communities are numbered by size then by their smallest id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import networkx as nx

from ruralgraph.model import ACTIVITY_LABELS

Row = dict[str, Any]

SEED = 42


NODES_QUERY = "MATCH (n) RETURN n AS node"
RELATIONSHIPS_QUERY = "MATCH (a)-[r]->(b) RETURN a.id AS start, r AS rel, b.id AS end"


def property_graph(nodes: Iterable[Row], relationships: Iterable[Row]) -> nx.MultiDiGraph:
    """Every node (keyed by id, with ``label`` and its properties) and every relationship (keyed by type|source).

    ``nodes`` and ``relationships`` are the rows of ``NODES_QUERY`` and ``RELATIONSHIPS_QUERY``.

    >>> g = property_graph(
    ...     [{"node": {"labels": ["Organization"], "id": "a", "name": "甲"}},
    ...      {"node": {"labels": ["Program"], "id": "p", "name": "乙计划"}}],
    ...     [{"start": "a", "rel": {"type": "LAUNCHED", "source": "s"}, "end": "p"}])
    >>> list(g.edges(keys=True))
    [('a', 'p', 'LAUNCHED|s')]
    """
    graph = nx.MultiDiGraph()
    for row in sorted(nodes, key=lambda r: r["node"]["id"]):
        props = dict(row["node"])
        label = props.pop("labels")[0]
        graph.add_node(props["id"], label=label, **props)
    ordered = sorted(relationships, key=lambda r: (r["start"], r["rel"]["type"], r["end"], r["rel"].get("source", "")))
    for row in ordered:
        props = dict(row["rel"])
        rel_type = props.pop("type")
        graph.add_edge(row["start"], row["end"], key=f"{rel_type}|{props.get('source', '')}", type=rel_type, **props)
    return graph


def organizations(graph: nx.MultiDiGraph) -> list[str]:
    """The ids of Organization nodes, sorted."""
    return sorted(node for node, data in graph.nodes(data=True) if data["label"] == "Organization")


def collaboration_network(graph: nx.MultiDiGraph) -> nx.Graph:
    """Organisations joined by what they share (weight = number of shared things + direct links).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="Organization", name="甲")
    >>> g.add_node("b", label="Organization", name="乙")
    >>> g.add_node("f", label="Fund", name="基金")
    >>> _ = g.add_edge("a", "f", type="CO_FOUNDED"), g.add_edge("b", "f", type="CO_FOUNDED")
    >>> collaboration_network(g).edges["a", "b"]
    {'shared': ['基金'], 'weight': 1}
    """
    collaboration = nx.Graph()
    for org in organizations(graph):
        data = graph.nodes[org]
        collaboration.add_node(org, name=data["name"], kind=data.get("kind"))
    members: dict[str, set[str]] = defaultdict(set)
    for start, end, data in graph.edges(data=True):
        start_label, end_label = graph.nodes[start]["label"], graph.nodes[end]["label"]
        if start_label == "Organization" and end_label in ACTIVITY_LABELS:
            members[end].add(start)
        elif start_label == "Case" and end_label == "Organization" and data["type"] == "FEATURES":
            members[start].add(end)
        elif start_label == "Organization" and end_label == "Organization" and start != end:
            _join(collaboration, start, end, f"{data['type']} (direct)")
    for shared in sorted(members):
        for left, right in combinations(sorted(members[shared]), 2):
            _join(collaboration, left, right, graph.nodes[shared]["name"])
    return collaboration


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
        if d["type"] == "PART_OF" and graph.nodes[s]["label"] in ACTIVITY_LABELS
    )
    for start, end, data in graph.edges(data=True):
        if data["type"] != "OPERATES_IN":
            continue
        activities = {start} | (nx.descendants(part_of, start) if start in part_of else set())
        for activity in sorted(activities):
            for org, _, _ in graph.in_edges(activity, data=True):
                if graph.nodes[org]["label"] == "Organization":
                    bipartite.add_node(org, kind="organization", name=graph.nodes[org]["name"])
                    bipartite.add_node(end, kind="region", name=graph.nodes[end]["name"])
                    bipartite.add_edge(org, end)
    return bipartite


def communities(graph: nx.Graph) -> dict[str, int]:
    """Louvain communities with a fixed seed, numbered by size (largest first), then smallest id."""
    if graph.number_of_edges() == 0:
        return {node: index for index, node in enumerate(sorted(graph.nodes))}
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
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
    """Organisations that connect otherwise separate groups: highest betweenness in a collaboration network.

    >>> path = nx.Graph([("a", "b"), ("b", "c")])
    >>> [row["id"] for row in brokers(path, top=1)]
    ['b']
    """
    rows = measures(collaboration)
    ranked = sorted(rows, key=lambda r: (-r["betweenness"], -r["weighted_degree"], r["id"]))
    return [{"rank": index + 1, **row} for index, row in enumerate(ranked[:top])]


def network_stats(full: nx.MultiDiGraph) -> dict[str, Any]:
    """Size, density, components and communities of a property graph and its collaboration network.

    >>> network_stats(nx.MultiDiGraph())["organizations"]
    0
    """
    collaboration = collaboration_network(full)
    components = list(nx.connected_components(collaboration))
    return {
        "nodes": full.number_of_nodes(),
        "relationships": full.number_of_edges(),
        "organizations": collaboration.number_of_nodes(),
        "collaborations": collaboration.number_of_edges(),
        "density": round(nx.density(collaboration), 6),
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "isolated_organizations": sum(1 for c in components if len(c) == 1),
        "communities": len(set(communities(collaboration).values())),
    }


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
    >>> g.add_node("p", label="Region", level="province"); g.add_node("c", label="Region", level="county")
    >>> _ = g.add_edge("c", "p", type="PART_OF")
    >>> province_of(g, "c")
    'p'
    """
    seen: set[str] = set()
    current: str | None = region
    while current is not None and current not in seen:
        if graph.nodes[current].get("level") == "province":
            return current
        seen.add(current)
        current = next((end for _, end, d in graph.out_edges(current, data=True) if d["type"] == "PART_OF"), None)
    return None


def pairing_network(graph: nx.MultiDiGraph, scheme: str | None = None) -> nx.Graph:
    """Provinces joined by paired assistance between their places (see ``PAIRING_METHOD``).

    Each node has ``name``, ``assists`` and ``assisted`` (how many pairings it gives and receives);
    each edge has ``weight`` (distinct place pairings), ``pairings`` (assisting → assisted names) and
    ``sources``. ``scheme`` keeps only pairings whose scheme contains that text (e.g. ``2021``).

    >>> g = nx.MultiDiGraph()
    >>> for n, name in [("b", "北京市"), ("n", "内蒙古自治区"), ("h", "河北省")]:
    ...     g.add_node(n, label="Region", level="province", name=name)
    >>> _ = g.add_edge("b", "n", type="ASSISTS", source="s1", scheme="东西部协作")
    >>> _ = g.add_edge("b", "h", type="ASSISTS", source="s1", scheme="东西部协作")
    >>> sorted(pairing_network(g).edges)
    [('b', 'h'), ('b', 'n')]
    """
    network = nx.Graph()
    for start, end, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("source", ""))):
        if (
            data["type"] != "ASSISTS"
            or graph.nodes[start]["label"] != "Region"
            or graph.nodes[end]["label"] != "Region"
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
