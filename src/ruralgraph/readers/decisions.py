"""Decisions on possible duplicates, written by people: which ids are one entity, which are distinct.

They live in a decisions file (``merges.yaml``) beside the data; every load replays them. Nothing is
merged silently: ``ruralgraph dedupe`` lists candidates, a person records what they decide.

A decision that would break the dataset is refused, when it is recorded and when a file that holds
it is loaded: an id merged into itself, into two ids, or into an id that is itself merged (a chain
or a circle), a pair recorded both as one entity and as distinct, and — checked against the nodes —
a merge of an id no node has, or of two nodes of different labels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from ruralgraph.errors import Problem, Where, problems_from
from ruralgraph.model import Id, Text
from ruralgraph.readers.yamlfile import line_of, load_yaml

DECISIONS_FILE = "merges.yaml"


class Merge(BaseModel):
    """A confirmed merge: ``merge`` is the same entity as ``keep``."""

    model_config = ConfigDict(extra="forbid")
    keep: Id
    merge: Id
    note: Text | None = None


class Decisions(BaseModel):
    """The merges and the distinct pairs that people have confirmed, each with where it was read."""

    model_config = ConfigDict(extra="forbid")
    merges: list[Merge] = Field(default_factory=list)
    distinct: list[tuple[Id, Id]] = Field(default_factory=list)
    _merge_where: list[Where | None] = PrivateAttr(default_factory=list)
    _distinct_where: list[Where | None] = PrivateAttr(default_factory=list)

    def where(self, section: str, index: int) -> Where | None:
        """Where ``merges[index]`` or ``distinct[index]`` was read (None: not read from a file)."""
        places = self._merge_where if section == "merges" else self._distinct_where
        return places[index] if index < len(places) else None

    def add(self, other: Decisions) -> None:
        """Append another file's decisions, keeping where each was read."""
        self._merge_where = [self.where("merges", i) for i in range(len(self.merges))] + [
            other.where("merges", i) for i in range(len(other.merges))
        ]
        self._distinct_where = [self.where("distinct", i) for i in range(len(self.distinct))] + [
            other.where("distinct", i) for i in range(len(other.distinct))
        ]
        self.merges.extend(other.merges)
        self.distinct.extend(other.distinct)


@dataclass(frozen=True)
class Conflict:
    """A decision that would break the dataset: which entry (``merges`` or ``distinct``, index) and why."""

    section: str
    index: int
    message: str


def conflicts(decisions: Decisions) -> list[Conflict]:
    """The decisions that contradict themselves or each other (no nodes needed)."""
    found: list[Conflict] = []
    merged_into: dict[str, tuple[str, int]] = {}
    for index, merge in enumerate(decisions.merges):
        if merge.keep == merge.merge:
            found.append(Conflict("merges", index, f"{merge.keep!r} cannot be merged into itself"))
            continue
        earlier = merged_into.setdefault(merge.merge, (merge.keep, index))
        if earlier[0] != merge.keep:
            found.append(
                Conflict(
                    "merges",
                    index,
                    f"{merge.merge!r} is already merged into {earlier[0]!r} (merges[{earlier[1] + 1}]); "
                    "an id is merged into one other at most",
                )
            )
    for index, merge in enumerate(decisions.merges):
        onward = merged_into.get(merge.keep)
        if merge.keep != merge.merge and onward is not None:
            found.append(
                Conflict(
                    "merges",
                    index,
                    f"{merge.keep!r} keeps {merge.merge!r} but is itself merged into {onward[0]!r} "
                    f"(merges[{onward[1] + 1}]); merges do not chain or go round: keep one id for all of them",
                )
            )

    def root(node_id: str) -> str:
        return merged_into[node_id][0] if node_id in merged_into else node_id

    for index, (a, b) in enumerate(decisions.distinct):
        if a == b:
            found.append(Conflict("distinct", index, f"{a!r} cannot be distinct from itself"))
        elif root(a) == root(b):
            found.append(Conflict("distinct", index, f"{a!r} and {b!r} are also recorded as one entity (merges)"))
    return found


def label_conflicts(decisions: Decisions, label_of: Callable[[str], str | None]) -> list[Conflict]:
    """Merges of an id that no node has, or of nodes of two labels (``label_of``: None for no node)."""
    found: list[Conflict] = []
    for index, merge in enumerate(decisions.merges):
        keep, gone = label_of(merge.keep), label_of(merge.merge)
        for node_id, label in ((merge.keep, keep), (merge.merge, gone)):
            if label is None:
                found.append(Conflict("merges", index, f"no node has id {node_id!r}: nothing to merge"))
        if keep is not None and gone is not None and keep != gone:
            found.append(
                Conflict(
                    "merges",
                    index,
                    f"{merge.merge!r} is a {gone} and {merge.keep!r} a {keep}: "
                    "only nodes of one label can be one entity",
                )
            )
    return found


def as_problems(decisions: Decisions, found: list[Conflict], default_file: str) -> list[Problem]:
    """Conflicts as problems located at the file and line of their entry."""
    problems = []
    for conflict in found:
        where = decisions.where(conflict.section, conflict.index) or Where(default_file, None)
        problems.append(Problem(where.file, where.line, f"{conflict.section}[{conflict.index + 1}]", conflict.message))
    return problems


def read_decisions(path: Path) -> tuple[Decisions, list[Problem]]:
    """Read a ``merges.yaml`` file; decisions that contradict each other are problems."""
    document, problems = load_yaml(path)
    if problems:
        return Decisions(), problems
    try:
        decisions = Decisions.model_validate(document or {})
    except ValidationError as error:
        return Decisions(), problems_from(error, str(path), line=lambda loc: line_of(document, loc))
    decisions._merge_where = [Where(str(path), line_of(document, ("merges", i))) for i in range(len(decisions.merges))]
    decisions._distinct_where = [
        Where(str(path), line_of(document, ("distinct", i))) for i in range(len(decisions.distinct))
    ]
    found = conflicts(decisions)
    return (Decisions(), as_problems(decisions, found, str(path))) if found else (decisions, [])
