"""The one interface every engine implements, and how a store is chosen from the settings.

A store runs parameterised Cypher and writes a stream of ``Chunk``s all-or-nothing. Everything else —
loading, questions, networks, maps — is built on these two operations, so it runs unchanged on
every engine.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import SplitResult, urlsplit, urlunsplit

from ruralgraph.batch import Chunk, RelGroup
from ruralgraph.errors import QueryError
from ruralgraph.faults import checkpoint
from ruralgraph.store.readonly import assert_read_only
from ruralgraph.model import LABELS, REL_TYPES

DEFAULT_DB = "ruralgraph.kgl"
Row = dict[str, Any]
Progress = Callable[[int], None]  # called with how many more records were written


@dataclass(frozen=True)
class StoreSettings:
    """Where the graph lives: an embedded file (the default) or a Neo4j server."""

    db: Path | None = None
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None

    @classmethod
    def resolve(cls, db: Path | str | None = None, neo4j: str | None = None) -> StoreSettings:
        """Choose the store: ``--neo4j``, then ``--db``, then $RURALGRAPH_DB, then $NEO4J_URI, then ./ruralgraph.kgl."""
        env = os.environ
        credentials = {
            "neo4j_user": env.get("NEO4J_USERNAME") or env.get("NEO4J_USER"),
            "neo4j_password": env.get("NEO4J_PASSWORD"),
            "neo4j_database": env.get("NEO4J_DATABASE"),
        }
        if neo4j:
            return cls.with_uri_credentials(neo4j, **credentials)
        if db is not None:
            return cls(db=Path(db))
        if env.get("RURALGRAPH_DB"):
            return cls(db=Path(env["RURALGRAPH_DB"]))
        if env.get("NEO4J_URI"):
            return cls.with_uri_credentials(env["NEO4J_URI"], **credentials)
        return cls(db=Path(DEFAULT_DB))

    @classmethod
    def with_uri_credentials(cls, uri: str, **credentials: str | None) -> StoreSettings:
        """Settings for a Neo4j URI; a ``user:password@`` in the URI is taken out and used as credentials."""
        try:
            parts = urlsplit(uri)
            user, password = parts.username, parts.password
        except ValueError:
            return cls(neo4j_uri=uri, **credentials)  # type: ignore[arg-type]
        if user is None and password is None:
            return cls(neo4j_uri=uri, **credentials)  # type: ignore[arg-type]
        clean = _with_user(parts, None)
        merged = {**credentials, "neo4j_user": user or credentials.get("neo4j_user"),
                  "neo4j_password": password if password is not None else credentials.get("neo4j_password")}
        return cls(neo4j_uri=clean, **merged)  # type: ignore[arg-type]

    @property
    def engine(self) -> str:
        """``neo4j`` or ``kglite``."""
        return "neo4j" if self.neo4j_uri else "kglite"

    def describe(self) -> str:
        """Where the store is, safe to print: a URI never shows a password."""
        if self.neo4j_uri:
            return f"neo4j {redact_uri(self.neo4j_uri)}"
        return f"kglite {self.db}"


def redact_uri(uri: str) -> str:
    """The URI without any password in it (``bolt://user:pw@host`` → ``bolt://user@host``)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparseable URI>"
    if parts.password is None:
        return uri
    return _with_user(parts, parts.username)


def _with_user(parts: SplitResult, user: str | None) -> str:
    """The URI again with only ``user`` (or nobody) before the host: never a password."""
    netloc = (f"{user}@" if user else "") + (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def open_store(settings: StoreSettings, *, writable: bool = False) -> Store:
    """Open the store the settings name; read-only unless ``writable``."""
    if settings.neo4j_uri:
        from ruralgraph.store.neo4j import Neo4jStore

        return Neo4jStore(settings, writable=writable)
    from ruralgraph.store.kglite import KgliteStore

    return KgliteStore(settings.db or Path(DEFAULT_DB), writable=writable)


def nodes_statement(label: str, *, create: bool = False) -> str:
    """The batched write of one label's nodes: MERGE on the constrained id, or CREATE (see ``statement_for``)."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}")
    if create:
        return f"UNWIND $rows AS row CREATE (n:`{label}`) SET n = row.props"
    return f"UNWIND $rows AS row MERGE (n:`{label}` {{id: row.id}}) SET n = row.props"


def relationships_statement(group: RelGroup, *, create: bool = False) -> str:
    """The batched write of one relationship group: MERGE, one per (from, type, to, source), or CREATE."""
    rel_type, from_label, to_label = group
    if rel_type not in REL_TYPES or from_label not in LABELS or to_label not in LABELS:
        raise ValueError(f"unknown relationship group {group!r}")
    pattern = f"(a)-[r:`{rel_type}`]->(b)" if create else f"(a)-[r:`{rel_type}` {{source: row.source}}]->(b)"
    return (
        f"UNWIND $rows AS row MATCH (a:`{from_label}` {{id: row.from}}) MATCH (b:`{to_label}` {{id: row.to}}) "
        f"{'CREATE' if create else 'MERGE'} {pattern} SET r = row.props"
    )


def tracked(chunks: Iterable[Chunk], progress: Progress | None) -> Iterator[Chunk]:
    """The chunks, reporting progress after each one and passing the mid-write fault point after the first."""
    for number, chunk in enumerate(chunks):
        yield chunk
        if progress:
            progress(len(chunk.rows))
        if number == 0:
            checkpoint("mid-write")


def statement_for(chunk: Chunk, *, create: bool = False) -> str:
    """The Cypher that writes one chunk: MERGE on ids, or plain CREATE into a store known to be empty.

    CREATE is safe only there: a validated load holds each node id and each (from, type, to,
    source) once, so nothing it creates can duplicate anything.
    """
    if chunk.kind == "nodes":
        return nodes_statement(chunk.group, create=create)  # type: ignore[arg-type]
    return relationships_statement(chunk.group, create=create)  # type: ignore[arg-type]


class Store(ABC):
    """A property graph that answers parameterised Cypher and takes atomic batch writes."""

    engine: ClassVar[str]
    write_batch_rows: ClassVar[int]  # rows per chunk, sized by measurement (docs/benchmarks.md)

    writable: bool

    def run(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
        timeout_ms: int | None = None,
        row_limit: int | None = None,
    ) -> list[Row]:
        """Run one Cypher statement; rows come back as plain Python values (see ``plain_value``).

        Without ``write`` the query is refused if it would write (``readonly.assert_read_only``), and
        the engine runs it read-only as well. Past ``row_limit`` rows or ``timeout_ms``
        milliseconds, a ``QueryError`` says so.
        """
        if write and not self.writable:
            raise QueryError("this store was opened read-only")
        if not write:
            assert_read_only(query)
        fetch = None if row_limit is None else row_limit + 1  # one more row tells that the limit was passed
        return check_row_limit(self._execute(query, dict(params or {}), write, timeout_ms, fetch), row_limit)

    @abstractmethod
    def _execute(self, query: str, params: dict[str, Any], write: bool, timeout_ms: int | None,
                 fetch: int | None) -> list[Row]:
        """Run one statement on the engine (read-only unless ``write``), returning at most ``fetch`` rows."""

    @abstractmethod
    def write(self, chunks: Iterable[Chunk], progress: Progress | None = None, *, replace: bool = False) -> None:
        """Write every chunk or nothing (MERGE on ids, so writing them twice changes nothing).

        Chunks come nodes first; with ``replace``, everything else is deleted in the same transaction.
        """

    @abstractmethod
    def apply_schema(self, statements: Iterable[str]) -> None:
        """Create constraints and indexes (``IF NOT EXISTS`` statements from ``schema/``)."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship (tests and ``load --replace`` use it)."""

    @abstractmethod
    def close(self) -> None:
        """Release the store (its file lease or its server connection)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def labels_of(self, ids: Iterable[str]) -> dict[str, str]:
        """The label of each of ``ids`` that exists in the store."""
        wanted = sorted(set(ids))
        found: dict[str, str] = {}
        if not wanted:
            return found
        for label in LABELS:  # per label, so each look-up uses that label's id index
            rows = self.run(f"MATCH (n:`{label}`) WHERE n.id IN $ids RETURN n.id AS id", {"ids": wanted})
            found.update((row["id"], label) for row in rows)
        return found

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts per label and relationship counts per type."""
        nodes = self.run("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS count")
        rels = self.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count")
        return {
            "nodes": {row["label"]: row["count"] for row in sorted(nodes, key=lambda r: r["label"])},
            "relationships": {row["type"]: row["count"] for row in sorted(rels, key=lambda r: r["type"])},
        }


def check_row_limit(rows: list[Row], row_limit: int | None) -> list[Row]:
    """Refuse, rather than silently cut, a result longer than the limit."""
    if row_limit is not None and len(rows) > row_limit:
        raise QueryError(f"the query returned more than {row_limit} rows (the row limit); narrow it or raise --limit")
    return rows
