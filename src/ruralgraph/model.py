"""The vocabulary of ruralgraph: node labels, relationship types and the rules between them.

This module is the single source of truth. The JSON Schema of case files and the Cypher
constraints in ``schema/`` are generated from it (``ruralgraph schema``), the loader validates
against it, and the query layer takes labels and relationship types only from its closed lists.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from ruralgraph.errors import shown
from ruralgraph.money import AMOUNT_CAP, parse_amount
from ruralgraph.names import clean_name, merged_aliases, normalise, search_keys
from ruralgraph.periods import PARTIAL_DATE_PATTERN, Timing, partial_date

# Characters no stored text may hold: they are invisible, reorder what is shown around them, drive
# terminals, or make XML exports ill-formed. C0 and C1 controls (tab and line feed are allowed in
# multi-line text only), the bidirectional formatting characters, the line and paragraph separators,
# and the non-characters U+FFFE and U+FFFF. Other format characters (zero-width space, joiners) stay:
# they are common in text copied from web pages, and harmless.
_REFUSED_FORMAT = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")
_MULTILINE_ALLOWED = frozenset("\t\n")


def _refused_character(char: str, multiline: bool) -> bool:
    if multiline and char in _MULTILINE_ALLOWED:
        return False
    category = unicodedata.category(char)
    return category in ("Cc", "Cs") or char in _REFUSED_FORMAT or char in "\ufffe\uffff"


def _refused_pattern(multiline: bool) -> re.Pattern[str]:
    """The characters ``_refused_character`` refuses, as one character class: text is searched at C
    speed, and only text that holds one is walked character by character to word the error.

    Cc is exactly U+0000–U+001F and U+007F–U+009F, Cs U+D800–U+DFFF (tests/test_model.py checks
    the class against ``_refused_character`` over every code point).
    """
    controls = "\x00-\x08\x0b-\x1f" if multiline else "\x00-\x1f"
    others = "".join(sorted(_REFUSED_FORMAT))
    return re.compile(f"[{controls}\x7f-\x9f\ud800-\udfff{others}\ufffe\uffff]")


def _plain_text(multiline: bool) -> AfterValidator:
    """A validator refusing the characters above, naming the first one found (U+XXXX) and where it is."""
    refused = _refused_pattern(multiline).search

    def check(value: str) -> str:
        if refused(value) is None:  # nearly all text: no need to look at each character
            return value
        for position, char in enumerate(value, start=1):
            if _refused_character(char, multiline):
                name = unicodedata.name(char, "a control character")
                allowed = " (tab and line feed are allowed only in multi-line text such as note)"
                allowed = allowed if char in _MULTILINE_ALLOWED else ""
                raise ValueError(
                    f"character U+{ord(char):04X} ({name}) at position {position} is not allowed in text{allowed}"
                )
        return value

    return AfterValidator(check)


# Ids are short ASCII slugs so that they are stable across tools, file systems and URLs;
# the Chinese name lives in ``name`` and ``aliases``.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.\-]{0,79}$")]
# A relationship end may also name a place, resolved by the gazetteer: region:贵州玉屏 or region:520622.
Ref = Annotated[
    str, StringConstraints(pattern=r"^([a-z0-9][a-z0-9_.\-]{0,79}|region:\S{1,40})$"), _plain_text(multiline=False)
]
# Text may span lines (a note, a quoted span); a Name is one line (names, aliases, titles).
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), _plain_text(True)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), _plain_text(False)]
Evidence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120), _plain_text(True)]
Adcode = Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3}(\d{3})?)?$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$"), _plain_text(multiline=False)]

# Integers and booleans are taken only in their plain spelling. YAML 1.1 reads yes as true, 017 as
# octal 15, 0x10 as 16, 1_0 as 10 and 1:30 as 90; pydantic would take 63.0, "1_0" or true as integers.
# An integer is plain decimal digits (a leading - allowed, no leading zero), written as a number or as
# text (CSV cells are text); a boolean is true or false. Everything else is refused, never converted.
_PLAIN_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


def _plain_integer(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _PLAIN_INTEGER.fullmatch(value):
        return int(value)
    raise ValueError(
        "Input should be a valid integer, written in plain decimal digits such as 63 "
        "(yes/no, a leading 0, 0x…, 1_0, 1:30 and 63.0 are refused)"
    )


def _plain_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise ValueError("write true or false (yes/no, on/off and 1/0 are refused)")


# Constraints come before the validator, so that the JSON Schema still states them as minimum/maximum.
_INTEGER = BeforeValidator(_plain_integer)
Count = Annotated[int, Field(gt=0), _INTEGER]
Boolean = Annotated[bool, BeforeValidator(_plain_boolean)]
Year = Annotated[int, Field(ge=1949, le=2100), _INTEGER]
# Absurd amounts are rejected: the whole national budget is below 10^14 yuan (the cap is money.py's).
AmountCny = Annotated[int, Field(gt=0, lt=AMOUNT_CAP), _INTEGER]

# Properties the embedded engine reserves for itself (kglite adds ``title`` and ``type``).
# ``sources``, ``claims`` and ``contested`` hold an entity's claims (see ``claims.py``).
RESERVED_PROPERTIES = frozenset({"title", "type", "labels", "search_keys", "sources", "claims", "contested"})


PartialDate = Annotated[
    str,
    BeforeValidator(partial_date),
    WithJsonSchema(
        {"type": ["string", "integer"], "pattern": PARTIAL_DATE_PATTERN, "examples": ["2017", "2017-12", "2017-12-01"]}
    ),
]


class Rename(BaseModel):
    """A dated change of name, as a source states it: ``from`` was renamed ``to`` (on ``date``)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    from_: Text = Field(alias="from", description="The name before, e.g. 中国扶贫基金会.")
    to: Text = Field(description="The name after, e.g. 中国乡村发展基金会.")
    date: PartialDate | None = Field(default=None, description="When: YYYY, YYYY-MM or YYYY-MM-DD; absent if unknown.")
    source: Id = Field(description="Id of the Source that states the rename.")
    evidence: Evidence | None = Field(default=None, description="The span that states it.")

    @model_validator(mode="after")
    def _a_change(self) -> Rename:
        if normalise(self.from_) == normalise(self.to):
            raise ValueError("a rename needs two different names")
        return self


