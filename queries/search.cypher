// name: search
// description: Entities any of whose names, aliases, pinyin or English name contains the text (compared in normalised form: width, spaces, case).
// param: key: str — the text to look for, normalised by the caller (ruralgraph search does it)
// param: label: str = any — only this label (any: all)
// column: id: str — the entity's id
// column: name: str — its name
// column: label: str — its label
// column: aliases: list — its other names
// column: exact: bool — whether a whole name, alias or key equals the text
// order: `exact` DESC
// Substring matching reads every entity's keys: no index of either engine serves CONTAINS on list
// members. Exact ids and names are found without a scan by find, which every name resolution uses.
MATCH (n:Entity)
WHERE ($label = 'any' OR [l IN labels(n) WHERE l <> 'Entity'][0] = $label)
  AND any(k IN coalesce(n.search_keys, []) WHERE k CONTAINS $key)
RETURN n.id AS id, n.name AS name, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, coalesce(n.aliases, []) AS aliases,
       $key IN n.search_keys AS exact
