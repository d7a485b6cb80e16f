"""The Python API: one ``Graph`` object over whichever store the settings name.

    import ruralgraph
    g = ruralgraph.connect()                      # ./ruralgraph.kgl, or --db/--neo4j equivalents
    g.cypher("MATCH (o:Organization) RETURN o.name AS name")

Every CLI command is a thin layer over a function or method here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruralgraph.errors import BadOption
from ruralgraph.loading.load import LoadReport, load, validate
from ruralgraph.queries import Answer, Entity, ask, library, resolve
from ruralgraph.settings import StoreSettings
from ruralgraph.store import open_store
from ruralgraph.store.base import Counts, Progress, Row, Store, count_rows

if TYPE_CHECKING:
    import networkx as nx

    from ruralgraph.tools.synth import SynthReport
    from ruralgraph.views.maps import MapResult


class Graph:
    """A connection to a ruralgraph store, for questions and Cypher."""

    def __init__(self, settings: StoreSettings, *, writable: bool = False) -> None:
        self.settings = settings
        self.writable = writable
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The underlying store, opened on first use."""
        if self._store is None:
            self._store = open_store(self.settings, writable=self.writable)
        return self._store

    def close(self) -> None:
        """Release the store."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cypher(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
        timeout_ms: int | None = None,
        row_limit: int | None = None,
    ) -> list[Row]:
        """Run Cypher with parameters; read-only unless ``write=True`` (which needs a writable Graph)."""
        return self.store.run(query, params, write=write, timeout_ms=timeout_ms, row_limit=row_limit)

    def stats(self) -> Counts:
        """Node counts per label and relationship counts per type."""
        return self.store.counts()

    def stats_rows(self) -> list[Row]:
        """``stats`` as rows (kind, name, count), as ``ruralgraph stats`` prints them."""
        return count_rows(self.stats())

    def resolve(self, name: str) -> Entity:
        """The entity an id, name or alias names (errors list the closest matches)."""
        return resolve(self.store, name)

    def search(self, text: str, *, label: str = "any") -> Answer:
        """Entities whose names, aliases, pinyin or English name contain ``text`` (normalised)."""
        from ruralgraph.queries import search_key

        return self.query("search", key=search_key(text), label=label)

    def query(self, name: str, *, timeout_ms: int | None = None, row_limit: int | None = None, **params: Any) -> Answer:
        """Ask a named query from ``queries/`` (``ruralgraph query --list`` shows them)."""
        return ask(self.store, name, params, timeout_ms=timeout_ms, row_limit=row_limit)

    def partners(self, org: str) -> Answer:
        """Organisations that share a program, fund, event or case with ``org``, or link to it directly."""
        return self.query("partners", org=org)

    def path(self, start: str, end: str, *, max_hops: int = 4, types: list[str] | None = None) -> Answer:
        """The shortest chains between two entities, each hop with its evidence."""
        params: dict[str, Any] = {"from": start, "to": end, "max_hops": max_hops, "types": types or []}
        return self.query("path", **params)

    def why(self, a: str, b: str, *, max_hops: int = 4) -> Answer:
        """Every source and quoted span behind what connects ``a`` and ``b``."""
        return self.query("evidence", a=a, b=b, max_hops=max_hops)

    def reach(self, entity: str) -> Answer:
        """The regions an organisation or activity reaches, rolled up to prefecture and province."""
        return self.query("reach", entity=entity)

    def supporters(self, region: str) -> Answer:
        """Who supports a region, directly or through programs, funds and events."""
        return self.query("supporters", region=region)

    def cofounders(self, activity: str) -> Answer:
        """Who co-founded or launched a program, fund or event, with roles."""
        return self.query("cofounders", activity=activity)

    def participants(self, activity: str) -> Answer:
        """Every organisation with a part in a program, fund or event."""
        return self.query("participants", activity=activity)

    def money(self, entity: str) -> Answer:
        """Amounts given and received by an entity, each relationship once."""
        return self.query("money", entity=entity)

    def money_totals(self, entity: str) -> dict[str, int]:
        """Yuan given and received by an entity: each amount counted once, even when stated twice."""
        totals = {"given": 0, "received": 0}
        seen: set[tuple[Any, ...]] = set()
        for row in self.money(entity).to_dicts():
            key = (row["direction"], row["counterparty_id"], row["type"], row["amount_cny"], row["amount_of"])
            if row["amount_cny"] is not None and key not in seen:
                seen.add(key)
                totals[row["direction"]] += row["amount_cny"]
        return totals

    def money_totals_rows(self, entity: str) -> list[Row]:
        """``money_totals`` as rows (direction, yuan), as ``ruralgraph money-totals`` prints them."""
        return [{"direction": direction, "yuan": yuan} for direction, yuan in self.money_totals(entity).items()]

    def neighbourhood(self, entity: str, *, hops: int = 2) -> Answer:
        """Every relationship within ``hops`` of an entity."""
        return self.query("neighbourhood", entity=entity, hops=hops)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole property graph as a NetworkX MultiDiGraph (node keys are ids)."""
        from ruralgraph.views.network import NODES_QUERY, RELATIONSHIPS_QUERY, property_graph

        return property_graph(self.store.run(NODES_QUERY), self.store.run(RELATIONSHIPS_QUERY))

    def collaboration(self) -> nx.Graph:
        """The collaboration network of organisations (NetworkX Graph, weighted, with what they share)."""
        from ruralgraph.views.network import collaboration_network

        return collaboration_network(self.to_networkx())

    def org_regions(self) -> nx.Graph:
        """Organisations and the regions they reach through their activities (NetworkX bipartite Graph)."""
        from ruralgraph.views.network import org_region_network

        return org_region_network(self.to_networkx())

    def ego(self, org: str, *, radius: int = 1) -> nx.Graph:
        """An organisation's ego network in the collaboration network (NetworkX Graph)."""
        from ruralgraph.views.network import ego_network

        return ego_network(self.collaboration(), self.resolve(org).id, radius)

    def ego_rows(self, org: str, *, radius: int = 1) -> list[Row]:
        """``ego`` as rows: each collaboration with both names, its weight and what is shared."""
        ego = self.ego(org, radius=radius)
        return [
            {
                "a": a,
                "a_name": ego.nodes[a]["name"],
                "b": b,
                "b_name": ego.nodes[b]["name"],
                "weight": data["weight"],
                "shared": data["shared"],
            }
            for a, b, data in sorted(ego.edges(data=True))
        ]

    def network_stats(self) -> dict[str, Any]:
        """Size, density, components and communities of the collaboration network."""
        from ruralgraph.views.network import network_stats

        return network_stats(self.to_networkx())

    def network_stats_rows(self) -> list[Row]:
        """``network_stats`` as rows (measure, value)."""
        return [{"measure": key, "value": value} for key, value in self.network_stats().items()]

    def brokers(self, top: int = 10) -> list[Row]:
        """Organisations ranked by betweenness in the collaboration network."""
        from ruralgraph.views.network import brokers

        return brokers(self.collaboration(), top)

    def map(
        self,
        *,
        focus: str | None = None,
        hops: int = 2,
        kinds: Iterable[str] = (),
        types: Iterable[str] = (),
        region: str | None = None,
        all_regions: bool = False,
        max_nodes: int | None = None,
    ) -> MapResult:
        """A partnership map (``.write(path)``; shows inline in Jupyter); names resolve as everywhere."""
        from ruralgraph.places import region_ref
        from ruralgraph.views.maps import MAX_NODES, partnership_map

        focus_id = self.resolve(focus).id if focus else None
        places = [self.resolve(region_ref(region) or region).id] if region else []
        return partnership_map(
            self.to_networkx(),
            focus_id=focus_id,
            hops=hops,
            kinds=kinds,
            types=types,
            places=places,
            all_regions=all_regions,
            max_nodes=max_nodes or MAX_NODES,
        )

    def export(self, fmt: str, target: Path | str) -> list[Path]:
        """Export the graph as graphml, gexf, json or neo4j-csv."""
        from ruralgraph.views.export import FORMATS, export_graph

        if fmt not in FORMATS:
            raise BadOption(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
        return export_graph(self.to_networkx(), fmt, Path(target))

    def load(
        self, paths: Iterable[Path | str], *, replace: bool = False, progress: Progress | None = None
    ) -> LoadReport:
        """Load case files and tabular sources into this graph's store (all or nothing)."""
        self.close()  # the loader takes the writer's lease itself
        return load(paths, self.settings, replace=replace, progress=progress)


def connect(db: Path | str | None = None, neo4j: str | None = None, *, writable: bool = False) -> Graph:
    """Open the store named by ``db`` or ``neo4j``, else $RURALGRAPH_DB, $NEO4J_URI, ./ruralgraph.kgl."""
    return Graph(StoreSettings.resolve(db=db, neo4j=neo4j), writable=writable)


def dedupe(paths: Iterable[Path | str], *, threshold: float = 85) -> list[Row]:
    """Possible duplicates among the entities in ``paths`` (never merged here)."""
    from ruralgraph.readers import input_nodes
    from ruralgraph.tools.dedupe import candidates

    records, decisions = input_nodes(paths)
    return [candidate.row() for candidate in candidates(records, decisions, threshold)]


def decisions_file(paths: Sequence[Path | str]) -> Path:
    """Where confirmed decisions go: merges.yaml in the first folder given (or beside the first file)."""
    from ruralgraph.readers.decisions import DECISIONS_FILE

    first = Path(paths[0])
    return (first if first.is_dir() else first.parent) / DECISIONS_FILE


def record_decision(
    paths: Sequence[Path | str],
    *,
    merge: tuple[str, str] | None = None,
    distinct: tuple[str, str] | None = None,
    note: str | None = None,
) -> Path:
    """Record that two ids are one entity (``merge=(keep, duplicate)``) or distinct; returns the file written."""
    from ruralgraph.tools.dedupe import record_decision as record

    return record(decisions_file(paths), merge=merge, distinct=distinct, note=note)


def init(folder: Path | str) -> list[Path]:
    """Write a starter folder (case-file template, spreadsheet template as .xlsx and .csv, its mapping,
    a README) that loads as it is; returns the files written. Refuses to overwrite."""
    from ruralgraph.tools.starter import write_starter

    return write_starter(Path(folder))


def synth(size: str, output: Path, seed: int = 7) -> SynthReport:
    """Write a synthetic dataset in the bulk format (S ≈10k relationships, M ≈100k, L ≈1M)."""
    from ruralgraph.tools.synth import SIZES, write_synthetic

    if size not in SIZES:
        raise BadOption(f"unknown size {size!r}; use one of {', '.join(SIZES)}")
    return write_synthetic(size, output, seed)


@dataclass
class DemoReport:
    """What ``demo`` did: the load, the map it wrote and the top brokers."""

    load: LoadReport
    map_path: Path
    map_nodes: int
    brokers: list[Row]


def demo(settings: StoreSettings, output: Path) -> DemoReport:
    """Load the bundled dataset (replacing what the store held), write its partnership map, name the brokers."""
    from ruralgraph.resources import data_dir

    report = load([data_dir()], settings, replace=True)
    with Graph(settings) as graph:
        result = graph.map()
        brokers = graph.brokers(3)
    result.write(output)
    return DemoReport(report, output, result.nodes, brokers)


def queries() -> list[dict[str, str]]:
    """The named queries: name, description and parameters."""
    return [
        {
            "name": spec.name,
            "description": spec.description,
            "params": ", ".join(f"{p.name}:{p.type}" + ("" if p.required else f"={p.default}") for p in spec.params),
        }
        for spec in library().values()
    ]


__all__ = ["Answer", "Graph", "LoadReport", "connect", "dedupe", "init", "load", "queries", "validate"]
