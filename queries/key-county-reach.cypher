// name: key-county-reach
// description: Designated key assistance counties that programs, funds and events in the data reach, how (operating in the county itself, or targeting the list while operating in the county's prefecture or province), and who is behind them. The designation list may be partial: see listed_count, total_count and complete.
// param: designation: entity = key-assistance-counties-2021 — the designation (id, name or alias)
// column: county_id: str — the designated county
// column: county: str — its name
// column: province: str — its province
// column: activity: str — the program, fund or event
// column: basis: str — operates_in_county, or targets_list_in_<level> (the activity targets the list and operates in the county's prefecture or province)
// column: organizations: set — who launched, co-founded, funds, implements or runs the activity
// column: listed_count: int — how many designated counties the dataset holds
// column: total_count: int — how many the official list has
// column: complete: bool — whether the dataset holds the whole list
MATCH (d:Designation {id: $designation})-[:DESIGNATES]->(county:Region)
CALL (d, county) {
  MATCH (place:Region)-[:PART_OF*0..2]->(county)
  MATCH (part)-[:OPERATES_IN]->(place)
  WHERE part:Program OR part:Fund OR part:Event
  RETURN part, 'operates_in_county' AS basis
  UNION
  MATCH (county)-[:PART_OF*1..2]->(area:Region)<-[:OPERATES_IN]-(part)-[:TARGETS]->(d)
  RETURN part, 'targets_list_in_' + area.level AS basis
}
OPTIONAL MATCH (county)-[:PART_OF*1..2]->(province:Region {level: 'province'})
OPTIONAL MATCH (o:Organization)-[:LAUNCHED|CO_FOUNDED|FUNDS|IMPLEMENTS|MANAGES_FUNDS|ORGANIZES]->(part)
RETURN county.id AS county_id, county.name AS county, province.name AS province, part.name AS activity, basis,
       collect(DISTINCT o.name) AS organizations, d.listed_count AS listed_count, d.total_count AS total_count,
       d.complete AS complete
