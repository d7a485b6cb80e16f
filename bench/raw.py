"""The raw baseline: kglite's own bulk path from a bulk file, with no validation, timed whole.

    python -m bench.raw FILE TARGET.kgl

A module of its own, importing only what that path needs (orjson, pandas, kglite and the
gazetteer for region references), so that timing it as a whole process (``bench.load_vs_raw``)
counts no more start-up than the path itself has.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pandas as pd

from ruralgraph.places import region_chain

RawRows = tuple[dict[str, list[dict[str, Any]]], dict[tuple[str, str, str], list[dict[str, Any]]]]


def raw_rows(path: Path) -> RawRows:
    """Nodes and relationships of a bulk file as plain rows, with no validation (the raw path's input)."""
    nodes: dict[str, list[dict[str, Any]]] = {}
    label_of: dict[str, str] = {}
    rels: list[dict[str, Any]] = []
    regions: dict[str, dict[str, Any]] = {}
    with path.open("rb") as handle:
        for line in handle:
            row = orjson.loads(line)
            if "label" in row:
                label = row.pop("label")
                row.pop("aliases", None)
                nodes.setdefault(label, []).append(row)
                label_of[row["id"]] = label
            else:
                for end in ("from", "to"):
                    if row[end].startswith("region:"):
                        code = row[end].removeprefix("region:")
                        row[end] = f"cn-{code}"
                        info = region_chain(code)[0]
                        regions.setdefault(
                            row[end], {"id": row[end], "name": info.name, "level": info.level, "adcode": code}
                        )
                        label_of[row[end]] = "Region"
                rels.append(row)
    nodes["Region"] = list(regions.values())
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for rel in rels:
        groups.setdefault((rel["type"], label_of[rel["from"]], label_of[rel["to"]]), []).append(rel)
    return nodes, groups


def raw_pipeline(path: Path, target: Path) -> dict[str, Any]:
    """kglite's own bulk path from the file, with no validation, timed whole: the orjson parse, the
    DataFrames, ``add_nodes`` / ``add_relationships`` and the save, all inside one timer.

    ``engine`` is the part spent in the engine's calls and the save (rows already in frames), a
    figure of its own; the raw path's rate is the whole one.
    """
    import kglite

    start = time.perf_counter()
    nodes, groups = raw_rows(path)
    parsed = time.perf_counter()
    frames = {label: pd.DataFrame(rows) for label, rows in nodes.items()}
    rel_frames = {group: pd.DataFrame(rows).drop(columns=["type"]) for group, rows in groups.items()}
    framed = time.perf_counter()
    graph = kglite.open(str(target), durable="off")
    for label, frame in frames.items():
        graph.add_nodes(frame, label, "id", "name")
    for (rel_type, from_label, to_label), frame in rel_frames.items():
        graph.add_relationships(frame, rel_type, from_label, "from", to_label, "to")
    graph.save()
    graph.close()
    done = time.perf_counter()
    seconds = done - start
    relationships = sum(len(f) for f in rel_frames.values())
    return {
        "seconds": seconds,
        "parse_seconds": parsed - start,
        "frames_seconds": framed - parsed,
        "relationships": relationships,
        "rels_per_s": relationships / seconds,
        "engine": {"seconds": done - framed, "rels_per_s": relationships / (done - framed)},
    }


def main(argv: list[str]) -> None:
    """Run the raw path on FILE into TARGET and print its figures as JSON."""
    file, target = argv
    print(json.dumps(raw_pipeline(Path(file), Path(target))))


if __name__ == "__main__":
    main(sys.argv[1:])
