"""Errors that a researcher sees: each names the file, the line and the field, in plain words."""

from __future__ import annotations

from dataclasses import dataclass


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


class NotFound(RuralgraphError):
    """A name or id that resolves to nothing (the message lists the closest matches)."""

    exit_code = 3


class Ambiguous(RuralgraphError):
    """A name that resolves to more than one entity (the message lists them)."""

    exit_code = 3


class StoreError(RuralgraphError):
    """The store cannot be reached, opened or written (in use, unreachable, wrong credentials)."""

    exit_code = 4


class QueryError(RuralgraphError):
    """A query that is refused or fails: a write without --write, a bad parameter, a timeout."""

    exit_code = 5
