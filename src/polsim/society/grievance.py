"""Perceived legitimacy and grievance (MODEL.md §1; Epstein 2002).

Each voter perceives the regime's legitimacy ``L`` lowered for the groups the regime
disfavours: by the scenario's ethnic penalty for the voter's group, and by the clan
penalty for Kazakhs of a zhuz other than the president's:

``L_i = clip(L − penalty_ethnic(i) − clan_penalty·[zhuz_i ≠ zhuz_president], 0, 1)``

A voter who backs an organisation the regime has co-opted sees the regime as more
legitimate by ``cooptation_legitimacy``: co-optation buys representation, and with it
acceptance (Gandhi & Przeworski 2006). The voter's organisation is last month's.

Grievance follows Epstein's civil-violence model, ``G_i = H_i·(1 − L_i)``.
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.scenario.schema import ZHUZES
from polsim.society.kernels import grievance_kernel
from polsim.world.polity import World
from polsim.world.voters import NO_ZHUZ

__all__ = [
    "backs_organisation",
    "grievance_reference",
    "organisation_flags",
    "perceived_legitimacy_table",
    "update_grievance",
]


def perceived_legitimacy_table(world: World) -> np.ndarray:
    """L_i by group: an array indexed ``[ethnicity, zhuz + 1]`` (column 0: no zhuz)."""
    regime = world.regime
    scenario_regime = world.scenario.regime
    table = np.full((len(world.ethnic_groups), len(ZHUZES) + 1), regime.legitimacy)
    for e, name in enumerate(world.ethnic_groups):
        table[e, :] -= scenario_regime.ethnic_penalty.get(name, 0.0)
    if regime.president_zhuz != NO_ZHUZ:
        other_zhuz = [z + 1 for z in range(len(ZHUZES)) if z != regime.president_zhuz]
        table[:, other_zhuz] -= scenario_regime.clan_penalty
    return np.clip(table, 0.0, 1.0)


def update_grievance(world: World, rng: np.random.Generator, date: Month) -> list[Event]:
    """Set every voter's grievance G = H·(1 − L_i) for this month (one compiled pass)."""
    voters = world.voters
    distrust = (1.0 - perceived_legitimacy_table(world)).astype(np.float32)
    bonus = world.scenario.society.cooptation_legitimacy
    coopted = organisation_flags(world, coopted=True) if bonus > 0 else np.zeros(0, bool)
    grievance_kernel(
        voters.hardship,
        voters.ethnicity,
        voters.zhuz,
        distrust,
        world.organisations.choice if len(coopted) else np.zeros(0, np.int32),
        coopted,
        np.float32(bonus),
        voters.grievance,
    )
    return []


def organisation_flags(world: World, coopted: bool) -> np.ndarray:
    """Per organisation id, whether it is alive and (not) co-opted; last entry: none.

    Empty when voters back no organisation yet (no records, or no choice column).
    """
    orgs = world.organisations
    if not orgs.records or len(orgs.choice) != len(world.voters):
        return np.zeros(0, bool)
    return np.array([o.coopted == coopted and o.alive for o in orgs.records] + [False])


def grievance_reference(world: World) -> np.ndarray:
    """NumPy reference of :func:`update_grievance`: this month's G (not stored)."""
    voters = world.voters
    grievance = np.empty_like(voters.hardship)
    distrust = (1.0 - perceived_legitimacy_table(world)).astype(np.float32)
    np.multiply(voters.hardship, distrust[voters.ethnicity, voters.zhuz + 1], out=grievance)
    bonus = world.scenario.society.cooptation_legitimacy
    if bonus > 0:
        backs_coopted = backs_organisation(world, coopted=True)
        if backs_coopted.any():
            legitimacy = (
                1.0 - distrust[voters.ethnicity[backs_coopted], voters.zhuz[backs_coopted] + 1]
            )
            boosted = np.minimum(1.0, legitimacy + np.float32(bonus))
            grievance[backs_coopted] = voters.hardship[backs_coopted] * (1.0 - boosted)
    return grievance


def backs_organisation(world: World, coopted: bool) -> np.ndarray:
    """Voters who back (this month) an alive organisation that is, or is not, co-opted."""
    orgs = world.organisations
    choice = orgs.choice
    if not orgs.records or len(choice) != len(world.voters):
        return np.zeros(len(world.voters), bool)
    flag = np.array([o.coopted == coopted and o.alive for o in orgs.records] + [False])
    return flag[np.where(choice >= 0, choice, len(orgs.records))]
