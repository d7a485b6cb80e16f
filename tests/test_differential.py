"""Every query file, and every query the Python API issues, gives the same rows on both engines."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import neo4j_settings
from ruralgraph.loading.load import load
from ruralgraph.model import node_type
from ruralgraph.queries import BY_ADCODE, BY_ID, BY_NAME, bind, canonical, library, page_bounds
from ruralgraph.resources import data_dir
from ruralgraph.store import Store, StoreSettings, open_store
from ruralgraph.views.citations import ALL_SOURCES_QUERY

# Parameters for each query file, chosen to exercise every branch on the bundled data.
CASES: dict[str, list[dict[str, Any]]] = {
    "partners": [{"org": "crdf"}, {"org": "sac"}, {"org": "securities-firms-63"}],
    "path": [
        {"from": "tencent-foundation", "to": "cn-141031"},
        {"from": "nrra", "to": "shanpin", "max_hops": 6},
        {"from": "crdf", "to": "cn-520622", "types": ["LAUNCHED", "PART_OF", "OPERATES_IN"]},
    ],
    "reach": [
        {"entity": "huoshui"},
        {"entity": "crdf"},
        {"entity": "sac"},
        {"entity": "cn-110000", "time_from": "2017", "time_to": "2017"},
    ],
    "supporters": [{"region": "cn-141031"}, {"region": "cn-520000"}, {"region": "cn-140000"}],
    "cofounders": [{"activity": "sac-poverty-fund"}, {"activity": "huoshui"}],
    "participants": [{"activity": "huoshui"}, {"activity": "sac-poverty-fund"}],
    "money": [{"entity": "securities-action"}, {"entity": "huoshui"}, {"entity": "sac-poverty-fund"}],
    "evidence": [{"a": "sac", "b": "cn-141031"}, {"a": "tencent-foundation", "b": "crdf"}],
    "neighbourhood": [
        {"entity": "sac", "hops": 1},
        {"entity": "crdf", "hops": 2},
        {"entity": "cn-110000", "hops": 2, "time_from": "2016", "time_to": "2016"},
        {"entity": "cn-110000", "hops": 3, "time_from": "2022", "time_to": "2024-06", "undated": False},
    ],
    "key-county-reach": [{}],
    # a province-level pairing (上海市 → 云南省), a prefecture-level one (佛山市 → 黔东南), county-level ones
    "east-west-key-counties": [{}, {"time_from": "2015", "time_to": "2016", "undated": False}],
    "key-counties-of": [
        {"entity": "cn-310000"},
        {"entity": "rcck-central"},
        {"entity": "cnooc"},
        {"entity": "cn-440600"},
    ],
    "find": [{"text": "中国扶贫基金会"}, {"text": "隰县"}],
    "timeline": [
        {"entity": "cn-110000"},
        {"entity": "crdf"},
        {"entity": "cn-110000", "time_from": "2017", "time_to": "2020", "undated": False},
    ],
    "sources": [{"entity": "crdf"}, {"entity": "cn-141031"}, {"entity": "key-assistance-counties-2021"}],
    "search": [{"key": "扶贫"}, {"key": "zhongguo", "label": "Organization"}, {"key": "securitiesassociation"}],
}
# Queries the Python API issues outside queries/ (the store's own helpers).
API_QUERIES = [
    (f"MATCH (n:Entity) RETURN {node_type('n')} AS label, count(*) AS count", {}),
    ("MATCH (:Entity)-[r]->() RETURN type(r) AS type, count(*) AS count", {}),
    ("MATCH (n:`Organization`) WHERE n.id IN $ids RETURN n.id AS id", {"ids": ["crdf", "sac", "nope"]}),
    ("MATCH (n:Entity) RETURN n.id AS id, n.name AS name, coalesce(n.aliases, []) AS aliases", {}),
    (BY_ID, {"text": "crdf"}),
    (BY_NAME, {"text": "隰县"}),
    (BY_NAME, {"text": "中国证券业协会"}),
    (BY_ADCODE, {"adcode": "141031"}),
    (ALL_SOURCES_QUERY, {}),
]


def normalise(rows: list[dict[str, Any]]) -> list[str]:
    """Rows as a sorted list of canonical JSON: lists inside rows sorted too (engines may order them differently)."""

    def canon(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: canon(v) for k, v in value.items()}
        if isinstance(value, list):
            return sorted(
                (canon(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)
            )
        return value

    return sorted(json.dumps(canon(row), ensure_ascii=False, sort_keys=True, default=str) for row in rows)


@pytest.fixture(scope="module")
def both_stores(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Store]:
    embedded = StoreSettings(db=tmp_path_factory.mktemp("diff") / "graph.kgl")
    server = neo4j_settings(neo4j_uri)
    load([data_dir()], embedded)
    load([data_dir()], server, replace=True)
    left, right = open_store(embedded), open_store(server)
    yield left, right
    left.close()
    right.close()


def test_every_query_file_has_differential_cases() -> None:
    assert set(CASES) == set(library())


def paged(store: Store, name: str, bound: dict[str, Any], limit: int | None, offset: int = 0) -> dict[str, Any]:
    """What ``ask`` reads for a page: the total and the page's rows, `set` columns canonical, in the engine's order."""
    spec = library()[name]
    [row] = store.run(spec.paged(), {**bound, **page_bounds(limit, offset)})
    return {"total": row["total"], "page": [canonical(r, spec) for r in row["page"]]}


def as_json(value: Any) -> str:
    """Rows as JSON in their order (keys sorted: a map's keys have no order on Neo4j)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@pytest.mark.parametrize(
    ("name", "params"),
    [(n, p) for n, ps in CASES.items() for p in ps],
    ids=[f"{n}-{i}" for n, ps in CASES.items() for i, _ in enumerate(ps)],
)
def test_query_file_gives_the_same_rows_in_the_same_order_on_both_engines(
    both_stores, name: str, params: dict[str, Any]
) -> None:
    kglite_store, neo4j_store = both_stores
    spec = library()[name]
    bound = bind(kglite_store, spec, params)
    left, right = paged(kglite_store, name, bound, None), paged(neo4j_store, name, bound, None)
    assert as_json(left) == as_json(right), f"{name} differs\nkglite: {as_json(left)}\nneo4j: {as_json(right)}"
    assert left["total"] == len(left["page"])
    assert all(set(row) == {c.name for c in spec.columns} for row in left["page"]), "columns differ from the header"
    # the body alone gives the same rows too (the page adds order and count, nothing else)
    assert normalise(kglite_store.run(spec.cypher, bound)) == normalise(neo4j_store.run(spec.cypher, bound))


