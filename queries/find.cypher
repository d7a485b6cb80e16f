// name: find
// description: Entities whose id, name, alias or 统一社会信用代码 is exactly the text given (how names are resolved first).
// param: text: str — an id, a name, an alias or a USCC, as written
// column: id: str — the entity's id
// column: name: str — its name
// column: label: str — its label
// column: aliases: list — its other names
MATCH (n:Entity)
WHERE n.id = $text OR n.name = $text OR $text IN coalesce(n.aliases, []) OR n.uscc = $text
RETURN n.id AS id, n.name AS name, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, coalesce(n.aliases, []) AS aliases
