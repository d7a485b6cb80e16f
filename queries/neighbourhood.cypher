// name: neighbourhood
// description: Every relationship within N hops of an entity, with both ends, for maps and exploration.
// param: entity: entity — the centre (id, name or alias)
// param: hops: int = 2 in 1..4 — how far to go
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: from_id: str — the relationship's start
// column: from: str — its name
// column: from_label: str — its label
// column: type: str — the relationship type
// column: to_id: str — the relationship's end
// column: to: str — its name
// column: to_label: str — its label
// column: role: str — the actor's role
// column: evidence: str — the quoted span
// column: source: str — the source's id
// column: period: str — when it held, as precisely as the source says (empty: undated)
// column: valid_from: date — the first day it may have held (empty: unknown)
// column: valid_to: date — the last day it may have held (empty: ongoing or unknown)
// One branch per distance, each skipped unless $hops reaches it: a variable-length bound cannot be a
// parameter, and expanding to the longest bound before filtering would do 4-hop work for 1 hop.
// Each branch finds the nodes one hop short first (DISTINCT), so a node reached along several
// paths — a busy organisation — has its relationships expanded once, not once per path.
// Time: the walk goes only along relationships whose interval (valid_from..valid_to, open where
// null) overlaps $time_from..$time_to, and along undated ones unless $undated is false.
MATCH (e {id: $entity}) WHERE e:Entity
CALL (e) {
  MATCH (e)-[r]-()
  WHERE coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
  RETURN r
  UNION
  WITH e WHERE $hops >= 2
  MATCH (e)-[a]-(m)
  WHERE coalesce(a.valid_from, $time_from) <= $time_to AND coalesce(a.valid_to, $time_to) >= $time_from AND ($undated OR a.period IS NOT NULL)
  WITH DISTINCT m
  MATCH (m)-[r]-()
  WHERE coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
  RETURN r
  UNION
  WITH e WHERE $hops >= 3
  MATCH (e)-[a]-()-[b]-(m)
  WHERE coalesce(a.valid_from, $time_from) <= $time_to AND coalesce(a.valid_to, $time_to) >= $time_from AND ($undated OR a.period IS NOT NULL)
    AND coalesce(b.valid_from, $time_from) <= $time_to AND coalesce(b.valid_to, $time_to) >= $time_from AND ($undated OR b.period IS NOT NULL)
  WITH DISTINCT m
  MATCH (m)-[r]-()
  WHERE coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
  RETURN r
  UNION
  WITH e WHERE $hops >= 4
  MATCH (e)-[a]-()-[b]-()-[c]-(m)
  WHERE coalesce(a.valid_from, $time_from) <= $time_to AND coalesce(a.valid_to, $time_to) >= $time_from AND ($undated OR a.period IS NOT NULL)
    AND coalesce(b.valid_from, $time_from) <= $time_to AND coalesce(b.valid_to, $time_to) >= $time_from AND ($undated OR b.period IS NOT NULL)
    AND coalesce(c.valid_from, $time_from) <= $time_to AND coalesce(c.valid_to, $time_to) >= $time_from AND ($undated OR c.period IS NOT NULL)
  WITH DISTINCT m
  MATCH (m)-[r]-()
  WHERE coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
  RETURN r
}
WITH DISTINCT r
RETURN startNode(r).id AS from_id, startNode(r).name AS from,
       [l IN labels(startNode(r)) WHERE l <> 'Entity'][0] AS from_label, type(r) AS type,
       endNode(r).id AS to_id, endNode(r).name AS to, [l IN labels(endNode(r)) WHERE l <> 'Entity'][0] AS to_label,
       r.role AS role, r.evidence AS evidence, r.source AS source, r.period AS period,
       r.valid_from AS valid_from, r.valid_to AS valid_to
