// name: path
// description: The shortest chains between two entities, each hop with its relationship, role and evidence.
// param: from: entity — where the chains start (id, name or alias)
// param: to: entity — where they end
// param: max_hops: int = 4 in 1..6 — the longest chain to consider
// param: types: list = [] — only these relationship types (empty: all)
// param: max_paths: int = 100 in 1..100000 — enumerate at most this many chains (the answer says when it reaches the cap)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: hops: int — the chain's length
// column: nodes: list — the entities along the chain: id, name, label
// column: steps: list — each hop: from, type, to, role, evidence, source, period (direction as stored)
// order: `hops`
// order: `_chain`
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false. PART_OF hierarchies are timeless.
// Only the shortest chains are enumerated (allShortestPaths), and at most $max_paths of them: between
// two hubs there can be millions. Past the cap, which of the equally short chains are kept is the
// engine's choice; the kept ones are ordered by their ids (_chain), the same on both engines.
MATCH (a {id: $from}) WHERE a:Entity
MATCH (b {id: $to}) WHERE b:Entity
MATCH p = allShortestPaths((a)-[*..6]-(b))
WHERE length(p) <= $max_hops
  AND all(r IN relationships(p) WHERE (size($types) = 0 OR type(r) IN $types)
          AND (type(r) IN ['PART_OF', 'REPRINTS'] OR coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)))
WITH p LIMIT $max_paths
RETURN length(p) AS hops,
       [n IN nodes(p) | {id: n.id, name: n.name, label: [l IN labels(n) WHERE l <> 'Entity'][0]}] AS nodes,
       [r IN relationships(p) | {from: startNode(r).id, type: type(r), to: endNode(r).id, role: r.role,
                                  evidence: r.evidence, source: r.source, period: r.period}] AS steps,
       reduce(s = '', n IN nodes(p) | s + n.id + ' ')
         + reduce(s = '', r IN relationships(p) | s + '|' + type(r) + ' ' + coalesce(r.source, '') + ' '
                  + coalesce(r.role, '') + ' ' + coalesce(r.evidence, '')) AS _chain
