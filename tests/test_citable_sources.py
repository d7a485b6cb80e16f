"""Sources as citable documents: a title, an address or a reference; partial dates; a grade; reprints; `cite`."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
import rispy

import ruralgraph
from conftest import cli_json, run_cli, store_args
from ruralgraph.model import SourceGrade
from ruralgraph.store import StoreSettings

SOURCES = """\
source: copy  # the default source of the entities declared here (issue 13)
sources:
  - {id: notice, title: 关于公布国家乡村振兴重点帮扶县名单的通知, publisher: 国家乡村振兴局, published: 2021-08,
     grade: official, url: 'https://example.gov.cn/notice'}
  - {id: copy, url: 'https://example.com/copy', published: 2021-08-27, grade: reprint, reprint_of: notice}
  - {id: dataset, ref: 'github:example/data/counties.csv@0123abc', published: 2023, grade: secondary}
  - {id: book, ref: 'isbn:9787010000000', title: 乡村振兴案例集, date: 2022-05-01, grade: secondary}
  - {id: paper, ref: 'doi:10.1000/xyz123', grade: press}
organizations:
  - {id: org-a, name: 甲基金会, kind: foundation}
programs:
  - {id: prog-a, name: 甲计划}
relationships:
  - {from: org-a, type: LAUNCHED, to: prog-a, source: copy, evidence: 甲基金会发起甲计划}
  - {from: org-a, type: FUNDS, to: prog-a, source: dataset, evidence: 甲基金会资助甲计划}
  - {from: org-a, type: IMPLEMENTS, to: prog-a, source: book, evidence: 甲基金会实施甲计划}
