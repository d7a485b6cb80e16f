// name: sources
// description: The sources behind an entity's relationships and renames, and the originals they reprint: what a paper cites for it.
// param: entity: entity — the entity (id, name or alias)
// column: id: str — the source's id
// column: name: str — its title (or, without one, its ref or url)
// column: url: str — its web address
// column: ref: str — its non-web reference (a repository file, a DOI, an ISBN, an archive number)
// column: published: str — when it was published (YYYY, YYYY-MM or YYYY-MM-DD)
// column: publisher: str — who published it
// column: grade: str — official, press, reprint, secondary or unverified
// column: reprint_of: str — the id of the source it reprints
MATCH (e {id: $entity}) WHERE e:Entity MATCH (e)-[r]-()
WITH DISTINCT r.source AS cited
MATCH (s:Source {id: cited})
RETURN s.id AS id, s.name AS name, s.url AS url, s.ref AS ref, s.published AS published,
       s.publisher AS publisher, s.grade AS grade, s.reprint_of AS reprint_of
UNION
MATCH (e {id: $entity}) WHERE e:Entity
UNWIND coalesce(e.renamed_source, []) AS cited
MATCH (s:Source {id: cited})
RETURN s.id AS id, s.name AS name, s.url AS url, s.ref AS ref, s.published AS published,
       s.publisher AS publisher, s.grade AS grade, s.reprint_of AS reprint_of
UNION
MATCH (e {id: $entity}) WHERE e:Entity MATCH (e)-[r]-()
WITH DISTINCT r.source AS cited
MATCH (:Source {id: cited})-[:REPRINTS*1..3]->(s:Source)
RETURN s.id AS id, s.name AS name, s.url AS url, s.ref AS ref, s.published AS published,
       s.publisher AS publisher, s.grade AS grade, s.reprint_of AS reprint_of
