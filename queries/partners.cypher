// name: partners
// description: Organisations that share a program, fund, event or case with an organisation, or are linked to it directly.
// param: org: entity — the organisation (id, name or alias)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: partner_id: str — the partner's id
// column: partner: str — the partner's name
// column: partner_kind: str — the partner's kind (foundation, enterprise, group …)
// column: via: str — shared (a program, fund, event or case both are linked to) or direct
// column: shared_id: str — what they share, or the partner's id for a direct link
// column: shared: str — its name
// column: shared_label: str — Program, Fund, Event, Case, or Organization for a direct link
// column: org_links: set — the organisation's relationships to it: type, role, evidence, source, period
// column: partner_links: set — the partner's relationships to it: type, role, evidence, source, period
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false. PART_OF hierarchies are timeless.
MATCH (o:Organization {id: $org})-[r1]->(x)<-[r2]-(p:Organization)
WHERE p.id <> o.id AND (x:Program OR x:Fund OR x:Event)
  AND coalesce(r1.valid_from, $time_from) <= $time_to AND coalesce(r1.valid_to, $time_to) >= $time_from AND ($undated OR r1.period IS NOT NULL)
  AND coalesce(r2.valid_from, $time_from) <= $time_to AND coalesce(r2.valid_to, $time_to) >= $time_from AND ($undated OR r2.period IS NOT NULL)
WITH o, p, x,
     collect(DISTINCT {type: type(r1), role: r1.role, evidence: r1.evidence, source: r1.source, period: r1.period}) AS org_links,
     collect(DISTINCT {type: type(r2), role: r2.role, evidence: r2.evidence, source: r2.source, period: r2.period}) AS partner_links
RETURN p.id AS partner_id, p.name AS partner, p.kind AS partner_kind, 'shared' AS via,
       x.id AS shared_id, x.name AS shared, [l IN labels(x) WHERE l <> 'Entity'][0] AS shared_label, org_links, partner_links
UNION
MATCH (c:`Case`)-[r1:FEATURES]->(o:Organization {id: $org}), (c)-[r2:FEATURES]->(p:Organization)
WHERE p.id <> o.id AND coalesce(r1.valid_from, $time_from) <= $time_to AND coalesce(r1.valid_to, $time_to) >= $time_from AND ($undated OR r1.period IS NOT NULL)
  AND coalesce(r2.valid_from, $time_from) <= $time_to AND coalesce(r2.valid_to, $time_to) >= $time_from AND ($undated OR r2.period IS NOT NULL)
RETURN p.id AS partner_id, p.name AS partner, p.kind AS partner_kind, 'shared' AS via,
       c.id AS shared_id, c.name AS shared, 'Case' AS shared_label,
       [{type: 'FEATURED_IN', role: r1.role, evidence: r1.evidence, source: r1.source, period: r1.period}] AS org_links,
       [{type: 'FEATURED_IN', role: r2.role, evidence: r2.evidence, source: r2.source, period: r2.period}] AS partner_links
UNION
MATCH (o:Organization {id: $org})-[r]-(p:Organization)
WHERE p.id <> o.id AND coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
WITH o, p, collect(DISTINCT {type: type(r), role: r.role, evidence: r.evidence, source: r.source, period: r.period,
                             direction: CASE WHEN startNode(r).id = o.id THEN 'out' ELSE 'in' END}) AS links
RETURN p.id AS partner_id, p.name AS partner, p.kind AS partner_kind, 'direct' AS via,
       p.id AS shared_id, p.name AS shared, 'Organization' AS shared_label,
       [l IN links WHERE l.direction = 'out'] AS org_links, [l IN links WHERE l.direction = 'in'] AS partner_links
