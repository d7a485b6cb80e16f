// name: key-county-reach
// description: Designated key assistance counties that the data reaches, how (a program, fund or event operating in the county itself, or targeting the list while operating in the county's prefecture or province; or an organisation's direct paired assistance, ASSISTS, to the county or a place in it), and who is behind them. The designation list may be partial: see listed_count, total_count and complete.
// param: designation: entity = key-assistance-counties-2021 — the designation (id, name or alias)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: county_id: str — the designated county
// column: county: str — its name
// column: province: str — its province
// column: activity: str — the program, fund or event (empty for direct assistance)
// column: basis: str — operates_in_county, targets_list_in_<level> (the activity targets the list and operates in the county's prefecture or province), or assists_county (direct ASSISTS)
// column: organizations: set — who launched, co-founded, funds, implements or runs the activity, or who assists the county directly
// column: listed_count: int — how many designated counties the dataset holds
// column: total_count: int — how many the official list has
// column: complete: bool — whether the dataset holds the whole list
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false. PART_OF hierarchies are timeless.
MATCH (d:Designation {id: $designation})-[:DESIGNATES]->(county:Region)
CALL (d, county) {
  MATCH (place:Region)-[:PART_OF*0..2]->(county)
  MATCH (part)-[op:OPERATES_IN]->(place)
  WHERE (part:Program OR part:Fund OR part:Event) AND coalesce(op.valid_from, $time_from) <= $time_to AND coalesce(op.valid_to, $time_to) >= $time_from AND ($undated OR op.period IS NOT NULL)
  RETURN part, 'operates_in_county' AS basis, null AS assister
  UNION
  MATCH (county)-[:PART_OF*1..2]->(area:Region)<-[op:OPERATES_IN]-(part)-[t:TARGETS]->(d)
  WHERE coalesce(op.valid_from, $time_from) <= $time_to AND coalesce(op.valid_to, $time_to) >= $time_from AND ($undated OR op.period IS NOT NULL) AND coalesce(t.valid_from, $time_from) <= $time_to AND coalesce(t.valid_to, $time_to) >= $time_from AND ($undated OR t.period IS NOT NULL)
  RETURN part, 'targets_list_in_' + area.level AS basis, null AS assister
  UNION
  MATCH (place:Region)-[:PART_OF*0..2]->(county)
  MATCH (assister:Organization)-[a:ASSISTS]->(place)
  WHERE coalesce(a.valid_from, $time_from) <= $time_to AND coalesce(a.valid_to, $time_to) >= $time_from AND ($undated OR a.period IS NOT NULL)
  RETURN null AS part, 'assists_county' AS basis, assister
}
OPTIONAL MATCH (county)-[:PART_OF*1..2]->(province:Region {level: 'province'})
OPTIONAL MATCH (o:Organization)-[b:LAUNCHED|CO_FOUNDED|FUNDS|IMPLEMENTS|MANAGES_FUNDS|ORGANIZES]->(part)
  WHERE coalesce(b.valid_from, $time_from) <= $time_to AND coalesce(b.valid_to, $time_to) >= $time_from AND ($undated OR b.period IS NOT NULL)
WITH d, county, province, part, basis, collect(DISTINCT o.name) AS behind, collect(DISTINCT assister.name) AS assisting
RETURN county.id AS county_id, county.name AS county, province.name AS province, part.name AS activity, basis,
       behind + assisting AS organizations, d.listed_count AS listed_count, d.total_count AS total_count,
       d.complete AS complete
