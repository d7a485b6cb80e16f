// name: key-county-reach
// description: Designated key assistance counties that programs, funds and events in the data reach, and who is behind them. The designation list is partial: see listed_count and total_count.
// param: designation: entity = key-assistance-counties-2021 — the designation (id, name or alias)
// column: county_id: str — the designated county
// column: county: str — its name
// column: activity: str — the program, fund or event operating there
// column: organizations: set — who launched, co-founded, funds or runs the activity
// column: listed_count: int — how many designated counties the dataset holds
// column: total_count: int — how many the official list has
// column: complete: bool — whether the dataset holds the whole list
MATCH (d:Designation {id: $designation})-[:DESIGNATES]->(county:Region)
MATCH (place:Region)-[:PART_OF*0..2]->(county)
MATCH (part)-[:OPERATES_IN]->(place)
WHERE part:Program OR part:Fund OR part:Event
OPTIONAL MATCH (o:Organization)-[:LAUNCHED|CO_FOUNDED|FUNDS|IMPLEMENTS|MANAGES_FUNDS|ORGANIZES]->(part)
RETURN DISTINCT county.id AS county_id, county.name AS county, part.name AS activity,
       collect(DISTINCT o.name) AS organizations, d.listed_count AS listed_count, d.total_count AS total_count,
       d.complete AS complete
