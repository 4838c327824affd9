"""The commands that read documents and files: code, ingest, export, demo, evaluate,
dependencies, actors and lexicon check. Each parses its options, calls one method of
the service and prints what comes back."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from faultline.cli.app import DbOption, app, console, print_json, service, table
from faultline.errors import InputError, OptionError
from faultline.service.options import day

if TYPE_CHECKING:
    from faultline.analysis.relations import Relation
    from faultline.dependencies.edges import DependencyEdge
    from faultline.models import Document
    from faultline.pipeline import RunReport
    from faultline.service import Demo

lexicon_app = typer.Typer(help="Check and inspect event lexicon files.", no_args_is_help=True)

InputsArgument = Annotated[
    list[str], typer.Argument(help="Files, folders, .jsonl, or - for stdin.")
]
DateOption = Annotated[
    str | None, typer.Option(help="Publication date (YYYY-MM-DD) for input without one.")
]


#: The skipped inputs a run lists one by one; the rest are counted in one line.
SKIPS_SHOWN = 20


def _print_skips(report: RunReport) -> None:
    out = console(stderr=True)
    for skip in report.skipped[:SKIPS_SHOWN]:
        out.print(f"[yellow]skipped[/] {skip.origin}: {skip.reason}", markup=True)
    hidden = report.total_skipped - SKIPS_SHOWN
    if hidden > 0:
        out.print(f"[yellow]skipped[/] {hidden} more inputs, not listed (--verbose lists "
                  "every one)", markup=True)


def _conclude(report: RunReport, line: str) -> None:
    """Print a run's last line; exit non-zero when nothing could be read."""
    console(stderr=True).print(line)
    if report.documents == 0:
        raise typer.Exit(1)


def _skips(report: RunReport) -> str:
    """Return "N inputs skipped (2 empty, 1 binary)"."""
    kinds = ", ".join(f"{n} {kind}" for kind, n in report.skipped_by_reason.most_common())
    return f"{report.total_skipped} inputs skipped" + (f" ({kinds})" if kinds else "")


def _new_events(report: RunReport) -> str:
    """Return "12 new events (10 distinct after merging repeated reports)"."""
    return (f"{report.new_events} new events ({report.new_clusters} distinct after merging "
            "repeated reports)")


@contextmanager
def _progress(what: str = "ingest") -> Iterator[Callable[[Document], None]]:
    """Yield the function that counts a document done on a progress display of `what`
    (shown on a terminal only)."""
    import time

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.completed} documents"),
        TextColumn("{task.fields[rate]:.1f} docs/s"),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=False,
        disable=not sys.stderr.isatty(),
    )
    task = progress.add_task(what, total=None, rate=0.0)
    started = time.perf_counter()

    def tick(_: Document) -> None:
        progress.advance(task)
        done = progress.tasks[0].completed
        progress.update(task, rate=done / max(time.perf_counter() - started, 1e-9))

    with progress:
        yield tick


def _dask_logging() -> None:
    """Have Dask log its steps as faultline does (only with --verbose): importing it sets
    its own loggers to tell every step."""
    import logging

    import distributed  # noqa: F401 - its import sets the levels changed here

    logging.getLogger("distributed").setLevel(logging.getLogger().getEffectiveLevel())


def _open_output(path: str) -> Any:
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None


def _write_lines(path: Path | None, records: Iterable[dict[str, Any]]) -> None:
    """Write records as JSON lines to path (nothing without a path)."""
    if path is None:
        return
    with _open_output(str(path)) as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


