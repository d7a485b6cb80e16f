"""A researcher's own data: a starter folder, their spreadsheets (.xlsx and CSV), their mappings, readable ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import cli_json, run_cli, store_args
from ruralgraph.store import StoreSettings

MAPPING = """\
description: 结对帮扶表 (a researcher's own table)
nodes:
  - section: organizations
    fields: {id: "{帮扶单位|slug}", name: "{帮扶单位}", kind: "{类型}"}
  - section: sources
    fields: {id: "src-{来源|slug}", title: "{来源}"}
relationships:
  - fields: {from: "{帮扶单位|slug}", type: ASSISTS, to: "region:{县}", source: "src-{来源|slug}", year: "{年份}",
             evidence: "{原文}"}
"""
HEADER = ["帮扶单位", "类型", "县", "年份", "来源", "原文"]
ROWS = [
    ["中国证券业协会", "industry_association", "隰县", 2021, "调研笔记（2023）", "中国证券业协会定点帮扶隰县"],
    ["长城证券", "enterprise", "贵州玉屏", 2022, "调研笔记（2023）", "长城证券结对帮扶玉屏"],
    ["常城证券", "enterprise", "舒兰", 2022, "调研笔记（2023）", "常城证券结对帮扶舒兰"],
]


def write_workbook(path: Path, rows: list[list[object]], sheet: str = "帮扶") -> Path:
    """A real .xlsx written with openpyxl: a notes sheet first, the table on ``sheet``."""
    book = Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["这一页是说明，不是数据"])
    table = book.create_sheet(sheet)
    table.append(HEADER)
    for row in rows:
        table.append(row)
    book.save(path)
    return path


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    path = tmp_path / "my-mapping.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def test_init_writes_a_starter_folder_that_validates_loads_and_answers(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    result = run_cli("init", str(folder))
    assert result.exit_code == 0, result.stderr
    for name in ("README.md", "cases/example-case.yaml", "tables/partnerships.xlsx", "tables/partnerships.csv"):
        assert (folder / name).is_file(), name
    assert (folder / "loaders" / "partnerships.yaml").is_file()
    assert run_cli("validate", str(folder)).exit_code == 0
    loaded = run_cli("load", str(folder), *store_args(empty_settings))
    assert loaded.exit_code == 0, loaded.stderr
    rows = cli_json("partners", "示例乡村基金会", *store_args(empty_settings))
    # the spreadsheet's program and the case file's fund, joined through the ids made from the names
    assert {(r["partner_id"], shared["name"]) for r in rows for shared in r["shared"]} == {
        ("shi-li-ke-ji-gong-si", "示例助农计划"),
        ("shi-li-ke-ji-gong-si", "示例帮扶基金"),
    }


def test_init_refuses_to_overwrite_a_starter_folder(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "mine")).exit_code == 0
    readme = tmp_path / "mine" / "README.md"
    readme.write_text("my notes", encoding="utf-8")
    result = run_cli("init", str(tmp_path / "mine"))
    assert result.exit_code == 2 and "already exist" in result.stderr
    assert readme.read_text(encoding="utf-8") == "my notes"


def test_a_named_mapping_reads_an_xlsx_sheet_with_readable_ids(
    empty_settings: StoreSettings, tmp_path: Path, mapping: Path
) -> None:
    book = write_workbook(tmp_path / "fieldwork.xlsx", ROWS)
    result = run_cli("load", f"{book}#帮扶", "--mapping", str(mapping), *store_args(empty_settings))
    assert result.exit_code == 0, result.stderr
    orgs = cli_json("cypher", "MATCH (o:Organization) RETURN o.id AS id, o.name AS name", *store_args(empty_settings))
    ids = {row["name"]: row["id"] for row in orgs}
    assert ids["中国证券业协会"] == "zhong-guo-zheng-quan-ye-xie-hui"
    # 长城 and 常城 read the same in pinyin: only those two get a suffix, and they stay apart
    clashing = {ids["长城证券"], ids["常城证券"]}
    assert len(clashing) == 2 and all(i.startswith("chang-cheng-zheng-quan-") for i in clashing)
    supporters = cli_json(
        "cypher",
        "MATCH (o:Organization)-[r:ASSISTS]->(c:Region) RETURN o.name AS org, c.name AS county, r.date.year AS year",
        *store_args(empty_settings),
    )
    assert {"org": "中国证券业协会", "county": "隰县", "year": 2021} in supporters


def test_a_mapping_may_name_its_sheet_and_a_whole_number_cell_reads_without_decimals(
    tmp_path: Path, mapping: Path
) -> None:
    named = tmp_path / "named-sheet.yaml"
    named.write_text(mapping.read_text(encoding="utf-8") + "sheet: 帮扶\n", encoding="utf-8")
    book = write_workbook(tmp_path / "fieldwork.xlsx", [[*ROWS[0][:3], 2021.0, *ROWS[0][4:]]])
    result = run_cli("validate", str(book), "--mapping", str(named), "--format", "json")
    assert result.exit_code == 0, result.stderr


def test_an_xlsx_error_names_the_file_sheet_row_and_column(tmp_path: Path, mapping: Path) -> None:
    bad = [ROWS[0], ["长城证券", "charity", "贵州玉屏", 2022, "调研笔记（2023）", "长城证券结对帮扶玉屏"]]
    book = write_workbook(tmp_path / "fieldwork.xlsx", bad)
    result = run_cli("validate", f"{book}#帮扶", "--mapping", str(mapping))
    assert result.exit_code == 2
    assert f"{book}#帮扶:3: column B 类型 (→ kind):" in result.stderr
    assert "'charity'" in result.stderr


def test_an_unknown_sheet_lists_the_sheets(tmp_path: Path, mapping: Path) -> None:
    book = write_workbook(tmp_path / "fieldwork.xlsx", ROWS)
    result = run_cli("validate", f"{book}#Sheet9", "--mapping", str(mapping))
    assert result.exit_code == 2 and "no sheet 'Sheet9'; its sheets: 说明, 帮扶" in result.stderr


def test_a_mapping_in_the_working_directorys_loaders_folder_is_found(
    tmp_path: Path, mapping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "loaders").mkdir()
    (tmp_path / "loaders" / "fieldwork.yaml").write_text(
        'files: ["fieldwork*.csv"]\n' + mapping.read_text(encoding="utf-8"), encoding="utf-8"
    )
    table = tmp_path / "data" / "fieldwork-2023.csv"
    table.parent.mkdir()
    table.write_text(",".join(HEADER) + "\n" + ",".join(str(v) for v in ROWS[0]) + "\n", encoding="utf-8")
    assert run_cli("validate", str(table)).exit_code == 2  # from elsewhere, nothing reads it
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate", "data")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("valid: 1 file(s)")


def test_mappings_are_found_in_the_folders_of_ruralgraph_loaders(
    tmp_path: Path, mapping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "my-mappings"
    folder.mkdir()
    (folder / "fieldwork.yaml").write_text(
        'files: ["fieldwork*.xlsx"]\n' + mapping.read_text(encoding="utf-8") + "sheet: 帮扶\n", encoding="utf-8"
    )
    book = write_workbook(tmp_path / "fieldwork.xlsx", ROWS)
    assert run_cli("validate", str(book)).exit_code == 2
    monkeypatch.setenv("RURALGRAPH_LOADERS", f"{tmp_path / 'nowhere'}:{folder}")
    result = run_cli("validate", str(book))
    assert result.exit_code == 0, result.stderr


def test_a_mapping_with_a_misspelt_filter_is_refused(tmp_path: Path, mapping: Path) -> None:
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(mapping.read_text(encoding="utf-8").replace("|slug}", "|slgu}"), encoding="utf-8")
    book = write_workbook(tmp_path / "fieldwork.xlsx", ROWS)
    result = run_cli("validate", f"{book}#帮扶", "--mapping", str(wrong))
    assert result.exit_code == 2 and "unknown filter(s) slgu" in result.stderr


def test_a_missing_evidence_cell_is_named_by_its_column(tmp_path: Path, mapping: Path) -> None:
    book = write_workbook(tmp_path / "fieldwork.xlsx", [[*ROWS[0][:5], None]])
    result = run_cli("validate", f"{book}#帮扶", "--mapping", str(mapping))
    assert result.exit_code == 2
    assert f"{book}#帮扶:2: column F 原文 (→ evidence): evidence is required for ASSISTS" in result.stderr
