"""The ``ruralgraph`` command: a thin typer layer over the Python API, with no logic of its own.

Exit codes: 0 success; 1 unexpected failure; 2 invalid input (nothing written); 3 a name that is
unknown or ambiguous; 4 the store cannot be opened or reached; 5 a refused or failed query.
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from ruralgraph import api, schema
from ruralgraph.errors import BadOption, RuralgraphError
from ruralgraph.output import FORMATS, render, visible
from ruralgraph.present import money_totals_table, plain_rows
from ruralgraph.queries import ANSWER_LIMIT, TABLE_LIMIT, parse_params
from ruralgraph.settings import StoreSettings
from ruralgraph.store.base import CYPHER_ROW_LIMIT, CYPHER_TIMEOUT_MS, CYPHER_WORK_LIMIT

if TYPE_CHECKING:
    from ruralgraph.loading.load import LoadReport

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    help="ruralgraph: who partners with whom in China's rural revitalisation, with evidence.",
)
stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help="Embedded store file [env: RURALGRAPH_DB; default ./ruralgraph.kgl].", show_default=False
    ),
]
Neo4jOption = Annotated[
    str | None,
    typer.Option(
        "--neo4j",
        help="Neo4j bolt URI [env: NEO4J_URI]; the credentials come from NEO4J_USERNAME / NEO4J_PASSWORD.",
        show_default=False,
    ),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]
ParamOption = Annotated[
    list[str],
    typer.Option(
        "--param",
        "-p",
        help=(
            'name=value: a value that reads as JSON (141031, 1.5, true, [1,2], "x") is that, anything else '
            "is text; name:TYPE=value says the type (str, int, float, bool, json): -p code:str=141031 stays text. "
            "Names of entities resolve through ids, names and aliases."
        ),
    ),
]
TimeoutOption = Annotated[int | None, typer.Option(help="Give up after this many milliseconds.")]
CypherTimeout = Annotated[
    int, typer.Option("--timeout", min=0, help="Give up after this many milliseconds (0: no deadline).")
]
CypherLimit = Annotated[
    int, typer.Option("--limit", min=0, help="Refuse results longer than this many rows (0: no limit).")
]
CypherWork = Annotated[
    int,
    typer.Option(
        "--max-work",
        min=0,
        help=(
            "Refuse a query that needs more than this many units of work, which keeps an unbounded pattern from "
            "exhausting memory (0: no limit). kglite counts intermediate rows and scans; Neo4j, which streams, "
            "the values received (a path counts its nodes and relationships, each with its properties)."
        ),
    ),
]

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Only relationships in force then: YYYY, YYYY-MM or YYYY-MM-DD (undated ones are kept and marked).",
        show_default=False,
    ),
]
BetweenOption = Annotated[
    tuple[str, str] | None,
    typer.Option(
        "--between", help="Only relationships in force at some time from A to B (two dates).", show_default=False
    ),
]
DatedOnlyOption = Annotated[
    bool, typer.Option("--dated-only", help="Leave out relationships whose sources give no time.")
]

PageLimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=0,
        help=(
            f"Show at most this many rows (0: all) [default: {TABLE_LIMIT} in a table, {ANSWER_LIMIT:,} "
            "with --format json or csv]; the total is always reported."
        ),
        show_default=False,
    ),
]
PageOffsetOption = Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows first (the next page).")]

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Print ruralgraph's own errors as one clear message and exit with their code (no traceback)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RuralgraphError as error:
            say(f"error: {error}")
            raise typer.Exit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _shared_options(into: str, options: dict[str, tuple[Any, Any]], collect: Callable[..., Any]) -> Callable[[F], F]:
    """A decorator that gives a command the ``options`` (name → (default, annotation)) and calls it
    with ``into=collect(values, kwargs)`` in their place, so options shared by many commands are
    declared once (``store_options``, ``time_options``, ``page_options``)."""

    def decorate(command: F) -> F:
        signature = inspect.signature(command, eval_str=True)
        kept = [p for p in signature.parameters.values() if p.name != into]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
            for name, (default, annotation) in options.items()
        ]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name, default) for name, (default, _) in options.items()}
            return command(*args, **{into: collect(values, kwargs)}, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in [*kept, *added]}
        return wrapper  # type: ignore[return-value]

    return decorate


time_options = _shared_options(
    "when",
    {"as_of": (None, AsOfOption), "between": (None, BetweenOption), "dated_only": (False, DatedOnlyOption)},
    lambda values, _: values,
)
time_options.__doc__ = """Give a question --as-of, --between and --dated-only; it receives ``when``, the
keyword arguments every question of the API takes (``api.Graph.query``)."""


def _page(values: dict[str, Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """``limit`` and ``offset``: without --limit a table shows ``TABLE_LIMIT`` rows and json or csv
    ``ANSWER_LIMIT``; ``--limit 0`` shows them all."""
    limit = values["limit"]
    if limit is None:
        limit = TABLE_LIMIT if kwargs.get("fmt", "table") == "table" else ANSWER_LIMIT
    return {"limit": limit or None, "offset": values["offset"]}


page_options = _shared_options("page", {"limit": (None, PageLimitOption), "offset": (0, PageOffsetOption)}, _page)
page_options.__doc__ = """Give a question --limit and --offset; it receives ``page`` (see ``_page``)."""

store_options = _shared_options(
    "settings",
    {"db": (None, DbOption), "neo4j": (None, Neo4jOption)},
    lambda values, _: StoreSettings.resolve(**values),
)
store_options.__doc__ = """Give a command the --db and --neo4j options; it receives ``settings``."""


def say(message: str) -> None:
    """A message for people, on standard error, printed literally (no markup, no highlighting).

    Control characters in it (a stored name quoted in an error) are shown as escapes, never sent
    to the terminal.
    """
    stderr.print(visible(message), markup=False, highlight=False)


def print_rows(rows: list[dict[str, Any]], fmt: str, title: str | None = None, *, lines: bool = False) -> None:
    """Print rows in the chosen format to standard output (a table shows nested values as short text)."""
    if fmt not in FORMATS:
        raise BadOption(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
    if fmt == "table" and not rows:
        say(f"{title}: no rows" if title else "no rows")
        return
    rendered = render(plain_rows(rows) if fmt == "table" else rows, fmt, title, lines=lines)
    if isinstance(rendered, str):
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
    else:
        stdout.print(rendered)


def _progress_bar() -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """A progress bar on an interactive terminal (silent in pipes and tests)."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from rich.progress import BarColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("writing"), BarColumn(), TextColumn("{task.completed} records"), console=stderr, transient=True
    )
    task = bar.add_task("load", total=None)
    bar.start()
    return (lambda n: bar.advance(task, n)), bar.stop


