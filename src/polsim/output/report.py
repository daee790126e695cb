"""The HTML report: one self-contained, offline file per run, ensemble or comparison.

``build_report(run_dir)`` reads only the files of a run folder (``manifest.json`` and
the Parquet tables), so ``polsim run`` (through :meth:`polsim.api.Run.save`) and
``polsim report RUN_DIR`` make the same file. plotly.js is embedded once, in the page's
head; every figure is a ``<div>`` drawn by it, so the report opens with no network.

A panel is drawn only when the tables or columns it needs exist and are not empty: a
run without organisations has no genealogy, one without elections no hemicycle. Every
panel is a ``<section class="panel" id="panel-NAME" data-panel="NAME">``, and every
figure a ``<div class="plotly-graph-div">`` inside it, so a browser test finds them.

Panels of a run report (see ``docs/report.md``): ``timeline``, ``party-system``,
``genealogy``, ``hemicycle``, ``results``, ``fingerprint``, ``legitimacy``, ``society``.
An ensemble report has fan charts (median and 5–95% band) of the main series; a
comparison report puts two runs (or two ensembles) side by side.
"""

from __future__ import annotations

import html
import json
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow.parquet as pq
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from polsim.errors import OutputError, UserInputError
from polsim.output.paths import check_output_path
from polsim.output.rundir import is_staging_name
from polsim.output.timeline import key_events

__all__ = [
    "REPORT_FILE",
    "Panel",
    "build_comparison_report",
    "build_ensemble_report",
    "build_report",
    "hemicycle_positions",
    "run_panels",
]

#: The report's file name inside a run or experiment folder.
REPORT_FILE = "report.html"

