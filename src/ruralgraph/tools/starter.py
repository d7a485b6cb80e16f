"""``ruralgraph init DIR``: a starter folder for a researcher's own data, that loads as it is.

It holds a case-file template, a spreadsheet template (the same table as .xlsx and .csv, with its
headers and two example rows), the mapping that reads the spreadsheet, and a short README. Every
example is marked 示例 (example): replace the rows with your own and load the folder.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ruralgraph.errors import BadOption
from ruralgraph.model import REL_TYPES, OrgKind
from ruralgraph.names import slug

TABLE = "partnerships"
SHEET = "合作关系"  # the sheet the mapping reads; a workbook may hold other sheets (notes) beside it
COLUMNS: tuple[tuple[str, str], ...] = (
    ("organization", "the organisation's name as written (its id is made from it)"),
    ("kind", "foundation, social_organization, industry_association, enterprise, government, media, group, other"),
    ("relation", "what the organisation does to the program: LAUNCHED, FUNDS, CO_FOUNDED, IMPLEMENTS …"),
    ("program", "the program (项目/计划/行动) as written"),
    ("role", "the organisation's role in the source's own words (optional)"),
    ("region", "where the program works: a county, prefecture or province name or code (optional)"),
    ("year", "the year the source gives (optional)"),
    ("amount", "an amount as written, e.g. 100万元 or 超1.2亿元 (optional)"),
    ("source_title", "the title of the source that states it"),
    ("source_url", "its address (optional)"),
    ("evidence", "the short span of the source's text that states it (at most ~80 characters)"),
)
FOUNDATION = "示例乡村基金会"
COMPANY = "示例科技公司"
PROGRAM = "示例助农计划"
SOURCE = "示例报道：示例助农计划启动"
EXAMPLE_ROWS: tuple[dict[str, str | int], ...] = (
    {
        "organization": FOUNDATION,
        "kind": "foundation",
        "relation": "LAUNCHED",
        "program": PROGRAM,
        "role": "联合发起",
        "region": "隰县",
        "year": 2023,
        "amount": "",
        "source_title": SOURCE,
        "source_url": "https://example.org/news/1",
        "evidence": f"{FOUNDATION}联合{COMPANY}在隰县发起{PROGRAM}",
    },
    {
        "organization": COMPANY,
        "kind": "enterprise",
        "relation": "FUNDS",
        "program": PROGRAM,
        "role": "资金支持",
        "region": "",
        "year": 2023,
        "amount": "100万元",
        "source_title": SOURCE,
        "source_url": "https://example.org/news/1",
        "evidence": f"{COMPANY}捐赠100万元支持{PROGRAM}",
    },
)

MAPPING = f"""\
# The mapping that reads {TABLE}.csv and {TABLE}.xlsx (sheet {SHEET}): one row per sourced relationship
# between an organisation and a program. Ids are made from names ({{organization|slug}}: pinyin for
# Chinese, e.g. {FOUNDATION} → {slug(FOUNDATION)}), so the case file can refer to them.
description: 合作关系表 (a researcher's table of organisations and programs)
files: ["{TABLE}*.csv", "{TABLE}*.xlsx"]
sheet: {SHEET}
nodes:
  - section: organizations
    fields: {{id: "{{organization|slug}}", name: "{{organization}}", kind: "{{kind}}"}}
  - section: programs
    fields: {{id: "{{program|slug}}", name: "{{program}}"}}
  - section: sources
    fields: {{id: "src-{{source_title|slug}}", title: "{{source_title}}", url: "{{source_url}}"}}
relationships:
  - fields: {{from: "{{organization|slug}}", type: "{{relation}}", to: "{{program|slug}}",
             source: "src-{{source_title|slug}}", role: "{{role}}", year: "{{year}}", amount_text: "{{amount}}",
             evidence: "{{evidence}}"}}
  - when: region  # only for rows that name a region
    fields: {{from: "{{program|slug}}", type: OPERATES_IN, to: "region:{{region}}", source: "src-{{source_title|slug}}",
             evidence: "{{evidence}}"}}
"""

FUND = "示例帮扶基金"
CASE_FILE = f"""\
# A case file: the sources, entities and relationships of one case, each relationship with its
# source and the quoted span (evidence) that states it. The format: docs/case-format.md of ruralgraph.
# Organisations from the spreadsheet are referred to by the ids their mapping makes from their names.
sources:
  - id: shi-li-bao-dao-2
    title: 示例报道：示例帮扶基金成立
    publisher: 示例日报
    url: https://example.org/news/2

funds:
  - id: {slug(FUND)}
    name: {FUND}
    year: 2023

relationships:
  - {{from: {slug(FOUNDATION)}, type: CO_FOUNDED, to: {slug(FUND)}, source: shi-li-bao-dao-2, role: 资金筹措和监督,
     evidence: {FOUNDATION}负责资金筹措和监督}}
  - {{from: {slug(COMPANY)}, type: CO_FOUNDED, to: {slug(FUND)}, source: shi-li-bao-dao-2, role: 资金管理,
     evidence: {COMPANY}负责资金管理}}
  - {{from: {slug(FUND)}, type: OPERATES_IN, to: "region:隰县", source: shi-li-bao-dao-2,
     evidence: {FUND}在隰县开展帮扶}}
"""

README = f"""\
# My ruralgraph data

- `cases/example-case.yaml`: a case file (YAML): sources, entities, relationships with evidence.
- `tables/{TABLE}.xlsx` (sheet {SHEET}) and `tables/{TABLE}.csv`: the same table; keep the one you use.
  One row per sourced relationship; the columns:
{chr(10).join(f"  - `{name}`: {doc}" for name, doc in COLUMNS)}
- `loaders/{TABLE}.yaml`: the mapping that turns each row into organisations, programs, sources
  and relationships. A folder's `loaders/` holds mappings, not data.

Every example row is marked 示例: replace them with your own, then

```sh
ruralgraph validate .            # every problem names the file, sheet, row and column
ruralgraph load .
ruralgraph partners {FOUNDATION}
```

Relationship types: {", ".join(REL_TYPES)}.
Organisation kinds: {", ".join(kind.value for kind in OrgKind)}.
"""


def starter_files() -> dict[str, str]:
    """The text files of the starter folder, by relative path (the workbook is written separately)."""
    return {
        "README.md": README,
        "cases/example-case.yaml": CASE_FILE,
        f"tables/{TABLE}.csv": table_csv(),
        f"loaders/{TABLE}.yaml": MAPPING,
    }


def table_csv() -> str:
    """The spreadsheet template as CSV: the header and the example rows."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _ in COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(EXAMPLE_ROWS)
    return buffer.getvalue()


def write_workbook(path: Path) -> None:
    """The spreadsheet template as .xlsx: the table on sheet ``SHEET``, the columns explained on a second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([name for name, _ in COLUMNS])
    for row in EXAMPLE_ROWS:
        sheet.append([row[name] for name, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJK", (22, 14, 12, 22, 14, 10, 8, 10, 28, 28, 48), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = book.create_sheet("说明")
    notes.append(["column", "what it holds"])
    for name, doc in COLUMNS:
        notes.append([name, doc])
    book.save(path)


def write_starter(folder: Path) -> list[Path]:
    """Write the starter folder; refuse (nothing written) if any of its files already exists."""
    texts = starter_files()
    targets = [folder / name for name in texts] + [folder / f"tables/{TABLE}.xlsx"]
    existing = [str(path) for path in targets if path.exists()]
    if existing:
        raise BadOption(f"{', '.join(existing)} already exist(s); choose a new or empty folder")
    for name, text in texts.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    write_workbook(folder / f"tables/{TABLE}.xlsx")
    return targets
