// name: key-counties-of
// description: Which of an organisation's (or a place's) counties are designated key counties: the counties it assists (ASSISTS), directly or through a prefecture or province it is paired with, each with whether the designation lists it. Only counties the dataset holds can appear under a prefecture or province, so for those only the key counties are known; coverage says so.
// param: entity: entity — the organisation or place (id, name or alias)
// param: designation: entity = key-assistance-counties-2021 — the designation (id, name or alias)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: county_id: str — a county the entity assists
// column: county: str — its name
// column: province: str — its province
// column: key_county: bool — whether the designation lists it
// column: via_id: str — what the entity's ASSISTS names: the county itself, or its prefecture or province
// column: via: str — its name
// column: via_level: str — county, prefecture or province
// column: sources: set — each source: id, grade and the quoted span
// column: listed_count: int — how many designated counties the dataset holds
// column: total_count: int — how many the official list has
// column: complete: bool — whether the dataset holds the whole list
// column: coverage: str — what the row can and cannot show
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false. PART_OF hierarchies are timeless.
MATCH (d:Designation {id: $designation})
CALL (d) {
  MATCH (o:Organization {id: $entity})-[a:ASSISTS]->(via:Region)
  WHERE coalesce(a.valid_from, $time_from) <= $time_to AND coalesce(a.valid_to, $time_to) >= $time_from AND ($undated OR a.period IS NOT NULL)
  RETURN a, via
  UNION
  MATCH (o:Region {id: $entity})-[a:ASSISTS]->(via:Region)
  WHERE coalesce(a.valid_from, $time_from) <= $time_to AND coalesce(a.valid_to, $time_to) >= $time_from AND ($undated OR a.period IS NOT NULL)
  RETURN a, via
}
MATCH (county:Region {level: 'county'})-[:PART_OF*0..2]->(via)
OPTIONAL MATCH (county)-[:PART_OF*1..2]->(province:Region {level: 'province'})
OPTIONAL MATCH (d)-[listed:DESIGNATES]->(county)
OPTIONAL MATCH (s:Source) WHERE s.id = a.source
WITH d, county, province, via, count(listed) > 0 AS key_county,
     collect(DISTINCT {source: a.source, grade: s.grade, evidence: a.evidence, period: a.period}) AS sources
WHERE via.level = 'county' OR key_county
RETURN county.id AS county_id, county.name AS county, province.name AS province, key_county,
       via.id AS via_id, via.name AS via, via.level AS via_level, sources,
       d.listed_count AS listed_count, d.total_count AS total_count, d.complete AS complete,
       CASE WHEN via.level = 'county' AND (key_county OR d.complete) THEN 'complete for this county'
            WHEN via.level = 'county' THEN 'not in the ' + toString(d.listed_count) + ' listed counties; the list is partial ('
                 + toString(d.listed_count) + ' of ' + toString(d.total_count) + ')'
            ELSE 'through a ' + via.level + ': only its designated counties are shown, and the list is '
                 + CASE WHEN d.complete THEN 'complete' ELSE 'partial (' + toString(d.listed_count) + ' of '
                 + toString(d.total_count) + ')' END
       END AS coverage
