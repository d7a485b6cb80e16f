"""The Neo4j 5 store, through the official driver over Bolt.

A load commits its batches as staged, invisible to every query, and one final transaction makes
them part of the graph (``Neo4jStore._write`` says how), so a failure (bad batch, lost connection,
server stopped, the process killed) leaves the graph as it was, and the server needs no heap the
size of the load. Reads run in READ access mode, where Neo4j itself refuses writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Literal

import neo4j
import neo4j.time
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, ConfigurationError, DriverError, Neo4jError, ServiceUnavailable

from ruralgraph.errors import QueryError, StoreError
from ruralgraph.faults import checkpoint
from ruralgraph.model import ENTITY_LABEL, LABELS
from ruralgraph.settings import StoreSettings, check_neo4j_uri, redact_uri
from ruralgraph.store.base import WRITE_REFUSED, Progress, Row, Store, timed_out, tracked, work_refused
from ruralgraph.store.chunks import Chunk, RelGroup, check_group, check_label, prefetched
from ruralgraph.store.statements import statement_for

CONNECT_TIMEOUT_S = 5.0
# A load's own marks (see Neo4jStore._write): no model label, so no query of ruralgraph sees them.
STAGED = "_Staged"  # a node a load has committed but not yet made part of the graph
RETIRED = "_Retired"  # a node a replace load has taken out of the graph, deleted after it
PUBLISHING = "_Publishing"  # the one node that says a committed load is being made part of the graph
DEFERRED = "_Deferred"  # a chunk of rows that change the visible graph, kept until the load is published
LOAD_METADATA = "ruralgraph_load"  # the metadata key of the transaction a running load holds open
# How long a reader waits for a load that is being published (made part of the graph) to finish.
PUBLISH_WAIT_S = 600.0
# How long a load's tagged transaction may outlive its process: the server ends it when it notices
# the closed connection, which took it up to 0.3 s after a kill -9 in tests on this machine.
DEAD_LOAD_GRACE_S = 5.0
_MODEL_LABELS = frozenset(LABELS)


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
        """Every chunk or nothing: batches committed as staged, one small commit, then made part of the graph.

        How a load stays all or nothing without one giant transaction (which needs a heap the size
        of the load; measured at about 7 KiB per node for the relabelling alone):

        1. While it runs, the load holds an idle transaction tagged ``ruralgraph_load`` (its
           metadata): that is how another process knows a load is alive. It dies with the
           loading process or the server.
        2. Whatever a dead load left is dealt with first (``_recover``): a committed one is
           finished, an uncommitted one's batches are deleted.
        3. **Staging.** Each chunk is committed in its own transaction: new nodes carry only the
           label ``_Staged`` (their label kept in ``_label``), never a model label nor
           ``model.ENTITY_LABEL``, and relationships are created only between staged nodes. What
           would change the visible graph (properties of nodes it already holds, relationships
           that touch them) is kept as ``_Deferred`` chunks. Every query of ruralgraph starts from
           a labelled node, so no reader sees any of it.
        4. **The commit point**: one small transaction checks the staged count and creates the
           ``_Publishing`` node. Before it, a failure or a kill leaves the graph as it was (the
           staged batches are deleted now or by the next writer); from it on, the load happens.
        5. **Publishing**, in batches of ``write_batch_rows`` (``_publish``): with ``replace`` the
           old nodes lose their labels (``_Retired``); the staged nodes get theirs; the deferred
           chunks are MERGEd; then ``_Publishing`` is deleted and the retired nodes too. Every
           step is idempotent and records its phase, so a load killed while publishing is
           finished by the next writer (roll-forward), and a reader that opens meanwhile waits
           for it (or, if the load died, is told to open the store for writing once).

        The price of small transactions: a reader that was already open while a load publishes can
        see part of it for those seconds; a reader opened then waits until it is complete.
        """
        load = uuid.uuid4().hex
        committed = False
        try:
            with self._session(write=True) as session, self._session(write=False) as holding:
                holder = holding.begin_transaction(metadata={LOAD_METADATA: load})
                try:
                    holder.run("RETURN 1").consume()  # the server now lists the load as running
                    if self._live_loads(session, besides=load, grace_s=DEAD_LOAD_GRACE_S):
                        raise StoreError(
                            f"another ruralgraph load is writing to Neo4j at {self.uri}; wait for it to finish"
                        )
                    self._recover(session)
                    staged_count = self._stage(session, chunks, progress, replace)
                    checkpoint("before-commit")
                    self._commit(session, staged_count, replace)
                    committed = True
                    self._publish(session)
                finally:
                    holder.close()
                self._delete_marked(session, RETIRED)
        except (ServiceUnavailable, DriverError) as error:
            raise StoreError(f"lost the connection to Neo4j at {self.uri}; {_what_happened(committed)}") from error
        except Neo4jError as error:
            self._recover_quietly()
            raise StoreError(_load_refused(error, committed)) from error
        except BaseException:
            self._recover_quietly()
            raise

    def _stage(self, session: neo4j.Session, chunks: Iterable[Chunk], progress: Progress | None, replace: bool) -> int:
        """Step 3 of ``_write``: every chunk committed as staged or deferred; how many nodes were staged."""
        # A unique constraint, not a plain index: the planner then always seeks staged ids through it,
        # even in plans made while the label was still empty.
        session.run(f"CREATE CONSTRAINT staged_id IF NOT EXISTS FOR (n:`{STAGED}`) REQUIRE n.id IS UNIQUE").consume()
        session.run("CALL db.awaitIndexes(300)").consume()
        empty = replace or session.run(f"MATCH (n:`{ENTITY_LABEL}`) RETURN count(n) AS n").single(strict=True)["n"] == 0
        staged: set[str] = set()  # ids of the nodes this load stages (a load into a non-empty store)
        staged_count = 0
        deferred: list[Chunk] = []  # what changes the visible graph: published after the commit
        seq = 0  # the order of the deferred chunks (nodes before relationships, as they came)
        for chunk in tracked(prefetched(chunks), progress):
            if isinstance(chunk.group, str):
                rows = chunk.rows if empty else self._new_nodes(session, chunk, deferred)
                if not empty:
                    staged.update(row["id"] for row in rows)
                staged_count += len(rows)
                statement = staged_nodes_statement(chunk.group)
            else:
                rows = chunk.rows if empty else _between_staged(chunk, staged, deferred)
                statement = staged_relationships_statement(chunk.group)
            if not rows and not deferred:
                continue
            with session.begin_transaction() as tx:
                if rows:
                    tx.run(statement, rows=rows).consume()
                for kept in deferred:
                    tx.run(
                        f"CREATE (:`{DEFERRED}` {{seq: $seq, grp: $grp, rows: $rows}})",
                        seq=seq,
                        grp=json.dumps(kept.group),
                        rows=encode_rows(kept.rows),
                    ).consume()
                    seq += 1
                tx.commit()
            deferred.clear()
        return staged_count

    def _commit(self, session: neo4j.Session, staged_count: int, replace: bool) -> None:
        """Step 4 of ``_write``: the load's commit point, one small transaction."""
        with session.begin_transaction() as tx:
            found = tx.run(f"MATCH (n:`{STAGED}`) RETURN count(n) AS n").single(strict=True)["n"]
            if found != staged_count:  # something else deleted or added staged nodes: commit nothing
                raise StoreError(
                    f"the load staged {staged_count} nodes but found {found} to make real; nothing was written"
                )
            tx.run(f"CREATE (:`{PUBLISHING}` {{phase: $phase}})", phase="retire" if replace else "promote").consume()
            tx.commit()

    def _publish(self, session: neo4j.Session) -> None:
        """Step 5 of ``_write``: make a committed load part of the graph, batch by batch, from its recorded phase.

        Idempotent: run again after a crash at any point, it finishes the same load.
        """
        record = session.run(f"MATCH (p:`{PUBLISHING}`) RETURN p.phase AS phase").single()
        if record is None:
            return
        phase = record["phase"]
        if phase == "retire":
            for label in LABELS:
                self._in_batches(
                    session,
                    f"MATCH (n:`{label}`) WITH n LIMIT $batch "
                    f"SET n:`{RETIRED}` REMOVE n:`{label}`:`{ENTITY_LABEL}` RETURN count(*) AS n",
                )
            phase = self._next_phase(session, "promote")
        if phase == "promote":
            for label in LABELS:
                self._in_batches(
                    session,
                    f"MATCH (n:`{STAGED}`) WHERE n._label = $label WITH n LIMIT $batch "
                    f"SET n:`{label}`:`{ENTITY_LABEL}` REMOVE n:`{STAGED}`, n._label RETURN count(*) AS n",
                    label=label,
                )
            self._next_phase(session, "deferred")
        while self._apply_deferred_chunk(session):
            checkpoint("mid-publish")
        session.run(f"MATCH (p:`{PUBLISHING}`) DELETE p").consume()

    def _in_batches(self, session: neo4j.Session, statement: str, *, publishing: bool = True, **params: Any) -> None:
        """Run a ``… LIMIT $batch … RETURN count(*) AS n`` statement, a transaction each, until it touches nothing."""

        def batch(size: int) -> bool:
            touched = session.run(statement, batch=size, **params).single(strict=True)["n"]
            if touched and publishing:
                checkpoint("mid-publish")
            return bool(touched)

        self._shrinking(batch)

    def _shrinking(self, batch: Callable[[int], bool]) -> None:
        """Call ``batch(size)`` until it returns False, starting at ``write_batch_rows`` rows.

        A batch the server has no memory for is tried again at half the size: a committed load
        must be able to finish on the server it was committed to.
        """
        size = self.write_batch_rows
        while True:
            try:
                more = batch(size)
            except Neo4jError as error:
                size = _smaller_batch(error, size)
                continue
            if not more:
                return

    @staticmethod
    def _next_phase(session: neo4j.Session, phase: str) -> str:
        session.run(f"MATCH (p:`{PUBLISHING}`) SET p.phase = $phase", phase=phase).consume()
        return phase

    def _apply_deferred_chunk(self, session: neo4j.Session) -> bool:
        """MERGE the first deferred chunk into the graph, then delete it; False when none is left.

        Its rows go in batches (halved when the server has no memory for one); MERGE makes a batch
        applied twice, after a crash, change nothing.
        """
        record = session.run(
            f"MATCH (d:`{DEFERRED}`) RETURN d.seq AS seq, d.grp AS grp, d.rows AS rows ORDER BY d.seq LIMIT 1"
        ).single()
        if record is None:
            return False
        group = json.loads(record["grp"])
        rows = decode_rows(record["rows"])
        kind: Literal["nodes", "relationships"] = "nodes" if isinstance(group, str) else "relationships"
        statement = statement_for(Chunk(kind, group if isinstance(group, str) else tuple(group), []))
        start = 0

        def batch(size: int) -> bool:
            nonlocal start
            session.run(statement, rows=rows[start : start + size]).consume()
            start += size
            return start < len(rows)

        self._shrinking(batch)
        session.run(f"MATCH (d:`{DEFERRED}` {{seq: $seq}}) DELETE d", seq=record["seq"]).consume()
        return True

    def _publishing(self, session: neo4j.Session) -> bool:
        """Whether a committed load is being made part of the graph (its ``_Publishing`` node exists)."""
        return bool(session.run(f"MATCH (p:`{PUBLISHING}`) RETURN count(p) AS n").single(strict=True)["n"])

    def _new_nodes(self, session: neo4j.Session, chunk: Chunk, deferred: list[Chunk]) -> list[dict[str, Any]]:
        """The chunk's nodes the graph does not hold (to stage); those it holds go to ``deferred``."""
        held = {
            record["id"]
            for record in session.run(
                f"UNWIND $ids AS id MATCH (n {{id: id}}) WHERE n:`{ENTITY_LABEL}` RETURN n.id AS id",
                ids=[row["id"] for row in chunk.rows],
            )
        }
        if held:
            deferred.append(Chunk("nodes", chunk.group, [row for row in chunk.rows if row["id"] in held]))
        return [row for row in chunk.rows if row["id"] not in held]

    def _live_loads(self, session: neo4j.Session, *, besides: str, grace_s: float = 0.0) -> int:
        """How many other loads are running (their tagged transactions are open on the server).

        With ``grace_s``, a load still listed is asked about again until it is gone or the grace has
        passed: a load killed a moment ago stays listed until the server notices its closed
        connection, and it must not be taken for a live one (it would keep its staged nodes, or
        refuse the next load).
        """
        deadline = time.monotonic() + grace_s
        while True:
            record = session.run(
                f"SHOW TRANSACTIONS YIELD metaData WHERE metaData.{LOAD_METADATA} IS NOT NULL "
                f"AND metaData.{LOAD_METADATA} <> $load RETURN count(*) AS n",
                load=besides,
            ).single(strict=True)
            live = int(record["n"])
            if not live or time.monotonic() >= deadline:
                return live
            time.sleep(0.05)

    def _recover(self, session: neo4j.Session) -> None:
        """Deal with what dead loads left: finish a committed one, delete an uncommitted one's batches."""
        self._publish(session)
        for marker in (STAGED, DEFERRED, RETIRED):
            self._delete_marked(session, marker)

    def _delete_marked(self, session: neo4j.Session, marker: str) -> None:
        """Delete every node labelled ``marker`` (with its relationships), a batch per transaction."""
        self._in_batches(
            session, f"MATCH (n:`{marker}`) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS n", publishing=False
        )

    def _recover_quietly(self) -> None:
        """After a failed load: recover if the server still answers (else the next writable open will)."""
        with contextlib.suppress(Neo4jError, DriverError, ServiceUnavailable, OSError), self._session(True) as session:
            if not self._live_loads(session, besides="", grace_s=DEAD_LOAD_GRACE_S):
                self._recover(session)

    def apply_schema(self, statements: Iterable[str]) -> None:
        """Create constraints and indexes; each statement says IF NOT EXISTS."""
        with self._session(write=True) as session:
            for statement in statements:
                session.run(statement).consume()

    @property
    def where(self) -> str:
        """The server, as messages name it (no credentials)."""
        return f"Neo4j at {self.uri}"

    def upgrade(self) -> None:
        """A writer first recovers what a dead load left (unless a load is running); a reader waits for
        a load being published to finish, or is refused if one died while publishing. Then ``Store.upgrade``.
        """
        with self._session(write=self.writable) as session:
            if self.writable:
                if not self._live_loads(session, besides="", grace_s=DEAD_LOAD_GRACE_S):
                    self._recover(session)
            else:
                self._wait_for_publishing(session)
        super().upgrade()

    def _wait_for_publishing(self, session: neo4j.Session) -> None:
        """Return once no load is being published (readers would see part of it); refuse a dead one's graph."""
        deadline = time.monotonic() + PUBLISH_WAIT_S
        while self._publishing(session):
            if not self._live_loads(session, besides="", grace_s=DEAD_LOAD_GRACE_S):
                raise StoreError(
                    f"a load into {self.where} stopped while it was being made part of the graph, which "
                    "holds only part of it now. Open it for writing once to finish that load: any "
                    "`ruralgraph load` into it does (loading the same files again changes nothing)"
                )
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"a load into {self.where} is being made part of the graph and has not finished in "
                    f"{PUBLISH_WAIT_S:g} s; try again when it has"
                )
            time.sleep(0.2)

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()


