"""Where the graph lives: the store settings, chosen from options and environment variables.

Passwords come only from the environment (or a ``user:password@`` in a URI) and never appear in
what ``describe`` or ``redact_uri`` print.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, urlsplit, urlunsplit

DEFAULT_DB = "ruralgraph.kgl"


@dataclass(frozen=True)
class StoreSettings:
    """Where the graph lives: an embedded file (the default) or a Neo4j server."""

    db: Path | None = None
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None

    @classmethod
    def resolve(cls, db: Path | str | None = None, neo4j: str | None = None) -> StoreSettings:
        """Choose the store: ``--neo4j``, then ``--db``, then $RURALGRAPH_DB, then $NEO4J_URI, then ./ruralgraph.kgl."""
        env = os.environ
        credentials = {
            "neo4j_user": env.get("NEO4J_USERNAME") or env.get("NEO4J_USER"),
            "neo4j_password": env.get("NEO4J_PASSWORD"),
            "neo4j_database": env.get("NEO4J_DATABASE"),
        }
        if neo4j:
            return cls.with_uri_credentials(neo4j, **credentials)
        if db is not None:
            return cls(db=Path(db))
        if env.get("RURALGRAPH_DB"):
            return cls(db=Path(env["RURALGRAPH_DB"]))
        if env.get("NEO4J_URI"):
            return cls.with_uri_credentials(env["NEO4J_URI"], **credentials)
        return cls(db=Path(DEFAULT_DB))

    @classmethod
    def with_uri_credentials(cls, uri: str, **credentials: str | None) -> StoreSettings:
        """Settings for a Neo4j URI; a ``user:password@`` in the URI is taken out and used as credentials."""
        try:
            parts = urlsplit(uri)
            user, password = parts.username, parts.password
        except ValueError:
            return cls(neo4j_uri=uri, **credentials)  # type: ignore[arg-type]
        if user is None and password is None:
            return cls(neo4j_uri=uri, **credentials)  # type: ignore[arg-type]
        clean = _with_user(parts, None)
        merged = {
            **credentials,
            "neo4j_user": user or credentials.get("neo4j_user"),
            "neo4j_password": password if password is not None else credentials.get("neo4j_password"),
        }
        return cls(neo4j_uri=clean, **merged)  # type: ignore[arg-type]

    @property
    def engine(self) -> str:
        """``neo4j`` or ``kglite``."""
        return "neo4j" if self.neo4j_uri else "kglite"

    def describe(self) -> str:
        """Where the store is, safe to print: a URI never shows a password."""
        if self.neo4j_uri:
            return f"neo4j {redact_uri(self.neo4j_uri)}"
        return f"kglite {self.db}"


def redact_uri(uri: str) -> str:
    """The URI without any password in it (``bolt://user:pw@host`` → ``bolt://user@host``)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparseable URI>"
    if parts.password is None:
        return uri
    return _with_user(parts, parts.username)


def _with_user(parts: SplitResult, user: str | None) -> str:
    """The URI again with only ``user`` (or nobody) before the host: never a password."""
    netloc = (f"{user}@" if user else "") + (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
