"""The state of one simulated polity: plain containers, no behaviour.

Mechanisms read and change a :class:`World`; they live in ``society/``, ``parties/``,
``state/`` and ``elections/``. The world holds data and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from polsim.engine.calendar import Month
from polsim.scenario.schema import Scenario
from polsim.world.voters import Voters

__all__ = ["RegimeState", "SocietyState", "World"]


@dataclass
class RegimeState:
    """The regime's scalars this month (MODEL.md §1, §3)."""

    legitimacy: float
    repression: float
    efficiency: float
    president_zhuz: int  # code into ZHUZES, or NO_ZHUZ
    guarantor_present: bool = True


@dataclass
class SocietyState:
    """Aggregates of society this month, by oblast and ethnic group.

    Arrays are indexed ``[oblast, ethnicity]`` and weighted by voter weight.
    """

    shock: float = 0.0
    people: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    hardship: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    grievance: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    active: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    protesting_oblasts: set[int] = field(default_factory=set)


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

    @property
    def electorate(self) -> float:
        """People the voters stand for."""
        return float(self.voters.weight.sum(dtype=np.float64))
