"""The HTML report: one self-contained file with every analysis of a set of actors.

The service gathers what the report shows (`Service.report_data(actors)`: the
relations, dyad timelines, triangles, chains and dependencies of the actors
asked for); `render(data)` turns it into `template.html`, with plotly.js
inlined once, so the file opens without a network. Every number links to the
sentences behind it: the evidence tables list them with their dates and
documents.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

from faultline._version import __version__
from faultline.errors import FaultlineError
from faultline.service import ReportData

if TYPE_CHECKING:
    from faultline.settings import Settings
    from faultline.store import Store

__all__ = ["ReportData", "gather", "render", "write_report"]


def gather(store: Store, actors: Sequence[str], *, settings: Settings | None = None,
           by: str = "month", evidence: int = 5) -> ReportData:
    """Return what the report shows about actors from an open store (settings: default
    ones unless given); Service.report_data does the same from the settings' db."""
    from faultline.service import Service
    from faultline.settings import Settings

    service = Service(settings or Settings(), store=store)
    return service.report_data(actors, by=by, evidence=evidence)


def render(data: ReportData, *, title: str | None = None) -> str:
    """Return the report as one HTML document."""
    from faultline.report import figures

    actors = ", ".join(data.actors)
    sections = {
        "title": _e(title or f"faultline report: {actors}"),
        "generated": _e(f"faultline {__version__}, {dt.date.today().isoformat()}"),
        "plotly": figures.plotly_script(),
        "summary": _summary(data),
        "graph": (figures.relationship_graph(data.actors, data.relations)
                  if data.relations else _none("No relationship among these actors yet.")),
        "relations": _relations_table(data.relations),
        "timelines": "\n".join(figures.dyad_timeline(t["actors"][0], t["actors"][1],
                                                     t["periods"]) for t in data.timelines)
                     or _none("No events between these actors yet."),
        "triads": _triads_table(data.triads),
        "chains": _chains(data.chains),
        "dependencies": _dependencies_table(data.dependencies),
        "evidence": _evidence(data.relations),
    }
    template = resources.files("faultline.report").joinpath("template.html").read_text("utf-8")
    return Template(template).substitute(sections)


def write_report(data: ReportData, path: Path | str) -> Path:
    """Render the report and write it to path; return the file written."""
    target = Path(path)
    page = render(data)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise FaultlineError(f"cannot write report {target}: {exc.strerror}") from None
    return target


# -- HTML pieces ---------------------------------------------------------------------

def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _none(text: str) -> str:
    return f'<p class="none">{_e(text)}</p>'


def _table(headers: Iterable[str], rows: Iterable[Iterable[Any]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _sign(sign: str) -> str:
    name = {"+": "pos", "-": "neg"}.get(sign, "zero")
    return f'<span class="sign {name}">{_e(sign)}</span>'


def _summary(data: ReportData) -> str:
    span = f"{data.first_date} to {data.last_date}" if data.first_date else "no dated events"
    return (f"<p>{data.documents} documents, {data.events} event reports, "
            f"{data.clusters} distinct events ({_e(span)}). Actors: "
            f"{_e(', '.join(data.actors))}.</p>")


def _relations_table(relations: Sequence[Mapping[str, Any]]) -> str:
    if not relations:
        return _none("No relationship among these actors yet.")
    rows = []
    for r in relations:
        d1, d2 = r["directions"]
        trend = "-" if r["trend"] is None else f"{r['trend']:+.2f}"
        rows.append([
            _e("–".join(r["actors"])), _sign(r["sign"]), f"{r['score']:+.2f}", trend,
            str(r["events"]), str(r["mentions"]),
            _e(f"{d1['source']}→{d1['target']}: {d1['events']} ({d1['score']:+.2f}); "
               f"{d2['source']}→{d2['target']}: {d2['events']} ({d2['score']:+.2f})"),
            _e(f"{r['first_date']} to {r['last_date']}"),
        ])
    return _table(["pair", "sign", "score", "trend", "events", "reports", "by direction",
                   "dates"], rows)


def _triads_table(triads: Sequence[Mapping[str, Any]]) -> str:
    if not triads:
        return _none("No closed triangle among these actors with enough evidence.")
    rows = []
    for t in triads:
        signs = " ".join(f"{_e(pair)} {_sign(sign)}" for pair, sign in t["signs"].items())
        counts = ", ".join(f"{_e(pair)}: {n}" for pair, n in t["evidence"].items())
        history = "; ".join(f"{_e(h['period'])}: {_e(h['kind'])}" for h in t["history"])
        rows.append([_e(", ".join(t["actors"])), signs, _e(t["label"]),
                     "yes" if t["balanced"] else "no", counts, history or "-"])
    return _table(["actors", "signs", "kind", "balanced", "events per pair", "over time"],
                  rows)


def _chains(chains: Sequence[Mapping[str, Any]]) -> str:
    if not chains:
        return _none("No action answered by its target within the window.")
    blocks = []
    for c in chains:
        steps = "".join(
            f"<li><b>{_e(s['date'])}</b> {_e(s['source'])} → {_e(s['target'])} "
            f"{_e(s['event'])}"
            + (f" <i>({_e(s['response'].replace('_', '-'))}, {_days(s['days_after'])}"
               f"{' later' if s['days_after'] else ''})</i>" if s["response"] else "")
            + f'<div class="sentence">{_e(s["sentence"])}</div></li>'
            for s in c["steps"]
        )
        blocks.append(f"<h4>{_e(' and '.join(c['actors']))}: {_e(c['start'])} to "
                      f"{_e(c['end'])}</h4><ol>{steps}</ol>")
    return "\n".join(blocks)


def _days(n: int | None) -> str:
    return "the same day" if not n else f"{n} day" + ("" if n == 1 else "s")


def _dependencies_table(edges: Sequence[Mapping[str, Any]]) -> str:
    if not edges:
        return _none("No statement of dependence about these actors.")
    rows = []
    for edge in edges:
        share = edge.get("share")
        evidence = edge.get("evidence") or []
        sentence = evidence[-1].get("text") if evidence else None
        rows.append([
            _e(edge.get("supplier")), _e(edge.get("dependent")), _e(edge.get("good")),
            "-" if share is None else f"{share:.0%}", _e(", ".join(edge.get("kinds") or [])),
            str(edge.get("statements", len(evidence))),
            f'<div class="sentence">{_e(sentence)}</div>',
        ])
    return _table(["supplier", "dependent", "good", "share", "kinds", "statements",
                   "latest statement"], rows)


def _evidence(relations: Sequence[Mapping[str, Any]]) -> str:
    if not relations:
        return _none("No evidence yet.")
    blocks = []
    for r in relations:
        rows = [
            [_e(ev["date"]), _e(f"{ev['source']}→{ev['target']}"), _e(ev["event"]),
             f"{ev['intensity']:+.0f}", f"{ev['confidence']:.2f}", str(ev["n_mentions"]),
             _e(ev["doc_id"]),
             f'<div class="sentence">{_e(ev["sentence"])}</div>']
            for ev in r["evidence"]
        ]
        blocks.append(f"<h4>{_e('–'.join(r['actors']))} {_sign(r['sign'])}</h4>"
                      + _table(["date", "direction", "event", "intensity", "confidence",
                                "reports", "document", "sentence"], rows, "evidence"))
    return "\n".join(blocks)
