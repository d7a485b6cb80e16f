"""Answers for people: tables that fit 80 columns with one row per thing, chains as arrows, a command per question."""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path

from rich.cells import cell_len

import ruralgraph
from conftest import cli_json, cli_process, run_cli, store_args
from ruralgraph.api import Graph
from ruralgraph.cli import app
from ruralgraph.store import StoreSettings


def at_80_columns(*args: str) -> str:
    """The table a person reads in an 80-column terminal (a real process, COLUMNS=80)."""
    done = cli_process(*args, env={**os.environ, "COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def line_groups(table: str) -> list[list[str]]:
    """The body rows of a rich table, each a list of its first column's lines (rows are ruled apart)."""
    groups: list[list[str]] = []
    inside = False
    for line in table.splitlines():
        if line.startswith(("┡", "├")):
            groups.append([])
            inside = True
        elif line.startswith("└"):
            inside = False
        elif inside and line.startswith("│"):
            groups[-1].append(line.split("│")[1].strip())
    return groups


def test_partners_at_80_columns_shows_one_line_group_per_partner_and_no_json(seed_db: Path) -> None:
    table = at_80_columns("partners", "中国乡村发展基金会", "--db", str(seed_db))
    rows = cli_json("partners", "中国乡村发展基金会", "--db", str(seed_db))
    assert '{"' not in table and "[{" not in table
    assert max(cell_len(line) for line in table.splitlines()) <= 80
    partners = [(row["partner"], row["partner_kind"]) for row in rows]
    assert len(set(partners)) == len(partners)  # the answer itself has one row per partner, as the table
    groups = line_groups(table)
    assert ["".join(group) for group in groups] == [f"{name}({kind})" for name, kind in partners]


def test_a_table_lists_a_few_shared_activities_and_counts_the_rest(seed_db: Path) -> None:
    shown = ruralgraph.connect(seed_db).partners("crdf").readable().rows
    tencent = next(row for row in shown if row["partner"].startswith("腾讯公益慈善基金会"))
    lines = tencent["shared"].split("\n")
    assert lines[3:] == ["… 2 more", "(direct link)"]  # five shared: three named, two counted


def test_partners_roles_say_which_side_does_what(seed_db: Path) -> None:
    shown = ruralgraph.connect(seed_db).partners("中国证券业协会").readable().rows
    by_partner = {row["partner"].split("\n")[0]: row for row in shown}
    assert by_partner["中国乡村发展基金会"]["roles"].split("\n") == [
        "org: 监督、资金筹措、资金筹措和监督、organizes",
        "partner: 资金管理、organizes",
    ]
    assert "特困帮扶基金" in by_partner["中国乡村发展基金会"]["shared"].split("\n")


def test_path_prints_each_chain_as_arrows_with_the_evidence_below(seed_db: Path) -> None:
    output = at_80_columns("path", "腾讯公益慈善基金会", "隰县", "--db", str(seed_db))
    chains = cli_json("path", "腾讯公益慈善基金会", "隰县", "--db", str(seed_db))
    lines = output.splitlines()
    assert len(chains) >= 1
    for number, chain in enumerate(chains, start=1):
        names = [node["name"] for node in chain["nodes"]]
        line = lines[number - 1]
        assert line.startswith(f"{number}. {names[0]} —[") and line.endswith(f"]→ {names[-1]}")
        assert all(name in line for name in names)
    assert "—[PARTNERS_WITH: 联合组建专门团队]→" in lines[0]
    assert "双方联合组建了专门的" in output  # the evidence of a hop, in the table below the chains


def test_a_chain_arrow_points_as_the_relationship_is_stored(seed_db: Path) -> None:
    # from the region back to the foundation: every hop is walked against its direction
    chains = ruralgraph.connect(seed_db).path("隰县", "中国乡村发展基金会").readable().lines
    assert chains and all(chain.startswith(("1. 隰县 ←[", "2. 隰县 ←[")) for chain in chains)


def test_json_and_csv_keep_every_field_of_the_answer(seed_db: Path) -> None:
    rows = cli_json("partners", "中国乡村发展基金会", "--db", str(seed_db))
    assert {"partner_id", "shared_count", "direct_count", "shared", "org_links", "partner_links"} <= set(rows[0])
    csv_text = run_cli("partners", "中国乡村发展基金会", "--db", str(seed_db), "--format", "csv").stdout
    assert csv_text.splitlines()[0].split(",") == list(rows[0])
    assert len(csv_text.splitlines()) == len(rows) + 1


def questions_of_the_api() -> set[str]:
    """The public Graph methods that answer a question (return an Answer), and money_totals."""
    answering = {
        name
        for name, method in vars(Graph).items()
        if not name.startswith("_") and callable(method) and inspect.signature(method).return_annotation == "Answer"
    }
    return (answering - {"query"}) | {"money_totals"}


def test_every_question_of_the_api_has_a_cli_command_of_the_same_name() -> None:
    assert {"supporters", "reach", "money", "cofounders", "participants", "neighbourhood"} <= questions_of_the_api()
    commands = {command.name or command.callback.__name__ for command in app.registered_commands if command.callback}
    missing = {name for name in questions_of_the_api() if name.replace("_", "-") not in commands}
    assert not missing


QUESTIONS: list[tuple[list[str], str, dict[str, object]]] = [
    (["reach", "活水计划"], "reach", {"entity": "活水计划"}),
    (["supporters", "隰县"], "supporters", {"region": "隰县"}),
    (["cofounders", "特困帮扶基金"], "cofounders", {"activity": "特困帮扶基金"}),
    (["participants", "特困帮扶基金"], "participants", {"activity": "特困帮扶基金"}),
    (["money", "活水计划", "--amounts"], "money", {"entity": "活水计划"}),
    (["neighbourhood", "善品公社", "--hops", "1"], "neighbourhood", {"entity": "善品公社", "hops": 1}),
]


def test_each_question_command_answers_as_the_api_does_on_both_engines(seed_settings: StoreSettings) -> None:
    with Graph(seed_settings) as graph:
        for args, method, params in QUESTIONS:
            expected = json.loads(json.dumps(getattr(graph, method)(**params).to_dicts(), ensure_ascii=False))
            assert expected, args
            assert cli_json(*args, *store_args(seed_settings)) == expected, args
            table = run_cli(*args, *store_args(seed_settings))
            assert table.exit_code == 0 and '{"' not in table.stdout, args
        totals = cli_json("money", "活水计划", *store_args(seed_settings))
        assert totals == json.loads(json.dumps(graph.money_totals("活水计划"), ensure_ascii=False))
        assert [(t["direction"], t["kind"], t["yuan"], t["qualifier"]) for t in totals] == [
            ("received", "donation", 120000000, "at_least")
        ]
