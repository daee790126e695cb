"""Hardship from the economic series and government efficiency (docs/model.md §1.3).

``H_i(t) = clip(H0_i + s_i·shock(t) − e·relief, 0, 1)``

where ``shock(t) = 1 − index(t) / index(base)`` is the fall of output below its base
year, ``e`` the government's efficiency and ``relief`` the hardship removed per unit of
efficiency (both from the scenario).

H is not held per voter: the monthly step fixes the rule's scalars (the shock, and the
relief at this month's efficiency, which changes later in the month) in
:class:`~polsim.world.polity.SocietyState`, and every reader derives H for the voters
it reads (:func:`hardship_of`; the compiled passes call the same
:func:`~polsim.society.kernels.voter_hardship`).
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.engine.mechanisms import register_mechanism
from polsim.scenario.schema import EconomicSeries, HardshipParameters
from polsim.society.kernels import hardship_kernel
from polsim.world.polity import SocietyState, World
from polsim.world.voters import Voters

__all__ = [
    "economic_shock",
    "hardship_of",
    "hardship_reference",
    "hardship_rule",
    "stored_hardship_reference",
    "update_hardship",
]


def economic_shock(series: EconomicSeries, month: Month) -> float:
    """The output fall below the base year at ``month`` (0 = none, 0.3 = 30% lower).

    Annual index values are read as levels on 1 July and months at their first day,
    interpolated linearly between years; before the first and after the last year the
    nearest value holds.

    Examples
    --------
    >>> s = EconomicSeries(index={1990: 100, 1991: 80}, base_year=1990)
    >>> round(economic_shock(s, Month(1991, 1)), 4)
    0.1
    """
    years = np.array(list(series.index), dtype=np.float64) + 0.5  # mid-year
    levels = np.array(list(series.index.values()), dtype=np.float64)
    t = month.fraction_of_year  # the month's first day
    level = float(np.interp(t, years, levels))
    return 1.0 - level / series.index[series.base_year]


@register_mechanism("society.hardship", phase="society", order=10, reads="society.hardship")
def update_hardship(
    world: World, params: HardshipParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Fix this month's hardship rule (shock and relief); H is derived where it is read."""
    shock = economic_shock(world.scenario.economy, date)
    society = world.society
    society.shock = shock
    relief = world.regime.efficiency * params.relief
    society.relief = relief
    society.hardship_floor = 0.0
    society.hardship_ceiling = 1.0
    return []


def hardship_rule(society: SocietyState) -> tuple[np.float32, ...]:
    """The month's hardship scalars as the kernels take them: float32 (shock, relief,
    floor, ceiling)."""
    return (
        np.float32(society.shock),
        np.float32(society.relief),
        np.float32(society.hardship_floor),
        np.float32(society.hardship_ceiling),
    )


def hardship_of(world: World, rows: slice = slice(None)) -> np.ndarray:
    """H (float32) of the voters in ``rows`` this month (one compiled pass)."""
    voters = world.voters
    base = voters.base_hardship[rows]
    out = np.empty(len(base), np.float32)
    hardship_kernel(base, voters.shock_sensitivity[rows], *hardship_rule(world.society), out)
    return out


def hardship_reference(
    voters: Voters, shock: float, relief: float, floor: float = 0.0, ceiling: float = 1.0
) -> np.ndarray:
    """NumPy reference of the hardship kernel: H for the given shock and relief."""
    hardship = np.multiply(voters.shock_sensitivity, np.float32(shock))
    hardship += voters.base_hardship
    hardship -= np.float32(relief)
    np.clip(hardship, np.float32(floor), np.float32(ceiling), out=hardship)
    return hardship


def stored_hardship_reference(world: World) -> np.ndarray:
    """:func:`hardship_reference` under the rule the month's hardship step fixed."""
    society = world.society
    return hardship_reference(
        world.voters,
        society.shock,
        society.relief,
        society.hardship_floor,
        society.hardship_ceiling,
    )
