"""Claims: every value of an entity, with the sources that state it, and the one rule that picks what queries see.

FollowTheMoney's statements are the model: an entity is the sum of what its sources say about it.
Each declaration of an entity makes one claim per value (its name, each alias, its kind, year,
uscc …) with the declaration's sources. Declaring the entity again — in another file, another
row, a later load — adds claims: aliases are a union; a single-valued property with several
values keeps them all as competing claims, and ``choose`` picks the one the node shows:

1. a claim marked ``preferred`` (its declaration said ``preferred: true``), else
2. the claim whose best source has the better grade (``GRADES``; a source without a grade last), else
3. the claim whose latest source was published last (a source without a date last), else
4. the claim with the smallest source id (an unsourced claim last), else the smallest value.

The rule is deterministic and depends only on the set of claims, so the order of loading never
changes what a query sees. The node keeps the chosen values as ordinary properties (every query
works unchanged) and its claims beside them: ``sources`` (a list of ids) when every value comes
from the same sources, else ``claims``, a JSON text list of ``{property, value, sources,
preferred, via}`` (Neo4j stores no maps), and ``contested``, the properties with competing values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from ruralgraph.model import RENAME_PROPERTIES, node_search_keys
from ruralgraph.names import merged_aliases

# The grades of sources, most trusted first (a source without a grade ranks after all of them).
GRADES: tuple[str, ...] = ("official", "press", "reprint", "secondary", "unverified")
MULTI_VALUED = frozenset({"aliases", "rename"})
# A node stores its renames as four aligned lists (model.RENAME_PROPERTIES); as claims, each rename is
# one value, the JSON text of [from, to, date, source], so that sources add renames as they add aliases.
RENAMED = frozenset(RENAME_PROPERTIES.values())
# Node properties that are not claims: derived from the claims, or the claims themselves.
CLAIM_PROPERTIES = frozenset({"sources", "claims", "contested"})
DERIVED = frozenset({"id", "search_keys"}) | CLAIM_PROPERTIES


@dataclass(frozen=True)
class SourceInfo:
    """What the preference rule needs of a source: its grade and publication date (either may be unknown)."""

    grade: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD


@dataclass(frozen=True)
class Claim:
    """One value of one property, with the sources that state it.

    ``via`` names the merged duplicates whose declarations stated it (empty for the entity's own).
    """

    prop: str  # the property it is a value of
    value: Any
    sources: tuple[str, ...] = ()
    preferred: bool = False
    via: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, bytes]:
        """What makes two claims the same claim: the property and the value."""
        return (self.prop, orjson.dumps(self.value))

    def as_dict(self) -> dict[str, Any]:
        """As stored in ``claims`` (and shown by ``show --format json``); empty parts left out."""
        data: dict[str, Any] = {"property": self.prop, "value": self.value, "sources": list(self.sources)}
        if self.preferred:
            data["preferred"] = True
        if self.via:
            data["via"] = list(self.via)
        return data


def declaration_claims(
    props: Mapping[str, Any], sources: Sequence[str], *, preferred: bool = False, via: str | None = None
) -> list[Claim]:
    """The claims one declaration makes: one per value of its properties (``id`` and derived ones excluded).

    A merged duplicate's (``via``) name becomes an alias claim of the entity it is merged into.
    """
    sourced = tuple(sorted(set(sources)))
    through = (via,) if via else ()
    claims: list[Claim] = []
    columns = [props.get(prop) or [] for prop in RENAME_PROPERTIES.values()]
    for rename in zip(*columns, strict=False):
        claims.append(Claim("rename", orjson.dumps(list(rename)).decode(), sourced, preferred, through))
    for name, value in props.items():
        if name in DERIVED or name in RENAMED:
            continue
        if name in MULTI_VALUED:
            claims.extend(Claim(name, item, sourced, preferred, through) for item in value)
        elif name == "name" and via:
            claims.append(Claim("aliases", value, sourced, preferred, through))
        else:
            claims.append(Claim(name, value, sourced, preferred, through))
    return claims


def union(*groups: Iterable[Claim]) -> list[Claim]:
    """All claims of the groups, each (property, value) once with the union of its sources, in canonical order."""
    merged: dict[tuple[str, bytes], Claim] = {}
    for group in groups:
        for claim in group:
            seen = merged.get(claim.key)
            if seen is None:
                merged[claim.key] = claim
            else:
                merged[claim.key] = Claim(
                    claim.prop,
                    claim.value,
                    tuple(sorted(set(seen.sources) | set(claim.sources))),
                    seen.preferred or claim.preferred,
                    tuple(sorted(set(seen.via) | set(claim.via))),
                )
    return [merged[key] for key in sorted(merged)]


def claims_of(props: Mapping[str, Any]) -> list[Claim]:
    """The claims behind a stored node's properties (``claims`` if stored, else every value from ``sources``)."""
    stored = props.get("claims")
    if stored:
        return union(
            Claim(
                item["property"],
                item["value"],
                tuple(item.get("sources", ())),
                bool(item.get("preferred", False)),
                tuple(item.get("via", ())),
            )
            for item in orjson.loads(stored)
        )
    return union(declaration_claims(props, props.get("sources") or ()))


def _date_key(published: str | None) -> tuple[int, ...]:
    """A partial date as numbers to compare, later first: '2017-12' → (-2017, -12, 0); unknown last."""
    if not published:
        return (0, 0, 0)
    parts = [int(part) for part in str(published)[:10].split("-") if part.isdigit()]
    return tuple(-part for part in [*parts, 0, 0, 0][:3])


def rank(claim: Claim, info: Mapping[str, SourceInfo]) -> tuple[Any, ...]:
    """The preference rule as a sort key: the smallest key wins (see the module docstring)."""
    known = [info.get(source, SourceInfo()) for source in claim.sources]
    grade = min((GRADES.index(s.grade) for s in known if s.grade in GRADES), default=len(GRADES))
    latest = min((_date_key(s.published) for s in known), default=_date_key(None))
    first_source = (0, claim.sources[0]) if claim.sources else (1, "")
    return (not claim.preferred, grade, latest, first_source, claim.key)


def choose(label: str, node_id: str, claims: Sequence[Claim], info: Mapping[str, SourceInfo]) -> dict[str, Any]:
    """The node's properties from its claims: one value per property by the preference rule, and the claims.

    The names that lose become aliases, so the entity stays findable by every name a source gave it.
    """
    by_property: dict[str, list[Claim]] = {}
    for claim in claims:
        by_property.setdefault(claim.prop, []).append(claim)
    props: dict[str, Any] = {"id": node_id}
    contested: list[str] = []
    extra_names: list[str] = []
    for name, group in by_property.items():
        if name in MULTI_VALUED:
            continue
        ordered = sorted(group, key=lambda claim: rank(claim, info))
        props[name] = ordered[0].value
        if len(ordered) > 1:
            contested.append(name)
        if name == "name":
            extra_names = [claim.value for claim in ordered[1:]]
    renames = sorted(
        {tuple(orjson.loads(claim.value)) for claim in by_property.get("rename", [])},
        key=lambda rename: (rename[2] or "", rename[0], rename[1]),
    )
    for index, prop in enumerate(RENAME_PROPERTIES.values()):
        if renames:
            props[prop] = [rename[index] for rename in renames]
    alias_values = sorted({claim.value for claim in by_property.get("aliases", [])} | set(extra_names))
    aliases = merged_aliases(str(props.get("name", "")), alias_values)
    if aliases:
        props["aliases"] = aliases
    props["search_keys"] = node_search_keys(label, str(props.get("name", "")), aliases, props.get("name_en"))
    stored = union(claims)
    sources = {claim.sources for claim in stored}
    compact = len(sources) == 1 and not contested and not any(c.preferred or c.via for c in stored)
    if compact and union(declaration_claims(props, next(iter(sources)))) == stored:
        if next(iter(sources)):
            props["sources"] = list(next(iter(sources)))
    else:
        props["claims"] = orjson.dumps([claim.as_dict() for claim in stored]).decode()
    if contested:
        props["contested"] = sorted(contested)
    return props


def single_declaration(label: str, props: dict[str, Any], sources: Sequence[str]) -> dict[str, Any]:
    """``choose`` for an entity declared once, without preference (the common case, kept cheap).

    Equal to ``choose`` over the declaration's claims: aliases in canonical (sorted) order, the
    sources in ``sources``.
    """
    if "aliases" in props:
        props["aliases"] = sorted(props["aliases"])
    if sources:
        props["sources"] = sorted(set(sources))
    return props


__all__ = ["GRADES", "Claim", "SourceInfo", "choose", "claims_of", "declaration_claims", "single_declaration", "union"]
