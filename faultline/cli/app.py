"""The root of the command line: global options, the service each command calls, output.

Every failure faultline expects is reported by main() as one line and a
non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from faultline._version import __version__
from faultline.errors import FaultlineError
from faultline.settings import Settings, load_settings

if TYPE_CHECKING:
    from faultline.service import Service

app = typer.Typer(
    name="faultline",
    help="Political event data from news text: who did what to whom, when and where.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[Path | None, typer.Option(
    help="Database file, or a Parquet dataset folder to read (default: setting db).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


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


def service(ctx: typer.Context, db: Path | None = None, **overrides: Any) -> Service:
    """Return the service a command calls: the global options' settings with the command's
    own (None: the setting stands); its database closes when the command ends."""
    from faultline.service import Service

    settings = ctx.find_object(Settings)
    assert settings is not None, "main_options sets the settings"
    served = Service(settings.with_(db=db, **overrides), on_wait=_waiting, on_note=_note)
    ctx.call_on_close(served.close)
    return served


def _waiting(message: str) -> None:
    """Say on stderr what the command waits for (another process's hold on the database)."""
    print(f"faultline: waiting: {message}", file=sys.stderr, flush=True)


def _note(message: str) -> None:
    """Say on stderr what the data read lacks (a Parquet dataset without its clusters)."""
    print(f"faultline: note: {message}", file=sys.stderr, flush=True)


def console(stderr: bool = False) -> Any:
    """Return a rich console on standard output (or error), without markup highlighting."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def table(title: str, columns: Iterable[str], rows: Iterable[Sequence[str]], *,
          right: Iterable[str] = (), caption: str | None = None) -> Any:
    """Return a rich table; the columns named in right are right-aligned."""
    from rich.table import Table

    aligned = set(right)
    out = Table(title=title, caption=caption)
    for column in columns:
        out.add_column(column, justify="right" if column in aligned else "left")
    for row in rows:
        out.add_row(*row)
    return out


def print_json(records: Iterable[Any]) -> None:
    """Print records (dicts, or records with as_dict()) as one indented JSON list."""
    data = [r if isinstance(r, dict) else r.as_dict() for r in records]
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1))


class _Interrupted(BaseException):
    """Ctrl-C: raised by main's SIGINT handler, where typer would swallow KeyboardInterrupt
    into a silent exit 130."""


def _interrupt(signum: int, frame: Any) -> None:
    raise _Interrupted


def main() -> None:
    """Run the CLI, turning faultline's errors into one line on stderr, and Ctrl-C into one
    line and exit code 130."""
    import signal

    before = signal.getsignal(signal.SIGINT)
    if before is signal.default_int_handler:  # not when Ctrl-C is ignored (nohup, &)
        signal.signal(signal.SIGINT, _interrupt)
    try:
        app()
    except FaultlineError as exc:
        print(f"faultline: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except (_Interrupted, KeyboardInterrupt):
        print("faultline: interrupted (ingest keeps every batch it finished: run it again "
              "to go on)", file=sys.stderr)
        sys.exit(130)
    finally:
        if before is signal.default_int_handler:
            signal.signal(signal.SIGINT, before)
