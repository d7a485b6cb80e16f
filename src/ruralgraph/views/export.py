"""Exports for other tools: GraphML and GEXF (Gephi, yEd), node-link JSON, and neo4j-admin import CSVs.

What GraphML and GEXF files hold (read them back with ``nx.read_graphml`` / ``nx.read_gexf``):

- node ``label``: the display name, so Gephi shows names; ``node_type``: the graph label
  (Organization, Program, Region …); ``kind``: an organisation's kind; ``id`` and every property.
- edge ``relationship``: the relationship type (CO_FOUNDED …), an ordinary attribute. GEXF's own
  edge ``type`` (directed/undirected/mutual) is left to the writer; ``weight`` (collaboration
  networks) is GEXF's and GraphML's edge weight.
- only text, integers, floats and booleans: lists (aliases, what a collaboration shares) are
  joined with "; ", dates are ISO text (``ruralgraph.views.network.scalar_graph``; ``for_gephi``
  here is the same, for any NetworkX graph of your own).
- time: every relationship keeps ``start_date``, ``end_date``, ``date``, ``as_of``, ``valid_from``,
  ``valid_to`` and ``period`` (GraphML and GEXF as ISO text, JSON as ISO text, the neo4j-admin CSVs
  as ``:date`` columns). GEXF is written in dynamic mode: a dated edge's ``start``/``end`` (its
  spell, from ``valid_from``/``valid_to``) let Gephi's timeline play the network.

Networks (``network=``): ``full`` (every node and relationship), ``collaboration`` (organisations
joined by shared programs, funds and events, weighted) and ``org-regions`` (organisations and the
regions they reach). Node-link JSON keeps every value as it is. The CSVs follow ``neo4j-admin
database import``'s header format (``id:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``, ``:TYPE``,
typed columns, ``;`` between array items), one file per label and per relationship type, with the
command to run; they hold the full network only.

The CSVs keep text exactly as stored, including text that begins with ``=``, ``+``, ``-`` or
``@``: they are for ``neo4j-admin``, which reads no formulas, and a neutralising ``'`` would
become part of every such value in the imported database. For CSVs that a person will open in a
spreadsheet, ``spreadsheet_safe=True`` (``--spreadsheet-safe``) neutralises them as
``--format csv`` does (``output.spreadsheet_safe``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import networkx as nx

from ruralgraph.errors import BadOption
from ruralgraph.model import ENTITY_LABEL
from ruralgraph.output import spreadsheet_safe as neutralised
from ruralgraph.views.network import NODE_TYPE, RELATIONSHIP, scalar_graph

FORMATS = ("graphml", "gexf", "json", "neo4j-csv")
NETWORKS = ("full", "collaboration", "org-regions")
ARRAY_DELIMITER = ";"


def for_gephi(graph: nx.Graph) -> nx.Graph:
    """A copy of any NetworkX graph that ``nx.write_gexf`` and ``nx.write_graphml`` write, and Gephi reads right.

    Values become text, integers, floats or booleans (lists joined with "; "); a ``type`` edge
    attribute, which GEXF reserves for directed/undirected/mutual, is renamed ``relationship``.

    >>> g = nx.MultiDiGraph(); _ = g.add_edge("a", "b", type="FUNDS", roles=["甲", "乙"])
    >>> sorted(next(iter(for_gephi(g).edges(data=True)))[2].items())
    [('relationship', 'FUNDS'), ('roles', '甲; 乙')]
    """
    flat = scalar_graph(graph)
    for *_, data in flat.edges(data=True):
        if "type" in data and RELATIONSHIP not in data:
            data[RELATIONSHIP] = data.pop("type")
    return flat


def with_spells(graph: nx.Graph) -> nx.Graph:
    """The graph with each dated edge's ``start``/``end`` set from ``valid_from``/``valid_to``, which
    makes networkx write a dynamic GEXF (``timeformat="date"``) whose timeline Gephi plays; an
    undated edge (or one open at an end) is there throughout (or from its start on).

    >>> g = nx.MultiDiGraph(); _ = g.add_edge("a", "b", valid_from="2016-01-01")
    >>> next(iter(with_spells(g).edges(data=True)))[2]["start"]
    '2016-01-01'
    """
    for *_, data in graph.edges(data=True):
        if data.get("valid_from"):
            data["start"] = data["valid_from"]
        if data.get("valid_to"):
            data["end"] = data["valid_to"]
    return graph


def export_graph(graph: nx.Graph, fmt: str, target: Path, *, spreadsheet_safe: bool = False) -> list[Path]:
    """Write a graph in ``fmt`` to ``target`` (a file, or a folder for neo4j-csv).

    ``spreadsheet_safe`` neutralises formulas in the neo4j-csv text cells (see the module's doc).

    >>> import tempfile
    >>> g = nx.MultiDiGraph(); g.add_node("a", node_type="Organization", label="甲", aliases=["甲会"])
    >>> [p.suffix for p in export_graph(g, "graphml", Path(tempfile.mkdtemp()) / "g.graphml")]
    ['.graphml']
    """
    target = Path(target)
    if fmt == "neo4j-csv":
        return write_neo4j_csv(graph, target, spreadsheet_safe=spreadsheet_safe)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(for_gephi(graph), target, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(with_spells(for_gephi(graph)), target, encoding="utf-8")
    elif fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    else:
        raise BadOption(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    return [target]


def _csv_type(values: list[Any]) -> str:
    """neo4j-admin's column type for a property's values."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "long"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "double"
    if present and all(isinstance(v, list) for v in present):
        return "string[]"
    if present and all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in present):
        return "date"
    return "string"


