"""Static figures for papers: a property (sub)graph drawn with matplotlib as SVG, PNG or PDF.

The layout is the maps' seeded spring layout, so the same data gives the same figure. Chinese
labels need a CJK font: the first of ``CJK_FONTS`` that matplotlib's font manager finds is used
(scripts/test.sh installs WenQuanYi Micro Hei, Debian's ``fonts-wqy-microhei``; Noto Sans CJK,
PingFang and Microsoft YaHei are found where installed). With none, the figure is still written
and the result says so: Chinese characters would show as empty boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ruralgraph.errors import BadOption
from ruralgraph.model import MODEL_BY_LABEL, ORG_KIND_COLOURS, UNKNOWN_COLOUR
from ruralgraph.views.maps import FOCUS_COLOUR, edge_label, spread_layout

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
    positions = spread_layout(graph)
    size = max(8.0, min(24.0, 2.2 * graph.number_of_nodes() ** 0.5))
    with plt.rc_context({"font.family": family, "svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "rg"}):
        fig, ax = plt.subplots(figsize=(size, size * 0.75))
        ax.set_axis_off()
        nx.draw_networkx_edges(
            graph, positions, ax=ax, edge_color="#9e9e9e", arrows=True, arrowsize=10, width=0.8, node_size=300
        )
        edge_labels = {(s, e): edge_label(d["relationship"], labels) for s, e, d in graph.edges(data=True)}
        nx.draw_networkx_edge_labels(graph, positions, edge_labels=edge_labels, ax=ax, font_size=7, font_family=family)
        legend: dict[str, tuple[str, str]] = {}
        for node, data in graph.nodes(data=True):
            model = MODEL_BY_LABEL[data["node_type"]]
            kind = data.get("kind") if data["node_type"] == "Organization" else None
            colour = model.colour or ORG_KIND_COLOURS.get(kind or "other", UNKNOWN_COLOUR)
            marker = _MARKERS.get(model.shape, "o")
            legend[kind or data["node_type"]] = (colour, marker)
            ax.scatter(
                *positions[node],
                s=420 if node == focus else 180,
                c=colour,
                marker=marker,
                edgecolors=FOCUS_COLOUR if node == focus else "white",
                linewidths=3 if node == focus else 0.8,
                zorder=3,
            )
        nx.draw_networkx_labels(
            graph,
            positions,
            labels={n: d.get("name", n) for n, d in graph.nodes(data=True)},
            ax=ax,
            font_size=9,
            font_family=family,
            verticalalignment="bottom",
        )
        handles = [
            Line2D([], [], linestyle="", marker=marker, markersize=8, color=colour, label=name)
            for name, (colour, marker) in sorted(legend.items())
        ]
        ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=True, title="kind / node type")
        fig.tight_layout()
        target.parent.mkdir(parents=True, exist_ok=True)
        # Fixed metadata: the same graph writes the same file.
        metadata = {"Date": None} if target.suffix.lower() == ".svg" else {}
        fig.savefig(target, dpi=200, metadata=metadata or None)
        plt.close(fig)
    return FigureResult(target, graph.number_of_nodes(), graph.number_of_edges(), font or "DejaVu Sans", warning)