def _print_report(report: LoadReport, fmt: str, verb: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(report.__dict__, ensure_ascii=False, indent=2) + "\n")
        return
    say(report.summary(verb))
    if report.counts:
        print_rows(report.rows(), fmt)


def _print_answer(answer: api.Answer, fmt: str, explain: bool = False) -> None:
    """A table shows the answer summarised (``Answer.readable``); json and csv every row and field."""
    if explain:
        say(answer.cypher)
        say(f"parameters: {json.dumps(answer.params, ensure_ascii=False, default=str)}")
    if fmt != "table":
        print_rows(answer.to_dicts(), fmt, title=answer.query)
        for note in answer.notes():  # on standard error: standard output stays the rows alone
            say(f"{answer.query}: {note}")
        return
    shown = answer.readable()
    for line in shown.lines:
        sys.stdout.write(line + "\n")
    if shown.rows or not shown.lines:
        title = answer.query + (f": {shown.caption}" if shown.caption else "")
        print_rows(shown.rows, fmt, title=title, lines=True)


Paths = Annotated[list[str], typer.Argument(help="Case files, tables (.csv, .xlsx or BOOK.xlsx#Sheet) or folders.")]
DecisionsOption = Annotated[
    list[Path],
    typer.Option(
        "--decisions", help="A decisions file (merges and distinct pairs) to apply; repeatable.", show_default=False
    ),
]
MappingOption = Annotated[
    list[Path],
    typer.Option(
        "--mapping",
        "-m",
        help="A mapping (YAML) that reads the tables given, before those in ./loaders/, $RURALGRAPH_LOADERS "
        "and the bundled ones (repeatable).",
    ),
]
Entity = Annotated[str, typer.Argument(help="An id, name or alias.")]
MaxHops = Annotated[int, typer.Option(help="The longest chain to consider (1-6).")]
MaxPaths = Annotated[
    int, typer.Option(help="Enumerate at most this many of the shortest chains (the answer says when it reaches it).")
]
RelTypes = Annotated[list[str], typer.Option("--type", help="Only this relationship type (repeatable).")]
IncludeCases = Annotated[
    bool,
    typer.Option(
        "--include-cases",
        help="Also count case write-ups (FEATURES) featuring two organisations as shared work.",
    ),
]


