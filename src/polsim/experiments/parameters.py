"""Experiment parameters: dotted paths into a scenario, their ranges, and overrides.

A parameter is named by its dotted path in the scenario's JSON form
(``regime.repression``, ``society.mobilisation.bandwagon_threshold.mean``,
``regime.ethnic_penalty.Minority``, ``population.oblasts.0.urban_share``). Overrides are
applied by dumping the scenario to JSON, setting the paths and validating again, so the
schema, and only the schema, decides what a legal value is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from polsim.engine.limits import MAX_LEVELS
from polsim.errors import UserInputError
from polsim.scenario.loader import scenario_from_dict
from polsim.scenario.schema import Scenario

__all__ = [
    "Parameter",
    "apply_overrides",
    "check_parameters",
    "parse_param",
    "set_path",
]


@dataclass(frozen=True)
class Parameter:
    """A parameter to vary: its dotted path, its range ``[low, high]`` and its levels.

    ``levels`` is the number of values a factorial design takes (``None``: the default);
    ``integer`` is set when the schema field holds a whole number, so designs round.
    """

    name: str
    low: float
    high: float
    levels: int | None = None
    integer: bool = False

    @property
    def span(self) -> float:
        """``high - low``."""
        return self.high - self.low

    def to_dict(self) -> dict[str, Any]:
        """The JSON form kept in ``experiment.json``."""
        return {
            "name": self.name,
            "low": self.low,
            "high": self.high,
            "levels": self.levels,
            "integer": self.integer,
        }

    def __str__(self) -> str:
        levels = "" if self.levels is None else f":{self.levels}"
        return f"{self.name}={self.low:g}:{self.high:g}{levels}"


def parse_param(text: str) -> Parameter:
    """Read ``NAME=LO:HI[:K]`` (a range, optionally with K factorial levels).

    Examples
    --------
    >>> parse_param("regime.repression=0.1:0.5:3")
    Parameter(name='regime.repression', low=0.1, high=0.5, levels=3, integer=False)
    """
    name, sep, spec = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise UserInputError(
            f"--param {text!r}: expected NAME=LO:HI[:K], e.g. regime.repression=0:1"
        )
    pieces = spec.split(":")
    if len(pieces) not in (2, 3):
        raise UserInputError(f"--param {text!r}: expected LO:HI or LO:HI:K after '='")
    try:
        low, high = float(pieces[0]), float(pieces[1])
    except ValueError:
        raise UserInputError(f"--param {text!r}: LO and HI must be numbers") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise UserInputError(f"--param {text!r}: LO and HI must be finite numbers")
    if low >= high:
        raise UserInputError(f"--param {text!r}: LO ({low:g}) must be less than HI ({high:g})")
    levels = None
    if len(pieces) == 3:
        try:
            levels = int(pieces[2]) if len(pieces[2]) <= 20 else None
        except ValueError:
            levels = None
        if levels is None:
            raise UserInputError(f"--param {text!r}: K must be a whole number of levels")
        if not 2 <= levels <= MAX_LEVELS:
            raise UserInputError(
                f"--param {text!r}: K must be from 2 to {MAX_LEVELS:,} levels; got {levels}"
            )
    return Parameter(name, low, high, levels)


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at a dotted ``path`` of plain (JSON) data, in place.

    A path that ends on a sourced figure (``{value, source, ...}``) sets its ``value``.
    An unknown step raises :class:`UserInputError` naming the path and the keys that exist
    where it failed.
    """
    node: Any = data
    steps = path.split(".")
    for depth, step in enumerate(steps):
        last = depth == len(steps) - 1
        where = ".".join(steps[:depth]) or "the scenario"
        if isinstance(node, dict):
            if step not in node:
                known = ", ".join(sorted(str(k) for k in node)) or "none"
                raise UserInputError(
                    f"unknown parameter {path!r}: no field {step!r} in {where}; "
                    f"fields there are: {known}"
                )
            if last:
                target = node[step]
                if isinstance(target, dict) and "value" in target:
                    target["value"] = value
                elif isinstance(target, dict | list):
                    raise UserInputError(
                        f"parameter {path!r} is a table, not a number; name one of its "
                        f"fields, e.g. {path}.{_first_key(target)}"
                    )
                else:
                    node[step] = value
                return
            node = node[step]
        elif isinstance(node, list):
            try:
                index = int(step)
                child = node[index]
            except (ValueError, IndexError):
                raise UserInputError(
                    f"unknown parameter {path!r}: {where} is a list of {len(node)}; "
                    f"use an index 0-{len(node) - 1}, got {step!r}"
                ) from None
            if last:
                if isinstance(child, dict) and "value" in child:
                    child["value"] = value
                else:
                    node[index] = value
                return
            node = child
        else:
            raise UserInputError(f"unknown parameter {path!r}: {where} is a number, not a table")


