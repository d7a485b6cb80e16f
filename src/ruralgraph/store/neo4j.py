"""The Neo4j 5 store, through the official driver over Bolt.

A load is ONE explicit transaction: every batched ``UNWIND … MERGE`` runs inside it and it commits
only when all batches succeeded, so a failure (bad batch, lost connection, server stopped) leaves
the database as it was. Reads run in READ access mode, where Neo4j itself refuses writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import neo4j
import neo4j.time
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, ConfigurationError, DriverError, Neo4jError, ServiceUnavailable

from ruralgraph.errors import QueryError, StoreError
from ruralgraph.faults import checkpoint
from ruralgraph.settings import StoreSettings, check_neo4j_uri, redact_uri
from ruralgraph.store.base import WRITE_REFUSED, Progress, Row, Store, timed_out, tracked, work_refused
from ruralgraph.store.chunks import Chunk
from ruralgraph.store.statements import statement_for

CONNECT_TIMEOUT_S = 5.0


class Neo4jStore(Store):
    """A graph in a Neo4j 5 database."""

    engine = "neo4j"
    # 5,000 rows per UNWIND: the fastest of the batch sizes swept in docs/benchmarks.md (500 to 10,000).
    write_batch_rows = 5000

    def __init__(self, settings: StoreSettings, *, writable: bool) -> None:
        assert settings.neo4j_uri is not None
        check_neo4j_uri(settings.neo4j_uri)
        self.uri = redact_uri(settings.neo4j_uri)
        self.writable = writable
        self._database = settings.neo4j_database or None
        auth = None
        if settings.neo4j_user or settings.neo4j_password:
            auth = (settings.neo4j_user or "neo4j", settings.neo4j_password or "")
        try:
            # Server notifications (e.g. "relationship type does not exist") would be printed as
            # warnings; a type the data lacks simply matches nothing, on both engines.
            self._driver = GraphDatabase.driver(
                settings.neo4j_uri,
                auth=auth,
                connection_timeout=CONNECT_TIMEOUT_S,
                connection_acquisition_timeout=CONNECT_TIMEOUT_S * 2,
                notifications_min_severity="OFF",
            )
            self._driver.verify_connectivity()
        except AuthError as error:
            self._close_quietly()
            user = settings.neo4j_user or "neo4j"
            raise StoreError(
                f"Neo4j at {self.uri} refused the credentials of user {user!r}; check NEO4J_USERNAME and NEO4J_PASSWORD"
            ) from error
        except (ServiceUnavailable, OSError) as error:
            self._close_quietly()
            raise StoreError(
                f"cannot reach Neo4j at {self.uri}: is the server running? (docker compose up -d starts one)"
            ) from error
        except (ConfigurationError, ValueError, DriverError) as error:
            self._close_quietly()
            raise StoreError(f"cannot use the Neo4j URI {self.uri}: {type(error).__name__}") from error

    def _close_quietly(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None:
            driver.close()

    def _session(self, write: bool) -> neo4j.Session:
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self._driver.session(database=self._database, default_access_mode=mode)

    def _execute(
        self,
        query: str,
        params: dict[str, Any],
        write: bool,
        timeout_ms: int | None,
        fetch: int | None,
        work_limit: int | None,
    ) -> list[Row]:
        """One statement in its own transaction, in READ access mode unless ``write``.

        Rows stream from the server, and the server's ``dbms.memory.transaction.total.max``
        bounds what a query holds there; what this process holds is bounded by ``fetch`` rows
        and by ``work_limit`` values received (``received_values``): past it the transaction is
        rolled back, which stops the query on the server too.
        """
        timeout = None if timeout_ms is None else timeout_ms / 1000

        @neo4j.unit_of_work(timeout=timeout)
        def work(tx: neo4j.ManagedTransaction) -> list[Row]:
            rows: list[Row] = []
            received = 0
            for record in tx.run(query, params):
                if work_limit is not None:
                    received += sum(received_values(value) for value in record.values())
                    if received > work_limit:
                        raise _WorkLimitPassed  # rolls the transaction back
                rows.append({key: plain_value(record[key]) for key in record.keys()})  # noqa: SIM118 - a Record
                if fetch is not None and len(rows) >= fetch:
                    break
            return rows

        try:
            with self._session(write) as session:
                rows = session.execute_write(work) if write else session.execute_read(work)
        except _WorkLimitPassed as error:
            raise QueryError(work_refused(work_limit)) from error
        except ClientError as error:
            raise _query_error(error, timeout_ms) from error
        except Neo4jError as error:
            raise QueryError(f"neo4j: {error.message}") from error
        except (ServiceUnavailable, DriverError) as error:
            raise StoreError(f"lost the connection to Neo4j at {self.uri}") from error
        return rows

    def _write(self, chunks: Iterable[Chunk], progress: Progress | None, replace: bool) -> None:
        """Every chunk inside one transaction, committed only when all succeeded.

        Into an empty database the rows are CREATEd; otherwise MERGEd on their keys. ``replace``
        does not delete everything first: Neo4j slows every index look-up in a transaction that
        has deleted many nodes (a 100k-relationship replace took 15 times as long as a first
        load). It MERGEs the load over what is there and then deletes what the load does not
        hold (``StaleSweep``), all in the same transaction.
        """
        try:
            with self._session(write=True) as session, session.begin_transaction() as tx:
                empty = tx.run("MATCH (n) RETURN count(n) = 0 AS empty").single(strict=True)["empty"]
                sweep = StaleSweep.read(tx) if replace and not empty else None
                for chunk in tracked(chunks, progress):
                    tx.run(statement_for(chunk, create=empty), rows=chunk.rows).consume()
                    if sweep is not None:
                        sweep.keep(chunk)
                if sweep is not None:
                    sweep.delete(tx, self.write_batch_rows)
                checkpoint("before-commit")
                tx.commit()
        except (ServiceUnavailable, DriverError) as error:
            raise StoreError(f"lost the connection to Neo4j at {self.uri}; nothing was written") from error
        except Neo4jError as error:
            raise StoreError(_load_refused(error)) from error

    def apply_schema(self, statements: Iterable[str]) -> None:
        """Create constraints and indexes; each statement says IF NOT EXISTS."""
        with self._session(write=True) as session:
            for statement in statements:
                session.run(statement).consume()

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()


@dataclass
class StaleSweep:
    """What a ``replace`` load must delete: everything the database held that the load does not write.

    Read before the load writes anything (element ids by key), struck off as chunks are written,
    and deleted at the end of the same transaction. A node's key is (label, id), one per label it
    has; a relationship's is (from id, type, to id, source), as the loader identifies them. A node
    the load writes under any of its labels is kept.
    """

    nodes: dict[tuple[str, str], str] = field(default_factory=dict)
    relationships: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    kept_nodes: set[str] = field(default_factory=set)  # element ids of nodes the load wrote

    @classmethod
    def read(cls, tx: neo4j.Transaction) -> StaleSweep:
        """The keys and element ids of every node and relationship in the database."""
        sweep = cls()
        for record in tx.run("MATCH (n) RETURN labels(n) AS labels, n.id AS id, elementId(n) AS element"):
            for label in record["labels"] or [""]:
                sweep.nodes[(label, record["id"])] = record["element"]
        for record in tx.run(
            "MATCH (a)-[r]->(b) RETURN a.id AS from, type(r) AS type, b.id AS to, "
            "r.source AS source, elementId(r) AS element"
        ):
            sweep.relationships[(record["from"], record["type"], record["to"], record["source"])] = record["element"]
        return sweep

    def keep(self, chunk: Chunk) -> None:
        """Strike off what this chunk writes."""
        if chunk.kind == "nodes":
            for row in chunk.rows:
                element = self.nodes.pop((chunk.group, row["id"]), None)  # type: ignore[arg-type]
                if element is not None:
                    self.kept_nodes.add(element)
        else:
            rel_type = chunk.group[0]
            for row in chunk.rows:
                self.relationships.pop((row["from"], rel_type, row["to"], row["source"]), None)

    def delete(self, tx: neo4j.Transaction, batch_rows: int) -> None:
        """Delete what was not struck off: relationships first, then nodes (with any edges left)."""
        for statement, elements in (
            ("UNWIND $ids AS e MATCH ()-[r]->() WHERE elementId(r) = e DELETE r", list(self.relationships.values())),
            (
                "UNWIND $ids AS e MATCH (n) WHERE elementId(n) = e DETACH DELETE n",
                sorted(set(self.nodes.values()) - self.kept_nodes),
            ),
        ):
            for start in range(0, len(elements), batch_rows):
                tx.run(statement, ids=elements[start : start + batch_rows]).consume()


class _WorkLimitPassed(Exception):
    """Raised inside a read to roll it back once it has sent more values than the work limit."""


def received_values(value: Any) -> int:
    """How many values a result value holds: 1 for a scalar; a node or relationship 1 plus its
    properties; a path its nodes and relationships; a list or map its items (at any depth).
    """
    if isinstance(value, neo4j.graph.Path):
        return sum(received_values(n) for n in value.nodes) + sum(received_values(r) for r in value.relationships)
    if isinstance(value, neo4j.graph.Entity):
        return 1 + sum(received_values(item) for item in value.values())
    if isinstance(value, dict):
        return sum(received_values(item) for item in value.values()) or 1
    if isinstance(value, list | tuple):
        return sum(received_values(item) for item in value) or 1
    return 1


def _load_refused(error: Neo4jError) -> str:
    """What to tell a user whose load Neo4j refused; a load too big for the server's memory says what to do."""
    code = error.code or ""
    message = f"Neo4j refused the load ({code}); nothing was written"
    if "OutOfMemory" in code:
        message += (
            ". The load is one transaction, and it needs more memory than the server allows: raise "
            "dbms.memory.transaction.total.max (and the heap, server.memory.heap.max_size), or, for the "
            "very largest loads, load into the embedded store and use `ruralgraph export neo4j-csv -o DIR` "
            "with neo4j-admin database import"
        )
    return message


def _query_error(error: ClientError, timeout_ms: int | None) -> QueryError:
    code = error.code or ""
    if "AccessMode" in code or "ForbiddenDueToTransactionType" in code:
        return QueryError(WRITE_REFUSED)
    if "TransactionTimedOut" in code or "Timeout" in code:
        return QueryError(timed_out(timeout_ms))
    return QueryError(f"neo4j: {error.message}")


def plain_value(value: Any) -> Any:
    """Driver values → the engine-neutral shapes of ``Store.run`` (see the kglite store)."""
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: plain_value(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: plain_value(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return {
            "nodes": [plain_value(n) for n in value.nodes],
            "relationships": [plain_value(r) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {key: plain_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(item) for item in value]
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime):
        return value.to_native()  # datetime.date / datetime.datetime, as kglite returns them
    if hasattr(value, "iso_format"):  # neo4j.time Duration, Time
        return value.iso_format()
    return value
