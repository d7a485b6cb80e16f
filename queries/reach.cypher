// name: reach
// description: The regions an organisation (or a program, fund or event) reaches: through its programs, funds and events (OPERATES_IN), or directly by paired assistance (ASSISTS), rolled up to prefecture and province.
// param: entity: entity — an organisation, program, fund or event (id, name or alias)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: region_id: str — the region reached
// column: region: str — its name
// column: level: str — province, prefecture or county
// column: adcode: str — its official code
// column: prefecture: str — the prefecture it lies in (itself, for a prefecture)
// column: province: str — the province it lies in (itself, for a province)
// column: through: set — what reaches it: id, name, and how (OPERATES_IN for a program, fund or event; ASSISTS for the organisation's own paired assistance)
// column: evidence: set — the OPERATES_IN or ASSISTS statements: activity (who), how, evidence, source, period
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false. PART_OF hierarchies are timeless.
MATCH (e {id: $entity}) WHERE e:Entity
CALL (e) {
  MATCH (e)-[via*0..1]->(x) WHERE (x:Program OR x:Fund OR x:Event)
    AND all(v IN via WHERE coalesce(v.valid_from, $time_from) <= $time_to AND coalesce(v.valid_to, $time_to) >= $time_from AND ($undated OR v.period IS NOT NULL))
  MATCH (part)-[:PART_OF*0..2]->(x) WHERE part:Program OR part:Fund OR part:Event
  MATCH (part)-[op:OPERATES_IN]->(reg:Region)
  WHERE coalesce(op.valid_from, $time_from) <= $time_to AND coalesce(op.valid_to, $time_to) >= $time_from AND ($undated OR op.period IS NOT NULL)
  RETURN reg, part, op, 'OPERATES_IN' AS how
  UNION
  MATCH (e)-[op:ASSISTS]->(reg:Region)
  WHERE coalesce(op.valid_from, $time_from) <= $time_to AND coalesce(op.valid_to, $time_to) >= $time_from AND ($undated OR op.period IS NOT NULL)
  RETURN reg, e AS part, op, 'ASSISTS' AS how
}
// Grouped by the region's id first, so the prefecture and province are looked up once per region,
// not once per statement that reaches it (a hub's 2,846 regions, not its 49,445 statements).
WITH reg.id AS region_id, collect(DISTINCT {id: part.id, name: part.name, how: how}) AS through,
     collect(DISTINCT {activity: part.id, how: how, evidence: op.evidence, source: op.source, period: op.period}) AS evidence
MATCH (reg:Region {id: region_id})
OPTIONAL MATCH (reg)-[:PART_OF*0..2]->(pref:Region {level: 'prefecture'})
OPTIONAL MATCH (reg)-[:PART_OF*0..2]->(prov:Region {level: 'province'})
RETURN region_id, reg.name AS region, reg.level AS level, reg.adcode AS adcode,
       pref.name AS prefecture, prov.name AS province, through, evidence