@pytest.mark.parametrize(("name", "params"), [(n, ps[0]) for n, ps in CASES.items()], ids=list(CASES))
def test_pages_of_a_query_are_the_same_on_both_engines_and_add_up_to_the_whole(
    both_stores, name: str, params: dict[str, Any]
) -> None:
    kglite_store, neo4j_store = both_stores
    bound = bind(kglite_store, library()[name], params)
    whole = paged(kglite_store, name, bound, None)
    pages = [paged(store, name, bound, 2, offset) for offset in (0, 2, 4) for store in (kglite_store, neo4j_store)]
    for kglite_page, neo4j_page in zip(pages[::2], pages[1::2], strict=True):
        assert as_json(kglite_page) == as_json(neo4j_page)
        assert kglite_page["total"] == whole["total"]
    assert [row for page in pages[::2] for row in page["page"]] == whole["page"][:6]


@pytest.mark.parametrize(("query", "params"), API_QUERIES, ids=[f"api-{i}" for i in range(len(API_QUERIES))])
def test_api_query_gives_the_same_rows_on_both_engines(both_stores, query: str, params: dict[str, Any]) -> None:
    kglite_store, neo4j_store = both_stores
    left, right = kglite_store.run(query, params), neo4j_store.run(query, params)
    assert normalise(left) == normalise(right), f"kglite: {left}\nneo4j: {right}"
