"""Named questions, asked through the CLI and through Python, on both engines."""

from __future__ import annotations

import json

import ruralgraph
from conftest import cli_json, run_cli, store_args
from ruralgraph.store import StoreSettings


def graph(settings: StoreSettings) -> ruralgraph.Graph:
    return ruralgraph.Graph(settings)


def test_partners_of_the_foundation_include_tencent_and_the_securities_association(seed_settings) -> None:
    rows = cli_json("partners", "中国乡村发展基金会", *store_args(seed_settings))
    shared = {(row["partner"], item["name"]) for row in rows for item in row["shared"]}
    assert ("腾讯公益慈善基金会", "活水计划—乡村振兴重点帮扶县基层社会组织赋能行动") in shared
    assert ("中国证券业协会", "特困帮扶基金") in shared
    sac = next(row for row in rows if row["partner_id"] == "sac")
    assert {"type": "CO_FOUNDED", "role": "资金管理", "period": None} in sac["org_links"]
    assert {"type": "CO_FOUNDED", "role": "资金筹措和监督", "period": None} in sac["partner_links"]


def test_partners_has_one_row_per_partner_counting_what_they_share_most_first(seed_settings) -> None:
    rows = cli_json("partners", "crdf", *store_args(seed_settings))
    assert len({row["partner_id"] for row in rows}) == len(rows)
    assert all(row["shared_count"] == len(row["shared"]) for row in rows)
    tencent = next(row for row in rows if row["partner_id"] == "tencent-foundation")
    assert tencent["direct_count"] == 1  # PARTNERS_WITH, besides the programs and the case they share
    weights = [row["shared_count"] + row["direct_count"] for row in rows]
    assert weights == sorted(weights, reverse=True) and rows[0]["partner_id"] == "tencent-foundation"


def test_a_question_answers_a_page_and_says_how_many_rows_there_are(seed_settings) -> None:
    with graph(seed_settings) as g:
        whole = g.partners("crdf", limit=None)
        first, second = g.partners("crdf", limit=3), g.partners("crdf", limit=3, offset=3)
    assert whole.total == first.total == second.total == len(whole) > 3
    assert first.to_dicts() + second.to_dicts() == whole.to_dicts()[:6]
    assert first.showing() == f"showing 1–3 of {whole.total}"
    assert whole.complete and not first.complete


def test_a_table_shows_a_page_of_a_hundred_rows_by_default_and_json_every_row(seed_settings) -> None:
    table = run_cli("search", "县", *store_args(seed_settings))
    rows = cli_json("search", "县", *store_args(seed_settings))
    assert len(rows) > 100
    assert f"showing 1–100 of {len(rows)}" in table.stdout
    assert f" {rows[99]['id']} " in table.stdout and f" {rows[100]['id']} " not in table.stdout


def test_json_past_its_limit_says_so_on_standard_error(seed_settings) -> None:
    result = run_cli("search", "县", "--limit", "5", "--offset", "5", "-f", "json", *store_args(seed_settings))
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 5
    assert "search: showing 6–10 of" in result.stderr


def test_path_enumerates_chains_only_up_to_its_cap_and_says_so(seed_settings) -> None:
    with graph(seed_settings) as g:
        every = g.path("tencent-foundation", "cn-141031")
        capped = g.path("tencent-foundation", "cn-141031", max_paths=1)
    assert len(every) > 1 and not every.capped
    assert len(capped) == capped.total == 1 and capped.capped
    assert capped.rows[0].hops == every.rows[0].hops  # still a shortest chain
    assert "the first 1 shortest chains found (--max-paths): there may be more" in (capped.readable().caption or "")


def test_partners_through_python_find_the_same_by_former_name(seed_settings) -> None:
    with graph(seed_settings) as g:
        by_former_name = g.partners("中国扶贫基金会")
        by_id = g.partners("crdf")
    assert by_former_name.to_dicts() == by_id.to_dicts()
    assert {"tencent-foundation", "sac", "xixian-gov"} <= {row.partner_id for row in by_id.rows}


def test_shortest_chains_from_tencent_to_xixian(seed_settings) -> None:
    rows = cli_json("path", "腾讯公益慈善基金会", "隰县", *store_args(seed_settings))
    assert {row["hops"] for row in rows} == {3}
    chains = {tuple(step["type"] for step in row["steps"]) for row in rows}
    assert ("PARTNERS_WITH", "CO_FOUNDED", "OPERATES_IN") in chains
    assert all(step["evidence"] for row in rows for step in row["steps"])
    assert next(n["name"] for n in rows[0]["nodes"]) == "腾讯公益慈善基金会"


def test_path_can_be_restricted_to_relationship_types(seed_settings) -> None:
    with graph(seed_settings) as g:
        answer = g.path("tencent-foundation", "cn-141031", types=["PARTNERS_WITH", "MANAGES_FUNDS", "OPERATES_IN"])
    assert [[s["type"] for s in row.steps] for row in answer.rows] == [
        ["PARTNERS_WITH", "MANAGES_FUNDS", "OPERATES_IN"]
    ]


