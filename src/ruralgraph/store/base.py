"""The one interface every engine implements, and what the engines share.

A store runs parameterised Cypher and writes a stream of ``Chunk``s all-or-nothing. Everything else —
loading, questions, networks, maps — is built on these two operations, so it runs unchanged on
every engine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from ruralgraph.errors import QueryError, StoreError
from ruralgraph.faults import checkpoint
from ruralgraph.model import ENTITY_LABEL, LABELS, node_type
from ruralgraph.store.chunks import Chunk
from ruralgraph.store.readonly import assert_read_only

Row = dict[str, Any]
Counts = dict[str, dict[str, int]]  # {"nodes": {label: count}, "relationships": {type: count}}
Progress = Callable[[int], None]  # called with how many more records were written

# What every engine says, in the same words.
READ_ONLY_STORE = "this store was opened read-only"
WRITE_REFUSED = "the query writes to the graph; pass --write (write=True) to allow it"

# The guards ``ruralgraph cypher`` runs with unless told otherwise (0 turns one off): an ad-hoc
# query such as MATCH p=(a)-[*]-(b) RETURN p grows without bound (5.8 GB on the bundled data),
# and a row limit alone does not stop it on kglite, which computes every row before it keeps the
# first N. The work limit (kglite's max_work_units: intermediate rows and scan work) is what
# bounds its memory: 1,000,000 units stays under 1 GB on the worst path query measured. Neo4j
# streams, so there the limit counts the values received (neo4j.received_values), which bounds
# this process however large each row is; a row limit alone would not (100,000 long paths).
CYPHER_ROW_LIMIT = 100_000
CYPHER_TIMEOUT_MS = 60_000
CYPHER_WORK_LIMIT = 1_000_000
INT64 = (-(2**63), 2**63 - 1)  # the integers both engines store


def count_rows(counts: Counts) -> list[Row]:
    """Counts per label and per type as rows (kind, name, count), as ``stats`` and ``load`` print them."""
    rows: list[Row] = [{"kind": "node", "name": k, "count": v} for k, v in counts.get("nodes", {}).items()]
    rows += [{"kind": "relationship", "name": k, "count": v} for k, v in counts.get("relationships", {}).items()]
    return rows


def timed_out(timeout_ms: int | None) -> str:
    """The message for a query stopped at its timeout."""
    return f"the query took longer than {timeout_ms} ms (the timeout)"


def tracked(chunks: Iterable[Chunk], progress: Progress | None) -> Iterator[Chunk]:
    """The chunks, reporting progress after each one and passing the mid-write fault point after the first."""
    for number, chunk in enumerate(chunks):
        yield chunk
        if progress:
            progress(len(chunk.rows))
        if number == 0:
            checkpoint("mid-write")


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
        work_limit: int | None = None,
    ) -> list[Row]:
        """Run one Cypher statement; rows come back as plain Python values (see ``plain_value``).

        Without ``write`` the query is refused if it would write (``readonly.assert_read_only``), and
        the engine runs it read-only as well. Past ``row_limit`` rows, ``timeout_ms`` milliseconds
        (``0``: no deadline; ``None``: the engine's default) or ``work_limit`` units of work (kglite:
        its work budget; Neo4j: values received), a ``QueryError`` says so. An integer parameter
        beyond 64 bits is refused first.
        """
        if write and not self.writable:
            raise QueryError(READ_ONLY_STORE)
        if not write:
            assert_read_only(query)
        params = dict(params or {})
        check_params(params)
        fetch = None if row_limit is None else row_limit + 1  # one more row tells that the limit was passed
        return check_row_limit(self._execute(query, params, write, timeout_ms, fetch, work_limit), row_limit)

    @abstractmethod
    def _execute(
        self,
        query: str,
        params: dict[str, Any],
        write: bool,
        timeout_ms: int | None,
        fetch: int | None,
        work_limit: int | None,
    ) -> list[Row]:
        """Run one statement on the engine (read-only unless ``write``), returning at most ``fetch`` rows."""

    def write(self, chunks: Iterable[Chunk], progress: Progress | None = None, *, replace: bool = False) -> None:
        """Write every chunk or nothing (MERGE on ids, so writing them twice changes nothing).

        Chunks come nodes first; with ``replace``, everything else is deleted in the same transaction.
        """
        if not self.writable:
            raise QueryError(READ_ONLY_STORE)
        self._write(chunks, progress, replace)

    @abstractmethod
    def _write(self, chunks: Iterable[Chunk], progress: Progress | None, replace: bool) -> None:
        """The engine's all-or-nothing write of the chunks (the store is known to be writable)."""

    @abstractmethod
    def apply_schema(self, statements: Iterable[str]) -> None:
        """Create constraints and indexes (``IF NOT EXISTS`` statements from ``schema/``)."""

    def clear(self) -> None:
        """Delete every node and relationship (tests use it)."""
        self.run("MATCH (n) DETACH DELETE n", write=True)

    @abstractmethod
    def close(self) -> None:
        """Release the store (its file lease or its server connection)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def upgrade(self) -> None:
        """Bring a store written by an earlier ruralgraph up to date, or refuse it if it is read-only.

        Stores written before the shared label (``model.ENTITY_LABEL``) lack it, and every query
        finds nodes by it: a writer adds it to every node (idempotent, one statement per label); a
        reader is refused with what to do, rather than answering as if the store were empty.
        """
        missing = self.unlabelled()
        if not missing:
            return
        if not self.writable:
            raise StoreError(
                f"{self.where} was written by an earlier ruralgraph: {missing} nodes lack the label "
                f"{ENTITY_LABEL} that queries find them by. Open it for writing once to upgrade it: any "
                "`ruralgraph load` into it does (loading the same files again changes nothing)"
            )
        for label in LABELS:
            self.run(f"MATCH (n:`{label}`) WHERE NOT n:`{ENTITY_LABEL}` SET n:`{ENTITY_LABEL}`", write=True)

    def unlabelled(self) -> int:
        """How many nodes with a model label lack the shared label (from counts, which both engines keep)."""
        total = sum(self.run(f"MATCH (n:`{label}`) RETURN count(n) AS n")[0]["n"] for label in LABELS)
        return int(total - self.run(f"MATCH (n:`{ENTITY_LABEL}`) RETURN count(n) AS n")[0]["n"])

    @property
    @abstractmethod
    def where(self) -> str:
        """The store, as messages name it (a path, or a server's URI without credentials)."""

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

    def counts(self) -> Counts:
        """Node counts per label and relationship counts per type."""
        nodes = self.run(f"MATCH (n:Entity) RETURN {node_type('n')} AS label, count(*) AS count")
        # From an Entity: a Neo4j load's staged relationships (store/neo4j.py) join staged nodes only.
        rels = self.run("MATCH (:Entity)-[r]->() RETURN type(r) AS type, count(*) AS count")
        return {
            "nodes": {row["label"]: row["count"] for row in sorted(nodes, key=lambda r: r["label"])},
            "relationships": {row["type"]: row["count"] for row in sorted(rels, key=lambda r: r["type"])},
        }


def check_params(params: Mapping[str, Any]) -> None:
    """Refuse an integer parameter (at any depth) that neither engine can hold, naming it."""

    def walk(value: Any, where: str) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and not INT64[0] <= value <= INT64[1]:
            raise QueryError(
                f"parameter {where} = {value} does not fit in a 64-bit integer, which is what the stores hold; "
                "pass it as text (-p name:str=…) or as a number with a decimal point"
            )
        if isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")

    for name, value in params.items():
        walk(value, name)


def work_refused(work_limit: int | None) -> str:
    """The message for a query stopped at its work limit."""
    return (
        f"the query needed more than {work_limit} units of work (the work limit, which keeps an unbounded "
        "pattern from exhausting memory); bound it (a LIMIT, a *1..3 on variable-length patterns) or raise --max-work"
    )


def check_row_limit(rows: list[Row], row_limit: int | None) -> list[Row]:
    """Refuse, rather than silently cut, a result longer than the limit."""
    if row_limit is not None and len(rows) > row_limit:
        raise QueryError(f"the query returned more than {row_limit} rows (the row limit); narrow it or raise --limit")
    return rows
