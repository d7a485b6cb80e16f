"""Tabular sources (CSV) → records, by a declarative mapping in ``loaders/``: no code per source.

A mapping names the files it reads, the nodes and relationships it declares once (in case-file
form), and templates that turn each row into nodes and relationships. Adding a source is adding a
file to ``loaders/``; see ``loaders/README.md``. The idea is FollowTheMoney's mappings.
"""

from __future__ import annotations

import csv
import fnmatch
import functools
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ruralgraph.errors import Loc, Problem, Where, problems_from
from ruralgraph.model import MODEL_BY_SECTION, CaseFile, Relationship
from ruralgraph.readers.cases import default_sources, explain_vocabulary
from ruralgraph.readers.jsonlines import MAX_LINE_BYTES
from ruralgraph.readers.records import Records
from ruralgraph.readers.yamlfile import line_of, load_yaml, read_text
from ruralgraph.resources import loaders_dir

_PLACEHOLDER = re.compile(r"\{(?P<column>[^{}|]+)(?:\|(?P<filter>[a-z_]+))?\}")

FILTERS: dict[str, Callable[[str], str]] = {
    "source_id": lambda value: "src-" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:12],
    "host": lambda value: urlsplit(value).hostname or value,
    "strip": str.strip,
}


class NodeTemplate(BaseModel):
    """A node made from each row: its case-file section and a template per field."""

    model_config = ConfigDict(extra="forbid")
    section: str
    fields: dict[str, Any]


class RelTemplate(BaseModel):
    """A relationship made from each row, as templates per field."""

    model_config = ConfigDict(extra="forbid")
    fields: dict[str, Any]


class Mapping(BaseModel):
    """A declarative loader for one kind of tabular file."""

    model_config = ConfigDict(extra="forbid")
    description: str
    files: list[str] = Field(description="File-name patterns this mapping reads, e.g. key_counties*.csv.")
    declare: CaseFile = Field(default_factory=CaseFile, description="Nodes and relationships stated once.")
    split: dict[str, str] = Field(default_factory=dict, description="column → separator: one record per value.")
    nodes: list[NodeTemplate] = Field(default_factory=list)
    relationships: list[RelTemplate] = Field(default_factory=list)

    def matches(self, path: Path) -> bool:
        """Whether this mapping reads the file."""
        return any(fnmatch.fnmatch(path.name, pattern) for pattern in self.files)


@dataclass(frozen=True)
class LoadedMapping:
    """A mapping with the file it was read from."""

    path: Path
    mapping: Mapping


def read_mappings(directory: Path | None = None) -> tuple[list[LoadedMapping], list[Problem]]:
    """Every mapping in ``loaders/`` (files ending in .yaml), or the problems with them."""
    loaded: list[LoadedMapping] = []
    problems: list[Problem] = []
    for path in sorted((directory or loaders_dir()).glob("*.yaml")):
        document, file_problems = load_yaml(path)
        problems.extend(file_problems)
        if document is None:
            continue
        try:
            loaded.append(LoadedMapping(path, Mapping.model_validate(document)))
        except ValidationError as error:
            problems.extend(problems_from(error, str(path), line=functools.partial(line_of, document)))
    return loaded, problems


def mapping_for(path: Path, mappings: list[LoadedMapping]) -> LoadedMapping | None:
    """The mapping that reads this file, if any."""
    return next((loaded for loaded in mappings if loaded.mapping.matches(path)), None)


