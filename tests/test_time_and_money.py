"""Time and money: relationships that start and end, questions asked as of a date, timelines, and
totals that add like with like, never count a part twice and keep "at least"."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from conftest import cli_json, neo4j_settings, run_cli, store_args
from ruralgraph import api
from ruralgraph.errors import InvalidInput
from ruralgraph.loading.load import load, validate
from ruralgraph.periods import DATE_PROPERTIES
from ruralgraph.store import StoreSettings, open_store

# A small world with every kind of time: a period (2018–2020), an ongoing one (since 2016), a
# point (2019-05), an amount as of a date (截至2021年底), an undated link, and amounts of several
# kinds, one of them part (其中) of another, one "at least", one whose number the source lost.
CASE = """\
sources:
  - {id: src-a, title: 甲报道, published: 2022-03, grade: press}
  - {id: src-b, title: 乙公报, published: "2023", grade: official}
organizations:
  - {id: org-a, name: 甲基金会, kind: foundation, source: src-a}
  - {id: org-b, name: 乙公司, kind: enterprise, source: src-a}
  - {id: org-c, name: 丙协会, kind: industry_association, source: src-a}
programs:
  - id: prog
    name: 丙计划
    source: src-a
    counts: {counties: {value: 12, as_of: "2021", text: 12个县}, projects: 30}
relationships:
  - {from: org-a, type: FUNDS, to: prog, source: src-a, start: 2018, end: 2020, time_text: 2018年至2020年,
     amount_text: 1000万元, amount_of: grant, amount_id: a-grant, evidence: 甲基金会2018年至2020年资助丙计划1000万元}
  - {from: org-a, type: FUNDS, to: "region:山西省临汾市隰县", source: src-a, date: 2019-05, amount_text: 300万元,
     amount_of: grant, part_of: a-grant, evidence: 其中300万元用于隰县}
  - {from: org-a, type: FUNDS, to: org-c, source: src-b, as_of: "2021-12", time_text: 截至2021年底,
     amount_text: 超200万元, amount_of: donation, evidence: 截至2021年底捐赠超200万元}
  - {from: org-a, type: FUNDS, to: org-b, source: src-b, date: "2021", amount_text: 50万元, amount_of: donation,
     evidence: 2021年捐赠50万元}
  - {from: org-a, type: COMMITS, to: prog, source: src-b, amount_text: 万元, amount_of: commitment,
     evidence: 承诺投入万元}
  - {from: org-b, type: CO_FOUNDED, to: prog, source: src-a, start: 2016, time_text: 2016年以来,
     counts: {villages: 8}, evidence: 乙公司2016年以来共同发起丙计划}
  - {from: org-c, type: CO_FOUNDED, to: prog, source: src-a, evidence: 丙协会共同发起丙计划}
