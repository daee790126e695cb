"""The order in which the engine calls the mechanisms each month.

DESIGN.md fixes the order: society → parties → state → elections → recorder. Within
society: hardship, then grievance (which reads hardship), then opinion, then
mobilisation (which reads grievance), then the monthly aggregates.

Within parties (MODEL.md §2): historical entries and exits (history: pinned) first, so
that the month's support counts them; then support (choice, fitness, misery,
attachment), which every later party mechanism reads; then adaptation (moves by
Laver's rules, using the support just counted); founding (births where misery
clusters, movements' spawns); splits; mergers; co-optation; registration; and last
death, which reads the fitness of this month. Each mechanism draws
from its own named random stream, so reordering or adding one never changes another's
draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from polsim.elections.hold import hold_elections
from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.parties.adaptation import adapt_positions
from polsim.parties.cooptation import coopt_organisations
from polsim.parties.death import dissolve_failing
from polsim.parties.founding import found_parties
from polsim.parties.history import enter_history
from polsim.parties.mergers import merge_organisations
from polsim.parties.registration import register_organisations
from polsim.parties.splits import split_organisations
from polsim.parties.support import update_support
from polsim.society.aggregates import summarise_society
from polsim.society.grievance import update_grievance
from polsim.society.hardship import update_hardship
from polsim.society.mobilisation import mobilise
from polsim.society.opinion import exchange_opinions
from polsim.state.civil_peace import keep_the_peace
from polsim.state.institutions import apply_institution_changes
from polsim.state.legislatures import update_legislatures
from polsim.state.patronage import distribute_patronage
from polsim.state.president import update_president
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
    Mechanism("parties.history", enter_history),
    Mechanism("parties.support", update_support),
    Mechanism("parties.adaptation", adapt_positions),
    Mechanism("parties.founding", found_parties),
    Mechanism("parties.splits", split_organisations),
    Mechanism("parties.mergers", merge_organisations),
    Mechanism("parties.cooptation", coopt_organisations),
    Mechanism("parties.registration", register_organisations),
    Mechanism("parties.death", dissolve_failing),
    Mechanism("state.patronage", distribute_patronage),
    Mechanism("state.president", update_president),
    Mechanism("state.legislatures", update_legislatures),
    Mechanism("state.civil_peace", keep_the_peace),
    Mechanism("elections.hold", hold_elections),
)