_CONFIG = {"displaylogo": False, "responsive": True}
_TEMPLATE = "plotly_white"
_INDEPENDENT = "Independents"
_STATE_LIST = "State list"
_RESERVED = "Public organisations (reserved seats)"
_FIXED_COLOURS = {_INDEPENDENT: "#9e9e9e", _STATE_LIST: "#b8860b", _RESERVED: "#5e548e"}
_PALETTE = (
    *("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"),
    *("#17becf", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"),
    *("#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363", "#9c9ede"),
)
_ETHNIC_COLOURS = {
    "Kazakh": "#1f77b4",
    "Russian": "#d62728",
    "Kazakh+Russian": "#9467bd",
    "": "#7f7f7f",
}
_OTHER_ETHNIC = "#2ca02c"
_FINGERPRINT_BINS = 40
_UNIT = ((0.0, 1.0), (0.0, 1.0))

#: The series shown as fan charts in an ensemble report, with their labels (if present).
FAN_SERIES: dict[str, str] = {
    "active_share": "Active share of voters",
    "approval": "Presidential approval",
    "hardship_mean": "Mean hardship",
    "grievance_mean": "Mean grievance",
    "org_alive": "Organisations alive",
    "org_enp": "Effective number of organisations",
    "org_interethnic_share": "Inter-ethnic share of supporters",
    "legitimacy_national": "National legislature legitimacy",
    "tension_mean": "Mean ethnic tension",
    "regime_legitimacy": "Regime legitimacy",
}


@dataclass
class Panel:
    """One section of a report: a stable name, a title, a caption and its figures."""

    name: str
    title: str
    caption: str
    figures: list[go.Figure] = field(default_factory=list)
    extra_html: str = ""


# --------------------------------------------------------------------------- entry points


def build_report(
    run_dir: str | Path, out: str | Path | None = None, manifest: dict[str, Any] | None = None
) -> Path:
    """Write the report of a run folder (default ``RUN_DIR/report.html``); return its path.

    ``manifest`` stands in for ``manifest.json`` while a run is being saved (the
    manifest is written last, so a folder without it never looks like a finished run).
    """
    target = _check_out(out)
    folder = _check_run_folder(run_dir, manifest is None)
    data = _read_run_folder(folder, manifest)
    manifest = data["manifest"]
    title = f"{manifest.get('scenario', 'run')} · seed {manifest.get('seed')}"
    subtitle = (
        f"{manifest.get('start')} to {manifest.get('until')} · {manifest.get('months')} months · "
        f"{_int(manifest.get('voters')):,} voters · {manifest.get('events')} events · "
        f"polsim {manifest.get('polsim_version')}"
    )
    target = target or folder / REPORT_FILE
    return _write_page(target, title, subtitle, run_panels(data), kind="run")


def build_ensemble_report(experiment_dir: str | Path, out: str | Path | None = None) -> Path:
    """Write fan charts (median, 5–95% band) of an experiment's runs; return the path."""
    target = _check_out(out)
    folder = _check_experiment_folder(experiment_dir)
    design = _read_json(folder / "experiment.json")
    fans, runs = _fan_data(folder)
    if runs == 0:
        raise UserInputError(f"{folder}: no complete runs to report (parts/*/series.parquet)")
    panels = [
        Panel(
            f"fan-{column}",
            label,
            f"Median (line) and 5–95% band (shaded) over {runs} runs.",
            [_fan_figure({folder.name: fan}, label)],
        )
        for column, (label, fan) in fans.items()
    ]
    scenario = design.get("scenario") or design.get("design", {}).get("scenario", folder.name)
    title = f"Ensemble · {scenario if isinstance(scenario, str) else folder.name}"
    subtitle = f"{folder.name} · {runs} runs · fan charts of the monthly series"
    target = target or folder / REPORT_FILE
    return _write_page(target, title, subtitle, panels, kind="ensemble")


def build_comparison_report(
    dir_a: str | Path,
    dir_b: str | Path,
    out: str | Path | None = None,
    labels: tuple[str, str] | None = None,
) -> Path:
    """Write a report putting two runs (or two ensembles) side by side; return its path.

    Two run folders give overlaid series, each legislature side by side and the
    manifests in a table; two experiment folders give overlaid fan charts.
    """
    target = _check_out(out)
    a, b = Path(dir_a), Path(dir_b)
    names = labels or (a.name, b.name)
    if names[0] == names[1]:
        names = (f"A: {names[0]}", f"B: {names[1]}")
    if (a / "experiment.json").is_file() and (b / "experiment.json").is_file():
        panels = _compare_ensembles(_check_experiment_folder(a), _check_experiment_folder(b), names)
        kind = "compare-ensembles"
    else:
        data_a = _read_run_folder(_check_run_folder(a))
        data_b = _read_run_folder(_check_run_folder(b))
        panels = _compare_runs(data_a, data_b, names)
        kind = "compare-runs"
    default = Path.cwd() / f"compare-{a.name}-vs-{b.name}.html"  # neither folder is changed
    title = f"{names[0]} vs {names[1]}"
    return _write_page(target or default, title, "Side by side", panels, kind=kind)


def run_panels(data: dict[str, Any]) -> list[Panel]:
    """The panels a run's tables support, in report order (empty ones left out)."""
    series = data.get("series", pd.DataFrame())
    events = data.get("events", pd.DataFrame())
    results = data.get("results", pd.DataFrame())
    units = data.get("units", pd.DataFrame())
    orgs = data.get("organisations", pd.DataFrame())
    until = str(data["manifest"].get("until") or (series["month"].iloc[-1] if len(series) else ""))
    builders = [
        lambda: _timeline_panel(events),
        lambda: _party_system_panel(series),
        lambda: _genealogy_panel(orgs, until),
        lambda: _hemicycle_panel(results, orgs),
        lambda: _results_panel(results, orgs),
        lambda: _fingerprint_panel(units),
        lambda: _legitimacy_panel(series, events),
        lambda: _society_panel(series),
    ]
    return [panel for build in builders if (panel := build()) is not None]


# --------------------------------------------------------------------------- reading


def _check_out(out: str | Path | None) -> Path | None:
    """The report file asked for with ``--out``, checked before any work (None: default)."""
    return None if out is None else check_output_path(out, "--out", kind="file")


def _check_run_folder(run_dir: str | Path, needs_manifest: bool = True) -> Path:
    folder = Path(run_dir)
    if needs_manifest and is_staging_name(folder.absolute().name):
        raise UserInputError(f"{folder}: a run being saved (or moved aside), not a run folder")
    if not folder.is_dir():
        raise UserInputError(f"{folder}: no such run folder")
    if needs_manifest and not (folder / "manifest.json").is_file():
        raise UserInputError(f"{folder}: not a run folder (no manifest.json)")
    return folder


def _check_experiment_folder(experiment_dir: str | Path) -> Path:
    folder = Path(experiment_dir)
    if not folder.is_dir():
        raise UserInputError(f"{folder}: no such experiment folder")
    if not (folder / "experiment.json").is_file():
        raise UserInputError(f"{folder}: not an experiment folder (no experiment.json)")
    return folder


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise UserInputError(f"{path}: cannot be read ({error})") from None
    return value if isinstance(value, dict) else {}


def _read_run_folder(folder: Path, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "manifest": _read_json(folder / "manifest.json") if manifest is None else manifest
    }
    for name in ("series", "events", "results", "units", "organisations"):
        path = folder / f"{name}.parquet"
        if path.is_file():
            try:
                data[name] = pq.read_table(path).to_pandas()
            except Exception as error:  # a damaged file is the user's to fix: say which
                raise UserInputError(f"{path}: cannot be read ({error})") from None
    return data


# --------------------------------------------------------------------------- panels


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


# --------------------------------------------------------------------------- ensembles


def _fan_data(folder: Path) -> tuple[dict[str, tuple[str, pd.DataFrame]], int]:
    """Per series column: (label, frame of month, p05, p50, p95) over complete parts."""
    parts = sorted(p for p in (folder / "parts").glob("*/series.parquet") if p.is_file())
    parts = [p for p in parts if (p.parent / "_COMPLETE.json").is_file()]
    if not parts:
        return {}, 0
    schema = pq.read_schema(parts[0])
    wanted = [c for c in FAN_SERIES if c in schema.names]
    stacks: dict[str, list[np.ndarray]] = {c: [] for c in wanted}
    months: list[str] = []
    for path in parts:  # one run at a time: only the wanted columns are kept
        table = pq.read_table(path, columns=["month", *wanted])
        if len(table) > len(months):
            months = table.column("month").to_pylist()
        for column in wanted:
            stacks[column].append(table.column(column).to_numpy(zero_copy_only=False))
    out: dict[str, tuple[str, pd.DataFrame]] = {}
    for column in wanted:
        matrix = np.full((len(stacks[column]), len(months)), np.nan)
        for i, values in enumerate(stacks[column]):
            matrix[i, : len(values)] = values
        if not np.isfinite(matrix).any():
            continue
        low, mid, high = np.nanpercentile(matrix, [5, 50, 95], axis=0)
        frame = pd.DataFrame({"month": months, "p05": low, "p50": mid, "p95": high})
        out[column] = (FAN_SERIES[column], frame)
    return out, len(parts)


def _fan_figure(fans: dict[str, pd.DataFrame], label: str) -> go.Figure:
    fig = go.Figure()
    for i, (name, fan) in enumerate(fans.items()):
        colour = _PALETTE[i % len(_PALETTE)]
        x = _months(fan["month"])
        upper = {"mode": "lines", "line": {"width": 0}, "showlegend": False, "hoverinfo": "skip"}
        fig.add_trace(go.Scatter(x=x, y=fan["p95"], **upper))
        fig.add_trace(
            go.Scatter(
                x=x,
                y=fan["p05"],
                mode="lines",
                fill="tonexty",
                fillcolor=_rgba(colour, 0.25),
                line={"width": 0},
                name=f"{name}: 5–95%",
                hoverinfo="skip",
            )
        )
        median = {"mode": "lines", "name": f"{name}: median", "line": {"color": colour}}
        fig.add_trace(go.Scatter(x=x, y=fan["p50"], **median))
    _layout(fig, height=360, title=label)
    return fig


def _compare_ensembles(a: Path, b: Path, names: tuple[str, str]) -> list[Panel]:
    fans_a, runs_a = _fan_data(a)
    fans_b, runs_b = _fan_data(b)
    if runs_a == 0 or runs_b == 0:
        empty = a if runs_a == 0 else b
        raise UserInputError(f"{empty}: no complete runs to compare (parts/*/series.parquet)")
    panels = []
    for column, (label, fan_a) in fans_a.items():
        if column in fans_b:
            panels.append(
                Panel(
                    f"fan-{column}",
                    label,
                    f"Median and 5–95% band: {names[0]} ({runs_a} runs) against "
                    f"{names[1]} ({runs_b} runs).",
                    [_fan_figure({names[0]: fan_a, names[1]: fans_b[column][1]}, label)],
                )
            )
    return panels


# --------------------------------------------------------------------------- comparisons


def _compare_runs(a: dict[str, Any], b: dict[str, Any], names: tuple[str, str]) -> list[Panel]:
    keys = ("scenario", "seed", "voters", "start", "until", "months", "events", "scenario_hash")
    rows = "".join(
        f"<tr><th>{k}</th><td>{html.escape(str(a['manifest'].get(k)))}</td>"
        f"<td>{html.escape(str(b['manifest'].get(k)))}</td></tr>"
        for k in keys
    )
    head = f"<tr><th></th><th>{html.escape(names[0])}</th><th>{html.escape(names[1])}</th></tr>"
    panels = [
        Panel("manifests", "The two runs", "", [], f'<table class="manifest">{head}{rows}</table>')
    ]
    sa, sb = a.get("series", pd.DataFrame()), b.get("series", pd.DataFrame())
    shown = [c for c in FAN_SERIES if c in sa and c in sb]
    if shown:
        figures = []
        for column in shown:
            fig = go.Figure()
            for name, s, colour in ((names[0], sa, _PALETTE[0]), (names[1], sb, _PALETTE[1])):
                line = {"color": colour}
                fig.add_trace(go.Scatter(x=_months(s["month"]), y=s[column], name=name, line=line))
            _layout(fig, height=300, title=FAN_SERIES[column])
            figures.append(fig)
        caption = f"{names[0]} against {names[1]}."
        panels.append(Panel("series", "Series, overlaid", caption, figures))
    for side, data, name in (("a", a, names[0]), ("b", b, names[1])):
        results = data.get("results", pd.DataFrame())
        orgs = data.get("organisations", pd.DataFrame())
        hemicycle = _hemicycle_panel(results, orgs)
        if hemicycle is not None:
            hemicycle.name = f"hemicycle-{side}"
            hemicycle.title = f"Legislatures: {name}"
            panels.append(hemicycle)
    return _side_by_side(panels)


def _side_by_side(panels: list[Panel]) -> list[Panel]:
    """Put the two runs' hemicycle panels in one two-column panel, if both have them."""
    by_name = {p.name: p for p in panels}
    if "hemicycle-a" in by_name and "hemicycle-b" in by_name:
        a, b = by_name["hemicycle-a"], by_name["hemicycle-b"]
        merged = Panel(
            "hemicycles",
            "Legislatures, side by side",
            a.caption,
            [f for pair in _zip_longest(a.figures, b.figures) for f in pair if f is not None],
        )
        merged.extra_html = '<p class="note">Left: A. Right: B.</p>'
        return [p for p in panels if p.name not in ("hemicycle-a", "hemicycle-b")] + [merged]
    return panels


def _zip_longest(a: Sequence[Any], b: Sequence[Any]) -> Iterable[tuple[Any, Any]]:
    for i in range(max(len(a), len(b))):
        yield (a[i] if i < len(a) else None, b[i] if i < len(b) else None)


# --------------------------------------------------------------------------- the page


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222;
background:#fafafa}
header{background:#1d3557;color:#fff;padding:1rem 2rem}
header h1{margin:0 0 .3rem;font-size:1.6rem} header p{margin:0;opacity:.85}
nav{padding:.5rem 2rem;background:#eef1f5}
nav a{margin-right:1rem;color:#1d3557;text-decoration:none;font-size:.95rem}
main{padding:0 2rem 2rem}
section.panel{background:#fff;border:1px solid #e1e4e8;border-radius:6px;margin:1.2rem 0;
padding:1rem 1.2rem}
section.panel h2{margin:.2rem 0 .4rem;font-size:1.25rem}
p.caption{color:#555;margin:.2rem 0 .8rem;max-width:60rem}
.figures.two{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
ul.timeline{list-style:none;padding-left:.5rem;font-family:ui-monospace,Menlo,monospace;font-size:.85rem;color:#333}
table.manifest{border-collapse:collapse} table.manifest td,table.manifest th{
border:1px solid #ddd;padding:.3rem .6rem;text-align:left}
"""


def _write_page(target: Path, title: str, subtitle: str, panels: list[Panel], kind: str) -> Path:
    nav = "".join(f'<a href="#panel-{p.name}">{html.escape(p.title)}</a>' for p in panels)
    body = []
    for panel in panels:
        two = " two" if panel.name == "hemicycles" else ""
        figures = "".join(
            f.to_html(
                full_html=False,
                include_plotlyjs=False,
                div_id=f"fig-{panel.name}-{i}",
                config=_CONFIG,
            )
            for i, f in enumerate(panel.figures)
        )
        caption = f'<p class="caption">{html.escape(panel.caption)}</p>' if panel.caption else ""
        body.append(
            f'<section class="panel" id="panel-{panel.name}" data-panel="{panel.name}">'
            f"<h2>{html.escape(panel.title)}</h2>{caption}"
            f'<div class="figures{two}">{figures}</div>{panel.extra_html}</section>'
        )
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>polsim · {html.escape(title)}'
        '</title><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_CSS}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>'
        f'<body data-report="{kind}"><header><h1>{html.escape(title)}</h1>'
        f"<p>{html.escape(subtitle)}</p></header><nav>{nav}</nav>"
        f"<main>{''.join(body)}</main></body></html>\n"
    )
    _write_atomic(target, page)
    return target


def _write_atomic(target: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``target``, then rename it in place.

    A reader sees the old file or the new one, never half of one; the temporary file is
    removed on any failure (a full disk, an interrupt).
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent
        )
    except OSError as error:
        raise OutputError(f"{target}: cannot write the report ({error.strerror})") from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a report is for sharing
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write the report ({error.strerror})") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- helpers


def _layout(fig: go.Figure, height: int, title: str | None = None, **extra: Any) -> None:
    fig.update_layout(
        template=_TEMPLATE,
        height=height,
        margin={"l": 60, "r": 30, "t": 60 if title else 40, "b": 40},
        title={"text": html.escape(title)} if title else None,
        legend={"font": {"size": 11}},
        **extra,
    )


def _months(values: Iterable[Any]) -> list[pd.Timestamp]:
    return [_month_start(v) for v in values]


def _month_start(value: Any) -> pd.Timestamp:
    text = str(value)
    return pd.Timestamp(text[:7] + "-01")


def _end_of(dissolved: Any, end: pd.Timestamp) -> pd.Timestamp:
    return _month_start(dissolved) if isinstance(dissolved, str) and dissolved else end


def _parents(value: Any) -> list[int]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [int(p) for p in value]


def _colours(labels: Iterable[str], org_of: dict[str, Any] | None = None) -> dict[str, str]:
    """A colour per label: fixed for independents and the like, else by organisation id.

    Keyed by id, an organisation keeps its colour in every election and panel.
    """
    out: dict[str, str] = {}
    for i, label in enumerate(dict.fromkeys(labels)):
        org = (org_of or {}).get(label)
        if label in _FIXED_COLOURS:
            out[label] = _FIXED_COLOURS[label]
        elif org is not None and int(org) >= 0:
            out[label] = _PALETTE[int(org) % len(_PALETTE)]
        else:
            out[label] = _PALETTE[i % len(_PALETTE)]
    return out


def _seat_size(seats: int) -> float:
    return float(max(5, min(22, 160 / math.sqrt(seats))))


def _short(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
