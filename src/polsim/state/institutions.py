"""Dated institutional changes from the scenario (e.g. the end of the party monopoly).

Institutions are the polity's rules as named settings. Their changes are exogenous:
the scenario dates them, and this mechanism applies each one in its month.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event, InstitutionChanged
from polsim.engine.mechanisms import register_mechanism
from polsim.scenario.schema import Institution, Scenario
from polsim.world.polity import World

__all__ = ["apply_institution_changes", "initial_institutions"]


def initial_institutions(scenario: Scenario) -> dict[str, Any]:
    """Each institution's setting at the scenario's start (changes before it applied)."""
    settings: dict[str, Any] = {}
    for name, institution in scenario.institutions.items():
        value = institution.initial
        for change in institution.changes:
            if change.date <= scenario.start:
                value = change.value
        settings[name] = value
    return settings


@register_mechanism("state.institutions", phase="rules", order=10, reads="institutions")
def apply_institution_changes(
    world: World, params: dict[str, Institution], rng: np.random.Generator, date: Month
) -> list[Event]:
    """Apply the changes dated this month."""
    events: list[Event] = []
    if date == world.scenario.start:
        return events  # already in the initial settings
    for name, institution in params.items():
        for change in institution.changes:
            if change.date == date:
                old = world.institutions.get(name)
                world.institutions[name] = change.value
                events.append(
                    InstitutionChanged(
                        date=date,
                        actors=(f"institution:{name}",),
                        institution=name,
                        old=str(old),
                        new=str(change.value),
                    )
                )
    return events
