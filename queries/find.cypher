// name: find
// description: Entities whose id, name or alias is exactly the text given (how names are resolved).
// param: text: str — an id, a name or an alias, as written
// column: id: str — the entity's id
// column: name: str — its name
// column: label: str — its label
// column: aliases: list — its other names
MATCH (n)
WHERE n.id = $text OR n.name = $text OR $text IN coalesce(n.aliases, [])
RETURN n.id AS id, n.name AS name, labels(n)[0] AS label, coalesce(n.aliases, []) AS aliases
