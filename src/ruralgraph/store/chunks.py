"""What stores write: chunks of rows per label or relationship group, in order (nodes first).

Labels and relationship types in a chunk come only from the schema's closed lists, so a store may
put them into query text; every value travels as a parameter.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from queue import Full, Queue
from typing import Any, Literal

from ruralgraph.model import LABELS, REL_TYPES

NodeRow = dict[str, Any]  # {"id": str, "props": {...}}
RelRow = dict[str, Any]  # {"from": str, "to": str, "source": str, "props": {...}}
RelGroup = tuple[str, str, str]  # (type, from label, to label)


@dataclass
class Chunk:
    """Rows of one label (``nodes``) or one relationship group (``relationships``)."""

    kind: Literal["nodes", "relationships"]
    group: str | RelGroup
    rows: list[dict[str, Any]]

    def __post_init__(self) -> None:
        if self.kind == "nodes":
            check_label(self.group)
        else:
            check_group(self.group)


def check_label(label: object) -> str:
    """The label, if the schema has it; a ``ValueError`` otherwise (labels may go into query text)."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}")
    return str(label)


def check_group(group: object) -> RelGroup:
    """The (type, from label, to label) group, if the schema has all three; a ``ValueError`` otherwise."""
    if not (
        isinstance(group, tuple)
        and len(group) == 3
        and group[0] in REL_TYPES
        and group[1] in LABELS
        and group[2] in LABELS
    ):
        raise ValueError(f"unknown relationship group {group!r}")
    return (str(group[0]), str(group[1]), str(group[2]))


class Chunker:
    """Collects rows per group and hands out full chunks as they fill (and the rest at the end)."""

    def __init__(self, kind: Literal["nodes", "relationships"], size: int) -> None:
        self.kind = kind
        self.size = size
        self._pending: dict[Any, list[dict[str, Any]]] = {}

    def add(self, group: str | RelGroup, row: dict[str, Any]) -> Chunk | None:
        """Queue a row; returns a full chunk when its group reaches the chunk size."""
        rows = self._pending.setdefault(group, [])
        rows.append(row)
        if len(rows) >= self.size:
            del self._pending[group]
            return Chunk(self.kind, group, rows)
        return None

    def rest(self) -> Iterator[Chunk]:
        """The partly filled chunks."""
        for group, rows in self._pending.items():
            yield Chunk(self.kind, group, rows)
        self._pending = {}


@dataclass
class GraphBatch:
    """A small graph held in memory (tests, and anything built by hand), written as chunks."""

    nodes: dict[str, list[NodeRow]] = field(default_factory=dict)
    relationships: dict[RelGroup, list[RelRow]] = field(default_factory=dict)

    def add_node(self, label: str, node_id: str, props: dict[str, Any]) -> None:
        """Queue a node; ``props`` include its ``id``."""
        self.nodes.setdefault(check_label(label), []).append({"id": node_id, "props": props})

    def add_relationship(self, group: RelGroup, start: str, end: str, source: str, props: dict[str, Any]) -> None:
        """Queue a relationship; ``props`` include its ``source``."""
        self.relationships.setdefault(check_group(group), []).append(
            {"from": start, "to": end, "source": source, "props": props}
        )

    def chunks(self, size: int) -> Iterator[Chunk]:
        """All nodes first, then relationships, in chunks of at most ``size`` rows."""
        for label, node_rows in self.nodes.items():
            for start in range(0, len(node_rows), size):
                yield Chunk("nodes", label, node_rows[start : start + size])
        for group, rel_rows in self.relationships.items():
            for start in range(0, len(rel_rows), size):
                yield Chunk("relationships", group, rel_rows[start : start + size])


def prefetched(chunks: Iterable[Chunk], depth: int = 2) -> Iterator[Chunk]:
    """The chunks, made ``depth`` ahead in a thread of their own.

    A server-backed store waits for each batch to commit; making the next chunk meanwhile (reading
    the spool, building rows: Python that releases nothing to the server) overlaps the two. The
    chunks come in the same order; an error in making one is raised here, where it was due; when
    the consumer stops early, the thread stops at its next chunk.
    """
    done = object()
    queue: Queue[object] = Queue(maxsize=depth)
    stop = threading.Event()

    def make() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        queue.put(chunk, timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put(done)
        except BaseException as error:  # handed to the consumer, raised there
            queue.put(_Failed(error))

    maker = threading.Thread(target=make, name="ruralgraph-chunks", daemon=True)
    maker.start()
    try:
        while True:
            item = queue.get()
            if item is done:
                return
            if isinstance(item, _Failed):
                raise item.error
            assert isinstance(item, Chunk)
            yield item
    finally:
        stop.set()


@dataclass
class _Failed:
    error: BaseException
