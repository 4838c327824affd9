"""The dashboard: HTML pages over the same service as the API, one route per view.

Every view is a GET whose query string holds its filters, so its URL
reproduces it. Pages are rendered by Jinja2 (templates/, auto-escaped); the
charts are drawn in the browser by plotly.js and static/app.js from JSON the
page carries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from faultline._version import __version__
from faultline.analysis.base import Scope
from faultline.errors import NotFoundError, OptionError
from faultline.service.marks import segments
from faultline.service.options import scope
from faultline.store.browse import EventFilter
from faultline.web.cache import served as service

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("faultline.web") / "templates"))

QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
         4: "material conflict"}

Text = Annotated[str | None, Query(max_length=200)]


def window(since: str | None, until: str | None, sectors: bool = False) -> Scope:
    """Return the window of a page's form: an empty field is no limit."""
    return scope(since or None, until or None, sectors)


def _highlight(sentence: str | None, words: str | None) -> Markup:
    """Return a sentence as HTML with the event words marked."""
    text = sentence or ""
    wanted = [w for w in (words or "").split() if w]
    if not wanted:
        return Markup(escape(text))
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in wanted) + r")(?!\w)")
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(escape(text[last:found.start()]))
        out.append(Markup('<mark class="ev">{}</mark>').format(found.group(0)))
        last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _actors(side: Sequence[dict[str, Any]]) -> str:
    return ", ".join(str(a.get("org") or a.get("code") or "?") for a in side) or "?"


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:+.{digits}f}"


def _query(request: Request, **changes: Any) -> str:
    """Return the page's query string with some parameters changed (None: removed)."""
    params = {k: v for k, v in request.query_params.items() if k not in changes}
    params.update({k: v for k, v in changes.items() if v not in (None, "")})
    return urlencode(params)


