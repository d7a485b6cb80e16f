"""Case files (YAML, for people) → validated model objects, with file and line for every error.

The format is documented in ``docs/case-format.md``; its JSON Schema is ``schema/case-file.schema.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ruralgraph.errors import Problem, problems_from, shown
from ruralgraph.model import MODEL_BY_SECTION, REL_TYPES, CaseFile
from ruralgraph.readers.records import Records, Where
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
    return _records(str(path), cast(LineDict, document), case_file), []


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
        return f"unknown relationship type {detail.get('input')!r}; the schema allows: {', '.join(REL_TYPES)}"
    if detail["type"] == "string_pattern_mismatch" and detail["loc"] and detail["loc"][-1] == "url":
        return (
            f"url is a web address (http:// or https://), not {shown(detail.get('input'))}; a non-web reference "
            "(a file in a repository, a DOI, an ISBN, an archive number) goes in ref"
        )
    return None
