"""Answers for people: the rows of a named question, summarised for a table at 80 columns.

``--format json|csv`` and the API keep every row and field; a table shows one row per thing asked
about (one per partner, per supporter), with roles and shared activities joined into short text,
never JSON. A chain (``path``) reads as ``A —[CO_FOUNDED: 资金管理]→ B``, with the evidence of each
hop listed below it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
LIST_SEPARATOR = "、"  # how Chinese lists names


@dataclass
class Readable:
    """What a table shows for an answer: lines of text first (chains), then rows, and a caption."""

    rows: list[Row]
    lines: list[str] = field(default_factory=list)
    caption: str | None = None


def plain(value: Any) -> str:
    """Any value as short text: a list joined, a mapping as ``key: value`` pairs, absent as empty.

    >>> plain(["活水计划", "特困帮扶基金"])
    '活水计划、特困帮扶基金'
    >>> plain({"type": "FUNDS", "role": None, "amount": "100万元"})
    'type: FUNDS, amount: 100万元'
    """
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{key}: {plain(item)}" for key, item in value.items() if item not in (None, "", []))
    if isinstance(value, list | tuple | set):
        items = [plain(item) for item in value]
        separator = "; " if any(isinstance(item, dict) for item in value) else LIST_SEPARATOR
        return separator.join(item for item in items if item)
    return str(value)


def plain_rows(rows: Sequence[Row]) -> list[Row]:
    """Rows with every nested value as short text (for tables of rows no summary knows)."""
    return [
        {key: plain(value) if isinstance(value, dict | list) else value for key, value in row.items()} for row in rows
    ]


def arrow(kind: str, role: str | None, forward: bool = True) -> str:
    """A relationship between two names: ``—[CO_FOUNDED: 资金管理]→`` (``←[…]—`` against the chain).

    >>> "A " + arrow("CO_FOUNDED", "资金管理") + " B"
    'A —[CO_FOUNDED: 资金管理]→ B'
    """
    label = f"{kind}: {role}" if role else kind
    return f"—[{label}]→" if forward else f"←[{label}]—"


def _unique(values: Iterable[str | None]) -> list[str]:
    """Values without blanks or repeats, in first-seen order."""
    return list(dict.fromkeys(value for value in values if value))


def _roles(links: Iterable[Row]) -> list[str]:
    """Each link's role in its own words, or its type in words where it states none (``featured in``)."""
    return _unique(link.get("role") or str(link.get("type") or "").lower().replace("_", " ") for link in links)


def _who(name: Any, kind: Any) -> str:
    """An organisation's name over its kind, in one cell (a kind column would take a third of 80 columns)."""
    return f"{name}\n({kind})" if kind else str(name)


def _grouped(rows: Sequence[Row], key: str) -> list[list[Row]]:
    """Rows grouped by a column, groups in first-seen order."""
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.get(key), []).append(row)
    return list(groups.values())


SHARED_SHOWN = 3  # what a table lists of the activities two organisations share; the rest are counted


def partners(rows: Sequence[Row]) -> Readable:
    """One row per partner (its name over its kind), what it shares with the organisation (the
    first few, one per line, then how many more) and each side's roles (the organisation's, then
    the partner's)."""
    shown: list[Row] = []
    for row in rows:
        names = _unique(item.get("name") for item in row.get("shared") or [])
        shared = names[:SHARED_SHOWN]
        if len(names) > SHARED_SHOWN:
            shared.append(f"… {row['shared_count'] - SHARED_SHOWN:,} more")
        if row.get("direct_count"):
            shared.append("(direct link)" if row["direct_count"] == 1 else f"({row['direct_count']} direct links)")
        org_roles = _roles(row.get("org_links") or [])
        partner_roles = _roles(row.get("partner_links") or [])
        roles = [f"org: {LIST_SEPARATOR.join(org_roles)}"] if org_roles else []
        roles += [f"partner: {LIST_SEPARATOR.join(partner_roles)}"] if partner_roles else []
        shown.append(
            {
                "partner": _who(row["partner"], row["partner_kind"]),
                "shared": "\n".join(shared),
                "roles": "\n".join(roles),
            }
        )
    return Readable(shown)


