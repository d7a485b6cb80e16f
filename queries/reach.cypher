// name: reach
// description: The regions an organisation (or a program, fund or event) reaches: through its programs, funds and events (OPERATES_IN), or directly by paired assistance (ASSISTS), rolled up to prefecture and province.
// param: entity: entity — an organisation, program, fund or event (id, name or alias)
// column: region_id: str — the region reached
// column: region: str — its name
// column: level: str — province, prefecture or county
// column: adcode: str — its official code
// column: prefecture: str — the prefecture it lies in (itself, for a prefecture)
// column: province: str — the province it lies in (itself, for a province)
// column: through: set — what reaches it: id, name, and how (OPERATES_IN for a program, fund or event; ASSISTS for the organisation's own paired assistance)
// column: evidence: set — the OPERATES_IN or ASSISTS statements: activity (who), how, evidence, source
MATCH (e {id: $entity}) WHERE e:Entity
CALL (e) {
  MATCH (e)-[*0..1]->(x) WHERE x:Program OR x:Fund OR x:Event
  MATCH (part)-[:PART_OF*0..2]->(x) WHERE part:Program OR part:Fund OR part:Event
  MATCH (part)-[op:OPERATES_IN]->(reg:Region)
  RETURN reg, part, op, 'OPERATES_IN' AS how
  UNION
  MATCH (e)-[op:ASSISTS]->(reg:Region)
  RETURN reg, e AS part, op, 'ASSISTS' AS how
}
OPTIONAL MATCH (reg)-[:PART_OF*0..2]->(pref:Region {level: 'prefecture'})
OPTIONAL MATCH (reg)-[:PART_OF*0..2]->(prov:Region {level: 'province'})
RETURN reg.id AS region_id, reg.name AS region, reg.level AS level, reg.adcode AS adcode,
       pref.name AS prefecture, prov.name AS province,
       collect(DISTINCT {id: part.id, name: part.name, how: how}) AS through,
       collect(DISTINCT {activity: part.id, how: how, evidence: op.evidence, source: op.source}) AS evidence
