"""Named questions: the ``queries/*.cypher`` files, their headers, and how they are asked.

Each query file starts with a header of ``//`` lines::

    // name: partners
    // description: one line
    // param: org: entity — the organisation (id, name or alias)
    // param: max_hops: int = 4 — …
    // column: partner: str — …

A parameter of type ``entity`` is resolved from an id, a name or an alias before the query runs,
and a ``place`` from those or from a place as the gazetteer reads it (adcode, 省市县 path, short
name: ``places.resolve_place``, the one resolution every door uses); an unknown or ambiguous name
is an error that lists the closest matches. Every value travels as
a Cypher parameter: user input never becomes query text.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, TypeAdapter, create_model

from ruralgraph.errors import Ambiguous, BelowCounty, NotFound, QueryError
from ruralgraph.model import LABELS, node_type
from ruralgraph.periods import TimeWindow, first_day, last_day
from ruralgraph.places import SUB_COUNTY_SUFFIXES, RegionInfo, region_ref, resolve_place
from ruralgraph.present import Readable, readable
from ruralgraph.resources import queries_dir
from ruralgraph.store.base import Row, Store

_HEADER = re.compile(r"^//\s*(?P<key>name|description|param|column|order):\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>\w+):\s*(?P<type>entity|place|str|int|float|bool|list|date_end|date)(?:\s*=\s*(?P<default>[^—]+?))?"
    r"(?:\s+in\s+(?P<low>\d+)\.\.(?P<high>\d+))?\s*(?:—\s*(?P<doc>.*))?$"
)
_COLUMN = re.compile(r"^(?P<name>\w+):\s*(?P<type>str|int|float|bool|list|set|dict|date)\s*(?:—\s*(?P<doc>.*))?$")
# A `set` column is an unordered collection (from collect()): it is sorted so answers are stable;
# a `list` column (a path's nodes) keeps its order.
_PY_TYPES: dict[str, Any] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "list": list,
    "set": list,
    "dict": dict,
    "date": dt.date,
}
_SCALAR_TYPES = ("str", "int", "float", "bool", "date")


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str
    default: Any
    doc: str
    required: bool
    # ``in LOW..HIGH`` in the header: the query's own variable-length bounds, so a request outside
    # them is refused rather than silently cut.
    bounds: tuple[int, int] | None = None


@dataclass(frozen=True)
class Column:
    """A declared result column."""

    name: str
    type: str
    doc: str


@dataclass(frozen=True)
class QuerySpec:
    """A named query: its header and its Cypher text."""

    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    cypher: str
    path: Path
    # ``// order:`` lines in the header, one ORDER BY item each: what comes first (an item may name
    # a column the body returns beyond the declared ones, such as a path's ``_chain``); every
    # declared scalar column follows, so rows that differ in any of them come in one order on
    # every engine (both sort nulls last, strings by code point).
    order: tuple[str, ...] = ()

    def order_by(self) -> str:
        """The answer's ORDER BY items: the header's, then every scalar column in header order."""
        scalars = [f"`{c.name}`" for c in self.columns if c.type in _SCALAR_TYPES]
        return ", ".join([*self.order, *(column for column in scalars if column not in self.order)])

    def paged(self) -> str:
        """The Cypher that answers one page: the body in a subquery, ordered, counted and sliced.

        The engine sorts every row (``ORDER BY``), counts them and returns one row holding the
        total and the rows from ``$offset`` to ``$page_end`` (a list slice: ``SKIP``/``LIMIT`` would
        lose the total), so only the page crosses into Python.
        """
        fields = ", ".join(f"`{c.name}`: `{c.name}`" for c in self.columns)
        return (
            f"CALL () {{\n{self.cypher}\n}}\n"
            f"WITH * ORDER BY {self.order_by()}\n"
            f"WITH collect({{{fields}}}) AS rows\n"
            "RETURN size(rows) AS total, rows[$offset..$page_end] AS page"
        )

    def row_model(self) -> type[BaseModel]:
        """A pydantic model of one result row, built from the declared columns (made once per query)."""
        key = (self.name, self.columns)
        if key not in _ROW_MODELS:
            fields: dict[str, Any] = {c.name: (_PY_TYPES[c.type] | None, None) for c in self.columns}
            model_name = "".join(part.capitalize() for part in re.split(r"[-_]", self.name)) + "Row"
            _ROW_MODELS[key] = create_model(model_name, __config__=ConfigDict(extra="forbid"), **fields)
        return _ROW_MODELS[key]

    def rows_adapter(self) -> TypeAdapter[list[BaseModel]]:
        """Validates a whole answer in one call (much faster than row by row on large answers)."""
        model = self.row_model()
        if model not in _ROWS_ADAPTERS:
            _ROWS_ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
        return _ROWS_ADAPTERS[model]


_ROW_MODELS: dict[tuple[str, tuple[Column, ...]], type[BaseModel]] = {}
_ROWS_ADAPTERS: dict[type[BaseModel], TypeAdapter[list[BaseModel]]] = {}


def parse_query_file(path: Path) -> QuerySpec:
    """Read one query file and its header."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, list[str]] = {"name": [], "description": [], "param": [], "column": [], "order": []}
    body: list[str] = []
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if match and not body:
            header[match.group("key")].append(match.group("value").strip())
        elif line.strip() or body:
            body.append(line)
    if len(header["name"]) != 1 or not header["description"]:
        raise ValueError(f"{path}: a query file needs one '// name:' and a '// description:' line")
    params = tuple(_parse_param(path, value) for value in header["param"])
    columns = tuple(_parse_column(path, value) for value in header["column"])
    body_text = "\n".join(body).strip()
    order = tuple(header["order"])
    return QuerySpec(header["name"][0], header["description"][0], params, columns, body_text, path, order)