def _get_path(data: Any, path: str) -> Any:
    node = data
    for step in path.split("."):
        node = node[int(step)] if isinstance(node, list) else node[step]
    if isinstance(node, dict) and "value" in node:
        node = node["value"]
    return node


def _first_key(node: dict[str, Any] | list[Any]) -> str:
    if isinstance(node, list):
        return "0"
    return str(next(iter(node), "value"))


def apply_overrides(
    scenario: Scenario | Mapping[str, Any],
    overrides: Mapping[str, float],
    origin: str = "--param",
) -> Scenario:
    """A new scenario with the dotted-path ``overrides`` set, validated by the schema.

    ``scenario`` may be a :class:`Scenario` or its JSON dict (``model_dump(mode="json")``),
    which is not changed. An out-of-range value raises the schema's one-line
    :class:`~polsim.errors.ScenarioError`, prefixed with ``origin``.
    """
    base = scenario.model_dump(mode="json") if isinstance(scenario, Scenario) else scenario
    data = _deep_copy(base)
    for path, value in overrides.items():
        set_path(data, path, value)
    return scenario_from_dict(data, origin=origin)


def _deep_copy(data: Any) -> Any:
    # JSON data only: much faster than copy.deepcopy, which matters for big sweeps.
    if isinstance(data, dict):
        return {k: _deep_copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_deep_copy(v) for v in data]
    return data


def check_parameters(scenario: Scenario, parameters: list[Parameter]) -> list[Parameter]:
    """Check names and ranges against the schema, before anything runs.

    Each path must exist and hold a number; both ends of each range must pass the
    schema's bounds. Returns the parameters with ``integer`` set where the field holds
    a whole number (designs then round to whole values).
    """
    seen: set[str] = set()
    base = scenario.model_dump(mode="json")
    checked: list[Parameter] = []
    for parameter in parameters:
        if parameter.name in seen:
            raise UserInputError(f"--param {parameter.name!r} is given twice")
        seen.add(parameter.name)
        probe = _deep_copy(base)
        set_path(probe, parameter.name, parameter.low)  # unknown paths fail here
        current = _get_path(base, parameter.name)
        if isinstance(current, bool) or not isinstance(current, int | float):
            raise UserInputError(
                f"parameter {parameter.name!r} holds {current!r}, not a number; "
                "only numeric fields can be varied"
            )
        integer = isinstance(current, int) and not isinstance(current, bool)
        if integer and (
            parameter.low != int(parameter.low) or parameter.high != int(parameter.high)
        ):
            raise UserInputError(
                f"--param {parameter}: {parameter.name} holds a whole number; "
                "give whole-number bounds"
            )
        for end in (parameter.low, parameter.high):
            value: float | int = int(end) if integer else end
            apply_overrides(base, {parameter.name: value}, origin=f"--param {parameter}")
        checked.append(
            Parameter(parameter.name, parameter.low, parameter.high, parameter.levels, integer)
        )
    return checked