@app.command()
@reports_errors
@store_options
def load(
    paths: Paths,
    settings: StoreSettings,
    replace: Annotated[bool, typer.Option(help="Delete what the store holds first (same transaction).")] = False,
    decisions: DecisionsOption = [],  # noqa: B006
    mapping: MappingOption = [],  # noqa: B006
    fmt: FormatOption = "table",
) -> None:
    """Validate PATHS and load them into the store, all or nothing."""
    advance, stop = _progress_bar()
    try:
        report = api.load(paths, settings, replace=replace, progress=advance, decisions=decisions, mappings=mapping)
    finally:
        stop()
    _print_report(report, fmt, "loaded")


@app.command()
@reports_errors
@store_options
def validate(
    paths: Paths,
    settings: StoreSettings,
    decisions: DecisionsOption = [],  # noqa: B006
    mapping: MappingOption = [],  # noqa: B006
    fmt: FormatOption = "table",
) -> None:
    """Check PATHS against what the store holds, without writing; exit 2 with every problem listed."""
    _print_report(api.validate(paths, settings, decisions=decisions, mappings=mapping), fmt, "valid:")


@app.command()
@reports_errors
@store_options
def show(entity: Entity, settings: StoreSettings, fmt: FormatOption = "table") -> None:
    """ENTITY with every value its sources give: which one queries see, and the sources behind each."""
    with api.Graph(settings) as graph:
        shown = graph.show(entity)
        if fmt == "json":
            sys.stdout.write(json.dumps(shown.to_dict(), ensure_ascii=False, indent=2) + "\n")
            return
        print_rows(shown.rows(), fmt, title=f"{shown.label} {shown.id}")


@app.command()
@reports_errors
@store_options
def conflicts(settings: StoreSettings, fmt: FormatOption = "table") -> None:
    """Competing claims: properties to which sources give different values, with the sources of each."""
    with api.Graph(settings) as graph:
        print_rows(graph.conflicts(), fmt, title="competing claims (shown: the value queries see)")


@app.command()
@reports_errors
@store_options
def cypher(
    query: Annotated[str, typer.Argument(help="A Cypher statement; pass values with -p, never inline.")],
    settings: StoreSettings,
    param: ParamOption = [],  # noqa: B006
    write: Annotated[bool, typer.Option(help="Allow the statement to write.")] = False,
    timeout: CypherTimeout = CYPHER_TIMEOUT_MS,
    limit: CypherLimit = CYPHER_ROW_LIMIT,
    max_work: CypherWork = CYPHER_WORK_LIMIT,
    fmt: FormatOption = "table",
) -> None:
    """Run a Cypher statement (read-only unless --write), stopped cleanly past --limit, --timeout or --max-work."""
    with api.Graph(settings, writable=write) as graph:
        rows = graph.cypher(
            query,
            parse_params(param),
            write=write,
            timeout_ms=timeout,  # 0 turns the engines' deadline off
            row_limit=limit or None,
            work_limit=max_work or None,
        )
    print_rows(rows, fmt)