def read_table(path: Path, loaded: LoadedMapping) -> tuple[Records, list[Problem]]:
    """Read a CSV file through its mapping; on any problem the records are empty."""
    mapping = loaded.mapping
    text, problems = read_text(path)
    if text is None:
        return Records(), problems
    name = str(path)
    too_long = _first_long_line(text, MAX_LINE_BYTES)
    if too_long is not None:
        return Records(), [Problem(name, too_long, "", f"line is longer than {MAX_LINE_BYTES // 1024} KiB")]
    records = Records()
    declared_where = Where(str(loaded.path), None)
    records.nodes.extend((node, declared_where) for node in mapping.declare.nodes())
    records.relationships.extend((rel, declared_where) for rel in mapping.declare.relationships)
    problems = default_sources(mapping.declare, records)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    needed = _columns_used(mapping)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        return Records(), [Problem(name, 1, "", f"CSV: {error}")]
    absent = sorted(needed - set(header))
    if absent:
        return Records(), [
            Problem(
                name,
                1,
                ", ".join(absent),
                f"column(s) missing; the mapping {loaded.path.name} needs {', '.join(sorted(needed))}",
            )
        ]
    row_count = 0
    row_start = 2  # the line a row begins on (a quoted cell may span lines)
    try:
        for row in reader:
            row_count += 1
            line = row_start
            row_start = reader.line_num + 1
            if None in row or any(value is None for value in row.values()):
                fields = sum(1 for k, v in row.items() if k is not None and v is not None) + len(row.get(None) or [])
                problems.append(Problem(name, line, "", f"row has {fields} fields where the header has {len(header)}"))
                continue
            for values in _split_rows(row, mapping.split):
                _apply_templates(values, mapping, Where(name, line), records, problems)
    except csv.Error as error:
        hint = " (a quote that is never closed?)" if "end of data" in str(error) else ""
        problems.append(Problem(name, row_start, "", f"CSV: {error}{hint}"))
    if row_count == 0 and not problems:
        problems.append(Problem(name, None, "", "file has a header but no rows"))
    return (Records(), problems) if problems else (records, [])


def _first_long_line(text: str, limit: int) -> int | None:
    """The number of the first line longer than ``limit`` characters, if any (no copy of the text)."""
    start, number = 0, 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        if stop - start > limit:
            return number
        if end < 0:
            return None
        start, number = end + 1, number + 1


def _columns_used(mapping: Mapping) -> set[str]:
    templates = [t.fields for t in mapping.nodes] + [t.fields for t in mapping.relationships]
    return {
        m.group("column")
        for fields in templates
        for value in fields.values()
        if isinstance(value, str)
        for m in _PLACEHOLDER.finditer(value)
    }


def _split_rows(row: dict[str, str], split: dict[str, str]) -> list[dict[str, str]]:
    """One row per value of each split column ("a | b" → two rows)."""
    rows = [row]
    for column, separator in split.items():
        rows = [{**r, column: part.strip()} for r in rows for part in r[column].split(separator) if part.strip()]
    return rows


def _apply_templates(
    row: dict[str, str], mapping: Mapping, where: Where, records: Records, problems: list[Problem]
) -> None:
    """The row's nodes and relationships; a node without ``source`` is stated by the Sources the row makes."""
    first = len(records.nodes)
    for template in mapping.nodes:
        model = MODEL_BY_SECTION.get(template.section)
        if model is None:
            problems.append(Problem(where.file, where.line, template.section, "unknown section in the mapping"))
            continue
        fields = _fill(template.fields, row)
        try:
            records.nodes.append((model.model_validate(fields), where))
        except ValidationError as error:
            problems.extend(_row_problems(error, where, template.fields))
    made = [node for node, _ in records.nodes[first:]]
    row_sources = [node.id for node in made if node.label == "Source"]
    for node in made:
        if node.source is None:
            node.source = node.id if node.label == "Source" else row_sources or None
    for rel_template in mapping.relationships:
        fields = _fill(rel_template.fields, row)
        try:
            records.relationships.append((Relationship.model_validate(fields), where))
        except ValidationError as error:
            problems.extend(_row_problems(error, where, rel_template.fields))


def _fill(fields: dict[str, Any], row: dict[str, str]) -> dict[str, Any]:
    """Fill each template from the row; a field whose value comes out empty is left out."""
    filled: dict[str, Any] = {}
    for key, template in fields.items():
        if not isinstance(template, str):
            filled[key] = template
            continue
        value = _PLACEHOLDER.sub(
            lambda m: (
                FILTERS.get(m.group("filter") or "strip", str.strip)(row[m.group("column")].strip())
                if row[m.group("column")].strip()
                else ""
            ),
            template,
        )
        if value.strip():
            filled[key] = value
    return filled


def _row_problems(error: ValidationError, where: Where, fields: dict[str, Any]) -> list[Problem]:
    """The problems of one row, each naming the CSV column behind the field, so the researcher knows what to fix."""

    def named(loc: Loc) -> str:
        field = str(loc[0]) if loc else ""
        template = fields.get(field, "")
        columns = [m.group("column") for m in _PLACEHOLDER.finditer(template)] if isinstance(template, str) else []
        return f"{', '.join(columns)} (→ {field})" if columns else field

    return problems_from(error, where.file, line=where.line, field=named, explain=explain_vocabulary)