# How a node stores its renames: one list per field, in the order written (graph properties hold no maps).
RENAME_PROPERTIES = {"from_": "renamed_from", "to": "renamed_to", "date": "renamed_on", "source": "renamed_source"}


class OrgKind(StrEnum):
    """What kind of actor an organisation is."""

    foundation = "foundation"
    social_organization = "social_organization"
    industry_association = "industry_association"
    enterprise = "enterprise"
    government = "government"
    media = "media"
    group = "group"
    university = "university"
    other = "other"


class GovLevel(StrEnum):
    """The administrative level of a government body."""

    central = "central"
    provincial = "provincial"
    prefectural = "prefectural"
    county = "county"
    township = "township"


class RegionLevel(StrEnum):
    """The administrative level of a region."""

    province = "province"
    prefecture = "prefecture"
    county = "county"
    township = "township"
    village = "village"


class Node(BaseModel):
    """Fields every node has: a stable id, a name as written, and its other names."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    label: ClassVar[str]
    section: ClassVar[str]  # the key under which a case file lists nodes of this label
    activity: ClassVar[bool] = False  # a program, fund or event: something organisations do together
    matchable: ClassVar[bool] = False  # compared for near-duplicate names (dedupe)
    shape: ClassVar[str] = "dot"  # how maps draw it
    colour: ClassVar[str | None] = None  # how maps colour it (organisations: by kind, ORG_KIND_COLOURS)

    id: Id = Field(description="Stable ASCII id, unique across the dataset, e.g. 'crdf'.")
    name: Name = Field(description="The name as written in the source, e.g. 中国乡村发展基金会.")
    name_en: Name | None = Field(default=None, description="English name, where one is known.")
    aliases: list[Name] = Field(default_factory=list, description="Former and short names.")
    note: Text | None = Field(default=None, description="A curator's remark, in their own words.")
    source: Id | list[Id] | None = Field(
        default=None,
        description="The Source id(s) stating this declaration; default: the file's `source`, else its only source.",
    )
    preferred: bool | None = Field(
        default=None, description="true: where sources disagree, this declaration's values win (see case-format.md)."
    )
    renames: list[Rename] = Field(
        default_factory=list,
        description="Changes of name, oldest first, each with its source: the former names stay findable.",
    )

    @model_validator(mode="after")
    def _normalise_names(self) -> Node:
        """ "X(原Y)" becomes name X with aliases Y and the written form, "X(现Y)" name Y with alias X;
        every variant, and every name a rename names, stays findable."""
        name, formers = clean_name(self.name)
        variants: list[str] = [*formers, self.name] if name != self.name else []
        for alias in self.aliases:
            cleaned, alias_formers = clean_name(alias)
            variants += [cleaned, *alias_formers, alias]
        for rename in self.renames:
            variants += [rename.from_, rename.to]
        if not variants and name == self.name:  # most names: nothing to change (and no assignment to pay for)
            return self
        self.name = name
        self.aliases = merged_aliases(name, variants)
        return self

    def declared_sources(self) -> list[str]:
        """The Source ids this declaration names (none: see the reader's default)."""
        if self.source is None:
            return []
        return [self.source] if isinstance(self.source, str) else list(self.source)

    def properties(self) -> dict[str, Any]:
        """The node's properties as stored in the graph: unknown values are left out, never empty.

        ``search_keys`` (derived) holds the normalised names, their pinyin and the English name.
        """
        # Read straight from the validated fields, as JSON would give them (enums as their values,
        # dates as ISO text): a bulk load asks this of every node, and model_dump costs more.
        fields = self.__dict__
        stored = _node_stored(type(self))
        props = {name: _as_json(fields[name]) for name in stored if fields[name] not in (None, "", [])}
        for field_name, prop in RENAME_PROPERTIES.items():
            if self.renames:  # unknown dates are stored as "" to keep the lists aligned
                props[prop] = [getattr(rename, field_name) or "" for rename in self.renames]
        props["search_keys"] = node_search_keys(self.label, self.name, self.aliases, self.name_en)
        return props


@cache
def _node_stored(model: type[Node]) -> tuple[str, ...]:
    """The fields of a node model stored as they are, in field order (renames and counts become other properties)."""
    return tuple(name for name in model.model_fields if name not in {"source", "preferred", "renames", "counts"})


def _as_json(value: Any) -> Any:
    """A validated field's value as a JSON dump gives it: an enum as its value, a date as ISO text."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


def node_search_keys(label: str, name: str, aliases: list[str], name_en: str | None) -> list[str]:
    """A node's ``search_keys``: its names normalised, their pinyin (not for a Source's title), its English name."""
    return search_keys(name, aliases, name_en, pinyin=label != "Source")


class Organization(Node):
    """An enterprise, foundation, social organisation, association, government body or group."""

    label: ClassVar[str] = "Organization"
    section: ClassVar[str] = "organizations"
    matchable: ClassVar[bool] = True

    kind: OrgKind
    level: GovLevel | None = Field(default=None, description="Only for kind: government.")
    member_count: Count | None = Field(default=None, description="Only for kind: group (e.g. 63家证券公司 → 63).")
    uscc: Annotated[str, StringConstraints(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")] | None = Field(
        default=None, description="统一社会信用代码, the strongest identity key where given."
    )

    @model_validator(mode="after")
    def _kind_specific_fields(self) -> Organization:
        if self.level is not None and self.kind != OrgKind.government:
            raise ValueError("level is only for organisations of kind government")
        if self.member_count is not None and self.kind != OrgKind.group:
            raise ValueError("member_count is only for organisations of kind group")
        return self


CountName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,30}$")]


class NamedCount(BaseModel):
    """A count as a source states it: how many (``value``), as of when, and the words it used."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    value: Count
    as_of: PartialDate | None = Field(
        default=None, description="When the count was taken: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    text: Text | None = Field(default=None, description="The count as written, e.g. 30余个.")

    @model_validator(mode="before")
    @classmethod
    def _a_bare_number(cls, value: Any) -> Any:
        return {"value": value} if isinstance(value, int | str) and not isinstance(value, bool) else value


def count_properties(counts: dict[str, NamedCount]) -> dict[str, Any]:
    """Named counts as graph properties (which hold no maps): ``count_NAME``, ``count_NAME_as_of``, ``count_NAME_text``.

    >>> count_properties({"counties": NamedCount(value=12, as_of="2021")})
    {'count_counties': 12, 'count_counties_as_of': '2021'}
    """
    props: dict[str, Any] = {}
    for name, count in counts.items():
        props[f"count_{name}"] = count.value
        if count.as_of is not None:
            props[f"count_{name}_as_of"] = count.as_of
        if count.text is not None:
            props[f"count_{name}_text"] = count.text
    return props


COUNTS_DESCRIPTION = "Named counts, e.g. {counties: 12, projects: {value: 30, as_of: 2021, text: 30余个}}."


class _Activity(Node):
    """Shared fields of programs, funds and events."""

    activity: ClassVar[bool] = True
    matchable: ClassVar[bool] = True

    category: Text | None = Field(default=None, description="e.g. 产业帮扶, 品牌, 平台.")
    year: Year | None = None
    date: dt.date | None = None
    date_text: Text | None = Field(default=None, description="A date as written, when incomplete.")
    duration_years: Annotated[int, Field(gt=0, le=100), _INTEGER] | None = None
    count: Count | None = Field(default=None, description="A stated count.")
    count_of: Text | None = Field(default=None, description="What `count` counts.")
    coverage_text: Text | None = Field(default=None, description="Coverage as written, e.g. 12省县.")
    counts: dict[CountName, NamedCount] = Field(default_factory=dict, description=COUNTS_DESCRIPTION)

    @model_validator(mode="after")
    def _count_needs_its_meaning(self) -> _Activity:
        if (self.count is None) != (self.count_of is None):
            raise ValueError("count and count_of go together")
        return self

    def properties(self) -> dict[str, Any]:
        """As ``Node.properties``, with named counts as ``count_NAME`` properties."""
        props = super().properties()
        props.update(count_properties(self.counts))
        return props


class Program(_Activity):
    """A plan, action, project or brand (计划、行动、项目、品牌)."""

    label: ClassVar[str] = "Program"
    section: ClassVar[str] = "programs"
    shape: ClassVar[str] = "box"
    colour: ClassVar[str | None] = "#f9a825"


class Fund(_Activity):
    """A fund (基金)."""

    label: ClassVar[str] = "Fund"
    section: ClassVar[str] = "funds"
    shape: ClassVar[str] = "diamond"
    colour: ClassVar[str | None] = "#00838f"


class Event(_Activity):
    """A campaign, ceremony or activity day."""

    label: ClassVar[str] = "Event"
    section: ClassVar[str] = "events"
    shape: ClassVar[str] = "triangle"
    colour: ClassVar[str | None] = "#ad1457"


class Region(Node):
    """An administrative region, with its official code where one exists."""

    label: ClassVar[str] = "Region"
    section: ClassVar[str] = "regions"
    shape: ClassVar[str] = "square"
    colour: ClassVar[str | None] = "#90a4ae"

    level: RegionLevel
    adcode: Adcode | None = Field(default=None, description="Ministry of Civil Affairs code.")
    adcode_year: Year | None = Field(default=None, description="The year of the code table.")


class Case(Node):
    """A selected typical case (典型案例)."""

    label: ClassVar[str] = "Case"
    section: ClassVar[str] = "cases"
    shape: ClassVar[str] = "star"
    colour: ClassVar[str | None] = "#5d4037"

    batch: Text | None = Field(default=None, description="e.g. 首批.")
    category: Text | None = Field(default=None, description="e.g. 社会组织帮扶.")


class SourceGrade(StrEnum):
    """How far a source can be trusted as a witness of what it states (docs/case-format.md, Sources).

    The grade describes the document the evidence is quoted from, not the facts: a reprint of an
    official notice is a ``reprint``, and it points to the notice with ``reprint_of``.
    """

    official = "official"  # issued by the body that decided or holds the record: a notice, a registry, its own report
    press = "press"  # an original report by a news outlet or journal, under its own name
    reprint = "reprint"  # a copy published by someone else (转载): as good as the copy; numbers may be lost
    secondary = "secondary"  # drawn from other sources: an encyclopaedia, a compiled list or dataset, a summary
    unverified = "unverified"  # origin unknown or not checked: a mirror page, a forum post, a file without provenance


WebUrl = Url  # a Source's web address: http(s) only, one line, no control characters


def _a_source_has_a_title_url_or_ref(schema: dict[str, Any]) -> None:
    """The JSON Schema of a Source: a title is required only when neither url nor ref is given."""
    schema["required"] = [name for name in schema.get("required", []) if name != "title"]
    schema["anyOf"] = [{"required": ["title"]}, {"required": ["url"]}, {"required": ["ref"]}]
    published = schema["properties"]["published"]
    schema["properties"]["date"] = {**published, "description": "A synonym of published.", "title": "Date"}


class Source(Node):
    """A document that facts come from: a page, an article, a notice, a dataset file, a book.

    It has an id and at least one of ``title``, ``url`` and ``ref``. Its ``name`` is the title; a
    source known only by its address is named by its ``ref``, else its ``url``.
    """

    model_config = ConfigDict(defer_build=True, json_schema_extra=_a_source_has_a_title_url_or_ref)
    label: ClassVar[str] = "Source"
    section: ClassVar[str] = "sources"
    shape: ClassVar[str] = "triangleDown"  # a marker: a map may hide its label (text alone would vanish)
    colour: ClassVar[str | None] = "#455a64"

    name: Name = Field(
        validation_alias=AliasChoices("title", "name"),
        description="The title (stored as name: kglite reserves `title`); without one, the ref or the url.",
    )
    url: WebUrl | None = Field(default=None, description="A web address (http or https).")
    ref: Text | None = Field(
        default=None,
        description="A non-web reference: a file in a repository (github:owner/repo/path@commit), "
        "doi:10.…, isbn:…, an archive number.",
    )
    published: PartialDate | None = Field(
        default=None,
        validation_alias=AliasChoices("published", "date"),
        description="When it was published: YYYY, YYYY-MM or YYYY-MM-DD, as precisely as known (`date` is a synonym).",
    )
    publisher: Text | None = None
    grade: SourceGrade | None = Field(
        default=None, description="official, press, reprint, secondary or unverified (docs/case-format.md)."
    )
    reprint_of: Id | None = Field(default=None, description="The id of the Source this one reprints.")
    reprinted_from: Text | None = Field(default=None, description="What a reprint says it copies, as written.")

    @model_validator(mode="before")
    @classmethod
    def _named_by_its_address(cls, data: Any) -> Any:
        """Without a title, a source is named by its ref, else its url; with none of the three it is refused."""
        if isinstance(data, dict) and not data.get("title") and not data.get("name"):
            address = data.get("ref") or data.get("url")
            if not address:
                raise ValueError("a source needs at least one of title, url and ref")
            data = {**data, "name": str(address)}
        return data

    @model_validator(mode="after")
    def _references_in_their_place(self) -> Source:
        if self.ref is not None and re.match(r"^https?://", self.ref):
            raise ValueError("ref is for non-web references; a web address goes in url")
        if self.reprint_of == self.id:
            raise ValueError("a source cannot be a reprint of itself")
        return self

    @property
    def title(self) -> str | None:
        """The title, or None for a source known only by its address."""
        return None if self.name in (self.ref, self.url) else self.name


class Designation(Node):
    """An official list that designates regions, e.g. 国家乡村振兴重点帮扶县."""

    label: ClassVar[str] = "Designation"
    section: ClassVar[str] = "designations"
    shape: ClassVar[str] = "hexagon"
    colour: ClassVar[str | None] = "#37474f"

    year: Year | None = None
    total_count: Count | None = Field(default=None, description="How many regions the official list has.")
    listed_count: Annotated[int, Field(ge=0), _INTEGER] | None = Field(
        default=None, description="How many of them this dataset holds."
    )
    complete: Boolean | None = Field(default=None, description="False when the data is partial.")


NODE_MODELS: tuple[type[Node], ...] = (
    Organization,
    Program,
    Fund,
    Event,
    Region,
    Case,
    Source,
    Designation,
)
LABELS: tuple[str, ...] = tuple(model.label for model in NODE_MODELS)
MODEL_BY_LABEL: dict[str, type[Node]] = {model.label: model for model in NODE_MODELS}
MODEL_BY_SECTION: dict[str, type[Node]] = {model.section: model for model in NODE_MODELS}
# The one label every node carries besides its own, so that one unique index finds any id (and one
# index any name) whatever the node's label: Neo4j finds an unlabelled node only by scanning them all.
# It is never a node's type: Neo4j does not promise the order of labels(n), so queries name the
# type with ``node_type`` (query files spell the same expression out), never labels(n)[0].
ENTITY_LABEL = "Entity"


def node_type(variable: str) -> str:
    """The Cypher expression for the type (model label) of the node bound to ``variable``.

    >>> node_type("n")
    "[l IN labels(n) WHERE l <> 'Entity'][0]"
    """
    return f"[l IN labels({variable}) WHERE l <> '{ENTITY_LABEL}'][0]"


# Derived facts of the vocabulary, for every module that needs them (never restated elsewhere).
ACTIVITY_LABELS: frozenset[str] = frozenset(model.label for model in NODE_MODELS if model.activity)
MATCHABLE_LABELS: tuple[str, ...] = tuple(model.label for model in NODE_MODELS if model.matchable)
UNKNOWN_COLOUR = "#757575"
ORG_KIND_COLOURS: dict[str, str] = {
    "foundation": "#2e7d32",
    "social_organization": "#66bb6a",
    "industry_association": "#1565c0",
    "enterprise": "#ef6c00",
    "government": "#c62828",
    "media": "#6a1b9a",
    "group": "#8d6e63",
    "university": "#00695c",
    "other": UNKNOWN_COLOUR,
}

ORG = ("Organization",)
ACTIVITY = tuple(label for label in LABELS if label in ACTIVITY_LABELS)


class RelRule(BaseModel):
    """Which labels a relationship type may connect, and what it means."""

    model_config = ConfigDict(defer_build=True, frozen=True)
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    meaning: str
    zh: str  # the short Chinese label maps and figures draw on an edge (English type on a switch)
    # Structural relationships record no assistance relationship and so need no evidence span beyond
    # the source that lists them (a county's place in its province, a row of an official list);
    # maps and reach questions do not count them as work in a place.
    structural: bool = False
    # Whether a node may have this relationship with itself. No type in the vocabulary allows it: an
    # organisation does not fund, partner with or supervise itself, and a region is not part of itself.
    self_loops: bool = False


# The closed list of relationship types, directed from the actor.
RELATIONSHIP_RULES: dict[str, RelRule] = {
    "CO_FOUNDED": RelRule(
        from_labels=ORG, to_labels=ACTIVITY + ORG, meaning="co-founded (联合发起设立)", zh="联合发起"
    ),
    "LAUNCHED": RelRule(from_labels=ORG, to_labels=ACTIVITY, meaning="launched or initiated (发起)", zh="发起"),
    "GUIDES": RelRule(from_labels=ORG, to_labels=ACTIVITY + ORG, meaning="gives guidance (指导)", zh="指导"),
    "MANAGES_FUNDS": RelRule(
        from_labels=ORG, to_labels=("Fund", "Program"), meaning="manages the money (资金管理)", zh="资金管理"
    ),
    "RAISES_FUNDS": RelRule(
        from_labels=(*ORG, "Event", "Program"),
        to_labels=("Fund", "Program"),
        meaning="raises money for (筹措/筹集)",
        zh="筹资",
    ),
    "SUPERVISES": RelRule(from_labels=ORG, to_labels=ACTIVITY + ORG, meaning="supervises (监督)", zh="监督"),
    "COORDINATES": RelRule(
        from_labels=ORG, to_labels=ACTIVITY, meaning="coordinates implementation (协调实施)", zh="协调实施"
    ),
    "IMPLEMENTS": RelRule(from_labels=ORG, to_labels=ACTIVITY, meaning="implements (实施)", zh="实施"),
    "OPERATES": RelRule(
        from_labels=ORG, to_labels=("Fund", "Program"), meaning="operates on others' behalf (运作)", zh="运作"
    ),
    "ORGANIZES": RelRule(from_labels=ORG, to_labels=("Event",), meaning="organises an event (开展/组织)", zh="组织"),
    "FUNDS": RelRule(
        from_labels=(*ORG, "Fund", "Program"),
        to_labels=ACTIVITY + ORG + ("Region",),
        meaning="gives money to (捐赠/资助)",
        zh="资助",
    ),
    "COMMITS": RelRule(from_labels=ORG, to_labels=ACTIVITY, meaning="commits money to (承诺投入)", zh="承诺投入"),
    "SIGNED": RelRule(from_labels=ORG, to_labels=ACTIVITY, meaning="signed the agreement of (签署)", zh="签署"),
    "SUPPORTS": RelRule(
        from_labels=("Program", "Fund"),
        to_labels=(*ORG, "Region"),
        meaning="supports beneficiaries (支持/赋能)",
        zh="支持",
    ),
    "PARTNERS_WITH": RelRule(from_labels=ORG, to_labels=ORG, meaning="partners with (合作)", zh="合作"),
    # Paired assistance between places (东西部协作: 北京市帮扶内蒙古自治区) runs Region → Region: the
    # sources name the places, and the gazetteer gives every place its province through PART_OF.
    "ASSISTS": RelRule(
        from_labels=(*ORG, "Region"),
        to_labels=("Region", "Organization"),
        meaning="paired assistance (定点帮扶, 东西部协作结对帮扶)",
        zh="帮扶",
    ),
    "OPERATES_IN": RelRule(
        from_labels=ACTIVITY, to_labels=("Region",), meaning="works in a region (覆盖/实施地)", zh="实施于"
    ),
    "TARGETS": RelRule(
        from_labels=ACTIVITY, to_labels=("Designation",), meaning="is aimed at a designated list", zh="面向"
    ),
    "PART_OF": RelRule(
        from_labels=("Region", "Event", "Program", "Case"),
        to_labels=("Region", "Program", "Event"),
        meaning="is part of",
        zh="隶属",
        structural=True,
    ),
    "LOCATED_IN": RelRule(from_labels=(*ORG, "Event"), to_labels=("Region",), meaning="is located in", zh="位于"),
    "SELECTED": RelRule(from_labels=ORG, to_labels=("Case",), meaning="selected as a typical case (遴选)", zh="遴选"),
    "FEATURES": RelRule(from_labels=("Case",), to_labels=ORG + ACTIVITY, meaning="the case is about", zh="案例涉及"),
    "ISSUED": RelRule(from_labels=ORG, to_labels=("Designation",), meaning="issued an official list", zh="发布"),
    "DESIGNATES": RelRule(
        from_labels=("Designation",), to_labels=("Region",), meaning="lists a region", zh="列入", structural=True
    ),
    "PUBLISHED": RelRule(from_labels=ORG, to_labels=("Source",), meaning="published a source", zh="刊发"),
    "REPORTED": RelRule(from_labels=ORG, to_labels=ACTIVITY, meaning="reported on or photographed", zh="报道"),
    "REFERS_TO": RelRule(from_labels=("Source",), to_labels=("Source",), meaning="a source cites another", zh="引用"),
    # Made by the loader from a Source's ``reprint_of``, so that reference is checked like any other.
    "REPRINTS": RelRule(
        from_labels=("Source",), to_labels=("Source",), meaning="is a reprint of (转载)", zh="转载", structural=True
    ),
}
REL_TYPES: tuple[str, ...] = tuple(RELATIONSHIP_RULES)
RelType = Literal[tuple(RELATIONSHIP_RULES)]  # type: ignore[valid-type]

# Facts that hold whatever the date (a county lies in its province; a reprint reprints): questions
# asked about a time never leave them out.
TIMELESS_TYPES: frozenset[str] = frozenset({"PART_OF", "REPRINTS"})
STRUCTURAL_TYPES: frozenset[str] = frozenset(name for name, rule in RELATIONSHIP_RULES.items() if rule.structural)


# What an amount measures: totals add only amounts of the same kind (``ruralgraph money``).
AMOUNT_KINDS: dict[str, str] = {
    "principal": "the capital or size of a fund (基金规模、本金)",
    "donation": "money given (捐赠、捐款)",
    "grant": "money granted or allocated to a program or place (资助、拨付)",
    "commitment": "money promised, not yet spent (承诺投入)",
    "investment": "money put in or spent on the work (投入、投资)",
    "raised": "money raised from others (募集、筹集)",
    "budget": "money planned (预算、计划投入)",
    "other": "anything else: say what in amount_label",
}
AmountKind = Literal[tuple(AMOUNT_KINDS)]  # type: ignore[valid-type]


class Relationship(BaseModel):
    """One sourced fact: ``from`` did ``type`` to ``to``, as ``evidence`` in ``source`` states.

    Time: ``start``/``end`` for a period (assistance since 2016, a program 2018–2021), ``date``
    for a point event, ``as_of`` for when an amount or count was measured, ``time_text`` for the
    words the source used (以来, 截至, 至今). Each is a partial date and keeps its precision.
    """

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    from_: Ref = Field(alias="from", description="Id of the actor (or region:NAME for a place).")
    type: RelType  # type: ignore[valid-type]
    to: Ref = Field(description="Id of what the actor acts on (or region:NAME / region:ADCODE for a place).")
    source: Id = Field(description="Id of the Source node that states this.")
    evidence: Evidence | None = Field(
        default=None, description="The short span of original text that states it (at most ~80 characters)."
    )
    role: Text | None = Field(default=None, description="The actor's role in its own words, e.g. 资金筹措和监督.")
    amount_text: Text | None = Field(default=None, description="An amount as written, e.g. 超1.2亿元.")
    amount_cny: AmountCny | None = Field(default=None, description="The amount in yuan; derived from amount_text.")
    amount_qualifier: Literal["at_least", "about", "at_most"] | None = None
    amount_of: AmountKind | None = Field(  # type: ignore[valid-type]
        default=None, description="What kind of amount: " + ", ".join(AMOUNT_KINDS) + " (totals add like with like)."
    )
    amount_label: Text | None = Field(
        default=None, description="What the amount is in the source's words, e.g. 首期承诺公益投入."
    )
    amount_id: Id | None = Field(default=None, description="A name for this amount, so another can be part_of it.")
    part_of: Id | None = Field(
        default=None, description="The amount_id of the amount this one is part of (其中): totals never count both."
    )
    start: PartialDate | None = Field(default=None, description="When it began: YYYY, YYYY-MM or YYYY-MM-DD.")
    end: PartialDate | None = Field(default=None, description="When it ended; absent while it goes on (至今).")
    date: PartialDate | None = Field(default=None, description="When it happened, for a point event.")
    as_of: PartialDate | None = Field(default=None, description="When an amount or count was measured (截至).")
    year: Year | None = Field(default=None, description="A synonym of date with only the year known.")
    time_text: Text | None = Field(
        default=None,
        validation_alias=AliasChoices("time_text", "date_text"),
        description="The time as written, e.g. 2016年以来, 截至2020年底, 4月8日 (date_text is a synonym).",
    )
    counts: dict[CountName, NamedCount] = Field(default_factory=dict, description=COUNTS_DESCRIPTION)
    scheme: Text | None = Field(
        default=None, description="The programme of assistance as the source names it, e.g. 东西部协作, 定点帮扶."
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _amount_and_evidence(self) -> Relationship:
        if self.evidence is None and self.type not in STRUCTURAL_TYPES:
            raise ValueError(f"evidence is required for {self.type}: quote the span that states it")
        if self.amount_text is not None:
            parsed = parse_amount(self.amount_text)
            if self.amount_cny is not None and parsed.cny is not None and parsed.cny != self.amount_cny:
                raise ValueError(
                    f"amount_cny {self.amount_cny} disagrees with amount_text {shown(self.amount_text)} ({parsed.cny})"
                )
            if self.amount_cny is None and parsed.cny is not None:
                self.amount_cny = parsed.cny
            if self.amount_qualifier is None and parsed.qualifier is not None:
                self.amount_qualifier = parsed.qualifier
        has_amount = self.amount_text is not None or self.amount_cny is not None
        for name in ("amount_of", "amount_label", "amount_id", "part_of"):
            if getattr(self, name) is not None and not has_amount:
                raise ValueError(f"{name} describes an amount: give amount_text (or amount_cny) too")
        if self.part_of is not None and self.part_of == self.amount_id:
            raise ValueError("an amount cannot be part_of itself")
        if self.year is not None:
            if self.date is not None and not self.date.startswith(str(self.year)):
                raise ValueError("date and year disagree")
            if self.date is None:
                self.date = str(self.year)
            self.year = None  # one field holds a point in time: year is read as date
        for problem in self._time_problems():
            raise ValueError(problem)
        return self

    def _time_problems(self) -> list[str]:
        """What makes the time impossible: only a start, an end or a date can clash (most have none)."""
        if self.start is None and self.end is None and self.date is None:
            return []
        return self.timing().problems()

    def timing(self) -> Timing:
        """The relationship's time (period, point, as-of)."""
        return Timing(start=self.start, end=self.end, date=self.date, as_of=self.as_of)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """The identity of a relationship: the same fact from the same source is one relationship."""
        return (self.from_, self.type, self.to, self.source)

    def properties(self) -> dict[str, Any]:
        """The relationship's properties as stored in the graph (endpoints and type excluded).

        Time is stored as native dates (``periods.Timing.stored``: ``start_date``, ``end_date``,
        ``date``, ``as_of``, ``valid_from``, ``valid_to``) with ``when``, its readable form;
        named counts as ``count_NAME`` properties.
        """
        # Read straight from the validated fields (plain text and integers, which is what a JSON dump
        # would give): a bulk load asks this of every relationship, and model_dump costs more.
        fields = self.__dict__
        props = {name: fields[name] for name in _STORED_AS_IS if fields[name] not in (None, "", [])}
        if self.start is not None or self.end is not None or self.date is not None or self.as_of is not None:
            props.update(self.timing().stored())
        if self.counts:
            props.update(count_properties(self.counts))
        return props


# The relationship fields stored as they are, in field order (time and counts become other properties).
_STORED_AS_IS: tuple[str, ...] = tuple(
    name
    for name in Relationship.model_fields
    if name not in {"from_", "type", "to", "start", "end", "date", "as_of", "year", "counts"}
)


class CaseFile(BaseModel):
    """A curated case file: its sources, its entities, and the relationships between them."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    sources: list[Source] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)
    programs: list[Program] = Field(default_factory=list)
    funds: list[Fund] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)
    designations: list[Designation] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    source: Id | None = Field(
        default=None, description="The default source of this file's entity declarations (see case-format.md)."
    )
    decisions: dict[str, Any] | None = Field(
        default=None,
        description="Decisions on possible duplicates: merges: [{keep, merge, note}], distinct: [[a, b]].",
    )

    def nodes(self) -> list[Node]:
        """Every node the file declares, in file order per section."""
        return [node for section in MODEL_BY_SECTION for node in getattr(self, section)]
