"""Scenarios: what a polity is. Typed schema, YAML loader, validation, built-ins."""

from polsim.scenario.loader import (
    builtin_scenarios,
    load_scenario,
    parse_yaml,
    read_scenario_bytes,
    read_yaml,
    scenario_from_dict,
    scenario_hash,
)
from polsim.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "builtin_scenarios",
    "load_scenario",
    "parse_yaml",
    "read_scenario_bytes",
    "read_yaml",
    "scenario_from_dict",
    "scenario_hash",
]
