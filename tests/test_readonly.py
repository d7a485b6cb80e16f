"""Read-only queries stay read-only: the Cypher tokenizer in front of the engines, tried with
generated variants of every refused clause (white space, comments, line breaks, case, digits glued
on), on its own and on both engines."""

from __future__ import annotations

import http.server
import itertools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import neo4j_settings, run_cli, snapshot
from ruralgraph.errors import QueryError
from ruralgraph.store import StoreSettings, open_store
from ruralgraph.store.readonly import refused_clause, tokenize

# Each attack has a slot {sep} just before the refused keyword {kw}.
ATTACKS = [
    ("RETURN 1 AS x{sep}{kw} (:Hacked)", "CREATE"),
    ("MATCH (n:Organization){sep}{kw} (m:Hacked {{id: n.id}})", "MERGE"),
    ("MATCH (n:Organization){sep}DETACH{sep}{kw} n", "DELETE"),
    ("MATCH (n:Organization){sep}{kw} DELETE n", "DETACH"),
    ("MATCH (n:Organization) WITH n LIMIT 1{sep}{kw} n.x = 1 RETURN n.id AS id", "SET"),
    ("MATCH (n:Organization){sep}{kw} n.name RETURN n.id AS id", "REMOVE"),
    ("{sep}{kw} CSV FROM 'http://127.0.0.1:9/x.csv' AS r RETURN r", "LOAD"),
    ("WITH 1 AS x{sep}{kw} CSV FROM 'http://127.0.0.1:9/x.csv' AS r RETURN r", "LOAD"),
    ("MATCH (n) RETURN n.id AS id LIMIT 1{sep}{kw} db.labels()", "CALL"),
    ("{kw}{sep}`db`.`labels`()", "CALL"),
    ("{kw} `db`{sep}.{sep}labels() YIELD label RETURN label", "CALL"),
    ("MATCH (n:Organization) CALL (n) {{{sep}{kw} n.hacked = true }} RETURN count(*) AS c", "SET"),
    ("MATCH (n:Organization){sep}{kw} (x IN [1] | CREATE (:Hacked))", "FOREACH"),
    ("{sep}{kw} USERS", "SHOW"),
    ("{sep}{kw} system MATCH (n) RETURN n", "USE"),
    ("RETURN 1 AS x{sep}UNION{sep}{kw} (n:Hacked) RETURN 1 AS x", "CREATE"),
]
GLUED_DIGIT = "1"
SEPARATORS = [
    " ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "\u00a0",
    "\u3000",
    "\x0b",
    "\x0c",
    "/* x */",
    "/**/",
    "//x\n",
    "//x\r",
    "//x\u2028",
    "// CREATE\r",
    " /* // */ ",
    "1",
]


def _case_variants(keyword: str) -> list[str]:
    return [
        keyword,
        keyword.lower(),
        keyword.capitalize(),
        "".join(c.lower() if i % 2 else c for i, c in enumerate(keyword)),
    ]


def _variants() -> Iterator[tuple[str, str]]:
    for template, keyword in ATTACKS:
        for separator, spelled in itertools.product(SEPARATORS, _case_variants(keyword)):
            if separator == GLUED_DIGIT:  # a digit glued on right before the keyword, spaces elsewhere
                yield template.replace("{sep}{kw}", " 1{kw}").format(sep=" ", kw=spelled), keyword
            else:
                yield template.format(sep=separator, kw=spelled), keyword


VARIANTS = sorted(set(_variants()))


def test_every_generated_variant_of_a_refused_clause_is_refused() -> None:
    missed = [query for query, _ in VARIANTS if refused_clause(query) is None]
    assert not missed, missed[:5]
    assert len(VARIANTS) > 500


