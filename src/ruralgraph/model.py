"""The vocabulary of ruralgraph: node labels, relationship types and the rules between them.

This module is the single source of truth. The JSON Schema of case files and the Cypher
constraints in ``schema/`` are generated from it (``ruralgraph schema``), the loader validates
against it, and the query layer takes labels and relationship types only from its closed lists.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ruralgraph.money import parse_amount
from ruralgraph.names import clean_name, merged_aliases, search_keys

# Ids are short ASCII slugs so that they are stable across tools, file systems and URLs;
# the Chinese name lives in ``name`` and ``aliases``.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.\-]{0,79}$")]
# A relationship end may also name a place, resolved by the gazetteer: region:贵州玉屏 or region:520622.
Ref = Annotated[str, StringConstraints(pattern=r"^([a-z0-9][a-z0-9_.\-]{0,79}|region:\S{1,40})$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Evidence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
Adcode = Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3}(\d{3})?)?$")]
Year = Annotated[int, Field(ge=1949, le=2100)]
# Absurd amounts are rejected: the whole national budget is below 10^14 yuan.
AmountCny = Annotated[int, Field(gt=0, lt=10**14)]

# Properties the embedded engine reserves for itself (kglite adds ``title`` and ``type``).
RESERVED_PROPERTIES = frozenset({"title", "type", "labels", "search_keys"})


class OrgKind(StrEnum):
    """What kind of actor an organisation is."""

    foundation = "foundation"
    social_organization = "social_organization"
    industry_association = "industry_association"
    enterprise = "enterprise"
    government = "government"
    media = "media"
    group = "group"
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

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    label: ClassVar[str]
    section: ClassVar[str]  # the key under which a case file lists nodes of this label
    activity: ClassVar[bool] = False  # a program, fund or event: something organisations do together
    matchable: ClassVar[bool] = False  # compared for near-duplicate names (dedupe)
    shape: ClassVar[str] = "dot"  # how maps draw it
    colour: ClassVar[str | None] = None  # how maps colour it (organisations: by kind, ORG_KIND_COLOURS)

    id: Id = Field(description="Stable ASCII id, unique across the dataset, e.g. 'crdf'.")
    name: Text = Field(description="The name as written in the source, e.g. 中国乡村发展基金会.")
    name_en: Text | None = Field(default=None, description="English name, where one is known.")
    aliases: list[Text] = Field(default_factory=list, description="Former and short names.")
    note: Text | None = Field(default=None, description="A curator's remark, in their own words.")

    @model_validator(mode="after")
    def _normalise_names(self) -> Node:
        """ "X(原Y)" becomes name X with aliases Y and the written form; every variant stays findable."""
        name, formers = clean_name(self.name)
        variants: list[str] = [*formers, self.name] if name != self.name else []
        for alias in self.aliases:
            cleaned, alias_formers = clean_name(alias)
            variants += [cleaned, *alias_formers, alias]
        self.name = name
        self.aliases = merged_aliases(name, variants)
        return self

    def properties(self) -> dict[str, Any]:
        """The node's properties as stored in the graph: unknown values are left out, never empty.

        ``search_keys`` (derived) holds the normalised names, their pinyin and the English name.
        """
        props = _present(self.model_dump(mode="json", exclude={"label"}))
        props["search_keys"] = node_search_keys(self.label, self.name, self.aliases, self.name_en)
        return props


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
    member_count: Annotated[int, Field(gt=0)] | None = Field(
        default=None, description="Only for kind: group (e.g. 63家证券公司 → 63)."
    )
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


class _Activity(Node):
    """Shared fields of programs, funds and events."""

    activity: ClassVar[bool] = True
    matchable: ClassVar[bool] = True

    category: Text | None = Field(default=None, description="e.g. 产业帮扶, 品牌, 平台.")
    year: Year | None = None
    date: dt.date | None = None
    date_text: Text | None = Field(default=None, description="A date as written, when incomplete.")
    duration_years: Annotated[int, Field(gt=0, le=100)] | None = None
    count: Annotated[int, Field(gt=0)] | None = Field(default=None, description="A stated count.")
    count_of: Text | None = Field(default=None, description="What `count` counts.")
    coverage_text: Text | None = Field(default=None, description="Coverage as written, e.g. 12省县.")

    @model_validator(mode="after")
    def _count_needs_its_meaning(self) -> _Activity:
        if (self.count is None) != (self.count_of is None):
            raise ValueError("count and count_of go together")
        return self


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


class Source(Node):
    """A publication that facts come from. Its title is stored as ``name``."""

    label: ClassVar[str] = "Source"
    section: ClassVar[str] = "sources"
    shape: ClassVar[str] = "text"
    colour: ClassVar[str | None] = "#455a64"

    name: Text = Field(
        validation_alias=AliasChoices("title", "name"),
        description="The title (stored as name: kglite reserves `title`).",
    )
    publisher: Text | None = None
    date: dt.date | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    reprinted_from: Text | None = None


class Designation(Node):
    """An official list that designates regions, e.g. 国家乡村振兴重点帮扶县."""

    label: ClassVar[str] = "Designation"
    section: ClassVar[str] = "designations"
    shape: ClassVar[str] = "hexagon"
    colour: ClassVar[str | None] = "#37474f"

    year: Year | None = None
    total_count: Annotated[int, Field(gt=0)] | None = Field(
        default=None, description="How many regions the official list has."
    )
    listed_count: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="How many of them this dataset holds."
    )
    complete: bool | None = Field(default=None, description="False when the data is partial.")


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
    "other": UNKNOWN_COLOUR,
}

ORG = ("Organization",)
ACTIVITY = tuple(label for label in LABELS if label in ACTIVITY_LABELS)


class RelRule(BaseModel):
    """Which labels a relationship type may connect, and what it means."""

    model_config = ConfigDict(frozen=True)
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    meaning: str
    zh: str  # the short Chinese label maps and figures draw on an edge (English type on a switch)
    # Structural relationships record no assistance relationship and so need no evidence span beyond
    # the source that lists them (a county's place in its province, a row of an official list);
    # maps and reach questions do not count them as work in a place.
    structural: bool = False


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
    "ASSISTS": RelRule(
        from_labels=ORG, to_labels=("Region", "Organization"), meaning="paired assistance (定点帮扶)", zh="帮扶"
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
}
REL_TYPES: tuple[str, ...] = tuple(RELATIONSHIP_RULES)
RelType = Literal[tuple(RELATIONSHIP_RULES)]  # type: ignore[valid-type]

STRUCTURAL_TYPES: frozenset[str] = frozenset(name for name, rule in RELATIONSHIP_RULES.items() if rule.structural)


class Relationship(BaseModel):
    """One sourced fact: ``from`` did ``type`` to ``to``, as ``evidence`` in ``source`` states."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

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
    amount_of: Text | None = Field(default=None, description="What the amount measures, e.g. 首期承诺公益投入.")
    year: Year | None = None
    date: dt.date | None = None
    date_text: Text | None = Field(default=None, description="A date as written, when incomplete.")
    note: Text | None = None

    @model_validator(mode="after")
    def _amount_and_evidence(self) -> Relationship:
        if self.evidence is None and self.type not in STRUCTURAL_TYPES:
            raise ValueError(f"evidence is required for {self.type}: quote the span that states it")
        if self.amount_text is not None:
            parsed = parse_amount(self.amount_text)
            if self.amount_cny is not None and parsed.cny is not None and parsed.cny != self.amount_cny:
                raise ValueError(
                    f"amount_cny {self.amount_cny} disagrees with amount_text {self.amount_text!r} ({parsed.cny})"
                )
            if self.amount_cny is None and parsed.cny is not None:
                self.amount_cny = parsed.cny
            if self.amount_qualifier is None and parsed.qualifier is not None:
                self.amount_qualifier = parsed.qualifier
        if self.date is not None and self.year is not None and self.date.year != self.year:
            raise ValueError("date and year disagree")
        return self

    @property
    def key(self) -> tuple[str, str, str, str]:
        """The identity of a relationship: the same fact from the same source is one relationship."""
        return (self.from_, self.type, self.to, self.source)

    def properties(self) -> dict[str, Any]:
        """The relationship's properties as stored in the graph (endpoints and type excluded)."""
        return _present(self.model_dump(mode="json", exclude={"from_", "type", "to"}))


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """Drop unknown values: absent stays absent, never None, "" or []."""
    return {key: value for key, value in values.items() if value not in (None, "", [])}


class CaseFile(BaseModel):
    """A curated case file: its sources, its entities, and the relationships between them."""

    model_config = ConfigDict(extra="forbid")

    sources: list[Source] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)
    programs: list[Program] = Field(default_factory=list)
    funds: list[Fund] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)
    designations: list[Designation] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)

    def nodes(self) -> list[Node]:
        """Every node the file declares, in file order per section."""
        return [node for section in MODEL_BY_SECTION for node in getattr(self, section)]
