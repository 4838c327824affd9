"""The analysis commands: dyad, relations, chains, triads, clusters and report.

Each parses its options, calls one method of the service and prints a table
or JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from faultline.cli.app import DbOption, JsonOption, console, print_json, service, table
from faultline.service.options import scope

if TYPE_CHECKING:
    from faultline.analysis.alerts import Alert

analysis_app = typer.Typer()

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
    a: Annotated[str, typer.Argument(help="First actor: a code (RUS), an organisation (EU) "
                                          "or either with a sector (RUS:GOV).")],
    b: Annotated[str, typer.Argument(help="Second actor, likewise.")],
    by: Annotated[str, typer.Option(help="day, week, month, quarter or year.")] = "month",
    since: SinceOption = None,
    until: UntilOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Events between two actors per period, each direction: types, quad classes, intensity."""
    window = scope(since, until)
    rows = service(ctx, db).dyad(a, b, by=by, scope=window)
    if as_json:
        print_json(rows)
        return
    out = console()
    out.print(table(
        f"{a.upper()} and {b.upper()} by {by}",
        ("period", "direction", "events", "q1", "q2", "q3", "q4", "intensity", "types"),
        ((_period(r.period, by), f"{r.source}->{r.target}", str(r.events),
          *(str(r.by_quad.get(q, 0)) for q in (1, 2, 3, 4)), f"{r.intensity:+.1f}",
          ", ".join(f"{t} {n}" for t, n in sorted(r.by_type.items()))) for r in rows),
        right=("events", "q1", "q2", "q3", "q4", "intensity"),
        caption="q1 verbal cooperation, q2 material cooperation, q3 verbal conflict, "
                "q4 material conflict; intensity: sum, -10..+10 each"))
    if not rows:
        out.print(f"no dated events between {a} and {b}")


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
    window = scope(since, until, sectors)
    rows = service(ctx, db, half_life_days=half_life).relations(
        actor=actor, scope=window, evidence=evidence, min_events=min_events)
    if as_json:
        print_json(rows)
        return
    out = console()
    shown = rows[:limit]
    out.print(table(
        "Relationships (score -1 hostile .. +1 friendly; recency-weighted)",
        ("pair", "score", "events", "A->B", "B->A", "recent", "earlier", "trend", "last"),
        ((f"{r.actors[0]}-{r.actors[1]}", _num(r.score), str(r.events),
          f"{r.directions[0].events} {_num(r.directions[0].score)}",
          f"{r.directions[1].events} {_num(r.directions[1].score)}",
          _num(r.recent), _num(r.earlier), _num(r.trend), r.last_date or "-") for r in shown),
        right=("score", "events", "A->B", "B->A", "recent", "earlier", "trend")))
    for r in shown:
        if r.evidence:
            out.print(f"[bold]{r.actors[0]} - {r.actors[1]}[/] {_num(r.score)}: weighs most")
            for e in r.evidence:
                out.print(f"  {e.date} {e.source}->{e.target} {e.event} {e.intensity:+.0f} "
                          f"(confidence {e.confidence:.2f}, weight {e.weight:.2f}, "
                          f"{e.n_mentions} report(s), doc {e.doc_id}) "
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
    window = scope(since, until, sectors)
    served = service(ctx, db, chain_days=days)
    found = served.chains(a, b, exact_dates=exact_dates, scope=window)
    if as_json:
        print_json(found)
        return
    out = console()
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
    out.print(f"{len(found)} chains{pair} (answers within {served.settings.chain_days} days)")


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
    window = scope(since, until, sectors)
    served = service(ctx, db, min_evidence=min_evidence)
    # the table shows `limit`: one more says whether there are others
    found = served.triads(actor=actor, by=by, limit=None if as_json else limit + 1,
                          scope=window)
    if as_json:
        print_json(found)
        return
    history = [] if by == "none" else [f"by {by}"]
    out = console()
    out.print(table(
        f"Triangles (each pair with {served.settings.min_evidence}+ events)",
        ("actors", "signs", "kind", "pivot", "events per pair", *history),
        ((", ".join(t.actors), "  ".join(f"{pair} {sign}" for pair, sign in t.signs.items()),
          t.label, t.pivot or "-", " ".join(str(n) for n in t.evidence.values()),
          *(["; ".join(f"{_period(h.period, by)} {h.kind.replace('_', ' ')}"
                       for h in t.history) or "-"] if history else []))
         for t in found[:limit])))
    if len(found) > limit:
        out.print("more triangles: --limit, --actor or --json")
    if not found:
        out.print("no closed triangle: every pair of three actors needs "
                  f"{served.settings.min_evidence} events or more (--min-evidence)")


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
    served = service(ctx, db)
    if rebuild:
        counts = served.recluster()
        console(stderr=True).print(
            f"{counts['events']} events grouped into {counts['clusters']} distinct events "
            f"({counts['repeated']} reported more than once)")
    found = served.clusters(cluster_id=cluster, min_mentions=min_mentions, limit=limit)
    if as_json:
        print_json(found)
        return
    out = console()
    for c in found:
        out.print(f"[bold]{c.cluster_id}[/] {c.date} {c.source or '?'}->{c.target or '?'} "
                  f"{c.event}: {c.n_mentions} reports in {c.n_documents} document(s)")
        for m in c.mentions:
            out.print(f"  {m.published or '-'} {m.doc_id} {_clip(m.title, 40)!r}: "
                      f"{_clip(m.sentence, 100)}", markup=False)
    if not found:
        out.print("no such cluster" if cluster else
                  f"no event reported {min_mentions} times or more")


def event_line(e: dict[str, Any]) -> str:
    """Return one line for an event record: date, source->target, type, intensity, its
    document and sentence."""
    source = ",".join(x["org"] or x["code"] or "?" for x in e["source"]) or "?"
    target = ",".join(x["org"] or x["code"] or "?" for x in e["target"]) or "?"
    return (f"{e['date']} {source}->{target} {e['event']} {_num(e['intensity'], 0)} "
            f"(doc {e['doc_id']}) {_clip(e['text'], 90)}")


def print_alerts(out: Any, found: list[Alert]) -> None:
    """Print each alert on a line of its own, then the events that caused it."""
    for a in found:
        out.print(f"[bold]{a.actors[0]} - {a.actors[1]}[/] {a.kind} z {a.z:+.1f}: "
                  f"{a.events} events {a.window_start} .. {a.window_end}, weighted intensity "
                  f"{a.intensity:+.1f} against {a.baseline:+.1f} +- {a.sd:.1f} over "
                  f"{a.history_windows} windows before")
        for e in a.evidence:
            out.print(f"  {event_line(e)}", markup=False)


@analysis_app.command()
def alerts(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option(help="Only pairs that include this actor.")] = None,
    days: Annotated[
        int | None, typer.Option(help="Days in a window (default: setting alert_days).")
    ] = None,
    history: Annotated[int, typer.Option(help="Windows of history to compare with.")] = 12,
    threshold: Annotated[
        float | None, typer.Option(help="|z| that makes an alert (default: setting "
                                        "alert_threshold).")
    ] = None,
    min_events: Annotated[int, typer.Option(help="Events the latest window needs.")] = 2,
    evidence: Annotated[int, typer.Option(help="Events shown per alert.")] = 3,
    until: UntilOption = None,
    sectors: SectorsOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Escalation alerts: relationships whose latest window breaks with their own history."""
    window = scope(None, until, sectors)
    served = service(ctx, db)
    found = served.alerts(actor=actor, scope=window, days=days, threshold=threshold,
                          min_events=min_events, history=history, evidence=evidence)
    if as_json:
        print_json(found)
        return
    out = console()
    print_alerts(out, found)
    settings = served.settings
    out.print(f"{len(found)} alerts (windows of {days or settings.alert_days} days; |z| >= "
              f"{threshold or settings.alert_threshold})")


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
    from faultline.report import write_report

    data = service(ctx, db).report_data(actors or None, by=by)
    path = write_report(data, output)
    console(stderr=True).print(f"report on {', '.join(data.actors)} written to {path}")