@app.command()
@reports_errors
@store_options
def stats(settings: StoreSettings, fmt: FormatOption = "table") -> None:
    """Count nodes per label and relationships per type."""
    with api.Graph(settings) as graph:
        print_rows(graph.stats_rows(), fmt, title=settings.describe())


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def query(
    settings: StoreSettings,
    when: dict[str, Any],
    page: dict[str, Any],
    name: Annotated[str | None, typer.Argument(help="A query from queries/ (see --list).")] = None,
    param: ParamOption = [],  # noqa: B006
    list_queries: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    explain: Annotated[bool, typer.Option(help="Show the Cypher and the parameters it ran with.")] = False,
    timeout: TimeoutOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Ask a named question: ruralgraph query partners -p org=中国乡村发展基金会."""
    if list_queries or name is None:
        print_rows(api.queries(), fmt, title="named queries")
        return
    with api.Graph(settings) as graph:
        _print_answer(graph.query(name, timeout_ms=timeout, **page, **when, **parse_params(param)), fmt, explain)


@app.command()
@reports_errors
@store_options
@page_options
def search(
    text: Annotated[str, typer.Argument(help="Part of a name, alias, pinyin or English name.")],
    settings: StoreSettings,
    page: dict[str, Any],
    label: Annotated[str, typer.Option(help="Only this label (Organization, Program …).")] = "any",
    fmt: FormatOption = "table",
) -> None:
    """Find entities by any of their names: 扶贫, zhongguozhengquan, "Securities Association"."""
    with api.Graph(settings) as graph:
        _print_answer(graph.search(text, label=label, **page), fmt)


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def partners(
    org: Entity, settings: StoreSettings, when: dict[str, Any], page: dict[str, Any], fmt: FormatOption = "table"
) -> None:
    """Who partners with ORG, what they share, and each side's role."""
    with api.Graph(settings) as graph:
        _print_answer(graph.partners(org, **when, **page), fmt)


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def path(
    start: Annotated[str, typer.Argument(help="Where the chains start (id, name or alias).")],
    end: Annotated[str, typer.Argument(help="Where they end.")],
    settings: StoreSettings,
    when: dict[str, Any],
    page: dict[str, Any],
    max_hops: MaxHops = 4,
    rel_type: RelTypes = [],  # noqa: B006
    max_paths: MaxPaths = 100,
    fmt: FormatOption = "table",
) -> None:
    """The shortest chains from START to END, each hop with its evidence."""
    with api.Graph(settings) as graph:
        _print_answer(
            graph.path(start, end, max_hops=max_hops, types=rel_type, max_paths=max_paths, **when, **page), fmt
        )


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def why(
    a: Annotated[str, typer.Argument(help="One entity (id, name or alias).")],
    b: Annotated[str, typer.Argument(help="The other.")],
    settings: StoreSettings,
    when: dict[str, Any],
    page: dict[str, Any],
    max_hops: MaxHops = 4,
    max_paths: MaxPaths = 100,
    fmt: FormatOption = "table",
) -> None:
    """The sources and quoted spans behind what connects A and B."""
    with api.Graph(settings) as graph:
        _print_answer(graph.why(a, b, max_hops=max_hops, max_paths=max_paths, **when, **page), fmt)


@app.command()
@reports_errors
@store_options
def names(entity: Entity, settings: StoreSettings, fmt: FormatOption = "table") -> None:
    """ENTITY's name history: each name, since and until when, and the source of each rename."""
    with api.Graph(settings) as graph:
        print_rows(graph.names(entity), fmt, title="names")


@app.command()
@reports_errors
@store_options
@page_options
def sources(entity: Entity, settings: StoreSettings, page: dict[str, Any], fmt: FormatOption = "table") -> None:
    """The sources behind ENTITY's relationships, and the originals they reprint."""
    with api.Graph(settings) as graph:
        _print_answer(graph.sources(entity, **page), fmt)


@app.command()
@reports_errors
@store_options
def cite(
    settings: StoreSettings,
    entity: Annotated[str | None, typer.Argument(help="An id, name or alias (omit with --all).")] = None,
    all_sources: Annotated[bool, typer.Option("--all", help="Every source in the graph.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="bibtex, csl-json or ris.")] = "bibtex",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")] = None,
) -> None:
    """The sources behind ENTITY's facts (or --all), as a bibliography: bibtex, csl-json or ris."""
    if (entity is None) == (not all_sources):
        raise BadOption("name one entity, or give --all (not both)")
    with api.Graph(settings) as graph:
        text = graph.cite(entity, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        say(f"wrote {output}")


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def reach(
    entity: Annotated[str, typer.Argument(help="An organisation, program, fund or event (id, name or alias).")],
    settings: StoreSettings,
    when: dict[str, Any],
    page: dict[str, Any],
    fmt: FormatOption = "table",
) -> None:
    """The regions ENTITY reaches through its programs, funds and events, with prefecture and province."""
    with api.Graph(settings) as graph:
        _print_answer(graph.reach(entity, **when, **page), fmt)


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def supporters(
    region: Annotated[str, typer.Argument(help="A region (id, name, code or short name such as 隰县).")],
    settings: StoreSettings,
    when: dict[str, Any],
    page: dict[str, Any],
    fmt: FormatOption = "table",
) -> None:
    """Who supports REGION (or places inside it), directly or through programs, funds and events."""
    with api.Graph(settings) as graph:
        _print_answer(graph.supporters(region, **when, **page), fmt)


Activity = Annotated[str, typer.Argument(help="A program, fund or event (id, name or alias).")]


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def cofounders(
    activity: Activity, settings: StoreSettings, when: dict[str, Any], page: dict[str, Any], fmt: FormatOption = "table"
) -> None:
    """Who co-founded or launched ACTIVITY, with each one's role."""
    with api.Graph(settings) as graph:
        _print_answer(graph.cofounders(activity, **when, **page), fmt)


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def participants(
    activity: Activity, settings: StoreSettings, when: dict[str, Any], page: dict[str, Any], fmt: FormatOption = "table"
) -> None:
    """Every organisation with a part in ACTIVITY (or in its parts), by relationship and role."""
    with api.Graph(settings) as graph:
        _print_answer(graph.participants(activity, **when, **page), fmt)


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def timeline(
    entity: Entity, settings: StoreSettings, when: dict[str, Any], page: dict[str, Any], fmt: FormatOption = "table"
) -> None:
    """ENTITY's relationships in time order (undated last), each with when and the span that states it."""
    with api.Graph(settings) as graph:
        _print_answer(graph.timeline(entity, **when, **page), fmt)


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def money(
    entity: Entity,
    settings: StoreSettings,
    when: dict[str, Any],
    page: dict[str, Any],
    amounts: Annotated[bool, typer.Option("--amounts", help="List each amount instead of the totals.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """ENTITY's money: totals per kind and per year, each with its terms and evidence (--amounts: each amount;
    --limit and --offset page the amounts, while totals always add every one)."""
    with api.Graph(settings) as graph:
        if amounts:
            _print_answer(graph.money(entity, **when, **page), fmt)
            return
        rows = graph.money_totals(entity, **when)
    _print_totals(rows, fmt)


@app.command("money-totals", hidden=True)
@reports_errors
@store_options
@time_options
def money_totals(entity: Entity, settings: StoreSettings, when: dict[str, Any], fmt: FormatOption = "table") -> None:
    """The totals ``money`` prints (the name of the API's ``money_totals``)."""
    with api.Graph(settings) as graph:
        _print_totals(graph.money_totals(entity, **when), fmt)


def _print_totals(rows: list[dict[str, Any]], fmt: str) -> None:
    """Money totals: a table with each total's terms and evidence; json and csv every field."""
    if fmt == "table":
        shown = money_totals_table(rows)
        print_rows(shown.rows, fmt, title=f"money: {shown.caption}", lines=True)
    else:
        print_rows(rows, fmt, title="money")


@app.command()
@reports_errors
@store_options
@time_options
@page_options
def neighbourhood(
    entity: Entity,
    settings: StoreSettings,
    when: dict[str, Any],
    page: dict[str, Any],
    hops: Annotated[int, typer.Option(help="How far from ENTITY (1-4).")] = 2,
    fmt: FormatOption = "table",
) -> None:
    """Every relationship within HOPS of ENTITY, with its evidence."""
    with api.Graph(settings) as graph:
        _print_answer(graph.neighbourhood(entity, hops=hops, **when, **page), fmt)


network_app = typer.Typer(no_args_is_help=True, help="Collaboration-network measures (NetworkX).")
app.add_typer(network_app, name="network")


@network_app.command("stats")
@reports_errors
@store_options
def network_stats(settings: StoreSettings, include_cases: IncludeCases = False, fmt: FormatOption = "table") -> None:
    """Size, density, components and communities of the collaboration network, each with its method."""
    with api.Graph(settings) as graph:
        print_rows(graph.network_stats(include_cases=include_cases), fmt)


@network_app.command("brokers")
@reports_errors
@store_options
def network_brokers(
    settings: StoreSettings,
    top: Annotated[int, typer.Option(help="How many to list at most.")] = 10,
    include_cases: IncludeCases = False,
    fmt: FormatOption = "table",
) -> None:
    """Organisations that connect otherwise separate groups (betweenness centrality above 0)."""
    with api.Graph(settings) as graph:
        print_rows(graph.brokers(top, include_cases=include_cases), fmt)


@network_app.command("pairing")
@reports_errors
@store_options
def network_pairing(
    settings: StoreSettings,
    top: Annotated[int, typer.Option(help="How many to list (0: all).")] = 10,
    scheme: Annotated[str | None, typer.Option(help="Only pairings whose scheme contains this, e.g. 2021.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Which provinces bridge east and west: betweenness over the province-level pairing network.

    Two provinces are joined when a place in one assists a place in the other (each end rolled up to
    its province); the measure is NetworkX's normalised, unweighted betweenness. The pairings are
    partial, and every row says so in `coverage`.
    """
    with api.Graph(settings) as graph:
        print_rows(graph.pairing_bridges(top or None, scheme=scheme), fmt)


@network_app.command("ego")
@reports_errors
@store_options
def network_ego(
    org: Entity,
    settings: StoreSettings,
    radius: Annotated[int, typer.Option(help="How many collaboration steps out.")] = 1,
    include_cases: IncludeCases = False,
    fmt: FormatOption = "table",
) -> None:
    """ORG's ego network: every collaboration within RADIUS steps, with its weight and what is shared."""
    with api.Graph(settings) as graph:
        print_rows(graph.ego_rows(org, radius=radius, include_cases=include_cases), fmt)


Focus = Annotated[str | None, typer.Option(help="Centre on this entity (id, name or alias); it is highlighted.")]
Hops = Annotated[int, typer.Option(help="With --focus: how far from it.")]
Kinds = Annotated[
    list[str], typer.Option("--kind", help="Only organisations of this kind, e.g. foundation (repeatable).")
]
Region = Annotated[str | None, typer.Option(help="Only what reaches this region (or places inside it).")]
AllRegions = Annotated[
    bool, typer.Option(help="Also show regions that are only listed (e.g. a designation's counties), not reached.")
]
KeepIsolated = Annotated[bool, typer.Option(help="Keep nodes that the filters leave with no relationship.")]
Labels = Annotated[str, typer.Option(help="Edge labels: zh (the vocabulary's Chinese labels) or en (the types).")]


@app.command("map")
@reports_errors
@store_options
@time_options
def map_command(
    settings: StoreSettings,
    when: dict[str, Any],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("map.html"),
    focus: Focus = None,
    hops: Hops = 2,
    kind: Kinds = [],  # noqa: B006
    rel_type: RelTypes = [],  # noqa: B006
    region: Region = None,
    all_regions: AllRegions = False,
    keep_isolated: KeepIsolated = False,
    labels: Labels = "zh",
    layout: Annotated[
        str, typer.Option(help="network (spread, then still) or geo (regions at their coordinates).")
    ] = "network",
    max_nodes: Annotated[int, typer.Option(help="Above this many nodes, keep the most connected.")] = 400,
) -> None:
    """Write a self-contained partnership map (HTML) that opens offline in any browser."""
    with api.Graph(settings) as graph:
        result = graph.map(
            focus=focus,
            hops=hops,
            kinds=kind,
            types=rel_type,
            region=region,
            all_regions=all_regions,
            keep_isolated=keep_isolated,
            max_nodes=max_nodes,
            labels=labels,
            layout=layout,
            **when,
        )
    result.write(output)
    say(
        f"wrote {output}: {result.nodes} nodes, {result.edges} relationships"
        + (f" ({result.note})" if result.note else "")
    )


@app.command()
@reports_errors
@store_options
@time_options
def figure(
    settings: StoreSettings,
    when: dict[str, Any],
    output: Annotated[Path, typer.Option("--output", "-o", help="fig.svg, fig.png or fig.pdf.")] = Path("figure.svg"),
    focus: Focus = None,
    hops: Hops = 2,
    kind: Kinds = [],  # noqa: B006
    rel_type: RelTypes = [],  # noqa: B006
    region: Region = None,
    all_regions: AllRegions = False,
    keep_isolated: KeepIsolated = False,
    labels: Labels = "zh",
) -> None:
    """Write a static figure for a paper (SVG, PNG or PDF): fixed-seed layout, legend, Chinese labels."""
    with api.Graph(settings) as graph:
        result = graph.figure(
            output,
            focus=focus,
            hops=hops,
            kinds=kind,
            types=rel_type,
            region=region,
            all_regions=all_regions,
            keep_isolated=keep_isolated,
            labels=labels,
            **when,
        )
    say(
        f"wrote {output}: {result.nodes} nodes, {result.edges} relationships; {result.labelled} labelled where their "
        f"names fit at 9 pt (the map names the rest); font: {result.font}"
    )
    if result.warning:
        say(f"warning: {result.warning}")


@app.command()
@reports_errors
@store_options
def export(
    fmt: Annotated[str, typer.Argument(help="graphml, gexf, json or neo4j-csv.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file (or folder, for neo4j-csv).")],
    settings: StoreSettings,
    network: Annotated[
        str, typer.Option(help="full (every node and relationship), collaboration or org-regions.")
    ] = "full",
    include_cases: IncludeCases = False,
    spreadsheet_safe: Annotated[
        bool,
        typer.Option(
            help=(
                "neo4j-csv: put a ' before text that begins with = + - @ (a spreadsheet formula). Off by default: "
                "neo4j-admin reads no formulas and would import the ' as part of the value."
            )
        ),
    ] = False,
) -> None:
    """Export a network for Gephi (graphml, gexf), scripts (json) or neo4j-admin import (neo4j-csv).

    In GraphML and GEXF a node's label is its name; node_type holds its label (Organization …) and
    relationship the relationship type; lists are joined with "; ".
    """
    with api.Graph(settings) as graph:
        written = graph.export(
            fmt, output, network=network, include_cases=include_cases, spreadsheet_safe=spreadsheet_safe
        )
    for written_path in written:
        say(f"wrote {written_path}")


@app.command()
@reports_errors
def dedupe(
    paths: Paths,
    threshold: Annotated[float, typer.Option(help="Name similarity (0-100) that makes a candidate.")] = 85,
    confirm: Annotated[
        tuple[str, str] | None,
        typer.Option(help="KEEP DUPLICATE: record that they are one entity.", show_default=False),
    ] = None,
    distinct: Annotated[
        tuple[str, str] | None, typer.Option(help="A B: record that they are different.", show_default=False)
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why (kept with the decision).")] = None,
    decisions: Annotated[
        Path, typer.Option("--decisions", help="The decisions file to read and write.")
    ] = api.DEFAULT_DECISIONS_FILE,
    fmt: FormatOption = "table",
) -> None:
    """List possible duplicates for a person to confirm; --confirm/--distinct record a decision (--decisions)."""
    if confirm or distinct:
        written = api.record_decision(paths, decisions, merge=confirm, distinct=distinct, note=note)
        say(f"recorded in {written}; load and validate apply it with --decisions {written}")
        return
    print_rows(
        api.dedupe(paths, threshold=threshold, decisions=[decisions]), fmt, title="possible duplicates (none merged)"
    )


@app.command()
@reports_errors
def init(folder: Annotated[Path, typer.Argument(help="The folder to create (or an empty one).")]) -> None:
    """Write a starter folder for your own data: case-file and spreadsheet templates, their mapping, a README."""
    for written in api.init(folder):
        say(f"wrote {written}")
    say(f"then: ruralgraph validate {folder} && ruralgraph load {folder}")


@app.command()
@reports_errors
def synth(
    size: Annotated[str, typer.Option(help="S (≈10k relationships), M (≈100k) or L (≈1M).")] = "S",
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write into.")] = Path("synth"),
    seed: Annotated[int, typer.Option(help="The random seed: the same seed writes the same file.")] = 7,
) -> None:
    """Write a realistic synthetic dataset in the bulk format (JSON Lines), for scale tests."""
    report = api.synth(size, output, seed)
    say(f"wrote {report.path}: {report.nodes} nodes, {report.relationships} relationships")


@app.command("schema")
@reports_errors
def schema_command(
    check: Annotated[bool, typer.Option(help="Only check that schema/ is up to date (exit 1 if stale).")] = False,
) -> None:
    """Generate schema/ (case-file JSON Schema, vocabulary, Cypher constraints) from the model."""
    if check:
        stale = schema.stale_schema_files()
        if stale:
            say(f"stale: {', '.join(stale)}; run `ruralgraph schema`")
            raise typer.Exit(1)
        say("schema/ is up to date")
        return
    for written in schema.write_schema():
        say(f"wrote {written}")


@app.command()
@reports_errors
@store_options
def demo(
    settings: StoreSettings,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the map.")] = Path(
        "ruralgraph-map.html"
    ),
    fmt: FormatOption = "table",
) -> None:
    """Load the bundled dataset (replacing what the store held), print what is in it, and write a map."""
    report = api.demo(settings, output)
    _print_report(report.load, fmt, "loaded the bundled dataset:")
    names = ", ".join(row["name"] for row in report.brokers)
    bridges = ", ".join(row["name"] for row in report.bridges)
    say(
        f"top brokers: {names}\nprovinces bridging the east-west pairings (partial data; "
        f"ruralgraph network pairing): {bridges}\n"
        f"wrote the partnership map {output} ({report.map_nodes} nodes): open it in a browser; hover for evidence"
    )


def main() -> None:
    """Entry point of the ``ruralgraph`` script."""
    app()


if __name__ == "__main__":
    main()
