"""Read-only means read-only: write clauses are refused before a query reaches the engine.

This is the first of two locks; the second is the engine's own read-only mode (kglite's
``read_only``, Neo4j's READ access mode). The check here also refuses what an engine may let
through in read mode: ``LOAD CSV`` (which reads files on the server) and procedure calls
(``CALL db.x()``), and it looks inside subqueries. Comments and string literals are removed
first, so neither hides a clause from it nor trips it by mentioning one.
"""

from __future__ import annotations

import re

from ruralgraph.errors import QueryError

_STRIP = re.compile(
    r"""//[^\n]*            # a line comment
      | /\*.*?\*/           # a block comment
      | '(?:\\.|[^'\\])*'   # a single-quoted string
      | "(?:\\.|[^"\\])*"   # a double-quoted string
      | `[^`]*`             # a backticked name
    """,
    re.VERBOSE | re.DOTALL,
)
# A keyword counts only as a clause: not as a property (n.set), a parameter ($create) or a map key (set: 1).
_WRITE = re.compile(
    r"(?<![.\w$:])\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|FOREACH|DROP|ALTER|RENAME|GRANT|DENY|REVOKE|"
    r"INSERT|LOAD\s+CSV|IN\s+TRANSACTIONS|TERMINATE)\b(?!\s*:)",
    re.IGNORECASE,
)
_PROCEDURE = re.compile(r"(?<![.\w$])\bCALL\s+(?!\{|\()([A-Za-z_][\w.]*)\s*(\(|\bYIELD\b|$)", re.IGNORECASE)


def strip_comments_and_strings(query: str) -> str:
    """The query with comments removed and every string literal and backticked name blanked."""
    return _STRIP.sub(lambda m: " " if m.group(0).startswith(("//", "/*")) else "''", query)


def write_clause(query: str) -> str | None:
    """The first write clause (or procedure call) in a query, or None when it only reads."""
    code = strip_comments_and_strings(query)
    found = _WRITE.search(code)
    if found:
        return " ".join(found.group(1).upper().split())
    procedure = _PROCEDURE.search(code)
    if procedure:
        return f"CALL {procedure.group(1)}"
    return None


def assert_read_only(query: str) -> None:
    """Raise ``QueryError`` naming the clause when a query would write (or call a procedure)."""
    clause = write_clause(query)
    if clause is not None:
        raise QueryError(f"the query contains {clause}, which is refused without --write (write=True); "
                         "read-only queries may not write, load files or call procedures")
