"""Possible duplicates, for a person to confirm; confirmed merges replay on every load.

Nothing is merged silently. ``candidates`` lists pairs of entities of one label whose names are
near-identical (or that share a name, or a 统一社会信用代码). A person confirms a merge — or that
two are distinct — with ``ruralgraph dedupe --confirm KEEP DUPLICATE`` / ``--distinct A B``; the
decision goes into ``merges.yaml`` beside the data, and every later load applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from ruralgraph.errors import BadOption, InvalidInput, shown
from ruralgraph.model import MATCHABLE_LABELS, Node
from ruralgraph.names import normalise
from ruralgraph.readers.decisions import Decisions, Merge, conflicts, label_conflicts, read_decisions
from ruralgraph.readers.records import Records


@dataclass(frozen=True)
class Candidate:
    """Two entities that may be one."""

    label: str
    a: str
    a_name: str
    b: str
    b_name: str
    score: float
    reason: str

    def row(self) -> dict[str, Any]:
        """As a printable row."""
        return self.__dict__.copy()


def candidates(records: Records, decisions: Decisions, threshold: float = 85) -> list[Candidate]:
    """Pairs of one label with near-identical names (not already merged or confirmed distinct)."""
    settled = {frozenset(pair) for pair in decisions.distinct} | {
        frozenset((m.keep, m.merge)) for m in decisions.merges
    }
    found: dict[frozenset[str], Candidate] = {}
    nodes = {node.id: node for node, _ in records.nodes}
    for label in MATCHABLE_LABELS:
        group = sorted((n for n in nodes.values() if n.label == label), key=lambda n: n.id)
        keys = [normalise(n.name) for n in group]
        for index, node in enumerate(group):
            for other in group[index + 1 :]:
                pair = frozenset((node.id, other.id))
                if pair in settled:
                    continue
                reason = _same_entity_reason(node, other)
                if reason:
                    found[pair] = Candidate(label, node.id, node.name, other.id, other.name, 100.0, reason)
            for _, score, position in process.extract(
                keys[index], keys, scorer=fuzz.ratio, score_cutoff=threshold, limit=20
            ):
                other = group[position]
                pair = frozenset((node.id, other.id))
                if other.id <= node.id or pair in settled or pair in found:
                    continue
                found[pair] = Candidate(
                    label, node.id, node.name, other.id, other.name, round(score, 1), "similar names"
                )
    return sorted(found.values(), key=lambda c: (-c.score, c.label, c.a, c.b))


def _same_entity_reason(node: Node, other: Node) -> str | None:
    code = getattr(node, "uscc", None)
    if code and code == getattr(other, "uscc", None):
        return f"same 统一社会信用代码 {code}"
    names = {normalise(n) for n in (node.name, *node.aliases)}
    shared = names & {normalise(n) for n in (other.name, *other.aliases)}
    return f"share the name {sorted(shared)[0]}" if shared else None


def record_decision(
    path: Path,
    labels: dict[str, str],
    *,
    merge: tuple[str, str] | None = None,
    distinct: tuple[str, str] | None = None,
    note: str | None = None,
) -> Path:
    """Add a confirmed merge (keep, duplicate) or distinct pair to the decisions file.

    ``labels`` maps the ids of the input nodes to their labels. A decision that would break the next
    load (see ``readers.decisions``) raises ``BadOption`` with the reason, and nothing is written;
    a decision already recorded is not written twice.
    """
    decisions, problems = read_decisions(path) if path.exists() else (Decisions(), [])
    if problems:
        raise InvalidInput(problems)
    for node_id in (*(merge or ()), *(distinct or ())):
        if node_id not in labels:
            raise BadOption(f"refused, nothing was written: no node has id {shown(node_id)} in these files")
    if merge is not None:
        pairs = [(m.keep, m.merge) for m in decisions.merges]
        if merge not in pairs:
            decisions.merges.append(Merge(keep=merge[0], merge=merge[1], note=note))
            pairs.append(merge)
        _refuse_if_broken(decisions, labels, "merges", pairs.index(merge))
    if distinct is not None:
        if distinct not in decisions.distinct:
            decisions.distinct.append((distinct[0], distinct[1]))
        _refuse_if_broken(decisions, labels, "distinct", decisions.distinct.index(distinct))
    header = "# Decisions on possible duplicates (ruralgraph dedupe). Every load replays them.\n"
    body = yaml.safe_dump(decisions.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=False)
    path.write_text(header + body, encoding="utf-8")
    return path


def _refuse_if_broken(decisions: Decisions, labels: dict[str, str], section: str, index: int) -> None:
    """Raise ``BadOption`` with every reason the decision at ``section[index]`` would break a load."""
    found = conflicts(decisions)
    if section == "merges":
        found += label_conflicts(decisions, labels.get)
    reasons = [c.message for c in found if (c.section, c.index) == (section, index)]
    if reasons:
        raise BadOption(f"refused, nothing was written: {'; '.join(reasons)}")
