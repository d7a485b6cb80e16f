"""Read-only means read-only: a query is tokenised as Cypher and refused before it reaches the engine
when it would write, load files, call a procedure or run an administration command.

This is the first of two locks; the second is the engine's own read-only mode (kglite's
``read_only``, Neo4j's READ access mode). The first lock matters because an engine in read mode
still runs ``LOAD CSV`` (which fetches a URL from the server) and read-only procedures.

The tokenizer follows Neo4j's own lexer (Cypher 5 grammar): strings with backslash escapes,
backticked names with doubled backticks, block comments, and line comments that end at any line
terminator. Where it must choose, it errs towards refusing: a line comment ends at every Unicode
line break, not only at ``\\n`` and ``\\r``; a word is split from digits glued before it
(``LIMIT 1CALL db.labels()`` sees ``CALL``); a query is checked as written and again with its
``\\uXXXX`` escapes decoded; and a query whose string, name or comment never closes is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ruralgraph.errors import QueryError

TokenKind = Literal["word", "name", "string", "number", "symbol", "parameter"]


@dataclass(frozen=True)
class Token:
    """One significant token: its kind, its text (a name's without backticks) and its offset."""

    kind: TokenKind
    text: str
    at: int


# Clauses that write, load or administer, wherever they stand as a clause.
WRITE_CLAUSES = frozenset(
    {
        "CREATE",
        "MERGE",
        "DELETE",
        "DETACH",
        "NODETACH",
        "SET",
        "REMOVE",
        "FOREACH",
        "DROP",
        "ALTER",
        "RENAME",
        "GRANT",
        "DENY",
        "REVOKE",
        "INSERT",
        "LOAD",
        "TERMINATE",
        "USE",
    }
)
# A read-only statement begins with one of these (after EXPLAIN, PROFILE or a CYPHER option prefix):
# SHOW, START, STOP, ENABLE and other administration commands are refused.
READ_STARTS = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"})
PREFIXES = frozenset({"EXPLAIN", "PROFILE"})
# Namespaced functions that ship with Neo4j and only compute; any other namespace (a plug-in such
# as APOC, whose functions can fetch URLs or sleep) is refused.
BUILTIN_NAMESPACES = frozenset(
    {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector", "db"}
)

# Every line break Python knows (\n \r \v \f \x1c-\x1e \x85 \u2028 \u2029): a superset of Neo4j's.
_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+")
_WORD = re.compile(r"[^\W\d]\w*")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def tokenize(query: str) -> list[Token]:
    """The significant tokens of a query: comments and white space dropped.

    Raises ``QueryError`` for a string, backticked name or block comment that never closes.
    """
    tokens: list[Token] = []
    at, end = 0, len(query)
    while at < end:
        char = query[at]
        if char.isspace() or char in "\x00\ufeff":
            at += 1
        elif query.startswith("//", at):
            line_break = _LINE_BREAK.search(query, at)
            at = end if line_break is None else line_break.end()
        elif query.startswith("/*", at):
            closing = query.find("*/", at + 2)
            if closing < 0:
                raise QueryError("the query has a /* comment that is never closed")
            at = closing + 2
        elif char in "'\"":
            at = _close_string(query, at, char)
            tokens.append(Token("string", "", at))
        elif char == "`":
            text, at = _close_name(query, at)
            tokens.append(Token("name", text, at))
        elif char == "$":
            word = _WORD.match(query, at + 1) or re.compile(r"\d+").match(query, at + 1)
            tokens.append(Token("parameter", word.group(0) if word else "", at))
            at = word.end() if word else at + 1
        elif (number := _NUMBER.match(query, at)) is not None:
            tokens.append(Token("number", number.group(0), at))
            at = number.end()
        elif (word := _WORD.match(query, at)) is not None:
            tokens.append(Token("word", word.group(0), at))
            at = word.end()
        else:
            tokens.append(Token("symbol", char, at))
            at += 1
    return tokens


def _close_string(query: str, start: int, quote: str) -> int:
    """The offset just past the string that opens at ``start`` (a backslash escapes any character)."""
    at = start + 1
    while at < len(query):
        if query[at] == "\\":
            at += 2
        elif query[at] == quote:
            return at + 1
        else:
            at += 1
    raise QueryError("the query has a string that is never closed")


def _close_name(query: str, start: int) -> tuple[str, int]:
    """The backticked name that opens at ``start`` (```` `` ```` is a backtick) and the offset past it."""
    at = start + 1
    parts: list[str] = []
    while True:
        stop = query.find("`", at)
        if stop < 0:
            raise QueryError("the query has a `name` that is never closed")
        parts.append(query[at:stop])
        if query.startswith("``", stop):
            parts.append("`")
            at = stop + 2
            continue
        return "".join(parts), stop + 1


def refused_clause(query: str) -> str | None:
    """What makes a query more than a read (a write clause, a procedure call, …), or None."""
    for text in _readings(query):
        clause = _refused_in(tokenize(text))
        if clause is not None:
            return clause
    return None


def _readings(query: str) -> list[str]:
    """The query as written and, where it has ``\\uXXXX`` escapes, with them decoded as well."""
    decoded = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), query)
    return [query] if decoded == query else [query, decoded]


