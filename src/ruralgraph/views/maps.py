"""Partnership maps: one self-contained HTML file (pyvis / vis-network) that works with no network.

pyvis's ``in_line`` mode inlines vis-network but still links Bootstrap from a CDN (its issues
#228/#229); those tags are removed here and replaced by a few lines of CSS. The file is written as
UTF-8 explicitly, so Chinese labels survive on any platform. Physics stabilises and then stops;
above ``max_nodes`` the map keeps the most connected nodes and says so on the page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from ruralgraph.model import MODEL_BY_LABEL, ORG_KIND_COLOURS, STRUCTURAL_TYPES, UNKNOWN_COLOUR

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
    """Regions that something acts in or on (not merely listed), and the regions that contain them."""
    direct = {
        end
        for _, end, data in graph.edges(data=True)
        if data["relationship"] not in STRUCTURAL_TYPES and graph.nodes[end]["node_type"] == "Region"
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


def build_map(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    max_nodes: int = MAX_NODES,
    keep: str | None = None,
    source_titles: dict[str, str] | None = None,
) -> MapResult:
    """Render a property (sub)graph as a self-contained partnership map.

    ``source_titles`` names the sources that edge tooltips cite (a subgraph may not hold them).
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
    net = Network(height="780px", width="100%", directed=True, cdn_resources="in_line", heading="")
    for node, data in sorted(graph.nodes(data=True)):
        model = MODEL_BY_LABEL[data["node_type"]]
        colour = model.colour or ORG_KIND_COLOURS.get(data.get("kind", "other"), UNKNOWN_COLOUR)
        shape = model.shape
        net.add_node(
            node,
            label=data.get("name", node),
            title=_node_tooltip(data),
            shape=shape,
            color=colour,
            size=12 + 28 * betweenness.get(node, 0) / top,
            font={"size": 14},
        )
    for start, end, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relationship"])):
        net.add_edge(
            start,
            end,
            label=data["relationship"],
            title=_edge_tooltip(data, titles),
            arrows="to",
            font={"size": 9, "align": "middle"},
            color="#9e9e9e",
        )
    net.set_options(json.dumps(_options()))
    page = _self_contained(net.generate_html(notebook=False), title, note, graph)
    return MapResult(page, graph.number_of_nodes(), graph.number_of_edges(), total, note)


def partnership_map(
    graph: nx.MultiDiGraph,
    *,
    focus_id: str | None = None,
    hops: int = 2,
    kinds: Iterable[str] = (),
    types: Iterable[str] = (),
    places: Iterable[str] = (),
    all_regions: bool = False,
    max_nodes: int = MAX_NODES,
) -> MapResult:
    """A map of a property graph, or of an entity's neighbourhood, filtered by kind, type and places (ids).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", node_type="Organization", id="a", name="甲", kind="foundation")
    >>> g.add_node("p", node_type="Program", id="p", name="乙计划")
    >>> _ = g.add_edge("a", "p", relationship="LAUNCHED", evidence="甲发起乙计划", source="s")
    >>> partnership_map(g).nodes
    2
    """
    sub = select_subgraph(
        graph, focus=focus_id, hops=hops, kinds=kinds, types=types, places=places, all_regions=all_regions
    )
    title = f"ruralgraph: {graph.nodes[focus_id]['name']} ({hops} hops)" if focus_id else "ruralgraph: partnership map"
    return build_map(sub, title=title, max_nodes=max_nodes, keep=focus_id, source_titles=source_names(graph))


def source_names(graph: nx.MultiDiGraph) -> dict[str, str]:
    """The title of every Source node, by id."""
    return {node: data["name"] for node, data in graph.nodes(data=True) if data["node_type"] == "Source"}


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


def _options() -> dict[str, Any]:
    return {
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -4000,
                "centralGravity": 0.9,
                "springLength": 120,
                "avoidOverlap": 0.4,
            },
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
        },
        # vis-network hides labels below 5 px when zoomed out; Chinese names stay readable down to 2 px.
        "nodes": {"scaling": {"label": {"enabled": False, "drawThreshold": 2}}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "edges": {"smooth": {"type": "continuous"}},
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
  body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; }
  #rg-header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
  #rg-header h1 { font-size: 18px; margin: 4px 0; }
  #rg-header .counts { color: #555; font-size: 13px; }
  #rg-note { background: #fff8e1; border: 1px solid #ffcc80; padding: 6px 10px; margin: 6px 0; font-size: 13px; }
  #legend { position: absolute; top: 90px; right: 12px; background: rgba(255,255,255,.92); border: 1px solid #ddd;
            padding: 8px 12px; font-size: 12px; z-index: 10; }
  #legend ul { list-style: none; margin: 4px 0 0; padding: 0; }
  #legend .swatch { display: inline-block; width: 11px; height: 11px; margin-right: 6px; border-radius: 2px; }
  .card { border: 0; } div.vis-tooltip { white-space: pre-wrap; max-width: 460px; font-size: 12px; }
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
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    document.body.setAttribute("data-physics", "off");
  });
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
    body.setAttribute("data-resources", JSON.stringify(
      performance.getEntriesByType("resource").map(function (e) { return e.name; })));
    body.setAttribute("data-errors", JSON.stringify(window.rgErrors));
  });
</script>
"""


def _unescape_non_ascii(line: str) -> str:
    """Write Chinese as UTF-8 in the data, keeping the escapes that make JSON safe in HTML (<, >, &, ')."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        return chr(code) if code >= 0x80 and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _NON_ASCII_ESCAPE.sub(replace, line)


def _self_contained(page: str, title: str, note: str | None, graph: nx.MultiDiGraph) -> str:
    """Remove every remote tag pyvis leaves, and add the header, legend, note and drawing report."""
    page = _COMMENTED_TAGS.sub("", page)
    page = _DATA_LINE.sub(lambda line: _unescape_non_ascii(line.group(0)), page)
    page = _REMOTE_TAG.sub("", page)
    page = page.replace("<head>", '<head>\n<meta charset="utf-8">' + _WATCH_ERRORS, 1)
    page = page.replace("</head>", f"<title>{html.escape(title)}</title>{_STYLE}</head>", 1)
    counts = f"{graph.number_of_nodes()} nodes · {graph.number_of_edges()} relationships"
    header = (
        f'<div id="rg-header"><h1>{html.escape(title)}</h1><div class="counts">{counts} · hover for evidence'
        f"</div>{f'<div id=rg-note>{html.escape(note)}</div>' if note else ''}</div>{_legend(graph)}"
    )
    page = re.sub(r"<body>", "<body>\n" + header, page, count=1)
    return page.replace("</body>", _REPORT_DRAWING + "</body>", 1)
