"""The Cypher that writes chunks: labels and types come only from the schema's closed lists, and
every value travels as a parameter."""

from __future__ import annotations

from ruralgraph.model import ENTITY_LABEL
from ruralgraph.store.chunks import Chunk, RelGroup, check_group, check_label


def nodes_statement(label: str, *, create: bool = False) -> str:
    """The batched write of one label's nodes: MERGE on the constrained id, or CREATE (see ``statement_for``).

    Every node also gets the shared label (``model.ENTITY_LABEL``) that its id is found by.
    """
    check_label(label)
    if create:
        return f"UNWIND $rows AS row CREATE (n:`{label}`:`{ENTITY_LABEL}`) SET n = row.props"
    return f"UNWIND $rows AS row MERGE (n:`{label}` {{id: row.id}}) SET n = row.props, n:`{ENTITY_LABEL}`"


def relationships_statement(group: RelGroup, *, create: bool = False) -> str:
    """The batched write of one relationship group: MERGE, one per (from, type, to, source), or CREATE."""
    rel_type, from_label, to_label = check_group(group)
    pattern = f"(a)-[r:`{rel_type}`]->(b)" if create else f"(a)-[r:`{rel_type}` {{source: row.source}}]->(b)"
    return (
        f"UNWIND $rows AS row MATCH (a:`{from_label}` {{id: row.from}}) MATCH (b:`{to_label}` {{id: row.to}}) "
        f"{'CREATE' if create else 'MERGE'} {pattern} SET r = row.props"
    )


def statement_for(chunk: Chunk, *, create: bool = False) -> str:
    """The Cypher that writes one chunk: MERGE on ids, or plain CREATE into a store known to be empty.

    CREATE is safe only there: a validated load holds each node id and each (from, type, to,
    source) once, so nothing it creates can duplicate anything.
    """
    if isinstance(chunk.group, str):
        return nodes_statement(chunk.group, create=create)
    return relationships_statement(chunk.group, create=create)