def _parse_param(path: Path, value: str) -> Param:
    match = _PARAM.match(value)
    if not match:
        raise ValueError(f"{path}: cannot read the parameter line {value!r}")
    raw_default = match.group("default")
    default = None if raw_default is None else _coerce(match.group("type"), raw_default.strip(), match.group("name"))
    bounds = (int(match.group("low")), int(match.group("high"))) if match.group("low") else None
    return Param(
        match.group("name"), match.group("type"), default, match.group("doc") or "", raw_default is None, bounds
    )


def _parse_column(path: Path, value: str) -> Column:
    match = _COLUMN.match(value)
    if not match:
        raise ValueError(f"{path}: cannot read the column line {value!r}")
    return Column(match.group("name"), match.group("type"), match.group("doc") or "")


@lru_cache(maxsize=4)
def _library(directory: Path) -> dict[str, QuerySpec]:
    specs = [parse_query_file(path) for path in sorted(directory.glob("*.cypher"))]
    return {spec.name: spec for spec in specs}


def library(directory: Path | None = None) -> dict[str, QuerySpec]:
    """Every named query, by name."""
    return _library(directory or queries_dir())


def get_query(name: str) -> QuerySpec:
    """One named query; an unknown name lists the known ones."""
    queries = library()
    if name not in queries:
        raise NotFound(f"no query is called {name!r}; known queries: {', '.join(sorted(queries))}")
    return queries[name]


def _coerce(kind: str, value: Any, name: str) -> Any:
    """A parameter value of the declared type (CLI values arrive as text or JSON)."""
    try:
        if kind in ("entity", "place", "str"):
            return str(value)
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            if isinstance(value, str):
                return {"true": True, "false": False}[value.lower()]
            return bool(value)
        if kind in ("date", "date_end"):
            return _window_edge(kind, value)
        if kind == "list":
            if isinstance(value, str):
                parsed = json.loads(value) if value.startswith("[") else [v for v in value.split(",") if v]
                return [str(v) for v in parsed]
            return [str(v) for v in value]
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as error:
        raise QueryError(f"parameter {name} must be a {kind}, not {value!r}") from error
    raise QueryError(f"parameter {name} has an unknown type {kind}")


