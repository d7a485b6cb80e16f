"""What every reader produces: validated nodes and relationships, each with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from ruralgraph.model import Node, Relationship


@dataclass(frozen=True)
class Where:
    """The file and line (1-based; for CSV, the line of the row) a record was read from."""

    file: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass
class Records:
    """The nodes and relationships read from one or more inputs, in input order."""

    nodes: list[tuple[Node, Where]] = field(default_factory=list)
    relationships: list[tuple[Relationship, Where]] = field(default_factory=list)
