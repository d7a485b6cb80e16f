// name: path
// description: The shortest chains between two entities, each hop with its relationship, role and evidence.
// param: from: entity — where the chains start (id, name or alias)
// param: to: entity — where they end
// param: max_hops: int = 4 in 1..6 — the longest chain to consider
// param: types: list = [] — only these relationship types (empty: all)
// column: hops: int — the chain's length
// column: nodes: list — the entities along the chain: id, name, label
// column: steps: list — each hop: from, type, to, role, evidence, source (direction as stored)
MATCH (a {id: $from}) WHERE a:Entity
MATCH (b {id: $to}) WHERE b:Entity
MATCH p = allShortestPaths((a)-[*..6]-(b))
WHERE length(p) <= $max_hops AND all(r IN relationships(p) WHERE size($types) = 0 OR type(r) IN $types)
RETURN length(p) AS hops,
       [n IN nodes(p) | {id: n.id, name: n.name, label: [l IN labels(n) WHERE l <> 'Entity'][0]}] AS nodes,
       [r IN relationships(p) | {from: startNode(r).id, type: type(r), to: endNode(r).id, role: r.role,
                                  evidence: r.evidence, source: r.source}] AS steps
