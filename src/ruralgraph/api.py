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

from ruralgraph.ingest import LoadReport, load, validate
from ruralgraph.store.base import Progress, Row, Store, StoreSettings, open_store


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

    def cypher(self, query: str, params: Mapping[str, Any] | None = None, *, write: bool = False,
               timeout_ms: int | None = None, row_limit: int | None = None) -> list[Row]:
        """Run Cypher with parameters; read-only unless ``write=True`` (which needs a writable Graph)."""
        return self.store.run(query, params, write=write, timeout_ms=timeout_ms, row_limit=row_limit)

    def stats(self) -> dict[str, dict[str, int]]:
        """Node counts per label and relationship counts per type."""
        return self.store.counts()

    def load(self, paths: Iterable[Path | str], *, replace: bool = False,
             progress: Progress | None = None) -> LoadReport:
        """Load case files and tabular sources into this graph's store (all or nothing)."""
        self.close()  # the loader takes the writer's lease itself
        return load(paths, self.settings, replace=replace, progress=progress)


def connect(db: Path | str | None = None, neo4j: str | None = None, *, writable: bool = False) -> Graph:
    """Open the store named by ``db`` or ``neo4j``, else $RURALGRAPH_DB, $NEO4J_URI, ./ruralgraph.kgl."""
    return Graph(StoreSettings.resolve(db=db, neo4j=neo4j), writable=writable)


__all__ = ["Graph", "LoadReport", "connect", "load", "validate"]
