"""Panels of the elections: the legislature's hemicycle, results and fingerprint."""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from polsim.output.report.common import (
    _FINGERPRINT_BINS,
    _INDEPENDENT,
    _PALETTE,
    _RESERVED,
    _STATE_LIST,
    _UNIT,
    Panel,
    _colours,
    _layout,
    _seat_size,
    _short,
)


def _legislature_seats(results: pd.DataFrame, orgs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Elected members of each legislature election: label, org id and colour order."""
    if results.empty:
        return {}
    out: dict[str, pd.DataFrame] = {}
    elected = results[results["elected"].astype(bool)]
    economy = dict(zip(orgs["id"], orgs["economy"], strict=True)) if len(orgs) else {}
    for election, rows in elected.groupby("election", sort=False):
        if len(rows) <= 1:  # a presidency or a referendum, not a legislature
            continue
        seats = rows.assign(label=[_seat_label(r) for r in rows.itertuples(index=False)])
        seats = seats.assign(
            order=[
                (2, economy.get(org, 0.0)) if org >= 0 else _fixed_order(label)
                for org, label in zip(seats["org"], seats["label"], strict=True)
            ]
        )
        out[str(election)] = seats.sort_values("order", kind="stable")
    return out


def _fixed_order(label: str) -> tuple[int, float]:
    return {_RESERVED: (0, 0.0), _STATE_LIST: (1, 0.0)}.get(label, (3, 0.0))


def _seat_label(row: Any) -> str:
    if int(row.org) >= 0:
        return str(row.org_name) or f"organisation {row.org}"
    if str(row.district) == "state-list":
        return _STATE_LIST
    if str(row.org_name) == "public organisations":
        return _RESERVED
    return _INDEPENDENT


def hemicycle_positions(seats: int, rows: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Seat centres ``(x, y)`` of a hemicycle of ``seats`` seats, left to right.

    Seats sit on ``rows`` concentric semicircles of radius 0.4–1 (default about
    √(seats/4) rows); each row gets seats in proportion to its radius (largest
    remainder), so the spacing is nearly even. Seats are returned in order of angle,
    from the left end to the right, so consecutive seats of one party form a wedge.

    >>> x, y = hemicycle_positions(360)
    >>> len(x), bool((y >= 0).all())
    (360, True)
    """
    if seats <= 0:
        return np.zeros(0), np.zeros(0)
    n_rows = rows or max(1, min(seats, round(math.sqrt(seats / 4))))
    radii = np.linspace(0.4, 1.0, n_rows) if n_rows > 1 else np.array([1.0])
    quota = seats * radii / radii.sum()
    per_row = np.floor(quota).astype(int)
    remainder_order = np.argsort(-(quota - per_row), kind="stable")
    per_row[remainder_order[: seats - per_row.sum()]] += 1
    angles, xs, ys = [], [], []
    for radius, count in zip(radii, per_row, strict=True):
        if count == 0:
            continue
        theta = np.array([math.pi / 2]) if count == 1 else np.linspace(math.pi, 0, count)
        angles.append(theta)
        xs.append(radius * np.cos(theta))
        ys.append(radius * np.sin(theta))
    theta_all = np.concatenate(angles)
    order = np.lexsort((-np.hypot(np.concatenate(xs), np.concatenate(ys)), -theta_all))
    return np.concatenate(xs)[order], np.concatenate(ys)[order]


def _hemicycle_panel(results: pd.DataFrame, orgs: pd.DataFrame) -> Panel | None:
    bodies = _legislature_seats(results, orgs)
    if not bodies:
        return None
    figures = []
    for election, seats in bodies.items():
        x, y = hemicycle_positions(len(seats))
        fig = go.Figure()
        colours = _colours(seats["label"], dict(zip(seats["label"], seats["org"], strict=True)))
        start = 0
        for label, group in seats.groupby("label", sort=False):
            n = len(group)
            fig.add_trace(
                go.Scatter(
                    x=x[start : start + n],
                    y=y[start : start + n],
                    mode="markers",
                    name=f"{_short(label)} ({n})",
                    marker={"size": _seat_size(len(seats)), "color": colours[label]},
                    text=[f"{html.escape(str(label))}<br>{d}" for d in group["district"]],
                    hovertemplate="%{text}<extra></extra>",
                )
            )
            start += n
        fig.update_xaxes(visible=False, range=[-1.1, 1.1])
        fig.update_yaxes(visible=False, range=[-0.05, 1.1], scaleanchor="x")
        date = seats["date"].iloc[0]
        _layout(fig, height=460, title=f"{election} ({date}): {len(seats)} seats")
        figures.append(fig)
    return Panel(
        "hemicycle",
        "Legislatures",
        "The composition of each legislature elected, one dot per seat (every round's "
        "winners, reserved seats included), coloured by organisation; independents grey, "
        "the president's state list gold, seats reserved for public organisations purple.",
        figures,
    )


def _results_panel(results: pd.DataFrame, orgs: pd.DataFrame) -> Panel | None:
    if results.empty or float(results["votes"].sum()) <= 0:
        return None
    figures = []
    for election, rows in results.groupby("election", sort=False):
        first = rows[rows["round"] == rows["round"].min()]
        first = first[first["district"] != "public-organisations"]
        if first.empty or float(first["votes"].sum()) <= 0:
            continue
        date = rows["date"].iloc[0]
        if first["district"].nunique() == 1:
            fig = go.Figure(
                go.Bar(
                    x=[_candidate_label(r) for r in first.itertuples(index=False)],
                    y=first["votes"],
                    marker_color=_PALETTE[0],
                    hovertemplate="%{x}: %{y:,.0f} votes<extra></extra>",
                )
            )
            fig.update_yaxes(title_text="votes")
            _layout(fig, height=320, title=f"{election} ({date})", showlegend=False)
        else:
            fig = _regional_shares(first, str(election), str(date))
        figures.append(fig)
    if not figures:
        return None
    return Panel(
        "results",
        "Results by election and district",
        "First-round vote shares by region (districts grouped by the name before their "
        "number) for the largest organisations, independents and the rest; single-district "
        "votes (a presidency, a referendum) as bars. Hover for the district counts.",
        figures,
    )


def _candidate_label(row: Any) -> str:
    if int(row.org) >= 0:
        return str(row.org_name)
    return str(row.candidate).split(":")[-1]


def _regional_shares(first: pd.DataFrame, election: str, date: str) -> go.Figure:
    frame = first.assign(
        region=[
            "state list (national)" if d == "state-list" else d.rsplit("-", 1)[0]
            for d in first["district"].astype(str)
        ],
        label=[
            _INDEPENDENT if int(r.org) < 0 and str(r.district) != "state-list" else _seat_label(r)
            for r in first.itertuples(index=False)
        ],
    )
    totals = frame.groupby("label")["votes"].sum().sort_values(ascending=False)
    top = [label for label in totals.index if label != _INDEPENDENT][:8]
    frame["label"] = frame["label"].where(
        frame["label"].isin([*top, _INDEPENDENT, _STATE_LIST]), "Others"
    )
    table = frame.pivot_table(index="region", columns="label", values="votes", aggfunc="sum")
    table = table.fillna(0.0)
    districts = frame.groupby("region")["district"].nunique()
    shares = table.div(table.sum(axis=1), axis=0)
    org_of = dict(zip(frame["label"], frame["org"], strict=True))
    colours = _colours([*top, _INDEPENDENT, _STATE_LIST, "Others"], org_of)
    colours["Others"] = "#d9d9d9"
    fig = go.Figure()
    for label in [*top, _INDEPENDENT, _STATE_LIST, "Others"]:
        if label not in shares:
            continue
        fig.add_trace(
            go.Bar(
                y=shares.index,
                x=shares[label],
                orientation="h",
                name=_short(label),
                marker_color=colours[label],
                customdata=np.column_stack([table[label], districts.reindex(shares.index)]),
                hovertemplate=(
                    f"{html.escape(_short(label))}<br>%{{y}}: %{{x:.1%}} "
                    "(%{customdata[0]:,.0f} votes, %{customdata[1]} districts)<extra></extra>"
                ),
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="first-round vote share", range=[0, 1], tickformat=".0%")
    _layout(fig, height=160 + 22 * len(shares), title=f"{election} ({date})")
    return fig


def _fingerprint_panel(units: pd.DataFrame) -> Panel | None:
    if units.empty:
        return None
    frame = units[(units["round"] == 1) & (units["registered"] > 0) & (units["ballots"] > 0)]
    elections = [e for e, g in frame.groupby("election", sort=False) if g["ballots"].sum() > 0]
    if not elections:
        return None
    cols = min(2, len(elections))
    rows = math.ceil(len(elections) / cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=elections,
        horizontal_spacing=0.08,
        vertical_spacing=0.12,
    )
    for i, election in enumerate(elections):
        g = frame[frame["election"] == election]
        turnout = (g["ballots"] / g["registered"]).clip(0, 1).to_numpy()
        share = (g["endorsed_votes"] / g["ballots"]).clip(0, 1).to_numpy()
        # Binned here, not in the browser: a run can have hundreds of thousands of units.
        counts, edges, _ = np.histogram2d(turnout, share, bins=_FINGERPRINT_BINS, range=_UNIT)
        centres = (edges[:-1] + edges[1:]) / 2
        fig.add_trace(
            go.Heatmap(
                x=centres,
                y=centres,
                z=np.where(counts > 0, np.log10(np.maximum(counts, 1)) + 1, np.nan).T,
                customdata=counts.T,
                colorscale="Viridis",
                showscale=False,
                hovertemplate=(
                    "turnout %{x:.0%}<br>share %{y:.0%}<br>%{customdata:.0f} units<extra></extra>"
                ),
                name=str(election),
            ),
            row=i // cols + 1,
            col=i % cols + 1,
        )
    fig.update_xaxes(title_text="turnout", range=[0, 1])
    fig.update_yaxes(title_text="endorsed share", range=[0, 1])
    _layout(fig, height=380 * rows, showlegend=False)
    return Panel(
        "fingerprint",
        "Election fingerprints (Klimek)",
        "Polling units by turnout and the share of ballots for the endorsed candidates, "
        "first round (Klimek et al. 2012). Clean counts make one blob; ballot stuffing "
        "smears it towards the top right, and extreme fraud piles units at 100%/100%. "
        "Brighter cells hold more units (log scale, each election on its own).",
        [fig],
    )
