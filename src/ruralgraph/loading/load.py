"""Inputs → one validated load → a store, all or nothing.

``validate`` and ``load`` are the Python functions behind ``ruralgraph validate`` and
``ruralgraph load``. Every input is read and checked before anything is written (pass 1); then
nodes and relationships stream to the store in chunks inside one transaction (passes 2 and 3).
One bad file means nothing is written. Loading is idempotent: MERGE on stable ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from ruralgraph.errors import InvalidInput, Problem
from ruralgraph.faults import checkpoint
from ruralgraph.loading.index import InputSource, MemorySource, Validator, node_chunks, relationship_chunks
from ruralgraph.model import Node
from ruralgraph.readers.cases import CASE_FILE_SUFFIXES, read_case_file
from ruralgraph.readers.jsonlines import JSONL_SUFFIXES, JsonlSource
from ruralgraph.readers.records import Records
from ruralgraph.readers.tables import mapping_for, read_mappings, read_table
from ruralgraph.schema import read_constraint_statements
from ruralgraph.settings import StoreSettings
from ruralgraph.store import open_store
from ruralgraph.store.base import Progress, Store
from ruralgraph.tools.dedupe import DECISIONS_FILE, Decisions, read_decisions

TABLE_SUFFIXES = (".csv",)
INPUT_SUFFIXES = CASE_FILE_SUFFIXES + TABLE_SUFFIXES + JSONL_SUFFIXES


@dataclass
class LoadReport:
    """What a load read and what the store holds afterwards."""

    files: list[str] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    store: str = ""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Inputs:
    """The input files, opened: one source per file, and the duplicate decisions."""

    files: list[Path]
    sources: list[InputSource]
    decisions: Decisions


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """The input files named, with folders searched recursively (hidden files skipped)."""
    found: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in INPUT_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(str(path), None, "", "no such file or folder"))
    if problems:
        raise InvalidInput(problems)
    return found


def open_inputs(paths: Iterable[Path | str]) -> Inputs:
    """Read (or, for bulk files, open) every input; raise ``InvalidInput`` with all per-file problems.

    A file named ``merges.yaml`` holds confirmed duplicate decisions, not a case.
    """
    paths = list(paths)
    files = discover(paths)
    if not files:
        raise InvalidInput([Problem(", ".join(str(p) for p in paths), None, "", "no input files found")])
    mappings, problems = read_mappings()
    sources: list[InputSource] = []
    decisions = Decisions()
    for path in files:
        suffix = path.suffix.lower()
        file_problems: list[Problem] = []
        if path.name == DECISIONS_FILE:
            found, file_problems = read_decisions(path)
            decisions.merges.extend(found.merges)
            decisions.distinct.extend(found.distinct)
        elif suffix in JSONL_SUFFIXES:
            sources.append(JsonlSource(path))
        elif suffix in CASE_FILE_SUFFIXES:
            records, file_problems = read_case_file(path)
            sources.append(MemorySource([*records.nodes, *records.relationships]))
        elif suffix in TABLE_SUFFIXES:
            loaded = mapping_for(path, mappings)
            if loaded is None:
                file_problems = [
                    Problem(
                        str(path), None, "", "no mapping in loaders/ reads this file; add one (see loaders/README.md)"
                    )
                ]
            else:
                records, file_problems = read_table(path, loaded)
                sources.append(MemorySource([*records.nodes, *records.relationships]))
        else:
            file_problems = [
                Problem(str(path), None, "", f"unknown input format {suffix!r}; expected {', '.join(INPUT_SUFFIXES)}")
            ]
        problems.extend(file_problems)
    if problems:
        raise InvalidInput(problems)
    return Inputs(files, sources, decisions)


def check(inputs: Inputs, store: Store | None = None) -> Validator:
    """Pass 1 over every input: the whole-load checks (references may point into ``store``)."""
    index = Validator(inputs.decisions)
    for source in inputs.sources:
        index.read(source)
    index.finish(store.labels_of if store is not None else None)
    return index


def input_nodes(paths: Iterable[Path | str]) -> tuple[Records, Decisions]:
    """Every node the inputs declare (for dedupe), and the decisions already recorded."""
    inputs = open_inputs(paths)
    records = Records()
    for source in inputs.sources:
        for item, where, problems in source.items(only=Node):
            if problems:
                raise InvalidInput(problems)
            if isinstance(item, Node):
                records.nodes.append((item, where))
    return records, inputs.decisions


def validate(paths: Iterable[Path | str], settings: StoreSettings | None = None) -> LoadReport:
    """Check the inputs without writing; references may resolve into the store when one is given."""
    inputs = open_inputs(paths)
    if settings is None:
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
) -> LoadReport:
    """Validate every input, then write them all in one atomic write; return what the store holds.

    With ``replace``, what the store held before is deleted in the same transaction, so a load
    that fails leaves even a ``replace`` store untouched.
    """
    settings = settings or StoreSettings.resolve()
    inputs = open_inputs(paths)
    with open_store(settings, writable=True) as store:
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
