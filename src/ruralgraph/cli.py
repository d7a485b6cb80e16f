"""The ``ruralgraph`` command: a thin typer layer over the Python API, with no logic of its own.

Exit codes: 0 success; 1 unexpected failure; 2 invalid input (nothing written); 3 a name that is
unknown or ambiguous; 4 the store cannot be opened or reached; 5 a refused or failed query.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from ruralgraph import api, schema
from ruralgraph.errors import RuralgraphError
from ruralgraph.loading.load import LoadReport
from ruralgraph.output import Format, render
from ruralgraph.resources import data_dir
from ruralgraph.settings import StoreSettings

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
        help="name=value (JSON values allowed); names of entities resolve through ids, names and aliases.",
    ),
]
TimeoutOption = Annotated[int | None, typer.Option(help="Give up after this many milliseconds.")]
LimitOption = Annotated[int | None, typer.Option(help="Refuse results longer than this many rows.")]

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Print ruralgraph's own errors as one clear message and exit with their code (no traceback)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RuralgraphError as error:
            stderr.print(f"error: {error}", markup=False, highlight=False)
            raise typer.Exit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _settings(db: Path | None, neo4j: str | None) -> StoreSettings:
    return StoreSettings.resolve(db=db, neo4j=neo4j)


def _format(value: str) -> Format:
    if value not in ("table", "json", "csv"):
        raise typer.BadParameter(f"unknown format {value!r}; use table, json or csv", param_hint="--format")
    return value  # type: ignore[return-value]


def print_rows(rows: list[dict[str, Any]], fmt: str, title: str | None = None) -> None:
    """Print rows in the chosen format to standard output."""
    rendered = render(rows, _format(fmt), title)
    if isinstance(rendered, str):
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
    else:
        stdout.print(rendered)


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``name=value`` pairs; a value that reads as JSON (a number, list, true) is taken as such."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{pair!r} is not name=value", param_hint="-p")
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        params[name.strip()] = value
    return params


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
    where = f" into {report.store}" if report.store else ""
    stderr.print(
        f"{verb} {len(report.files)} file(s): {report.nodes} nodes, {report.relationships} relationships{where}",
        markup=False,
        highlight=False,
    )
    if report.counts:
        rows = [{"kind": "node", "name": k, "count": v} for k, v in report.counts["nodes"].items()]
        rows += [{"kind": "relationship", "name": k, "count": v} for k, v in report.counts["relationships"].items()]
        print_rows(rows, fmt)


@app.command()
@reports_errors
def load(
    paths: Annotated[list[Path], typer.Argument(help="Case files, CSV files or folders.")],
    db: DbOption = None,
    neo4j: Neo4jOption = None,
    replace: Annotated[bool, typer.Option(help="Delete what the store holds first (same transaction).")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Validate PATHS and load them into the store, all or nothing."""
    advance, stop = _progress_bar()
    try:
        report = api.load(paths, _settings(db, neo4j), replace=replace, progress=advance)
    finally:
        stop()
    _print_report(report, fmt, "loaded")


@app.command()
@reports_errors
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Case files, CSV files or folders.")],
    fmt: FormatOption = "table",
) -> None:
    """Check PATHS without writing anything; exit 2 with every problem listed if they are invalid."""
    _print_report(api.validate(paths), fmt, "valid:")


