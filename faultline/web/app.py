"""The web app: `create_app(settings)` builds it; `faultline serve` runs it with uvicorn.

One CachingService per app, opened when the app starts and closed when it
stops, serves every request (each worker thread queries through a DuckDB
cursor of its own). The database is opened read-only unless the settings
hold a write token (the `token` setting or FAULTLINE_TOKEN): then it is opened
for writing and POST /api/v1/documents stores what a request that carries
the token sends. Routes parse their parameters, call one service method and
render what comes back: JSON under /api/v1 (api.py), HTML pages elsewhere
(pages.py). Scripts and styles are served from the package: plotly.js from the
plotly package, the rest from faultline/web/static; no page loads anything
from another host.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from faultline._version import __version__
from faultline.settings import Settings
from faultline.web import api, pages, problems
from faultline.web.cache import CachingService

log = logging.getLogger(__name__)

DESCRIPTION = """\
Political events coded from news by faultline, and the relationships they make:
who did what to whom, when and where, with the sentences behind every number.

Every list can be narrowed with query parameters; `events` pages with a cursor.
Errors are `application/problem+json` with a `title` and a one-line `detail`.
`POST /api/v1/documents` needs the server's write token as `Authorization: Bearer`.
"""


def static_dir() -> Path:
    """Return the folder of the dashboard's own scripts and styles."""
    return Path(str(resources.files("faultline.web") / "static"))


def swagger_dir() -> Path:
    """Return the folder of Swagger UI (the API's docs page) as swagger-ui-bundle ships it."""
    from swagger_ui_bundle import swagger_ui_path

    return Path(str(swagger_ui_path))


def plotly_js() -> Path:
    """Return plotly.js as the plotly package ships it."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def warm(service: CachingService, done: threading.Event | None = None) -> None:
    """Compute what the overview shows, then every pair's relationship with its evidence
    (what the relations, pair and actor views show), then make the index of events and
    pairs (what filtered event pages and pair timelines read, scanning until then), so
    that visitors need not wait; stop early if the service closes; set done when
    finished."""
    from faultline.errors import FaultlineError

    steps = (lambda: service.summary(dyads=0), lambda: service.relations(evidence=0),
             service.alerts, service.summary, service.relations, service.prepare)
    try:
        for step in steps:
            if service.closed:
                return
            step()
        # what was computed lives as long as the server: out of the cyclic collector's
        # sight, a full collection no longer walks it (pauses of 100-200 ms in
        # requests, with a million events); the app lets it go as it stops
        gc.freeze()
    except FaultlineError as exc:
        log.warning("could not prepare the overview: %s", exc)
    finally:
        if done is not None:
            done.set()


def create_app(settings: Settings, *, warm_up: bool = False) -> FastAPI:
    """Return the web app over the settings' database: the REST API under /api/v1 (its
    OpenAPI schema at /openapi.json, docs at /api/docs) and the dashboard. With warm_up,
    the overview's analyses are computed as the app starts, in the background, then the
    index of the database (see warm); app.state.prepared is set when that is done."""
    service = CachingService(settings, writable=bool(settings.token))
    prepared = threading.Event()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            threading.Thread(target=warm, args=(service, prepared), daemon=True).start()
        yield
        service.close()
        if warm_up:
            gc.unfreeze()

    app = FastAPI(title="faultline", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  lifespan=lifespan)
    app.state.service = service
    app.state.prepared = prepared
    app.state.settings = settings
    app.state.write_lock = threading.Lock()
    problems.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static/swagger", StaticFiles(directory=swagger_dir()), name="swagger")
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="faultline API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
            swagger_ui_parameters={"syntaxHighlight": False})

    return app
