"""Errors that a researcher sees: each names the file, the line and the field, in plain words."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

Loc = tuple[int | str, ...]
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
SHOWN_INPUT_CHARS = 120  # a refused value is quoted up to this length in a message, then cut


@dataclass(frozen=True, slots=True)
class Where:
    """The file and line (1-based; for CSV, the line of the row) a record was read from."""

    file: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


def field_path(loc: Loc) -> str:
    """A pydantic error location in people's words: ('relationships', 3, 'from') → 'relationships[4].from'.

    Items count from 1, as people count them.

    >>> field_path(("relationships", 3, "from"))
    'relationships[4].from'
    """
    parts: list[str] = []
    for step in loc:
        if isinstance(step, int):
            parts.append(f"[{step + 1}]")
        else:
            name = step if _FIELD_NAME.fullmatch(step) else shown(step)  # a key from the input may be anything
            parts.append(("." if parts else "") + name)
    return "".join(parts)


def shown(value: Any) -> str:
    """A refused value as a message quotes it: its repr, cut after ``SHOWN_INPUT_CHARS`` characters.

    >>> shown("x" * 200)[-14:]
    'x… (200 chars)'
    """
    text = repr(value)
    if len(text) <= SHOWN_INPUT_CHARS:
        return text
    size = len(value) if isinstance(value, str | bytes | list | dict) else len(text)
    return f"{text[:SHOWN_INPUT_CHARS]}… ({size} chars)"


def describe(detail: ErrorDetails, sections: Sequence[str] = ()) -> str:
    """One pydantic error in the researcher's words (the same wording for every input format)."""
    loc, kind = tuple(detail["loc"]), detail["type"]
    message = detail["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden" and len(loc) == 1 and sections:
        return f"unknown section {shown(loc[0])}; a case file has: {', '.join(sections)}"
    if kind == "extra_forbidden":
        return f"unknown field {shown(loc[-1])}"
    if kind == "missing":
        return "is required"
    given = detail.get("input")
    if kind not in ("model_type", "list_type", "dict_type") and not isinstance(given, dict):
        return f"{message} (got {shown(given)})"
    return message


def problems_from(
    error: ValidationError,
    file: str,
    *,
    line: Callable[[Loc], int | None] | int | None = None,
    field: Callable[[Loc], str] = field_path,
    sections: Sequence[str] = (),
    explain: Callable[[ErrorDetails], str | None] = lambda detail: None,
) -> list[Problem]:
    """Every error of a pydantic ``ValidationError`` as a ``Problem`` located in ``file``.

    ``line`` is a line number or finds the line of a location; ``field`` names the field (a CSV
    reader names its columns); ``sections`` are a case file's top-level keys, for its message;
    ``explain`` may word an error in the vocabulary's terms (None: the common wording).
    """
    problems = []
    for detail in error.errors():
        loc = tuple(detail["loc"])
        where = line(loc) if callable(line) else line
        problems.append(Problem(file, where, field(loc), explain(detail) or describe(detail, sections)))
    return problems


class RuralgraphError(Exception):
    """Base class of the errors ruralgraph raises on purpose (the CLI prints them without a traceback)."""

    exit_code = 1


class InvalidInput(RuralgraphError):
    """The input did not validate; nothing was written."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field, p.message))
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems[:50])
        more = f"\n  … and {count - 50} more" if count > 50 else ""
        super().__init__(f"{count} problem(s) in the input; nothing was written:\n{lines}{more}")


class BadOption(RuralgraphError):
    """An option value that is not one of those allowed (a format, a size, a kind); nothing was done."""

    exit_code = 2


class NotFound(RuralgraphError):
    """A name or id that resolves to nothing (the message lists the closest matches)."""

    exit_code = 3


class BelowCounty(NotFound):
    """A place below county level, which the gazetteer does not hold (the message says how to write it)."""


class Ambiguous(RuralgraphError):
    """A name that resolves to more than one entity (the message lists them)."""

    exit_code = 3


class StoreError(RuralgraphError):
    """The store cannot be reached, opened or written (in use, unreachable, wrong credentials)."""

    exit_code = 4


class QueryError(RuralgraphError):
    """A query that is refused or fails: a write without --write, a bad parameter, a timeout."""

    exit_code = 5
