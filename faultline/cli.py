"""The command line: thin wrappers that parse options, call one function, print.

Every failure faultline expects is reported as one line and a non-zero exit
code, never as a traceback.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from faultline._version import __version__
from faultline.cli_analysis import analysis_app
from faultline.errors import FaultlineError, InputError
from faultline.settings import Settings, load_settings

if TYPE_CHECKING:
    from faultline.pipeline import RunReport

app = typer.Typer(
    name="faultline",
    help="Political event data from news text: who did what to whom, when and where.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
lexicon_app = typer.Typer(help="Check and inspect event lexicon files.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")
app.add_typer(analysis_app)


def _console(stderr: bool = True) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def _version(value: bool) -> None:
    if value:
        typer.echo(f"faultline {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(help="Settings file (TOML).")] = None,
    model: Annotated[
        str | None, typer.Option(help="spaCy pipeline: en_core_web_sm or en_core_web_md.")
    ] = None,
    processes: Annotated[
        int | None, typer.Option(help="Worker processes for spaCy parsing.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each step.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """faultline: read news, code PLOVER events, store and analyse them."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = load_settings(config).with_(model=model, processes=processes)


def _print_skips(report: RunReport) -> None:
    console = _console()
    for skip in report.skipped:
        console.print(f"[yellow]skipped[/] {skip.origin}: {skip.reason}", markup=True)


def _skips(report: RunReport) -> str:
    """Return "N inputs skipped (2 empty, 1 binary)"."""
    kinds = ", ".join(f"{n} {kind}" for kind, n in report.skipped_by_reason.most_common())
    return f"{len(report.skipped)} inputs skipped" + (f" ({kinds})" if kinds else "")


def _new_events(report: RunReport) -> str:
    """Return "12 new events (10 distinct after merging repeated reports)"."""
    return (f"{report.new_events} new events ({report.new_clusters} distinct after merging "
            "repeated reports)")


def _progress(total_hint: str) -> Any:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.completed} documents"),
        TextColumn("{task.fields[rate]:.1f} docs/s"),
        TimeElapsedColumn(),
        console=_console(),
        transient=False,
        disable=not sys.stderr.isatty(),
    )


