"""The REST API under /api/v1: each route parses its parameters, calls one service method
and returns JSON (events also as PLOVER JSON lines, CSV, CAMEO TSV or Parquet).

Values are checked by the service (faultline.service.options, .explore); a
wrong one is a 422 problem with the service's one-line message.
"""

from __future__ import annotations

import hmac
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from faultline.errors import NotFoundError, OptionError
from faultline.service.explore import MAX_PAGE
from faultline.service.options import scope
from faultline.store.browse import SORTS
from faultline.store.formats import FORMATS
from faultline.web.cache import served as service
from faultline.web.problems import PROBLEM, Problem

router = APIRouter(prefix="/api/v1")

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    422: {"description": "A parameter faultline cannot use; `detail` says what to give.",
          "content": {PROBLEM: {}}},
}

Actor = Annotated[str | None, Query(description="An actor: a code (ARM), an organisation "
                                    "(EU), or either with a sector (RUS:GOV).",
                                    max_length=100)]
Since = Annotated[str | None, Query(description="Only events on or after this day "
                                    "(YYYY-MM-DD).", max_length=10)]
Until = Annotated[str | None, Query(description="Only events on or before this day "
                                    "(YYYY-MM-DD); scores are computed as of it.",
                                    max_length=10)]
Sectors = Annotated[bool, Query(description="Compare actors by country and sector "
                                "(RUS:GOV).")]
Pair = Annotated[str | None, Query(description="Two actors, comma-separated: ARM,AZE.",
                                   max_length=200)]




def _page(items: list[Any], limit: int, offset: int) -> tuple[list[Any], int]:
    return items[offset:offset + limit], len(items)


def _data(records: list[Any]) -> list[Any]:
    return [r.as_dict() if hasattr(r, "as_dict") else r for r in records]


@router.get("", summary="What this API serves")
def index(request: Request) -> dict[str, Any]:
    """Return the API's endpoints, the database served and whether it takes uploads."""
    settings = request.app.state.settings
    paths = sorted({route.path for route in router.routes if hasattr(route, "path")})
    return {"database": str(settings.db), "writable": bool(settings.token),
            "endpoints": paths, "openapi": "/openapi.json", "docs": "/api/docs"}


@router.get("/stats", summary="What the database holds", responses=_PROBLEMS)
def stats(request: Request,
          dyads: Annotated[int, Query(ge=1, le=100, description="Busiest pairs listed.")] = 10,
          ) -> dict[str, Any]:
    """Documents, events, distinct real-world events, dates, events by type, busiest pairs."""
    return service(request).summary(dyads=dyads).as_dict()


@router.get("/events", summary="Stored events, filtered, a page at a time",
            responses={**_PROBLEMS, 200: {"description": "A page of events.", "content": {
                "application/json": {}, **{f.media_type: {} for f in FORMATS.values()}}}})
