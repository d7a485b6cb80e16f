"""Bad input: a clear message naming file, line and field, exit code 2, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli, snapshot, store_args
from ruralgraph.store import StoreSettings, open_store

GOOD_HEAD = """\
sources:
  - {id: src-a, title: 测试来源}
organizations:
  - {id: org-a, name: 甲基金会, kind: foundation}
programs:
  - {id: prog-a, name: 甲计划}
"""

# (name, file text, expected "line: field" fragment, expected message fragment)
CASES = [
    ("unknown label", GOOD_HEAD + "people:\n  - {id: p, name: 张三}\n", ":7:", "unknown section 'people'"),
    (
        "unknown relationship type",
        GOOD_HEAD + "relationships:\n  - {from: org-a, type: LIKES, to: prog-a, source: src-a, evidence: 甲乙合作}\n",
        ":8: relationships[1].type:",
        "unknown relationship type 'LIKES'",
    ),
    (
        "wrong property type",
        GOOD_HEAD.replace("kind: foundation}", "kind: group, member_count: many}"),
        ":4: organizations[1].member_count:",
        "valid integer",
    ),
    ("unknown kind", GOOD_HEAD.replace("kind: foundation", "kind: charity"), ":4: organizations[1].kind:", "'charity'"),
    (
        "dangling reference",
        GOOD_HEAD + "relationships:\n  - {from: org-b, type: LAUNCHED, to: prog-a, source: src-a, evidence: 乙发起}\n",
        ":8: from:",
        "no node has id 'org-b' (closest: org-a",
    ),
    (
        "endpoint of the wrong label",
        GOOD_HEAD + "relationships:\n  - {from: prog-a, type: LAUNCHED, to: org-a, source: src-a, evidence: 甲发起}\n",
        ":8: from:",
        "'prog-a' is a Program, but a LAUNCHED from must be a Organization",
    ),
    (
        "evidence missing",
        GOOD_HEAD + "relationships:\n  - {from: org-a, type: LAUNCHED, to: prog-a, source: src-a}\n",
        ":8: relationships[1]:",
        "evidence is required for LAUNCHED",
    ),
    (
        "negative amount",
        GOOD_HEAD + "relationships:\n  - {from: org-a, type: FUNDS, to: prog-a, source: src-a, evidence: 捐款,"
        " amount_text: -500万元}\n",
        ":8: relationships[1]:",
        "is negative",
    ),
    (
        "absurd amount",
        GOOD_HEAD + "relationships:\n  - {from: org-a, type: FUNDS, to: prog-a, source: src-a, evidence: 捐款,"
        " amount_cny: 999999999999999999}\n",
        ":8: relationships[1].amount_cny:",
        "less than",
    ),
    (
        "date that does not exist",
        GOOD_HEAD + "relationships:\n  - {from: org-a, type: LAUNCHED, to: prog-a, source: src-a, evidence: 甲发起,"
        " date: 2023-02-30}\n",
        ":8:",
        "date",
    ),
    (
        "adcode that is not a code",
        GOOD_HEAD + "regions:\n  - {id: r-x, name: 某县, level: county, adcode: 12AB}\n",
        ":8: regions[1].adcode:",
        "should match pattern",
    ),
    (
        "adcode not in the table",
        GOOD_HEAD + "regions:\n  - {id: r-x, name: 某县, level: county, adcode: '999999'}\n",
        ":8: adcode:",
        "not a region code",
    ),
    (
        "source that is not a Source",
        GOOD_HEAD + "relationships:\n  - {from: org-a, type: LAUNCHED, to: prog-a, source: org-a, evidence: 甲发起}\n",
        ":8: source:",
        "'org-a' is a Organization, but a source must be a Source",
    ),
    (
        "region part of itself",
        GOOD_HEAD + "regions:\n  - {id: r-a, name: 甲县, level: county}\n  - {id: r-b, name: 乙市, level: prefecture}\n"
        "relationships:\n  - {from: r-a, type: PART_OF, to: r-b, source: src-a}\n"
        "  - {from: r-b, type: PART_OF, to: r-a, source: src-a}\n",
        ":1",
        "PART_OF goes round in a circle",
    ),
    (
        "ambiguous place name",
        GOOD_HEAD + "relationships:\n  - {from: prog-a, type: OPERATES_IN, to: 'region:朝阳', source: src-a,"
        " evidence: 在朝阳实施}\n",
        ":8: to:",
        "ambiguous",
    ),
    ("duplicate key", GOOD_HEAD + "relationships: []\nrelationships: []\n", ":8:", "appears twice"),
    ("YAML syntax", GOOD_HEAD + "relationships:\n  - {from: org-a, type: [\n", ":", "YAML syntax"),
    ("tabs for indentation", "organizations:\n\t- {id: a, name: 甲, kind: other}\n", ":2:", "YAML syntax"),
    (
        "python object tag",
        "organizations: !!python/object/apply:os.system ['echo hacked']\n",
        ":1:",
        "a YAML tag that would build an object",
    ),
    ("not a mapping", "- just\n- a list\n", ":1:", "must be a YAML mapping"),
    ("empty file", "", "empty.yaml:", "file is empty"),
    (
        "id with spaces",
        GOOD_HEAD.replace("id: org-a,", "id: 'org a',"),
        ":4: organizations[1].id:",
        "should match pattern",
    ),
    (
        "reserved property name",
        GOOD_HEAD.replace("kind: foundation}", "kind: foundation, title: x}"),
        ":4: organizations[1].title:",
        "unknown field 'title'",
    ),
]


@pytest.mark.parametrize(("text", "where", "message"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_bad_case_file_is_rejected_with_location_and_nothing_is_written(
    seed_settings: StoreSettings, tmp_path: Path, text: str, where: str, message: str
) -> None:
    name = "empty.yaml" if not text else "bad.yaml"
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    with open_store(seed_settings) as store:
        before = snapshot(store)
    result = run_cli("load", str(bad), *store_args(seed_settings))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert str(bad) in result.stderr
    assert where in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    with open_store(seed_settings) as store:
        assert snapshot(store) == before


def test_one_bad_file_among_good_ones_writes_nothing(empty_settings: StoreSettings, tmp_path: Path) -> None:
    (tmp_path / "a-good.yaml").write_text(GOOD_HEAD, encoding="utf-8")
    (tmp_path / "b-bad.yaml").write_text(
        GOOD_HEAD.replace("org-a", "org-b").replace("kind: foundation", "kind: nope"), encoding="utf-8"
    )
    result = run_cli("load", str(tmp_path), *store_args(empty_settings))
    assert result.exit_code == 2
    assert "b-bad.yaml:4: organizations[1].kind" in result.stderr
    if empty_settings.db is not None:  # kglite: not even the file was created (reading it would be an error)
        assert not empty_settings.db.exists()
        return
    with open_store(empty_settings) as store:
        assert store.run("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_gbk_bytes_are_named_as_an_encoding_problem(tmp_path: Path) -> None:
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes(GOOD_HEAD.encode("gbk"))
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2: byte" in result.stderr and "GBK" in result.stderr


def test_duplicate_id_with_different_content_names_both_places(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD_HEAD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "organizations:\n  - {id: org-a, name: 甲基金会, kind: enterprise}\n", encoding="utf-8"
    )
    result = run_cli("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "b.yaml:2: id: Organization 'org-a' is declared again with different kind" in result.stderr
    assert "a.yaml:4" in result.stderr


def test_a_repeated_identical_declaration_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD_HEAD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD_HEAD, encoding="utf-8")
    assert run_cli("validate", str(tmp_path)).exit_code == 0


def test_references_may_point_into_what_the_store_already_holds(seed_settings: StoreSettings, tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "relationships:\n  - {from: sac, type: PARTNERS_WITH, to: crdf, source: gsb-social-org-cases,"
        " evidence: 中国证券业协会还联合中国乡村发展基金会}\n",
        encoding="utf-8",
    )
    result = run_cli("load", str(extra), *store_args(seed_settings))
    assert result.exit_code == 0, result.stderr
