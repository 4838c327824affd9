"""Errors as RFC 9457 problem details (application/problem+json), one handler per kind.

faultline's own errors carry a one-line message that says what to give
instead; the handlers choose the status: a value the caller should change is
422, something asked for that is not there 404, no database yet 503. The
dashboard's pages get the same message in HTML. Nothing the app expects
becomes a 500; an unexpected failure is logged with its traceback and the
client gets a 500 problem without it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from faultline.errors import (
    FaultlineError,
    NoDatabaseError,
    NotFoundError,
    OptionError,
    SettingsError,
)

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from starlette.responses import Response

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"

#: Error class -> (status, title), most specific first.
STATUSES: list[tuple[type[FaultlineError], int, str]] = [
    (NotFoundError, 404, "Not found"),
    (OptionError, 422, "Invalid parameter"),
    (SettingsError, 422, "Invalid parameter"),
    (NoDatabaseError, 503, "No database"),
    (FaultlineError, 500, "Database error"),
]


class Problem(Exception):
    """An HTTP error the app raises itself: status, title, detail, extra headers."""

    def __init__(self, status: int, title: str, detail: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers or {}


def status_of(exc: FaultlineError) -> tuple[int, str]:
    """Return the HTTP status and title of one of faultline's errors."""
    for cls, status, title in STATUSES:
        if isinstance(exc, cls):
            return status, title
    return 500, "Server error"


def problem(request: Request, status: int, title: str, detail: str,
            headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """Return a problem response: JSON for the API, an HTML page for the dashboard."""
    from fastapi.responses import JSONResponse

    if not request.url.path.startswith("/api/"):
        from faultline.web.pages import error_page

        return error_page(request, status, title, detail)
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail,
            "instance": request.url.path, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    """Make every error the app can meet answer as a problem."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    async def faultline_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, FaultlineError)
        status, title = status_of(exc)
        if status == 500:
            log.error("%s %s: %s", request.method, request.url.path, exc)
        return problem(request, status, title, str(exc))

    async def own(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return problem(request, exc.status, exc.title, exc.detail, exc.headers)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg")}
                  for e in exc.errors()]
        detail = "; ".join(f"{e['where']}: {e['problem']}" for e in errors) or "invalid request"
        return problem(request, 422, "Invalid parameter", detail, errors=errors)

    async def http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        titles = {404: "Not found", 405: "Method not allowed"}
        return problem(request, exc.status_code, titles.get(exc.status_code, "HTTP error"),
                       str(exc.detail), dict(exc.headers or {}))

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("%s %s failed", request.method, request.url.path)
        return problem(request, 500, "Server error",
                       "the server failed to answer; the log says why")

    app.add_exception_handler(FaultlineError, faultline_error)
    app.add_exception_handler(Problem, own)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http)
    app.add_exception_handler(Exception, unexpected)
