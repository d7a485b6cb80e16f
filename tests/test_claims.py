"""Many sources, one graph: claims with provenance, identity across files and the store, merges that keep all.

Cross-load cases run against a store that already holds the bundled dataset, on both engines.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import cli_json, run_cli, snapshot, store_args
from ruralgraph.api import Graph
from ruralgraph.claims import Claim, SourceInfo, choose
from ruralgraph.loading.load import load
from ruralgraph.resources import data_dir
from ruralgraph.store import StoreSettings, open_store

SECOND_SOURCE = """\
sources:
  - {id: zz-annual-report, title: 中国乡村发展基金会年度报告, date: 2023-06-30}
organizations:
  - {id: crdf, name: 中国乡村发展基金会, kind: foundation, aliases: [CFRD], uscc: 53100000500000123X}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(settings: StoreSettings, *paths: Path) -> str:
    """Load ``paths``; assert it is refused with exit 2 and writes nothing; return the message."""
    with open_store(settings) as store:
        before = snapshot(store)
    result = run_cli("load", *map(str, paths), *store_args(settings))
    assert result.exit_code == 2, result.stdout + result.stderr
    with open_store(settings) as store:
        assert snapshot(store) == before
    return str(result.stderr)


def loaded(settings: StoreSettings, *paths: Path) -> None:
    result = run_cli("load", *map(str, paths), *store_args(settings))
    assert result.exit_code == 0, result.stderr


# --- 1. claims with provenance ---------------------------------------------------------------


def test_a_later_source_adds_an_alias_and_a_uscc_without_losing_the_curated_ones(
    seed_settings: StoreSettings, tmp_path: Path
) -> None:
    loaded(seed_settings, write(tmp_path, "second.yaml", SECOND_SOURCE))
    with Graph(seed_settings) as g:
        shown = g.show("crdf")
        assert g.resolve("中国扶贫基金会").id == "crdf"
        assert g.resolve("CFRD").id == "crdf"
    assert {"中国扶贫基金会", "CFRD"} <= set(shown.properties["aliases"])
    assert shown.properties["uscc"] == "53100000500000123X"
    by_value = {(row["property"], row["value"]): row["sources"] for row in shown.rows()}
    assert by_value[("name", "中国乡村发展基金会")] == "gsb-social-org-cases, zz-annual-report"
    assert by_value[("aliases", "中国扶贫基金会")] == "gsb-social-org-cases"
    assert by_value[("uscc", "53100000500000123X")] == "zz-annual-report"


def test_a_competing_value_is_kept_and_listed_with_its_sources(seed_settings: StoreSettings, tmp_path: Path) -> None:
    # The silent overwrite of the issue: a second source calls crdf an enterprise named 某某公司.
    other = (
        "sources: [{id: zz-report, title: 某报道}]\norganizations:\n  - {id: crdf, name: 某某公司, kind: enterprise}\n"
    )
    loaded(seed_settings, write(tmp_path, "other.yaml", other))
    rows = cli_json("conflicts", *store_args(seed_settings))
    assert {(r["id"], r["property"], r["value"], r["sources"], r["shown"]) for r in rows} == {
        ("crdf", "kind", "foundation", "gsb-social-org-cases", True),
        ("crdf", "kind", "enterprise", "zz-report", False),
        ("crdf", "name", "中国乡村发展基金会", "gsb-social-org-cases", True),
        ("crdf", "name", "某某公司", "zz-report", False),
    }
    with Graph(seed_settings) as g:
        assert g.resolve("中国扶贫基金会").id == "crdf"  # the curated alias survives
        assert g.resolve("某某公司").id == "crdf"  # and the name that lost stays findable
        assert len(g.partners("中国扶贫基金会").to_dicts()) > 0


def test_preferred_true_wins_over_every_other_rule(seed_settings: StoreSettings, tmp_path: Path) -> None:
    other = (
        "sources: [{id: zz-report, title: 某报道}]\n"
        "organizations:\n  - {id: crdf, name: 中国乡村发展基金会, kind: social_organization, preferred: true}\n"
    )
    loaded(seed_settings, write(tmp_path, "other.yaml", other))
    with Graph(seed_settings) as g:
        assert g.show("crdf").properties["kind"] == "social_organization"


