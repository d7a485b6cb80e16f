"""The columnar bulk path: the same records, the same errors and the same graph as one record at a time."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from ruralgraph.model import _refused_character, _refused_pattern


@pytest.mark.parametrize("multiline", [False, True])
def test_the_refused_character_class_is_exactly_the_characters_refused_one_by_one(multiline: bool) -> None:
    pattern = _refused_pattern(multiline)
    by_class = {code for code in range(sys.maxunicode + 1) if pattern.fullmatch(chr(code))}
    one_by_one = {code for code in range(sys.maxunicode + 1) if _refused_character(chr(code), multiline)}
    assert by_class == one_by_one


def test_no_pinyin_phrase_holds_an_ascii_character_and_no_ascii_character_has_a_reading() -> None:
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.pinyin_dict import pinyin_dict

    assert not [phrase for phrase in PHRASES_DICT if any(ord(char) < 128 for char in phrase)]
    assert not [code for code in range(128) if code in pinyin_dict]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("重庆市中国证券业协会", "chongqingshizhongguozhengquanyexiehui"),
        ("中国乡村发展基金会12", "zhongguoxiangcunfazhanjijinhui12"),
        ("abc重庆x1银行", "abcchongqingx1yinhang"),
    ],
)
def test_pinyin_keys_read_runs_between_ascii_characters_as_the_whole_text(text: str, key: str) -> None:
    from ruralgraph.names import pinyin_key

    assert pinyin_key(text) == key


RELATIONSHIPS = [
    {"from": "a", "type": "FUNDS", "to": "b", "source": "s", "evidence": "甲资助乙", "amount_text": "超1.2亿元"},
    {
        "from": "a",
        "type": "FUNDS",
        "to": "region:520622",
        "source": "s",
        "evidence": "甲资助乙",
        "role": "捐赠",
        "amount_text": "500万元",
        "amount_cny": 5000000,
        "amount_of": "donation",
        "amount_label": "首期",
        "amount_id": "first",
        "start": "2016",
        "end": "2020-06",
        "as_of": 2021,
        "time_text": "2016年以来",
        "counts": {"counties": 12, "projects": {"value": 30, "as_of": "2021", "text": "30余个"}},
        "scheme": "东西部协作",
        "note": "备注",
    },
    {"from": "a", "type": "PART_OF", "to": "b", "source": "s", "year": 2019},
    {"from": "a", "type": "LAUNCHED", "to": "b", "source": "s", "evidence": "甲发起", "date": "2021-04-08"},
]


@pytest.mark.parametrize("fields", RELATIONSHIPS)
def test_a_relationships_properties_are_its_fields_dumped_as_json_with_time_and_counts(fields: dict[str, Any]) -> None:
    from ruralgraph.model import Relationship, count_properties

    rel = Relationship.model_validate(fields)
    dumped = rel.model_dump(
        mode="json", exclude={"from_", "type", "to", "start", "end", "date", "as_of", "year", "counts"}
    )
    expected = {key: value for key, value in dumped.items() if value not in (None, "", [])}
    expected |= rel.timing().stored() | count_properties(rel.counts)
    assert rel.properties() == expected
    assert list(rel.properties()) == list(expected)


def test_a_bulk_file_read_in_batches_gives_each_line_what_one_line_at_a_time_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ruralgraph.errors import Where
    from ruralgraph.readers import jsonlines

    lines = [
        '{"label": "Source", "id": "s", "title": "来源"}',
        '{"label": "Organization", "id": "a", "name": "甲（原乙）", "kind": "foundation"}',
        '{"label": "Organization", "id": "b", "name": "丙", "kind": "charity"}',  # a bad kind among good rows
        "",
        '{"from": "a", "type": "FUNDS", "to": "region:520622", "source": "s", "evidence": "甲资助", '
        '"amount_text": "5万元"}',
        '{"from": "a", "type": "FUNDS", "to": "b", "source": "s", "amount_text": "5万元"}',  # no evidence
        '{"label": "Person", "id": "p", "name": "张三"}',
        "[1, 2]",
        '{"from": "a", "type": "LAUNCHED", "to": "b", "source": "s", "evidence": "甲发起", '
        '"start": "2020", "end": "2019"}',
        '{"label": "Organization", "id": "c", "name": "丁\\u202e", "kind": "other"}',
        '{"from": "a", "type": "LAUNCHED", "to": "b", "source": "s", "evidence": "甲发起", "date": 2021}',
    ]
    bulk = tmp_path / "mixed.jsonl"
    bulk.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one_by_one = []
    for number, line in enumerate(lines, start=1):
        if line:
            item, problems = jsonlines.parse_line(line.encode(), Where(str(bulk), number))
            one_by_one.append((item, Where(str(bulk), number), problems))
    for batch_lines in (3, 4096):  # batches that cut the file, and one batch for all of it
        monkeypatch.setattr(jsonlines, "BATCH_LINES", batch_lines)
        assert list(jsonlines.read_jsonl(bulk)) == one_by_one
    assert [where.line for _, where, problems in one_by_one if problems] == [3, 6, 7, 8, 9, 10]
    assert [where.line for item, where, _ in one_by_one if item is not None] == [1, 2, 5, 11]


def test_the_spool_gives_its_rows_in_order_whether_held_in_memory_or_spilled_to_a_file() -> None:
    from ruralgraph.loading.index import Spool

    rows = [("Organization", f"org-{n}", {"name": f"甲{n}"}, ["s"]) for n in range(2500)]
    held, spilled = Spool("held"), Spool("spilled")
    spilled.memory_rows = 1000
    for row in rows:
        held.append(row)
        spilled.append(row)
    assert list(held.rows()) == rows
    assert list(spilled.rows()) == rows
    assert list(spilled.rows()) == rows  # read from the start each time


NODES = [
    {
        "label": "Organization",
        "id": "a",
        "name": "甲（原乙）",
        "kind": "government",
        "level": "county",
        "aliases": ["丙"],
    },
    {"label": "Organization", "id": "g", "name": "证券公司", "kind": "group", "member_count": "63", "name_en": "Firms"},
    {
        "label": "Program",
        "id": "p",
        "name": "春蕾计划",
        "category": "助学",
        "year": 2019,
        "date": "2019-03-08",
        "count": 12,
        "count_of": "县",
        "counts": {"counties": 12, "projects": {"value": 30, "as_of": "2021", "text": "30余个"}},
        "note": "备注",
    },
    {"label": "Fund", "id": "f", "name": "基金", "duration_years": 5},
    {"label": "Event", "id": "e", "name": "活动日", "date_text": "每年10月"},
    {"label": "Region", "id": "r", "name": "玉屏县", "level": "county", "adcode": "520622", "adcode_year": 2024},
    {"label": "Case", "id": "c", "name": "案例", "batch": "首批"},
    {"label": "Source", "id": "s", "url": "https://example.org/a", "published": 2021, "grade": "press"},
    {"label": "Source", "id": "t", "title": "通知", "ref": "doi:10.1/x", "reprint_of": "s", "grade": "reprint"},
    {"label": "Designation", "id": "d", "name": "重点帮扶县", "year": 2021, "listed_count": 0, "complete": False},
    {
        "label": "Organization",
        "id": "h",
        "name": "新名",
        "kind": "other",
        "source": ["s", "t"],
        "preferred": True,
        "renames": [{"from": "旧名", "to": "新名", "source": "s"}],
    },
]


@pytest.mark.parametrize("fields", NODES, ids=[f"{n['label']}-{n['id']}" for n in NODES])
def test_a_nodes_properties_are_its_fields_dumped_as_json_with_renames_counts_and_search_keys(
    fields: dict[str, Any],
) -> None:
    from ruralgraph.model import MODEL_BY_LABEL, RENAME_PROPERTIES, count_properties, node_search_keys

    data = dict(fields)
    node = MODEL_BY_LABEL[data.pop("label")].model_validate(data)
    dumped = node.model_dump(mode="json", exclude={"source", "preferred", "renames", "counts"})
    expected = {key: value for key, value in dumped.items() if value not in (None, "", [])}
    if node.renames:
        expected |= {prop: [getattr(r, name) or "" for r in node.renames] for name, prop in RENAME_PROPERTIES.items()}
    expected["search_keys"] = node_search_keys(node.label, node.name, node.aliases, node.name_en)
    expected |= count_properties(getattr(node, "counts", {}))
    assert node.properties() == expected
    assert list(node.properties()) == list(expected)
    assert all(type(value) in (str, int, bool, list) for value in node.properties().values())


# A grant with a 其中 part (below), stated twice in the file: a repeat is one relationship.
WHOLE_GRANT = {
    "from": "org-a",
    "type": "FUNDS",
    "to": "region:520622",
    "source": "src-a",
    "evidence": "甲资助玉屏",
    "amount_text": "超1.2亿元",
    "amount_id": "whole",
    "start": "2016",
    "end": "2020-06",
    "as_of": 2021,
}
EDGE_LINES = [
    {"label": "Source", "id": "src-a", "title": "通知", "published": "2021-03", "grade": "official"},
    {"label": "Source", "id": "src-b", "url": "https://example.org/b", "reprint_of": "src-a", "grade": "reprint"},
    {"label": "Organization", "id": "org-a", "name": "甲基金会（原乙基金会）", "kind": "foundation", "source": "src-a"},
    {"label": "Organization", "id": "org-a", "name": "甲基金会", "kind": "foundation", "source": "src-b"},
    {
        "label": "Program",
        "id": "prog-a",
        "name": "春蕾计划",
        "date": "2019-03-08",
        "counts": {"counties": 12},
        "renames": [{"from": "旧计划", "to": "春蕾计划", "source": "src-a", "date": 2018}],
    },
    {"label": "Region", "id": "yuping", "name": "玉屏侗族自治县", "level": "county", "adcode": "520622"},
    WHOLE_GRANT,
    {
        "from": "org-a",
        "type": "FUNDS",
        "to": "region:玉屏侗族自治县",
        "source": "src-b",
        "evidence": "甲资助玉屏",
        "amount_text": "500万元",
        "part_of": "whole",
        "year": 2019,
    },
    WHOLE_GRANT,  # the same statement again: kept once
    {"from": "org-a", "type": "LAUNCHED", "to": "prog-a", "source": "src-a", "evidence": "甲发起春蕾计划"},
    {
        "from": "prog-a",
        "type": "OPERATES_IN",
        "to": "region:贵州省铜仁市玉屏侗族自治县",
        "source": "src-a",
        "evidence": "在玉屏实施",
        "counts": {"villages": {"value": 30, "as_of": "2021", "text": "30余个"}},
    },
]


def test_a_bulk_file_makes_the_same_graph_through_the_batched_path_and_one_line_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batched reading (one pydantic-core call per batch, the collector paused, cached region
    references) stores exactly what reading, validating and indexing one line at a time stores."""
    import json
    from collections.abc import Iterator

    from conftest import snapshot
    from ruralgraph.errors import Where
    from ruralgraph.loading.load import load
    from ruralgraph.model import Relationship
    from ruralgraph.readers import jsonlines
    from ruralgraph.store import StoreSettings, open_store
    from ruralgraph.tools.synth import Generator

    bulk = tmp_path / "bulk.jsonl"
    with bulk.open("w", encoding="utf-8") as handle:
        for item in Generator(1500, seed=3).items():
            line = jsonlines.dump_relationship(item) if isinstance(item, Relationship) else jsonlines.dump_node(item)
            handle.write(line + "\n")
        handle.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in EDGE_LINES)

    def one_line_at_a_time(source: jsonlines.JsonlSource, only: type | None = None) -> Iterator[jsonlines.Outcome]:
        with source.path.open("rb") as lines:
            for number, line in enumerate(lines, start=1):
                item, problems = jsonlines.parse_line(line, Where(str(source.path), number), only)
                if item is not None or problems:
                    yield item, Where(str(source.path), number), problems

    batched = StoreSettings(db=tmp_path / "batched.kgl")
    load([bulk], batched)
    monkeypatch.setattr(jsonlines.JsonlSource, "items", one_line_at_a_time)
    one_by_one = StoreSettings(db=tmp_path / "one-by-one.kgl")
    load([bulk], one_by_one)
    with open_store(batched) as first, open_store(one_by_one) as second:
        assert snapshot(first) == snapshot(second)
        assert len(snapshot(first)) > 3000
