"""The timeline panel: the run's key events, as one list."""

from __future__ import annotations

import html
import json
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from polsim.output.report.common import _PALETTE, Panel, _layout, _month_start
from polsim.output.timeline import key_events


def _timeline_panel(events: pd.DataFrame) -> Panel | None:
    if events.empty:
        return None
    lanes: dict[str, list[tuple[pd.Timestamp, str]]] = {}
    for date, kind, raw in zip(events["date"], events["type"], events["details"], strict=True):
        lane_text = _describe_event(kind, json.loads(raw))
        if lane_text is not None:
            lane, text = lane_text
            lanes.setdefault(lane, []).append((_month_start(date), f"{date}: {text}"))
    if not lanes:
        return None
    fig = go.Figure()
    for i, (lane, points) in enumerate(lanes.items()):
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in points],
                y=[lane] * len(points),
                mode="markers",
                name=lane,
                marker={"size": 11, "color": _PALETTE[i % len(_PALETTE)], "symbol": "diamond"},
                text=[p[1] for p in points],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    _layout(fig, height=120 + 42 * len(lanes), showlegend=False)
    lines = key_events(events)
    listing = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return Panel(
        "timeline",
        "Timeline of key events",
        "Elections, dissolutions, the president's choices and other rare events; hover "
        "for details. The list below also summarises the party system's churn by year.",
        [fig],
        f'<ul class="timeline">{listing}</ul>' if listing else "",
    )


def _describe_event(kind: str, d: dict[str, Any]) -> tuple[str, str] | None:
    """The lane and one-line description of an event shown on the timeline, or None."""
    if kind == "ElectionHeld":
        if d.get("formula") == "referendum":
            verdict = "passes" if d.get("seats_filled") else "fails"
            return "Elections", f"{d['election']} {verdict} (turnout {d['turnout']:.1%})"
        return "Elections", (
            f"{d['election']} held: turnout {d['turnout']:.1%}, "
            f"{d['seats_filled']} of {d['seats']} seats filled"
        )
    if kind == "ElectionCalled":
        return "Elections", f"{d['election']} called for {d['held_on']} ({d['reason']})"
    if kind == "BodyDissolved" and d.get("level") == "national":
        return "Legislatures", f"the {d['body']} dissolves itself ({d['how']})"
    if kind == "CampaignStarted":
        return "President", "the president starts pressing the soviets to dissolve"
    if kind == "PresidentialChoice":
        return "President", f"the president chooses to {d['choice']}"
    if kind == "PowerTransferred":
        return "President", f"power changes hands: {d['reason']}"
    if kind == "EliteDefection":
        return "Elites", f"elite defection: {d['defected_share']:.0%} of the elite"
    if kind == "Coopted":
        return "Organisations", f"organisation {d['organisation']} co-opted"
    if kind == "InstitutionChanged":
        return "Institutions", f"{d['institution']}: {d['old']} → {d['new']}"
    if kind == "MobilisationWave":
        where = d.get("oblast") or d.get("region") or ""
        return "Protest", f"mobilisation wave {where}".strip()
    if kind == "ViolentEpisode":
        return "Protest", "violent episode"
    return None
