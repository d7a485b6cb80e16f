"""Places resolve one way at every door: case files, CSV mappings, query parameters, the API and maps.

An adcode, a 省市县 path and a short name name the same county wherever they are written; an
ambiguous name lists its candidates; a place below county level is refused with how to write it,
never read as a county (of its own name or another).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ruralgraph
from conftest import cli_json, run_cli, store_args
from ruralgraph.errors import Ambiguous, BelowCounty
from ruralgraph.places import resolve_place
from ruralgraph.readers import tables
from ruralgraph.store import StoreSettings

XIXIAN = "cn-141031"
WRITINGS_OF_XIXIAN = ["141031", "山西省临汾市隰县", "山西隰县", "隰县", "region:隰县"]

HEAD = """\
sources:
  - {id: src-a, title: 测试来源}
programs:
  - {id: prog-a, name: 甲计划}
"""


def case_file(tmp_path: Path, relationships: str, extra: str = "") -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(HEAD + extra + "relationships:\n" + relationships, encoding="utf-8")
    return path


def operates_in(place: str) -> str:
    return f"  - {{from: prog-a, type: OPERATES_IN, to: 'region:{place}', source: src-a, evidence: 在当地实施}}\n"


@pytest.mark.parametrize("text", ["141031", "山西省临汾市隰县", "山西省 临汾市 隰县", "山西隰县", "临汾隰县", "隰县"])
def test_an_adcode_a_full_path_and_a_short_name_resolve_to_one_county(text: str) -> None:
    assert resolve_place(text).adcode == "141031"


def test_a_town_name_is_refused_not_read_as_a_county_of_another_name() -> None:
    # 龙泉镇 once became 龙泉市 (浙江省), a county of another name in another province.
    with pytest.raises(BelowCounty) as caught:
        resolve_place("龙泉镇")
    assert "reads as a place below county level" in str(caught.value)
    assert "level: township" in str(caught.value)


def test_a_county_followed_by_one_of_its_towns_is_refused_not_read_as_the_county() -> None:
    with pytest.raises(BelowCounty) as caught:
        resolve_place("隰县龙泉镇")
    message = str(caught.value)
    assert "goes on below 隰县 (141031) with '龙泉镇'" in message
    assert "type: PART_OF, to: 'region:141031'" in message


def test_a_township_code_is_refused_with_its_county() -> None:
    with pytest.raises(BelowCounty, match=r"141031001 is the code of a place below county level in 隰县 \(141031\)"):
        resolve_place("141031001")


def test_county_names_that_end_like_towns_still_resolve() -> None:
    assert [resolve_place(name).adcode for name in ("景德镇", "金乡县", "山东周村", "丰镇")] == [
        "360200",
        "370828",
        "370306",
        "150981",
    ]


def test_case_file_places_written_four_ways_are_one_region(empty_settings: StoreSettings, tmp_path: Path) -> None:
    places = ["141031", "山西省临汾市隰县", "隰县", "山西隰县"]
    rels = "".join(operates_in(place) for place in places)
    path = case_file(tmp_path, rels)
    assert run_cli("load", str(path), *store_args(empty_settings)).exit_code == 0
    rows = cli_json(
        "cypher",
        "MATCH (:Program {id: 'prog-a'})-[r:OPERATES_IN]->(place) RETURN place.id AS id, count(r) AS n",
        *store_args(empty_settings),
    )
    assert rows == [{"id": XIXIAN, "n": 1}]  # one fact, however the place is written


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("龙泉镇", "'龙泉镇' is not a region of the gazetteer (codes go down to counties)"),
        ("隰县龙泉镇", "'隰县龙泉镇' goes on below 隰县 (141031) with '龙泉镇'"),
    ],
)
def test_a_case_file_town_is_refused_naming_file_line_and_field(tmp_path: Path, place: str, message: str) -> None:
    path = case_file(tmp_path, operates_in(place))
    result = run_cli("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:6: to: {message}" in result.stderr


def test_a_town_written_as_the_refusal_says_loads_inside_its_county(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    town = "regions:\n  - {id: xixian-longquan, name: 龙泉镇, level: township}\n"
    rels = (
        "  - {from: xixian-longquan, type: PART_OF, to: 'region:141031', source: src-a}\n"
        "  - {from: prog-a, type: OPERATES_IN, to: xixian-longquan, source: src-a, evidence: 在隰县龙泉镇实施}\n"
    )
    path = case_file(tmp_path, rels, town)
    assert run_cli("load", str(path), *store_args(empty_settings)).exit_code == 0
    with ruralgraph.Graph(empty_settings) as g:
        assert g.resolve_region("龙泉镇").id == "xixian-longquan"
        chain = g.cypher(
            "MATCH (:Region {id: 'xixian-longquan'})-[:PART_OF*]->(up) RETURN up.name AS name ORDER BY up.adcode DESC"
        )
    assert [row["name"] for row in chain] == ["隰县", "临汾市", "山西省"]


@pytest.fixture
def place_mapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A loaders/ folder with one mapping whose relationships name places as a CSV column writes them."""
    loaders = tmp_path / "loaders"
    loaders.mkdir()
    (loaders / "places.yaml").write_text(
        """\
description: test places
files: ["places*.csv"]
declare:
  sources: [{id: src-p, title: 地点测试}]
  programs: [{id: prog-p, name: 地点计划}]
relationships:
  - fields: {from: prog-p, type: OPERATES_IN, to: "region:{place}", source: src-p, evidence: 在当地实施}
""",
        encoding="utf-8",
    )
    monkeypatch.setattr(tables, "loaders_dir", lambda: loaders)
    return tmp_path


