"""Rows → text: a table for people, JSON and CSV for scripts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any, Literal

Format = Literal["table", "json", "csv"]
FORMATS: tuple[Format, ...] = ("table", "json", "csv")


def columns_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Column names in first-seen order across all rows."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def cell(value: Any) -> str:
    """One value as text: nested values as compact JSON, absent as empty."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def to_json(rows: Sequence[dict[str, Any]]) -> str:
    """A JSON list of objects, one per row, keys as column names; Chinese kept as written."""
    return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str)


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """CSV with a header row; nested values as JSON."""
    buffer = io.StringIO()
    columns = columns_of(rows)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def render(rows: Sequence[dict[str, Any]], fmt: Format, title: str | None = None, *, lines: bool = False) -> str | Any:
    """Text for json/csv; a rich Table (printed by the CLI) for table, with a rule between rows if ``lines``."""
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows)
    from rich.table import Table

    table = Table(title=title, show_lines=lines)
    columns = columns_of(rows)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(cell(row.get(column)) for column in columns))
    if not rows:
        table.caption = "(no rows)"
    return table
