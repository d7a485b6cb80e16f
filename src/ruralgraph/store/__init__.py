"""Stores: one small interface (``base.Store``), one module per engine.

Nothing outside this package knows which engine runs; ``open_store`` picks one from the settings.
"""

from __future__ import annotations

from pathlib import Path

from ruralgraph.settings import DEFAULT_DB, StoreSettings
from ruralgraph.store.base import Row, Store


def open_store(settings: StoreSettings, *, writable: bool = False) -> Store:
    """Open the store the settings name; read-only unless ``writable``.

    A store written by an earlier ruralgraph is upgraded when opened for writing, refused otherwise
    (``Store.upgrade``).
    """
    store: Store
    if settings.neo4j_uri:
        from ruralgraph.store.neo4j import Neo4jStore

        store = Neo4jStore(settings, writable=writable)
    else:
        from ruralgraph.store.kglite import KgliteStore

        store = KgliteStore(settings.db or Path(DEFAULT_DB), writable=writable)
    try:
        store.upgrade()
    except BaseException:
        store.close()
        raise
    return store


__all__ = ["Row", "Store", "StoreSettings", "open_store"]
