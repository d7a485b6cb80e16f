"""The bulk format: JSON Lines of nodes and relationships, read as a stream with case-file validation.

One JSON object per line: a node carries ``label`` (``{"label": "Organization", "id": "…", "name":
"…", "kind": "foundation"}``), a relationship carries ``type`` (``{"type": "FUNDS", "from": "…",
"to": "…", "source": "…", "evidence": "…", "amount_text": "500万元"}``). The fields and rules are the
case file's. Files are read line by line, never whole, so their size does not bound memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from pydantic import TypeAdapter, ValidationError

from ruralgraph.errors import Problem, Where, problems_from, shown
from ruralgraph.model import LABELS, MODEL_BY_LABEL, Node, Relationship
from ruralgraph.readers.cases import explain_vocabulary
from ruralgraph.readers.records import Item

JSONL_SUFFIXES = (".jsonl", ".ndjson")
MAX_LINE_BYTES = 1024 * 1024

Model = type[Node] | type[Relationship]
Outcome = tuple[Item | None, Where, list[Problem]]  # a line's item (or None and its problems), and where


@dataclass(frozen=True)
class JsonlSource:
    """A bulk file, read again from disk on every pass."""

    path: Path

    def items(self, only: type | None = None) -> Iterator[Outcome]:
        """Each line's validated node or relationship (or its problems)."""
        return read_jsonl(self.path, only)


def read_jsonl(path: Path, only: type | None = None) -> Iterator[Outcome]:
    """Each line's validated node or relationship (or its problems), with its file and line.

    With ``only`` (Node or Relationship), lines of the other kind are skipped unvalidated. Lines
    are validated a batch at a time, one pydantic-core call per model and batch (``validate_batch``);
    the items come out in file order, as if validated one by one.
    """
    name = str(path)
    with path.open("rb") as handle:
        for batch in line_batches(handle):
            yield from validate_batch(name, batch, only)


BATCH_LINES = 4096  # lines validated together: enough to spread pydantic's per-call cost, few enough to stay small
BATCH_BYTES = 4 * 2**20  # and at most about this many bytes of lines at a time, however long each line is


def line_batches(handle: BinaryIO) -> Iterator[list[tuple[int, bytes | None]]]:
    """The file's lines with their numbers, in batches of at most ``BATCH_LINES`` lines and about
    ``BATCH_BYTES`` bytes (None for a line over ``MAX_LINE_BYTES``, which is never held whole)."""
    batch: list[tuple[int, bytes | None]] = []
    size = 0
    for number, line in enumerate(bounded_lines(handle), start=1):
        batch.append((number, line))
        size += len(line) if line is not None else 0
        if len(batch) >= BATCH_LINES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def validate_batch(name: str, batch: list[tuple[int, bytes | None]], only: type | None = None) -> list[Outcome]:
    """A batch of numbered lines → each line's item or problems, in line order.

    The lines of each model are checked together by one ``TypeAdapter(list[Model])`` call; when
    some line fails, each line of that model is checked on its own with its model, so that the
    problems are worded exactly as one line's always are (file, line, field).
    """
    outcomes: list[Outcome] = []
    groups: dict[Model, list[int]] = {}  # model → positions in ``outcomes`` awaiting validation
    fields: list[dict[str, Any]] = []  # by position (empty where there is nothing to validate)
    for number, line in batch:
        where = Where(name, number)
        if line is None:
            problem = Problem(name, number, "", f"line is longer than {MAX_LINE_BYTES // 1024} KiB")
            outcomes.append((None, where, [problem]))
            fields.append({})
            continue
        raw = line[3:] if number == 1 and line.startswith(b"\xef\xbb\xbf") else line
        if not raw.strip():
            continue
        parsed = parse_fields(raw, where, only)
        if isinstance(parsed, list):
            if parsed:
                outcomes.append((None, where, parsed))
                fields.append({})
            continue
        model, data = parsed
        groups.setdefault(model, []).append(len(outcomes))
        outcomes.append((None, where, []))
        fields.append(data)
    for model, positions in groups.items():
        for position, item in zip(positions, _validate_many(model, [fields[p] for p in positions]), strict=True):
            where = outcomes[position][1]
            if isinstance(item, ValidationError):
                problems = problems_from(item, where.file, line=where.line, explain=explain_vocabulary)
                outcomes[position] = (None, where, problems)
            else:
                outcomes[position] = (item, where, [])
    return outcomes