def chain(nodes: Sequence[Row], steps: Sequence[Row]) -> str:
    """A chain of names and arrows, each arrow pointing as the relationship is stored."""
    parts = [nodes[0]["name"]] if nodes else []
    for position, step in enumerate(steps):
        forward = step.get("from") == nodes[position]["id"]
        parts += [arrow(step["type"], step.get("role"), forward), nodes[position + 1]["name"]]
    return " ".join(parts)


def path(rows: Sequence[Row]) -> Readable:
    """Each chain on one line (numbered), then the evidence of every hop once, with the chains it is in."""
    lines: list[str] = []
    hops: dict[tuple[Any, ...], Row] = {}
    for number, row in enumerate(rows, start=1):
        nodes, steps = row["nodes"], row["steps"]
        lines.append(f"{number}. {chain(nodes, steps)}")
        for position, step in enumerate(steps):
            key = (step.get("from"), step["type"], step.get("to"), step.get("role"), step.get("source"))
            if key in hops:
                hops[key]["chains"] += f", {number}"
                continue
            hops[key] = {
                "chains": str(number),
                "hop": chain(nodes[position : position + 2], [step]),
                "evidence": step.get("evidence") or "",
                "source": step.get("source") or "",
            }
    return Readable(list(hops.values()), lines)


def evidence(rows: Sequence[Row]) -> Readable:
    """Each relationship as an arrow between names, with its quoted span and source."""
    return Readable(
        [
            {
                "relationship": f"{row['from']} {arrow(row['type'], row.get('role'))} {row['to']}",
                "evidence": row.get("evidence") or "",
                "source": row.get("source") or row.get("source_id") or "",
            }
            for row in rows
        ]
    )


def neighbourhood(rows: Sequence[Row]) -> Readable:
    """Each relationship as an arrow between names, with its quoted span."""
    return Readable(
        [
            {
                "relationship": f"{row['from']} {arrow(row['type'], row.get('role'))} {row['to']}"
                + (f" ({row['period']})" if row.get("period") else ""),
                "evidence": row.get("evidence") or "",
            }
            for row in rows
        ]
    )


def timeline(rows: Sequence[Row]) -> Readable:
    """Each relationship in time order: when (or undated), the arrow from or to the other end, the
    evidence; the same statement from several sources is one row that says how many."""
    shown: dict[tuple[str, str, str], set[str]] = {}
    for row in rows:
        forward = row["direction"] == "out"
        relationship = f"{arrow(row['type'], row.get('role'), forward)} {row['other']}"
        key = (row.get("period") or "undated", relationship, row.get("evidence") or "")
        shown.setdefault(key, set()).add(row.get("source") or "")
    return Readable(
        [
            {
                "when": when,
                "relationship": relationship,
                "evidence": evidence + (f" ({len(sources)} sources)" if len(sources) > 1 else ""),
            }
            for (when, relationship, evidence), sources in shown.items()
        ]
    )


def reach(rows: Sequence[Row]) -> Readable:
    """Each region reached: where it lies and through which programs, funds and events."""
    return Readable(
        [
            {
                "region": row["region"],
                "level": row["level"],
                "in": " ".join(_unique(p for p in (row.get("province"), row.get("prefecture")) if p != row["region"])),
                "through": LIST_SEPARATOR.join(_unique(item.get("name") for item in row.get("through") or [])),
            }
            for row in rows
        ]
    )


def supporters(rows: Sequence[Row]) -> Readable:
    """One row per supporter: where its support lands, through what, and its roles."""
    shown: list[Row] = []
    for group in _grouped(rows, "supporter_id"):
        through = _unique(row.get("through") or "(direct)" for row in group)
        shown.append(
            {
                "supporter": _who(group[0]["supporter"], group[0]["kind"]),
                "places": LIST_SEPARATOR.join(_unique(row["place"] for row in group)),
                "through": "\n".join(through),
                "roles": "\n".join(
                    _roles(link for row in group for link in row.get("links") or [] if link["type"] != "OPERATES_IN")
                ),
            }
        )
    return Readable(shown)


