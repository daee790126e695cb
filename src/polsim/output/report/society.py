"""Panels of the society: legitimacy and the protest cascades, and the main series."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from polsim.output.report.common import Panel, _layout, _months


def _legitimacy_panel(series: pd.DataFrame, events: pd.DataFrame) -> Panel | None:
    columns = [
        c
        for c in ("legitimacy_local", "legitimacy_oblast", "legitimacy_national")
        if c in series and series[c].notna().any()
    ]
    if not columns:
        return None
    x = _months(series["month"])
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.1,
        subplot_titles=("Legitimacy of the soviets", "Resignations and dissolutions per month"),
    )
    for column in columns:
        fig.add_trace(
            go.Scatter(x=x, y=series[column], name=column.replace("_", " ")), row=1, col=1
        )
    for column, name in (
        ("national_resigned_share", "national deputies resigned (share)"),
        ("legislature_pressure", "president's pressure"),
    ):
        if column in series and series[column].fillna(0).max() > 0:
            fig.add_trace(
                go.Scatter(x=x, y=series[column], name=name, line={"dash": "dot"}), row=1, col=1
            )
    cascade = _cascade_counts(events)
    for (kind, level), counts in cascade.items():
        fig.add_trace(
            go.Bar(x=_months(counts.index), y=counts.to_numpy(), name=f"{kind}: {level}"),
            row=2,
            col=1,
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="0–1", range=[0, 1], row=1, col=1)
    fig.update_yaxes(title_text="count", row=2, col=1)
    _layout(fig, height=600)
    return Panel(
        "legitimacy",
        "Legislature legitimacy and the resignation cascade",
        "The legitimacy of local, oblast and national soviets, the share of national "
        "deputies who resigned and the president's pressure; below, deputies resigning and "
        "bodies dissolving each month, by level.",
        [fig],
    )


def _cascade_counts(events: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    if events.empty:
        return {}
    chosen = events[events["type"].isin(["DeputyResigned", "BodyDissolved"])]
    if chosen.empty:
        return {}
    levels = [json.loads(raw).get("level", "?") for raw in chosen["details"]]
    frame = pd.DataFrame({"date": chosen["date"].to_numpy(), "type": chosen["type"], "lvl": levels})
    out: dict[tuple[str, str], pd.Series] = {}
    for (kind, level), group in frame.groupby(["type", "lvl"], sort=True):
        label = "resigned" if kind == "DeputyResigned" else "dissolved"
        out[(label, str(level))] = group.groupby("date").size()
    return out


def _society_panel(series: pd.DataFrame) -> Panel | None:
    groups = [
        ("Approval and legitimacy", ("approval", "regime_legitimacy")),
        ("Hardship and grievance", ("hardship_mean", "grievance_mean", "economic_shock")),
        ("Activism", ("active_share",)),
        ("Ethnic tension", ("tension_mean", "tension_max")),
    ]
    present = [(t, [c for c in cs if c in series]) for t, cs in groups]
    present = [(t, cs) for t, cs in present if cs]
    if not present or series.empty:
        return None
    x = _months(series["month"])
    fig = make_subplots(
        rows=len(present),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        subplot_titles=[t for t, _ in present],
    )
    for i, (_, columns) in enumerate(present, start=1):
        for column in columns:
            fig.add_trace(
                go.Scatter(x=x, y=series[column], name=column.replace("_", " ")), row=i, col=1
            )
    _layout(fig, height=230 * len(present))
    return Panel(
        "society",
        "Approval, hardship, activism and tension",
        "The president's approval and the regime's legitimacy; voters' mean hardship and "
        "grievance with the economic shock; the share of voters active in protest; and "
        "inter-ethnic tension (mean and worst oblast). All are 0–1.",
        [fig],
    )
