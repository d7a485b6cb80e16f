// name: participants
// description: Every organisation with a part in a program, fund or event (or in its parts), by relationship type and role.
// param: activity: entity — the program, fund or event (id, name or alias)
// column: org_id: str — the organisation
// column: organization: str — its name
// column: kind: str — its kind
// column: part: str — the activity it acts on (the one asked about, or a part of it)
// column: type: str — the relationship type (LAUNCHED, MANAGES_FUNDS, SIGNED …)
// column: role: str — its role in its own words
// column: evidence: str — the span that states it
// column: source: str — the source's id
MATCH (a {id: $activity}) WHERE a:Entity
MATCH (part)-[:PART_OF*0..2]->(a)
MATCH (o:Organization)-[r]->(part)
RETURN o.id AS org_id, o.name AS organization, o.kind AS kind, part.name AS part, type(r) AS type,
       r.role AS role, r.evidence AS evidence, r.source AS source
