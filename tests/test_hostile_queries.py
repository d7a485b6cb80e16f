"""Parameters, Neo4j URIs and unbounded queries: a clear message and an exit code, never a traceback or a crash.

Issue 14, items 12 and 13.
"""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path

import pytest

from conftest import cli_json, cli_process, run_cli, store_args
from ruralgraph.api import Graph
from ruralgraph.errors import QueryError
from ruralgraph.store import StoreSettings

BEYOND_INT64 = "100000000000000000000"  # 10^20
MEMORY_LIMIT = 3 * 2**30  # the address space the unbounded-query tests run in: a regression fails, not the machine


# --- item 12: parameters ---------------------------------------------------------------------------


def test_an_integer_parameter_beyond_64_bits_is_refused_with_its_name(seed_settings: StoreSettings) -> None:
    result = run_cli("cypher", "RETURN $x AS x", "-p", f"x={BEYOND_INT64}", *store_args(seed_settings))
    assert result.exit_code == 5
    assert f"parameter x = {BEYOND_INT64} does not fit in a 64-bit integer" in result.stderr


def test_an_integer_beyond_64_bits_inside_a_list_is_refused_too(seed_settings: StoreSettings) -> None:
    result = run_cli("cypher", "RETURN $xs AS xs", "-p", f"xs=[1, -{BEYOND_INT64}]", *store_args(seed_settings))
    assert result.exit_code == 5
    assert "parameter xs[1]" in result.stderr


def test_the_api_refuses_an_integer_beyond_64_bits_the_same_way(seed_settings: StoreSettings) -> None:
    with Graph(seed_settings) as graph, pytest.raises(QueryError, match="does not fit in a 64-bit integer"):
        graph.cypher("RETURN $x AS x", {"x": 10**20})


def test_the_typing_rule_digits_are_a_number_unless_typed_as_text(seed_settings: StoreSettings) -> None:
    rows = cli_json(
        "cypher",
        "RETURN $a AS a, $b AS b, $c AS c, $d AS d, $e AS e, $f AS f, $g AS g",
        "-p",
        "a=141031",
        "-p",
        "b:str=141031",
        "-p",
        "c:int=141031",
        "-p",
        "d:float=1.5",
        "-p",
        "e:bool=true",
        "-p",
        'f:json={"k": [1, "x"]}',
        "-p",
        "g=中国乡村发展基金会",
        *store_args(seed_settings),
    )
    assert rows == [
        {"a": 141031, "b": "141031", "c": 141031, "d": 1.5, "e": True, "f": {"k": [1, "x"]}, "g": "中国乡村发展基金会"}
    ]


def test_a_region_code_typed_as_text_matches_the_stored_text(seed_settings: StoreSettings) -> None:
    code = cli_json("cypher", "MATCH (r:Region) RETURN r.id AS id ORDER BY id LIMIT 1", *store_args(seed_settings))
    stored = code[0]["id"]
    rows = cli_json(
        "cypher", "MATCH (r:Region {id: $id}) RETURN r.id AS id", "-p", f"id:str={stored}", *store_args(seed_settings)
    )
    assert rows == [{"id": stored}]


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("n:int=12x", "not a valid int"),
        ("n:int=1_000", "not a valid int"),
        ("x:float=NaN", "not a valid float"),
        ("b:bool=yes", "not a valid bool"),
        ("j:json={oops", "not a valid json"),
        ("n:date=2024", "unknown type 'date'"),
    ],
)
def test_a_typed_parameter_that_is_not_of_its_type_is_refused(pair: str, message: str, seed_db: Path) -> None:
    result = run_cli("cypher", "RETURN 1 AS one", "-p", pair, "--db", str(seed_db))
    assert result.exit_code == 5
    assert message in result.stderr


def test_an_untyped_nan_is_text_not_a_float(seed_db: Path) -> None:
    assert cli_json("cypher", "RETURN $x AS x", "-p", "x=NaN", "--db", str(seed_db)) == [{"x": "NaN"}]


# --- item 12: Neo4j URIs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("bolt://localhost:notaport", "'notaport' is not a number"),
        ("bolt://localhost:99999", "port 99999 is not between 1 and 65535"),
        ("http://localhost:7474", "scheme 'http://', not one Neo4j's driver speaks"),
        ("bolt://[::1", "cannot be read"),
        ("bolt://:7687", "names no host"),
    ],
)
def test_a_malformed_neo4j_uri_is_refused_with_a_message(uri: str, message: str) -> None:
    result = run_cli("stats", "--neo4j", uri)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_malformed_uri_with_a_password_never_shows_the_password() -> None:
    result = run_cli("stats", "--neo4j", "bolt://neo4j:s3cret-pw@localhost:notaport")
    assert result.exit_code == 2
    assert "bolt://neo4j@localhost:notaport" in result.stderr
    assert "s3cret-pw" not in result.stderr + result.stdout


# --- item 13: unbounded queries --------------------------------------------------------------------


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def cli_in_a_memory_limit(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process, whose address space is capped: an unbounded query cannot take the machine down."""
    return cli_process(*args, preexec_fn=_limit_memory, timeout=300)


@pytest.mark.slow
def test_an_unbounded_path_query_stops_cleanly_with_a_message(seed_settings: StoreSettings) -> None:
    result = cli_in_a_memory_limit("cypher", "MATCH p=(a)-[*]-(b) RETURN p", *store_args(seed_settings))
    assert result.returncode == 5, result.stderr[-2000:]
    # Not the row limit: kglite computes every row before it keeps any, and on Neo4j fewer than
    # 100,000 paths of a hundred hops already fill memory. The work limit stops both.
    assert "more than 1000000 units of work (the work limit" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_default_row_limit_can_be_raised_or_turned_off(seed_settings: StoreSettings) -> None:
    query = "UNWIND range(1, 100001) AS x RETURN x"
    refused = run_cli("cypher", query, *store_args(seed_settings))
    assert refused.exit_code == 5
    assert "more than 100000 rows (the row limit); narrow it or raise --limit" in refused.stderr
    for flag in ("--limit=0", "--limit=100001"):
        result = run_cli("cypher", query, flag, "--format", "json", *store_args(seed_settings))
        assert result.exit_code == 0, result.stderr
        assert len(json.loads(result.stdout)) == 100001


@pytest.mark.slow
def test_the_work_limit_can_be_raised_or_turned_off(seed_settings: StoreSettings) -> None:
    query = "MATCH p=(a)-[*1..2]-(b) RETURN p"
    refused = run_cli("cypher", query, "--max-work", "1000", *store_args(seed_settings))
    assert refused.exit_code == 5
    assert "more than 1000 units of work" in refused.stderr
    unlimited, raised = (
        len(cli_json("cypher", query, "--max-work", value, *store_args(seed_settings))) for value in ("0", "1000000")
    )
    assert unlimited == raised > 1000


def test_cypher_help_states_the_default_guards() -> None:
    result = run_cli("cypher", "--help")
    for option, default in (("--limit", "100000"), ("--timeout", "60000"), ("--max-work", "1000000")):
        assert option in result.stdout and default in result.stdout
