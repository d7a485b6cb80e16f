// name: supporters
// description: Who supports a region (or any place inside it), directly or through programs, funds and events, and how many hops away.
// param: region: place — the region: id, name, alias, adcode (141031) or 省市县 path (山西省临汾市隰县)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: supporter_id: str — the organisation
// column: supporter: str — its name
// column: kind: str — its kind
// column: hops: int — 1 when it acts on the region itself, 2 through an activity, 3 through a part of an activity
// column: place: str — the region (or the place inside it) where the support lands
// column: through: str — the program, fund or event it acts through (empty when direct)
// column: links: set — the relationships on the way: type, role, evidence, source, period
// order: `supporter_id`
// order: `hops`
// order: `place`
// order: `through`
// order: `_key`
// _key (not a column) tells apart rows that differ only in their links: the same supporter, place
// and activity by two statements. It orders them the same way on both engines.
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false. PART_OF hierarchies are timeless.
MATCH (target:Region {id: $region})
MATCH (place:Region)-[:PART_OF*0..3]->(target)
MATCH (o:Organization)-[r]->(place)
WHERE type(r) IN ['ASSISTS', 'FUNDS', 'LOCATED_IN'] AND coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
RETURN o.id AS supporter_id, o.name AS supporter, o.kind AS kind, 1 AS hops, place.name AS place,
       null AS through, [{type: type(r), role: r.role, evidence: r.evidence, source: r.source, period: r.period}] AS links,
       type(r) + ' ' + coalesce(r.source, '') + ' ' + coalesce(r.evidence, '') + ' ' + coalesce(r.period, '') AS _key
UNION
MATCH (target:Region {id: $region})
MATCH (place:Region)-[:PART_OF*0..3]->(target)
MATCH (part)-[op:OPERATES_IN]->(place)
MATCH (part)-[chain:PART_OF*0..2]->(x)<-[r]-(o:Organization)
WHERE (part:Program OR part:Fund OR part:Event) AND (x:Program OR x:Fund OR x:Event)
  AND coalesce(op.valid_from, $time_from) <= $time_to AND coalesce(op.valid_to, $time_to) >= $time_from AND ($undated OR op.period IS NOT NULL) AND coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
// Grouped by ids and values, not by nodes and relationships (kglite groups scalars several times
// faster): o, place and x by their ids, op by its identity (part, place, source: one OPERATES_IN per
// source) and the values the row shows of it; the groups are the same.
WITH o.id AS supporter_id, o.name AS supporter, o.kind AS kind, place.id AS place_id, place.name AS place,
     x.id AS through_id, x.name AS through, part.id AS part_id, op.source AS op_source, op.evidence AS op_evidence,
     op.period AS op_period, size(chain) AS depth,
     collect(DISTINCT {type: type(r), role: r.role, evidence: r.evidence, source: r.source, period: r.period}) AS own
RETURN supporter_id, supporter, kind, 2 + depth AS hops, place, through,
       own + [{type: 'OPERATES_IN', role: null, evidence: op_evidence, source: op_source, period: op_period}] AS links,
       'OPERATES_IN ' + coalesce(op_source, '') + ' ' + coalesce(op_evidence, '') + ' ' + coalesce(op_period, '') AS _key
