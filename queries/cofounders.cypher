// name: cofounders
// description: Who co-founded or launched a program, fund or event, with each one's role.
// param: activity: entity — the program, fund or event (id, name or alias)
// column: org_id: str — the organisation
// column: organization: str — its name
// column: kind: str — its kind
// column: type: str — CO_FOUNDED or LAUNCHED
// column: role: str — its role in its own words
// column: evidence: str — the span that states it
// column: source: str — the source's id
MATCH (a {id: $activity}) WHERE a:Entity MATCH (o:Organization)-[r:CO_FOUNDED|LAUNCHED]->(a)
RETURN o.id AS org_id, o.name AS organization, o.kind AS kind, type(r) AS type, r.role AS role,
       r.evidence AS evidence, r.source AS source