def _refused_in(tokens: list[Token]) -> str | None:
    """The first refused clause in a token list."""
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.kind == "word" and _is_clause(before, after):
            keyword = token.text.upper()
            if keyword in WRITE_CLAUSES:
                return "LOAD CSV" if keyword == "LOAD" else keyword
            if keyword == "CALL" and not (after is not None and after.kind == "symbol" and after.text in "{("):
                return f"CALL {_dotted_name(tokens, index + 1)}".rstrip()
            if keyword == "IN" and _is_in_transactions(tokens, index):
                return "IN TRANSACTIONS"
        if (
            token.kind in ("word", "name")
            and after is not None
            and after.text == "."
            and _is_namespaced_call(tokens, index)
        ) and token.text.lower() not in BUILTIN_NAMESPACES:
            return f"the function {_dotted_name(tokens, index)}()"
    start = _statement_start(tokens)
    if start is not None and start.upper() not in READ_STARTS:
        return start.upper()
    return None


def _statement_start(tokens: list[Token]) -> str | None:
    """The first word of the statement after EXPLAIN/PROFILE and any ``CYPHER 5 key=value`` prefix."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        text = token.text.upper()
        if token.kind == "word" and text in PREFIXES | {"CYPHER"}:
            index += 1
        elif token.kind == "number" and index and tokens[index - 1].text.upper() == "CYPHER":
            index += 1  # a version: CYPHER 5
        elif index + 2 < len(tokens) and tokens[index + 1].text == "=" and _follows_cypher(tokens, index):
            index += 3  # an option: CYPHER runtime=slotted
        else:
            return token.text
    return None


def _follows_cypher(tokens: list[Token], index: int) -> bool:
    """Whether the token at ``index`` stands in a ``CYPHER …`` prefix (after CYPHER or another option)."""
    back = index - 1
    while back >= 0 and tokens[back].text.upper() != "CYPHER":
        if not (tokens[back].kind in ("word", "number") or tokens[back].text == "="):
            return False
        back -= 1
    return back >= 0


def _is_clause(before: Token | None, after: Token | None) -> bool:
    """A keyword counts as a clause unless it is a property (n.set), a label (:Set) or a map key (set: 1)."""
    if before is not None and before.kind == "symbol" and before.text in ".:":
        return False
    return not (after is not None and after.kind == "symbol" and after.text == ":")


def _is_in_transactions(tokens: list[Token], index: int) -> bool:
    """``IN TRANSACTIONS`` (or ``IN n CONCURRENT TRANSACTIONS``) after a CALL subquery."""
    ahead = [t.text.upper() for t in tokens[index + 1 : index + 4] if t.kind == "word"]
    return "TRANSACTIONS" in ahead


def _is_namespaced_call(tokens: list[Token], index: int) -> bool:
    """Whether the name at ``index`` begins ``a.b(…)`` (a namespaced function call) rather than ``n.prop``."""
    before = tokens[index - 1] if index else None
    if before is not None and before.text == ".":
        return False  # not the first part of the dotted name
    at = index
    while at + 2 < len(tokens) and tokens[at + 1].text == "." and tokens[at + 2].kind in ("word", "name"):
        at += 2
    return at > index and at + 1 < len(tokens) and tokens[at + 1].text == "("


def _dotted_name(tokens: list[Token], index: int) -> str:
    """The dotted name that starts at ``index`` (``db.labels``, ``dbms.listConfig``)."""
    parts: list[str] = []
    while index < len(tokens) and tokens[index].kind in ("word", "name"):
        parts.append(tokens[index].text)
        if index + 1 < len(tokens) and tokens[index + 1].text == ".":
            index += 2
        else:
            break
    return ".".join(parts)


def assert_read_only(query: str) -> None:
    """Raise ``QueryError`` naming the clause when a query would write (or call a procedure)."""
    clause = refused_clause(query)
    if clause is not None:
        raise QueryError(
            f"the query contains {clause}, which is refused without --write (write=True); "
            "read-only queries may not write, load files, call procedures or plug-in functions, "
            "or run administration commands"
        )
