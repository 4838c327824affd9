"""The watch command: read news feeds in rounds, ingest the new articles, print what came
of each round (new events, then the escalation alerts, if any)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from faultline.cli.analysis import event_line, print_alerts
from faultline.cli.app import DbOption, app, console, service

if TYPE_CHECKING:
    from faultline.feeds import Round


@app.command()
def watch(
    ctx: typer.Context,
    sources: Annotated[Path, typer.Argument(
        help="File listing the feeds: one URL a line (RSS or Atom feed, sitemap or JSON "
             "list of articles), optionally after its kind: feed, sitemap or json.")],
    every: Annotated[str, typer.Option(
        help="Time between two rounds: 15m, 1h, 90s, 2d.")] = "15m",
    once: Annotated[bool, typer.Option(
        "--once", help="Run one round and exit (for cron).")] = False,
    db: DbOption = None,
) -> None:
    """Watch news feeds: fetch the new articles, ingest them, print new events and alerts."""
    served = service(ctx, db)
    out = console()
    fetching = _Fetching()
    for found in served.watch(sources, every=every, once=once, on_fetch=fetching):
        fetching.stop()
        _print_round(out, found)
        if found.events:
            print_alerts(out, served.alerts())
        if once and found.unreadable == found.sources:
            raise typer.Exit(1)  # no source could be read: cron should say so


class _Fetching:
    """Shows on a terminal (standard error) the address a round is fetching."""

    def __init__(self) -> None:
        self.status = console(stderr=True).status("") if sys.stderr.isatty() else None
        self.running = False

    def __call__(self, url: str) -> None:
        if self.status is None:
            return
        self.status.update(f"fetching {url}")
        if not self.running:
            self.status.start()
            self.running = True

    def stop(self) -> None:
        """Take the display away (before a round's results are printed)."""
        if self.status is not None and self.running:
            self.status.stop()
            self.running = False


def _print_round(out: Any, found: Round) -> None:
    """Print a round's new events (standard output), its problems and a summary line
    (standard error)."""
    from faultline.feeds.watch import MAX_TRIES

    err = console(stderr=True)
    for problem in found.problems:
        later = f" (tried again next round, {MAX_TRIES} times at most)" if problem.transient \
            else ""
        err.print(f"[yellow]skipped[/] {problem.url}: {problem.reason}{later}", markup=True,
                  soft_wrap=True)
    for event in found.events:
        out.print(event_line(event), markup=False, soft_wrap=True)
    waiting = f", {found.waiting} left for the next round" if found.waiting else ""
    err.print(f"round {found.number} ({found.started:%Y-%m-%d %H:%M} UTC): {found.sources} "
              f"sources ({found.unchanged} unchanged), {found.pages} new pages read "
              f"({found.already_seen} seen before{waiting}), {found.new_documents} new "
              f"documents ({found.already_stored} already stored), {len(found.events)} new "
              f"events, {len(found.problems)} skipped", soft_wrap=True)