@cache
def _list_adapter(model: Model) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _validate_many(model: Model, rows: list[dict[str, Any]]) -> list[Item | ValidationError]:
    """Each row as ``model``: one pydantic-core call for all of them; when one fails, one call each
    (failing rows are rare, and each one's errors must read as that row's alone)."""
    try:
        return list(_list_adapter(model).validate_python(rows))
    except ValidationError:
        pass
    checked: list[Item | ValidationError] = []
    for row in rows:
        try:
            checked.append(model.model_validate(row))
        except ValidationError as error:
            checked.append(error)
    return checked


def bounded_lines(handle: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[bytes | None]:
    """Each line of a binary file, or None for a line longer than ``limit`` bytes.

    An over-long line is never held whole: it is read past in pieces of ``limit`` bytes, so a file
    of one 300 MB line costs no more memory than a file of short ones.
    """
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):  # at most ``limit`` bytes before its line feed
            yield line
            continue
        while not line.endswith(b"\n"):
            line = handle.readline(limit)
            if not line:
                break
        yield None


def parse_line(raw: bytes, where: Where, only: type | None = None) -> tuple[Item | None, list[Problem]]:
    """One line → a validated node or relationship, or the problems with it."""
    parsed = parse_fields(raw, where, only)
    if isinstance(parsed, list):
        return None, parsed
    model, data = parsed
    try:
        return model.model_validate(data), []  # a Node or a Relationship
    except ValidationError as error:
        return None, problems_from(error, where.file, line=where.line, explain=explain_vocabulary)


def parse_fields(raw: bytes, where: Where, only: type | None = None) -> tuple[Model, dict[str, Any]] | list[Problem]:
    """One line → its model and its fields, not yet validated; or its problems (none: a line ``only`` skips)."""

    def problem(field: str, message: str) -> list[Problem]:
        return [Problem(where.file, where.line, field, message)]

    if len(raw) > MAX_LINE_BYTES:
        return problem("", f"line is longer than {MAX_LINE_BYTES // 1024} KiB")
    try:
        data: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        return problem(*_explain_bad_line(raw, error))
    if not isinstance(data, dict):
        return problem("", "a line must be one JSON object")
    if only is not None and (("label" in data) != (only is Node)):
        return []
    model: Model | None
    if "label" in data:
        label = data.pop("label")
        model = MODEL_BY_LABEL.get(label) if isinstance(label, str) else None
        if model is None:
            return problem("label", f"unknown label {shown(label)}; the schema has: {', '.join(LABELS)}")
    elif "type" in data:
        model = Relationship
    else:
        return problem("", "a line needs 'label' (a node) or 'type' (a relationship)")
    return model, data


def _explain_bad_line(raw: bytes, error: orjson.JSONDecodeError) -> tuple[str, str]:
    """The field and message for a line orjson refused (rare, so the slower, wordier parser explains it)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "", "line is not UTF-8 (was the file saved as GBK?); save it as UTF-8"
    try:
        json.loads(text)
    except (json.JSONDecodeError, RecursionError) as wordier:
        return "", f"JSON: {getattr(wordier, 'msg', 'nested too deeply')}"
    # What Python's json takes but JSON does not allow: NaN and Infinity, lone surrogates, huge integers.
    hint = "; NaN and Infinity are not JSON numbers" if b"NaN" in raw or b"Infinity" in raw else ""
    return "", f"JSON: {error.msg} (column {error.colno}{hint})"


def dump_node(node: Node) -> str:
    """One node as a bulk line."""
    return json.dumps(
        {"label": node.label, **node.model_dump(mode="json", exclude_none=True, exclude_defaults=True)},
        ensure_ascii=False,
    )


def dump_relationship(rel: Relationship) -> str:
    """One relationship as a bulk line."""
    data = rel.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False)
