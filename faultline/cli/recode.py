"""The recode command: code the stored documents again from their stored parses."""

from __future__ import annotations

from typing import Annotated

import typer

from faultline.cli.app import DbOption, app, console, service
from faultline.cli.commands import _progress
from faultline.service.options import day


@app.command()
def recode(
    ctx: typer.Context,
    db: DbOption = None,
    since: Annotated[
        str | None, typer.Option(help="Only documents published on or after this day "
                                      "(YYYY-MM-DD).")
    ] = None,
) -> None:
    """Code the stored documents again with the current lexicons and settings, from the
    parses ingest kept (no parsing), in place of their events."""
    served = service(ctx, db)
    day(since, "--since")  # before the progress display starts
    with _progress("recode") as tick:
        report = served.recode(since=since, on_document=tick)
    out = console(stderr=True)
    for skip in report.unreadable:
        out.print(f"[yellow]kept[/] the events of {skip.origin}: {skip.reason}", markup=True)
    if report.unparsed:
        out.print(f"[yellow]passed over[/] {report.unparsed} documents stored without a "
                  "parse (by an older faultline): re-ingest them into a new database file "
                  "(--db NEW.duckdb) to recode them", markup=True)
    out.print(f"{report.documents} documents recoded: {report.events} events in place of "
              f"{report.old_events} (coder {report.coder or '-'}); "
              f"{report.docs_per_second:.1f} documents/s; database {served.settings.db}")