def _window_edge(kind: str, value: Any) -> dt.date:
    """A ``date`` parameter is the first day a partial date can mean, a ``date_end`` the last.

    The widest window's edges (0001-01-01, 9999-12-31) are the defaults of the query headers.
    """
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if text in ("0001-01-01", "9999-12-31"):
        return dt.date.fromisoformat(text)
    return first_day(text) if kind == "date" else last_day(text)


@dataclass(frozen=True)
class Entity:
    """A resolved name: the entity's id, name and label."""

    id: str
    name: str
    label: str


# Exact id, then exact name: each uses an index (the shared label's unique id, and every label's
# name index), so most look-ups never reach find's scan of aliases. The id is matched without a
# label in the pattern and the shared label as a predicate: Neo4j plans the same unique-index seek
# as for (n:Entity {id: $text}), and kglite finds an unlabelled id through its own id index, where
# a secondary label in the pattern would make it scan every node carrying it.
BY_ID = f"MATCH (n {{id: $text}}) WHERE n:Entity RETURN n.id AS id, n.name AS name, {node_type('n')} AS label"
BY_NAME = " UNION ".join(
    f"MATCH (n:`{label}` {{name: $text}}) RETURN n.id AS id, n.name AS name, '{label}' AS label" for label in LABELS
)


BY_ADCODE = "MATCH (n:Region) WHERE n.adcode = $adcode RETURN n.id AS id, n.name AS name, 'Region' AS label"


def resolve(store: Store, text: str, *, place: bool = False) -> Entity:
    """The one entity an id, name or alias names, or a place (``region:…``, an adcode, a 省市县 path).

    What the graph holds by that id, name or alias comes first; text it does not hold is read by the
    gazetteer (``places.resolve_place``), as a case file's ``region:`` is, and names the region with
    that code. Otherwise NotFound/Ambiguous listing the candidates. With ``place`` (a ``place``
    parameter, a map's region) text that goes on below a county is refused as such, as it is for
    any text ending like a township or village (…镇, …乡, …村).
    """
    text = text.strip()
    if not text:
        raise NotFound("an empty name names nothing")
    written = region_ref(text)
    if written is not None:
        return _region_with_code(store, written, resolve_place(written))
    try:
        return _resolve_name(store, text)
    except NotFound as not_found:
        try:
            region = resolve_place(text)
        except BelowCounty:
            if place or text.endswith(SUB_COUNTY_SUFFIXES):
                raise
            raise not_found from None
        except Ambiguous:
            raise
        except NotFound:
            raise not_found from None
        return _region_with_code(store, text, region)


def resolve_region(store: Store, text: str) -> Entity:
    """``resolve`` for a place: the entity must be a region (``map --region``, ``place`` parameters)."""
    entity = resolve(store, text, place=True)
    if entity.label != "Region":
        raise NotFound(f"{text!r} names {entity.name} ({entity.label}, id {entity.id}), which is not a region")
    return entity


def _region_with_code(store: Store, text: str, region: RegionInfo) -> Entity:
    """The region of the graph that carries the gazetteer's code for ``text``."""
    rows = store.run(BY_ADCODE, {"adcode": region.adcode})
    if not rows:
        raise NotFound(f"{text!r} is {region.name} ({region.adcode}), and the graph holds nothing there")
    return Entity(rows[0]["id"], rows[0]["name"], "Region")


