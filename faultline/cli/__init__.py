"""The command line: a thin adapter over faultline.service.

Each command parses its options, calls one method of the service and prints
what comes back; app.py holds the global options and main(), commands.py the
commands that read documents and files, analysis.py the analyses, serve.py the
web server.
"""

from __future__ import annotations

from faultline.cli.analysis import analysis_app
from faultline.cli.app import app, main
from faultline.cli.commands import lexicon_app
from faultline.cli.recode import recode
from faultline.cli.serve import serve
from faultline.cli.watch import watch

app.add_typer(lexicon_app, name="lexicon")
app.add_typer(analysis_app)

__all__ = ["app", "main", "recode", "serve", "watch"]
