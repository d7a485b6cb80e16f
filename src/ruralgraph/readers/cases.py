"""Case files (YAML, for people) → validated model objects, with file and line for every error.

The format is documented in ``docs/case-format.md``; its JSON Schema is ``schema/case-file.schema.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ruralgraph.errors import Problem
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
        return Records(), [_problem(str(path), document, detail) for detail in error.errors()]
    return _records(str(path), document, case_file), []


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


def _problem(name: str, document: Any, detail: dict[str, Any]) -> Problem:
    """Turn one pydantic error into a Problem in the researcher's words."""
    loc = tuple(detail["loc"])
    field = field_path(loc)
    message = detail["msg"].removeprefix("Value error, ")
    kind = detail["type"]
    if kind == "extra_forbidden" and len(loc) == 1:
        message = f"unknown section {loc[0]!r}; a case file has: {', '.join(CaseFile.model_fields)}"
    elif kind == "extra_forbidden":
        message = f"unknown field {loc[-1]!r}"
    elif kind == "literal_error" and loc[-1] == "type":
        message = f"unknown relationship type {detail.get('input')!r}; the schema allows: {', '.join(REL_TYPES)}"
    elif kind == "missing":
        message = "is required"
    elif "input" in detail and kind not in ("model_type", "list_type") and not isinstance(detail["input"], dict):
        message = f"{message} (got {detail['input']!r})"
    return Problem(name, line_of(document, loc), field, message)


def field_path(loc: tuple[Any, ...]) -> str:
    """A pydantic error location in people's words: ('relationships', 3, 'from') → 'relationships[4].from'.

    Items count from 1, as people count them.
    """
    parts: list[str] = []
    for step in loc:
        if isinstance(step, int):
            parts.append(f"[{step + 1}]")
        else:
            parts.append(("." if parts else "") + str(step))
    return "".join(parts)
