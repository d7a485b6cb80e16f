"""Static figures for papers: a property (sub)graph drawn with matplotlib as SVG, PNG or PDF.

The layout is the maps' seeded, label-aware layout (``spread_layout`` with each label's box), laid
out in points and drawn at one point per unit, so that no two labels overlap at the figure's own
size (the figure grows with the network: scale it down as a whole, never its labels alone). The
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
from ruralgraph.views.maps import FOCUS_COLOUR, edge_label, label_box, spread_layout, wrapped

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
LABEL_PT = 9.0
EDGE_LABEL_PT = 6.5
MARKER_AREA = 180.0  # pt², matplotlib's scatter size; the focus is drawn at FOCUS_AREA
FOCUS_AREA = 420.0
LEGEND_INCHES = 1.3  # room under the drawing for the legend
_MARKERS = {"dot": "o", "box": "s", "diamond": "D", "triangle": "^", "star": "*", "square": "s", "hexagon": "h"}


@dataclass
class FigureResult:
    """A written figure: where, how many nodes and edges, the font used, and any warning."""

    path: Path
    nodes: int
    edges: int
    font: str
    warning: str | None


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
    positions = {n: (x, -y) for n, (x, y) in layout.items()}
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    wide = max((boxes[n].width for n in graph), default=0.0) / 2 + 12
    left, right = min(xs) - wide, max(xs) + wide
    bottom, top = min(ys) - max((b.height for b in boxes.values()), default=0.0) - 12, max(ys) + 24
    width, height = (right - left) / 72, (top - bottom) / 72
    with plt.rc_context({"font.family": family, "svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "rg"}):
        fig = plt.figure(figsize=(max(width, 6.0), height + LEGEND_INCHES))
        ax = fig.add_axes((0.0, LEGEND_INCHES / (height + LEGEND_INCHES), 1.0, height / (height + LEGEND_INCHES)))
        ax.set_xlim(left, left + max(width, 6.0) * 72)
        ax.set_ylim(bottom, top)
        ax.set_axis_off()
        nx.draw_networkx_edges(
            graph, positions, ax=ax, edge_color="#9e9e9e", arrows=True, arrowsize=8, width=0.6, node_size=200
        )
        edge_labels = {(s, e): edge_label(d["relationship"], labels) for s, e, d in graph.edges(data=True)}
        nx.draw_networkx_edge_labels(
            graph,
            positions,
            edge_labels=edge_labels,
            ax=ax,
            font_size=EDGE_LABEL_PT,
            font_family=family,
            font_color="#757575",
            bbox={"alpha": 0},
        )
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
                linewidths=3 if node == focus else 0.8,
                zorder=3,
            )
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
            )
        handles = [
            Line2D([], [], linestyle="", marker=marker, markersize=8, color=colour, label=name)
            for name, (colour, marker) in sorted(legend.items())
        ]
        fig.legend(
            handles=handles,
            loc="lower center",
            fontsize=8,
            frameon=False,
            title="kind / node type",
            ncol=min(8, max(1, len(handles))),
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        # Fixed metadata: the same graph writes the same file.
        metadata = {"Date": None} if target.suffix.lower() == ".svg" else {}
        fig.savefig(target, dpi=200, metadata=metadata or None)
        plt.close(fig)
    return FigureResult(target, graph.number_of_nodes(), graph.number_of_edges(), font or "DejaVu Sans", warning)
