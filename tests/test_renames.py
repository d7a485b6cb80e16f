"""Renames as dated facts: "X(现Y)" and "X(原Y)" notes, `renames:` with date and source, `names`."""

from __future__ import annotations

from pathlib import Path

import pytest

import ruralgraph
from conftest import cli_json, run_cli, store_args
from ruralgraph.names import clean_name
from ruralgraph.store import StoreSettings

CHAIN = """\
source: notice-2020  # the default source of the entities declared here (issue 13)
sources:
  - {id: notice-2010, title: 更名公告（2010）, published: 2010-03, grade: official}
  - {id: notice-2020, title: 更名公告（2020）, published: 2020-05-12, grade: official}
organizations:
  - id: org-c
    name: 丙乡村发展基金会
    kind: foundation
    renames:
      - {from: 甲扶贫协会, to: 乙扶贫基金会, date: 2010-03, source: notice-2010}
      - {from: 乙扶贫基金会, to: 丙乡村发展基金会, date: 2020-05-12, source: notice-2020,
         evidence: 乙扶贫基金会更名为丙乡村发展基金会}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "written",
    [
        "中国扶贫基金会(现中国乡村发展基金会)",
        "中国扶贫基金会（现名：中国乡村发展基金会）",
        "中国乡村发展基金会(原中国扶贫基金会)",
    ],
)
def test_now_and_formerly_notes_split_into_the_current_name_and_the_former_one(written: str) -> None:
    assert clean_name(written) == ("中国乡村发展基金会", ["中国扶贫基金会"])


def test_a_name_written_with_its_current_name_loads_under_the_current_one(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "organizations:\n  - {id: f, name: 中国扶贫基金会(现中国乡村发展基金会), kind: foundation}\n"
    )
    assert run_cli("load", str(path), *store_args(empty_settings)).exit_code == 0
    with ruralgraph.Graph(empty_settings) as g:
        assert g.resolve("中国扶贫基金会").id == "f"
        assert g.resolve("f").name == "中国乡村发展基金会"


def test_renames_keep_every_former_name_findable_and_give_a_dated_history(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    assert run_cli("load", str(write(tmp_path, CHAIN)), *store_args(empty_settings)).exit_code == 0
    with ruralgraph.Graph(empty_settings) as g:
        assert {g.resolve(name).id for name in ("甲扶贫协会", "乙扶贫基金会", "丙乡村发展基金会")} == {"org-c"}
        history = g.names("甲扶贫协会")
    assert history == [
        {"name": "甲扶贫协会", "since": None, "until": "2010-03", "source": "notice-2010", "current": False},
        {"name": "乙扶贫基金会", "since": "2010-03", "until": "2020-05-12", "source": "notice-2010", "current": False},
        {"name": "丙乡村发展基金会", "since": "2020-05-12", "until": None, "source": "notice-2020", "current": True},
    ]


def test_the_names_command_prints_the_history(empty_settings: StoreSettings, tmp_path: Path) -> None:
    assert run_cli("load", str(write(tmp_path, CHAIN)), *store_args(empty_settings)).exit_code == 0
    rows = cli_json("names", "乙扶贫基金会", *store_args(empty_settings))
    assert [(row["name"], row["current"]) for row in rows] == [
        ("甲扶贫协会", False),
        ("乙扶贫基金会", False),
        ("丙乡村发展基金会", True),
    ]


def test_an_entity_without_renames_has_one_undated_name(seed_settings: StoreSettings) -> None:
    with ruralgraph.Graph(seed_settings) as g:
        assert g.names("隰县") == [{"name": "隰县", "since": None, "until": None, "source": None, "current": True}]


def test_the_bundled_rename_of_the_china_foundation_for_poverty_alleviation_is_sourced(
    seed_settings: StoreSettings,
) -> None:
    rows = cli_json("names", "中国扶贫基金会", *store_args(seed_settings))
    assert [(r["name"], r["since"], r["until"], r["source"], r["current"]) for r in rows] == [
        ("中国扶贫基金会", None, None, "xinhua-cfrd-ethiopia-2022", False),  # no stored page states the date
        ("中国乡村发展基金会", None, None, "xinhua-cfrd-ethiopia-2022", True),
    ]
    with ruralgraph.Graph(seed_settings) as g:
        cited = {row["id"] for row in g.sources("crdf").to_dicts()}
    assert cited == {"gsb-social-org-cases", "xinhua-cfrd-ethiopia-2022"}  # the rename's source is cited too


@pytest.mark.parametrize(
    ("rename", "field", "message"),
    [
        ("{from: 甲, to: 乙, source: nowhere}", "renames", "no node has id 'nowhere'"),
        ("{from: 甲, to: 乙, source: org-a}", "renames", "'org-a' is a Organization, but a rename's source must be"),
        ("{from: 甲会, to: 甲会, source: s}", "organizations[1].renames[1]", "a rename needs two different names"),
        ("{from: 甲, to: 乙, date: 2020-02-30, source: s}", "organizations[1].renames[1].date", "is not a date"),
        ("{from: 甲, to: 乙}", "organizations[1].renames[1].source", "is required"),
    ],
)
def test_a_bad_rename_is_refused_with_file_line_and_field(
    tmp_path: Path, rename: str, field: str, message: str
) -> None:
    text = (
        "sources:\n  - {id: s, title: 公告}\norganizations:\n"
        f"  - {{id: org-a, name: 乙, kind: other, renames: [{rename}]}}\n"
    )
    path = write(tmp_path, text)
    result = run_cli("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:4: {field}:" in result.stderr and message in result.stderr, result.stderr
