// name: find
// description: Entities whose id, name or 统一社会信用代码 is exactly the text given, found through indexes; only when none is, those with the text as an alias (how names are resolved).
// param: text: str — an id, a name, an alias or a USCC, as written
// column: id: str — the entity's id
// column: name: str — its name
// column: label: str — its label
// column: aliases: list — its other names
// Ids, names and USCCs are looked up in indexes (the shared label's unique id; each label's name,
// per label, since kglite indexes a node's own label only; Organization.uscc), so an exact match
// never scans. Aliases are list members, which neither engine indexes: the scan of every entity's
// aliases is meant only for when nothing has the text as its id, name or USCC. kglite skips it then
// (an exact id or name on L: 1 ms); Neo4j's planner still runs it (7,200 db hits on S), so there
// resolve() reaches find only after its own index look-ups (BY_ID, BY_NAME) found nothing.
CALL () {
  MATCH (n {id: $text}) WHERE n:Entity RETURN n
  UNION
  MATCH (n:`Organization` {name: $text}) RETURN n
  UNION
  MATCH (n:`Program` {name: $text}) RETURN n
  UNION
  MATCH (n:`Fund` {name: $text}) RETURN n
  UNION
  MATCH (n:`Event` {name: $text}) RETURN n
  UNION
  MATCH (n:`Region` {name: $text}) RETURN n
  UNION
  MATCH (n:`Case` {name: $text}) RETURN n
  UNION
  MATCH (n:`Source` {name: $text}) RETURN n
  UNION
  MATCH (n:`Designation` {name: $text}) RETURN n
  UNION
  MATCH (n:Organization) WHERE n.uscc = $text RETURN n
}
WITH collect(n) AS exact
CALL (exact) {
  UNWIND exact AS n
  RETURN n
  UNION
  WITH exact WHERE size(exact) = 0
  MATCH (n:Entity) WHERE $text IN coalesce(n.aliases, [])
  RETURN n
}
RETURN n.id AS id, n.name AS name, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, coalesce(n.aliases, []) AS aliases