"""


@pytest.fixture
def world(tmp_path: Path) -> Path:
    path = tmp_path / "world.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


@pytest.fixture
def loaded(empty_settings: StoreSettings, world: Path) -> StoreSettings:
    load([world], empty_settings)
    return empty_settings


def test_time_is_stored_as_native_dates_with_the_widest_interval(loaded: StoreSettings) -> None:
    rows = api.Graph(loaded).cypher(
        "MATCH (:Organization {id: 'org-a'})-[r:FUNDS]->(:Program) "
        "RETURN r.start_date AS s, r.end_date AS e, r.valid_from AS f, r.valid_to AS t, r.period AS p"
    )
    assert rows == [
        {
            "s": dt.date(2018, 1, 1),
            "e": dt.date(2020, 12, 31),
            "f": dt.date(2018, 1, 1),
            "t": dt.date(2020, 12, 31),
            "p": "2018–2020",
        }
    ]


def test_a_cypher_date_comparison_gives_the_same_rows_on_both_engines(
    neo4j_uri: str, world: Path, tmp_path: Path
) -> None:
    embedded, server = StoreSettings(db=tmp_path / "g.kgl"), neo4j_settings(neo4j_uri)
    load([world], embedded)
    load([world], server, replace=True)
    thresholds = ["2016-01-01", "2018-06-30", "2019-05-01", "2019-05-31", "2020-12-31", "2021-12-31", "2022-01-01"]
    answers: dict[str, list[object]] = {}
    for name, settings in (("kglite", embedded), ("neo4j", server)):
        with open_store(settings) as store:
            answers[name] = [
                sorted(
                    f"{row['a']}>{row['b']}"
                    for row in store.run(
                        f"MATCH (x)-[r]->(y) WHERE r.{prop} {op} date($d) RETURN x.id AS a, y.id AS b",
                        {"d": threshold},
                    )
                )
                for prop in DATE_PROPERTIES
                for op in ("<", "<=", "=", ">=", ">")
                for threshold in thresholds
            ]
    assert answers["kglite"] == answers["neo4j"]
    assert any(answers["kglite"]), "the comparisons must select something"


def test_as_of_keeps_the_relationships_in_force_then_and_marks_undated_ones(loaded: StoreSettings) -> None:
    graph = api.Graph(loaded)
    in_2017 = {row["org_id"] for row in graph.cofounders("丙计划", as_of="2017").to_dicts()}
    assert in_2017 == {"org-b", "org-c"}  # since 2016, and undated (kept)
    answer = graph.cofounders("丙计划", as_of="2017")
    assert answer.undated() and "rest only on undated relationships" in (answer.readable().caption or "")
    dated = {row["org_id"] for row in graph.cofounders("丙计划", as_of="2017", dated_only=True).to_dicts()}
    assert dated == {"org-b"}


def test_between_keeps_a_relationship_whose_period_overlaps(loaded: StoreSettings) -> None:
    graph = api.Graph(loaded)
    rows = graph.neighbourhood("甲基金会", hops=1, between=("2020-06", "2020-12"), dated_only=True).to_dicts()
    assert {(row["type"], row["to_id"]) for row in rows} == {("FUNDS", "prog")}
    assert graph.neighbourhood("甲基金会", hops=1, between=("2015", "2017"), dated_only=True).to_dicts() == []


def test_cli_as_of_and_between_take_partial_dates(loaded: StoreSettings) -> None:
    def partners(*when: str) -> set[str]:
        return {row["partner_id"] for row in cli_json("partners", "乙公司", *when, "--dated-only", *store_args(loaded))}

    assert partners("--as-of", "2017") == set()  # 甲基金会 funds 丙计划 from 2018; 丙协会's link is undated
    assert partners("--as-of", "2019-05") == {"org-a"}
    assert partners("--between", "2010", "2018-01") == {"org-a"}


def test_query_p_takes_the_time_parameters(loaded: StoreSettings) -> None:
    rows = cli_json(
        "query",
        "cofounders",
        "-p",
        "activity=prog",
        "-p",
        "time_from=2010",
        "-p",
        "time_to=2015",
        "-p",
        "undated=false",
        *store_args(loaded),
    )
    assert rows == []


def test_a_bad_date_is_refused_with_exit_2(loaded: StoreSettings) -> None:
    result = run_cli("partners", "乙公司", "--as-of", "2019-13", *store_args(loaded))
    assert result.exit_code == 2
    assert "2019-13" in result.stdout + result.stderr


def test_a_question_that_walks_no_relationships_refuses_a_time(loaded: StoreSettings) -> None:
    result = run_cli("query", "find", "-p", "text=甲基金会", "--as-of", "2019", *store_args(loaded))
    assert result.exit_code == 2
    assert "takes no time" in result.stdout + result.stderr


def test_timeline_lists_relationships_earliest_first_and_undated_last(loaded: StoreSettings) -> None:
    rows = api.Graph(loaded).timeline("丙计划").to_dicts()
    periods = [row["period"] for row in rows]
    assert periods == ["2016–", "2018–2020", None, None]
    assert all(row["evidence"] for row in rows)
    shown = run_cli("timeline", "丙计划", *store_args(loaded))
    assert shown.exit_code == 0
    assert shown.stdout.index("2016–") < shown.stdout.index("2018–2020") < shown.stdout.index("undated")


def test_money_adds_like_with_like_and_never_a_part_twice(loaded: StoreSettings) -> None:
    totals = {(t["direction"], t["kind"], t["year"]): t for t in api.Graph(loaded).money_totals("甲基金会")}
    grant = totals[("given", "grant", None)]
    assert grant["yuan"] == 10_000_000  # the 300万 part of the 1000万 grant is listed, not added
    assert [term["counted"] for term in sorted(grant["terms"], key=lambda t: t["amount_cny"])] == [False, True]
    donation = totals[("given", "donation", None)]
    assert (donation["yuan"], donation["qualifier"]) == (2_500_000, "at_least")  # 超200万 + 50万
    commitment = totals[("given", "commitment", None)]
    assert (commitment["yuan"], commitment["qualifier"]) == (0, "at_least")  # the source lost the number
    assert totals[("given", "grant", 2019)]["yuan"] == 3_000_000  # without its whole, a part counts
    assert ("given", "donation", 2021) not in totals  # all in 2021: the all-years total says it once
    assert not any(kind == "unspecified" for _, kind, _ in totals)


def test_money_prints_totals_per_kind_and_year_with_evidence(loaded: StoreSettings) -> None:
    result = run_cli("money", "甲基金会", *store_args(loaded))
    assert result.exit_code == 0
    assert "at least 2,500,000" in result.stdout
    cells = "".join(result.stdout.replace("│", " ").split())  # the table wraps long cells
    assert "notadded:partofa-grant" in cells
    assert "截至2021年底捐赠超200万元" in cells


def test_named_counts_keep_their_as_of_and_words(loaded: StoreSettings) -> None:
    rows = api.Graph(loaded).cypher(
        "MATCH (p:Program {id: 'prog'}) RETURN p.count_counties AS c, p.count_counties_as_of AS a, "
        "p.count_counties_text AS t, p.count_projects AS n"
    )
    assert rows == [{"c": 12, "a": "2021", "t": "12个县", "n": 30}]
    rel = api.Graph(loaded).cypher(
        "MATCH (:Organization {id: 'org-b'})-[r:CO_FOUNDED]->() RETURN r.count_villages AS v"
    )
    assert rel == [{"v": 8}]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("start: 2018, end: 2020", "start: 2021, end: 2020", "after end"),
        ("date: 2019-05", "date: 2019-05, start: 2018", "not both"),
        ("part_of: a-grant", "part_of: nothing-here", "names no amount"),
        ("amount_of: grant, amount_id", "amount_of: gift, amount_id", "amount_of"),
    ],
)
def test_impossible_time_and_money_are_refused_naming_the_field(
    tmp_path: Path, change: str, field: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(CASE.replace(change, field, 1), encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        validate([path])
    assert message in str(raised.value)
    assert "bad.yaml" in str(raised.value)


def test_gexf_is_dynamic_so_gephi_plays_the_timeline(loaded: StoreSettings, tmp_path: Path) -> None:
    target = tmp_path / "g.gexf"
    assert run_cli("export", "gexf", "-o", str(target), *store_args(loaded)).exit_code == 0
    graph_element = ET.parse(target).getroot().find("{http://www.gexf.net/1.2draft}graph")
    assert graph_element is not None
    assert (graph_element.get("mode"), graph_element.get("timeformat")) == ("dynamic", "date")
    read = nx.read_gexf(target)
    spells = {(a, b): data for a, b, data in read.edges(data=True) if data.get("relationship") == "CO_FOUNDED"}
    assert spells[("org-b", "prog")]["start"] == "2016-01-01"


def test_graphml_json_and_neo4j_csv_carry_start_and_end(loaded: StoreSettings, tmp_path: Path) -> None:
    args = store_args(loaded)
    assert run_cli("export", "graphml", "-o", str(tmp_path / "g.graphml"), *args).exit_code == 0
    assert run_cli("export", "json", "-o", str(tmp_path / "g.json"), *args).exit_code == 0
    assert run_cli("export", "neo4j-csv", "-o", str(tmp_path / "csv"), *args).exit_code == 0
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    funds = [d for a, b, d in graphml.edges(data=True) if (a, b) == ("org-a", "prog") and d["relationship"] == "FUNDS"]
    assert (funds[0]["start_date"], funds[0]["end_date"]) == ("2018-01-01", "2020-12-31")
    links = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["links"]
    assert any(link.get("start_date") == "2018-01-01" and link.get("end_date") == "2020-12-31" for link in links)
    header = (tmp_path / "csv" / "rels_FUNDS.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "start_date:date" in header and "end_date:date" in header


def test_map_as_of_draws_the_network_as_it_stood(loaded: StoreSettings, tmp_path: Path) -> None:
    early = api.Graph(loaded).map(as_of="2017", dated_only=True)
    later = api.Graph(loaded).map(as_of="2019", dated_only=True)
    assert early.edges < later.edges


@pytest.mark.browser
def test_the_cli_map_plays_the_years_of_the_loaded_relationships(loaded: StoreSettings, tmp_path: Path) -> None:
    from browser import render

    page = tmp_path / "years.html"
    assert run_cli("map", "-o", str(page), *store_args(loaded)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert 'id="rg-year"' in html
    ids = {edge: start for start, edge in re.findall(r'"from": "([^"]+)", "id": "(e\d+)"', html)}
    in_2017 = json.loads(render(page, "?year=2017&undated=0")["shown-edges"].replace("&quot;", '"'))
    in_2019 = json.loads(render(page, "?year=2019&undated=0")["shown-edges"].replace("&quot;", '"'))
    assert {ids.get(edge) for edge in in_2017} == {"org-b"}  # only 乙公司's link (since 2016) is dated then
    assert {"org-a", "org-b"} <= {ids.get(edge) for edge in in_2019}  # 甲基金会's 2018–2020 grant too
