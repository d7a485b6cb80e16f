// name: supporters
// description: Who supports a region (or any place inside it), directly or through programs, funds and events, and how many hops away.
// param: region: place — the region: id, name, alias, adcode (141031) or 省市县 path (山西省临汾市隰县)
// column: supporter_id: str — the organisation
// column: supporter: str — its name
// column: kind: str — its kind
// column: hops: int — 1 when it acts on the region itself, 2 through an activity, 3 through a part of an activity
// column: place: str — the region (or the place inside it) where the support lands
// column: through: str — the program, fund or event it acts through (empty when direct)
// column: links: set — the relationships on the way: type, role, evidence, source
MATCH (target:Region {id: $region})
MATCH (place:Region)-[:PART_OF*0..3]->(target)
MATCH (o:Organization)-[r]->(place)
WHERE type(r) IN ['ASSISTS', 'FUNDS', 'LOCATED_IN']
RETURN o.id AS supporter_id, o.name AS supporter, o.kind AS kind, 1 AS hops, place.name AS place,
       null AS through, [{type: type(r), role: r.role, evidence: r.evidence, source: r.source}] AS links
UNION
MATCH (target:Region {id: $region})
MATCH (place:Region)-[:PART_OF*0..3]->(target)
MATCH (part)-[op:OPERATES_IN]->(place)
MATCH (part)-[chain:PART_OF*0..2]->(x)<-[r]-(o:Organization)
WHERE (part:Program OR part:Fund OR part:Event) AND (x:Program OR x:Fund OR x:Event)
WITH o, place, x, op, size(chain) AS depth,
     collect(DISTINCT {type: type(r), role: r.role, evidence: r.evidence, source: r.source}) AS own
RETURN o.id AS supporter_id, o.name AS supporter, o.kind AS kind, 2 + depth AS hops, place.name AS place,
       x.name AS through,
       own + [{type: 'OPERATES_IN', role: null, evidence: op.evidence, source: op.source}] AS links