def events(
    request: Request,
    actor: Actor = None,
    org: Annotated[str | None, Query(description="An organisation on either side, as named "
                                     "(EU, CSTO, Hamas).", max_length=200)] = None,
    pair: Pair = None,
    type: Annotated[str | None, Query(description="PLOVER types, comma-separated "
                                      "(ASSAULT,COERCE).", max_length=300)] = None,
    quad: Annotated[str | None, Query(description="Quad classes 1-4, comma-separated "
                                      "(1 verbal cooperation .. 4 material conflict).",
                                      max_length=20)] = None,
    mode: Annotated[str | None, Query(description="PLOVER mode (arrest, ...).",
                                      max_length=100)] = None,
    context: Annotated[str | None, Query(description="PLOVER context (military, ...).",
                                         max_length=100)] = None,
    since: Since = None,
    until: Until = None,
    place: Annotated[str | None, Query(description="A place's name or a country code.",
                                       max_length=200)] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees.",
                                      max_length=100)] = None,
    q: Annotated[str | None, Query(description="Words every sentence must hold.",
                                   max_length=500)] = None,
    doc: Annotated[str | None, Query(description="Events of one document (id or hash).",
                                     max_length=200)] = None,
    sort: Annotated[str, Query(description=f"One of {', '.join(SORTS)}.",
                               max_length=20)] = "-date",
    cursor: Annotated[str | None, Query(description="`next` of the previous page.",
                                        max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Events per page.")] = 50,
    format: Annotated[str, Query(description="json, or an export format: "
                                 f"{', '.join(FORMATS)}.", max_length=20)] = "json",
) -> Response:
    """Events in the PLOVER record layout with their cluster and document title; `next` is
    the cursor of the following page (also a `Link` header), `total` counts every page."""
    served = service(request)
    if format != "json" and format not in FORMATS:
        raise OptionError(f"unknown format {format!r}; choose json or one of "
                          f"{', '.join(FORMATS)}")
    where = served.event_filter(actor=actor, org=org, pair=pair, type=type, quad=quad,
                                mode=mode, context=context, since=since, until=until,
                                place=place, bbox=bbox, q=q, doc=doc)
    page = served.events(where, sort=sort, cursor=cursor, limit=limit)
    following = str(request.url.include_query_params(cursor=page.next)) if page.next else None
    headers = {"X-Total-Count": str(page.total)}
    if following:
        headers["Link"] = f'<{following}>; rel="next"'
    if format == "json":
        return JSONResponse({"total": page.total, "next": page.next, "next_url": following,
                             "events": page.events}, headers=headers)
    out = io.BytesIO()
    served.write_events(format, page.ids, out)
    fmt = FORMATS[format]
    headers["Content-Disposition"] = f'attachment; filename="events.{fmt.suffix}"'
    return Response(out.getvalue(), media_type=fmt.media_type, headers=headers)


@router.get("/documents", summary="Stored documents", responses=_PROBLEMS)
def documents(
    request: Request,
    q: Annotated[str | None, Query(description="Words the title or text must hold.",
                                   max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Documents, newest first, with their number of events."""
    rows, total = service(request).documents(q=q, limit=limit, offset=offset)
    return {"total": total, "documents": rows}


@router.get("/documents/{doc_id}", summary="One document, its coded spans marked",
            responses={**_PROBLEMS, 404: {"description": "No such document.",
                                          "content": {PROBLEM: {}}}})
def document(
    request: Request,
    doc_id: Annotated[str, Path(description="The document's id or hash.", max_length=200)],
    set_aside: Annotated[bool, Query(description="Also code the text again to show what "
                                     "was set aside and why (loads the language model).")
                         ] = True,
) -> dict[str, Any]:
    """The text, its marks (event sentences, event words, actors, dates, places,
    dependencies, set-aside statements: character offsets and what each was read as), its
    events and statements of dependence, and what the coder set aside and why."""
    return service(request).document(doc_id, set_aside=set_aside).as_dict()


def _token(request: Request, authorization: str | None) -> None:
    """Refuse a write without the server's token: 403 when the server takes no writes or
    the token is wrong, 401 when none is given."""
    expected = request.app.state.settings.token
    if not expected:
        raise Problem(403, "Writes disabled", "this server takes no uploads; start it with "
                      "a write token (the token setting or FAULTLINE_TOKEN)")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Problem(401, "Token needed", "send the write token as "
                      "'Authorization: Bearer TOKEN'", {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise Problem(403, "Wrong token", "the write token given is not this server's")


async def _body(request: Request, limit: int) -> bytes:
    """Return the request's body, refusing one over limit bytes (413)."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise Problem(413, "Too large", f"the body has {length} bytes; send at most {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, "Too large", f"the body is over {limit} bytes; send at most "
                          f"{limit}")
        chunks.append(chunk)
    return b"".join(chunks)


_RECORD_FIELDS = ("id", "text", "title", "date", "url", "source")


def _records(body: bytes, content_type: str) -> list[dict[str, Any]]:
    """Return the documents of a JSON object, a JSON list of them or JSON lines, checked."""
    try:
        text = body.decode("utf-8")
        if "ndjson" in content_type or "jsonl" in content_type:
            data: Any = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise OptionError(f"the body is not JSON (or JSON lines): {exc}") from None
    records = data if isinstance(data, list) else [data]
    for n, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise OptionError(f"document {n} is not a JSON object with a text")
        if not isinstance(record.get("text"), str):
            # an empty text is the reader's to skip, with its reason, as from a file
            raise OptionError(f"document {n} has no text; give \"text\": \"...\"")
        for key in _RECORD_FIELDS:
            if record.get(key) is not None and not isinstance(record[key], str):
                raise OptionError(f"document {n}: {key} must be a string")
        if record.get("date"):
            from faultline.service.options import day

            day(record["date"], f"document {n}: date")
    return [{k: r[k] for k in _RECORD_FIELDS if r.get(k) is not None} for r in records]


_DOCUMENT = {"type": "object", "required": ["text"], "properties": {
    "text": {"type": "string"}, "title": {"type": "string"},
    "date": {"type": "string", "description": "YYYY-MM-DD"}, "url": {"type": "string"},
    "id": {"type": "string"}, "source": {"type": "string"}}}
_UPLOAD = {
    "requestBody": {"required": True, "content": {
        "application/json": {"schema": {"oneOf": [
            _DOCUMENT, {"type": "array", "items": _DOCUMENT}]}},
        "application/x-ndjson": {"schema": {"type": "string"}},
    }},
}


@router.post("/documents", summary="Ingest documents (needs the write token)", status_code=201,
             openapi_extra=_UPLOAD,
             responses={**_PROBLEMS, 401: {"description": "No token given."},
                        403: {"description": "Writes disabled or wrong token."},
                        413: {"description": "Body too large."}})
async def upload(
    request: Request,
    authorization: Annotated[str | None, Header(description="Bearer TOKEN")] = None,
) -> JSONResponse:
    """Read, code and store documents through the normal pipeline: one JSON object {text,
    title?, date?, url?, id?, source?}, a JSON list of them, or JSON lines
    (application/x-ndjson). Answers with the documents and events stored."""
    _token(request, authorization)
    settings = request.app.state.settings
    records = _records(await _body(request, settings.max_bytes),
                       request.headers.get("content-type", ""))
    served = service(request)

    def write() -> Any:
        with request.app.state.write_lock:
            return served.ingest_records(records)

    stored = await run_in_threadpool(write)
    headers = {"Location": f"/api/v1/documents/{stored.doc_ids[0]}"} if stored.doc_ids else {}
    return JSONResponse(stored.as_dict(), status_code=201, headers=headers)


@router.get("/actors/{actor}", summary="Who an actor is", responses=_PROBLEMS)
def actor(request: Request,
          actor: Annotated[str, Path(description="A code (ARM), organisation (EU), "
                                     "RUS:GOV, or a name (Pashinyan).", max_length=200)],
          ) -> dict[str, Any]:
    """What the dictionaries say it is (roles with their dates), the registry's people, the
    words texts use for it, its events by type and its relationships."""
    return service(request).actor(actor).as_dict()


@router.get("/relations", summary="Every relationship's state", responses=_PROBLEMS)
def relations(
    request: Request,
    actor: Actor = None,
    since: Since = None,
    until: Until = None,
    sectors: Sectors = False,
    min_events: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    evidence: Annotated[int, Query(ge=0, le=50, description="Events shown per pair.")] = 3,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Signed scores (-1 hostile .. +1 friendly) with directions, trend and the events that
    weigh most, most events first."""
    found = service(request).relations(actor=actor, scope=scope(since, until, sectors),
                                       evidence=evidence, min_events=min_events)
    shown, total = _page(found, limit, offset)
    return {"total": total, "relations": _data(shown)}


@router.get("/dyads/{a}/{b}", summary="Two actors, period by period", responses=_PROBLEMS)
def dyad(
    request: Request,
    a: Annotated[str, Path(max_length=100, description="First actor (ARM, EU, RUS:GOV).")],
    b: Annotated[str, Path(max_length=100, description="Second actor.")],
    by: Annotated[str, Query(description="day, week, month, quarter or year.",
                             max_length=10)] = "month",
    since: Since = None,
    until: Until = None,
) -> dict[str, Any]:
    """For each period and direction: events, by PLOVER type and quad class, intensity."""
    periods = service(request).dyad(a, b, by=by, scope=scope(since, until))
    return {"actors": [a.upper(), b.upper()], "by": by, "periods": _data(periods)}


@router.get("/chains", summary="Reciprocity chains", responses=_PROBLEMS)
def chains(
    request: Request,
    pair: Pair = None,
    exact_dates: Annotated[bool, Query(description="Leave out events dated only by "
                                       "their article.")] = False,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> dict[str, Any]:
    """Actions answered in kind, escalated or eased, linked into chains, longest first."""
    served = service(request)
    a, b = _two(pair)
    found = served.chains(a, b, exact_dates=exact_dates, scope=scope(since, until))
    shown, total = _page(found, limit, 0)
    return {"total": total, "chains": _data(shown)}


def _two(pair: str | None) -> tuple[str | None, str | None]:
    if not pair:
        return None, None
    parts = [p.strip() for p in pair.split(",") if p.strip()]
    if len(parts) != 2:
        raise OptionError(f"pair {pair!r} is not two actors; give them as ARM,AZE")
    return parts[0], parts[1]


@router.get("/triads", summary="Closed triangles of actors", responses=_PROBLEMS)
def triads(
    request: Request,
    actor: Actor = None,
    by: Annotated[str, Query(description="History per month, quarter or year; none: "
                             "without.", max_length=10)] = "none",
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> dict[str, Any]:
    """Every triangle whose three pairs have events, its signs and kind, best evidenced
    first."""
    found = service(request).triads(actor=actor, by=by, limit=limit + 1,
                                    scope=scope(since, until))
    return {"more": len(found) > limit, "triads": _data(found[:limit])}


@router.get("/dependencies", summary="Who depends on whom, for what", responses=_PROBLEMS)
def dependencies(request: Request, actor: Actor = None) -> dict[str, Any]:
    """Edges supplier -> dependent per good, with every statement as evidence."""
    key = actor.strip().upper() if actor else None
    return {"dependencies": [e.as_record() for e in service(request).dependencies(key)]}


@router.get("/clusters", summary="Events reported more than once", responses=_PROBLEMS)
def clusters(request: Request,
             min_mentions: Annotated[int, Query(ge=1, le=1_000_000)] = 2,
             limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50) -> dict[str, Any]:
    """Real-world events with every report of them, most reported first."""
    found = service(request).clusters(min_mentions=min_mentions, limit=limit)
    return {"clusters": _data(found)}


@router.get("/clusters/{cluster_id}", summary="One real-world event and its reports",
            responses={**_PROBLEMS, 404: {"description": "No such cluster.",
                                          "content": {PROBLEM: {}}}})
def cluster(request: Request,
            cluster_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
    """The event's codes and every report of it, with the documents' titles."""
    found = service(request).clusters(cluster_id=cluster_id, min_mentions=1, limit=1)
    if not found:
        raise NotFoundError(f"no cluster {cluster_id!r}; cluster ids are event ids "
                            "(/api/v1/events gives them)")
    return found[0].as_dict()


@router.get("/alerts", summary="Escalation alerts", responses=_PROBLEMS)
def alerts(
    request: Request,
    actor: Actor = None,
    days: Annotated[int | None, Query(ge=1, le=3650, description="Days in a window "
                                      "(default: setting alert_days).")] = None,
    history: Annotated[int, Query(ge=1, le=120, description="Windows of history.")] = 12,
    threshold: Annotated[float | None, Query(gt=0, le=100, description="|z| that makes an "
                                             "alert (default: setting alert_threshold).")
                         ] = None,
    min_events: Annotated[int, Query(ge=1, le=1_000_000)] = 2,
    evidence: Annotated[int, Query(ge=0, le=50)] = 5,
    until: Until = None,
    sectors: Sectors = False,
) -> dict[str, Any]:
    """Relationships whose latest window's weighted intensity is |z| >= threshold away from
    their own history, strongest first, with the events that caused each."""
    found = service(request).alerts(actor=actor, scope=scope(None, until, sectors),
                                     days=days, threshold=threshold, min_events=min_events,
                                     history=history, evidence=evidence)
    return {"alerts": _data(found)}