def _resolve_name(store: Store, text: str) -> Entity:
    """The one entity an id, name or alias names."""
    from ruralgraph.names import clean_name

    rows = store.run(BY_ID, {"text": text}) or store.run(BY_NAME, {"text": text})  # both use indexes
    for form in dict.fromkeys([text, clean_name(text)[0]]):  # as written, then without "(原…)" notes
        if rows:
            break
        rows = store.run(get_query("find").cypher, {"text": form})
        if not rows:  # then the normalised forms: full/half width, spaces, case, pinyin, English name
            rows = [
                row
                for row in store.run(get_query("search").cypher, {"key": search_key(form), "label": "any"})
                if row["exact"]
            ]
        if rows:
            break
    if len(rows) == 1:
        return Entity(rows[0]["id"], rows[0]["name"], rows[0]["label"])
    if len(rows) > 1:
        listed = "; ".join(f"{row['name']} ({row['label']}, id {row['id']})" for row in sorted(rows, key=str))
        raise Ambiguous(f"{text!r} names {len(rows)} entities: {listed}. Use the id")
    raise NotFound(f"nothing is called {text!r}{_suggestions(store, text)}")


def search_key(text: str) -> str:
    """The form ``search`` compares: normalised text, or pinyin letters as typed (spaces removed)."""
    from ruralgraph.names import normalise

    return normalise(text)


def _suggestions(store: Store, text: str) -> str:
    """The closest names and aliases, for an error message."""
    rows = store.run("MATCH (n:Entity) RETURN n.id AS id, n.name AS name, coalesce(n.aliases, []) AS aliases")
    choices: dict[str, str] = {}
    for row in rows:
        for name in (row["name"], *row["aliases"]):
            if name:
                choices.setdefault(name, row["id"])
    from rapidfuzz import fuzz, process  # only when a name is not found

    matches = process.extract(text, list(choices), scorer=fuzz.WRatio, limit=5, score_cutoff=50)
    if not matches:
        return ""
    return "; closest: " + ", ".join(f"{name} (id {choices[name]})" for name, _, _ in matches)


def bind(store: Store, spec: QuerySpec, given: dict[str, Any]) -> dict[str, Any]:
    """Check, default, coerce and resolve the parameters of a query."""
    known = {param.name for param in spec.params}
    unknown = sorted(set(given) - known)
    if unknown:
        raise QueryError(f"query {spec.name} has no parameter {', '.join(unknown)}; it takes: {', '.join(known)}")
    bound: dict[str, Any] = {}
    for param in spec.params:
        if param.name in given and given[param.name] is not None:
            value = _coerce(param.type, given[param.name], param.name)
        elif not param.required:
            value = param.default
        else:
            raise QueryError(f"query {spec.name} needs the parameter {param.name} ({param.doc})")
        if param.type == "entity":
            value = resolve(store, value).id
        elif param.type == "place":
            value = resolve_region(store, value).id
        if param.bounds is not None and not param.bounds[0] <= value <= param.bounds[1]:
            raise QueryError(f"{param.name} must be between {param.bounds[0]} and {param.bounds[1]}")
        bound[param.name] = value
    return bound


def canonical(row: Row, spec: QuerySpec) -> Row:
    """The row with its `set` columns sorted, so the same data gives the same answer on every engine."""
    unordered = {column.name for column in spec.columns if column.type == "set"}
    return {
        key: sorted(value, key=_sort_key) if key in unordered and isinstance(value, list) else value
        for key, value in row.items()
    }


def _sort_key(value: Any) -> bytes:
    # Canonical JSON, compared as UTF-8 bytes: the same order as code points, on every engine.
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)