@given(
    template=st.sampled_from(ATTACKS),
    separators=st.lists(st.sampled_from([s for s in SEPARATORS if s != GLUED_DIGIT]), min_size=1, max_size=4),
    flips=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_a_refused_clause_is_refused_whatever_surrounds_it(
    template: tuple[str, str], separators: list[str], flips: list[bool]
) -> None:
    text, keyword = template
    flips = flips + [False] * len(keyword)
    spelled = "".join(c.lower() if flip else c for c, flip in zip(keyword, flips, strict=False))
    query = text.format(sep="".join(separators), kw=spelled)
    assert refused_clause(query) is not None, query


@pytest.mark.parametrize(
    ("query", "clause"),
    [
        ("//\rLOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS r RETURN r", "LOAD CSV"),
        ("CALL `dbms`.`listConfig`()", "CALL dbms.listConfig"),
        ("MATCH (n) RETURN n LIMIT 1CALL db.labels()", "CALL db.labels"),
        ("RETURN apoc.load.json('http://127.0.0.1:9/x') AS x", "the function apoc.load.json()"),
        ("RETURN 'a\\u0027 CREATE (n) //' AS x", "CREATE"),
        ("MATCH (n) CALL { MATCH (m) RETURN m } IN TRANSACTIONS RETURN n", "IN TRANSACTIONS"),
        ("CYPHER 5 runtime=slotted CREATE ()", "CREATE"),
    ],
)
def test_each_reported_bypass_is_refused_and_named(query: str, clause: str) -> None:
    assert refused_clause(query) == clause


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n:Organization) WHERE n.name = 'CREATE (x)' RETURN n.set AS s, $delete AS d",
        'MATCH (n) WHERE n.note = "it said \\" CREATE (x)" RETURN n',
        "RETURN `a``CREATE` AS x",
        "MATCH (n) // CREATE (x)\nRETURN n",
        "MATCH (n) /* SET n.x = 1 */ RETURN n",
        "RETURN {set: 1, create: 2} AS m",
        "MATCH (n:Set) RETURN n",
        "MATCH (a)-[r]->(b) RETURN r.start AS start, r.end AS end",
        "CALL { MATCH (n) RETURN n } RETURN count(n) AS c",
        "MATCH (n) CALL (n) { RETURN n.id AS i } RETURN i",
        "EXPLAIN MATCH (n) RETURN n",
        "CYPHER 5 MATCH (n) RETURN date.truncate('year', date()) AS y",
    ],
)
def test_reads_that_mention_keywords_are_not_refused(query: str) -> None:
    assert refused_clause(query) is None


@pytest.mark.parametrize("query", ["RETURN 1 /* open", "RETURN 'open", "RETURN `open"])
def test_a_query_with_an_unclosed_string_name_or_comment_is_refused(query: str) -> None:
    with pytest.raises(QueryError, match="never closed"):
        refused_clause(query)


def test_the_tokenizer_reads_names_with_doubled_backticks_and_splits_digits_from_words() -> None:
    tokens = tokenize("RETURN `a``b` AS x LIMIT 1CALL")
    assert [(t.kind, t.text) for t in tokens] == [
        ("word", "RETURN"),
        ("name", "a`b"),
        ("word", "AS"),
        ("word", "x"),
        ("word", "LIMIT"),
        ("number", "1"),
        ("word", "CALL"),
    ]


# --- on both engines -------------------------------------------------------------------------------

ENGINE_SAMPLE = VARIANTS[::7]  # every seventh variant: each attack with many separators and spellings


def test_generated_variants_are_refused_by_both_engines_and_change_nothing(seed_settings: StoreSettings) -> None:
    with open_store(seed_settings) as store:
        before = snapshot(store)
        for query, _ in ENGINE_SAMPLE:
            with pytest.raises(QueryError, match="refused without --write"):
                store.run(query)
        assert snapshot(store) == before


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _CountingHandler.hits.append(self.path)
        body = b"a,b\n1,2\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_http() -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that counts the requests it receives."""
    _CountingHandler.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.neo4j
def test_a_carriage_return_comment_no_longer_lets_neo4j_fetch_a_url(
    local_http: str, neo4j_uri: str, tmp_path: Path
) -> None:
    settings = neo4j_settings(neo4j_uri)
    attack = f"//\rLOAD CSV FROM '{local_http}/x.csv' AS r RETURN r"
    result = run_cli("cypher", attack, "--neo4j", neo4j_uri)
    assert result.exit_code == 5, result.stderr
    assert "LOAD CSV" in result.stderr
    assert _CountingHandler.hits == []
    # The same text with writes allowed does reach the URL: the check above can see a fetch.
    with open_store(settings, writable=True) as store:
        store.run(f"LOAD CSV FROM '{local_http}/x.csv' AS r RETURN r", write=True)
    assert _CountingHandler.hits == ["/x.csv"]