def test_regions_huoshui_reaches_roll_up_to_province(seed_settings) -> None:
    rows = cli_json("query", "reach", "-p", "entity=活水计划", *store_args(seed_settings))
    by_region = {row["region"]: row for row in rows}
    assert set(by_region) == {"内蒙古自治区", "广西壮族自治区", "重庆市", "玉屏侗族自治县"}
    yuping = by_region["玉屏侗族自治县"]
    assert (yuping["prefecture"], yuping["province"], yuping["adcode"]) == ("铜仁市", "贵州省", "520622")
    assert yuping["through"] == [
        {"id": "huoshui-99-yuping", "name": "活水计划99公益日活动（贵州玉屏）", "how": "OPERATES_IN"}
    ]


def test_who_supports_xixian(seed_settings) -> None:
    with graph(seed_settings) as g:
        rows = g.supporters("隰县").to_dicts()
    hops: dict[str, int] = {}
    for row in rows:  # a supporter may be reached several ways; the nearest counts
        hops[row["supporter"]] = min(row["hops"], hops.get(row["supporter"], 99))
    assert hops["中国证券业协会"] == 2 and hops["中国乡村发展基金会"] == 2
    assert hops["隰县政府"] == 1
    assert all(row["links"] for row in rows)


def test_co_founders_of_the_fund_with_roles(seed_settings) -> None:
    rows = cli_json("query", "cofounders", "-p", "activity=特困帮扶基金", *store_args(seed_settings))
    assert {(r["organization"], r["role"]) for r in rows} == {
        ("中国证券业协会", "资金筹措和监督"),
        ("中国乡村发展基金会", "资金管理"),
        ("隰县政府", "相关工作的协调实施"),
    }


def test_money_committed_by_the_securities_action(seed_settings) -> None:
    with graph(seed_settings) as g:
        rows = g.money("证券行业促进乡村振兴公益行动").to_dicts()
        totals = g.money_totals("securities-action")
    assert [(r["counterparty"], r["type"], r["amount_cny"], r["amount_text"]) for r in rows] == [
        ("63家证券公司", "COMMITS", 350000000, "3.5亿元")
    ]
    assert [(t["direction"], t["kind"], t["year"], t["yuan"], t["qualifier"]) for t in totals] == [
        ("received", "commitment", None, 350000000, None)
    ]


def test_money_keeps_qualifiers_and_unknown_amounts(seed_settings) -> None:
    with graph(seed_settings) as g:
        huoshui = g.money("活水计划").to_dicts()
        fund = g.money("特困帮扶基金").to_dicts()
    assert [(r["amount_cny"], r["qualifier"]) for r in huoshui] == [(120000000, "at_least")]
    assert [(r["amount_cny"], r["amount_text"]) for r in fund] == [(None, "万元")]


def test_evidence_behind_the_association_and_xixian(seed_settings) -> None:
    rows = cli_json("why", "中国证券业协会", "隰县", *store_args(seed_settings))
    spans = {row["evidence"] for row in rows}
    assert "中国证券业协会负责资金筹措和监督" in spans
    assert any("隰县" in span for span in spans)
    assert {row["publisher"] for row in rows} == {"公益时报"}


def test_neighbourhood_grows_with_hops(seed_settings) -> None:
    with graph(seed_settings) as g:
        one = g.neighbourhood("中国证券业协会", hops=1)
        two = g.neighbourhood("中国证券业协会", hops=2)
    assert 0 < len(one) < len(two)
    assert all("sac" in (row.from_id, row.to_id) for row in one.rows)


def test_unknown_name_lists_the_closest_matches(seed_settings) -> None:
    result = run_cli("partners", "中国扶贫", *store_args(seed_settings))
    assert result.exit_code == 3
    assert "nothing is called '中国扶贫'; closest: 中国扶贫基金会 (id crdf)" in result.stderr


def test_explain_shows_the_cypher_and_resolved_parameters(seed_db) -> None:
    result = run_cli("query", "cofounders", "-p", "activity=特困帮扶基金", "--explain", "--db", str(seed_db))
    assert result.exit_code == 0
    assert "MATCH (o:Organization)-[r:CO_FOUNDED|LAUNCHED]->(a)" in result.stderr
    assert 'parameters: {"activity": "sac-poverty-fund", "time_from": "0001-01-01"' in result.stderr


def test_query_list_names_every_query_file(seed_db) -> None:
    rows = cli_json("query", "--list", "--db", str(seed_db))
    assert {
        "partners",
        "path",
        "reach",
        "supporters",
        "cofounders",
        "participants",
        "money",
        "evidence",
        "neighbourhood",
    } <= {row["name"] for row in rows}


def test_bad_parameters_are_refused_clearly(seed_db) -> None:
    wrong_type = run_cli(
        "query", "path", "-p", "from=crdf", "-p", "to=sac", "-p", "max_hops=many", "--db", str(seed_db)
    )
    assert wrong_type.exit_code == 5 and "max_hops must be a int" in wrong_type.stderr
    too_far = run_cli("path", "crdf", "sac", "--max-hops", "9", "--db", str(seed_db))
    assert too_far.exit_code == 5 and "between 1 and 6" in too_far.stderr
    unknown = run_cli("query", "partners", "-p", "organisation=crdf", "--db", str(seed_db))
    assert unknown.exit_code == 5 and "has no parameter organisation" in unknown.stderr


def test_answers_become_dataframes_in_a_notebook(seed_db) -> None:
    g = ruralgraph.connect(db=seed_db)
    frame = g.cofounders("特困帮扶基金").to_df()
    assert list(frame.columns)[:2] == ["org_id", "organization"]
    assert sorted(frame["role"]) == sorted(["相关工作的协调实施", "资金筹措和监督", "资金管理"])
