"""Rows → text: a table for people, JSON and CSV for scripts.

Stored text is data, never instructions to the terminal or to a spreadsheet:

- the table prints every value literally (``rich.text.Text``, never markup, so ``[link=…]`` or
  ``[/bold]`` in a name is shown as written) and shows control characters (but line breaks and tabs) as visible escapes
  (``\\x1b``), so an escape sequence stored in a name cannot move the cursor, clear the screen,
  retitle the window or hide a hyperlink;
- CSV neutralises formulas: a text cell that a spreadsheet would run as a formula (it begins with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``, as OWASP recommends;
- JSON is the exact data (the stored values unchanged), except that a float that JSON cannot
  hold (NaN, ±Infinity) is written as ``null``, so the output is always valid JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Sequence
from typing import Any, Literal

Format = Literal["table", "json", "csv"]
FORMATS: tuple[Format, ...] = ("table", "json", "csv")

# A cell beginning with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters that reorder the text around them (the "Trojan Source" bidi controls): shown as escapes too.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


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


def visible(text: str) -> str:
    r"""Text safe for a terminal: control characters (but line breaks and tabs) and bidi controls as escapes.

    >>> visible("甲\x1b]0;pwned\x07基金会")
    '甲\\x1b]0;pwned\\x07基金会'
    >>> visible("a\u202eb\nc")
    'a\\u202eb\nc'
    """
    if text.isprintable():  # the common case: nothing to escape
        return text
    return "".join(_escaped(char) for char in text)


def _escaped(char: str) -> str:
    if char in "\n\t" or (unicodedata.category(char) != "Cc" and char not in _BIDI_CONTROLS):
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def spreadsheet_safe(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ``'`` before a formula character.

    >>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")"), spreadsheet_safe("-5"), spreadsheet_safe("甲")
    ('\\'=HYPERLINK("http://x")', "'-5", '甲')
    """
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_cell(value: Any) -> str:
    """One value for spreadsheet-bound CSV: text neutralised, numbers and booleans as they are."""
    text = cell(value)
    return spreadsheet_safe(text) if isinstance(value, str) else text


def json_safe(value: Any) -> Any:
    """The value with every non-finite float (NaN, ±Infinity, not JSON) as None, at any depth."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


def to_json(rows: Sequence[dict[str, Any]]) -> str:
    """A JSON list of objects, one per row, keys as column names; Chinese kept as written.

    Always valid JSON: NaN and ±Infinity (which JSON cannot hold) are written as ``null``.
    """
    return json.dumps(json_safe(list(rows)), ensure_ascii=False, indent=2, default=str, allow_nan=False)


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """CSV with a header row; nested values as JSON; formulas neutralised (see ``spreadsheet_safe``)."""
    buffer = io.StringIO()
    columns = columns_of(rows)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_safe(column) for column in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def render(rows: Sequence[dict[str, Any]], fmt: Format, title: str | None = None, *, lines: bool = False) -> str | Any:
    """Text for json/csv; a rich Table (printed by the CLI) for table, every value printed literally, with a
    rule between rows if ``lines``."""
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows)
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(visible(title)) if title else None, show_lines=lines)
    columns = columns_of(rows)
    for column in columns:
        table.add_column(Text(visible(column)), overflow="fold")
    for row in rows:
        table.add_row(*(Text(visible(cell(row.get(column)))) for column in columns))
    if not rows:
        table.caption = "(no rows)"
    return table
