"""Ensembles and comparisons: fan charts, and two runs or ensembles side by side."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow.parquet as pq

from polsim.errors import UserInputError
from polsim.output.report.common import _PALETTE, Panel, _layout, _months, _rgba
from polsim.output.report.elections import _hemicycle_panel

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
