"""Panels of the organisations: the party system over time and its genealogy."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from polsim.output.report.common import (
    _ETHNIC_COLOURS,
    _OTHER_ETHNIC,
    Panel,
    _end_of,
    _layout,
    _month_start,
    _months,
    _parents,
)


def _party_system_panel(series: pd.DataFrame) -> Panel | None:
    if "org_alive" not in series or series["org_alive"].fillna(0).max() <= 0:
        return None
    x = _months(series["month"])
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        specs=[[{"secondary_y": True}], [{}]],
        subplot_titles=("Organisations alive and ENP", "Ethnic against inter-ethnic"),
    )
    for column, name, dash in (
        ("org_alive", "alive", "solid"),
        ("org_parties", "parties", "dot"),
        ("org_movements", "movements", "dot"),
    ):
        if column in series:
            fig.add_trace(
                go.Scatter(x=x, y=series[column], name=name, line={"dash": dash}), row=1, col=1
            )
    if "org_enp" in series:
        fig.add_trace(
            go.Scatter(x=x, y=series["org_enp"], name="ENP (by support)", line={"width": 3}),
            row=1,
            col=1,
            secondary_y=True,
        )
    for column, name in (
        ("org_ethnic_fraction", "ethnic organisations (fraction of alive)"),
        ("org_interethnic_share", "inter-ethnic share of supporters"),
    ):
        if column in series:
            fig.add_trace(go.Scatter(x=x, y=series[column], name=name), row=2, col=1)
    fig.update_yaxes(title_text="count", row=1, col=1, secondary_y=False)
    fig.update_yaxes(title_text="ENP", row=1, col=1, secondary_y=True)
    fig.update_yaxes(title_text="share (0–1)", range=[0, 1], row=2, col=1)
    _layout(fig, height=620)
    return Panel(
        "party-system",
        "The party system over time",
        "Organisations alive (parties and movements), the Laakso–Taagepera effective number "
        "of organisations by support, and how ethnic the system is: the fraction of "
        "organisations whose supporters are mostly one group, against the share of "
        "supporters backing an inter-ethnic organisation.",
        [fig],
    )


def _genealogy_panel(orgs: pd.DataFrame, until: str) -> Panel | None:
    """Lineage as lanes over time.

    Drawn as a time chart (x = date, one lane per organisation's life, lines to its
    parents) rather than a Sankey: a Sankey has no time axis and no way to show a death,
    while here founding, split, merger, co-optation and death each sit on their date.
    """
    if orgs.empty:
        return None
    table = orgs.sort_values(["founded", "id"]).reset_index(drop=True)
    end = _month_start(until) if until else _month_start(str(table["founded"].max()))
    lane_of, lanes = _assign_lanes(table, end)
    ids = set(lane_of)
    fig = go.Figure()
    by_base: dict[str, tuple[list[Any], list[Any], list[str]]] = {}
    for row in table.itertuples(index=False):
        base = str(row.ethnic_base or "")
        start, stop = _month_start(row.founded), _end_of(row.dissolved, end)
        xs, ys, texts = by_base.setdefault(base, ([], [], []))
        text = _org_hover(row)
        xs += [start, stop, None]
        ys += [lane_of[row.id], lane_of[row.id], None]
        texts += [text, text, ""]
    for base, (xs, ys, texts) in by_base.items():
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"ethnic base: {base or 'none'}",
                line={"width": 5, "color": _ETHNIC_COLOURS.get(base, _OTHER_ETHNIC)},
                text=texts,
                hovertemplate="%{text}<extra></extra>",
                connectgaps=False,
            )
        )
    link_x: dict[str, list[Any]] = {"split": [], "merger": []}
    link_y: dict[str, list[Any]] = {"split": [], "merger": []}
    for row in table.itertuples(index=False):
        kind = "split" if row.origin == "split" else "merger"
        for parent in _parents(row.parents):
            if parent in ids:
                when = _month_start(row.founded)
                link_x[kind] += [when, when, None]
                link_y[kind] += [lane_of[parent], lane_of[row.id], None]
    for kind, dash in (("split", "dot"), ("merger", "solid")):
        if link_x[kind]:
            fig.add_trace(
                go.Scatter(
                    x=link_x[kind],
                    y=link_y[kind],
                    mode="lines",
                    name=f"{kind} link",
                    line={"width": 1, "color": "#555555", "dash": dash},
                    hoverinfo="skip",
                )
            )
    markers = (
        ("founded", table["origin"].isin(["birth", "spawn", "history"]), "founded", "circle"),
        ("split", table["origin"] == "split", "founded", "triangle-right"),
        ("merger", table["origin"] == "merger", "founded", "square"),
        ("death", table["dissolution"] == "failed", "dissolved", "x"),
        ("co-opted", table["coopted"].fillna(False).astype(bool), "founded", "star"),
    )
    for name, mask, column, symbol in markers:
        chosen = table[mask.to_numpy()]
        if column == "dissolved":
            chosen = chosen[chosen["dissolved"].notna()]
        if chosen.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=[_month_start(v) for v in chosen[column]],
                y=[lane_of[i] for i in chosen["id"]],
                mode="markers",
                name=name,
                marker={"symbol": symbol, "size": 9, "color": "#222222", "line": {"width": 1}},
                text=[_org_hover(r) for r in chosen.itertuples(index=False)],
                hovertemplate=f"{name}<br>%{{text}}<extra></extra>",
            )
        )
    fig.update_yaxes(visible=False, range=[-1, lanes])
    _layout(fig, height=max(360, 60 + 16 * lanes))
    return Panel(
        "genealogy",
        "Party genealogy",
        f"{len(table)} organisations. Each bar is one organisation's life, coloured by its "
        "ethnic base; dotted links join a splinter to its parent, solid links a merger or "
        "successor to its parents. Circles mark foundings, triangles splits, squares "
        "mergers, crosses deaths (dissolution for failure), stars co-optation.",
        [fig],
    )


def _assign_lanes(table: pd.DataFrame, end: pd.Timestamp) -> tuple[dict[int, int], int]:
    """A lane per organisation: a merged or successor organisation continues a parent's."""
    free_from: list[pd.Timestamp] = []
    lane_of: dict[int, int] = {}
    for row in table.itertuples(index=False):
        start = _month_start(row.founded)
        candidates = [lane_of[p] for p in _parents(row.parents) if p in lane_of]
        candidates += list(range(len(free_from)))
        lane = next((k for k in candidates if free_from[k] <= start), None)
        if lane is None:
            lane = len(free_from)
            free_from.append(start)
        free_from[lane] = _end_of(row.dissolved, end) + pd.DateOffset(months=1)
        lane_of[int(row.id)] = lane
    return lane_of, len(free_from)


def _org_hover(row: Any) -> str:
    dissolved = row.dissolved if isinstance(row.dissolved, str) and row.dissolved else "alive"
    how = f" ({row.dissolution})" if isinstance(row.dissolution, str) and row.dissolution else ""
    return (
        f"<b>{html.escape(str(row.name))}</b> (id {row.id}, {row.kind}, {row.origin})<br>"
        f"{row.founded} – {dissolved}{how}<br>ethnic base: {row.ethnic_base or 'none'}; "
        f"peak share {float(row.peak_share or 0):.1%}"
    )
