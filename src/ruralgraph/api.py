"""The Python API: one ``Graph`` object over whichever store the settings name.

    import ruralgraph
    g = ruralgraph.connect()                      # ./ruralgraph.kgl, or --db/--neo4j equivalents
    g.cypher("MATCH (o:Organization) RETURN o.name AS name")

Every CLI command is a thin layer over a function or method here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ruralgraph.loading.load import LoadReport, load, validate
from ruralgraph.queries import Answer, Entity, ask, library, resolve
from ruralgraph.settings import StoreSettings
from ruralgraph.store import open_store
from ruralgraph.store.base import Progress, Row, Store


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

    def stats(self) -> dict[str, dict[str, int]]:
        """Node counts per label and relationship counts per type."""
        return self.store.counts()

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
        return self.query("path", **{"from": start, "to": end, "max_hops": max_hops, "types": types or []})

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

    def neighbourhood(self, entity: str, *, hops: int = 2) -> Answer:
        """Every relationship within ``hops`` of an entity."""
        return self.query("neighbourhood", entity=entity, hops=hops)

    def to_networkx(self) -> Any:
        """The whole property graph as a NetworkX MultiDiGraph."""
        from ruralgraph.views.network import property_graph

        return property_graph(self.store)

    def collaboration(self) -> Any:
        """The collaboration network of organisations (NetworkX Graph, weighted, with what they share)."""
        from ruralgraph.views.network import collaboration_network, property_graph

        return collaboration_network(property_graph(self.store))

    def org_regions(self) -> Any:
        """Organisations and the regions they reach through their activities (NetworkX bipartite Graph)."""
        from ruralgraph.views.network import org_region_network, property_graph

        return org_region_network(property_graph(self.store))

    def ego(self, org: str, *, radius: int = 1) -> Any:
        """An organisation's ego network in the collaboration network (NetworkX Graph)."""
        from ruralgraph.views.network import ego_network

        return ego_network(self.collaboration(), self.resolve(org).id, radius)

    def network_stats(self) -> dict[str, Any]:
        """Size, density, components and communities of the collaboration network."""
        from ruralgraph.views.network import network_stats

        return network_stats(self.store)

    def brokers(self, top: int = 10) -> list[Row]:
        """Organisations ranked by betweenness in the collaboration network."""
        from ruralgraph.views.network import brokers

        return brokers(self.store, top)

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
    ) -> Any:
        """A partnership map (MapResult: ``.write(path)``; shows inline in Jupyter)."""
        from ruralgraph.views.maps import MAX_NODES, partnership_map

        return partnership_map(
            self.store,
            focus=focus,
            hops=hops,
            kinds=kinds,
            types=types,
            region=region,
            all_regions=all_regions,
            max_nodes=max_nodes or MAX_NODES,
        )

    def export(self, fmt: str, target: Path | str) -> list[Path]:
        """Export the graph as graphml, gexf, json or neo4j-csv."""
        from ruralgraph.views.export import export_graph

        return export_graph(self.store, fmt, Path(target))

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


def decisions_file(paths: list[Path]) -> Path:
    """Where confirmed decisions go: merges.yaml in the first folder given (or beside the first file)."""
    from ruralgraph.readers.decisions import DECISIONS_FILE

    first = Path(paths[0])
    return (first if first.is_dir() else first.parent) / DECISIONS_FILE


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


__all__ = ["Answer", "Graph", "LoadReport", "connect", "dedupe", "load", "queries", "validate"]
