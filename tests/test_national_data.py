"""The national tables (东西部协作 pairings, zone pairings, 中央单位定点帮扶) and the questions over them.

Every row names a place by its code, and the code must mean the place the row names; every row cites
one source that the sources table describes with a grade, and quotes that source.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pydantic import ValidationError

import ruralgraph
from conftest import cli_json, run_cli, store_args
from ruralgraph.model import Relationship, Source, SourceGrade
from ruralgraph.places import gazetteer, region_chain
from ruralgraph.readers.cases import read_case_file
from ruralgraph.resources import data_dir
from ruralgraph.store import StoreSettings, open_store

NATIONAL = data_dir() / "national"
TABLES = ("east_west_pairings.csv", "zone_pairings.csv", "central_unit_assistance.csv")


def rows(name: str, folder: Path = NATIONAL) -> list[dict[str, str]]:
    """The rows of one bundled table."""
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def case_file_assists() -> list[Relationship]:
    """The ASSISTS relationships the bundled case files declare (organisations paired with counties)."""
    found = []
    for path in sorted((data_dir() / "cases").glob("*.yaml")):
        records, problems = read_case_file(path)
        assert problems == []
        found += [rel for rel, _ in records.relationships if rel.type == "ASSISTS"]
    return found


def named_places() -> list[tuple[str, str, str, str]]:
    """(table, column, name as written, code) for every place a national row names with a code."""
    places = []
    for row in rows("east_west_pairings.csv"):
        places += [
            ("east_west_pairings.csv", "assisting", row["assisting"], row["assisting_adcode"]),
            ("east_west_pairings.csv", "assisted", row["assisted"], row["assisted_adcode"]),
        ]
    places += [
        ("zone_pairings.csv", "assisted", r["assisted"], r["assisted_adcode"]) for r in rows("zone_pairings.csv")
    ]
    places += [("central_unit_assistance.csv", "county", r["county"], r["adcode"]) for r in rows(TABLES[2])]
    return places


def test_every_code_is_a_region_of_the_gazetteer_with_the_name_the_row_gives() -> None:
    regions = gazetteer()
    wrong = [
        (table, column, name, code)
        for table, column, name, code in named_places()
        if code not in regions or name not in (regions[code].name, regions[code].short)
    ]
    assert wrong == []


def test_every_key_county_code_is_the_county_the_row_names_in_the_province_it_names() -> None:
    regions = gazetteer()
    for row in rows("key_assistance_counties_partial.csv", data_dir() / "key-counties"):
        chain = region_chain(row["adcode"])
        assert row["county"] in (regions[row["adcode"]].name, regions[row["adcode"]].short), row
        assert (chain[0].level, chain[-1].name) == ("county", row["province"]), row


def test_every_level_a_pairing_states_is_the_gazetteer_level_of_its_code() -> None:
    regions = gazetteer()
    for row in rows("east_west_pairings.csv"):
        assert regions[row["assisting_adcode"]].level == row["assisting_level"], row
        assert regions[row["assisted_adcode"]].level == row["assisted_level"], row


def test_every_central_unit_county_lies_in_the_province_the_row_names() -> None:
    for row in rows("central_unit_assistance.csv"):
        assert region_chain(row["adcode"])[-1].name == row["province"], row


def test_every_row_cites_a_described_source_and_quotes_it() -> None:
    described = {row["url"] for row in rows("sources.csv")}
    for table in TABLES:
        for row in rows(table):
            assert row["source_url"] in described, (table, row)
            assert len(row["evidence"].strip()) >= 2, (table, row)


def test_every_source_has_a_grade_and_a_date_only_as_precise_as_the_page_gives() -> None:
    for row in rows("sources.csv"):
        source = Source.model_validate(
            {"id": "s", "title": row["title"], "grade": row["grade"], "published": row["published"] or None}
        )
        assert source.grade in set(SourceGrade), row
        assert row["title"] and row["publisher"], row


def test_every_described_source_is_cited_by_some_row() -> None:
    cited = {row["source_url"] for table in TABLES for row in rows(table)}
    key_county_rows = rows("key_assistance_counties_partial.csv", data_dir() / "key-counties")
    cited |= {url.strip() for row in key_county_rows for url in row["sources"].split(" | ")}
    assert {row["url"] for row in rows("sources.csv")} == cited


def test_a_fact_only_an_unreliable_page_gives_says_so(seed_db: Path) -> None:
    unverified = {row["url"] for row in rows("sources.csv") if row["grade"] == "unverified"}
    marked = [r for r in rows("east_west_pairings.csv") if r["source_url"] in unverified]
    assert marked and all(r["note"] for r in marked)
    with open_store(StoreSettings(db=seed_db)) as store:
        loaded = store.run(
            "MATCH (:Region {id: 'cn-350100'})-[a:ASSISTS]->(:Region {id: 'cn-621100'}) "
            "MATCH (s:Source) WHERE s.id = a.source RETURN s.grade AS grade"
        )
    assert loaded == [{"grade": "unverified"}]


@pytest.mark.parametrize("published", ["2021-13", "21-05", "2021-05-32", "May 2021"])
def test_a_publication_date_must_be_a_year_a_month_or_a_day(published: str) -> None:
    with pytest.raises(ValidationError, match="published"):
        Source.model_validate({"id": "s", "title": "标题", "published": published})


def test_a_grade_outside_the_closed_list_is_refused() -> None:
    with pytest.raises(ValidationError, match="grade"):
        Source.model_validate({"id": "s", "title": "标题", "grade": "rumour"})


def test_each_row_is_one_assistance_relationship_in_the_graph(seed_settings: StoreSettings) -> None:
    expected = len(
        {(r["assisting_adcode"], r["assisted_adcode"], r["source_url"]) for r in rows("east_west_pairings.csv")}
    ) + len({(r["zone_id"], r["assisted_adcode"], r["source_url"]) for r in rows("zone_pairings.csv")})
    expected += len({(r["unit_id"], r["adcode"], r["source_url"]) for r in rows("central_unit_assistance.csv")})
    expected += len(case_file_assists())  # social organisations paired with counties (data/cases)
    stats = cli_json("stats", *store_args(seed_settings))
    assert {"kind": "relationship", "name": "ASSISTS", "count": expected} in stats


def test_a_pairing_carries_its_scheme_start_year_source_and_span(seed_settings: StoreSettings) -> None:
    with ruralgraph.Graph(seed_settings) as g:
        found = g.cypher(
            "MATCH (:Region {id: 'cn-440600'})-[a:ASSISTS]->(:Region {id: 'cn-522600'}) "
            "RETURN a.scheme AS scheme, a.start_date.year AS year, a.period AS period, a.evidence AS evidence"
        )
    assert found == [
        {
            "scheme": "东西部协作 2021 调整",
            "year": 2021,
            "period": "2021–",
            "evidence": "根据国家新阶段东西部协作调整工作部署,佛山市“接棒”杭州市,结对黔东南",
        }
    ]


def test_eastern_places_reach_key_counties_through_province_prefecture_and_county_pairings(
    seed_settings: StoreSettings,
) -> None:
    answer = cli_json("query", "east-west-key-counties", *store_args(seed_settings))
    assert {r["paired_level"] for r in answer} == {"province", "prefecture", "county"}
    shanghai = {r["county"] for r in answer if r["assisting"] == "上海市" and r["paired"] == "云南省"}
    assert {"东川区", "镇雄县"} <= shanghai
    foshan = [r for r in answer if r["assisting"] == "佛山市" and r["paired"] == "黔东南苗族侗族自治州"]
    assert foshan and all(r["province"] == "贵州省" and r["assisting_province"] == "广东省" for r in foshan)
    assert all(s["grade"] in set(SourceGrade) and s["evidence"] for r in answer for s in r["sources"])
    assert all(r["coverage"].startswith("partial: the designation lists 93 of 160") for r in answer)


def test_an_organisations_counties_say_which_are_key_counties(seed_settings: StoreSettings) -> None:
    rcck = cli_json("query", "key-counties-of", "-p", "entity=民革中央", *store_args(seed_settings))
    assert [(r["county"], r["key_county"], r["via_level"]) for r in rcck] == [("纳雍县", True, "county")]
    assert {s["grade"] for s in rcck[0]["sources"]} >= {"official", "reprint"}
    cnooc = cli_json("query", "key-counties-of", "-p", "entity=cnooc", *store_args(seed_settings))
    assert len(cnooc) == 6 and not any(r["key_county"] for r in cnooc)
    assert all("the list is partial (93 of 160)" in r["coverage"] for r in cnooc)


def test_a_province_pairing_lists_only_the_key_counties_it_covers_and_says_why(seed_settings: StoreSettings) -> None:
    answer = cli_json("query", "key-counties-of", "-p", "entity=上海市", *store_args(seed_settings))
    through = [r for r in answer if r["via_level"] != "county"]
    assert through and all(r["key_county"] for r in through)
    assert all("only its designated counties are shown" in r["coverage"] for r in through)


def test_the_pairing_network_names_the_provinces_that_bridge_east_and_west(seed_settings: StoreSettings) -> None:
    bridges = cli_json("network", "pairing", "--top", "0", *store_args(seed_settings))
    side = {r["name"]: r["side"] for r in bridges}
    assert side["北京市"] == "assisting" and side["内蒙古自治区"] == "assisted"
    assert all(r["betweenness"] == 0 for r in bridges if r["degree"] == 1)  # a leaf bridges nothing
    assert bridges[0]["betweenness"] > 0 and bridges[0]["betweenness"] >= bridges[-1]["betweenness"]
    assert all("betweenness centrality" in r["method"] and r["coverage"].startswith("partial") for r in bridges)


def test_the_pairing_network_can_be_cut_to_one_scheme(seed_settings: StoreSettings) -> None:
    with ruralgraph.Graph(seed_settings) as g:
        everything, adjusted = g.pairing_network(), g.pairing_network(scheme="2021")
    assert 0 < adjusted.number_of_edges() < everything.number_of_edges()
    assert adjusted.has_edge("cn-440000", "cn-520000")  # 广东省 → 贵州省, 2021


def test_the_demo_shows_the_national_structure(tmp_path: Path) -> None:
    result = run_cli("demo", "--db", str(tmp_path / "demo.kgl"), "-o", str(tmp_path / "map.html"))
    assert result.exit_code == 0, result.stderr
    assert "provinces bridging the east-west pairings" in result.stderr + result.stdout
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert all(place in html for place in ("北京市", "内蒙古自治区", "黔东南苗族侗族自治州", "民革中央"))
