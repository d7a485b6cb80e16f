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

from ruralgraph.claims import Claim, claims_of
from ruralgraph.errors import BadOption
from ruralgraph.model import node_type
from ruralgraph.periods import TimeWindow
from ruralgraph.queries import ANSWER_LIMIT, Answer, Entity, ask, get_query, library, resolve, resolve_region
from ruralgraph.settings import StoreSettings
from ruralgraph.store import open_store
from ruralgraph.store.base import Counts, Progress, Row, Store, count_rows

if TYPE_CHECKING:
    import networkx as nx

    from ruralgraph.loading.load import LoadReport
    from ruralgraph.tools.synth import SynthReport
    from ruralgraph.views.figure import FigureResult
    from ruralgraph.views.maps import MapResult


def time_window(as_of: str | None = None, between: Sequence[str] | None = None, dated_only: bool = False) -> TimeWindow:
    """The time a question asks about (``--as-of``, ``--between A B``, ``--dated-only``); bad dates are BadOption."""
    if between is not None and len(between) != 2:
        raise BadOption(f"between takes two dates, not {len(between)}")
    try:
        return TimeWindow.of(
            as_of=as_of, between=(between[0], between[1]) if between is not None else None, undated=not dated_only
        )
    except ValueError as error:
        raise BadOption(f"time: {error}") from None


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
        work_limit: int | None = None,
    ) -> list[Row]:
        """Run Cypher with parameters; read-only unless ``write=True`` (which needs a writable Graph).

        Past ``row_limit`` rows, ``timeout_ms`` milliseconds (0: no deadline) or ``work_limit``
        units of work (kglite: its work budget; Neo4j: values received), a ``QueryError`` says so.
        ``ruralgraph cypher`` runs with ``store.base.CYPHER_ROW_LIMIT``, ``CYPHER_TIMEOUT_MS`` and
        ``CYPHER_WORK_LIMIT``; here each is off unless given. After a write, nodes with a model
        label get the shared label (``model.ENTITY_LABEL``) that queries find them by.
        """
        rows = self.store.run(
            query, params, write=write, timeout_ms=timeout_ms, row_limit=row_limit, work_limit=work_limit
        )
        if write:  # a node created by hand gets the shared label every query finds nodes by
            self.store.upgrade()
        return rows

    def stats(self) -> Counts:
        """Node counts per label and relationship counts per type."""
        return self.store.counts()

    def stats_rows(self) -> list[Row]:
        """``stats`` as rows (kind, name, count), as ``ruralgraph stats`` prints them."""
        return count_rows(self.stats())

    def resolve(self, name: str) -> Entity:
        """The entity an id, name or alias names (errors list the closest matches)."""
        return resolve(self.store, name)

    def resolve_region(self, place: str) -> Entity:
        """The region a place names: an id, name or alias, an adcode, a 省市县 path or ``region:…``."""
        return resolve_region(self.store, place)

    def search(self, text: str, *, label: str = "any", limit: int | None = ANSWER_LIMIT, offset: int = 0) -> Answer:
        """Entities whose names, aliases, pinyin or English name contain ``text`` (normalised), exact matches first."""
        from ruralgraph.queries import search_key

        return self.query("search", key=search_key(text), label=label, limit=limit, offset=offset)

    def query(
        self,
        name: str,
        *,
        limit: int | None = ANSWER_LIMIT,
        offset: int = 0,
        timeout_ms: int | None = None,
        as_of: str | None = None,
        between: tuple[str, str] | None = None,
        dated_only: bool = False,
        **params: Any,
    ) -> Answer:
        """Ask a named query from ``queries/`` (``ruralgraph query --list`` shows them).

        The answer is one page: at most ``limit`` rows (by default ``queries.ANSWER_LIMIT``, 10,000;
        ``None``: all) from ``offset`` on, in the query's order, and ``Answer.total`` says how many
        rows answer the question. Every question below takes ``limit`` and ``offset`` too.

        ``as_of`` (a partial date: ``2019``, ``2019-06``) or ``between`` (two of them) keep the
        relationships in force then; undated relationships are kept (and marked) unless
        ``dated_only``. They set the query's ``time_from``/``time_to``/``undated`` parameters.
        """
        window = time_window(as_of, between, dated_only)
        if not window.is_open:
            spec = get_query(name)
            if not any(param.name == "time_from" for param in spec.params):
                raise BadOption(f"query {name} does not walk relationships, so it takes no time (--as-of, --between)")
            params = {**window.params(), **params}
        return ask(self.store, name, params, limit=limit, offset=offset, timeout_ms=timeout_ms)

    def partners(self, org: str, **when: Any) -> Answer:
        """Organisations that share a program, fund, event or case with ``org``, or link to it directly:
        one row per partner with how many activities they share and how many direct links, most first.

        Every question that walks relationships takes ``as_of``, ``between`` and ``dated_only`` (see ``query``).
        """
        return self.query("partners", org=org, **when)

    def path(
        self,
        start: str,
        end: str,
        *,
        max_hops: int = 4,
        types: list[str] | None = None,
        max_paths: int = 100,
        **when: Any,
    ) -> Answer:
        """The shortest chains between two entities, each hop with its evidence.

        Only the shortest are enumerated, and at most ``max_paths`` of them (``Answer.total`` equal
        to it says the cap was reached: there may be more).
        """
        params: dict[str, Any] = {"from": start, "to": end, "max_hops": max_hops, "types": types or []}
        return self.query("path", **params, max_paths=max_paths, **when)

    def why(self, a: str, b: str, *, max_hops: int = 4, max_paths: int = 100, **when: Any) -> Answer:
        """Every source and quoted span behind what connects ``a`` and ``b`` (along at most ``max_paths`` chains)."""
        return self.query("evidence", a=a, b=b, max_hops=max_hops, max_paths=max_paths, **when)

    def reach(self, entity: str, **when: Any) -> Answer:
        """The regions an organisation or activity reaches, rolled up to prefecture and province."""
        return self.query("reach", entity=entity, **when)

    def supporters(self, region: str, **when: Any) -> Answer:
        """Who supports a region, directly or through programs, funds and events."""
        return self.query("supporters", region=region, **when)

    def cofounders(self, activity: str, **when: Any) -> Answer:
        """Who co-founded or launched a program, fund or event, with roles."""
        return self.query("cofounders", activity=activity, **when)

    def participants(self, activity: str, **when: Any) -> Answer:
        """Every organisation with a part in a program, fund or event."""
        return self.query("participants", activity=activity, **when)

    def timeline(self, entity: str, **when: Any) -> Answer:
        """An entity's relationships in time order: earliest first (by ``valid_from``, then ``valid_to``),
        undated last, each with its time as the source gives it and its evidence (ordered by the query)."""
        return self.query("timeline", entity=entity, **when)

    def money(self, entity: str, **when: Any) -> Answer:
        """Amounts given and received by an entity, one row per relationship, each with its kind and year."""
        return self.query("money", entity=entity, **when)

    def money_totals(self, entity: str, **when: Any) -> list[Row]:
        """Totals of an entity's amounts per direction and kind, over all years and per year, each
        with its terms and their evidence (``views.totals``: like with like, a part never counted
        twice, a qualifier such as "at least" kept)."""
        from ruralgraph.views.totals import money_totals

        when = {**when, "limit": None, "offset": 0}  # a total adds every amount, never one page
        return [total.row() for total in money_totals(self.money(entity, **when).to_dicts())]

    def neighbourhood(self, entity: str, *, hops: int = 2, **when: Any) -> Answer:
        """Every relationship within ``hops`` of an entity."""
        return self.query("neighbourhood", entity=entity, hops=hops, **when)

    def names(self, entity: str) -> list[Row]:
        """An entity's name history: each name with when it began and ended (as far as known) and the source.

        Built from the entity's renames (oldest first); the last row is the current name. Without
        renames, one row: the name, undated.
        """
        found = self.resolve(entity)
        rows = self.store.run(NAME_HISTORY_QUERY, {"id": found.id})
        return name_history(rows[0]) if rows else []

    def sources(self, entity: str, *, limit: int | None = ANSWER_LIMIT, offset: int = 0) -> Answer:
        """The sources behind an entity's relationships, and the originals they reprint."""
        return self.query("sources", entity=entity, limit=limit, offset=offset)

    def cite(self, entity: str | None = None, fmt: str = "bibtex") -> str:
        """A bibliography (bibtex, csl-json or ris) of the sources behind ``entity``, or of every source, by id."""
        from ruralgraph.views.citations import ALL_SOURCES_QUERY, CITATION_FORMATS, bibliography

        if fmt not in CITATION_FORMATS:
            raise BadOption(f"unknown citation format {fmt!r}; use one of {', '.join(CITATION_FORMATS)}")
        rows = self.sources(entity, limit=None).to_dicts() if entity is not None else self.store.run(ALL_SOURCES_QUERY)
        return bibliography(sorted(rows, key=lambda row: row["id"]), fmt)  # in the order of their ids

    def _property_graph(self) -> nx.MultiDiGraph:
        """The property graph with list values kept as lists (for JSON and neo4j-admin exports)."""
        from ruralgraph.views.network import NODES_QUERY, RELATIONSHIPS_QUERY, property_graph

        return property_graph(self.store.run(NODES_QUERY), self.store.run(RELATIONSHIPS_QUERY))

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole property graph as a NetworkX MultiDiGraph (node keys are ids).

        Node ``label`` is the name and ``node_type`` the graph label; edge ``relationship`` is the
        type. Every value is text, a number or a boolean (lists joined with "; "), so
        ``nx.write_gexf`` and ``nx.write_graphml`` write it as it is.
        """
        from ruralgraph.views.network import scalar_graph

        return scalar_graph(self._property_graph())

    def collaboration(self, *, include_cases: bool = False) -> nx.Graph:
        """The collaboration network of organisations (weighted; ``shared`` names what they share).

        Case write-ups (FEATURES) count as shared work only with ``include_cases=True``.
        """
        from ruralgraph.views.network import collaboration_network

        return collaboration_network(self._property_graph(), include_cases=include_cases)

    def org_regions(self) -> nx.Graph:
        """Organisations and the regions they reach through their activities (NetworkX bipartite Graph)."""
        from ruralgraph.views.network import org_region_network

        return org_region_network(self._property_graph())

    def network(self, name: str = "full", *, include_cases: bool = False) -> nx.Graph:
        """One of the networks: ``full`` (to_networkx), ``collaboration`` or ``org-regions``."""
        from ruralgraph.views.export import NETWORKS

        if name == "full":
            return self.to_networkx()
        if name == "collaboration":
            return self.collaboration(include_cases=include_cases)
        if name == "org-regions":
            return self.org_regions()
        raise BadOption(f"unknown network {name!r}; use one of {', '.join(NETWORKS)}")

    def ego(self, org: str, *, radius: int = 1, include_cases: bool = False) -> nx.Graph:
        """An organisation's ego network in the collaboration network (NetworkX Graph)."""
        from ruralgraph.views.network import ego_network

        return ego_network(self.collaboration(include_cases=include_cases), self.resolve(org).id, radius)

    def ego_rows(self, org: str, *, radius: int = 1, include_cases: bool = False) -> list[Row]:
        """``ego`` as rows: each collaboration with both names, its weight and what is shared."""
        ego = self.ego(org, radius=radius, include_cases=include_cases)
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

    def network_stats(self, *, include_cases: bool = False) -> list[Row]:
        """Size, density, components and communities of the collaboration network.

        One row per measure, with ``value`` and ``method``: the algorithm, its parameters and seed.
        """
        from ruralgraph.views.network import network_stats

        return network_stats(self._property_graph(), include_cases=include_cases)

    def brokers(self, top: int = 10, *, include_cases: bool = False) -> list[Row]:
        """Organisations with betweenness above 0 in the collaboration network, highest first."""
        from ruralgraph.views.network import brokers

        return brokers(self.collaboration(include_cases=include_cases), top)

    def pairing_network(self, *, scheme: str | None = None) -> nx.Graph:
        """Provinces joined by paired assistance between their places (NetworkX Graph; see ``pairing_bridges``)."""
        from ruralgraph.views.network import pairing_network

        return pairing_network(self._property_graph(), scheme)

    def pairing_bridges(self, top: int | None = None, *, scheme: str | None = None) -> list[Row]:
        """Which provinces bridge east and west: betweenness in the province-level pairing network.

        Every row states the method and the coverage: the pairings are partial, and so is the measure.
        """
        from ruralgraph.views.network import pairing_bridges

        return pairing_bridges(self.pairing_network(scheme=scheme), top)

    def map(
        self,
        *,
        focus: str | None = None,
        hops: int = 2,
        kinds: Iterable[str] = (),
        types: Iterable[str] = (),
        region: str | None = None,
        all_regions: bool = False,
        keep_isolated: bool = False,
        max_nodes: int | None = None,
        labels: str = "zh",
        layout: str = "network",
        **when: Any,
    ) -> MapResult:
        """A partnership map (``.write(path)``; shows inline in Jupyter); names resolve as everywhere.

        An unknown kind, relationship type or region is refused (BadOption, exit 2) with the allowed
        values; nodes a filter leaves with no relationship are dropped unless ``keep_isolated``.
        ``labels`` "zh" (the vocabulary's Chinese labels) or "en"; ``layout`` "network" or "geo".
        ``as_of``/``between``/``dated_only`` draw the network as it stood then (as every question).
        """
        from ruralgraph.views.maps import MAX_NODES, partnership_map

        graph, focus_id, places = self._map_selection(focus, region, **when)
        return partnership_map(
            graph,
            focus_id=focus_id,
            hops=hops,
            kinds=kinds,
            types=types,
            places=places,
            all_regions=all_regions,
            keep_isolated=keep_isolated,
            max_nodes=max_nodes or MAX_NODES,
            labels=labels,
            layout=layout,
        )

    def figure(
        self,
        target: Path | str,
        *,
        focus: str | None = None,
        hops: int = 2,
        kinds: Iterable[str] = (),
        types: Iterable[str] = (),
        region: str | None = None,
        all_regions: bool = False,
        keep_isolated: bool = False,
        labels: str = "zh",
        **when: Any,
    ) -> FigureResult:
        """A static figure for a paper (.svg, .png or .pdf, by the file's suffix): the map's selection,
        laid out with a fixed seed, with a legend and Chinese labels in a CJK font."""
        from ruralgraph.views.figure import write_figure
        from ruralgraph.views.maps import check_filters, select_subgraph

        graph, focus_id, places = self._map_selection(focus, region, **when)
        check_filters(graph, kinds, types)
        sub = select_subgraph(
            graph, focus=focus_id, hops=hops, kinds=kinds, types=types, places=places, all_regions=all_regions
        )
        return write_figure(sub, Path(target), focus=focus_id, labels=labels, keep_isolated=keep_isolated)

    def _map_selection(
        self,
        focus: str | None,
        region: str | None,
        as_of: str | None = None,
        between: Sequence[str] | None = None,
        dated_only: bool = False,
    ) -> tuple[nx.MultiDiGraph, str | None, list[str]]:
        """What a map or a figure starts from: the property graph (as it stood in the time asked
        about), the focus's id and the region's id."""
        from ruralgraph.views.network import in_time

        graph = in_time(self._property_graph(), time_window(as_of, between, dated_only))
        focus_id = self.resolve(focus).id if focus else None
        places = [self._region_id(graph, region)] if region else []
        return graph, focus_id, places

    def _region_id(self, graph: nx.MultiDiGraph, region: str) -> str:
        """The id of a region named by --region; an unknown one is refused listing the regions in the graph."""
        from ruralgraph.errors import NotFound

        try:
            entity = self.resolve_region(region)
        except NotFound:
            entity = None
        if entity is None or graph.nodes[entity.id].get("node_type") != "Region":
            names = sorted(d["name"] for _, d in graph.nodes(data=True) if d.get("node_type") == "Region")
            raise BadOption(f"unknown --region {region!r}; use one of the {len(names)} regions: {'、'.join(names)}")
        return entity.id

    def export(
        self,
        fmt: str,
        target: Path | str,
        *,
        network: str = "full",
        include_cases: bool = False,
        spreadsheet_safe: bool = False,
    ) -> list[Path]:
        """Export a network (full, collaboration or org-regions) as graphml, gexf, json or neo4j-csv.

        GraphML and GEXF name each node by its ``label`` (the name) and keep the node type in
        ``node_type`` and the relationship type in ``relationship`` (see ``ruralgraph.views.export``).
        neo4j-csv is for ``neo4j-admin``, so its text is exact; ``spreadsheet_safe`` neutralises
        formulas in it (a leading ``'``) for CSVs that will be opened in a spreadsheet.
        """
        from ruralgraph.views.export import FORMATS, NETWORKS, export_graph

        if fmt not in FORMATS:
            raise BadOption(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
        if network not in NETWORKS:
            raise BadOption(f"unknown network {network!r}; use one of {', '.join(NETWORKS)}")
        if spreadsheet_safe and fmt != "neo4j-csv":
            raise BadOption("--spreadsheet-safe applies to neo4j-csv only (graphml, gexf and json hold no formulas)")
        if fmt == "neo4j-csv" and network != "full":
            raise BadOption("neo4j-csv exports the full network only (it is the property graph Neo4j imports)")
        graph = self._property_graph() if network == "full" else self.network(network, include_cases=include_cases)
        return export_graph(graph, fmt, Path(target), spreadsheet_safe=spreadsheet_safe)

    def load(
        self,
        paths: Iterable[Path | str],
        *,
        replace: bool = False,
        progress: Progress | None = None,
        decisions: Iterable[Path | str] = (),
    ) -> LoadReport:
        """Load case files and tabular sources into this graph's store (all or nothing)."""
        self.close()  # the loader takes the writer's lease itself
        return load(paths, self.settings, replace=replace, progress=progress, decisions=decisions)

    def show(self, name: str) -> Shown:
        """An entity with every value its sources give, which one queries see, and the sources behind each."""
        entity = self.resolve(name)
        rows = self.store.run(f"MATCH (n:`{entity.label}` {{id: $id}}) RETURN n AS node", {"id": entity.id})
        props = {k: v for k, v in rows[0]["node"].items() if k != "labels"}
        claims = claims_of(props)
        return Shown(entity.id, entity.label, props, claims, self._sources([s for c in claims for s in c.sources]))

    def conflicts(self) -> list[Row]:
        """Every competing claim: entities whose sources give a property different values, each value a row."""
        rows: list[Row] = []
        query = (
            f"MATCH (n:Entity) WHERE n.contested IS NOT NULL RETURN n AS node, {node_type('n')} AS label ORDER BY n.id"
        )
        for row in self.store.run(query):
            props = {k: v for k, v in row["node"].items() if k != "labels"}
            contested = set(props["contested"])
            shown = Shown(props["id"], row["label"], props, claims_of(props), {})
            rows += [{"id": shown.id, **r} for r in shown.rows() if r["property"] in contested]
        return rows

    def _sources(self, ids: list[str]) -> dict[str, Row]:
        rows = self.store.run(
            "MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id, s.name AS title, s.grade AS grade, "
            "coalesce(s.published, s.date) AS published",
            {"ids": sorted(set(ids))},
        )
        return {row["id"]: row for row in rows}


@dataclass
class Shown:
    """An entity as ``show`` prints it: its properties, its claims and the sources behind them."""

    id: str
    label: str
    properties: dict[str, Any]
    claims: list[Claim]
    sources: dict[str, Row]

    def chosen(self, claim: Claim) -> bool:
        """Whether queries see this value (the preference rule chose it, or it is one of the aliases)."""
        value = self.properties.get(claim.prop)
        return claim.value in value if isinstance(value, list) else claim.value == value

    def rows(self) -> list[Row]:
        """One row per value: property, value, whether queries see it, and its sources."""
        return [
            {
                "property": claim.prop,
                "value": claim.value,
                "shown": self.chosen(claim),
                "sources": ", ".join(claim.sources) or "(unsourced)",
                "preferred": claim.preferred,
                "via": ", ".join(claim.via),
            }
            for claim in self.claims
        ]

    def to_dict(self) -> dict[str, Any]:
        """As ``show --format json`` prints it: the values queries see, every claim, and its sources."""
        hidden = {"search_keys", "claims", "sources", "contested"}
        return {
            "id": self.id,
            "label": self.label,
            "properties": {k: v for k, v in self.properties.items() if k not in hidden},
            "contested": self.properties.get("contested", []),
            "claims": [{**claim.as_dict(), "shown": self.chosen(claim)} for claim in self.claims],
            "sources": [self.sources.get(s, {"id": s}) for s in sorted({s for c in self.claims for s in c.sources})],
        }


NAME_HISTORY_QUERY = (
    "MATCH (n {id: $id}) WHERE n:Entity RETURN n.name AS name, n.renamed_from AS renamed_from, "
    "n.renamed_to AS renamed_to, n.renamed_on AS renamed_on, n.renamed_source AS renamed_source"
)


def name_history(node: Mapping[str, Any]) -> list[Row]:
    """Rows (name, since, until, source, current) from a node's stored renames (``model.RENAME_PROPERTIES``).

    Each rename ends one name and begins the next; its source stands behind both. An unknown date is None.

    >>> name_history({"name": "B", "renamed_from": ["A"], "renamed_to": ["B"], "renamed_on": [""],
    ...               "renamed_source": ["s"]})[0]
    {'name': 'A', 'since': None, 'until': None, 'source': 's', 'current': False}
    """
    renames = list(
        zip(
            node.get("renamed_from") or [],
            node.get("renamed_to") or [],
            node.get("renamed_on") or [],
            node.get("renamed_source") or [],
            strict=True,
        )
    )
    rows: list[Row] = []
    since: str | None = None
    for before, after, date, source in renames:
        if not rows or rows[-1]["name"] != before:
            rows.append({"name": before, "since": since, "until": None, "source": source, "current": False})
        rows[-1]["until"] = date or None
        rows.append({"name": after, "since": date or None, "until": None, "source": source, "current": False})
        since = date or None
    if not rows or rows[-1]["name"] != node["name"]:
        rows.append({"name": node["name"], "since": None, "until": None, "source": None, "current": False})
    rows[-1]["current"] = True
    return rows


def connect(db: Path | str | None = None, neo4j: str | None = None, *, writable: bool = False) -> Graph:
    """Open the store named by ``db`` or ``neo4j``, else $RURALGRAPH_DB, $NEO4J_URI, ./ruralgraph.kgl."""
    return Graph(StoreSettings.resolve(db=db, neo4j=neo4j), writable=writable)


def dedupe(paths: Iterable[Path | str], *, threshold: float = 85, decisions: Iterable[Path | str] = ()) -> list[Row]:
    """Possible duplicates among the entities in ``paths`` (never merged here; decided pairs left out)."""
    from ruralgraph.readers import input_nodes
    from ruralgraph.tools.dedupe import candidates

    existing = [path for path in decisions if Path(path).exists()]
    records, recorded = input_nodes(paths, existing)
    return [candidate.row() for candidate in candidates(records, recorded, threshold)]


DEFAULT_DECISIONS_FILE = Path("decisions.yaml")


def decisions_file(target: Path | str | None = None) -> Path:
    """Where confirmed decisions go: ``target``, by default ``decisions.yaml`` in the current folder.

    Never inside the installed package or its bundled data: those are not the user's to change.
    """
    from ruralgraph.resources import data_dir

    path = Path(target) if target is not None else DEFAULT_DECISIONS_FILE
    resolved = path.resolve()
    package = Path(__file__).resolve().parent
    for protected in (package, data_dir().resolve()):
        if resolved.is_relative_to(protected):
            raise BadOption(
                f"{path} is inside {protected}, which ruralgraph ships; write decisions elsewhere (--decisions FILE)"
            )
    return path


def record_decision(
    paths: Sequence[Path | str],
    target: Path | str | None = None,
    *,
    merge: tuple[str, str] | None = None,
    distinct: tuple[str, str] | None = None,
    note: str | None = None,
) -> Path:
    """Record that two ids of the inputs ``paths`` are one entity (``merge=(keep, duplicate)``) or distinct.

    The file is ``target`` (by default ``decisions.yaml`` in the current folder); ``load`` and
    ``validate`` apply it with ``--decisions FILE`` (or when it is among their inputs). A decision
    that would break the next load (an id merged into itself, a chain or circle of merges, a merge
    across labels or of an id no input declares, a pair both merged and distinct) is refused with
    ``BadOption`` and nothing is written. Returns the file written.
    """
    from ruralgraph.readers import input_nodes
    from ruralgraph.tools.dedupe import record_decision as record

    records, _ = input_nodes(paths)
    labels = {node.id: node.label for node, _ in records.nodes}
    return record(decisions_file(target), labels, merge=merge, distinct=distinct, note=note)


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
    """What ``demo`` did: the load, the map it wrote, the top brokers and the provinces bridging the pairings."""

    load: LoadReport
    map_path: Path
    map_nodes: int
    brokers: list[Row]
    bridges: list[Row]


def demo(settings: StoreSettings, output: Path) -> DemoReport:
    """Load the bundled dataset (replacing what the store held), write its partnership map, name the brokers."""
    from ruralgraph.resources import data_dir

    report = load([data_dir()], settings, replace=True)
    with Graph(settings) as graph:
        result = graph.map()
        brokers = graph.brokers(3)
        bridges = graph.pairing_bridges(3)
    result.write(output)
    return DemoReport(report, output, result.nodes, brokers, bridges)


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


def load(
    paths: Iterable[Path | str],
    settings: StoreSettings | None = None,
    *,
    progress: Progress | None = None,
    replace: bool = False,
    decisions: Iterable[Path | str] = (),
    mappings: Iterable[Path | str] = (),
) -> LoadReport:
    """Validate every input, then write them all in one atomic write (see ``loading.load.load``)."""
    from ruralgraph.loading.load import load as load_inputs

    return load_inputs(paths, settings, progress=progress, replace=replace, decisions=decisions, mappings=mappings)


def validate(
    paths: Iterable[Path | str],
    settings: StoreSettings | None = None,
    *,
    decisions: Iterable[Path | str] = (),
    mappings: Iterable[Path | str] = (),
) -> LoadReport:
    """Check the inputs without writing; references and identities are checked against ``settings``' store."""
    from ruralgraph.loading.load import validate as validate_inputs

    return validate_inputs(paths, settings, decisions=decisions, mappings=mappings)


__all__ = ["Answer", "Graph", "Shown", "connect", "dedupe", "init", "load", "queries", "validate"]
