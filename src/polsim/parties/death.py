"""Death: an organisation whose fitness stays below the survival threshold τ dissolves.

Laver & Sergenti (2011): a party dies when its fitness f falls below τ
(``survival_threshold``). polsim counts the consecutive months below τ and dissolves
the organisation after ``death_spell`` of them (1: the paper's rule). Departure,
marked: organisations younger than ``grace_months`` are spared, since a newborn has
no support history yet; and historical organisations under ``history: pinned`` leave
only on their recorded dates (:mod:`polsim.parties.history`).

A dissolved organisation never acts again: every mechanism reads only
:meth:`Organisations.alive`, and its elites return to the pool.
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event, PartyDissolved
from polsim.engine.mechanisms import register_mechanism
from polsim.parties.common import dissolve
from polsim.scenario.schema import PartyParameters
from polsim.world.polity import World

__all__ = ["dissolve_failing"]


@register_mechanism("parties.death", phase="parties", order=90, reads="parties")
def dissolve_failing(
    world: World, params: PartyParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Dissolve the organisations whose fitness has stayed below τ for the spell."""
    events: list[Event] = []
    for org in world.organisations.alive():
        if org.pinned or org.age(date) < params.grace_months:
            continue
        org.months_below = org.months_below + 1 if org.fitness < params.survival_threshold else 0
        if org.months_below >= params.death_spell:
            dissolve(world, org, date, "failed")
            events.append(
                PartyDissolved(
                    date=date,
                    actors=(f"org:{org.id}",),
                    organisation=org.id,
                    reason="failed",
                    fitness=float(org.fitness),
                )
            )
    return events