@app.command()
def code(
    ctx: typer.Context,
    inputs: InputsArgument,
    output: Annotated[
        str, typer.Option("--output", "-o", help="Where to write events (JSON lines); - = stdout.")
    ] = "-",
    date: DateOption = None,
    set_aside: Annotated[
        Path | None,
        typer.Option("--set-aside", help="Also write the statements that were not coded "
                     "(negated, hypothetical, conditional, or with no known source), as "
                     "JSON lines, here."),
    ] = None,
    dependencies: Annotated[
        Path | None,
        typer.Option("--dependencies", help="Also write the statements of dependence "
                     "found (supplier, dependent, good, share), as JSON lines, here."),
    ] = None,
    documents: Annotated[
        Path | None,
        typer.Option("--documents", help="Also write every document as read (id, hash, "
                     "title, date, origin and the text events' spans count in), as JSON "
                     "lines, here."),
    ] = None,
) -> None:
    """Code events from text and write them as PLOVER JSON lines (no database)."""
    from faultline.pipeline import RunReport

    report = RunReport()
    read: Any = None

    def keep(document: Document) -> None:
        if read is not None:
            read.write(json.dumps(dataclasses.asdict(document), ensure_ascii=False) + "\n")

    events = service(ctx).code(inputs, date=date, report=report, on_document=keep)
    out = sys.stdout if output == "-" else _open_output(output)
    try:
        read = _open_output(str(documents)) if documents is not None else None
        for event in events:
            out.write(json.dumps(event.as_record(), ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
        if read is not None:
            read.close()
    _print_skips(report)
    _write_lines(set_aside, (dataclasses.asdict(item) for item in report.set_aside))
    _write_lines(dependencies, (d.as_record() for d in report.dependencies))
    where = "standard output" if output == "-" else output
    _conclude(report, f"{report.documents} documents, {report.events} events -> {where}; "
                      f"{_skips(report)}, {len(report.set_aside)} statements set aside "
                      "(negated, hypothetical or with no known source)")


@app.command()
def ingest(
    ctx: typer.Context,
    inputs: InputsArgument,
    db: DbOption = None,
    date: DateOption = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Parse and code on a Dask cluster of this many processes on this "
                     "machine (see --dataset)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Parse and code on the running Dask cluster whose scheduler "
                     "listens here (tcp://HOST:8786; see --dataset)."),
    ] = None,
    dataset: Annotated[
        Path | None,
        typer.Option(help="With --workers or --scheduler: the folder of the Parquet shards "
                     "the workers write and of its manifest, where a killed run resumes "
                     "(default: DB.dataset beside the database)."),
    ] = None,
) -> None:
    """Read, code and store documents in the database; safe to repeat."""
    served = service(ctx, db)
    day(date)  # before the progress display starts
    if workers is not None or scheduler is not None:
        _dask_logging()
    with _progress() as tick:
        report = served.ingest(inputs, date=date, on_document=tick, workers=workers,
                               scheduler=scheduler, dataset=dataset)
    _print_skips(report)
    _conclude(report, f"{report.documents} documents read ({report.new_documents} new, "
                      f"{report.already_stored} already stored), {_new_events(report)}, "
                      f"{report.new_dependencies} new dependencies, "
                      f"{_skips(report)}; {report.docs_per_second:.1f} documents/s; "
                      f"database {served.settings.db}")


@app.command()
def export(
    ctx: typer.Context,
    output: Annotated[str, typer.Option("--output", "-o", help="File to write; - = stdout.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="plover (JSON lines), csv, parquet or cameo "
                                                 "(GDELT-style tab-separated).")
    ] = "plover",
    db: DbOption = None,
    coder: Annotated[
        str | None, typer.Option(help="Only the events of this coder version, or of a part "
                                      "of one (lexicon-7755564b).")
    ] = None,
) -> None:
    """Export the stored events."""
    if output == "-" and format == "parquet":
        raise OptionError("parquet is a binary format: give a file name with -o")
    n = service(ctx, db).export(format, sys.stdout.buffer if output == "-" else output,
                                coder=coder)
    sys.stdout.flush()
    console(stderr=True).print(
        f"{n} events written to {'stdout' if output == '-' else output} ({format})")


@app.command()
def demo(
    ctx: typer.Context,
    db: Annotated[Path, typer.Option(help="Database file for the demo.")] = Path(
        "faultline-demo/faultline.duckdb"
    ),
) -> None:
    """Ingest the bundled sample corpus and summarise what faultline found."""
    from faultline.report import write_report

    served = service(ctx, db)
    with _progress() as tick:
        found = served.demo(on_document=tick)
    _print_skips(found.run)
    report_path = write_report(found.report, Path(served.settings.db).with_name("report.html"))
    _print_demo(found, served.settings.db, report_path)


