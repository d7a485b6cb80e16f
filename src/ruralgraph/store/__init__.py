"""Stores: one small interface (``base.Store``), one module per engine.

Nothing outside this package knows which engine runs; ``open_store`` picks one from the settings.
"""

from ruralgraph.store.base import Store, StoreSettings, open_store

__all__ = ["Store", "StoreSettings", "open_store"]
