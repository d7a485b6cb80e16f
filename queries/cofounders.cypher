// name: cofounders
// description: Who co-founded or launched a program, fund or event, with each one's role.
// param: activity: entity — the program, fund or event (id, name or alias)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: org_id: str — the organisation
// column: organization: str — its name
// column: kind: str — its kind
// column: type: str — CO_FOUNDED or LAUNCHED
// column: role: str — its role in its own words
// column: evidence: str — the span that states it
// column: source: str — the source's id
// column: period: str — when, as precisely as the source says (empty: undated)
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false. PART_OF hierarchies are timeless.
MATCH (a {id: $activity}) WHERE a:Entity MATCH (o:Organization)-[r:CO_FOUNDED|LAUNCHED]->(a)
WHERE coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
RETURN o.id AS org_id, o.name AS organization, o.kind AS kind, type(r) AS type, r.role AS role,
       r.evidence AS evidence, r.source AS source, r.period AS period
