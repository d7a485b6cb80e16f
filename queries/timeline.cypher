// name: timeline
// description: An entity's relationships in time order, earliest first and undated last, each with its time as the source gives it and its evidence.
// param: entity: entity — any entity (id, name or alias)
// param: time_from: date = 0001-01-01 — keep relationships in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep relationships in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep relationships that carry no time (false: --dated-only)
// column: period: str — when, as precisely as the source says (empty: undated)
// column: valid_from: date — the first day it may have held (empty: unknown)
// column: valid_to: date — the last day it may have held (empty: ongoing or unknown)
// column: time_text: str — the time in the source's words (以来, 截至 …)
// column: direction: str — out (the entity acts) or in (it is acted on)
// column: type: str — the relationship type
// column: other_id: str — the other end
// column: other: str — its name
// column: other_label: str — its label
// column: role: str — the actor's role in its own words
// column: amount_text: str — an amount, as written
// column: evidence: str — the span that states it
// column: source: str — the source's id
// order: `valid_from` IS NULL AND `valid_to` IS NULL
// order: coalesce(`valid_from`, `valid_to`)
// order: `valid_to`
// order: `type`
// order: `other_id`
// Time: a relationship counts when its interval (valid_from..valid_to, open where null) overlaps
// $time_from..$time_to; one with no time counts unless $undated is false.
// Order: dated first, by the first day it may have held (else its last), then by its last day
// (open last); undated last; then by type and what it links to.
MATCH (e {id: $entity}) WHERE e:Entity
MATCH (e)-[r]-(other)
WHERE coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
RETURN r.period AS period, r.valid_from AS valid_from, r.valid_to AS valid_to, r.time_text AS time_text,
       CASE WHEN startNode(r).id = e.id THEN 'out' ELSE 'in' END AS direction, type(r) AS type,
       other.id AS other_id, other.name AS other, [l IN labels(other) WHERE l <> 'Entity'][0] AS other_label, r.role AS role,
       r.amount_text AS amount_text, r.evidence AS evidence, r.source AS source
