"""Checks that need every input at once, and the batch that a store writes.

One file's records are validated by their reader; here the records of all inputs meet: ids must
not clash, every reference must resolve (to this load or to what the store already holds), each
relationship must join the labels its type allows, and PART_OF must not go round in a circle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
from rapidfuzz import process

from ruralgraph.batch import GraphBatch
from ruralgraph.errors import InvalidInput, Problem
from ruralgraph.model import RELATIONSHIP_RULES, Node, Relationship
from ruralgraph.records import Records, Where

LabelLookup = Callable[[Iterable[str]], dict[str, str]]  # ids → label, for ids the store already has


def build_batch(records: Records, known_in_store: LabelLookup | None = None) -> GraphBatch:
    """Validate the records as a whole and group them for writing; raise ``InvalidInput`` otherwise."""
    problems: list[Problem] = []
    nodes = _unique_nodes(records.nodes, problems)
    problems.extend(_shared_uscc(nodes))
    relationships = _unique_relationships(records.relationships, problems)
    labels = {node_id: node.label for node_id, (node, _) in nodes.items()}
    referenced = {ref for rel, _ in relationships.values() for ref in (rel.from_, rel.to, rel.source)}
    missing = referenced - labels.keys()
    if missing and known_in_store is not None:
        labels.update(known_in_store(missing))
    for rel, where in relationships.values():
        problems.extend(_endpoint_problems(rel, where, labels))
    problems.extend(_part_of_cycles(relationships.values()))
    if problems:
        raise InvalidInput(problems)
    batch = GraphBatch()
    for node_id, (node, _) in nodes.items():
        batch.add_node(node.label, node_id, node.properties())
    for rel, _ in relationships.values():
        batch.add_relationship((rel.type, labels[rel.from_], labels[rel.to]), rel.from_, rel.to, rel.source,
                               rel.properties())
    return batch


def _unique_nodes(located: list[tuple[Node, Where]], problems: list[Problem]) -> dict[str, tuple[Node, Where]]:
    """One node per id; a repeated declaration must say exactly the same thing."""
    nodes: dict[str, tuple[Node, Where]] = {}
    for node, where in located:
        first = nodes.get(node.id)
        if first is None:
            nodes[node.id] = (node, where)
            continue
        first_node, first_where = first
        if first_node.label != node.label:
            problems.append(Problem(where.file, where.line, "id",
                                    f"id {node.id!r} is already a {first_node.label} (at {first_where}); "
                                    f"ids are unique across the dataset"))
        elif first_node.properties() != node.properties():
            fields = _differing_fields(first_node.properties(), node.properties())
            problems.append(Problem(where.file, where.line, "id",
                                    f"{node.label} {node.id!r} is declared again with different "
                                    f"{', '.join(fields)} (first at {first_where}); declare it once and refer to it"))
    return nodes


def _shared_uscc(nodes: dict[str, tuple[Node, Where]]) -> list[Problem]:
    """Two ids with one 统一社会信用代码 are one organisation declared twice."""
    problems = []
    first_by_code: dict[str, tuple[str, Where]] = {}
    for node_id, (node, where) in nodes.items():
        code = getattr(node, "uscc", None)
        if code is None:
            continue
        if code in first_by_code:
            other, other_where = first_by_code[code]
            problems.append(Problem(where.file, where.line, "uscc",
                                    f"{node_id!r} has the same 统一社会信用代码 {code} as {other!r} (at {other_where}): "
                                    "one organisation, one node; merge them (ruralgraph dedupe --confirm)"))
        else:
            first_by_code[code] = (node_id, where)
    return problems


def _unique_relationships(
    located: list[tuple[Relationship, Where]], problems: list[Problem]
) -> dict[tuple[str, str, str, str], tuple[Relationship, Where]]:
    """One relationship per (from, type, to, source); a repeat must say exactly the same thing."""
    relationships: dict[tuple[str, str, str, str], tuple[Relationship, Where]] = {}
    for rel, where in located:
        first = relationships.get(rel.key)
        if first is None:
            relationships[rel.key] = (rel, where)
        elif first[0].properties() != rel.properties():
            fields = _differing_fields(first[0].properties(), rel.properties())
            problems.append(Problem(where.file, where.line, "relationship",
                                    f"{rel.from_} -{rel.type}-> {rel.to} from source {rel.source} is stated again "
                                    f"with different {', '.join(fields)} (first at {first[1]})"))
    return relationships


def _differing_fields(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    return sorted(key for key in first.keys() | second.keys() if first.get(key) != second.get(key))


def _endpoint_problems(rel: Relationship, where: Where, labels: dict[str, str]) -> list[Problem]:
    """Dangling references and endpoints of a label the relationship type does not allow."""
    problems = []
    rule = RELATIONSHIP_RULES[rel.type]
    for field, ref, allowed in (("from", rel.from_, rule.from_labels), ("to", rel.to, rule.to_labels),
                                ("source", rel.source, ("Source",))):
        label = labels.get(ref)
        if label is None:
            problems.append(Problem(where.file, where.line, field,
                                    f"no node has id {ref!r}{_closest_hint(ref, labels)}"))
        elif label not in allowed:
            what = "source" if field == "source" else f"{rel.type} {field}"
            problems.append(Problem(where.file, where.line, field,
                                    f"{ref!r} is a {label}, but a {what} must be a {' or '.join(allowed)}"))
    if rel.from_ == rel.to and rel.type == "PART_OF":
        problems.append(Problem(where.file, where.line, "to", f"{rel.from_!r} cannot be PART_OF itself"))
    return problems


def _closest_hint(ref: str, labels: dict[str, str]) -> str:
    matches = process.extract(ref, list(labels), limit=3, score_cutoff=60)
    return f" (closest: {', '.join(match for match, _, _ in matches)})" if matches else ""


def _part_of_cycles(relationships: Iterable[tuple[Relationship, Where]]) -> list[Problem]:
    """A PART_OF chain that returns to where it started (a region inside itself)."""
    graph = nx.DiGraph()
    for rel, where in relationships:
        if rel.type == "PART_OF" and rel.from_ != rel.to:
            graph.add_edge(rel.from_, rel.to, where=where)
    problems = []
    for cycle in nx.simple_cycles(graph):
        start, end = cycle[-1], cycle[0]
        where = graph.edges[start, end]["where"]
        chain = " → ".join([*cycle, cycle[0]])
        problems.append(Problem(where.file, where.line, "to", f"PART_OF goes round in a circle: {chain}"))
    return problems