def _print_demo(found: Demo, db: Path, report_path: Path) -> None:
    out = console()
    run, summary = found.run, found.summary
    out.print(f"[bold]faultline demo[/]: sample corpus {found.corpus}")
    out.print(
        f"{run.documents} documents read ({run.new_documents} new), "
        f"{_new_events(run)} in this run, {run.docs_per_second:.1f} documents/s"
    )
    out.print(f"database holds {summary.documents} documents and {summary.events} events: "
              f"{summary.clusters} distinct events, {summary.repeated} of them reported "
              "more than once")
    out.print(table("Events by type", ("type", "events"),
                    ((etype, str(n)) for etype, n in summary.by_type), right=("events",)))
    out.print(table("Busiest dyads (source -> target)", ("source", "target", "events"),
                    ((src, tgt, str(n)) for src, tgt, n in summary.top_dyads)))
    out.print(_dependency_table(found.dependencies, "Dependencies (supplier -> dependent)"))
    out.print(table(
        "Relationships (-1 hostile .. +1 friendly, recent events weigh more)",
        ("pair", "score", "events", "weighs most"),
        ((f"{r.actors[0]}-{r.actors[1]}", f"{r.score:+.2f}", str(r.events), _heaviest(r))
         for r in found.relations)))
    for t in found.triads:
        signs = " ".join(f"{pair} {sign}" for pair, sign in t.signs.items())
        out.print(f"triangle {', '.join(t.actors)}: {signs}: {t.label}")
    out.print(f"more: faultline relations / triads / chains A B / dyad A B --db {db}")
    out.print(f"results: database {db}; events as JSON lines {found.events}; "
              f"report {report_path} (open it in a browser)")
    out.print(f"try: faultline export --db {db} --format csv -o events.csv")
    out.print(f"     faultline dependencies --db {db} --actor ARM --json")


def _heaviest(relation: Relation) -> str:
    """Return the date, direction and type of the event that weighs most in a relation."""
    if not relation.evidence:
        return "-"
    top = relation.evidence[0]
    return f"{top.date} {top.source}->{top.target} {top.event}"


def _dependency_table(edges: list[DependencyEdge], title: str) -> Any:
    def share(edge: DependencyEdge) -> str:
        if edge.share is not None:
            return f"{edge.share:.0%}"
        return edge.qualifiers[0] if edge.qualifiers else "-"

    return table(title, ("supplier", "dependent", "good", "share", "kinds", "said", "last"),
                 ((e.supplier, e.dependent, e.good or "-", share(e), ", ".join(e.kinds),
                   str(e.statements), e.last_date or "-") for e in edges),
                 right=("share", "said"))


@app.command()
def dependencies(
    ctx: typer.Context,
    db: DbOption = None,
    actor: Annotated[
        str | None, typer.Option(help="Only edges with this code on either side, e.g. ARM.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the edges as a JSON list, with evidence.")
    ] = False,
) -> None:
    """Who depends on whom for what: supplier -> dependent edges, shares and evidence."""
    served = service(ctx, db)
    edges = served.dependencies(actor)
    if as_json:
        print_json(e.as_record() for e in edges)
        return
    title = (f"Dependencies in {served.settings.db}"
             + (f" involving {actor.upper()}" if actor else ""))
    out = console()
    out.print(_dependency_table(edges, title))
    out.print(f"{len(edges)} edges from {sum(e.statements for e in edges)} statements; "
              "--json shows every statement")


