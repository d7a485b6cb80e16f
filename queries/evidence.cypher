// name: evidence
// description: Every source and quoted span behind the relationships that connect two entities (directly, or along their shortest chains).
// param: a: entity — one entity (id, name or alias)
// param: b: entity — the other
// param: max_hops: int = 4 in 1..6 — the longest chain to consider
// param: max_paths: int = 100 in 1..100000 — read at most this many of the shortest chains (as path does)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: from_id: str — the relationship's start
// column: from: str — its name
// column: type: str — the relationship type
// column: to_id: str — the relationship's end
// column: to: str — its name
// column: role: str — the actor's role in its own words
// column: evidence: str — the quoted span
// column: source_id: str — the source's id
// column: source: str — the source's title
// column: publisher: str — who published it
// column: url: str — its web address
// column: ref: str — its non-web reference (a repository file, a DOI, an ISBN, an archive number)
// column: published: str — when it was published (YYYY, YYYY-MM or YYYY-MM-DD)
// column: grade: str — how far it can be trusted: official, press, reprint, secondary or unverified
// column: period: str — when the relationship held, as precisely as its source says (empty: undated)
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false. PART_OF hierarchies are timeless.
MATCH (a {id: $a}) WHERE a:Entity
MATCH (b {id: $b}) WHERE b:Entity
MATCH p = allShortestPaths((a)-[*..6]-(b))
WHERE length(p) <= $max_hops AND all(r IN relationships(p) WHERE (type(r) IN ['PART_OF', 'REPRINTS'] OR coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)))
WITH p LIMIT $max_paths
UNWIND relationships(p) AS r
WITH DISTINCT r
MATCH (s:Source {id: r.source})
RETURN startNode(r).id AS from_id, startNode(r).name AS from, type(r) AS type, endNode(r).id AS to_id,
       endNode(r).name AS to, r.role AS role, r.evidence AS evidence, s.id AS source_id, s.name AS source,
       s.publisher AS publisher, s.url AS url, s.ref AS ref, s.published AS published, s.grade AS grade,
       r.period AS period
