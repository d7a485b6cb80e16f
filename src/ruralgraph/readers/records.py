"""What every reader produces: validated nodes and relationships, each with where it came from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from ruralgraph.errors import Problem, Where
from ruralgraph.model import Node, Relationship
from ruralgraph.readers.decisions import Decisions

Item = Node | Relationship


@dataclass
class Records:
    """The nodes and relationships read from one or more inputs, in input order."""

    nodes: list[tuple[Node, Where]] = field(default_factory=list)
    relationships: list[tuple[Relationship, Where]] = field(default_factory=list)
    decisions: Decisions = field(default_factory=Decisions)  # a case file's ``decisions:`` section


class InputSource(Protocol):
    """Something that yields validated items (or their problems) each time it is iterated.

    ``only`` (Node or Relationship) lets a source skip the other kind before validating it.
    """

    def items(self, only: type | None = None) -> Iterator[tuple[Item | None, Where, list[Problem]]]:
        """Each item (validated, or None with its problems) and where it was read."""
        ...


@dataclass
class MemorySource:
    """Records already in memory (case files and CSV tables are small)."""

    entries: list[tuple[Item, Where]]

    def items(self, only: type | None = None) -> Iterator[tuple[Item | None, Where, list[Problem]]]:
        """Each record, with no problems (they were validated when read)."""
        for item, where in self.entries:
            if only is None or isinstance(item, only):
                yield item, where, []
