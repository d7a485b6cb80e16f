"""Money that adds up: totals of an entity's amounts, like with like, never counting a part twice.

The rows are the ``money`` question's: one per amount, with its kind (``amount_of``: principal,
donation, grant, commitment, investment, raised, budget, other — ``model.AMOUNT_KINDS``), year,
qualifier and evidence. The rules, each stated where a total is shown:

- only amounts of the same direction and kind are added; an amount without a kind is "unspecified";
- the same amount stated by several sources (same direction, other side, type, kind, yuan and
  year) is one term;
- an amount that is ``part_of`` another amount (其中) in the same total is listed but not added;
- a total keeps its terms' qualifiers: with any "at least" term, or a term whose number the source
  lost (万元), it is "at least"; with any "at most" term it is "at most"; with both, or with an
  "about" term, "about".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
UNSPECIFIED = "unspecified"


@dataclass
class Total:
    """One total: a direction, a kind, a year (None: all years) and the terms it adds."""

    direction: str
    kind: str
    year: int | None
    terms: list[Row] = field(default_factory=list)

    @property
    def counted(self) -> list[Row]:
        """The terms the total adds: each distinct amount once, parts of a whole already in it left out."""
        return [term for term in self.terms if term["counted"]]

    @property
    def yuan(self) -> int:
        """The sum of the counted terms that carry a number."""
        return sum(term["amount_cny"] for term in self.counted if term["amount_cny"] is not None)

    @property
    def qualifier(self) -> str | None:
        """at_least, at_most or about, as the counted terms make it; None when every term is exact."""
        return combined_qualifier(
            [term.get("qualifier") for term in self.counted], lost=any(t["amount_cny"] is None for t in self.counted)
        )

    def row(self) -> Row:
        """The total as a row: direction, kind, year, yuan, qualifier, how many terms, and the terms."""
        return {
            "direction": self.direction,
            "kind": self.kind,
            "year": self.year,
            "yuan": self.yuan,
            "qualifier": self.qualifier,
            "counted": len(self.counted),
            "terms": self.terms,
        }


def combined_qualifier(qualifiers: Iterable[str | None], *, lost: bool = False) -> str | None:
    """The qualifier of a sum, from its terms' (``lost``: a term's number is unknown, so at least).

    >>> combined_qualifier([None, "at_least"]), combined_qualifier([None, None], lost=True)
    ('at_least', 'at_least')
    >>> combined_qualifier(["at_least", "at_most"]), combined_qualifier([None, None])
    ('about', None)
    """
    found = {qualifier for qualifier in qualifiers if qualifier}
    if lost:
        found.add("at_least")
    if not found:
        return None
    if "about" in found or {"at_least", "at_most"} <= found:
        return "about"
    return found.pop()


def _term_key(row: Row) -> tuple[Any, ...]:
    """What makes two rows the same amount: stated by two sources, it is still one amount."""
    return (
        row["direction"],
        row["counterparty_id"],
        row["type"],
        row.get("amount_of"),
        row.get("amount_cny"),
        row.get("amount_text") if row.get("amount_cny") is None else None,
        row.get("year"),
    )


def money_totals(rows: Sequence[Row]) -> list[Total]:
    """Totals per direction and kind over all years, then per year, each with its terms.

    Every term says whether it is ``counted`` and, if not, ``why``; repeats list their sources.
    """
    groups: dict[tuple[str, str, int | None], list[Row]] = {}
    for term in _terms(rows):
        kind = term.get("amount_of") or UNSPECIFIED
        groups.setdefault((term["direction"], kind, None), []).append(term)
        if term.get("year") is not None:  # an undated amount is only in the all-years total
            groups.setdefault((term["direction"], kind, term["year"]), []).append(term)
    totals = [Total(direction, kind, year, _marked(members)) for (direction, kind, year), members in groups.items()]
    totals = _without_repeated_year_totals(totals)
    return sorted(totals, key=lambda t: (t.direction, t.kind, t.year is not None, t.year or 0))


def _terms(rows: Sequence[Row]) -> list[Row]:
    """One term per distinct amount, with the sources that state it."""
    terms: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        key = _term_key(row)
        if key in terms:
            terms[key]["sources"].append(row["source"])
            continue
        terms[key] = {**row, "sources": [row["source"]]}
    return list(terms.values())


def _marked(members: list[Row]) -> list[Row]:
    """The terms of one total, each marked counted or not (a part of a whole in the same total is not)."""
    wholes = {member["amount_id"] for member in members if member.get("amount_id")}
    marked = []
    for member in members:
        part_of = member.get("part_of")
        if part_of and part_of in wholes:
            marked.append({**member, "counted": False, "why": f"part of {part_of}, which the total holds"})
        else:
            marked.append({**member, "counted": True, "why": None})
    return marked


def _without_repeated_year_totals(totals: list[Total]) -> list[Total]:
    """Drop a per-year total that would repeat the all-years total (every term in one year)."""
    all_years = {(t.direction, t.kind): t for t in totals if t.year is None}
    kept = []
    for total in totals:
        whole = all_years.get((total.direction, total.kind))
        if total.year is not None and whole is not None and len(whole.terms) == len(total.terms):
            continue
        kept.append(total)
    return kept