templates.env.filters["highlight"] = _highlight
templates.env.filters["actors"] = _actors
templates.env.filters["num"] = _num
templates.env.globals["QUADS"] = QUADS
templates.env.globals["version"] = __version__


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Return a page rendered from templates/name with the context."""
    context.setdefault("query", request.query_params)
    context["with_query"] = lambda **changes: _query(request, **changes)
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    """Return a page that says what went wrong and what to do."""
    return render(request, "error.html", status=status, title=title, detail=detail)




def _json(data: Any) -> Markup:
    """Return data as JSON safe to put inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@router.get("/favicon.ico")
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg")


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    """plotly.js as the plotly package ships it."""
    from faultline.web.app import plotly_js as path

    return FileResponse(path(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, since: Text = None, until: Text = None,
             top: Annotated[int, Query(ge=2, le=60)] = 14,
             alert_days: Annotated[int | None, Query(ge=1, le=3650)] = None) -> HTMLResponse:
    """The signed network of the busiest actors, the alerts, the busiest pairs."""
    served = service(request)
    # the page shows the counts and dates, not the busiest directed pairs (a scan)
    summary = served.summary(dyads=0)
    span = window(since, until)
    relations = served.relations(scope=span, evidence=0)
    counts: dict[str, int] = {}
    for r in relations:
        for code in r.actors:
            counts[code] = counts.get(code, 0) + r.events
    nodes = sorted(counts, key=lambda c: (-counts[c], c))[:top]
    shown = set(nodes)
    edges = [{"a": r.actors[0], "b": r.actors[1], "score": r.score, "sign": r.sign,
              "events": r.events} for r in relations if set(r.actors) <= shown]
    alerts = served.alerts(days=alert_days, scope=window(None, until))
    return render(request, "overview.html", summary=summary, relations=relations[:15],
                  alerts=alerts, since=since or "", until=until or "", top=top,
                  graph=_json({"nodes": [{"id": n, "events": counts[n]} for n in nodes],
                               "edges": edges}),
                  months=_json(_months(summary.first_date, summary.last_date)))


def _months(first: str | None, last: str | None) -> list[str]:
    """Return the months YYYY-MM from first to last (for the time slider)."""
    if not first or not last:
        return []
    year, month = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while (year, month) <= (int(last[:4]), int(last[5:7])) and len(out) < 2400:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@router.get("/pair/{a}/{b}", response_class=HTMLResponse)
def pair(request: Request, a: Annotated[str, Path(max_length=100)],
         b: Annotated[str, Path(max_length=100)],
         by: Annotated[str, Query(max_length=10)] = "month", since: Text = None,
         until: Text = None) -> HTMLResponse:
    """One relationship: timeline by quad class, score and trend, chains, evidence."""
    served = service(request)
    span = window(since, until)
    a, b = a.upper(), b.upper()
    periods = served.dyad(a, b, by=by, scope=span)
    relation = next((r for r in served.relations(actor=a, scope=span)
                     if set(r.actors) == {a, b}), None)
    chains = served.chains(a, b, scope=span)
    page = served.events(served.event_filter(pair=(a, b), since=since, until=until),
                         limit=25)
    # the evidence's event words, to mark them in its sentences
    proof = [e.event_id for e in relation.evidence] if relation else []
    words = {e["id"]: e["eventText"] for e in served.events(
        EventFilter(ids=tuple(proof)), limit=max(len(proof), 1)).events}
    return render(request, "pair.html", a=a, b=b, by=by, relation=relation, chains=chains,
                  page=page, since=since or "", until=until or "", words=words,
                  timeline=_json({"a": a, "b": b, "periods": [p.as_dict() for p in periods]}),
                  events_query=urlencode({"pair": f"{a},{b}", **_window(since, until)}))


def _window(since: str | None, until: str | None) -> dict[str, str]:
    """Return the window's query parameters that are set."""
    return {k: v for k, v in (("since", since), ("until", until)) if v}


@router.get("/triads", response_class=HTMLResponse)
def triads(request: Request, actor: Text = None, since: Text = None,
           until: Text = None) -> HTMLResponse:
    """Every closed triangle, its signs and kind."""
    found = service(request).triads(actor=actor or None, scope=window(since, until),
                                    limit=200)
    return render(request, "triads.html", triads=found, actor=actor or "")


@router.get("/triads/{a}/{b}/{c}", response_class=HTMLResponse)
def triad(request: Request, a: Annotated[str, Path(max_length=100)],
          b: Annotated[str, Path(max_length=100)], c: Annotated[str, Path(max_length=100)],
          by: Annotated[str, Query(max_length=10)] = "year", since: Text = None,
          until: Text = None) -> HTMLResponse:
    """One triangle: its three relationships and its kind over time."""
    wanted = {a.upper(), b.upper(), c.upper()}
    found = [t for t in service(request).triads(actor=a, by=by, scope=window(since, until))
             if set(t.actors) == wanted]
    if not found:
        raise NotFoundError(f"no closed triangle of {', '.join(sorted(wanted))}: each pair "
                            "of them needs events")
    return render(request, "triad.html", triad=found[0], by=by)


@router.get("/dependencies", response_class=HTMLResponse)
def dependencies(request: Request, actor: Text = None) -> HTMLResponse:
    """Who depends on whom, for what."""
    key = actor.strip().upper() if actor else None
    return render(request, "dependencies.html", edges=service(request).dependencies(key),
                  actor=actor or "")


@router.get("/actors/{name}", response_class=HTMLResponse)
def actor(request: Request, name: Annotated[str, Path(max_length=200)]) -> HTMLResponse:
    """Who an actor is and what the database holds about it."""
    view = service(request).actor(name)
    return render(request, "actor.html", actor=view)


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, actor: Text = None, org: Text = None, pair: Text = None,
           type: Text = None, quad: Text = None, mode: Text = None, context: Text = None,
           since: Text = None, until: Text = None, place: Text = None, bbox: Text = None,
           q: Text = None, doc: Text = None, sort: Annotated[str, Query(max_length=20)] = "-date",
           cursor: Annotated[str | None, Query(max_length=500)] = None,
           limit: Annotated[int, Query(ge=1, le=500)] = 50) -> HTMLResponse:
    """The event browser: the API's filters as a form, a page of events, the next page."""
    served = service(request)
    where = served.event_filter(actor=actor, org=org, pair=pair, type=type, quad=quad,
                                mode=mode, context=context, since=since, until=until,
                                place=place, bbox=bbox, q=q, doc=doc)
    page = served.events(where, sort=sort, cursor=cursor, limit=limit)
    from faultline.coder.ontology import load_ontology

    return render(request, "events.html", page=page, sort=sort,
                  types=sorted(load_ontology().types),
                  api_query=_query(request, cursor=None))


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, q: Text = None,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
    """Stored documents, newest first, or those that hold the words asked for."""
    rows, total = service(request).documents(q=q, limit=50, offset=offset)
    return render(request, "documents.html", rows=rows, total=total, offset=offset)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document(request: Request, doc_id: Annotated[str, Path(max_length=200)],
             set_aside: bool = True) -> HTMLResponse:
    """One document with every coded span marked."""
    view = service(request).document(doc_id, set_aside=set_aside)
    return render(request, "document.html", doc=view, pieces=segments(view.text, view.marks))


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request, actor: Text = None,
           days: Annotated[int | None, Query(ge=1, le=3650)] = None,
           threshold: Annotated[float | None, Query(gt=0, le=100)] = None,
           until: Text = None) -> HTMLResponse:
    """Relationships whose latest window breaks with their history."""
    served = service(request)
    found = served.alerts(actor=actor or None, days=days, threshold=threshold,
                          scope=window(None, until))
    return render(request, "alerts.html", alerts=found,
                  days=days or served.settings.alert_days,
                  threshold=threshold or served.settings.alert_threshold)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    """The search box: an actor the words name, the documents and events that hold them."""
    served = service(request)
    words = q.strip()
    if not words:
        return render(request, "search.html", q="", actor=None, rows=[], total=0, page=None)
    try:
        named = served.actor(words)
    except OptionError:
        named = None
    rows, total = served.documents(q=words, limit=20)
    page = served.events(served.event_filter(q=words), limit=20)
    return render(request, "search.html", q=words, actor=named if named and named.key else None,
                  rows=rows, total=total, page=page)
