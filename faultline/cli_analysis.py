"""The analysis commands: dyad, relations, chains, triads, clusters.

Thin like the rest of the command line: parse options, call one function of
faultline.analysis, print a table or JSON. cli.py mounts this app.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from faultline.errors import InputError
from faultline.settings import Settings

if TYPE_CHECKING:
    from faultline.analysis.base import Scope
    from faultline.store import Store

analysis_app = typer.Typer()

DbOption = Annotated[Path | None, typer.Option(help="Database file (default: setting db).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
SinceOption = Annotated[
    str | None, typer.Option(help="Only events dated on or after this day (YYYY-MM-DD).")
]
UntilOption = Annotated[
    str | None, typer.Option(help="Only events dated on or before this day (YYYY-MM-DD); "
                                  "scores are computed as of this day.")
]
SectorsOption = Annotated[
    bool, typer.Option("--sectors", help="Compare actors by country and sector (RUS:GOV).")
]


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def _out(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(highlight=False, stderr=stderr)


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


def _scope(since: str | None, until: str | None, sectors: bool = False) -> Scope:
    from faultline.analysis.base import Scope

    return Scope(_date(since, "--since"), _date(until, "--until"), sectors)


@contextmanager
def _store(settings: Settings, db: Path | None) -> Iterator[Store]:
    from faultline.store import open_store

    path = Path(db or settings.db)
    if not path.exists():
        raise InputError(f"no database at {path}; run `faultline ingest` first")
    with open_store(path, read_only=True) as store:
        yield store


def _json(items: Sequence[Any]) -> None:
    typer.echo(json.dumps([item.as_dict() for item in items], ensure_ascii=False, indent=1))


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:+.{digits}f}"


def _period(start: str, by: str) -> str:
    """Return a period's name from its first day: 2025, 2025-Q3, 2025-07 or the day."""
    if by == "year":
        return start[:4]
    if by == "quarter":
        return f"{start[:4]}-Q{(int(start[5:7]) + 2) // 3}"
    return start[:7] if by == "month" else start


def _clip(text: str | None, width: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


@analysis_app.command()
def dyad(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="First actor: a code (RUS) or code:sector (RUS:GOV).")],
    b: Annotated[str, typer.Argument(help="Second actor, likewise.")],
    by: Annotated[str, typer.Option(help="day, week, month, quarter or year.")] = "month",
    since: SinceOption = None,
    until: UntilOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Events between two actors per period, each direction: types, quad classes, intensity."""
    from rich.table import Table

    from faultline.analysis.dyads import dyad as run_dyad

    with _store(_settings(ctx), db) as store:
        rows = run_dyad(store, a, b, by=by, scope=_scope(since, until))
    if as_json:
        _json(rows)
        return
    table = Table(title=f"{a} and {b} by {by}",
                  caption="q1 verbal cooperation, q2 material cooperation, q3 verbal "
                          "conflict, q4 material conflict; intensity: sum, -10..+10 each")
    for col in ("period", "direction", "events", "q1", "q2", "q3", "q4", "intensity", "types"):
        table.add_column(col, justify="left" if col in ("period", "direction", "types")
                         else "right")
    for r in rows:
        table.add_row(_period(r.period, by), f"{r.source}->{r.target}", str(r.events),
                      *(str(r.by_quad.get(q, 0)) for q in (1, 2, 3, 4)), f"{r.intensity:+.1f}",
                      ", ".join(f"{t} {n}" for t, n in sorted(r.by_type.items())))
    _out().print(table)
    if not rows:
        _out().print(f"no dated events between {a} and {b}")


@analysis_app.command()
def relations(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option(help="Only pairs that include this actor.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    sectors: SectorsOption = False,
    half_life: Annotated[
        int | None, typer.Option(help="Days after which an event weighs half "
                                      "(default: setting half_life_days).")
    ] = None,
    min_events: Annotated[int, typer.Option(help="Leave out pairs with fewer events.")] = 1,
    evidence: Annotated[int, typer.Option(help="Events shown per pair as evidence.")] = 3,
    limit: Annotated[int, typer.Option(help="Pairs shown in the table (JSON has all).")] = 15,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The signed state of every relationship (-1..+1), its trend and the events behind it."""
    from rich.table import Table

    from faultline.analysis.base import parse_actor
    from faultline.analysis.relations import Scoring
    from faultline.analysis.relations import relations as run_relations

    settings = _settings(ctx).with_(half_life_days=half_life)
    key = None
    if actor is not None:
        code, sector = parse_actor(actor)
        sectors = sectors or sector is not None  # RUS:GOV asks for the sector level
        key = f"{code}:{sector}" if sector else code
    scope = _scope(since, until, sectors)
    with _store(settings, db) as store:
        rows = run_relations(store, scope, Scoring.from_settings(settings), actor=key,
                             evidence=evidence, min_events=min_events)
    if as_json:
        _json(rows)
        return
    out = _out()
    table = Table(title="Relationships (score -1 hostile .. +1 friendly; recency-weighted)")
    for col in ("pair", "score", "events", "A->B", "B->A", "recent", "earlier", "trend", "last"):
        table.add_column(col, justify="left" if col in ("pair", "last") else "right")
    for r in rows[:limit]:
        ab, ba = r.directions
        table.add_row(f"{r.actors[0]}-{r.actors[1]}", _num(r.score), str(r.events),
                      f"{ab.events} {_num(ab.score)}", f"{ba.events} {_num(ba.score)}",
                      _num(r.recent), _num(r.earlier), _num(r.trend), r.last_date or "-")
    out.print(table)
    for r in rows[:limit]:
        if r.evidence:
            out.print(f"[bold]{r.actors[0]} - {r.actors[1]}[/] {_num(r.score)}: weighs most")
            for e in r.evidence:
                out.print(f"  {e.date} {e.source}->{e.target} {e.event} {e.intensity:+.0f} "
                          f"(weight {e.weight:.2f}, {e.n_mentions} report(s), doc {e.doc_id}) "
                          f"{_clip(e.sentence)}", markup=False)
    if len(rows) > limit:
        out.print(f"{len(rows) - limit} more pairs: --limit, --actor or --json")
    if not rows:
        out.print("no relationships: no dated events between two different actors")