def staged_nodes_statement(label: str) -> str:
    """The batched CREATE of one label's nodes as staged: the label ``_Staged``, the model label kept aside."""
    check_label(label)
    return f"UNWIND $rows AS row CREATE (n:`{STAGED}`) SET n = row.props, n._label = '{label}'"


def staged_relationships_statement(group: RelGroup) -> str:
    """The batched CREATE of one relationship group between staged nodes (found by the staged id index)."""
    rel_type, _, _ = check_group(group)
    return (
        f"UNWIND $rows AS row MATCH (a:`{STAGED}` {{id: row.from}}) USING INDEX a:`{STAGED}`(id) "
        f"MATCH (b:`{STAGED}` {{id: row.to}}) USING INDEX b:`{STAGED}`(id) "
        f"CREATE (a)-[r:`{rel_type}`]->(b) SET r = row.props"
    )


def _between_staged(chunk: Chunk, staged: set[str], deferred: list[Chunk]) -> list[dict[str, Any]]:
    """The chunk's relationships between two staged nodes; the others (they touch the graph) go to ``deferred``."""
    inside: list[dict[str, Any]] = []
    touching: list[dict[str, Any]] = []
    for row in chunk.rows:
        (inside if row["from"] in staged and row["to"] in staged else touching).append(row)
    if touching:
        deferred.append(Chunk("relationships", chunk.group, touching))
    return inside


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


