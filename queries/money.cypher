// name: money
// description: Amounts committed, raised, donated or managed by or for an entity, in yuan, with the text they came from; each relationship once.
// param: entity: entity — an organisation, program, fund or event (id, name or alias)
// column: direction: str — given (the entity acts) or received (it is acted on)
// column: counterparty_id: str — the other side
// column: counterparty: str — its name
// column: type: str — the relationship type (COMMITS, FUNDS, RAISES_FUNDS …)
// column: amount_cny: int — the amount in yuan (empty when the source lost the number)
// column: amount_text: str — the amount as written
// column: qualifier: str — at_least, about or at_most, when the text says so
// column: amount_of: str — what the amount measures
// column: evidence: str — the span that states it
// column: source: str — the source's id
MATCH (e {id: $entity}) WHERE e:Entity MATCH (e)-[r]->(other)
WHERE r.amount_text IS NOT NULL OR r.amount_cny IS NOT NULL
RETURN 'given' AS direction, other.id AS counterparty_id, other.name AS counterparty, type(r) AS type,
       r.amount_cny AS amount_cny, r.amount_text AS amount_text, r.amount_qualifier AS qualifier,
       r.amount_of AS amount_of, r.evidence AS evidence, r.source AS source
UNION
MATCH (e {id: $entity}) WHERE e:Entity MATCH (e)<-[r]-(other)
WHERE r.amount_text IS NOT NULL OR r.amount_cny IS NOT NULL
RETURN 'received' AS direction, other.id AS counterparty_id, other.name AS counterparty, type(r) AS type,
       r.amount_cny AS amount_cny, r.amount_text AS amount_text, r.amount_qualifier AS qualifier,
       r.amount_of AS amount_of, r.evidence AS evidence, r.source AS source
