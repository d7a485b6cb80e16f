"""Stored text is data: it never drives the terminal (markup, escape sequences) or a spreadsheet (formulas).

Issue 14, items 3, 9 and the NaN half of 12. Names reach the store as an attacker would put them
there: through a case file (markup, formulas) or, for control characters that validation refuses
in new input, straight through ``cypher --write`` with parameters (an old store, or a hostile one).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from conftest import cli_process, run_cli, store_args
from ruralgraph.store import StoreSettings

MARKUP_NAMES = {
    "org-bold": "甲[/bold]基金会",
    "org-link": "[link=https://evil.example/]乙基金会[/link]",
    "org-red": "[red]丙[/red]基金会",
}
FORMULA_NAMES = {
    "org-eq": '=HYPERLINK("https://evil.example/","点击")',
    "org-plus": "+86 10 1234",
    "org-minus": "-2+3",
    "org-at": "@SUM(A1:A9)",
}
# An escape sequence that retitles the window, one that clears the screen, and a cursor-up (CSI).
ESCAPE_NAME = "甲\x1b]0;pwned\x07基金会\x1b[2J\x1b[1A"
NAMES_QUERY = "MATCH (o:Organization) RETURN o.name AS name ORDER BY name"


def case_file(folder: Path, names: dict[str, str]) -> Path:
    """A case file declaring one foundation per name (JSON strings are valid YAML scalars)."""
    lines = ["sources:", "  - {id: src-a, title: 测试来源}", "organizations:"]
    for key, name in names.items():
        lines.append(f"  - {{id: {key}, name: {json.dumps(name, ensure_ascii=False)}, kind: foundation}}")
    path = folder / "names.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def loaded(settings: StoreSettings, folder: Path, names: dict[str, str]) -> StoreSettings:
    result = run_cli("load", str(case_file(folder, names)), *store_args(settings))
    assert result.exit_code == 0, result.stderr
    return settings


def written_straight_into_the_store(settings: StoreSettings, name: str) -> None:
    """What an attacker with an old or hostile store does: write the name past validation."""
    result = run_cli(
        "cypher",
        "CREATE (:Organization {id: $id, name: $name, kind: 'foundation'})",
        "--write",
        "-p",
        "id=org-evil",
        "-p",
        f"name:str={name}",
        *store_args(settings),
    )
    assert result.exit_code == 0, result.stderr


def on_a_terminal(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI as a colour terminal sees it (rich forced to emit styles and hyperlinks), 80 columns."""
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "80", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    return cli_process(*args, env=env, timeout=120)


