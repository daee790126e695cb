"""The election mechanism: hold the elections that fall in the month (docs/model.md §4.3).

``hold_elections(world, rng, date)`` holds, in this order, the scenario's scheduled
elections dated this month and then the elections other mechanisms (or a void race)
put on ``world.elections_called`` for this month or earlier. Each election is held by
the race family its formula is registered to (:mod:`polsim.elections.registry`), one
module of :mod:`polsim.elections.families` each:

* ``single_member``: ``plurality``, ``two_round``;
* ``mixed``: ``parallel``, ``mmp``;
* ``list_pr``: ``list_pr``;
* ``block``: ``block``;
* ``national``: ``presidential``, ``referendum``, ``state_list``.

Every family draws districts and polling units (:mod:`polsim.elections.districts`),
nominates and registers candidates (:mod:`polsim.elections.candidates`), draws turnout
and votes (:mod:`polsim.elections.voting`), lets the count be stuffed
(:mod:`polsim.elections.fraud`) and decides its races with the seat formulas of
:mod:`polsim.elections.systems` and :mod:`polsim.elections.allocation`; the round
machinery they share is :mod:`polsim.elections.rounds`. Void races call a repeat
election ``repeat_after_months`` later (at most ``max_repeats`` times).

The mechanism returns an :class:`~polsim.elections.rounds.ElectionOutcome`: its events,
and the rows of ``results.parquet`` and ``units.parquet``
(:mod:`polsim.elections.tables`; one dict of columns per round), which the run hands to
its recorder. Repeats and the verdicts the president reads go on the world.

Random draws come from the mechanism's stream in a fixed order: per election,
nomination, registration, each round's votes, fraud, and lots.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import numpy as np

from polsim.elections import families
from polsim.elections.race import CalledElection, ElectionOutcome, RaceContext
from polsim.elections.registry import race_family, registered_formulas
from polsim.elections.tables import RESULT_COLUMNS, UNIT_COLUMNS, results_table, units_table
from polsim.engine.calendar import Month
from polsim.engine.mechanisms import register_mechanism
from polsim.world.polity import World

# Every module of polsim.elections.families registers its formulas when imported.
for _module in pkgutil.iter_modules(families.__path__):
    importlib.import_module(f"{families.__name__}.{_module.name}")

__all__ = [
    "RESULT_COLUMNS",
    "UNIT_COLUMNS",
    "CalledElection",
    "ElectionOutcome",
    "hold_elections",
    "registered_formulas",
    "results_table",
    "units_table",
]


def __getattr__(name: str) -> Any:
    """``RESULT_SCHEMA`` and ``UNIT_SCHEMA`` from :mod:`polsim.elections.tables`."""
    from polsim.elections import tables

    return getattr(tables, name)


@register_mechanism("elections.hold", phase="elections", order=10)
def hold_elections(world: World, rng: np.random.Generator, date: Month) -> ElectionOutcome:
    """Hold the scheduled and called elections that fall in ``date``."""
    due: list[CalledElection] = [
        CalledElection(e) for e in world.scenario.elections if e.date == date
    ]
    waiting = []
    for item in world.elections_called:
        called = item if isinstance(item, CalledElection) else CalledElection(item)
        (due if called.election.date <= date else waiting).append(called)
    world.elections_called[:] = waiting
    params = world.scenario.elections_behaviour
    outcome = ElectionOutcome()
    for called in due:
        family = race_family(called.election.system.formula, called.election.name)
        held = family(RaceContext(world, called, params, rng, date))
        world.elections_called.extend(held.repeats)
        world.referendum_outcomes.extend(held.referendums)
        world.presidential_outcomes.extend(held.presidential)
        outcome.add(held)
    return outcome
