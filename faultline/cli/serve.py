"""`faultline serve`: the REST API and the dashboard over a database, served by uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from faultline.cli.app import DbOption, app, console, service


@app.command()
def serve(
    ctx: typer.Context,
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine "
                                           "only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the REST API (/api/v1, docs at /api/docs) and the dashboard; read-only unless
    the token setting (FAULTLINE_TOKEN) is set, which POST /api/v1/documents then needs."""
    import uvicorn

    from faultline.web import create_app

    served = service(ctx, db)
    settings = served.settings
    if not settings.token:
        served.store  # noqa: B018 - fail now, with the usual message, when there is no database
    served.close()
    mode = "uploads with the write token" if settings.token else "read-only"
    console(stderr=True).print(f"serving {settings.db} ({mode}) at http://{host}:{port}/ "
                               f"(API docs: http://{host}:{port}/api/docs); Ctrl-C stops")
    uvicorn.run(create_app(settings, warm_up=True), host=host, port=port, log_level="warning")