def test_the_latest_source_wins_when_grades_are_equal(tmp_path: Path) -> None:
    older = "sources: [{id: s-old, title: 旧报道, date: 2019-01-01}]\norganizations: [{id: o, name: 甲, kind: other}]\n"
    newer = "sources: [{id: s-new, title: 新报道, date: 2022-01-01}]\norganizations: [{id: o, name: 甲, kind: group}]\n"
    settings_ = StoreSettings(db=tmp_path / "g.kgl")
    load([write(tmp_path, "a.yaml", older), write(tmp_path, "b.yaml", newer)], settings_)
    with Graph(settings_) as g:
        assert g.show("o").properties["kind"] == "group"


def test_the_preference_rule_orders_grade_then_date_then_source_id() -> None:
    def claim(value: str, source: str) -> Claim:
        return Claim("kind", value, (source,))

    def winner(info: dict[str, SourceInfo], *claims: Claim) -> str:
        named = [Claim("name", "甲", ()), *claims]
        return str(choose("Organization", "o", named, info)["kind"])

    info = {"a": SourceInfo("press", "2024"), "b": SourceInfo("official", "2001"), "c": SourceInfo(None, "2030")}
    assert winner(info, claim("foundation", "a"), claim("group", "b")) == "group"  # official beats press
    assert winner(info, claim("foundation", "a"), claim("other", "c")) == "foundation"  # a grade beats none
    info = {"a": SourceInfo("press", "2017-12"), "b": SourceInfo("press", "2017")}
    assert winner(info, claim("foundation", "a"), claim("group", "b")) == "foundation"  # later date
    assert winner({}, claim("foundation", "z"), claim("group", "b")) == "group"  # smallest source id
    assert winner({}, claim("foundation", "z"), Claim("kind", "group", ())) == "foundation"  # unsourced last


def test_show_prints_every_value_and_its_sources_as_json(seed_settings: StoreSettings, tmp_path: Path) -> None:
    loaded(seed_settings, write(tmp_path, "second.yaml", SECOND_SOURCE))
    result = run_cli("show", "中国扶贫基金会", *store_args(seed_settings), "--format", "json")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["id"] == "crdf" and shown["properties"]["uscc"] == "53100000500000123X"
    assert {"property": "uscc", "value": "53100000500000123X", "sources": ["zz-annual-report"], "shown": True} in shown[
        "claims"
    ]
    assert {s["id"] for s in shown["sources"]} == {"gsb-social-org-cases", "zz-annual-report"}


def test_loading_an_enriching_file_twice_changes_nothing(seed_settings: StoreSettings, tmp_path: Path) -> None:
    second = write(tmp_path, "second.yaml", SECOND_SOURCE)
    loaded(seed_settings, second)
    with open_store(seed_settings) as store:
        once = snapshot(store)
    loaded(seed_settings, second)
    loaded(seed_settings, data_dir())
    with open_store(seed_settings) as store:
        assert snapshot(store) == once


def test_one_id_under_another_label_in_a_later_load_is_refused(seed_settings: StoreSettings, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "sources: [{id: zz, title: 某报道}]\nprograms:\n  - {id: crdf, name: 某计划}\n")
    message = refused(seed_settings, bad)
    assert f"{bad}:3: id: id 'crdf' is declared here as a Program, but in the store it is a Organization" in message


def test_a_file_with_several_sources_must_say_which_states_an_entity(tmp_path: Path) -> None:
    text = "sources: [{id: s1, title: 甲}, {id: s2, title: 乙}]\norganizations:\n  - {id: o, name: 甲, kind: other}\n"
    result = run_cli("validate", str(write(tmp_path, "two.yaml", text)), "--db", str(tmp_path / "none.kgl"))
    assert result.exit_code == 2
    assert "two.yaml:3: source: this file declares several sources (s1, s2)" in result.stderr
    fixed = text.replace("kind: other}", "kind: other, source: s2}")
    assert run_cli("validate", str(write(tmp_path, "two.yaml", fixed)), "--db", str(tmp_path / "n.kgl")).exit_code == 0


