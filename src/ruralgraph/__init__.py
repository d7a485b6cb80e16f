"""ruralgraph: a graph database of assistance relationships in China's rural revitalisation.

Case files with evidence → a validated property graph (embedded kglite or Neo4j 5) → named Cypher
questions, NetworkX analysis and partnership maps.
"""

from typing import TYPE_CHECKING, Any

from ruralgraph.api import Graph, connect, load, validate
from ruralgraph.errors import Ambiguous, InvalidInput, NotFound, Problem, QueryError, RuralgraphError, StoreError
from ruralgraph.settings import StoreSettings

if TYPE_CHECKING:
    from ruralgraph.loading.load import LoadReport


def __getattr__(name: str) -> Any:
    """``LoadReport`` is imported on first use: the loader's modules are not needed to ask questions."""
    if name == "LoadReport":
        from ruralgraph.loading.load import LoadReport

        return LoadReport
    raise AttributeError(f"module 'ruralgraph' has no attribute {name!r}")


__version__ = "0.1.0"
__all__ = [
    "Ambiguous",
    "Graph",
    "InvalidInput",
    "LoadReport",
    "NotFound",
    "Problem",
    "QueryError",
    "RuralgraphError",
    "StoreError",
    "StoreSettings",
    "connect",
    "load",
    "validate",
]
