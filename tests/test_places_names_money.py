"""Places resolve to official codes, names to one entity, duplicates wait for a person, CSVs load via mappings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import ruralgraph
from conftest import cli_json, run_cli, store_args
from ruralgraph.errors import Ambiguous, NotFound
from ruralgraph.names import clean_name, normalise
from ruralgraph.places import resolve_place
from ruralgraph.resources import data_dir
from ruralgraph.store import StoreSettings


@pytest.mark.parametrize(
    ("place", "adcode", "name"),
    [
        ("玉屏", "520622", "玉屏侗族自治县"),
        ("贵州玉屏", "520622", "玉屏侗族自治县"),
        ("舒兰", "220283", "舒兰市"),
        ("吉林舒兰", "220283", "舒兰市"),
        ("隰县", "141031", "隰县"),
        ("141031", "141031", "隰县"),
        ("内蒙古", "150000", "内蒙古自治区"),
    ],
)
def test_place_names_resolve_to_official_codes(place: str, adcode: str, name: str) -> None:
    region = resolve_place(place)
    assert (region.adcode, region.name) == (adcode, name)


def test_an_ambiguous_place_lists_its_candidates() -> None:
    with pytest.raises(Ambiguous) as caught:
        resolve_place("朝阳")
    assert "朝阳区 110105" in str(caught.value) and "朝阳市 211300" in str(caught.value)


def test_an_unknown_place_or_code_is_an_error() -> None:
    with pytest.raises(NotFound):
        resolve_place("不存在县")
    with pytest.raises(NotFound):
        resolve_place("999999")


def aliases_in_the_seed() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted((data_dir() / "cases").glob("*.yaml")):
        for section, items in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if section not in ("relationships", "source", "decisions"):
                pairs += [(item["id"], alias) for item in items for alias in item.get("aliases", [])]
    return pairs


def test_every_alias_in_the_seed_resolves_to_its_entity(seed_settings: StoreSettings) -> None:
    pairs = aliases_in_the_seed()
    assert ("crdf", "中国扶贫基金会") in pairs and len(pairs) >= 5
    with ruralgraph.Graph(seed_settings) as g:
        for entity_id, alias in pairs:
            assert g.resolve(alias).id == entity_id, alias


def test_former_name_notes_become_aliases() -> None:
    assert clean_name("中国乡村发展基金会(原中国扶贫基金会)") == ("中国乡村发展基金会", ["中国扶贫基金会"])
    assert clean_name("中国乡村发展基金会（原中国扶贫基金会）") == ("中国乡村发展基金会", ["中国扶贫基金会"])
    assert normalise("ＡＢＣ 基金会（北京）") == normalise("abc基金会(北京)")


def test_names_resolve_across_widths_notes_pinyin_and_english(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        assert g.resolve("中国乡村发展基金会（原中国扶贫基金会）").id == "crdf"
        assert g.resolve("China Foundation for Rural Development").id == "crdf"
        assert g.resolve("zhongguozhengquanyexiehui").id == "sac"
        assert g.resolve("Securities Association of China").id == "sac"


def test_search_finds_names_aliases_pinyin_and_english(seed_db: Path) -> None:
    found = cli_json("search", "扶贫", "--label", "Organization", "--db", str(seed_db))
    # crdf by its former name 中国扶贫基金会 (an alias); 云南省扶贫基金会 by its own name
    assert {r["id"] for r in found} == {"crdf", "yn-poverty-foundation"}
    assert "sac" in {r["id"] for r in cli_json("search", "securities association", "--db", str(seed_db))}
    assert {r["id"] for r in cli_json("search", "shanpin", "--label", "Program", "--db", str(seed_db))} == {"shanpin"}


def test_the_same_uscc_under_two_ids_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "organizations:\n  - {id: a, name: 甲公司, kind: enterprise, uscc: 91110000100000000A}\n"
        "  - {id: b, name: 甲有限公司, kind: enterprise, uscc: 91110000100000000A}\n",
        encoding="utf-8",
    )
    result = run_cli("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "'b' has the same 统一社会信用代码 91110000100000000A as 'a'" in result.stderr


@pytest.fixture
def data_with_a_near_duplicate(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    (copy / "cases" / "05-planted.yaml").write_text(
        "organizations:\n  - {id: sac-typo, name: 中国证劵业协会, kind: industry_association}\n"
        "relationships:\n  - {from: sac-typo, type: PARTNERS_WITH, to: crdf, source: gsb-social-org-cases,"
        " evidence: 中国证券业协会还联合中国乡村发展基金会}\n",
        encoding="utf-8",
    )
    return copy


def test_dedupe_finds_a_planted_near_duplicate_and_leaves_it_unmerged(
    data_with_a_near_duplicate: Path, tmp_path: Path
) -> None:
    rows = cli_json("dedupe", str(data_with_a_near_duplicate))
    assert [(r["a"], r["b"], r["reason"]) for r in rows] == [("sac", "sac-typo", "similar names")]
    db = tmp_path / "graph.kgl"
    assert run_cli("load", str(data_with_a_near_duplicate), "--db", str(db)).exit_code == 0
    ids = cli_json(
        "cypher",
        "MATCH (o:Organization) WHERE o.id IN ['sac', 'sac-typo'] RETURN o.id AS id ORDER BY id",
        "--db",
        str(db),
    )
    assert ids == [{"id": "sac"}, {"id": "sac-typo"}]


def test_a_confirmed_merge_is_recorded_and_replays_on_load(data_with_a_near_duplicate: Path, tmp_path: Path) -> None:
    written = tmp_path / "my-decisions.yaml"
    confirmed = run_cli(
        "dedupe",
        str(data_with_a_near_duplicate),
        "--confirm",
        "sac",
        "sac-typo",
        "--note",
        "typo",
        "--decisions",
        str(written),
    )
    assert confirmed.exit_code == 0
    decisions = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert decisions["merges"] == [{"keep": "sac", "merge": "sac-typo", "note": "typo"}]
    db = tmp_path / "graph.kgl"
    loaded = run_cli("load", str(data_with_a_near_duplicate), "--db", str(db), "--decisions", str(written))
    assert loaded.exit_code == 0, loaded.stderr
    rows = cli_json(
        "cypher",
        "MATCH (o:Organization {id: 'sac'})-[:PARTNERS_WITH]->(p) RETURN o.aliases AS aliases, p.id AS partner",
        "--db",
        str(db),
    )
    assert rows == [{"aliases": ["中国证劵业协会"], "partner": "crdf"}]
    assert cli_json("dedupe", str(data_with_a_near_duplicate), "--decisions", str(written)) == []


def test_designated_counties_reached_say_how_and_that_the_list_is_partial(seed_settings: StoreSettings) -> None:
    every = cli_json("query", "key-county-reach", *store_args(seed_settings))
    rows = [r for r in every if r["basis"] == "targets_list_in_province"]
    assert len(rows) == 34
    assert {r["province"] for r in rows} == {"内蒙古自治区", "广西壮族自治区", "重庆市"}
    # 定点帮扶 and pairings assist a county; a social organisation's project works in one (布拖县)
    assert {r["basis"] for r in every} == {"targets_list_in_province", "assists_county", "operates_in_county"}
    assert all((r["listed_count"], r["total_count"], r["complete"]) == (93, 160, False) for r in every)
    assert all("腾讯公益慈善基金会" in r["organizations"] for r in rows)


def test_a_bad_csv_row_names_the_file_line_and_column(tmp_path: Path) -> None:
    source = data_dir() / "key-counties" / "key_assistance_counties_partial.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if ",150524," in line)
    lines[index] = lines[index].replace("150524", "15O524")  # a letter O in the code
    bad = tmp_path / "key_assistance_counties_bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:{index + 1}: adcode (→ adcode): String should match pattern" in result.stderr


def test_a_csv_without_a_mapping_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "pairings.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_cli("validate", str(other))
    assert result.exit_code == 2 and "no mapping reads this file" in result.stderr
    assert "--mapping FILE.yaml" in result.stderr


def test_a_merged_duplicate_gets_the_search_keys_a_declared_alias_would(tmp_path: Path) -> None:
    # A Source's title gets no pinyin key, whether its other names were declared or merged in.
    merged, declared = tmp_path / "merged", tmp_path / "declared"
    merged.mkdir()
    declared.mkdir()
    (merged / "sources.yaml").write_text(
        "sources: [{id: s1, title: 公益时报报道}, {id: s1-dup, title: 公益时报专题}]\n", encoding="utf-8"
    )
    (merged / "merges.yaml").write_text("merges: [{keep: s1, merge: s1-dup}]\n", encoding="utf-8")
    (declared / "sources.yaml").write_text(
        "sources: [{id: s1, title: 公益时报报道, aliases: [公益时报专题]}]\n", encoding="utf-8"
    )
    keys = []
    for folder in (merged, declared):
        db = tmp_path / f"{folder.name}.kgl"
        assert run_cli("load", str(folder), "--db", str(db)).exit_code == 0
        keys.append(cli_json("cypher", "MATCH (s:Source {id: 's1'}) RETURN s.search_keys AS keys", "--db", str(db)))
    assert keys[0] == keys[1] == [{"keys": ["公益时报专题", "公益时报报道"]}]
