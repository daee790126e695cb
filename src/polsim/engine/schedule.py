"""The order in which the engine calls the mechanisms each month.

DESIGN.md fixes the order: society → parties → state → elections → recorder. Within
society: hardship, then grievance (which reads hardship), then opinion, then
mobilisation (which reads grievance), then the monthly aggregates. Each mechanism draws
from its own named random stream, so reordering or adding one never changes another's
draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.society.aggregates import summarise_society
from polsim.society.grievance import update_grievance
from polsim.society.hardship import update_hardship
from polsim.society.mobilisation import mobilise
from polsim.society.opinion import exchange_opinions
from polsim.state.institutions import apply_institution_changes
from polsim.world.polity import World

__all__ = ["MONTHLY_MECHANISMS", "Mechanism"]

MechanismFunction = Callable[[World, np.random.Generator, Month], list[Event]]


@dataclass(frozen=True)
class Mechanism:
    """A named monthly mechanism; its name is also the name of its random stream."""

    name: str
    step: MechanismFunction


#: Every monthly mechanism, in the order the engine calls them.
MONTHLY_MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism("state.institutions", apply_institution_changes),
    Mechanism("society.hardship", update_hardship),
    Mechanism("society.grievance", update_grievance),
    Mechanism("society.opinion", exchange_opinions),
    Mechanism("society.mobilisation", mobilise),
    Mechanism("society.aggregates", summarise_society),
)