@app.command()
@reports_errors
def cypher(
    query: Annotated[str, typer.Argument(help="A Cypher statement; pass values with -p, never inline.")],
    param: ParamOption = [],  # noqa: B006
    write: Annotated[bool, typer.Option(help="Allow the statement to write.")] = False,
    timeout: TimeoutOption = None,
    limit: LimitOption = None,
    db: DbOption = None,
    neo4j: Neo4jOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Run a Cypher statement (read-only unless --write)."""
    with api.Graph(_settings(db, neo4j), writable=write) as graph:
        rows = graph.cypher(query, parse_params(param), write=write, timeout_ms=timeout, row_limit=limit)
    print_rows(rows, fmt)


@app.command()
@reports_errors
def stats(db: DbOption = None, neo4j: Neo4jOption = None, fmt: FormatOption = "table") -> None:
    """Count nodes per label and relationships per type."""
    with api.Graph(_settings(db, neo4j)) as graph:
        counts = graph.stats()
    rows = [{"kind": "node", "name": k, "count": v} for k, v in counts["nodes"].items()]
    rows += [{"kind": "relationship", "name": k, "count": v} for k, v in counts["relationships"].items()]
    print_rows(rows, fmt, title=graph.settings.describe())


def _print_answer(answer: Any, fmt: str, explain: bool = False) -> None:
    if explain:
        from ruralgraph.queries import get_query

        stderr.print(get_query(answer.query).cypher, markup=False, highlight=False)
        stderr.print(f"parameters: {json.dumps(answer.params, ensure_ascii=False)}", markup=False, highlight=False)
    print_rows(answer.to_dicts(), fmt, title=answer.query)


@app.command()
@reports_errors
def query(
    name: Annotated[str | None, typer.Argument(help="A query from queries/ (see --list).")] = None,
    param: ParamOption = [],  # noqa: B006
    list_queries: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    explain: Annotated[bool, typer.Option(help="Show the Cypher and the parameters it ran with.")] = False,
    timeout: TimeoutOption = None,
    limit: LimitOption = None,
    db: DbOption = None,
    neo4j: Neo4jOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Ask a named question: ruralgraph query partners -p org=中国乡村发展基金会."""
    if list_queries or name is None:
        print_rows(api.queries(), fmt, title="named queries")
        return
    with api.Graph(_settings(db, neo4j)) as graph:
        answer = graph.query(name, timeout_ms=timeout, row_limit=limit, **parse_params(param))
    _print_answer(answer, fmt, explain)


@app.command()
@reports_errors
def search(
    text: Annotated[str, typer.Argument(help="Part of a name, alias, pinyin or English name.")],
    label: Annotated[str, typer.Option(help="Only this label (Organization, Program …).")] = "any",
    db: DbOption = None,
    neo4j: Neo4jOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Find entities by any of their names: 扶贫, zhongguozhengquan, "Securities Association"."""
    with api.Graph(_settings(db, neo4j)) as graph:
        _print_answer(graph.search(text, label=label), fmt)


@app.command()
@reports_errors
def partners(
    org: Annotated[str, typer.Argument(help="An organisation's id, name or alias.")],
    db: DbOption = None,
    neo4j: Neo4jOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Who partners with ORG, what they share, and each side's role."""
    with api.Graph(_settings(db, neo4j)) as graph:
        _print_answer(graph.partners(org), fmt)


@app.command()
@reports_errors
def path(
    start: Annotated[str, typer.Argument(help="Where the chains start (id, name or alias).")],
    end: Annotated[str, typer.Argument(help="Where they end.")],
    max_hops: Annotated[int, typer.Option(help="The longest chain to consider (1-6).")] = 4,
    rel_type: Annotated[list[str], typer.Option("--type", help="Only this relationship type (repeatable).")] = [],  # noqa: B006
    db: DbOption = None,
    neo4j: Neo4jOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The shortest chains from START to END, each hop with its evidence."""
    with api.Graph(_settings(db, neo4j)) as graph:
        _print_answer(graph.path(start, end, max_hops=max_hops, types=rel_type), fmt)


@app.command()
@reports_errors
def why(
    a: Annotated[str, typer.Argument(help="One entity (id, name or alias).")],
    b: Annotated[str, typer.Argument(help="The other.")],
    max_hops: Annotated[int, typer.Option(help="The longest chain to consider (1-6).")] = 4,
    db: DbOption = None,
    neo4j: Neo4jOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The sources and quoted spans behind what connects A and B."""
    with api.Graph(_settings(db, neo4j)) as graph:
        _print_answer(graph.why(a, b, max_hops=max_hops), fmt)


network_app = typer.Typer(no_args_is_help=True, help="Collaboration-network measures (NetworkX).")
app.add_typer(network_app, name="network")


@network_app.command("stats")
@reports_errors
def network_stats(db: DbOption = None, neo4j: Neo4jOption = None, fmt: FormatOption = "table") -> None:
    """Size, density, components and communities of the collaboration network."""
    with api.Graph(_settings(db, neo4j)) as graph:
        stats = graph.network_stats()
    print_rows([{"measure": key, "value": value} for key, value in stats.items()], fmt)


@network_app.command("brokers")
@reports_errors
def network_brokers(
    top: Annotated[int, typer.Option(help="How many to list.")] = 10,
    db: DbOption = None,
    neo4j: Neo4jOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Organisations that connect otherwise separate groups (betweenness centrality)."""
    with api.Graph(_settings(db, neo4j)) as graph:
        print_rows(graph.brokers(top), fmt)


@network_app.command("ego")
@reports_errors
def network_ego(
    org: Annotated[str, typer.Argument(help="An organisation's id, name or alias.")],
    radius: Annotated[int, typer.Option(help="How many collaboration steps out.")] = 1,
    db: DbOption = None,
    neo4j: Neo4jOption = None,
    fmt: FormatOption = "table",
) -> None:
    """ORG's ego network: every collaboration within RADIUS steps, with its weight and what is shared."""
    with api.Graph(_settings(db, neo4j)) as graph:
        ego = graph.ego(org, radius=radius)
    rows = [
        {
            "a": a,
            "a_name": ego.nodes[a]["name"],
            "b": b,
            "b_name": ego.nodes[b]["name"],
            "weight": data["weight"],
            "shared": data["shared"],
        }
        for a, b, data in sorted(ego.edges(data=True))
    ]
    print_rows(rows, fmt)


@app.command("map")
@reports_errors
def map_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("map.html"),
    focus: Annotated[str | None, typer.Option(help="Centre the map on this entity (id, name or alias).")] = None,
    hops: Annotated[int, typer.Option(help="With --focus: how far from it.")] = 2,
    kind: Annotated[list[str], typer.Option(help="Only organisations of this kind (repeatable).")] = [],  # noqa: B006
    rel_type: Annotated[list[str], typer.Option("--type", help="Only this relationship type (repeatable).")] = [],  # noqa: B006
    region: Annotated[str | None, typer.Option(help="Only what reaches this region (or places inside it).")] = None,
    all_regions: Annotated[
        bool, typer.Option(help="Also show regions that are only listed (e.g. a designation's counties), not reached.")
    ] = False,
    max_nodes: Annotated[int, typer.Option(help="Above this many nodes, keep the most connected.")] = 400,
    db: DbOption = None,
    neo4j: Neo4jOption = None,
) -> None:
    """Write a self-contained partnership map (HTML) that opens offline in any browser."""
    with api.Graph(_settings(db, neo4j)) as graph:
        result = graph.map(
            focus=focus,
            hops=hops,
            kinds=kind,
            types=rel_type,
            region=region,
            all_regions=all_regions,
            max_nodes=max_nodes,
        )
    result.write(output)
    stderr.print(
        f"wrote {output}: {result.nodes} nodes, {result.edges} relationships"
        + (f" ({result.note})" if result.note else ""),
        markup=False,
        highlight=False,
    )


@app.command()
@reports_errors
def export(
    fmt: Annotated[str, typer.Argument(help="graphml, gexf, json or neo4j-csv.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file (or folder, for neo4j-csv).")],
    db: DbOption = None,
    neo4j: Neo4jOption = None,
) -> None:
    """Export the graph for Gephi (graphml, gexf), scripts (json) or neo4j-admin import (neo4j-csv)."""
    from ruralgraph.views.export import FORMATS

    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", param_hint="FMT")
    with api.Graph(_settings(db, neo4j)) as graph:
        written = graph.export(fmt, output)
    for path in written:
        stderr.print(f"wrote {path}", markup=False, highlight=False)


@app.command()
@reports_errors
def dedupe(
    paths: Annotated[list[Path], typer.Argument(help="Case files, CSV files or folders.")],
    threshold: Annotated[float, typer.Option(help="Name similarity (0-100) that makes a candidate.")] = 85,
    confirm: Annotated[
        tuple[str, str] | None,
        typer.Option(help="KEEP DUPLICATE: record that they are one entity.", show_default=False),
    ] = None,
    distinct: Annotated[
        tuple[str, str] | None, typer.Option(help="A B: record that they are different.", show_default=False)
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why (kept with the decision).")] = None,
    fmt: FormatOption = "table",
) -> None:
    """List possible duplicates for a person to confirm; --confirm/--distinct record a decision in merges.yaml."""
    from ruralgraph.tools.dedupe import record_decision

    if confirm or distinct:
        path = record_decision(api.decisions_file(paths), merge=confirm, distinct=distinct, note=note)
        stderr.print(f"recorded in {path}; every load of these files now applies it", markup=False)
        return
    print_rows(api.dedupe(paths, threshold=threshold), fmt, title="possible duplicates (none merged)")


@app.command()
@reports_errors
def synth(
    size: Annotated[str, typer.Option(help="S (≈10k relationships), M (≈100k) or L (≈1M).")] = "S",
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write into.")] = Path("synth"),
    seed: Annotated[int, typer.Option(help="The random seed: the same seed writes the same file.")] = 7,
) -> None:
    """Write a realistic synthetic dataset in the bulk format (JSON Lines), for scale tests."""
    from ruralgraph.tools.synth import SIZES, write_synthetic

    if size not in SIZES:
        raise typer.BadParameter(f"use one of {', '.join(SIZES)}", param_hint="--size")
    report = write_synthetic(size, output, seed)
    stderr.print(
        f"wrote {report.path}: {report.nodes} nodes, {report.relationships} relationships",
        markup=False,
        highlight=False,
    )


@app.command("schema")
@reports_errors
def schema_command(
    check: Annotated[bool, typer.Option(help="Only check that schema/ is up to date (exit 1 if stale).")] = False,
) -> None:
    """Generate schema/ (case-file JSON Schema, vocabulary, Cypher constraints) from the model."""
    if check:
        stale = schema.stale_schema_files()
        if stale:
            stderr.print(f"stale: {', '.join(stale)}; run `ruralgraph schema`", markup=False)
            raise typer.Exit(1)
        stderr.print("schema/ is up to date")
        return
    for path in schema.write_schema():
        stderr.print(f"wrote {path}", markup=False, highlight=False)


@app.command()
@reports_errors
def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the map.")] = Path(
        "ruralgraph-map.html"
    ),
    db: DbOption = None,
    neo4j: Neo4jOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Load the bundled dataset (replacing what the store held), print what is in it, and write a map."""
    settings = _settings(db, neo4j)
    report = api.load([data_dir()], settings, replace=True)
    _print_report(report, fmt, "loaded the bundled dataset:")
    with api.Graph(settings) as graph:
        result = graph.map()
        brokers = graph.brokers(3)
    result.write(output)
    names = ", ".join(row["name"] for row in brokers)
    stderr.print(
        f"top brokers: {names}\nwrote the partnership map {output} ({result.nodes} nodes): open it in a "
        "browser; hover for evidence",
        markup=False,
        highlight=False,
    )


def main() -> None:
    """Entry point of the ``ruralgraph`` script."""
    app()


if __name__ == "__main__":
    main()
