"""Where the graph lives: the store settings, chosen from options and environment variables.

Passwords come only from the environment (or a ``user:password@`` in a URI) and never appear in
what ``describe`` or ``redact_uri`` print.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, urlsplit, urlunsplit

from ruralgraph.errors import BadOption

DEFAULT_DB = "ruralgraph.kgl"
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


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
        check_neo4j_uri(uri)
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

    def holds_nothing(self) -> bool:
        """True for an embedded store whose file does not exist yet (a load creates it)."""
        return self.neo4j_uri is None and not Path(self.db or DEFAULT_DB).exists()

    def describe(self) -> str:
        """Where the store is, safe to print: a URI never shows a password."""
        if self.neo4j_uri:
            return f"neo4j {redact_uri(self.neo4j_uri)}"
        return f"kglite {self.db}"


def check_neo4j_uri(uri: str) -> None:
    """Refuse a Neo4j URI the driver cannot use (``BadOption``, exit 2), saying what is wrong and never the password.

    >>> check_neo4j_uri("bolt://localhost:99999")
    Traceback (most recent call last):
    ruralgraph.errors.BadOption: the Neo4j URI bolt://localhost:99999 has no usable port: port 99999 is not ...
    """
    expected = "expected bolt://HOST:PORT or neo4j://HOST:PORT (or the +s and +ssc forms for TLS)"
    try:
        parts = urlsplit(uri)
    except ValueError as error:
        raise BadOption(f"the Neo4j URI {redact_uri(uri)} cannot be read ({error}); {expected}") from None
    shown = redact_uri(uri)
    if parts.scheme.lower() not in NEO4J_SCHEMES:
        scheme = f"scheme {parts.scheme + '://'!r}" if parts.scheme else "no scheme"
        raise BadOption(f"the Neo4j URI {shown} has {scheme}, not one Neo4j's driver speaks; {expected}")
    if not parts.hostname:
        raise BadOption(f"the Neo4j URI {shown} names no host; {expected}")
    after_host = _host_port(parts).rpartition("]")[2]  # past an IPv6 address in brackets
    port_text = after_host.rpartition(":")[2] if ":" in after_host else ""
    if port_text and not (port_text.isascii() and port_text.isdigit()):
        raise BadOption(f"the Neo4j URI {shown} has no usable port: {port_text!r} is not a number; {expected}")
    if port_text and not 1 <= int(port_text) <= 65535:
        raise BadOption(
            f"the Neo4j URI {shown} has no usable port: port {port_text} is not between 1 and 65535; {expected}"
        )


def _host_port(parts: SplitResult) -> str:
    """``host:port`` of a URI, as written (without parsing the port, which may be malformed)."""
    return parts.netloc.rpartition("@")[2]


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
    netloc = (f"{user}@" if user else "") + _host_port(parts)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
