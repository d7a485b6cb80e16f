"""Decisions on possible duplicates, written by people: which ids are one entity, which are distinct.

They live in a decisions file (``merges.yaml``) beside the data; every load replays them. Nothing is
merged silently: ``ruralgraph dedupe`` lists candidates, a person records what they decide.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ruralgraph.errors import Problem, problems_from
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
    """The merges and the distinct pairs that people have confirmed."""

    model_config = ConfigDict(extra="forbid")
    merges: list[Merge] = Field(default_factory=list)
    distinct: list[tuple[Id, Id]] = Field(default_factory=list)


def read_decisions(path: Path) -> tuple[Decisions, list[Problem]]:
    """Read a ``merges.yaml`` file."""
    document, problems = load_yaml(path)
    if problems:
        return Decisions(), problems
    try:
        return Decisions.model_validate(document or {}), []
    except ValidationError as error:
        return Decisions(), problems_from(error, str(path), line=lambda loc: line_of(document, loc))
