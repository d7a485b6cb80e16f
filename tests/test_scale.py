"""The synthetic generator, the bulk format, and the benchmark as a smoke test (figures, not timings)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, neo4j_settings, run_cli
from ruralgraph.loading.load import load
from ruralgraph.store import StoreSettings, open_store
from ruralgraph.tools.synth import write_synthetic


@pytest.fixture(scope="module")
def synth_s(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic("S", tmp_path_factory.mktemp("synth")).path


def test_the_same_seed_writes_the_same_file(synth_s: Path, tmp_path: Path) -> None:
    again = run_cli("synth", "--size", "S", "-o", str(tmp_path), "--seed", "7")
    assert again.exit_code == 0
    assert (tmp_path / synth_s.name).read_bytes() == synth_s.read_bytes()
    other = write_synthetic("S", tmp_path, seed=8).path
    assert other.read_bytes() != synth_s.read_bytes()


def test_synthetic_data_has_a_heavy_tail_and_chinese_amounts(synth_s: Path) -> None:
    participation: Counter[str] = Counter()
    amounts = []
    for line in synth_s.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("type") in ("LAUNCHED", "FUNDS", "IMPLEMENTS", "SUPERVISES"):
            participation[row["from"]] += 1
        if "amount_text" in row:
            amounts.append(row["amount_text"])
    counts = sorted(participation.values(), reverse=True)
    assert counts[0] > 50 * counts[len(counts) // 2]  # a few organisations in hundreds of programs
    assert counts[len(counts) // 2] <= 2  # most in one or two
    assert any(a.endswith("亿元") for a in amounts) and any(a.startswith("超") for a in amounts)


def test_a_bulk_file_loads_into_both_stores_alike(synth_s: Path, neo4j_uri: str, tmp_path: Path) -> None:
    embedded, server = StoreSettings(db=tmp_path / "bulk.kgl"), neo4j_settings(neo4j_uri)
    first = load([synth_s], embedded)
    load([synth_s], server, replace=True)
    assert first.relationships > 10_000
    with open_store(embedded) as left, open_store(server) as right:
        assert left.counts() == right.counts()


def test_the_benchmark_runs_on_s_and_reports_every_figure(neo4j_uri: str) -> None:
    import sys

    sys.path.insert(0, str(ROOT))
    from bench.run import dataset, main, markdown

    results = main(["--size", "S", "--neo4j", neo4j_uri])
    figures = results["sizes"][0]
    assert 0 < results["start"]["python_s"] <= results["start"]["partners_s"]
    assert figures["kglite_load"]["rels_per_s"] > 0 and figures["neo4j_load"]["rels_per_s"] > 0
    assert figures["models_alone"]["records"] == sum(1 for _ in dataset("S").open(encoding="utf-8"))
    assert "What bounds the loader against the raw path on S" in markdown(results, "bench")
    assert set(figures["ratios"]) == {
        "kglite_load_vs_raw_bulk",
        "kglite_load_vs_raw_engine",
        "kglite_load_vs_naive",
        "neo4j_load_vs_naive",
    }
    assert figures["neo4j_reload"]["relationships"] == figures["neo4j_load"]["relationships"]
    assert set(figures["kglite_queries"]) == set(figures["neo4j_queries"])
    questions = {case.split(" · ")[0] for case in figures["kglite_queries"]}
    assert {"partners", "path", "reach", "supporters", "neighbourhood", "timeline", "find", "search"} <= questions
    assert any("hub" in case for case in figures["kglite_queries"])
    assert any("leaf" in case for case in figures["kglite_queries"])
    assert figures["memory"]["load_mb"] > 0 and figures["maps"][0]["html_kib"] > 0
    page = markdown(results, "python bench/run.py --size S")
    assert "## Start-up" in page and "Neo4j loader ≥ 50,000" not in page  # the Neo4j rate target is for M and L
