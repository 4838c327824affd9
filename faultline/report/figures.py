"""Plotly figures of the report: the signed relationship graph and dyad timelines.

Each function takes plain data (the analysis stage's dataclasses turned into
dicts) and returns an HTML fragment: a <div> drawn by plotly.js, which the
report embeds once for all figures, so the file opens without a network.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

#: Colours of signs: conflict red, cooperation green, neither grey.
SIGN_COLOURS = {"-": "#c0392b", "+": "#27ae60", "0": "#95a5a6"}
_CONFIG = {"displaylogo": False, "responsive": True}


def _html(figure: Any) -> str:
    fragment: str = figure.to_html(full_html=False, include_plotlyjs=False, config=_CONFIG)
    return fragment


def relationship_graph(actors: Sequence[str], relations: Sequence[Mapping[str, Any]]) -> str:
    """Return the signed graph of the relations among actors: one node per actor,
    one edge per pair, coloured by sign, as thick as the score is strong."""
    import plotly.graph_objects as go

    n = len(actors)
    places = {
        actor: (math.cos(2 * math.pi * k / n + math.pi / 2),
                math.sin(2 * math.pi * k / n + math.pi / 2))
        for k, actor in enumerate(actors)
    }
    figure = go.Figure()
    for rel in relations:
        a, b = rel["actors"]
        if a not in places or b not in places:
            continue
        (x0, y0), (x1, y1) = places[a], places[b]
        colour = SIGN_COLOURS.get(rel["sign"], SIGN_COLOURS["0"])
        figure.add_trace(go.Scatter(
            x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
            line={"color": colour, "width": 1 + 10 * min(abs(rel["score"]), 1.0)},
        ))
        figure.add_trace(go.Scatter(
            x=[(x0 + x1) / 2], y=[(y0 + y1) / 2], mode="markers+text", showlegend=False,
            marker={"size": 10, "color": colour}, text=[f"{rel['score']:+.2f}"],
            textposition="top center",
            hovertext=[f"{a}–{b}: score {rel['score']:+.2f}, {rel['events']} events"
                       f" ({rel['first_date']} to {rel['last_date']})"],
            hoverinfo="text",
        ))
    figure.add_trace(go.Scatter(
        x=[places[a][0] for a in actors], y=[places[a][1] for a in actors],
        mode="markers+text", text=list(actors), textposition="middle center",
        marker={"size": 46, "color": "#2c3e50"}, textfont={"color": "white", "size": 14},
        hoverinfo="text", showlegend=False,
    ))
    figure.update_layout(
        height=420, margin={"l": 10, "r": 10, "t": 10, "b": 10}, plot_bgcolor="white",
        xaxis={"visible": False, "range": [-1.4, 1.4]},
        yaxis={"visible": False, "range": [-1.4, 1.4], "scaleanchor": "x"},
    )
    return _html(figure)


def dyad_timeline(a: str, b: str, periods: Sequence[Mapping[str, Any]]) -> str:
    """Return bars of the summed intensity per period, one colour per direction,
    with the events of each period in the hover text."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for source, target, colour in ((a, b, "#2980b9"), (b, a, "#e67e22")):
        rows = [p for p in periods if p["source"] == source and p["target"] == target]
        figure.add_trace(go.Bar(
            name=f"{source} → {target}",
            x=[p["period"] for p in rows],
            y=[p["intensity"] for p in rows],
            marker_color=colour,
            hovertext=[
                f"{p['events']} events: " + ", ".join(
                    f"{t} {n}" for t, n in sorted(p["by_type"].items(), key=lambda x: -x[1]))
                for p in rows
            ],
        ))
    figure.update_layout(
        barmode="group", height=260, margin={"l": 40, "r": 10, "t": 30, "b": 30},
        title={"text": f"{a} – {b}: summed intensity per period", "font": {"size": 13}},
        yaxis={"title": "intensity", "zeroline": True, "zerolinecolor": "#888"},
        legend={"orientation": "h", "y": -0.2}, plot_bgcolor="white",
    )
    return _html(figure)


def plotly_script() -> str:
    """Return plotly.js itself, to inline once in the report's <head>."""
    from plotly.offline import get_plotlyjs

    script: str = get_plotlyjs()
    return script
