"""A validated set of nodes and relationships, grouped the way stores write them.

Labels and relationship types in a batch come only from the schema's closed lists, so a store may
put them into query text; every value travels as a parameter.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ruralgraph.model import LABELS, REL_TYPES

NodeRow = dict[str, Any]  # {"id": str, "props": {...}}
RelRow = dict[str, Any]  # {"from": str, "to": str, "source": str, "props": {...}}
RelGroup = tuple[str, str, str]  # (type, from label, to label)


@dataclass
class GraphBatch:
    """Nodes by label and relationships by (type, from label, to label), ready to MERGE."""

    nodes: dict[str, list[NodeRow]] = field(default_factory=dict)
    relationships: dict[RelGroup, list[RelRow]] = field(default_factory=dict)

    def add_node(self, label: str, node_id: str, props: dict[str, Any]) -> None:
        """Queue a node; ``props`` include its ``id``."""
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}")
        self.nodes.setdefault(label, []).append({"id": node_id, "props": props})

    def add_relationship(self, group: RelGroup, start: str, end: str, source: str, props: dict[str, Any]) -> None:
        """Queue a relationship; ``props`` include its ``source``."""
        rel_type, from_label, to_label = group
        if rel_type not in REL_TYPES or from_label not in LABELS or to_label not in LABELS:
            raise ValueError(f"unknown relationship group {group!r}")
        self.relationships.setdefault(group, []).append({"from": start, "to": end, "source": source, "props": props})

    @property
    def node_count(self) -> int:
        """How many nodes the batch holds."""
        return sum(len(rows) for rows in self.nodes.values())

    @property
    def relationship_count(self) -> int:
        """How many relationships the batch holds."""
        return sum(len(rows) for rows in self.relationships.values())

    def counts(self) -> dict[str, dict[str, int]]:
        """Counts per label and per relationship type."""
        rel_counts: Counter[str] = Counter()
        for (rel_type, _, _), rows in self.relationships.items():
            rel_counts[rel_type] += len(rows)
        return {
            "nodes": {label: len(rows) for label, rows in sorted(self.nodes.items())},
            "relationships": dict(sorted(rel_counts.items())),
        }