def strict_json(text: str) -> Any:
    """JSON as the standard defines it: NaN and Infinity are refused (Python's json accepts them)."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


# --- item 3: markup and terminal escapes ---------------------------------------------------------


def test_markup_in_a_stored_name_is_printed_literally_and_never_crashes_the_table(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    loaded(empty_settings, tmp_path, MARKUP_NAMES)
    result = run_cli("cypher", NAMES_QUERY, *store_args(empty_settings))
    assert result.exit_code == 0, result.stderr
    for name in MARKUP_NAMES.values():
        assert name in result.stdout


def test_a_link_tag_in_a_name_never_becomes_a_hidden_terminal_hyperlink(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    loaded(empty_settings, tmp_path, MARKUP_NAMES)
    result = on_a_terminal("cypher", NAMES_QUERY, *store_args(empty_settings))
    assert result.returncode == 0, result.stderr
    assert "\x1b[1m" in result.stdout  # it is a terminal: the header is bold
    assert "\x1b]8;" not in result.stdout  # but no OSC 8 hyperlink
    assert "[link=https://evil.example/]乙基金会[/link]" in result.stdout


def test_escape_sequences_in_stored_text_are_shown_as_escapes_never_sent_to_the_terminal(
    empty_settings: StoreSettings,
) -> None:
    written_straight_into_the_store(empty_settings, ESCAPE_NAME)
    result = run_cli("cypher", NAMES_QUERY, *store_args(empty_settings))
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "甲\\x1b]0;pwned\\x07基金会\\x1b[2J\\x1b[1A" in result.stdout


def test_escape_sequences_never_reach_a_colour_terminal_either(empty_settings: StoreSettings) -> None:
    written_straight_into_the_store(empty_settings, ESCAPE_NAME)
    result = on_a_terminal("cypher", NAMES_QUERY, *store_args(empty_settings))
    assert result.returncode == 0, result.stderr
    for sequence in ("\x1b]0;", "\x07", "\x1b[2J", "\x1b[1A"):
        assert sequence not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout


def test_a_stored_name_quoted_in_an_error_message_is_escaped_too(empty_settings: StoreSettings) -> None:
    written_straight_into_the_store(empty_settings, ESCAPE_NAME)
    result = run_cli("partners", "甲基金", *store_args(empty_settings))  # not found: the closest names are listed
    assert result.exit_code == 3
    assert "closest: 甲\\x1b]0;pwned\\x07基金会" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_json_output_keeps_the_stored_text_exactly(empty_settings: StoreSettings) -> None:
    written_straight_into_the_store(empty_settings, ESCAPE_NAME)
    result = run_cli("cypher", NAMES_QUERY, "--format", "json", *store_args(empty_settings))
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout  # JSON writes it as \u001b
    assert strict_json(result.stdout) == [{"name": ESCAPE_NAME}]


# --- item 9: CSV formula injection ---------------------------------------------------------------


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_output_neutralises_formulas_with_a_leading_quote(empty_settings: StoreSettings, tmp_path: Path) -> None:
    loaded(empty_settings, tmp_path, FORMULA_NAMES)
    result = run_cli("cypher", NAMES_QUERY, "--format", "csv", *store_args(empty_settings))
    assert result.exit_code == 0, result.stderr
    assert csv_rows(result.stdout) == [["name"], *([f"'{name}"] for name in sorted(FORMULA_NAMES.values()))]


def test_a_tab_or_carriage_return_at_the_start_is_neutralised_too(empty_settings: StoreSettings) -> None:
    written_straight_into_the_store(empty_settings, "\t=1+1")
    result = run_cli("cypher", NAMES_QUERY, "--format", "csv", *store_args(empty_settings))
    assert csv_rows(result.stdout)[1] == ["'\t=1+1"]


def test_neutralising_csv_leaves_the_stored_value_and_numbers_unchanged(
    empty_settings: StoreSettings, tmp_path: Path
) -> None:
    loaded(empty_settings, tmp_path, FORMULA_NAMES)
    stored = run_cli("cypher", NAMES_QUERY, "--format", "json", *store_args(empty_settings))
    assert [row["name"] for row in json.loads(stored.stdout)] == sorted(FORMULA_NAMES.values())
    numbers = run_cli("cypher", "RETURN -5 AS n, -1.5 AS x", "--format", "csv", *store_args(empty_settings))
    assert csv_rows(numbers.stdout) == [["n", "x"], ["-5", "-1.5"]]


def test_neo4j_csv_export_keeps_text_exact_for_neo4j_admin(empty_settings: StoreSettings, tmp_path: Path) -> None:
    loaded(empty_settings, tmp_path, FORMULA_NAMES)
    out = tmp_path / "csv"
    result = run_cli("export", "neo4j-csv", "-o", str(out), *store_args(empty_settings))
    assert result.exit_code == 0, result.stderr
    names = {row["name:string"] for row in csv.DictReader((out / "nodes_Organization.csv").open(encoding="utf-8"))}
    assert names == set(FORMULA_NAMES.values())


def test_neo4j_csv_export_neutralises_formulas_when_asked(empty_settings: StoreSettings, tmp_path: Path) -> None:
    loaded(empty_settings, tmp_path, FORMULA_NAMES)
    out = tmp_path / "csv"
    result = run_cli("export", "neo4j-csv", "-o", str(out), "--spreadsheet-safe", *store_args(empty_settings))
    assert result.exit_code == 0, result.stderr
    names = {row["name:string"] for row in csv.DictReader((out / "nodes_Organization.csv").open(encoding="utf-8"))}
    assert names == {f"'{name}" for name in FORMULA_NAMES.values()}


def test_spreadsheet_safe_is_refused_for_formats_that_hold_no_formulas(seed_db: Path, tmp_path: Path) -> None:
    result = run_cli("export", "graphml", "-o", str(tmp_path / "g.graphml"), "--spreadsheet-safe", "--db", str(seed_db))
    assert result.exit_code == 2
    assert "neo4j-csv only" in result.stderr


# --- item 12 (NaN): JSON output is always valid JSON ---------------------------------------------


def test_nan_and_infinity_are_printed_as_null_so_json_output_stays_valid(seed_settings: StoreSettings) -> None:
    query = "RETURN toFloat('NaN') AS nan, toFloat('Infinity') AS inf, [toFloat('-Infinity'), 1.5] AS xs"
    result = run_cli("cypher", query, "--format", "json", *store_args(seed_settings))
    assert result.exit_code == 0, result.stderr
    assert strict_json(result.stdout) == [{"nan": None, "inf": None, "xs": [None, 1.5]}]
