"""`faultline serve`: the REST API under /api/v1 and the dashboard, one FastAPI app.

    from faultline.web import create_app
    app = create_app(load_settings().with_(db="news.duckdb"))

Like the command line, the app is a thin adapter over faultline.service: each
route parses its parameters, calls one Service method and renders the result
(app.py builds the app, api.py the JSON routes, pages.py the HTML pages,
problems.py the errors). Importing this package imports FastAPI.
"""

from __future__ import annotations

from faultline.web.app import create_app

__all__ = ["create_app"]