def _what_happened(committed: bool) -> str:
    """What a failed load did to the graph, as its message says it."""
    if committed:
        return (
            "the load was committed before that, and the next writable open (any `ruralgraph load`) "
            "finishes making it part of the graph"
        )
    return "nothing was written"


def _load_refused(error: Neo4jError, committed: bool = False) -> str:
    """What to tell a user whose load Neo4j refused; a load too big for the server's memory says what to do."""
    code = error.code or ""
    message = f"Neo4j refused the load ({code}); {_what_happened(committed)}"
    if "OutOfMemory" in code:
        message += (
            ". A batch needs more memory than the server allows: raise "
            "dbms.memory.transaction.total.max (and the heap, server.memory.heap.max_size), or, for the "
            "very largest loads, load into the embedded store and use `ruralgraph export neo4j-csv -o DIR` "
            "with neo4j-admin database import"
        )
    return message


def _smaller_batch(error: Neo4jError, size: int) -> int:
    """Half the batch size, if the server refused a batch for memory and it can shrink; else the error again."""
    if "MemoryPoolOutOfMemory" not in (error.code or "") or size <= 1:
        raise error
    return size // 2


def encode_rows(rows: list[dict[str, Any]]) -> str:
    """Rows as JSON text, dates tagged (deferred chunks are kept in the graph as text until published)."""
    return json.dumps(rows, ensure_ascii=False, default=_tagged)


def decode_rows(text: str) -> list[dict[str, Any]]:
    """The rows ``encode_rows`` wrote, dates as dates again."""
    rows: list[dict[str, Any]] = json.loads(text, object_hook=_untagged)
    return rows


def _tagged(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot keep a {type(value).__name__} in a deferred chunk")


def _untagged(value: dict[str, Any]) -> Any:
    if len(value) == 1:
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
    return value


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
        # Only the model's labels: the shared one (model.ENTITY_LABEL) is no node's type.
        return {"labels": sorted(value.labels & _MODEL_LABELS), **{k: plain_value(v) for k, v in value.items()}}
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