@app.command()
def code(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, .jsonl, or - for stdin.")],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Where to write events (JSON lines); - = stdout.")
    ] = "-",
    date: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for input without one.")
    ] = None,
    set_aside: Annotated[
        Path | None,
        typer.Option("--set-aside", help="Also write the negated, hypothetical and "
                     "conditional statements that were not coded, as JSON lines, here."),
    ] = None,
    dependencies: Annotated[
        Path | None,
        typer.Option("--dependencies", help="Also write the statements of dependence "
                     "found (supplier, dependent, good, share), as JSON lines, here."),
    ] = None,
) -> None:
    """Code events from text and write them as PLOVER JSON lines (no database)."""
    from faultline.pipeline import RunReport, code_paths

    settings = _settings(ctx)
    report = RunReport()
    _check_date(date)
    out = sys.stdout if output == "-" else _open_output(output)
    try:
        for event in code_paths(inputs, settings, default_date=date, report=report):
            out.write(json.dumps(event.as_record(), ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    _print_skips(report)
    if set_aside is not None:
        with _open_output(str(set_aside)) as f:
            for item in report.set_aside:
                f.write(json.dumps(dataclasses.asdict(item), ensure_ascii=False) + "\n")
    if dependencies is not None:
        with _open_output(str(dependencies)) as f:
            for dependency in report.dependencies:
                f.write(json.dumps(dependency.as_record(), ensure_ascii=False) + "\n")
    where = "standard output" if output == "-" else output
    _console().print(
        f"{report.documents} documents, {report.events} events -> {where}; "
        f"{_skips(report)}, {len(report.set_aside)} negated or "
        f"hypothetical statements set aside"
    )
    if report.documents == 0:
        raise typer.Exit(1)


def _open_output(path: str) -> Any:
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None


def _check_date(date: str | None) -> None:
    import datetime as dt

    if date is None:
        return
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise InputError(f"--date {date!r} is not a date; use YYYY-MM-DD") from None


def _run_ingest(settings: Settings, inputs: list[str], date: str | None) -> RunReport:
    import time

    from faultline.pipeline import ingest as run_ingest

    with _progress("") as progress:
        task = progress.add_task("ingest", total=None, rate=0.0)
        started = time.perf_counter()

        def tick(_: object) -> None:
            progress.advance(task)
            done = progress.tasks[0].completed
            progress.update(task, rate=done / max(time.perf_counter() - started, 1e-9))

        return run_ingest(inputs, settings, default_date=date, on_document=tick)


@app.command()
def ingest(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, .jsonl, or - for stdin.")],
    db: Annotated[Path | None, typer.Option(help="Database file.")] = None,
    date: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for input without one.")
    ] = None,
) -> None:
    """Read, code and store documents in the database; safe to repeat."""
    settings = _settings(ctx).with_(db=db)
    _check_date(date)
    report = _run_ingest(settings, inputs, date)
    _print_skips(report)
    _console().print(
        f"{report.documents} documents read ({report.new_documents} new, "
        f"{report.already_stored} already stored), {_new_events(report)}, "
        f"{report.new_dependencies} new dependencies, "
        f"{_skips(report)}; {report.docs_per_second:.1f} documents/s; "
        f"database {settings.db}"
    )
    if report.documents == 0:
        raise typer.Exit(1)


@app.command()
def export(
    ctx: typer.Context,
    output: Annotated[str, typer.Option("--output", "-o", help="File to write; - = stdout.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="plover (JSON lines), csv or parquet.")
    ] = "plover",
    db: Annotated[Path | None, typer.Option(help="Database file.")] = None,
) -> None:
    """Export the stored events."""
    import shutil
    import tempfile

    from faultline.store import open_store

    settings = _settings(ctx).with_(db=db)
    if not Path(settings.db).exists():
        raise InputError(f"no database at {settings.db}; run `faultline ingest` first")
    if output == "-" and format == "parquet":
        raise InputError("parquet is a binary format: give a file name with -o")
    with open_store(settings.db, read_only=True) as store:
        if output != "-":
            n = store.export(format, output)
        else:
            # DuckDB writes files: export to a temporary one and copy it out
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"events.{format}"
                n = store.export(format, path)
                with path.open("rb") as f:
                    shutil.copyfileobj(f, sys.stdout.buffer)
                sys.stdout.flush()
    _console().print(f"{n} events written to {'stdout' if output == '-' else output} ({format})")


@app.command()
def demo(
    ctx: typer.Context,
    db: Annotated[Path, typer.Option(help="Database file for the demo.")] = Path(
        "faultline-demo/faultline.duckdb"
    ),
) -> None:
    """Ingest the bundled sample corpus and summarise what faultline found."""
    from rich.table import Table

    from faultline.dependencies.edges import dependency_edges
    from faultline.pipeline import sample_corpus
    from faultline.store import open_store

    settings = _settings(ctx).with_(db=db)
    Path(settings.db).parent.mkdir(parents=True, exist_ok=True)
    corpus = sample_corpus()
    report = _run_ingest(settings, [str(corpus)], None)
    _print_skips(report)
    out = _console(stderr=False)
    with open_store(settings.db, read_only=True) as store:
        counts = store.cluster_counts()
        n_documents = store.counts()["documents"]
        by_type = store.events_by_type()
        dyads = store.top_dyads(limit=10)
        edges = dependency_edges(store)[:10]
        events_path = Path(settings.db).with_name("events.jsonl")
        store.export("plover", events_path)
    out.print(f"[bold]faultline demo[/]: sample corpus {corpus}")
    out.print(
        f"{report.documents} documents read ({report.new_documents} new), "
        f"{_new_events(report)} in this run, {report.docs_per_second:.1f} documents/s"
    )
    out.print(f"database holds {n_documents} documents and {counts['events']} events: "
              f"{counts['clusters']} distinct events, {counts['repeated']} of them reported "
              "more than once")
    table = Table(title="Events by type")
    table.add_column("type")
    table.add_column("events", justify="right")
    for etype, n in by_type:
        table.add_row(etype, str(n))
    out.print(table)
    dyad_table = Table(title="Busiest dyads (source -> target)")
    for col in ("source", "target", "events"):
        dyad_table.add_column(col)
    for src, tgt, n in dyads:
        dyad_table.add_row(src, tgt, str(n))
    out.print(dyad_table)
    out.print(_dependency_table(edges, "Dependencies (supplier -> dependent)"))
    _print_relationships(out, settings)
    from faultline.analysis.relations import Scoring
    from faultline.report import busiest_actors, write_report

    with open_store(settings.db, read_only=True) as store:
        report_path = write_report(store, busiest_actors(store),
                                   Path(settings.db).with_name("report.html"),
                                   scoring=Scoring.from_settings(settings),
                                   chain_days=settings.chain_days)
    out.print(f"results: database {settings.db}; events as JSON lines {events_path}; "
              f"report {report_path} (open it in a browser)")
    out.print(f"try: faultline export --db {settings.db} --format csv -o events.csv")
    out.print(f"     faultline dependencies --db {settings.db} --actor ARM --json")


def _dependency_table(edges: list[Any], title: str) -> Any:
    from rich.table import Table

    table = Table(title=title)
    for col in ("supplier", "dependent", "good", "share", "kinds", "said", "last"):
        table.add_column(col, justify="right" if col in {"share", "said"} else "left")
    for edge in edges:
        share = f"{edge.share:.0%}" if edge.share is not None else (
            edge.qualifiers[0] if edge.qualifiers else "-")
        table.add_row(edge.supplier, edge.dependent, edge.good or "-", share,
                      ", ".join(edge.kinds), str(edge.statements), edge.last_date or "-")
    return table


@app.command()
def dependencies(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option(help="Database file.")] = None,
    actor: Annotated[
        str | None, typer.Option(help="Only edges with this code on either side, e.g. ARM.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the edges as a JSON list, with evidence.")
    ] = False,
) -> None:
    """Who depends on whom for what: supplier -> dependent edges, shares and evidence."""
    from faultline.dependencies.edges import dependencies as find_edges

    settings = _settings(ctx).with_(db=db)
    edges = find_edges(settings.db, actor)
    if as_json:
        typer.echo(json.dumps([e.as_record() for e in edges], ensure_ascii=False, indent=1))
        return
    title = f"Dependencies in {settings.db}" + (f" involving {actor.upper()}" if actor else "")
    out = _console(stderr=False)
    out.print(_dependency_table(edges, title))
    out.print(f"{len(edges)} edges from {sum(e.statements for e in edges)} statements; "
              "--json shows every statement")


def _print_relationships(out: Any, settings: Settings) -> None:
    """Print the demo's busiest relationships and its triangles."""
    from rich.table import Table

    from faultline.analysis.relations import Scoring, relations
    from faultline.analysis.triads import triads
    from faultline.store import open_store

    with open_store(settings.db, read_only=True) as store:
        pairs = relations(store, scoring=Scoring.from_settings(settings), evidence=1)[:8]
        triangles = triads(store, scoring=Scoring.from_settings(settings),
                           min_evidence=settings.min_evidence)
    table = Table(title="Relationships (-1 hostile .. +1 friendly, recent events weigh more)")
    for col in ("pair", "score", "events", "weighs most"):
        table.add_column(col)
    for r in pairs:
        top = r.evidence[0] if r.evidence else None
        table.add_row(f"{r.actors[0]}-{r.actors[1]}", f"{r.score:+.2f}", str(r.events),
                      f"{top.date} {top.source}->{top.target} {top.event}" if top else "-")
    out.print(table)
    for t in triangles:
        signs = " ".join(f"{pair} {sign}" for pair, sign in t.signs.items())
        out.print(f"triangle {', '.join(t.actors)}: {signs}: {t.label}")
    out.print("more: faultline relations / triads / chains A B / dyad A B --db "
              f"{settings.db}")


@app.command()
def evaluate(
    ctx: typer.Context,
    gold: Annotated[Path, typer.Argument(help="Gold file: JSON lines with id, text, "
                                                "gold_event, source, target.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Code a gold file and print per-type precision/recall/F1 and summary metrics."""
    from rich.table import Table

    from faultline.evaluate import evaluate as run_evaluate

    result = run_evaluate(gold, _settings(ctx))
    out = _console(stderr=False)
    if as_json:
        typer.echo(json.dumps({"n": result.n, **result.metrics, "per_type": result.per_type,
                               "confusions": result.confusions}))
        return
    table = Table(title=f"{gold} ({result.n} records)")
    for col in ("type", "prec", "rec", "f1", "gold", "pred"):
        table.add_column(col, justify="left" if col == "type" else "right")
    for name, m in result.per_type.items():
        if m["gold"] or m["predicted"]:
            table.add_row(name, f"{m['precision']:.3f}", f"{m['recall']:.3f}",
                          f"{m['f1']:.3f}", str(m["gold"]), str(m["predicted"]))
    out.print(table)
    for name, value in result.metrics.items():
        out.print(f"{name:<20} {value:.3f}")
    out.print("confusions (gold -> predicted): " + (", ".join(
        f"{g}->{p} {n}" for g, p, n in result.confusions) or "none"))
    out.print("no prediction, by gold type: " + (", ".join(
        f"{g} {n}" for g, n in result.missed.most_common()) or "none"))
    typer.echo(result.summary_line())


@app.command()
def actors(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="A name or part of one.")] = None,
    date: Annotated[
        str | None, typer.Option(help="Resolve people as of this date (YYYY-MM-DD).")
    ] = None,
    db: Annotated[Path | None, typer.Option(help="Database file.")] = None,
) -> None:
    """Show who an actor is and why: dictionary entries, people's roles, stored mentions."""
    from rich.table import Table

    from faultline.resolve.explain import explain_actor

    settings = _settings(ctx).with_(db=db)
    _check_date(date)
    out = _console(stderr=False)
    if query:
        for line in explain_actor(query, date):
            out.print(line, markup=False)
    if not Path(settings.db).exists():
        out.print(f"(no database at {settings.db}: nothing ingested to show)")
        return
    from faultline.store import open_store

    with open_store(settings.db, read_only=True) as store:
        rows = store.actor_mentions(query)
        people = store.people(query)
    matching = f" matching {query!r}" if query else ""
    if people:
        registry = Table(title=f"People seen in {settings.db}{matching} (actor registry)")
        for col in ("name", "code", "sector", "first seen", "last seen", "documents",
                    "described as", "from"):
            registry.add_column(col)
        for p in people:
            registry.add_row(p["name"], p["code"] or "-", p["sector"] or "-",
                             p["first_seen"] or "-", p["last_seen"] or "-",
                             str(p["documents"]), "; ".join(p["roles"] or []) or "-",
                             ", ".join(p["sources"]))
        out.print(registry)
    table = Table(title=f"Actors in events in {settings.db}{matching}")
    for col in ("actor text", "code", "sector", "mentions"):
        table.add_column(col)
    for text, code, sector, n in rows:
        table.add_row(text, code or "-", sector or "-", str(n))
    out.print(table)


@lexicon_app.command("check")
def lexicon_check(
    files: Annotated[list[Path], typer.Argument(help="Lexicon YAML files to validate.")],
) -> None:
    """Validate lexicon files (event or dependency); print each problem as FILE:LINE: message."""
    from faultline.coder.lexicon import _read_yaml, check_texts
    from faultline.dependencies.lexicon import (
        check_dependency_texts,
        is_dependency_lexicon,
        read_dependency_texts,
    )
    from faultline.errors import LexiconError

    texts: list[tuple[str, str]] = []
    dependency_texts: list[tuple[str, str]] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from None
        try:
            own = is_dependency_lexicon(_read_yaml(text, str(path)))
        except LexiconError:
            own = False  # check_texts reports the YAML error with its line
        (dependency_texts if own else texts).append((str(path), text))
    entries, _, problems = check_texts(texts)
    n_entries = len(entries)
    if dependency_texts:
        # a user's file is read after the bundled one, whose goods it may use
        bundled = read_dependency_texts()
        parts, more = check_dependency_texts([*bundled, *dependency_texts])
        problems.extend(more)
        names = {name for name, _ in dependency_texts}
        n_entries += sum(1 for p in parts.patterns if p.rule.rsplit(":", 2)[0] in names)
    console = _console(stderr=False)
    for problem in problems:
        console.print(str(problem), markup=False)
    if problems:
        raise typer.Exit(1)
    console.print(f"ok: {n_entries} entries in {len(files)} file(s)")


def main() -> None:
    """Run the CLI, turning faultline's errors into one line on stderr."""
    try:
        app()
    except FaultlineError as exc:
        print(f"faultline: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("faultline: interrupted", file=sys.stderr)
        sys.exit(130)