"""


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES, encoding="utf-8")
    return path


@pytest.fixture
def loaded(empty_settings: StoreSettings, sources_file: Path) -> StoreSettings:
    assert run_cli("load", str(sources_file), *store_args(empty_settings)).exit_code == 0
    return empty_settings


def source_rows(settings: StoreSettings) -> dict[str, dict[str, object]]:
    rows = cli_json(
        "cypher",
        "MATCH (s:Source) RETURN s.id AS id, s.name AS name, s.published AS published, s.grade AS grade",
        *store_args(settings),
    )
    return {row.pop("id"): row for row in rows}  # type: ignore[misc]


def test_a_source_needs_a_title_a_url_or_a_ref_and_is_named_by_its_address_without_a_title(
    loaded: StoreSettings,
) -> None:
    rows = source_rows(loaded)
    assert rows["copy"]["name"] == "https://example.com/copy"
    assert rows["dataset"]["name"] == "github:example/data/counties.csv@0123abc"
    assert rows["book"]["name"] == "乡村振兴案例集"


def test_a_source_with_none_of_title_url_and_ref_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("sources:\n  - {id: bare, publisher: 某报}\n", encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: sources[1]: a source needs at least one of title, url and ref" in result.stderr


def test_publication_dates_keep_their_precision_and_date_is_a_synonym(loaded: StoreSettings) -> None:
    published = {key: row["published"] for key, row in source_rows(loaded).items()}
    assert published == {
        "notice": "2021-08",
        "copy": "2021-08-27",
        "dataset": "2023",
        "book": "2022-05-01",
        "paper": None,
    }


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ("title: t, published: 2021-13", "sources[1].published", "2021-13 is not a date: month must be in 1..12"),
        ("title: t, published: 21-08", "sources[1].published", "a date is YYYY, YYYY-MM or YYYY-MM-DD"),
        ("title: t, grade: rumour", "sources[1].grade", "'official', 'press', 'reprint', 'secondary' or 'unverified'"),
        ("ref: 'https://example.com/x'", "sources[1]", "ref is for non-web references; a web address goes in url"),
        ("url: 'doi:10.1000/x'", "sources[1].url", "a non-web reference (a file in a repository, a DOI"),
        ("title: t, reprint_of: s", "sources[1]", "a source cannot be a reprint of itself"),
    ],
)
def test_bad_source_fields_are_refused_with_the_field_and_how_to_fix_them(
    tmp_path: Path, fields: str, field: str, message: str
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"sources:\n  - {{id: s, {fields}}}\n", encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: {field}:" in result.stderr and message in result.stderr, result.stderr


def test_the_grade_vocabulary_is_the_documented_one() -> None:
    documented = (Path(__file__).parent.parent / "docs" / "case-format.md").read_text(encoding="utf-8")
    assert [grade.value for grade in SourceGrade] == ["official", "press", "reprint", "secondary", "unverified"]
    assert all(f"| `{grade.value}` |" in documented for grade in SourceGrade)


def test_reprint_of_must_name_a_source(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "sources:\n  - {id: copy, title: 转载, reprint_of: origin}\n"
        "organizations:\n  - {id: origin-org, name: 某报社, kind: media}\n"
        "  - {id: x, name: 乙, kind: media}\n",
        encoding="utf-8",
    )
    result = run_cli("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: reprint_of: no node has id 'origin'" in result.stderr
    path.write_text(path.read_text(encoding="utf-8").replace("reprint_of: origin", "reprint_of: origin-org"))
    result = run_cli("validate", str(path))
    assert "'origin-org' is a Organization, but a REPRINTS reprint_of must be a Source" in result.stderr


def test_reprint_of_may_name_a_source_the_store_already_holds(seed_settings: StoreSettings, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "sources:\n  - {id: gsb-copy, url: 'https://example.com/gsb', grade: reprint,"
        " reprint_of: gsb-enterprise-cases}\n",
        encoding="utf-8",
    )
    assert run_cli("load", str(path), *store_args(seed_settings)).exit_code == 0
    rows = cli_json(
        "cypher", "MATCH (:Source {id: 'gsb-copy'})-[:REPRINTS]->(o) RETURN o.id AS id", *store_args(seed_settings)
    )
    assert rows == [{"id": "gsb-enterprise-cases"}]


def test_why_shows_each_sources_address_date_and_grade(loaded: StoreSettings) -> None:
    rows = cli_json("why", "甲基金会", "甲计划", *store_args(loaded))
    shown = {(r["source_id"], r["url"], r["ref"], r["published"], r["grade"]) for r in rows}
    assert shown == {
        ("copy", "https://example.com/copy", None, "2021-08-27", "reprint"),
        ("dataset", None, "github:example/data/counties.csv@0123abc", "2023", "secondary"),
        ("book", None, "isbn:9787010000000", "2022-05-01", "secondary"),
    }


def test_cite_bibtex_parses_back_with_every_source_behind_the_entity_and_the_original_reprinted(
    loaded: StoreSettings,
) -> None:
    result = run_cli("cite", "甲基金会", "--format", "bibtex", *store_args(loaded))
    assert result.exit_code == 0, result.stderr
    library = bibtexparser.parse_string(result.stdout)
    assert not library.failed_blocks
    entries = {entry.key: {f.key: f.value for f in entry.fields} for entry in library.entries}
    assert set(entries) == {"copy", "dataset", "book", "notice"}  # notice: the original of the reprint
    assert entries["notice"]["title"] == "关于公布国家乡村振兴重点帮扶县名单的通知"
    assert (entries["notice"]["date"], entries["notice"]["year"]) == ("2021-08", "2021")
    assert entries["copy"]["url"] == "https://example.com/copy" and "title" not in entries["copy"]
    assert entries["copy"]["note"] == "grade: reprint; reprint of notice"
    assert entries["book"]["isbn"] == "9787010000000"
    assert entries["dataset"]["howpublished"] == "github:example/data/counties.csv@0123abc"


def test_cite_csl_json_parses_back_with_partial_dates_as_date_parts(loaded: StoreSettings) -> None:
    with ruralgraph.Graph(loaded) as g:
        items = {item["id"]: item for item in json.loads(g.cite("甲基金会", fmt="csl-json"))}
    assert items["notice"]["issued"] == {"date-parts": [[2021, 8]]}
    assert items["copy"]["issued"] == {"date-parts": [[2021, 8, 27]]}
    assert items["dataset"]["issued"] == {"date-parts": [[2023]]}
    assert items["notice"]["type"] == "webpage" and items["notice"]["publisher"] == "国家乡村振兴局"
    assert items["dataset"]["archive_location"] == "github:example/data/counties.csv@0123abc"


def test_cite_ris_parses_back_with_rispy(loaded: StoreSettings) -> None:
    result = run_cli("cite", "--all", "--format", "ris", *store_args(loaded))
    assert result.exit_code == 0, result.stderr
    entries = {entry["id"]: entry for entry in rispy.loads(result.stdout)}
    assert set(entries) == {"notice", "copy", "dataset", "book", "paper"}
    assert entries["paper"]["doi"] == "10.1000/xyz123" and entries["paper"]["type_of_reference"] == "NEWS"
    assert entries["notice"]["urls"] == ["https://example.gov.cn/notice"]
    assert (entries["notice"]["year"], entries["notice"]["date"]) == ("2021", "2021/08//")
    assert entries["book"]["issn"] == "9787010000000"


def test_cite_writes_a_file_and_refuses_an_unknown_format(loaded: StoreSettings, tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    assert run_cli("cite", "甲计划", "-o", str(target), *store_args(loaded)).exit_code == 0
    keys = {entry.key for entry in bibtexparser.parse_file(str(target)).entries}
    assert keys == {"copy", "dataset", "book", "notice"}
    result = run_cli("cite", "甲计划", "--format", "endnote", *store_args(loaded))
    assert result.exit_code == 2 and "unknown citation format 'endnote'" in result.stderr
    assert run_cli("cite", *store_args(loaded)).exit_code == 2  # neither an entity nor --all


def test_the_bundled_reprint_is_graded_and_cited(seed_settings: StoreSettings) -> None:
    with ruralgraph.Graph(seed_settings) as g:
        items = json.loads(g.cite("中国乡村发展基金会", fmt="csl-json"))
    assert [(item["id"], item["note"]) for item in items] == [
        ("gsb-social-org-cases", "grade: reprint"),
        ("xinhua-cfrd-ethiopia-2022", "grade: press"),  # the source of its rename
    ]
