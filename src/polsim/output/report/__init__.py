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

The package has one module per group of panels (``events``, ``parties``, ``elections``,
``society``, ``ensembles``), what they share (``common``), the reading of folders
(``reading``) and the page assembly (``page``); this module holds the entry points.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from polsim.errors import UserInputError
from polsim.output.report.common import REPORT_FILE, Panel, _int
from polsim.output.report.elections import (
    _fingerprint_panel,
    _hemicycle_panel,
    _results_panel,
    hemicycle_positions,
)
from polsim.output.report.ensembles import (
    FAN_SERIES,
    _compare_ensembles,
    _compare_runs,
    _fan_data,
    _fan_figure,
)
from polsim.output.report.events import _timeline_panel
from polsim.output.report.page import _write_page
from polsim.output.report.parties import _genealogy_panel, _party_system_panel
from polsim.output.report.reading import (
    _check_experiment_folder,
    _check_out,
    _check_run_folder,
    _read_json,
    _read_run_folder,
)
from polsim.output.report.society import _legitimacy_panel, _society_panel

__all__ = [
    "FAN_SERIES",
    "REPORT_FILE",
    "Panel",
    "build_comparison_report",
    "build_ensemble_report",
    "build_report",
    "hemicycle_positions",
    "run_panels",
]


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
