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
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from pydantic import ValidationError

from ruralgraph.errors import Problem, Where, problems_from, shown
from ruralgraph.model import LABELS, MODEL_BY_LABEL, Node, Relationship
from ruralgraph.readers.cases import explain_vocabulary
from ruralgraph.readers.records import Item

JSONL_SUFFIXES = (".jsonl", ".ndjson")
MAX_LINE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class JsonlSource:
    """A bulk file, read again from disk on every pass."""

    path: Path

    def items(self, only: type | None = None) -> Iterator[tuple[Item | None, Where, list[Problem]]]:
        """Each line's validated node or relationship (or its problems)."""
        return read_jsonl(self.path, only)


def read_jsonl(path: Path, only: type | None = None) -> Iterator[tuple[Item | None, Where, list[Problem]]]:
    """Each line's validated node or relationship (or its problems), with its file and line.

    With ``only`` (Node or Relationship), lines of the other kind are skipped unvalidated.
    """
    name = str(path)
    with path.open("rb") as handle:
        for number, line in enumerate(bounded_lines(handle), start=1):
            where = Where(name, number)
            if line is None:
                yield None, where, [Problem(name, number, "", f"line is longer than {MAX_LINE_BYTES // 1024} KiB")]
                continue
            raw = line[3:] if number == 1 and line.startswith(b"\xef\xbb\xbf") else line
            if not raw.strip():
                continue
            item, problems = parse_line(raw, where, only)
            if item is not None or problems:
                yield item, where, problems


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

    def problem(field: str, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(where.file, where.line, field, message)]

    if len(raw) > MAX_LINE_BYTES:
        return problem("", f"line is longer than {MAX_LINE_BYTES // 1024} KiB")
    try:
        data: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        return problem(*_explain_bad_line(raw, error))
    if not isinstance(data, dict):
        return problem("", "a line must be one JSON object")
    if only is not None and (("label" in data) != (only is Node)):
        return None, []
    model: type[Node] | type[Relationship] | None
    if "label" in data:
        label = data.pop("label")
        model = MODEL_BY_LABEL.get(label) if isinstance(label, str) else None
        if model is None:
            return problem("label", f"unknown label {shown(label)}; the schema has: {', '.join(LABELS)}")
    elif "type" in data:
        model = Relationship
    else:
        return problem("", "a line needs 'label' (a node) or 'type' (a relationship)")
    try:
        return model.model_validate(data), []  # a Node or a Relationship
    except ValidationError as error:
        return None, problems_from(error, where.file, line=where.line, explain=explain_vocabulary)


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
