"""Case files (YAML, for people) → validated model objects, with file and line for every error.

The format is documented in ``docs/case-format.md``; its JSON Schema is ``schema/case-file.schema.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ruralgraph.errors import Loc, Problem, Where, field_path, problems_from, shown
from ruralgraph.model import MODEL_BY_SECTION, REL_TYPES, CaseFile
from ruralgraph.readers.decisions import Decisions
from ruralgraph.readers.records import Records
from ruralgraph.readers.yamlfile import LineDict, LineList, line_of, load_yaml

CASE_FILE_SUFFIXES = (".yaml", ".yml")


def read_case_file(path: Path) -> tuple[Records, list[Problem]]:
    """Read and validate one case file; on any problem the records are empty."""
    document, problems = load_yaml(path)
    if problems:
        return Records(), problems
    if not isinstance(document, dict):
        return Records(), [Problem(str(path), getattr(document, "line", 1), "", "a case file must be a YAML mapping")]
    try:
        case_file = CaseFile.model_validate(document)
    except ValidationError as error:
        return Records(), problems_from(
            error,
            str(path),
            line=lambda loc: line_of(document, loc),
            sections=list(CaseFile.model_fields),
            explain=explain_vocabulary,
        )
    records = _records(str(path), cast(LineDict, document), case_file)
    problems = default_sources(case_file, records)
    if case_file.decisions is not None:
        try:
            records.decisions = Decisions.model_validate(case_file.decisions)
        except ValidationError as error:
            problems += problems_from(
                error, str(path), line=lambda loc: line_of(document, ("decisions", *loc)), field=_decisions_field
            )
    return (Records(), problems) if problems else (records, [])


def _decisions_field(loc: Loc) -> str:
    return field_path(("decisions", *loc))


def default_sources(case_file: CaseFile, records: Records) -> list[Problem]:
    """Give each entity declaration without ``source:`` the file's default source.

    The default is the file's top-level ``source:``, else the one source the file declares; a Source
    states its own entry. With several sources and no default, each declaration must say which.
    With none, the declaration stays unsourced (its claims rank last; ``show`` says so).
    """
    declared = [source.id for source in case_file.sources]
    default = [case_file.source] if case_file.source else declared if len(declared) == 1 else []
    problems: list[Problem] = []
    for node, where in records.nodes:
        if node.source is not None:
            continue
        if node.label == "Source":
            node.source = node.id
        elif default:
            node.source = default[0]
        elif declared:
            problems.append(
                Problem(
                    where.file,
                    where.line,
                    "source",
                    f"this file declares several sources ({', '.join(declared)}): say which states "
                    f"{node.id!r} with source:, or give the file a default (a top-level source:)",
                )
            )
    return problems


def _records(name: str, document: LineDict, case_file: CaseFile) -> Records:
    """Pair each validated object with the line it was declared on."""
    records = Records()
    for section in MODEL_BY_SECTION:
        items = document.get(section) or []
        for index, node in enumerate(getattr(case_file, section)):
            records.nodes.append((node, Where(name, _item_line(items, index))))
    items = document.get("relationships") or []
    for index, relationship in enumerate(case_file.relationships):
        records.relationships.append((relationship, Where(name, _item_line(items, index))))
    return records


def _item_line(items: Any, index: int) -> int | None:
    return items.item_lines[index] if isinstance(items, LineList) else None


def explain_vocabulary(detail: ErrorDetails) -> str | None:
    """An unknown relationship type worded with the schema's closed list; a url that is no web address."""
    if detail["type"] == "literal_error" and detail["loc"] and detail["loc"][-1] == "type":
        return f"unknown relationship type {shown(detail.get('input'))}; the schema allows: {', '.join(REL_TYPES)}"
    if detail["type"] == "string_pattern_mismatch" and detail["loc"] and detail["loc"][-1] == "url":
        return (
            f"url is a web address (http:// or https://), not {shown(detail.get('input'))}; a non-web reference "
            "(a file in a repository, a DOI, an ISBN, an archive number) goes in ref"
        )
    return None
