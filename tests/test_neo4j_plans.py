"""Neo4j finds every entity through an index: no named question plans a scan of every node.

Each named query is EXPLAINed on the real test server holding the bundled data and a synthetic S
graph (so the planner's statistics are those of a real graph, not of a handful of nodes), with
parameters taken from that graph.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import neo4j
import pytest

from conftest import neo4j_settings
from ruralgraph.loading.load import load
from ruralgraph.queries import library, page_bounds
from ruralgraph.resources import data_dir
from ruralgraph.store import open_store
from ruralgraph.tools.synth import write_synthetic


@pytest.fixture(scope="module")
def planned_uri(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test server holding the bundled data and, loaded over it, a synthetic S graph."""
    settings = neo4j_settings(neo4j_uri)
    load([data_dir()], settings, replace=True)
    load([write_synthetic("S", tmp_path_factory.mktemp("synth")).path], settings)
    return neo4j_uri


def realistic_params(uri: str) -> dict[str, Any]:
    """A value for every parameter name the named queries take, each naming something the graph holds."""
    with open_store(neo4j_settings(uri)) as store:
        county = store.run(
            "MATCH (p)-[:OPERATES_IN]->(r:Region {level: 'county'}) RETURN r.id AS id, count(p) AS n "
            "ORDER BY n DESC, id LIMIT 1"
        )[0]["id"]
        program = store.run("MATCH (:Organization {id: 'org-0'})-[:LAUNCHED]->(p:Program) RETURN p.id AS id LIMIT 1")
    activity = program[0]["id"]
    return {
        "entity": "org-100",
        "org": "org-100",
        "activity": activity,
        "a": "org-100",
        "b": county,
        "from": "org-100",
        "to": county,
        "region": county,
        "designation": "key-assistance-counties-2021",
        "text": "org-100",
        "key": "乡村",
        "label": "any",
        "max_hops": 4,
        "hops": 2,
        "types": [],
        "time_from": dt.date(2018, 1, 1),
        "time_to": dt.date(2020, 12, 31),
        "undated": True,
        "max_paths": 100,
    }


def plan_of(uri: str, cypher: str, params: dict[str, Any]) -> dict[str, Any]:
    """The plan Neo4j makes for a query (EXPLAIN: nothing runs)."""
    with neo4j.GraphDatabase.driver(uri, notifications_min_severity="OFF") as driver, driver.session() as session:
        plan = session.run("EXPLAIN " + cypher, params).consume().plan
    assert plan is not None
    return dict(plan)


def operators(plan: dict[str, Any]) -> list[str]:
    """Every operator of a plan tree, by name (``AllNodesScan``, ``NodeUniqueIndexSeek``, …)."""
    name = plan["operatorType"].split("@")[0]
    return [name, *(op for child in plan.get("children", []) for op in operators(child))]


@pytest.mark.parametrize("name", sorted(library()))
def test_no_named_query_scans_every_node(name: str, planned_uri: str) -> None:
    spec = library()[name]
    params = realistic_params(planned_uri)
    given = {param.name: params.get(param.name, param.default) for param in spec.params}  # time: the defaults
    plan = plan_of(planned_uri, spec.paged(), {**given, **page_bounds(100, 0)})
    assert "AllNodesScan" not in operators(plan), f"{name} plans {operators(plan)}"


def test_an_id_is_found_by_the_shared_labels_unique_index(planned_uri: str) -> None:
    from ruralgraph.queries import BY_ID

    assert "NodeUniqueIndexSeek" in operators(plan_of(planned_uri, BY_ID, {"text": "org-100"}))


def test_a_store_written_before_the_shared_label_is_upgraded_by_a_writer_and_refused_to_a_reader(
    empty_settings: Any,
) -> None:
    from ruralgraph.errors import StoreError
    from ruralgraph.queries import resolve

    load([data_dir()], empty_settings)
    with open_store(empty_settings, writable=True) as store:  # as an earlier ruralgraph wrote it
        for label in ("Organization", "Region"):
            store.run(f"MATCH (n:{label}) REMOVE n:Entity", write=True)
    with pytest.raises(StoreError, match=r"written by an earlier ruralgraph: \d+ nodes lack the label Entity"):
        open_store(empty_settings)
    with open_store(empty_settings, writable=True):
        pass  # a writer upgrades it
    with open_store(empty_settings) as store:
        assert store.unlabelled() == 0
        assert resolve(store, "crdf").label == "Organization"