def test_csv_places_resolve_like_case_file_places(place_mapping: Path, tmp_path: Path) -> None:
    csv = place_mapping / "places.csv"
    csv.write_text("place\n141031\n山西省临汾市隰县\n隰县\n", encoding="utf-8")
    db = tmp_path / "graph.kgl"
    assert run_cli("load", str(csv), "--db", str(db)).exit_code == 0
    rows = cli_json("cypher", "MATCH (:Program)-[:OPERATES_IN]->(r) RETURN DISTINCT r.id AS id", "--db", str(db))
    assert rows == [{"id": XIXIAN}]


def test_a_csv_town_is_refused_naming_its_line(place_mapping: Path) -> None:
    csv = place_mapping / "places.csv"
    csv.write_text("place\n隰县\n隰县龙泉镇\n", encoding="utf-8")
    result = run_cli("validate", str(csv))
    assert result.exit_code == 2
    assert f"{csv}:3: to: '隰县龙泉镇' goes on below 隰县 (141031)" in result.stderr


def test_query_parameters_take_an_adcode_a_path_or_a_short_name(seed_settings: StoreSettings) -> None:
    answers = [
        cli_json("query", "supporters", "-p", f"region={text}", *store_args(seed_settings))
        for text in WRITINGS_OF_XIXIAN
    ]
    assert answers[0] and all(answer == answers[0] for answer in answers)
    assert "xixian-gov" in {row["supporter_id"] for row in answers[0]}


def test_a_query_parameter_naming_an_ambiguous_place_lists_the_candidates(seed_settings: StoreSettings) -> None:
    result = run_cli("query", "supporters", "-p", "region=朝阳", *store_args(seed_settings))
    assert result.exit_code == 3
    assert "place '朝阳' is ambiguous: 朝阳区 110105" in result.stderr


def test_a_query_parameter_naming_a_town_is_refused(seed_settings: StoreSettings) -> None:
    result = run_cli("query", "supporters", "-p", "region=隰县龙泉镇", *store_args(seed_settings))
    assert result.exit_code == 3
    assert "goes on below 隰县 (141031)" in result.stderr


def test_a_place_the_graph_holds_nothing_about_says_so(seed_settings: StoreSettings) -> None:
    result = run_cli("query", "supporters", "-p", "region=黑龙江", *store_args(seed_settings))
    assert result.exit_code == 3
    assert "'黑龙江' is 黑龙江省 (230000), and the graph holds nothing there" in result.stderr


def test_the_api_resolves_places_as_the_cli_does(seed_settings: StoreSettings) -> None:
    with ruralgraph.Graph(seed_settings) as g:
        assert {g.resolve_region(text).id for text in WRITINGS_OF_XIXIAN} == {XIXIAN}
        assert g.resolve("141031").id == XIXIAN
        assert g.supporters("山西省临汾市隰县").to_dicts() == g.supporters("隰县").to_dicts()
        with pytest.raises(Ambiguous):
            g.resolve_region("朝阳")


def test_map_region_filters_take_every_writing_of_a_place(seed_settings: StoreSettings) -> None:
    with ruralgraph.Graph(seed_settings) as g:
        maps = [g.map(region=text) for text in WRITINGS_OF_XIXIAN]
        whole = g.map()
    assert 0 < maps[0].nodes < whole.nodes and "隰县" in maps[0].html
    assert all(m.html == maps[0].html for m in maps)


def test_a_map_region_that_is_not_a_place_is_refused(seed_settings: StoreSettings, tmp_path: Path) -> None:
    result = run_cli("map", "--region", "中国扶贫基金会", "-o", str(tmp_path / "m.html"), *store_args(seed_settings))
    assert result.exit_code == 2  # an unknown map filter is refused with the allowed values (issue 16)
    assert "unknown --region '中国扶贫基金会'; use one of the" in result.stderr
