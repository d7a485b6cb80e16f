"""The embedded store: a kglite graph in one file on disk, with no server.

Readers open a read-only copy as of the last save (``kglite.load``), so they never wait for a
writer; a writer holds kglite's single-writer lease. A write is one kglite transaction: on any
error it rolls back and the file is untouched; on success it commits in memory and saves
atomically (temp file, fsync, rename), so a crash at any point leaves the old or the new graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import kglite

from ruralgraph.batch import Chunk
from ruralgraph.errors import QueryError, StoreError
from ruralgraph.faults import checkpoint
from ruralgraph.safety import assert_read_only
from ruralgraph.store.base import Progress, Row, Store, check_row_limit, statement_for

# kglite prints warnings (e.g. an unknown label in MATCH) to stderr by default; ruralgraph reports
# its own errors, and an unknown label simply matches nothing on both engines.
kglite.set_query_warning_policy("silent")

_ENGINE_ATTRS = ("title", "type")  # kglite adds these to every node; the schema forbids them as properties


class KgliteStore(Store):
    """A graph in a ``.kgl`` file."""

    engine = "kglite"
    write_batch_rows = 5000

    def __init__(self, path: Path, *, writable: bool) -> None:
        self.path = Path(path)
        self.writable = writable
        try:
            if writable:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # No write-ahead log: the atomic save (temp file, fsync, rename) is the one moment a
                # write becomes durable, so readers (who read the saved file) and a writer that
                # reopens after a crash always see the same graph: the old one or the new one.
                self._graph = kglite.open(str(self.path), durable="off")
            elif self.path.exists():
                self._graph = kglite.load(str(self.path))
            else:
                self._graph = kglite.KnowledgeGraph()
        except kglite.WriterLeaseHeldError as error:
            raise StoreError(
                f"{self.path} is in use: another ruralgraph process is writing it. "
                "Wait for it to finish; reading commands work meanwhile."
            ) from error
        except (kglite.FileError, kglite.FileFormatError, OSError, ValueError) as error:
            raise StoreError(f"cannot open {self.path}: {error}") from error
        self._graph.read_only(True)

    def run(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
        timeout_ms: int | None = None,
        row_limit: int | None = None,
    ) -> list[Row]:
        """Run one statement; without ``write`` the engine refuses every write clause."""
        if write and not self.writable:
            raise QueryError("this store was opened read-only")
        if not write:
            assert_read_only(query)
        self._graph.read_only(not write)
        try:
            result = self._graph.cypher(
                query,
                params=dict(params or {}),
                timeout_ms=timeout_ms,
                row_limit=None if row_limit is None else row_limit + 1,
            )
        except kglite.ReadOnlyError as error:
            raise QueryError("the query writes to the graph; pass --write (write=True) to allow it") from error
        except kglite.CypherTimeoutError as error:
            raise QueryError(f"the query took longer than {timeout_ms} ms (the timeout)") from error
        except (kglite.KgError, ValueError, RuntimeError) as error:
            raise QueryError(f"kglite: {error}") from error
        finally:
            self._graph.read_only(True)
        if write:
            self._graph.save()
        return check_row_limit([plain_value(row) for row in result.to_list()], row_limit)

    def write(self, chunks: Iterable[Chunk], progress: Progress | None = None, *, replace: bool = False) -> None:
        """One transaction for every chunk, then an atomic save."""
        if not self.writable:
            raise QueryError("this store was opened read-only")
        self._graph.read_only(False)
        transaction = self._graph.begin()
        try:
            if replace:
                transaction.cypher("MATCH (n) DETACH DELETE n")
            for number, chunk in enumerate(chunks):
                transaction.cypher(statement_for(chunk), params={"rows": chunk.rows})
                if progress:
                    progress(len(chunk.rows))
                if number == 0:
                    checkpoint("mid-write")
            checkpoint("before-commit")
            transaction.commit()
        except BaseException:
            transaction.rollback()
            raise
        finally:
            self._graph.read_only(True)
        checkpoint("before-save")
        self._graph.save()
        checkpoint("after-save")

    def apply_schema(self, statements: Iterable[str]) -> None:
        """Create the constraints and indexes (idempotent: every statement says IF NOT EXISTS)."""
        self._graph.read_only(False)
        try:
            for statement in statements:
                self._graph.cypher(statement)
        finally:
            self._graph.read_only(True)

    def clear(self) -> None:
        """Delete every node and relationship, then save."""
        self.run("MATCH (n) DETACH DELETE n", write=True)

    def close(self) -> None:
        """Release the writer lease, if held."""
        if self.writable:
            self._graph.close()

    @property
    def graph(self) -> kglite.KnowledgeGraph:
        """The kglite graph itself, for engine-specific work (the benchmarks' raw bulk path)."""
        return self._graph


def plain_value(value: Any) -> Any:
    """kglite's node, relationship and path maps → the engine-neutral shapes of ``Store.run``.

    A node becomes its properties plus ``labels``; a relationship its properties plus ``type``;
    a path ``{"nodes": [...], "relationships": [...]}``.
    """
    if isinstance(value, dict):
        keys = value.keys()
        if keys == {"id", "labels", "properties"}:
            props = {k: plain_value(v) for k, v in value["properties"].items() if k not in _ENGINE_ATTRS}
            return {"labels": list(value["labels"]), **props}
        if keys == {"id", "start", "end", "type", "properties"}:
            props = {k: plain_value(v) for k, v in value["properties"].items() if k not in _ENGINE_ATTRS}
            return {"type": value["type"], **props}
        if keys == {"nodes", "relationships"}:
            return {"nodes": [plain_value(n) for n in value["nodes"]],
                    "relationships": [plain_value(r) for r in value["relationships"]]}
        return {key: plain_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(item) for item in value]
    return value