@analysis_app.command()
def chains(
    ctx: typer.Context,
    a: Annotated[str | None, typer.Argument(help="First actor (omit both for every pair).")] = None,
    b: Annotated[str | None, typer.Argument(help="Second actor.")] = None,
    days: Annotated[
        int | None, typer.Option(help="Longest answer time in days (default: setting "
                                      "chain_days).")
    ] = None,
    exact_dates: Annotated[
        bool, typer.Option("--exact-dates", help="Leave out events dated only by their "
                                                 "article's publication date.")
    ] = False,
    since: SinceOption = None,
    until: UntilOption = None,
    sectors: SectorsOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reciprocity: actions answered by the other side within N days, linked into chains."""
    from faultline.analysis.chains import chains as run_chains

    if (a is None) != (b is None):
        raise InputError("give two actors (faultline chains ARM AZE) or none for every pair")
    settings = _settings(ctx).with_(chain_days=days)
    with _store(settings, db) as store:
        found = run_chains(store, a, b, days=settings.chain_days,
                           scope=_scope(since, until, sectors), exact_dates=exact_dates)
    if as_json:
        _json(found)
        return
    out = _out()
    for c in found:
        kinds = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in c.responses.items() if n)
        out.print(f"[bold]{c.actors[0]} - {c.actors[1]}[/] {c.start} .. {c.end}: "
                  f"{len(c.steps)} steps ({kinds})")
        for s in c.steps:
            how = "opens" if s.response is None else (
                f"{s.response.replace('_', ' ')}, {s.days_after} d later")
            mark = " ~date" if s.approximate else ""
            out.print(f"  {s.date}{mark} {s.source}->{s.target} {s.event} "
                      f"{_num(s.intensity, 0)} [{how}] {_clip(s.sentence, 90)}", markup=False)
    pair = f" between {a} and {b}" if a else ""
    out.print(f"{len(found)} chains{pair} (answers within {settings.chain_days} days)")


@analysis_app.command()
def triads(
    ctx: typer.Context,
    min_evidence: Annotated[
        int | None, typer.Option(help="Events each pair needs (default: setting min_evidence).")
    ] = None,
    by: Annotated[
        str, typer.Option(help="Also show each triangle per month, quarter or year "
                                "(none: not).")
    ] = "year",
    actor: Annotated[str | None, typer.Option(help="Only triangles with this actor.")] = None,
    limit: Annotated[
        int, typer.Option(help="Triangles shown in the table, best evidenced first (JSON has "
                               "all).")
    ] = 30,
    since: SinceOption = None,
    until: UntilOption = None,
    sectors: SectorsOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every closed triangle of actors: the three signs, its kind, and how it changed."""
    from rich.table import Table

    from faultline.analysis.relations import Scoring
    from faultline.analysis.triads import triads as run_triads

    settings = _settings(ctx).with_(min_evidence=min_evidence)
    period = None if by == "none" else by
    with _store(settings, db) as store:
        found = run_triads(store, _scope(since, until, sectors),
                           Scoring.from_settings(settings),
                           min_evidence=settings.min_evidence, by=period, actor=actor,
                           # the table shows `limit`: one more says whether there are others
                           limit=None if as_json else limit + 1)
    if as_json:
        _json(found)
        return
    table = Table(title=f"Triangles (each pair with {settings.min_evidence}+ events)")
    for col in ("actors", "signs", "kind", "pivot", "events per pair", f"by {by}"):
        if col != "by none":
            table.add_column(col)
    for t in found[:limit]:
        table.add_row(
            ", ".join(t.actors),
            "  ".join(f"{pair} {sign}" for pair, sign in t.signs.items()),
            t.label, t.pivot or "-",
            " ".join(str(n) for n in t.evidence.values()),
            *([] if period is None else ["; ".join(
                f"{_period(h.period, period)} {h.kind.replace('_', ' ')}"
                for h in t.history) or "-"]),
        )
    _out().print(table)
    if len(found) > limit:
        _out().print("more triangles: --limit, --actor or --json")
    if not found:
        _out().print("no closed triangle: every pair of three actors needs "
                     f"{settings.min_evidence} events or more (--min-evidence)")


@analysis_app.command()
def clusters(
    ctx: typer.Context,
    cluster: Annotated[str | None, typer.Option("--id", help="Show this cluster.")] = None,
    min_mentions: Annotated[int, typer.Option(help="Show events reported this often.")] = 2,
    limit: Annotated[int, typer.Option(help="Clusters shown.")] = 20,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Group every stored event again with the "
                                             "current cluster_days and cluster_similarity.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Events reported more than once, with every report; --rebuild regroups them."""
    from faultline.analysis.clusters import clusters as run_clusters

    settings = _settings(ctx)
    out = _out()
    if rebuild:
        from faultline.pipeline import cluster_rules
        from faultline.store import open_store

        path = Path(db or settings.db)
        if not path.exists():
            raise InputError(f"no database at {path}; run `faultline ingest` first")
        with open_store(path) as writable:
            counts = writable.recluster(cluster_rules(settings))
        _out(stderr=True).print(
            f"{counts['events']} events grouped into {counts['clusters']} distinct events "
            f"({counts['repeated']} reported more than once)")
    with _store(settings, db) as store:
        found = run_clusters(store, min_mentions=min_mentions, cluster_id=cluster, limit=limit)
    if as_json:
        _json(found)
        return
    for c in found:
        out.print(f"[bold]{c.cluster_id}[/] {c.date} {c.source or '?'}->{c.target or '?'} "
                  f"{c.event}: {c.n_mentions} reports in {c.n_documents} document(s)")
        for m in c.mentions:
            out.print(f"  {m.published or '-'} {m.doc_id} {_clip(m.title, 40)!r}: "
                      f"{_clip(m.sentence, 100)}", markup=False)
    if not found:
        out.print("no such cluster" if cluster else
                  f"no event reported {min_mentions} times or more")


@analysis_app.command()
def report(
    ctx: typer.Context,
    actors: Annotated[
        str | None, typer.Option(help="Comma-separated codes, e.g. ARM,AZE,RUS "
                                      "(default: the five actors in most relationships).")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path(
        "report.html"),
    by: Annotated[str, typer.Option(help="Period of the timelines: week, month, quarter, "
                                         "year.")] = "month",
    db: DbOption = None,
) -> None:
    """Write one self-contained HTML report: timelines, signed graph, triangles, chains,
    dependencies and the sentences behind them."""
    from faultline.analysis.base import check_period
    from faultline.analysis.relations import Scoring
    from faultline.report import busiest_actors, parse_actors, write_report

    settings = _settings(ctx)
    check_period(by)
    with _store(settings, db) as store:
        codes = parse_actors(actors) if actors else busiest_actors(store)
        if len(codes) < 2:
            raise InputError("fewer than two actors have events between them; nothing to report")
        path = write_report(store, codes, output, scoring=Scoring.from_settings(settings),
                            by=by, chain_days=settings.chain_days)
    _out(stderr=True).print(f"report on {', '.join(codes)} written to {path}")
