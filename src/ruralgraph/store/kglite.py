"""The embedded store: a kglite graph in one file on disk, with no server.

Readers open a read-only copy as of the last save (``kglite.load``), so they never wait for a
writer; a writer holds kglite's single-writer lease. A write is one kglite transaction: on any
error it rolls back and the file is untouched; on success it commits in memory and saves
atomically (temp file, fsync, rename), so a crash at any point leaves the old or the new graph.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kglite

if TYPE_CHECKING:
    import pandas as pd

from ruralgraph.errors import QueryError, StoreError
from ruralgraph.faults import checkpoint
from ruralgraph.model import ENTITY_LABEL, LABELS
from ruralgraph.store.base import WRITE_REFUSED, Progress, Row, Store, timed_out, tracked, work_refused
from ruralgraph.store.chunks import Chunk
from ruralgraph.store.statements import statement_for

# kglite prints warnings (e.g. an unknown label in MATCH) to stderr by default; ruralgraph reports
# its own errors, and an unknown label simply matches nothing on both engines.
kglite.set_query_warning_policy("silent")
# On large graphs kglite notes, at save, which columns a memory-mapped load cannot read in place
# (list columns such as search_keys). It is about load speed, not correctness: not the user's concern.
warnings.filterwarnings("ignore", category=kglite.MappedFallbackWarning)

_ENGINE_ATTRS = ("title", "type")  # kglite adds these to every node; the schema forbids them as properties


class KgliteStore(Store):
    """A graph in a ``.kgl`` file."""

    engine = "kglite"
    write_batch_rows = 5000

    def __init__(self, path: Path, *, writable: bool) -> None:
        self.path = Path(path)
        self.writable = writable
        if writable:
            refuse_read_only_file(self.path)
        elif not self.path.exists():
            # A mistyped --db must not read as an empty graph: loading is what creates a store.
            raise StoreError(
                f"there is no store at {self.path}: check --db (or $RURALGRAPH_DB), or create it with "
                f"`ruralgraph load PATHS --db {self.path}`"
            )
        try:
            if writable:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # No write-ahead log: the atomic save (temp file, fsync, rename) is the one moment a
                # write becomes durable, so readers (who read the saved file) and a writer that
                # reopens after a crash always see the same graph: the old one or the new one.
                self._graph = kglite.open(str(self.path), durable="off")
            else:
                self._graph = kglite.load(str(self.path))
        except kglite.WriterLeaseHeldError as error:
            raise StoreError(
                f"{self.path} is in use: another ruralgraph process is writing it. "
                "Wait for it to finish; reading commands work meanwhile."
            ) from error
        except kglite.FileIoError as error:
            purpose = " for writing" if writable else ""
            raise StoreError(f"cannot open {self.path}{purpose}: {io_reason(error)}") from error
        except (kglite.FileError, kglite.FileFormatError, OSError, ValueError) as error:
            raise StoreError(f"cannot open {self.path}: {error}") from error
        self._graph.read_only(True)

    def _execute(
        self,
        query: str,
        params: dict[str, Any],
        write: bool,
        timeout_ms: int | None,
        fetch: int | None,
        work_limit: int | None,
    ) -> list[Row]:
        """One statement through kglite, its read-only mode on unless ``write``; saved after a write."""
        self._graph.read_only(not write)
        try:
            result = self._graph.cypher(
                query, params=params, timeout_ms=timeout_ms, row_limit=fetch, max_work_units=work_limit
            )
        except kglite.ReadOnlyError as error:
            raise QueryError(WRITE_REFUSED) from error
        except kglite.CypherTimeoutError as error:
            raise QueryError(timed_out(timeout_ms)) from error
        except kglite.CypherExecutionError as error:
            if work_limit is not None and "max_work_units" in str(error):
                raise QueryError(work_refused(work_limit)) from error
            raise QueryError(f"kglite: {error}") from error
        except (kglite.KgError, ValueError, RuntimeError, OverflowError, TypeError) as error:
            raise QueryError(f"kglite: {error}") from error
        finally:
            self._graph.read_only(True)
        if write:
            self._save("the statement")
        return [plain_row(row) for row in _rows(result)]

    def _save(self, what: str) -> None:
        """Save atomically; a failed save (disk full, read-only file system) drops the unsaved change.

        The file is untouched (kglite writes a temp file and renames it only when complete). The
        graph in memory is dropped and the file opened again, never ``close()``d, which would try
        to save once more.
        """
        try:
            self._graph.save()
        except (kglite.FileIoError, OSError) as error:
            self._discard_unsaved(reopen=False)  # the store is given up: a close would try to save again
            raise StoreError(
                f"cannot save {self.path}: {io_reason(error)}. {what.capitalize()} was not saved; "
                "the store holds what it held before"
            ) from error

    def _write(self, chunks: Iterable[Chunk], progress: Progress | None, replace: bool) -> None:
        """Every chunk or nothing, then an atomic save.

        Into an empty store (a first load, or ``replace``) the chunks go through kglite's bulk
        path, its fastest; otherwise through one transaction of batched MERGE statements. Either
        way the file changes only at the save: a failure before it reopens the untouched file.
        """
        self._graph.read_only(False)
        bulk = replace or self._is_empty()
        try:
            if bulk:
                self._write_bulk(chunks, progress, replace)
            else:
                self._write_merge(chunks, progress)  # a failed transaction leaves memory untouched
        except BaseException:
            if bulk:
                self._discard_unsaved()
            raise
        finally:
            if self._graph is not None:
                self._graph.read_only(True)
        checkpoint("before-save")
        self._save("this load")
        checkpoint("after-save")

    def _is_empty(self) -> bool:
        return bool(_rows(self._graph.cypher("MATCH (n) RETURN count(n) AS n"))[0]["n"] == 0)

    def _write_merge(self, chunks: Iterable[Chunk], progress: Progress | None) -> None:
        transaction = self._graph.begin()
        try:
            for chunk in tracked(chunks, progress):
                transaction.cypher(statement_for(chunk), params={"rows": chunk.rows})
            checkpoint("before-commit")
            transaction.commit()
        except BaseException:
            transaction.rollback()
            raise

    def _write_bulk(self, chunks: Iterable[Chunk], progress: Progress | None, replace: bool) -> None:
        if replace:
            self._graph.cypher("MATCH (n) DETACH DELETE n")
        # kglite's bulk path keeps one relationship per (type, from, to); ruralgraph keeps one per
        # source as well, so a triple seen again (from another source) is MERGEd after the bulk.
        seen: set[tuple[str, str, str]] = set()  # (type, from, to)
        repeated: list[Chunk] = []
        for chunk in tracked(chunks, progress):
            if isinstance(chunk.group, str):
                self._graph.add_nodes(
                    _frame([row["props"] for row in chunk.rows]),
                    chunk.group,
                    "id",
                    conflict_handling="replace",
                    labels=[ENTITY_LABEL],
                )
            else:
                rel_type, from_label, to_label = chunk.group
                fresh: list[dict[str, Any]] = []
                again: list[dict[str, Any]] = []
                for row in chunk.rows:
                    key = (rel_type, row["from"], row["to"])
                    (again if key in seen else fresh).append(row)
                    seen.add(key)
                if fresh:
                    frame = _frame([{"from": r["from"], "to": r["to"], **r["props"]} for r in fresh])
                    self._graph.add_relationships(
                        frame, rel_type, from_label, "from", to_label, "to", conflict_handling="replace"
                    )
                if again:
                    repeated.append(Chunk("relationships", chunk.group, again))
        for chunk in repeated:
            self._graph.cypher(statement_for(chunk), params={"rows": chunk.rows})
        checkpoint("before-commit")

    def _discard_unsaved(self, *, reopen: bool = True) -> None:
        """Drop the unsaved changes of a failed bulk write and open the file again.

        Not ``close()``: kglite's close checkpoints whatever is in memory, which after a failed
        bulk write is half a load. Dropping the handle releases the lease and saves nothing. If
        something still holds the handle, the store stays closed (it never saves the half load).
        """
        graph, self._graph = self._graph, None  # type: ignore[assignment]
        del graph
        gc.collect()
        if not reopen:
            return
        with contextlib.suppress(kglite.FileIoError):  # the lease held elsewhere, or the disk still full
            self._graph = kglite.open(str(self.path), durable="off")

    def apply_schema(self, statements: Iterable[str]) -> None:
        """Create the constraints and indexes (idempotent: every statement says IF NOT EXISTS).

        Not the shared label's property indexes: kglite keys property indexes by a node's own
        label and refuses them on a secondary label such as ``model.ENTITY_LABEL``. It needs none:
        it finds an id through its own id index when the pattern names no label
        (``MATCH (n {id: $id}) WHERE n:Entity``, as the named queries write it).
        """
        self._graph.read_only(False)
        try:
            for statement in statements:
                if statement.startswith("CREATE INDEX") and f"(n:`{ENTITY_LABEL}`)" in statement:
                    continue
                self._graph.cypher(statement)
        finally:
            self._graph.read_only(True)

    @property
    def where(self) -> str:
        """The store's path, as messages name it."""
        return str(self.path)

    def close(self) -> None:
        """Release the writer lease, if held."""
        if self.writable and self._graph is not None:
            self._graph.close()

    @property
    def graph(self) -> kglite.KnowledgeGraph:
        """The kglite graph itself, for engine-specific work (the benchmarks' raw bulk path)."""
        return self._graph


