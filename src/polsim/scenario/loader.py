"""Load scenarios from YAML files or by built-in name, with one shape of error message.

Every failure raises :class:`polsim.errors.ScenarioError` whose message is one line:
``<file>: <field>: <rule> (got <value>)``.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from polsim.errors import ScenarioError
from polsim.scenario.schema import Scenario

__all__ = [
    "builtin_scenarios",
    "load_scenario",
    "read_yaml",
    "scenario_from_dict",
    "scenario_hash",
]

_BUILTIN_PACKAGE = "polsim.scenario.builtin"


def builtin_scenarios() -> dict[str, str]:
    """The built-in scenarios: name → title."""
    out: dict[str, str] = {}
    for entry in sorted(resources.files(_BUILTIN_PACKAGE).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            data = yaml.safe_load(entry.read_text(encoding="utf-8"))
            out[entry.name.removesuffix(".yaml")] = str(data.get("title", ""))
    return out


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely, or raise a one-line :class:`ScenarioError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a directory, not a scenario file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"{path}: cannot be read ({error})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ScenarioError(f"{path}: malformed YAML: {where}{problem}") from None


def scenario_from_dict(data: Any, origin: str = "<scenario>") -> Scenario:
    """Validate plain data as a :class:`Scenario`; ``origin`` names it in errors."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise ScenarioError(f"{origin}: a scenario must be a mapping of fields; got {kind}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(f"{origin}: {_first_problem(error)}") from None


def load_scenario(name_or_path: str | Path | Scenario) -> Scenario:
    """A scenario by built-in name (``kazakhstan-1990s``) or from a YAML file."""
    if isinstance(name_or_path, Scenario):
        return name_or_path
    text = str(name_or_path)
    path = Path(text)
    looks_like_file = path.suffix in (".yaml", ".yml") or path.exists() or "/" in text
    if looks_like_file:
        return scenario_from_dict(read_yaml(path), origin=str(path))
    builtins = builtin_scenarios()
    if text not in builtins:
        known = ", ".join(builtins) or "none"
        raise ScenarioError(f"unknown scenario {text!r}; built-in scenarios are: {known}")
    resource = resources.files(_BUILTIN_PACKAGE) / f"{text}.yaml"
    data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    return scenario_from_dict(data, origin=f"built-in scenario {text!r}")


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the validated scenario's canonical JSON: equal hashes, equal polities."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _first_problem(error: ValidationError) -> str:
    """One line for the first validation problem: field path, rule and the value got."""
    problems = error.errors(include_url=False)
    first = problems[0]
    field = ".".join(str(part) for part in first["loc"]) or "<top level>"
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown field (not in the schema; check its spelling)"
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    got = first.get("input")
    shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
    more = f" [and {len(problems) - 1} more problem(s)]" if len(problems) > 1 else ""
    return f"{field}: {message}{shown}{more}"