def _cell(value: Any, spreadsheet_safe: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        text = ARRAY_DELIMITER.join(str(v) for v in value)
    elif isinstance(value, str):
        text = value
    else:
        return str(value)  # a number is never a formula
    return neutralised(text) if spreadsheet_safe else text


def _write_table(
    path: Path, fixed: list[tuple[str, str]], rows: list[dict[str, Any]], skip: set[str], spreadsheet_safe: bool
) -> None:
    """One CSV: fixed columns (header, key) first, then every property with its neo4j-admin type."""
    props = sorted({k for row in rows for k in row} - skip)
    typed = [(f"{p}:{_csv_type([row.get(p) for row in rows])}", p) for p in props]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([header for header, _ in fixed] + [header for header, _ in typed])
        for row in rows:
            writer.writerow([_cell(row.get(key), spreadsheet_safe) for _, key in [*fixed, *typed]])


def write_neo4j_csv(graph: nx.MultiDiGraph, folder: Path, *, spreadsheet_safe: bool = False) -> list[Path]:
    """nodes_<Label>.csv and rels_<TYPE>.csv in neo4j-admin's format, plus import.sh.

    Text is exact unless ``spreadsheet_safe`` (see the module's doc).
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    by_label: dict[str, list[dict[str, Any]]] = {}
    for _, data in sorted(graph.nodes(data=True)):
        # The CSV's :LABEL column is the graph label; the display name is already the name column.
        row = {k: v for k, v in data.items() if k != "label"}
        # …plus the shared label every query finds nodes by (neo4j-admin reads ";" between labels).
        node_type = row.pop(NODE_TYPE)
        by_label.setdefault(node_type, []).append({**row, "label": f"{node_type}{ARRAY_DELIMITER}{ENTITY_LABEL}"})
    for label, rows in sorted(by_label.items()):
        path = folder / f"nodes_{label}.csv"
        _write_table(path, [("id:ID", "id"), (":LABEL", "label")], rows, {"id", "label"}, spreadsheet_safe)
        written.append(path)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for start, end, data in sorted(graph.edges(data=True), key=lambda e: (e[2][RELATIONSHIP], e[0], e[1])):
        row = {k: v for k, v in data.items() if k != RELATIONSHIP}
        by_type.setdefault(data[RELATIONSHIP], []).append(
            {"start": start, "end": end, **row, "type": data[RELATIONSHIP]}
        )
    for rel_type, rows in sorted(by_type.items()):
        path = folder / f"rels_{rel_type}.csv"
        _write_table(
            path,
            [(":START_ID", "start"), (":END_ID", "end"), (":TYPE", "type")],
            rows,
            {"start", "end", "type"},
            spreadsheet_safe,
        )
        written.append(path)
    nodes = " ".join(f"--nodes={p.name}" for p in written if p.name.startswith("nodes_"))
    rels = " ".join(f"--relationships={p.name}" for p in written if p.name.startswith("rels_"))
    script = folder / "import.sh"
    script.write_text(
        "#!/usr/bin/env bash\n# Run from this folder with the Neo4j server stopped; DATABASE defaults to neo4j.\n"
        f'neo4j-admin database import full --array-delimiter="{ARRAY_DELIMITER}" --overwrite-destination '
        f'{nodes} {rels} "${{DATABASE:-neo4j}}"\n',
        encoding="utf-8",
    )
    written.append(script)
    return written
