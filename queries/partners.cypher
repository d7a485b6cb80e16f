// name: partners
// description: Organisations that share a program, fund, event or case with an organisation, or are linked to it directly: one row per partner, with how much they share, most first.
// param: org: entity — the organisation (id, name or alias)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: partner_id: str — the partner's id
// column: partner: str — the partner's name
// column: partner_kind: str — the partner's kind (foundation, enterprise, group …)
// column: shared_count: int — how many programs, funds, events and cases both are linked to
// column: direct_count: int — how many relationships link the two directly (0: none)
// column: shared: set — what they share: id, name, label (Program, Fund, Event or Case)
// column: org_links: set — the organisation's links, summarised: type, role and period (FEATURED_IN for a case; direct links too)
// column: partner_links: set — the partner's links, summarised: type, role and period
// order: `shared_count` + `direct_count` DESC
// order: `partner_id`
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false. PART_OF hierarchies are timeless.
// Each branch yields (partner, what is shared or the direct link, each side's type and role); they
// are then counted per partner, so a hub's answer has a row per partner, not per shared activity.
// `why ORG PARTNER` gives the evidence behind any of them.
MATCH (o:Organization {id: $org})
CALL (o) {
  MATCH (o)-[r1]->(x)<-[r2]-(p:Organization)
  WHERE p.id <> o.id AND (x:Program OR x:Fund OR x:Event)
    AND coalesce(r1.valid_from, $time_from) <= $time_to AND coalesce(r1.valid_to, $time_to) >= $time_from AND ($undated OR r1.period IS NOT NULL)
    AND coalesce(r2.valid_from, $time_from) <= $time_to AND coalesce(r2.valid_to, $time_to) >= $time_from AND ($undated OR r2.period IS NOT NULL)
  RETURN p, x, null AS link, {type: type(r1), role: r1.role, period: r1.period} AS mine, {type: type(r2), role: r2.role, period: r2.period} AS theirs
  UNION
  MATCH (o)<-[r1:FEATURES]-(c:`Case`)-[r2:FEATURES]->(p:Organization)
  WHERE p.id <> o.id AND coalesce(r1.valid_from, $time_from) <= $time_to AND coalesce(r1.valid_to, $time_to) >= $time_from AND ($undated OR r1.period IS NOT NULL)
    AND coalesce(r2.valid_from, $time_from) <= $time_to AND coalesce(r2.valid_to, $time_to) >= $time_from AND ($undated OR r2.period IS NOT NULL)
  RETURN p, c AS x, null AS link, {type: 'FEATURED_IN', role: r1.role, period: r1.period} AS mine, {type: 'FEATURED_IN', role: r2.role, period: r2.period} AS theirs
  UNION
  MATCH (o)-[r]-(p:Organization)
  WHERE p.id <> o.id AND coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
  RETURN p, null AS x, startNode(r).id + ' ' + type(r) + ' ' + r.source AS link,
         CASE WHEN startNode(r).id = o.id THEN {type: type(r), role: r.role, period: r.period} END AS mine,
         CASE WHEN startNode(r).id = o.id THEN null ELSE {type: type(r), role: r.role, period: r.period} END AS theirs
}
WITH p.id AS partner_id, p.name AS partner, p.kind AS partner_kind, count(DISTINCT x.id) AS shared_count,
     count(DISTINCT link) AS direct_count,
     collect(DISTINCT CASE WHEN x IS NOT NULL THEN {id: x.id, name: x.name, label: [l IN labels(x) WHERE l <> 'Entity'][0]} END) AS shared,
     collect(DISTINCT mine) AS org_links, collect(DISTINCT theirs) AS partner_links
RETURN partner_id, partner, partner_kind, shared_count, direct_count, shared, org_links, partner_links
