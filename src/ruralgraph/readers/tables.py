"""Tabular sources (CSV, .xlsx) → records, by a declarative mapping: no code per source.

A mapping names the files it reads, the nodes and relationships it declares once (in case-file
form), and templates that turn each row into nodes and relationships. Adding a source is adding a
file to ``loaders/`` (the working directory's, ``$RURALGRAPH_LOADERS``, or the bundled ones) or
naming it with ``--mapping``; see ``loaders/README.md``. The idea is FollowTheMoney's mappings.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import functools
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ruralgraph.errors import Loc, Problem, Where, problems_from
from ruralgraph.model import MODEL_BY_SECTION, CaseFile, Relationship
from ruralgraph.names import normalise, slug
from ruralgraph.readers.cases import default_sources, explain_vocabulary
from ruralgraph.readers.jsonlines import MAX_LINE_BYTES
from ruralgraph.readers.records import Records
from ruralgraph.readers.yamlfile import line_of, load_yaml, read_text
from ruralgraph.resources import loaders_dir

_PLACEHOLDER = re.compile(r"\{(?P<column>[^{}|]+)(?:\|(?P<filter>[a-z_]+))?\}")
LOADERS_ENV = "RURALGRAPH_LOADERS"  # colon-separated folders of mappings, searched after ./loaders/
SPREADSHEET_SUFFIXES = (".xlsx",)
TABLE_SUFFIXES = (".csv", *SPREADSHEET_SUFFIXES)

FILTERS: dict[str, Callable[[str], str]] = {
    "source_id": lambda value: "src-" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:12],
    "host": lambda value: urlsplit(value).hostname or value,
    "strip": str.strip,
    # Replaced per table by the ids made for all its values (see ``_slug_ids``): a suffix is added
    # only where two different names would read the same.
    "slug": slug,
}


class NodeTemplate(BaseModel):
    """A node made from each row: its case-file section and a template per field."""

    model_config = ConfigDict(extra="forbid")
    section: str
    fields: dict[str, Any]
    when: str | None = Field(default=None, description="Only for rows where this column is filled.")


class RelTemplate(BaseModel):
    """A relationship made from each row, as templates per field."""

    model_config = ConfigDict(extra="forbid")
    fields: dict[str, Any]
    when: str | None = Field(default=None, description="Only for rows where this column is filled.")


class Mapping(BaseModel):
    """A declarative loader for one kind of tabular file (CSV, or a sheet of an .xlsx workbook)."""

    model_config = ConfigDict(extra="forbid")
    description: str
    files: list[str] = Field(
        default_factory=list,
        description="File-name patterns this mapping reads, e.g. key_counties*.csv (a --mapping may leave it out).",
    )
    sheet: str | None = Field(default=None, description="The sheet of a workbook to read (default: the first).")
    declare: CaseFile = Field(default_factory=CaseFile, description="Nodes and relationships stated once.")
    split: dict[str, str] = Field(default_factory=dict, description="column → separator: one record per value.")
    nodes: list[NodeTemplate] = Field(default_factory=list)
    relationships: list[RelTemplate] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_filters(self) -> Mapping:
        """A misspelt filter would otherwise pass values through unchanged."""
        unknown = sorted(
            {name for _, name in _placeholders(self) if name is not None and name not in FILTERS},
        )
        if unknown:
            raise ValueError(f"unknown filter(s) {', '.join(unknown)}; known: {', '.join(sorted(FILTERS))}")
        return self

    def matches(self, path: Path) -> bool:
        """Whether this mapping's ``files`` patterns match the file's name."""
        return any(fnmatch.fnmatch(path.name, pattern) for pattern in self.files)


@dataclass(frozen=True)
class LoadedMapping:
    """A mapping with the file it was read from; ``explicit`` when named with --mapping."""

    path: Path
    mapping: Mapping
    explicit: bool = False

    def reads(self, path: Path) -> bool:
        """Whether this mapping reads the file: its patterns match, or it was named and has none."""
        return self.mapping.matches(path) or (self.explicit and not self.mapping.files)


def mapping_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    """Where mappings are looked for, in order: ``extra`` (an input folder's own ``loaders/``),
    ``./loaders/`` of the working directory, each folder of ``$RURALGRAPH_LOADERS``, the bundled ones.

    The same folder is listed once, so a checkout's ``loaders/`` is not read twice.
    """
    env = [Path(part) for part in os.environ.get(LOADERS_ENV, "").split(os.pathsep) if part.strip()]
    candidates = [*extra, Path.cwd() / "loaders", *env, loaders_dir()]
    seen: set[Path] = set()
    found: list[Path] = []
    for folder in candidates:
        resolved = folder.resolve()
        if folder.is_dir() and resolved not in seen:
            seen.add(resolved)
            found.append(folder)
    return found


def read_mappings(
    directories: Sequence[Path] | None = None, files: Sequence[Path] = ()
) -> tuple[list[LoadedMapping], list[Problem]]:
    """The mappings named (``files``, first), then every ``*.yaml`` in ``directories`` (default:
    ``mapping_dirs()``), or the problems with them. A mapping in a folder must name its ``files``."""
    loaded: list[LoadedMapping] = []
    problems: list[Problem] = []
    named = [(path, True) for path in files]
    found = [
        (path, False)
        for folder in (mapping_dirs() if directories is None else directories)
        for path in sorted(folder.glob("*.yaml"))
    ]
    for path, explicit in named + found:
        if not path.is_file():
            problems.append(Problem(str(path), None, "", "no such mapping file"))
            continue
        document, file_problems = load_yaml(path)
        problems.extend(file_problems)
        if document is None:
            continue
        try:
            mapping = Mapping.model_validate(document)
        except ValidationError as error:
            problems.extend(problems_from(error, str(path), line=functools.partial(line_of, document)))
            continue
        if not explicit and not mapping.files:
            problems.append(Problem(str(path), None, "files", "a mapping in a loaders folder must name its files"))
            continue
        loaded.append(LoadedMapping(path, mapping, explicit))
    return loaded, problems


def mapping_for(path: Path, mappings: list[LoadedMapping]) -> LoadedMapping | None:
    """The first mapping that reads this file, if any (named mappings come first)."""
    return next((loaded for loaded in mappings if loaded.reads(path)), None)


@dataclass
class Table:
    """A table's rows as text, with where they came from: the name errors use, and the column letters
    of a spreadsheet (empty for CSV)."""

    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    letters: dict[str, str] = field(default_factory=dict)


def read_table(path: Path, loaded: LoadedMapping, sheet: str | None = None) -> tuple[Records, list[Problem]]:
    """Read a CSV file or a workbook's sheet through its mapping; on any problem the records are empty.

    The sheet is ``sheet`` (from ``FILE.xlsx#Sheet``), else the mapping's ``sheet``, else the first.
    """
    mapping = loaded.mapping
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        table, problems = read_sheet(path, sheet or mapping.sheet)
    else:
        table, problems = read_csv(path)
    if table is None:
        return Records(), problems
    needed = _columns_used(mapping)
    absent = sorted(needed - set(table.header))
    if absent:
        return Records(), [
            Problem(
                table.name,
                1,
                ", ".join(absent),
                f"column(s) missing; the mapping {loaded.path.name} needs {', '.join(sorted(needed))}",
            )
        ]
    if not table.rows and not problems:
        return Records(), [Problem(table.name, None, "", "file has a header but no rows")]
    rows = [(line, values) for line, row in table.rows for values in _split_rows(row, mapping.split)]
    filters = {**FILTERS, "slug": _slug_ids(mapping, [values for _, values in rows]).__getitem__}
    records = Records()
    declared_where = Where(str(loaded.path), None)
    records.nodes.extend((node, declared_where) for node in mapping.declare.nodes())
    records.relationships.extend((rel, declared_where) for rel in mapping.declare.relationships)
    problems.extend(default_sources(mapping.declare, records))
    for line, values in rows:
        _apply_templates(values, mapping, Where(table.name, line), records, problems, filters, table.letters)
    return (Records(), problems) if problems else (records, [])


def read_csv(path: Path) -> tuple[Table | None, list[Problem]]:
    """A CSV file's header and rows (each with the line it begins on), or the problems reading it."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    name = str(path)
    too_long = _first_long_line(text, MAX_LINE_BYTES)
    if too_long is not None:
        return None, [Problem(name, too_long, "", f"line is longer than {MAX_LINE_BYTES // 1024} KiB")]
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = list(reader.fieldnames or [])
    except csv.Error as error:
        return None, [Problem(name, 1, "", f"CSV: {error}")]
    table = Table(name, header, [])
    row_start = 2  # the line a row begins on (a quoted cell may span lines)
    try:
        for row in reader:
            line = row_start
            row_start = reader.line_num + 1
            if None in row or any(value is None for value in row.values()):
                fields = sum(1 for k, v in row.items() if k is not None and v is not None) + len(row.get(None) or [])
                problems.append(Problem(name, line, "", f"row has {fields} fields where the header has {len(header)}"))
                continue
            table.rows.append((line, row))
    except csv.Error as error:
        hint = " (a quote that is never closed?)" if "end of data" in str(error) else ""
        problems.append(Problem(name, row_start, "", f"CSV: {error}{hint}"))
    return table, problems


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


def read_sheet(path: Path, sheet: str | None) -> tuple[Table | None, list[Problem]]:
    """A workbook sheet's header (its first row) and rows, as text; errors are named ``FILE#SHEET:ROW``.

    The workbook is opened read-only with the values Excel last saved (``data_only``): formulas are
    never evaluated here. Empty rows are skipped; numbers that are whole (an adcode typed as a
    number) read without ``.0``; dates read as ISO dates.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        return None, [Problem(str(path), None, "", f"cannot read it as an .xlsx workbook ({error})")]
    try:
        names = list(workbook.sheetnames)
        chosen = sheet if sheet is not None else names[0]
        if chosen not in names:
            return None, [Problem(str(path), None, "", f"no sheet {chosen!r}; its sheets: {', '.join(names)}")]
        name = f"{path}#{chosen}"
        rows = workbook[chosen].iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            return None, [Problem(name, None, "", "the sheet is empty; its first row must hold the column names")]
        header = [_cell_text(value) for value in first]
        letters = {column: get_column_letter(i + 1) for i, column in enumerate(header) if column}
        repeated = sorted({column for column in header if column and header.count(column) > 1})
        if repeated:
            return None, [Problem(name, 1, ", ".join(repeated), "column name(s) used twice in the header")]
        table = Table(name, header, [], letters)
        for number, values in enumerate(rows, start=2):
            texts = [_cell_text(value) for value in values]
            if any(texts):
                table.rows.append(
                    (
                        number,
                        {column: (texts[i] if i < len(texts) else "") for i, column in enumerate(header) if column},
                    )
                )
        return table, []
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A cell's value as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _placeholders(mapping: Mapping) -> list[tuple[str, str | None]]:
    """Every (column, filter) the mapping's templates use."""
    templates = [t.fields for t in mapping.nodes] + [t.fields for t in mapping.relationships]
    return [
        (m.group("column"), m.group("filter"))
        for fields in templates
        for value in fields.values()
        if isinstance(value, str)
        for m in _PLACEHOLDER.finditer(value)
    ]


def _columns_used(mapping: Mapping) -> set[str]:
    templates: list[NodeTemplate | RelTemplate] = [*mapping.nodes, *mapping.relationships]
    whens = {t.when for t in templates if t.when}
    return {column for column, _ in _placeholders(mapping)} | whens


def _slug_ids(mapping: Mapping, rows: list[dict[str, str]]) -> dict[str, str]:
    """The id of every value that a ``slug`` placeholder reads: its slug, with a short suffix (from the
    name) only where two different names of the table would read the same (长城 and 常城)."""
    columns = {column for column, name in _placeholders(mapping) if name == "slug"}
    values = {row[column].strip() for row in rows for column in columns if row[column].strip()}
    forms: dict[str, set[str]] = {}
    for value in values:
        forms.setdefault(slug(value), set()).add(normalise(value))
    ids: dict[str, str] = {}
    for value in values:
        readable = slug(value)
        if len(forms[readable]) == 1 and readable:
            ids[value] = readable
        else:
            digest = hashlib.sha1(normalise(value).encode("utf-8")).hexdigest()[:6]
            ids[value] = f"{readable}-{digest}" if readable else digest
    return ids


def _split_rows(row: dict[str, str], split: dict[str, str]) -> list[dict[str, str]]:
    """One row per value of each split column ("a | b" → two rows)."""
    rows = [row]
    for column, separator in split.items():
        rows = [{**r, column: part.strip()} for r in rows for part in r[column].split(separator) if part.strip()]
    return rows


def _apply_templates(
    row: dict[str, str],
    mapping: Mapping,
    where: Where,
    records: Records,
    problems: list[Problem],
    filters: dict[str, Callable[[str], str]],
    letters: dict[str, str],
) -> None:
    """The row's nodes and relationships; a node without ``source`` is stated by the Sources the row makes."""
    first = len(records.nodes)
    for template in mapping.nodes:
        if template.when and not row[template.when].strip():
            continue
        model = MODEL_BY_SECTION.get(template.section)
        if model is None:
            problems.append(Problem(where.file, where.line, template.section, "unknown section in the mapping"))
            continue
        fields = _fill(template.fields, row, filters)
        try:
            records.nodes.append((model.model_validate(fields), where))
        except ValidationError as error:
            problems.extend(_row_problems(error, where, template.fields, letters))
    made = [node for node, _ in records.nodes[first:]]
    row_sources = [node.id for node in made if node.label == "Source"]
    for node in made:
        if node.source is None:
            node.source = node.id if node.label == "Source" else row_sources or None
    for rel_template in mapping.relationships:
        if rel_template.when and not row[rel_template.when].strip():
            continue
        fields = _fill(rel_template.fields, row, filters)
        try:
            records.relationships.append((Relationship.model_validate(fields), where))
        except ValidationError as error:
            problems.extend(_row_problems(error, where, rel_template.fields, letters))


def _fill(fields: dict[str, Any], row: dict[str, str], filters: dict[str, Callable[[str], str]]) -> dict[str, Any]:
    """Fill each template from the row; a field whose value comes out empty is left out."""
    filled: dict[str, Any] = {}
    for key, template in fields.items():
        if not isinstance(template, str):
            filled[key] = template
            continue
        value = _PLACEHOLDER.sub(
            lambda m: (
                filters[m.group("filter") or "strip"](row[m.group("column")].strip())
                if row[m.group("column")].strip()
                else ""
            ),
            template,
        )
        if value.strip():
            filled[key] = value
    return filled


def _row_problems(
    error: ValidationError, where: Where, fields: dict[str, Any], letters: dict[str, str]
) -> list[Problem]:
    """The problems of one row, each naming the column behind the field (and a spreadsheet's column
    letter), so the researcher knows which cell to fix. A whole-record rule (``evidence is required``)
    has no location: it is named by the field its message begins with."""
    messages = {str(detail["msg"]).removeprefix("Value error, ") for detail in error.errors() if not detail["loc"]}
    message = next(iter(messages)) if len(messages) == 1 else ""
    record_field = next((f for f in fields if message.startswith(f"{f} ")), "")

    def named(loc: Loc) -> str:
        field = str(loc[0]) if loc else ""
        field = field or record_field
        template = fields.get(field, "")
        columns = [m.group("column") for m in _PLACEHOLDER.finditer(template)] if isinstance(template, str) else []
        shown = [f"column {letters[c]} {c}" if c in letters else c for c in columns]
        return f"{', '.join(shown)} (→ {field})" if columns else field

    return problems_from(error, where.file, line=where.line, field=named, explain=explain_vocabulary)
