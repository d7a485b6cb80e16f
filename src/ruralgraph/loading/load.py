"""Inputs → one validated load → a store, all or nothing.

``validate`` and ``load`` are the Python functions behind ``ruralgraph validate`` and
``ruralgraph load``. Every input is read and checked before anything is written (pass 1); then
nodes and relationships stream to the store in chunks inside one transaction (passes 2 and 3).
One bad file means nothing is written. Loading is idempotent: MERGE on stable ids.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from ruralgraph.faults import checkpoint
from ruralgraph.loading.index import StoreView, ValidationIndex, node_chunks, relationship_chunks
from ruralgraph.readers import Inputs, open_inputs
from ruralgraph.schema import read_constraint_statements
from ruralgraph.settings import StoreSettings
from ruralgraph.store import open_store
from ruralgraph.store.base import Counts, Progress, Row, Store, count_rows


@dataclass
class LoadReport:
    """What a load read and what the store holds afterwards."""

    files: list[str] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    store: str = ""
    counts: Counts = field(default_factory=dict)

    def rows(self) -> list[Row]:
        """What the store holds afterwards, as rows (kind, name, count); none for a validation."""
        return count_rows(self.counts)

    def summary(self, verb: str) -> str:
        """One line for people: how many files, nodes and relationships, and where."""
        where = f" into {self.store}" if self.store else ""
        return f"{verb} {len(self.files)} file(s): {self.nodes} nodes, {self.relationships} relationships{where}"


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the duration (and back as it was after).

    A load makes millions of small objects (parsed lines, validated records, index entries,
    rows) that live until the load ends and hold no reference cycles; every collection walks
    all of them again, so with the collector on, a bulk load spends more time collecting than
    validating (the 962,022 relationships of the L benchmark file, held with its parsed lines, took
    35 s to validate with the collector on and 9 s with it off). The loader's CPU time on that file
    fell from 122 s to 72 s. Plain reference counting still frees everything that is let go; what
    cycles a load leaves (an exception's traceback) are collected when the collector is back.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # What the load made is moved to the oldest generation at once (freeze, then unfreeze):
            # otherwise the first collection after the pause walks every object made during it.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def check(inputs: Inputs, store: Store | None = None) -> ValidationIndex:
    """Pass 1 over every input: the whole-load checks, against what ``store`` already holds when given.

    References may point into the store; ids, codes and names the store holds are taken; entities
    declared again gather the claims the store holds about them.
    """
    with collector_paused():
        index = ValidationIndex(inputs.decisions, view=StoreView.of(store))
        for source in inputs.sources:
            index.read(source)
        index.finish()
    return index


def validate(
    paths: Iterable[Path | str],
    settings: StoreSettings | None = None,
    *,
    decisions: Iterable[Path | str] = (),
    mappings: Iterable[Path | str] = (),
) -> LoadReport:
    """Check the inputs without writing, against what the store of ``settings`` holds when given.

    ``decisions`` are decision files to apply; ``mappings`` name mapping files that read the tables
    first (``--mapping``); see ``open_inputs``.
    """
    inputs = open_inputs(paths, decisions, mappings=mappings)
    if settings is None or settings.holds_nothing():  # a store that does not exist yet holds nothing
        index = check(inputs)
    else:
        with open_store(settings) as store:
            index = check(inputs, store)
    return LoadReport(
        files=[str(f) for f in inputs.files], nodes=index.node_count, relationships=index.relationship_count
    )


def load(
    paths: Iterable[Path | str],
    settings: StoreSettings | None = None,
    *,
    progress: Progress | None = None,
    replace: bool = False,
    decisions: Iterable[Path | str] = (),
    mappings: Iterable[Path | str] = (),
) -> LoadReport:
    """Validate every input, then write them all in one atomic write; return what the store holds.

    With ``replace``, what the store held before is deleted in the same transaction, so a load
    that fails leaves even a ``replace`` store untouched. ``decisions`` and ``mappings`` as for ``validate``.
    """
    settings = settings or StoreSettings.resolve()
    inputs = open_inputs(paths, decisions, mappings=mappings)
    with open_store(settings, writable=True) as store, collector_paused():
        index = check(inputs, None if replace else store)
        checkpoint("after-validation")
        store.apply_schema(read_constraint_statements())
        size = store.write_batch_rows
        chunks = chain(node_chunks(index, size), relationship_chunks(index, size))
        store.write(chunks, progress=progress, replace=replace)
        counts = store.counts()
    return LoadReport(
        files=[str(f) for f in inputs.files],
        nodes=index.node_count,
        relationships=index.relationship_count,
        store=settings.describe(),
        counts=counts,
    )
