"""Bad input: a clear message naming file, line and field, exit code 2, and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

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
    with open_store(empty_settings) as store:
        assert store.run("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_gbk_bytes_are_named_as_an_encoding_problem(tmp_path: Path) -> None:
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes(GOOD_HEAD.encode("gbk"))
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2: byte" in result.stderr and "GBK" in result.stderr


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


# --- hostile input, round two (issue 14): the input side ---------------------------------------


def alias_bomb(levels: int, shape: str) -> str:
    """The issue's alias bomb: level 0 holds ten scalars, each level ten aliases of the one below."""
    lines = ["x0: &x0 [a,a,a,a,a,a,a,a,a,a]"]
    for n in range(1, levels + 1):
        if shape == "sequence":
            lines.append(f"x{n}: &x{n} [{', '.join([f'*x{n - 1}'] * 10)}]")
        elif shape == "mapping":
            lines.append(f"x{n}: &x{n} {{{', '.join(f'k{i}: *x{n - 1}' for i in range(10))}}}")
        else:  # merge keys: each level merges the one below under ten keys
            lines.append(f"x{n}: &x{n} {{{', '.join(f'k{i}: {{<<: *x{n - 1}}}' for i in range(10))}}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("shape", ["sequence", "mapping", "merge keys"])
@pytest.mark.parametrize("levels", [8, 40])
def test_an_alias_bomb_is_refused_without_being_expanded(tmp_path: Path, shape: str, levels: int) -> None:
    # 40 levels would expand to 10^40 nodes: being refused at all shows nothing was expanded.
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb(levels, shape), encoding="utf-8")
    result = run_cli("validate", str(bomb))
    assert result.exit_code == 2
    assert f"{bomb}:5: aliases expand this document by more than 100000 nodes" in result.stderr


