"""What every part of the report shares: the panel, its colours and layout helpers."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

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


@dataclass
class Panel:
    """One section of a report: a stable name, a title, a caption and its figures."""

    name: str
    title: str
    caption: str
    figures: list[go.Figure] = field(default_factory=list)
    extra_html: str = ""


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