@app.command()
def evaluate(
    ctx: typer.Context,
    gold: Annotated[Path, typer.Argument(
        help="Gold file: JSON lines with id, text, gold_event, source, target; or articles "
             "annotated sentence by sentence (NAME.gold.jsonl, eval/news layout).")],
    input_path: Annotated[Path | None, typer.Option(
        "--input", help="The articles of a sentence-level gold file "
                        "(default: NAME.input.jsonl beside it).")] = None,
    errors: Annotated[Path | None, typer.Option(
        help="Write what was missed or coded in excess, a sentence a line (JSON): read it on "
             "a tune half only.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Code a gold file and print per-type precision/recall/F1 and summary metrics."""
    from faultline.evaluate_sentences import is_sentence_gold

    if is_sentence_gold(gold):
        _evaluate_sentences(ctx, gold, input_path, errors, as_json)
        return
    result = service(ctx).evaluate(gold)
    if as_json:
        typer.echo(json.dumps({"n": result.n, **result.metrics, "per_type": result.per_type,
                               "confusions": result.confusions}))
        return
    out = console()
    out.print(table(
        f"{gold} ({result.n} records)", ("type", "prec", "rec", "f1", "gold", "pred"),
        ((name, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
          str(m["gold"]), str(m["predicted"]))
         for name, m in result.per_type.items() if m["gold"] or m["predicted"]),
        right=("prec", "rec", "f1", "gold", "pred")))
    for name, value in result.metrics.items():
        out.print(f"{name:<20} {value:.3f}")
    out.print("confusions (gold -> predicted): " + (", ".join(
        f"{g}->{p} {n}" for g, p, n in result.confusions) or "none"))
    out.print("no prediction, by gold type: " + (", ".join(
        f"{g} {n}" for g, n in result.missed.most_common()) or "none"))
    typer.echo(result.summary_line())


def _evaluate_sentences(ctx: typer.Context, gold: Path, input_path: Path | None,
                        errors: Path | None, as_json: bool) -> None:
    result = service(ctx).evaluate_sentences(gold, input_path)
    _write_lines(errors, result.errors)
    if as_json:
        typer.echo(json.dumps({"docs": result.articles, **result.metrics,
                               "counts": dict(result.counts), "per_type": result.per_type}))
        return
    console().print(table(
        f"{gold} ({result.articles} articles)", ("type", "gold", "found", "pred"),
        ((name, str(c["gold"]), str(c["found"]), str(c["predicted"]))
         for name, c in sorted(result.per_type.items(), key=lambda kv: -kv[1]["gold"])),
        right=("gold", "found", "pred")))
    typer.echo(result.summary_line())


@app.command()
def actors(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="A name or part of one.")] = None,
    date: Annotated[
        str | None, typer.Option(help="Resolve people as of this date (YYYY-MM-DD).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Show who an actor is and why: dictionary entries, people's roles, stored mentions."""
    found = service(ctx, db).actors(query, date=date)
    out = console()
    for line in found.explanation:
        out.print(line, markup=False)
    if not found.stored:
        out.print(f"(no database at {found.database}: nothing ingested to show)")
        return
    matching = f" matching {query!r}" if query else ""
    if found.people:
        out.print(table(
            f"People seen in {found.database}{matching} (actor registry)",
            ("name", "code", "sector", "organisation", "first seen", "last seen", "documents",
             "described as", "from"),
            ((p["name"], p["code"] or "-", p["sector"] or "-", p["org"] or "-",
              p["first_seen"] or "-",
              p["last_seen"] or "-", str(p["documents"]), "; ".join(p["roles"] or []) or "-",
              ", ".join(p["sources"])) for p in found.people)))
    out.print(table(f"Actors in events in {found.database}{matching}",
                    ("actor text", "code", "sector", "organisation", "mentions"),
                    ((text, code or "-", sector or "-", org or "-", str(n))
                     for text, code, sector, org, n in found.mentions)))


@lexicon_app.command("check")
def lexicon_check(
    files: Annotated[list[Path], typer.Argument(help="Lexicon YAML files to validate.")],
) -> None:
    """Validate lexicon files (event or dependency); print each problem as FILE:LINE: message."""
    from faultline.service import check_lexicons

    checked = check_lexicons(files)
    out = console()
    for problem in checked.problems:
        out.print(problem, markup=False)
    if checked.problems:
        raise typer.Exit(1)
    out.print(f"ok: {checked.entries} entries in {checked.files} file(s)")
