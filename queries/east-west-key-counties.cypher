// name: east-west-key-counties
// description: Which eastern provinces and cities assist which designated key counties through paired assistance between places (东西部协作 and the other schemes the sources name): a pairing with the county itself, or with its prefecture or province, which covers it through PART_OF. One row per county, assisting place and paired place, with every source's grade and span. Both the designation (listed_count, total_count, complete) and the pairings are partial: coverage says so.
// param: designation: entity = key-assistance-counties-2021 — the designation (id, name or alias)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: county_id: str — the designated county
// column: county: str — its name
// column: province: str — its province
// column: assisting_id: str — the assisting place
// column: assisting: str — its name
// column: assisting_level: str — province, prefecture or county
// column: assisting_province: str — the assisting place's province (itself for a province)
// column: paired_id: str — the place the pairing names: the county, its prefecture or its province
// column: paired: str — its name
// column: paired_level: str — county, prefecture or province
// column: since: int — the earliest start year any source gives (none when no source gives one)
// column: schemes: set — the schemes as the sources name them (东西部协作 2021 调整 …)
// column: sources: set — each source: id, grade (official, press, reprint, secondary, unverified) and the quoted span
// column: listed_count: int — how many designated counties the dataset holds
// column: total_count: int — how many the official list has
// column: complete: bool — whether the dataset holds the whole list
// column: coverage: str — what the answer can and cannot show
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false. PART_OF hierarchies are timeless.
MATCH (d:Designation {id: $designation})-[:DESIGNATES]->(county:Region)
MATCH (county)-[:PART_OF*0..2]->(paired:Region)<-[a:ASSISTS]-(assisting:Region)
WHERE coalesce(a.valid_from, $time_from) <= $time_to AND coalesce(a.valid_to, $time_to) >= $time_from AND ($undated OR a.period IS NOT NULL)
OPTIONAL MATCH (county)-[:PART_OF*1..2]->(province:Region {level: 'province'})
OPTIONAL MATCH (assisting)-[:PART_OF*0..2]->(assisting_province:Region {level: 'province'})
OPTIONAL MATCH (s:Source) WHERE s.id = a.source
WITH d, county, province, assisting, assisting_province, paired,
     min(a.start_date) AS first_start, collect(DISTINCT a.scheme) AS schemes,
     collect(DISTINCT {source: a.source, grade: s.grade, evidence: a.evidence, period: a.period}) AS sources
RETURN county.id AS county_id, county.name AS county, province.name AS province,
       assisting.id AS assisting_id, assisting.name AS assisting, assisting.level AS assisting_level,
       assisting_province.name AS assisting_province, paired.id AS paired_id, paired.name AS paired,
       paired.level AS paired_level, first_start.year AS since, schemes, sources,
       d.listed_count AS listed_count, d.total_count AS total_count, d.complete AS complete,
       CASE WHEN d.complete THEN 'pairings as far as the bundled sources give them'
            ELSE 'partial: the designation lists ' + toString(d.listed_count) + ' of ' + toString(d.total_count)
                 + ' counties, and the pairings are as far as the bundled sources give them'
       END AS coverage
