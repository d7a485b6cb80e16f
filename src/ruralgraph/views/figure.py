"""Static figures for papers: a property (sub)graph drawn with matplotlib as SVG, PNG or PDF.

The layout is the maps' seeded, label-aware layout (``spread_layout`` with each label's box), laid
out in points and shrunk to ``PAPER_INCHES`` (a page's text width), so that the figure goes into a
paper at its own size. Labels are then drawn at ``LABEL_PT`` as the maps draw them at fit zoom: in
order of importance (``label_ranks``), each only where it overlaps no label already drawn; edge
labels last, on edges long enough to carry them. The rest are named in the HTML map. The
same data gives the same figure. Chinese
labels need a CJK font: the first of ``CJK_FONTS`` that matplotlib's font manager finds is used
(scripts/test.sh installs WenQuanYi Micro Hei, Debian's ``fonts-wqy-microhei``; Noto Sans CJK,
PingFang and Microsoft YaHei are found where installed). With none, the figure is still written
and the result says so: Chinese characters would show as empty boxes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ruralgraph.errors import BadOption
from ruralgraph.model import MODEL_BY_LABEL, ORG_KIND_COLOURS, UNKNOWN_COLOUR
from ruralgraph.views.maps import (
    FOCUS_COLOUR,
    edge_label,
    label_box,
    label_ranks,
    skeleton,
    spread_layout,
    text_width,
    wrapped,
)

SUFFIXES = (".svg", ".png", ".pdf")
CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
)
LABEL_PT = 9.0  # the smallest type a journal prints in a figure, at the figure's own size
EDGE_LABEL_PT = 9.0
PAPER_INCHES = 7.0  # a two-column page's text width: the figure is drawn at most this wide
LINE_HEIGHT = 1.3  # a label's line height, in font sizes (CJK glyphs with linespacing 1.1, and a margin)
MARKER_AREA = 40.0  # pt², matplotlib's scatter size (7 pt across at the page's size); the focus at FOCUS_AREA
FOCUS_AREA = 120.0
LEGEND_INCHES = 1.3  # room under the drawing for the legend
_MARKERS = {
    "dot": "o",
    "box": "s",
    "diamond": "D",
    "triangle": "^",
    "triangleDown": "v",
    "star": "*",
    "square": "s",
    "hexagon": "h",
}


@dataclass
class FigureResult:
    """A written figure: where, how many nodes and edges, the font used, and any warning."""

    path: Path
    nodes: int
    edges: int
    font: str
    warning: str | None
    labelled: int = 0


def cjk_font() -> str | None:
    """The name of the first installed font that draws Chinese (matplotlib's font manager), or None."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def write_figure(
    graph: nx.MultiDiGraph,
    target: Path,
    *,
    focus: str | None = None,
    labels: str = "zh",
    keep_isolated: bool = False,
) -> FigureResult:
    """Draw ``graph`` to ``target`` (.svg, .png or .pdf): colours by kind and node type, a legend, edge labels.

    >>> import tempfile
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", node_type="Organization", name="甲基金会", kind="foundation")
    >>> g.add_node("p", node_type="Program", name="乙计划")
    >>> _ = g.add_edge("a", "p", relationship="LAUNCHED")
    >>> write_figure(g, Path(tempfile.mkdtemp()) / "f.svg").nodes
    2
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if target.suffix.lower() not in SUFFIXES:
        raise BadOption(f"a figure is written as {', '.join(SUFFIXES)}; got {target.name!r}")
    if not keep_isolated:
        graph = nx.MultiDiGraph(graph.subgraph(n for n in graph if graph.degree(n) > 0 or n == focus))
    font = cjk_font()
    warning = None
    if font is None:
        warning = (
            "no CJK font found (looked for " + ", ".join(CJK_FONTS) + "); Chinese labels will show as boxes. "
            "Install one, e.g. apt-get install fonts-wqy-microhei"
        )
    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    names = {n: wrapped(str(d.get("name", n))) for n, d in graph.nodes(data=True)}
    radius = {n: ((FOCUS_AREA if n == focus else MARKER_AREA) / math.pi) ** 0.5 for n in graph}
    boxes = {n: label_box(names[n], "dot", LABEL_PT, radius[n]) for n in graph}
    # Laid out in points (y down, as on a screen), drawn with y up at one point per unit.
    layout = spread_layout(graph, boxes)
    xs = [x for x, _ in layout.values()] or [0.0]
    shrink = min(1.0, (PAPER_INCHES * 72 - 2 * LABEL_PT * 6) / max(max(xs) - min(xs), 1.0))
    positions = {n: (x * shrink, -y * shrink) for n, (x, y) in layout.items()}
    shown, edge_texts, extent = _labels_that_fit(graph, positions, names, radius, focus, labels)
    left, right, bottom, top = extent
    width, height = (right - left) / 72, (top - bottom) / 72
    with plt.rc_context({"font.family": family, "svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "rg"}):
        fig = plt.figure(figsize=(max(width, 6.0), height + LEGEND_INCHES))
        ax = fig.add_axes((0.0, LEGEND_INCHES / (height + LEGEND_INCHES), 1.0, height / (height + LEGEND_INCHES)))
        ax.set_xlim(left, left + max(width, 6.0) * 72)
        ax.set_ylim(bottom, top)
        ax.set_axis_off()
        nx.draw_networkx_edges(
            graph, positions, ax=ax, edge_color="#b0b0b0", arrows=True, arrowsize=5, width=0.4, node_size=MARKER_AREA
        )
        for (x, y), text in edge_texts:
            ax.text(x, y, text, fontsize=EDGE_LABEL_PT, color="#757575", ha="center", va="center", zorder=2)
        legend: dict[str, tuple[str, str]] = {}
        for node, data in graph.nodes(data=True):
            model = MODEL_BY_LABEL[data["node_type"]]
            kind = data.get("kind") if data["node_type"] == "Organization" else None
            colour = model.colour or ORG_KIND_COLOURS.get(kind or "other", UNKNOWN_COLOUR)
            marker = _MARKERS.get(model.shape, "o")
            legend[kind or data["node_type"]] = (colour, marker)
            ax.scatter(
                *positions[node],
                s=FOCUS_AREA if node == focus else MARKER_AREA,
                c=colour,
                marker=marker,
                edgecolors=FOCUS_COLOUR if node == focus else "white",
                linewidths=2 if node == focus else 0.5,
                zorder=3,
            )
            if node not in shown:
                continue
            x, y = positions[node]
            ax.text(
                x,
                y - radius[node],
                names[node],
                fontsize=LABEL_PT,
                ha="center",
                va="top",
                zorder=4,
                linespacing=1.1,
                fontweight="bold" if node == focus else "normal",
                # A light white ground keeps a label readable over lines and markers (and text stays text in SVG).
                bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 0.4},
            )
        handles = [
            Line2D([], [], linestyle="", marker=marker, markersize=8, color=colour, label=name)
            for name, (colour, marker) in sorted(legend.items())
        ]
        fig.legend(
            handles=handles,
            loc="lower center",
            fontsize=LABEL_PT,
            frameon=False,
            title="kind / node type",
            ncol=min(4, max(1, len(handles))),
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        # Fixed metadata: the same graph writes the same file.
        metadata = {"Date": None} if target.suffix.lower() == ".svg" else {}
        fig.savefig(target, dpi=200, metadata=metadata or None)
        plt.close(fig)
    return FigureResult(
        target, graph.number_of_nodes(), graph.number_of_edges(), font or "DejaVu Sans", warning, len(shown)
    )


Extent = tuple[float, float, float, float]


def _labels_that_fit(
    graph: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]],
    names: dict[str, str],
    radius: dict[str, float],
    focus: str | None,
    labels: str,
) -> tuple[set[str], list[tuple[tuple[float, float], str]], Extent]:
    """The nodes whose labels are drawn, the edge labels drawn (where, what) and the drawing's extent
    (left, right, bottom, top, in points, y up): the maps' level-of-detail rule at the figure's size."""
    kept: list[Extent] = []

    def claim(box: Extent) -> bool:
        pad = 2.0  # points kept between two labels
        left, right, bottom, top = box[0] - pad, box[1] + pad, box[2] - pad, box[3] + pad
        if any(left < k[1] and k[0] < right and bottom < k[3] and k[2] < top for k in kept):
            return False
        kept.append(box)
        return True

    def size(text: str, points: float) -> tuple[float, float]:
        lines = text.split("\n")
        return max(text_width(line, points) for line in lines), LINE_HEIGHT * points * len(lines)

    ranks = label_ranks(skeleton(graph), {}, focus)
    shown = set()
    for node in sorted(graph, key=lambda n: ranks[n]):
        (x, y), (w, h) = positions[node], size(names[node], LABEL_PT)
        if claim((x - w / 2, x + w / 2, y - radius[node] - h, y - radius[node])):
            shown.add(node)
    markers = [(x - radius[n], x + radius[n], y - radius[n], y + radius[n]) for n, (x, y) in positions.items()]
    extent_boxes = [*kept, *markers]
    kept.extend(markers)
    edge_texts = []
    for start, end, data in sorted(graph.edges(data=True), key=lambda e: (min(ranks[e[0]], ranks[e[1]]), e[0], e[1])):
        (x1, y1), (x2, y2) = positions[start], positions[end]
        text = edge_label(data["relationship"], labels)
        w, h = size(text, EDGE_LABEL_PT)
        room = math.hypot(x2 - x1, y2 - y1) - radius[start] - radius[end]
        mid = ((x1 + x2) / 2, (y1 + y2) / 2)
        if room >= 2 * w and claim((mid[0] - w / 2, mid[0] + w / 2, mid[1] - h / 2, mid[1] + h / 2)):
            edge_texts.append((mid, text))
    margin = 12.0
    extent = (
        min(b[0] for b in extent_boxes) - margin,
        max(b[1] for b in extent_boxes) + margin,
        min(b[2] for b in extent_boxes) - margin,
        max(b[3] for b in extent_boxes) + margin,
    )
    return shown, edge_texts, extent
