// name: neighbourhood
// description: Every relationship within N hops of an entity, with both ends, for maps and exploration.
// param: entity: entity — the centre (id, name or alias)
// param: hops: int = 2 in 1..4 — how far to go
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
// One branch per distance, each skipped unless $hops reaches it: a variable-length bound cannot be a
// parameter, and expanding to the longest bound before filtering would do 4-hop work for 1 hop.
// Each branch finds the nodes one hop short first (DISTINCT), so a node reached along several
// paths — a busy organisation — has its relationships expanded once, not once per path.
MATCH (e {id: $entity}) WHERE e:Entity
CALL (e) {
  MATCH (e)-[r]-()
  RETURN r
  UNION
  WITH e WHERE $hops >= 2
  MATCH (e)--(m)
  WITH DISTINCT m
  MATCH (m)-[r]-()
  RETURN r
  UNION
  WITH e WHERE $hops >= 3
  MATCH (e)--()--(m)
  WITH DISTINCT m
  MATCH (m)-[r]-()
  RETURN r
  UNION
  WITH e WHERE $hops >= 4
  MATCH (e)--()--()--(m)
  WITH DISTINCT m
  MATCH (m)-[r]-()
  RETURN r
}
WITH DISTINCT r
RETURN startNode(r).id AS from_id, startNode(r).name AS from, [l IN labels(startNode(r)) WHERE l <> 'Entity'][0] AS from_label, type(r) AS type,
       endNode(r).id AS to_id, endNode(r).name AS to, [l IN labels(endNode(r)) WHERE l <> 'Entity'][0] AS to_label, r.role AS role,
       r.evidence AS evidence, r.source AS source
