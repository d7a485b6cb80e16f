"""ruralgraph: a graph database of assistance relationships in China's rural revitalisation.

Case files with evidence → a validated property graph (embedded kglite or Neo4j 5) → named Cypher
questions, NetworkX analysis and partnership maps.
"""

from ruralgraph.api import Graph, connect
from ruralgraph.errors import Ambiguous, InvalidInput, NotFound, Problem, QueryError, RuralgraphError, StoreError
from ruralgraph.loading.load import LoadReport, load, validate
from ruralgraph.settings import StoreSettings

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