def _periods(value: Any) -> Iterable[Any]:
    """Every ``period`` value inside a row's nested maps and lists."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "period":
                yield item
            else:
                yield from _periods(item)
    elif isinstance(value, list):
        for item in value:
            yield from _periods(item)


def _only_undated(row: Row) -> bool:
    """True when the row carries periods and every one is empty."""
    periods = list(_periods(row))
    return bool(periods) and all(period is None for period in periods)


# How many rows an answer holds unless told otherwise: ``ANSWER_LIMIT`` through the API and for
# ``--format json``/``csv``, ``TABLE_LIMIT`` in a table (a person reads a page, not 141,406 rows).
# ``Answer.total`` always says how many there are; ``limit=None`` (``--limit 0``) gives them all.
ANSWER_LIMIT = 10_000
TABLE_LIMIT = 100


@dataclass
class Answer:
    """One page of the rows a named question returned, typed by its header, with the query and
    parameters used: ``total`` rows answer it, and ``rows`` are those from ``offset`` on (at most
    ``limit``), in the order the query file names (``QuerySpec.order_by``)."""

    query: str
    params: dict[str, Any]
    columns: list[str]
    rows: list[BaseModel] = field(default_factory=list)
    total: int = 0
    offset: int = 0
    limit: int | None = None

    @property
    def cypher(self) -> str:
        """The Cypher text that answered (``--explain`` prints it)."""
        return get_query(self.query).paged()

    @property
    def complete(self) -> bool:
        """Whether the page holds every row of the answer."""
        return self.offset == 0 and len(self.rows) == self.total

    def showing(self) -> str:
        """Which rows the page holds: ``showing 1–100 of 141,406`` (``none of 3`` past the end).

        >>> Answer("q", {}, [], [], total=141406, offset=0, limit=100).showing()
        'showing none of 141,406'
        """
        if not self.rows:
            return f"showing none of {self.total:,}"
        return f"showing {self.offset + 1:,}–{self.offset + len(self.rows):,} of {self.total:,}"

    @property
    def capped(self) -> bool:
        """Whether the enumeration stopped at its cap (``path``'s ``max_paths``): there may be more."""
        cap = self.params.get("max_paths")
        return self.query == "path" and cap is not None and self.total >= cap

    def notes(self) -> list[str]:
        """What a reader must know about the page: rows left out, and a cap the answer reached."""
        notes = []
        if not self.complete:
            notes.append(f"{self.showing()} (--limit N, 0 for all; --offset N for the next rows)")
        if self.capped:
            notes.append(f"the first {self.total:,} shortest chains found (--max-paths): there may be more")
        return notes

    def to_dicts(self) -> list[Row]:
        """Rows as plain dicts, columns in header order."""
        return [row.model_dump() for row in self.rows]

    @property
    def window(self) -> TimeWindow | None:
        """The time the question was asked about, or None when it kept every relationship."""
        if "time_from" not in self.params:
            return None
        window = TimeWindow(self.params["time_from"], self.params["time_to"], self.params["undated"])
        return None if window.is_open else window

    def undated(self) -> list[int]:
        """The rows that rest only on relationships whose sources give no time (their every ``period`` is empty)."""
        return [number for number, row in enumerate(self.to_dicts()) if _only_undated(row)]

    def readable(self) -> Readable:
        """The answer for a table: one row per thing asked about, summaries instead of nested values,
        chains as arrows (``ruralgraph.present``); ``to_dicts`` keeps every field. A page short of
        the whole answer says which rows it shows (``showing 1–100 of 141,406``); asked about a
        time, the caption says how many rows rest only on undated relationships."""
        rows = self.to_dicts()
        shown = readable(self.query, rows)
        notes = [shown.caption] if shown.caption else []
        notes += self.notes()
        window = self.window
        if window is not None:
            note = window.describe()
            undated = sum(_only_undated(row) for row in rows)
            if undated and window.undated:
                note += (
                    f"; {undated} of {len(self.rows)} rows rest only on undated relationships (--dated-only drops them)"
                )
            notes.append(note)
        shown.caption = "; ".join(notes) or None
        return shown

    def to_df(self) -> Any:
        """Rows as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.to_dicts(), columns=self.columns)

    def __len__(self) -> int:
        return len(self.rows)


def page_bounds(limit: int | None, offset: int) -> dict[str, int]:
    """The ``$offset`` and ``$page_end`` of a page (``limit=None``: every row from ``offset``)."""
    if offset < 0:
        raise QueryError(f"offset must be 0 or more, not {offset}")
    if limit is not None and limit < 1:
        raise QueryError(f"limit must be 1 or more (or none, for every row), not {limit}")
    # Neo4j slices lists with 32-bit indexes; no answer holds that many rows.
    return {
        "offset": min(offset, SLICE_MAX),
        "page_end": SLICE_MAX if limit is None else min(offset + limit, SLICE_MAX),
    }


SLICE_MAX = 2**31 - 1


def ask(
    store: Store,
    name: str,
    params: dict[str, Any] | None = None,
    *,
    limit: int | None = ANSWER_LIMIT,
    offset: int = 0,
    timeout_ms: int | None = None,
) -> Answer:
    """Run a named query with resolved parameters: one page of typed rows, in the query's order, and the total.

    The engine orders, counts and slices (``QuerySpec.paged``); Python types the page in one call
    and sorts the members of its `set` columns, so the same data gives the same answer on every engine.
    """
    spec = get_query(name)
    bound = bind(store, spec, dict(params or {}))
    result = store.run(spec.paged(), {**bound, **page_bounds(limit, offset)}, timeout_ms=timeout_ms)
    total, raw = (result[0]["total"], result[0]["page"] or []) if result else (0, [])
    columns = [column.name for column in spec.columns]
    if any(column.type == "set" for column in spec.columns):
        raw = [canonical(row, spec) for row in raw]
    wanted = set(columns)
    typed = spec.rows_adapter().validate_python(
        [row if row.keys() == wanted else {c: row.get(c) for c in columns} for row in raw]
    )
    return Answer(name, bound, columns, typed, total=total, offset=offset, limit=limit)


PARAM_TYPES = ("str", "int", "float", "bool", "json")


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """``name=value`` pairs (the CLI's ``-p``) → parameter values.

    The typing rule: ``name=value`` takes the value as JSON when it reads as JSON (a number such
    as ``141031`` or ``1.5``, ``true``/``false``/``null``, a ``[list]``, an ``{object}`` or a
    ``"quoted string"``) and as text otherwise (``中国扶贫基金会``, ``2024-01-01``). ``name:TYPE=value``
    says the type instead: ``str`` (always text: ``c:str=141031`` stays the text "141031"),
    ``int``, ``float``, ``bool`` (true or false) or ``json``. NaN and Infinity are not JSON, so
    an untyped ``NaN`` is text and a typed one is refused.

    >>> parse_params(["c=141031", "code:str=141031", "name=甲", "ok:bool=TRUE", "xs=[1, 2]"])
    {'c': 141031, 'code': '141031', 'name': '甲', 'ok': True, 'xs': [1, 2]}
    """
    params: dict[str, Any] = {}
    for pair in pairs:
        target, sep, raw = pair.partition("=")
        name, typed, kind = (part.strip() for part in target.partition(":"))
        if not sep or not name:
            raise QueryError(f"-p {pair!r} is not name=value (or name:TYPE=value)")
        if typed and kind not in PARAM_TYPES:
            raise QueryError(f"-p {pair!r}: unknown type {kind!r}; use one of {', '.join(PARAM_TYPES)}")
        params[name] = _typed_value(name, kind, raw) if typed else _untyped_value(raw)
    return params


def _strict_json(raw: str) -> Any:
    """JSON as the standard defines it: NaN and Infinity (which Python's json accepts) are refused."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(raw, parse_constant=refuse)


def _untyped_value(raw: str) -> Any:
    try:
        return _strict_json(raw)
    except ValueError:  # json.JSONDecodeError is a ValueError
        return raw


def _typed_value(name: str, kind: str, raw: str) -> Any:
    """The value of ``name:kind=raw``; a value that is not of its type is refused, saying so."""
    try:
        if kind == "str":
            return raw
        if "_" in raw:  # Python reads 1_000 as a number; people mean no such thing
            raise ValueError
        if kind == "int":
            return int(raw.strip(), 10)
        if kind == "float":
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError
            return value
        if kind == "bool":
            return {"true": True, "false": False}[raw.strip().lower()]
        return _strict_json(raw)
    except (ValueError, KeyError) as error:
        raise QueryError(f"-p {name}:{kind}={raw!r}: not a valid {kind}") from error