def refuse_read_only_file(path: Path) -> None:
    """Refuse to write a store file that is read-only: by its mode (0444), for this user, or on its file system.

    The save replaces the file by renaming a new one over it, which the file's own mode does not
    stop (and root ignores mode bits), so the mode bits are checked here, before anything is written.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if os.statvfs(path).f_flag & os.ST_RDONLY:
        raise StoreError(f"{path} is on a read-only file system: ruralgraph cannot write it; reading commands work")
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise StoreError(
            f"{path} is read-only (mode {stat.filemode(mode)}): ruralgraph will not write it. "
            f"Make it writable (chmod u+w {path}) to load into it; reading commands work as they are"
        )


def io_reason(error: BaseException) -> str:
    """What went wrong with a file, in plain words (kglite's prefix taken off)."""
    return str(error).removeprefix("File I/O error: ").strip() or type(error).__name__


def _rows(result: Any) -> list[dict[str, Any]]:
    """A kglite result's rows (its ``cypher`` may also answer a string, for statements that return none)."""
    return [] if isinstance(result, str) else list(result.to_list())


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    # pandas is imported only for bulk writes: reading commands start without it.
    import pandas as pd

    """Rows → a DataFrame with a dtype per column that keeps each value as it is in the graph.

    Integers with gaps stay integers (nullable Int64, not floats), lists stay lists, and an
    absent value stays absent.
    """

    columns: dict[str, Any] = {}
    for key in dict.fromkeys(key for row in rows for key in row):
        values = [row.get(key) for row in rows]
        present = [value for value in values if value is not None]
        if present and all(isinstance(v, bool) for v in present):
            columns[key] = pd.array(values, dtype="boolean")
        elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            columns[key] = pd.array(values, dtype="Int64")
        else:
            columns[key] = pd.Series(values, dtype=object)
    return pd.DataFrame(columns)


_SCALARS = (str, int, float, bool, type(None))


def plain_row(row: dict[str, Any]) -> Row:
    """One result row, each value through ``plain_value`` (scalars, most values, as they are)."""
    return {key: value if type(value) in _SCALARS else plain_value(value) for key, value in row.items()}


def plain_value(value: Any) -> Any:
    """kglite's node, relationship and path maps → the engine-neutral shapes of ``Store.run``.

    A node becomes its properties plus ``labels``; a relationship its properties plus ``type``;
    a path ``{"nodes": [...], "relationships": [...]}``.
    """
    if isinstance(value, dict):
        keys = value.keys()
        if keys == {"id", "labels", "properties"}:
            props = {k: plain_value(v) for k, v in value["properties"].items() if k not in _ENGINE_ATTRS}
            return {"labels": [label for label in value["labels"] if label in LABELS], **props}
        if keys == {"id", "start", "end", "type", "properties"}:
            props = {k: plain_value(v) for k, v in value["properties"].items() if k not in _ENGINE_ATTRS}
            return {"type": value["type"], **props}
        if keys == {"nodes", "relationships"}:
            return {
                "nodes": [plain_value(n) for n in value["nodes"]],
                "relationships": [plain_value(r) for r in value["relationships"]],
            }
        return {key: plain_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(item) for item in value]
    return value