def cofounders(rows: Sequence[Row]) -> Readable:
    """Each co-founder with its role and the span that states it."""
    return Readable(
        [
            {
                "organization": _who(row["organization"], row["kind"]),
                "role": f"{row['type']}: {row['role']}" if row.get("role") else row["type"],
                "evidence": row.get("evidence") or "",
            }
            for row in rows
        ]
    )


def participants(rows: Sequence[Row]) -> Readable:
    """One row per organisation: each part it has, as ``TYPE: role`` on what it acts on."""
    shown: list[Row] = []
    for group in _grouped(rows, "org_id"):
        parts = _unique(
            f"{row['part']} ({row['type']}: {row['role']})" if row.get("role") else f"{row['part']} ({row['type']})"
            for row in group
        )
        shown.append({"organization": _who(group[0]["organization"], group[0]["kind"]), "parts": "\n".join(parts)})
    return Readable(shown)


def money(rows: Sequence[Row]) -> Readable:
    """Each amount with its direction, the other side and what it measures."""
    return Readable(
        [
            {
                "direction": row["direction"],
                "counterparty": row["counterparty"],
                "type": row["type"],
                "amount": row.get("amount_text") or (f"{row['amount_cny']:,} 元" if row.get("amount_cny") else ""),
                "of": " ".join(v for v in (row.get("amount_of"), row.get("amount_label")) if v),
                "when": row.get("period") or "",
            }
            for row in rows
        ]
    )


QUALIFIER_WORDS = {"at_least": "at least ", "about": "about ", "at_most": "at most "}


def money_totals_table(totals: Sequence[Row]) -> Readable:
    """Each total (direction, kind, year) with its sum in yuan and its terms, one per line with its evidence."""
    shown = []
    for total in totals:
        terms = []
        for term in total["terms"]:
            amount = term.get("amount_text") or f"{term['amount_cny']:,} 元"
            arrow_text = "→" if total["direction"] == "given" else "←"
            line = f"{amount} {arrow_text} {term['counterparty']}: {term.get('evidence') or ''}"
            if len(term.get("sources") or []) > 1:
                line += f" ({len(term['sources'])} sources)"
            if not term["counted"]:
                line += f" [not added: {term['why']}]"
            terms.append(line)
        shown.append(
            {
                "total": f"{total['direction']} · {total['kind']} · {total['year'] or 'all years'}",
                "yuan": QUALIFIER_WORDS.get(total.get("qualifier") or "", "") + f"{total['yuan']:,}",
                "terms": "\n".join(terms),
            }
        )
    caption = "like with like; a part (其中) is not added to its whole; 'at least' kept" if totals else "no amounts"
    return Readable(shown, caption=caption)


def names(rows: Sequence[Row]) -> Readable:
    """Found entities: name, label, other names and id."""
    return Readable(
        [
            {"name": row["name"], "label": row["label"], "aliases": plain(row.get("aliases")), "id": row["id"]}
            for row in rows
        ]
    )


def key_county_reach(rows: Sequence[Row]) -> Readable:
    """Each designated county reached, how and by whom; the list's completeness once, as a caption."""
    caption = None
    if rows:
        first = rows[0]
        partial = "" if first.get("complete") else " (partial)"
        caption = f"the designation list holds {first.get('listed_count')} of {first.get('total_count')}{partial}"
    return Readable(
        [
            {
                "county": row["county"],
                "province": row.get("province") or "",
                "activity": row["activity"],
                "basis": row["basis"],
                "organizations": plain(row.get("organizations")),
            }
            for row in rows
        ],
        caption=caption,
    )


SUMMARIES: dict[str, Callable[[Sequence[Row]], Readable]] = {
    "partners": partners,
    "path": path,
    "evidence": evidence,
    "neighbourhood": neighbourhood,
    "reach": reach,
    "supporters": supporters,
    "cofounders": cofounders,
    "participants": participants,
    "money": money,
    "search": names,
    "find": names,
    "key-county-reach": key_county_reach,
    "timeline": timeline,
}


def readable(query: str, rows: Sequence[Row]) -> Readable:
    """The table view of a named question's rows (any query without a summary: nested values as text)."""
    summary = SUMMARIES.get(query)
    return summary(rows) if summary is not None else Readable(plain_rows(rows))