# --- 2. identity across files and the store ----------------------------------------------------


def test_a_region_with_a_code_the_store_holds_is_that_region_never_a_twin(
    seed_settings: StoreSettings, tmp_path: Path
) -> None:
    bad = write(
        tmp_path,
        "twin.yaml",
        "sources: [{id: zz, title: 某报道}]\n"
        "regions: [{id: balinzuo, name: 巴林左旗, level: county, adcode: '150422'}]\n",
    )
    message = refused(seed_settings, bad)
    assert "adcode 150422 already names the region 'cn-150422' (in the store)" in message
    assert "declare it with the id 'cn-150422'" in message


def test_a_new_organisation_may_not_take_another_ones_alias(seed_settings: StoreSettings, tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "takeover.yaml",
        "sources: [{id: zz, title: 某报道}]\norganizations:\n  - {id: cfpa, name: 中国扶贫基金会, kind: foundation}\n",
    )
    message = refused(seed_settings, bad)
    assert "Organization 'cfpa' is called '中国扶贫基金会', and so is 'crdf'" in message
    assert "in the store" in message


def test_a_recorded_distinct_decision_lets_a_same_named_entity_load(
    seed_settings: StoreSettings, tmp_path: Path
) -> None:
    text = (
        "sources: [{id: zz, title: 某报道}]\norganizations:\n  - {id: cfpa, name: 中国扶贫基金会, kind: foundation}\n"
        "decisions:\n  distinct: [[crdf, cfpa]]\n"
    )
    loaded(seed_settings, write(tmp_path, "distinct.yaml", text))
    with Graph(seed_settings) as g:
        assert g.show("cfpa").properties["name"] == "中国扶贫基金会"


def test_one_uscc_in_two_loads_is_refused(seed_settings: StoreSettings, tmp_path: Path) -> None:
    loaded(seed_settings, write(tmp_path, "second.yaml", SECOND_SOURCE))
    bad = write(
        tmp_path,
        "same-code.yaml",
        "sources: [{id: zz, title: 某报道}]\n"
        "organizations:\n  - {id: other-org, name: 另一家, kind: enterprise, uscc: 53100000500000123X}\n",
    )
    assert "'other-org' has the same 统一社会信用代码 53100000500000123X as 'crdf' (in the store)" in refused(
        seed_settings, bad
    )


def test_a_part_of_cycle_split_over_two_loads_is_refused(seed_settings: StoreSettings, tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "cycle.yaml",
        "sources: [{id: zz, title: 某报道}]\nrelationships:\n  - {from: 'region:山西省', type: PART_OF, to: "
        "'region:隰县', source: zz}\n",
    )
    message = refused(seed_settings, bad)
    assert "PART_OF goes round in a circle (partly in the store)" in message


def test_validate_checks_files_against_what_the_store_holds(seed_settings: StoreSettings, tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "extra.yaml",
        "relationships:\n  - {from: sac, type: PARTNERS_WITH, to: crdf, source: gsb-social-org-cases,"
        " evidence: 中国证券业协会还联合中国乡村发展基金会}\n",
    )
    alone = run_cli("validate", str(extra), "--db", str(tmp_path / "empty.kgl"))
    assert alone.exit_code == 2 and "no node has id 'sac'" in alone.stderr
    against = run_cli("validate", str(extra), *store_args(seed_settings))
    assert against.exit_code == 0, against.stderr
    twin = write(
        tmp_path,
        "twin.yaml",
        "sources: [{id: zz, title: 某}]\norganizations: [{id: x, name: 中国扶贫基金会, kind: other}]\n",
    )
    assert run_cli("validate", str(twin), *store_args(seed_settings)).exit_code == 2


# --- 3. merges that keep everything ------------------------------------------------------------


