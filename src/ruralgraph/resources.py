"""Where the schema, queries, loader mappings and bundled data are, in a checkout or a wheel.

In a checkout they sit at the top of the repository; a wheel carries them in ``ruralgraph/_bundled``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_bundled"
_CHECKOUT = _PACKAGE.parent.parent


def resource_dir(name: str) -> Path:
    """The folder ``schema``, ``queries``, ``loaders`` or ``data``."""
    for base in (_BUNDLED, _CHECKOUT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"ruralgraph cannot find its {name}/ folder (looked in {_BUNDLED} and {_CHECKOUT})")


def schema_dir() -> Path:
    """The generated schema files."""
    return resource_dir("schema")


def queries_dir() -> Path:
    """The named Cypher queries."""
    return resource_dir("queries")


def loaders_dir() -> Path:
    """The declarative mappings of tabular sources."""
    return resource_dir("loaders")


def data_dir() -> Path:
    """The bundled dataset."""
    return resource_dir("data")
