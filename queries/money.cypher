// name: money
// description: Amounts committed, raised, donated or managed by or for an entity, in yuan, with the text they came from; each relationship once.
// param: entity: entity — an organisation, program, fund or event (id, name or alias)
// param: time_from: date = 0001-01-01 — keep amounts in force on or after this (YYYY, YYYY-MM or YYYY-MM-DD; --as-of, --between)
// param: time_to: date_end = 9999-12-31 — keep amounts in force on or before this (a partial date means its last day)
// param: undated: bool = true — keep amounts that carry no time (false: --dated-only)
// column: direction: str — given (the entity acts) or received (it is acted on)
// column: counterparty_id: str — the other side
// column: counterparty: str — its name
// column: type: str — the relationship type (COMMITS, FUNDS, RAISES_FUNDS …)
// column: amount_cny: int — the amount in yuan (empty when the source lost the number)
// column: amount_text: str — the amount as written
// column: qualifier: str — at_least, about or at_most, when the text says so
// column: amount_of: str — what kind of amount: principal, donation, grant, commitment, investment, raised, budget, other
// column: amount_label: str — what it is in the source's words (首期承诺公益投入)
// column: amount_id: str — the amount's name, when another amount is part of it
// column: part_of: str — the amount_id of the amount this one is part of (其中)
// column: year: int — the year it refers to: of as_of, else date, else start, else end (empty: undated)
// column: period: str — when, as precisely as the source says
// column: time_text: str — the time in the source's words
// column: evidence: str — the span that states it
// column: source: str — the source's id
// Time: an amount counts when its relationship's interval (valid_from..valid_to, open where null)
// overlaps $time_from..$time_to; one with no time counts unless $undated is false.
MATCH (e {id: $entity}) WHERE e:Entity MATCH (e)-[r]->(other)
WHERE (r.amount_text IS NOT NULL OR r.amount_cny IS NOT NULL)
  AND coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
RETURN 'given' AS direction, other.id AS counterparty_id, other.name AS counterparty, type(r) AS type,
       r.amount_cny AS amount_cny, r.amount_text AS amount_text, r.amount_qualifier AS qualifier,
       r.amount_of AS amount_of, r.amount_label AS amount_label, r.amount_id AS amount_id, r.part_of AS part_of,
       coalesce(r.as_of, r.date, r.start_date, r.end_date).year AS year, r.period AS period, r.time_text AS time_text,
       r.evidence AS evidence, r.source AS source
UNION
MATCH (e {id: $entity}) WHERE e:Entity MATCH (e)<-[r]-(other)
WHERE (r.amount_text IS NOT NULL OR r.amount_cny IS NOT NULL)
  AND coalesce(r.valid_from, $time_from) <= $time_to AND coalesce(r.valid_to, $time_to) >= $time_from AND ($undated OR r.period IS NOT NULL)
RETURN 'received' AS direction, other.id AS counterparty_id, other.name AS counterparty, type(r) AS type,
       r.amount_cny AS amount_cny, r.amount_text AS amount_text, r.amount_qualifier AS qualifier,
       r.amount_of AS amount_of, r.amount_label AS amount_label, r.amount_id AS amount_id, r.part_of AS part_of,
       coalesce(r.as_of, r.date, r.start_date, r.end_date).year AS year, r.period AS period, r.time_text AS time_text,
       r.evidence AS evidence, r.source AS source