def test_a_confirmed_merge_moves_every_claim_and_relationship_of_the_duplicate(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    text = (
        "source: s1\nsources: [{id: s1, title: 甲报道}, {id: s2, title: 乙报道}]\n"
        "organizations:\n"
        "  - {id: keep, name: 甲基金会, kind: foundation}\n"
        "  - {id: dup, name: 甲基金会北京, kind: foundation, uscc: 53100000500000123X, source: s2}\n"
        "programs:\n  - {id: prog, name: 甲计划, year: 2020}\n"
        "  - {id: prog-dup, name: 甲计划二, year: 2021, source: s2}\n"
        "relationships:\n  - {from: dup, type: LAUNCHED, to: prog-dup, source: s2, evidence: 乙发起}\n"
        "decisions:\n  merges: [{keep: keep, merge: dup}, {keep: prog, merge: prog-dup}]\n"
    )
    loaded(empty_settings, write(tmp_path, "merge.yaml", text))
    with Graph(empty_settings) as g:
        org = g.show("keep")
        prog = g.show("prog")
        launched = g.cypher("MATCH (a)-[r:LAUNCHED]->(b) RETURN a.id AS a, b.id AS b, r.source AS source")
    assert org.properties["uscc"] == "53100000500000123X"
    assert "甲基金会北京" in org.properties["aliases"]
    assert {"property": "uscc", "value": "53100000500000123X", "sources": "s2", "via": "dup"}.items() <= next(
        r for r in org.rows() if r["property"] == "uscc"
    ).items()
    assert {r["value"] for r in prog.rows() if r["property"] == "year"} == {2020, 2021}
    assert launched == [{"a": "keep", "b": "prog", "source": "s2"}]


def test_dedupe_confirm_writes_decisions_in_the_current_folder_never_into_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("dedupe", str(data_dir()), "--confirm", "crdf", "tencent-foundation")
    assert result.exit_code == 0, result.stderr
    written = yaml.safe_load((tmp_path / "decisions.yaml").read_text(encoding="utf-8"))
    assert written["merges"] == [{"keep": "crdf", "merge": "tencent-foundation"}]
    assert not (data_dir() / "decisions.yaml").exists() and not (data_dir() / "merges.yaml").exists()
    inside = run_cli("dedupe", str(data_dir()), "--distinct", "a", "b", "--decisions", str(data_dir() / "d.yaml"))
    assert inside.exit_code == 2 and "which ruralgraph ships" in inside.stderr
    assert not (data_dir() / "d.yaml").exists()


# --- order does not matter ---------------------------------------------------------------------

FIELDS = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["foundation", "enterprise", "other"]),
        "aliases": st.lists(st.sampled_from(["甲会", "甲社", "JIA"]), max_size=2, unique=True),
    }
)


def source_file(source: str, date: str, org: dict[str, object]) -> str:
    return yaml.safe_dump(
        {
            "sources": [{"id": source, "title": f"{source}报道", "date": date}],
            "organizations": [{"id": "o", "name": "甲基金会", **org}],
        },
        allow_unicode=True,
    )


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=FIELDS, b=FIELDS, dates=st.lists(st.sampled_from(["2019-01-01", "2021-05-05"]), min_size=2, max_size=2))
def test_loading_a_then_b_equals_b_then_a_equals_both_together(
    tmp_path: Path, a: dict[str, object], b: dict[str, object], dates: list[str]
) -> None:
    folder = tmp_path / os.urandom(4).hex()
    folder.mkdir()
    file_a = write(folder, "a.yaml", source_file("sa", dates[0], a))
    file_b = write(folder, "b.yaml", source_file("sb", dates[1], b))
    snapshots = []
    for order in ([file_a], [file_b]), ([file_b], [file_a]), ([file_a, file_b],):
        settings_ = StoreSettings(db=folder / f"{len(snapshots)}.kgl")
        for paths in order:
            load(paths, settings_)
        with open_store(settings_) as store:
            snapshots.append(snapshot(store))
    assert snapshots[0] == snapshots[1] == snapshots[2]
