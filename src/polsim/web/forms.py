"""Server-side validation of the dashboard's run form and scenario uploads.

Nothing a browser sends is trusted: every field is checked here (types, ranges, caps),
a scenario is either a built-in name from the fixed list or an uploaded YAML file read by
the scenario loader's bounded parser (depth, aliases, digits, UTF-8) and validated by the
scenario schema, and every failure becomes one line the page shows. No field is ever used as a path.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from polsim.api import parse_voter_count
from polsim.engine.calendar import Month
from polsim.errors import PolsimError, UserInputError
from polsim.experiments.parameters import apply_overrides
from polsim.scenario.loader import (
    builtin_scenarios,
    load_scenario,
    parse_yaml,
    scenario_from_dict,
)
from polsim.scenario.schema import Scenario
from polsim.web.jobs import JobSpec

__all__ = [
    "MAIN_PARAMETERS",
    "Limits",
    "RunForm",
    "parse_run_form",
    "read_upload",
    "run_specs",
]

#: The main parameters the form offers: dotted scenario path → label.
MAIN_PARAMETERS: dict[str, str] = {
    "regime.legitimacy": "Regime legitimacy L (0–1)",
    "regime.repression": "Repression capacity P (0–1)",
    "regime.efficiency": "Government efficiency e (0–1)",
}
_FIELD_OF = {path: path.replace(".", "_") for path in MAIN_PARAMETERS}


@dataclass(frozen=True)
class Limits:
    """The caps the server enforces on every request."""

    max_voters: int = 200_000
    max_runs_per_request: int = 3
    max_upload_bytes: int = 256 * 1024


class RunForm(BaseModel):
    """The run form's fields, as validated on the server."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    scenario: str = Field("kazakhstan-1990s", max_length=64)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    voters: str = Field("20k", min_length=1, max_length=12)
    until: str | None = Field(None, pattern=r"^\d{4}-\d{2}$")
    runs: int = Field(1, ge=1)
    regime_legitimacy: float | None = Field(None, ge=0, le=1)
    regime_repression: float | None = Field(None, ge=0, le=1)
    regime_efficiency: float | None = Field(None, ge=0, le=1)


def parse_run_form(raw: dict[str, Any], limits: Limits) -> RunForm:
    """Validate the submitted fields (blank means default) or raise one line."""
    data = {k: v for k, v in raw.items() if k in RunForm.model_fields and str(v).strip() != ""}
    unknown = sorted(k for k in raw if k not in RunForm.model_fields and k != "upload")
    if unknown:
        raise UserInputError(f"unknown form field {unknown[0]!r}")
    try:
        form = RunForm.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        name = ".".join(str(p) for p in first["loc"]) or "form"
        raise UserInputError(f"{name}: {first['msg']} (got {first.get('input')!r})") from None
    if form.runs > limits.max_runs_per_request:
        raise UserInputError(
            f"runs: at most {limits.max_runs_per_request} runs per request (got {form.runs})"
        )
    voters = parse_voter_count(form.voters)
    if voters > limits.max_voters:
        raise UserInputError(
            f"voters: at most {limits.max_voters:,} voters on this server (got {voters:,})"
        )
    return form


def read_upload(content: bytes, filename: str, limits: Limits) -> Scenario:
    """A scenario from an uploaded YAML file (safe loader, schema-validated) or one line."""
    name = _safe_name(filename)
    if len(content) > limits.max_upload_bytes:
        raise UserInputError(
            f"{name}: the file is too large ({len(content):,} bytes; at most "
            f"{limits.max_upload_bytes:,})"
        )
    data = parse_yaml(content, origin=name)  # bounded: depth, aliases, digits, UTF-8
    return scenario_from_dict(data, origin=name)


def run_specs(
    form: RunForm, upload: Scenario | None, origin: str | None = None
) -> tuple[list[JobSpec], str]:
    """The jobs a valid form asks for (one per run, seeds seed, seed+1, ...) and a batch id."""
    if upload is not None:
        base, source = upload, origin or "uploaded scenario"
    else:
        if form.scenario not in builtin_scenarios():  # names only: never a path
            known = ", ".join(builtin_scenarios())
            raise UserInputError(f"scenario: unknown scenario {form.scenario!r}; known: {known}")
        base, source = load_scenario(form.scenario), f"built-in {form.scenario}"
    overrides = {
        path: value
        for path, value in ((p, getattr(form, field)) for p, field in _FIELD_OF.items())
        if value is not None
    }
    scenario = apply_overrides(base, overrides, origin="form") if overrides else base
    last = _until(form.until, scenario)
    months = last - scenario.start + 1
    data = scenario.model_dump(mode="json")
    voters = parse_voter_count(form.voters)
    batch = secrets.token_hex(6)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    slug = re.sub(r"[^a-z0-9]+", "-", scenario.name.lower()).strip("-")[:40] or "scenario"
    specs = []
    for i in range(form.runs):
        seed = form.seed + i
        token = secrets.token_hex(3)
        specs.append(
            JobSpec(
                job_id=f"{batch}-{i}",
                run_id=f"{slug}-{seed}-{stamp}-{token}",
                scenario=data,
                origin=source,
                seed=seed,
                voters=voters,
                until=str(last),
                months=months,
            )
        )
    return specs, batch


def _until(text: str | None, scenario: Scenario) -> Month:
    if text is None:
        return scenario.end
    try:
        month = Month.parse(text)
    except (ValueError, PolsimError) as error:
        raise UserInputError(f"until: {error}") from None
    if not scenario.start <= month <= scenario.end:
        raise UserInputError(
            f"until: {month} is outside the scenario ({scenario.start} to {scenario.end})"
        )
    return month


def _safe_name(filename: str) -> str:
    """The upload's base name for messages (never used as a path)."""
    base = re.split(r"[\\/]", filename or "")[-1]
    return re.sub(r"[^A-Za-z0-9._-]", "_", base)[:80] or "upload"