def test_merge_keys_fill_in_defaults_and_the_mappings_own_keys_win(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    case = tmp_path / "defaults.yaml"
    case.write_text(
        "sources:\n  - {id: src-a, title: 测试来源}\n"
        "organizations:\n"
        "  - &foundation {id: org-a, name: 甲基金会, kind: foundation, note: 默认}\n"
        "  - <<: *foundation\n    id: org-b\n    name: 乙基金会\n    note: 自己的说明\n"
        "  - {<<: *foundation, id: org-c, name: 丙公司, kind: enterprise}\n",
        encoding="utf-8",
    )
    result = run_cli("load", str(case), *store_args(empty_settings))
    assert result.exit_code == 0, result.stderr
    with open_store(empty_settings) as store:
        rows = store.run("MATCH (o:Organization) RETURN o.id AS id, o.kind AS kind, o.note AS note ORDER BY id")
    assert rows == [
        {"id": "org-a", "kind": "foundation", "note": "默认"},
        {"id": "org-b", "kind": "foundation", "note": "自己的说明"},
        {"id": "org-c", "kind": "enterprise", "note": "默认"},
    ]


def test_a_key_a_mapping_repeats_itself_is_still_a_duplicate_beside_a_merge_key(tmp_path: Path) -> None:
    case = tmp_path / "twice.yaml"
    case.write_text(
        "organizations:\n  - &a {id: org-a, name: 甲, kind: other}\n  - <<: *a\n    id: org-b\n    id: org-c\n",
        encoding="utf-8",
    )
    result = run_cli("validate", str(case))
    assert result.exit_code == 2
    assert f"{case}:5: key 'id' appears twice in one mapping" in result.stderr


# The most hostile text that is accepted: markup, XML specials, quotes, CDATA ends, zero-width and
# joining characters, astral characters, and (in multi-line fields only) tabs and line feeds.
HOSTILE_NAME = "甲<b>&amp;</b>]]>\"'基金会\u200b👩\u200d👩\u200d👧𠀀\ufffd"
HOSTILE_NOTE = "第一行\n\t第二行 <!-- --> &#0; ]]>"


def test_exports_are_well_formed_xml_after_the_most_hostile_accepted_text(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    import xml.etree.ElementTree as ET

    case = tmp_path / "hostile.yaml"
    case.write_text(
        yaml.safe_dump(
            {
                "sources": [{"id": "src-a", "title": HOSTILE_NAME}],
                "organizations": [
                    {"id": "org-a", "name": HOSTILE_NAME, "kind": "other", "note": HOSTILE_NOTE, "aliases": ["[/bold]"]}
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    assert run_cli("load", str(case), *store_args(empty_settings)).exit_code == 0
    for fmt in ("graphml", "gexf"):
        target = tmp_path / f"graph.{fmt}"
        result = run_cli("export", fmt, "-o", str(target), *store_args(empty_settings))
        assert result.exit_code == 0, result.stderr
        texts = [element.text or element.get("value") for element in ET.parse(target).iter()]  # parses: well formed
        assert HOSTILE_NAME in texts
        assert HOSTILE_NOTE in texts


@pytest.mark.parametrize(
    ("field", "value", "character"),
    [
        ("name", "甲\n乙", "U+000A"),
        ("name", "甲\t乙", "U+0009"),
        ("name", "甲\u2066乙", "U+2066"),
        ("note", "甲\x7f乙", "U+007F"),
        ("note", "甲\x85乙", "U+0085"),
        ("note", "甲\u2028乙", "U+2028"),
        ("note", "甲\r\n乙", "U+000D"),
    ],
)
def test_control_and_bidirectional_characters_are_refused_naming_the_character(
    tmp_path: Path, field: str, value: str, character: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    line = {"label": "Organization", "id": "a", "name": "甲", "kind": "other", field: value}
    bad.write_text(json.dumps(line) + "\n", encoding="utf-8")  # ASCII-escaped: \u2028, \r … as JSON escapes
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:1: {field}: character {character}" in result.stderr


def test_integers_as_plain_decimal_text_are_accepted_in_every_format(tmp_path: Path) -> None:
    (tmp_path / "quoted.yaml").write_text(
        "organizations:\n  - {id: g-a, name: 甲, kind: group, member_count: '63'}\n"
        "designations:\n  - {id: d-a, name: 名单, year: 2021, total_count: 160, complete: false}\n",
        encoding="utf-8",
    )
    (tmp_path / "quoted.jsonl").write_text(
        '{"label": "Organization", "id": "g-b", "name": "乙", "kind": "group", "member_count": "63"}\n',
        encoding="utf-8",
    )
    result = run_cli("validate", str(tmp_path))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ('"member_count": true', "valid integer, written in plain decimal digits"),
        ('"member_count": 63.0', "valid integer, written in plain decimal digits"),
        ('"member_count": "0x10"', "valid integer, written in plain decimal digits"),
        ('"member_count": "063"', "valid integer, written in plain decimal digits"),
        ('"member_count": 1e2', "valid integer, written in plain decimal digits"),
    ],
)
def test_json_lines_numbers_that_are_not_plain_integers_are_refused(tmp_path: Path, fields: str, message: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        f'{{"label": "Organization", "id": "g", "name": "甲", "kind": "group", {fields}}}\n', encoding="utf-8"
    )
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:1: member_count: Input should be a {message}" in result.stderr


@pytest.mark.parametrize("value", ['"yes"', "1", '"on"'])
def test_booleans_are_only_true_or_false(tmp_path: Path, value: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(f'{{"label": "Designation", "id": "d", "name": "名单", "complete": {value}}}\n', encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:1: complete: write true or false" in result.stderr


def test_an_amount_just_under_the_cap_is_accepted_and_one_at_it_refused(tmp_path: Path) -> None:
    rel = "relationships:\n  - {from: org-a, type: FUNDS, to: prog-a, source: src-a, evidence: 捐款, amount_text: %s}\n"
    (tmp_path / "under.yaml").write_text(GOOD_HEAD + rel % "99999999999999元", encoding="utf-8")
    assert run_cli("validate", str(tmp_path / "under.yaml")).exit_code == 0
    (tmp_path / "at.yaml").write_text(GOOD_HEAD + rel % "100万亿元", encoding="utf-8")
    result = run_cli("validate", str(tmp_path / "at.yaml"))
    assert result.exit_code == 2
    assert "over the cap of 10^14" in result.stderr


def test_a_self_loop_made_by_a_merge_is_refused_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        GOOD_HEAD.replace("kind: foundation}", "kind: foundation}\n  - {id: org-b, name: 甲基金会会, kind: foundation}")
        + "relationships:\n  - {from: org-a, type: FUNDS, to: org-b, source: src-a, evidence: 甲资助乙}\n",
        encoding="utf-8",
    )
    (tmp_path / "merges.yaml").write_text("merges: [{keep: org-a, merge: org-b}]\n", encoding="utf-8")
    result = run_cli("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "a.yaml:9: to: 'org-a' cannot be FUNDS itself (after the merge of 'org-b' into 'org-a')" in result.stderr


def test_no_relationship_type_allows_a_self_loop() -> None:
    from ruralgraph.model import RELATIONSHIP_RULES

    assert [name for name, rule in RELATIONSHIP_RULES.items() if rule.self_loops] == []


@pytest.fixture
def two_similar(tmp_path: Path) -> Path:
    """A folder with two near-identical organisations and a program, and no decisions yet."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        GOOD_HEAD.replace("kind: foundation}", "kind: foundation}\n  - {id: org-b, name: 甲基金会会, kind: foundation}")
        + "relationships:\n  - {from: org-b, type: LAUNCHED, to: prog-a, source: src-a, evidence: 乙发起}\n",
        encoding="utf-8",
    )
    return folder


BREAKING_DECISIONS = [
    ("an id into itself", [["--confirm", "org-a", "org-a"]], "'org-a' cannot be merged into itself"),
    (
        "a merge and its reverse",
        [["--confirm", "org-a", "org-b"], ["--confirm", "org-b", "org-a"]],
        "'org-b' keeps 'org-a' but is itself merged into 'org-a'",
    ),
    ("across labels", [["--confirm", "org-a", "prog-a"]], "'prog-a' is a Program and 'org-a' a Organization"),
    ("an unknown id", [["--confirm", "org-a", "org-z"]], "no node has id 'org-z'"),
    (
        "distinct after merged",
        [["--confirm", "org-a", "org-b"], ["--distinct", "org-b", "org-a"]],
        "'org-b' and 'org-a' are also recorded as one entity",
    ),
]


@pytest.mark.parametrize(
    ("steps", "reason"), [c[1:] for c in BREAKING_DECISIONS], ids=[c[0] for c in BREAKING_DECISIONS]
)
def test_a_decision_that_would_break_the_next_load_is_refused_when_recorded(
    two_similar: Path, steps: list[list[str]], reason: str
) -> None:
    for step in steps[:-1]:
        assert run_cli("dedupe", str(two_similar), *step).exit_code == 0
    decisions = two_similar / "merges.yaml"
    before = decisions.read_bytes() if decisions.exists() else None
    result = run_cli("dedupe", str(two_similar), *steps[-1])
    assert result.exit_code == 2
    assert f"refused, nothing was written: {reason}" in result.stderr
    assert (decisions.read_bytes() if decisions.exists() else None) == before
    assert run_cli("validate", str(two_similar)).exit_code == 0


BROKEN_DECISION_FILES = [
    (
        "an id into itself",
        "merges:\n  - {keep: org-a, merge: org-a}\n",
        ":2: merges[1]:",
        "cannot be merged into itself",
    ),
    (
        "a merge and its reverse",
        "merges:\n  - {keep: org-a, merge: org-b}\n  - {keep: org-b, merge: org-a}\n",
        ":3: merges[2]:",
        "is itself merged into 'org-a'",
    ),
    ("across labels", "merges:\n  - {keep: org-a, merge: prog-a}\n", ":2: merges[1]:", "is a Program and 'org-a'"),
    ("an unknown id", "merges:\n  - {keep: org-z, merge: org-b}\n", ":2: merges[1]:", "no node has id 'org-z'"),
]


@pytest.mark.parametrize(
    ("text", "where", "reason"), [c[1:] for c in BROKEN_DECISION_FILES], ids=[c[0] for c in BROKEN_DECISION_FILES]
)
def test_a_decisions_file_that_breaks_the_dataset_is_refused_at_load(
    two_similar: Path, empty_settings: StoreSettings, text: str, where: str, reason: str
) -> None:
    (two_similar / "merges.yaml").write_text(text, encoding="utf-8")
    result = run_cli("load", str(two_similar), *store_args(empty_settings))
    assert result.exit_code == 2
    assert f"{two_similar / 'merges.yaml'}{where}" in result.stderr
    assert reason in result.stderr
    with open_store(empty_settings) as store:
        assert store.run("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


MEGABYTE = "甲" * (1024 * 1024)
LONG = "甲" * 300_000


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("big.yaml", f"sources:\n  - {{id: src-a, title: {MEGABYTE}}}\n", ":2: sources[1].title:"),
        (
            "big.yaml",
            f"relationships:\n  - {{from: a, type: {MEGABYTE}, to: b, source: s, evidence: 甲乙}}\n",
            ":2: relationships[1].type:",
        ),
        ("big.yaml", f"? {MEGABYTE}\n: []\n", ":1:"),
        # a JSON line is at most 1 MiB: 300,000 characters of 3 bytes each
        ("big.jsonl", json.dumps({"label": "Fund", "id": "a", "name": "甲", LONG: 1}, ensure_ascii=False), ":1: "),
        ("big.jsonl", json.dumps({"label": LONG, "id": "a"}, ensure_ascii=False), ":1: label:"),
    ],
    ids=["title", "relationship type", "section", "field name", "label"],
)
def test_a_megabyte_of_input_is_cut_in_the_message(tmp_path: Path, name: str, text: str, where: str) -> None:
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}{where}" in result.stderr
    assert f"… ({len(MEGABYTE if name.endswith('.yaml') else LONG)} chars)" in result.stderr
    assert len(result.stderr) < 2000
