"""The state of one simulated polity: plain containers, no behaviour.

Mechanisms read and change a :class:`World`; they live in ``society/``, ``parties/``,
``state/`` and ``elections/``. The world holds data and nothing else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from polsim.engine.calendar import Month
from polsim.scenario.schema import Scenario
from polsim.world.elites import Elites
from polsim.world.legislatures import Legislatures
from polsim.world.organisations import Organisations
from polsim.world.presidency import Presidency
from polsim.world.voters import Voters

__all__ = ["PeaceState", "RegimeState", "SocietyState", "World"]


@dataclass
class RegimeState:
    """The regime's scalars this month (docs/model.md §1.3–§1.5, §3.2)."""

    legitimacy: float
    repression: float
    efficiency: float
    president_zhuz: int  # code into ZHUZES, or NO_ZHUZ
    guarantor_present: bool = True


@dataclass
class PeaceState:
    """Civil peace this month, by oblast (docs/model.md §3.4)."""

    tension: np.ndarray = field(default_factory=lambda: np.zeros(0))
    episodes_this_month: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    episodes_total: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))


@dataclass
class SocietyState:
    """Aggregates of society this month, by oblast and ethnic group.

    Arrays are indexed ``[oblast, ethnicity]`` and weighted by voter weight.
    """

    #: The hardship rule's scalars as this month's hardship step fixed them (the
    #: government's efficiency, and so the relief, changes later in the month): every
    #: reader derives H = clip(s·shock + H0 − relief, floor, ceiling) from them, in
    #: float32. Before the first step: no shock, no relief, no clipping, so H = H0 as
    #: synthesised.
    shock: float = 0.0
    relief: float = 0.0
    hardship_floor: float = -math.inf
    hardship_ceiling: float = math.inf
    #: G = H·grievance_factor[ethnicity, zhuz + 1, backs_coopted] (float32), fixed at this
    #: month's grievance step (legitimacy and the president's zhuz change later in the
    #: month). Empty before the first step: G = 0.
    grievance_factor: np.ndarray = field(
        default_factory=lambda: np.zeros((0, 0, 2), dtype=np.float32)
    )
    people: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    hardship: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    grievance: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    active: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    protesting_oblasts: set[int] = field(default_factory=set)
    #: Per oblast, for the mobilisation pass: its people (weights summed in voter order;
    #: weights are fixed at synthesis) and the end of the voters who may be active (its
    #: voters are sorted by bandwagon threshold, so those are a prefix). Empty: unknown.
    oblast_people: np.ndarray = field(default_factory=lambda: np.zeros(0))
    oblast_totals: np.ndarray = field(default_factory=lambda: np.zeros(0))  # NumPy's sums
    active_frontier: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass
class World:
    """Everything one run knows about its polity at the current month."""

    scenario: Scenario
    date: Month
    voters: Voters
    regime: RegimeState
    society: SocietyState
    institutions: dict[str, Any]
    ethnic_groups: tuple[str, ...]
    oblasts: tuple[str, ...]
    elites: Elites = field(default_factory=Elites.empty)
    organisations: Organisations = field(default_factory=Organisations)
    #: Elections called by mechanisms (ScheduledElection or polsim.elections.hold.CalledElection),
    #: held by ``elections.hold`` in the month of their date.
    elections_called: list[Any] = field(default_factory=list)
    presidency: Presidency | None = None
    legislatures: Legislatures = field(default_factory=Legislatures)
    peace: PeaceState = field(default_factory=PeaceState)
    #: Referendums decided this month: (question, passed); read by the president next month.
    referendum_outcomes: list[tuple[str, bool]] = field(default_factory=list)
    #: Presidential elections decided this month: (election, incumbent won).
    presidential_outcomes: list[tuple[str, bool]] = field(default_factory=list)

    @cached_property
    def electorate(self) -> float:
        """People the voters stand for (weights are fixed at synthesis: summed once)."""
        return float(self.voters.weight.sum(dtype=np.float64))
