"""Reading the folders a report is built from, and checking where it goes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from polsim.errors import UserInputError
from polsim.output.paths import check_output_path
from polsim.output.rundir import is_staging_name


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
