"""Perceived legitimacy and grievance (docs/model.md §1.4; Epstein 2002).

Each voter perceives the regime's legitimacy ``L`` lowered for the groups the regime
disfavours: by the scenario's ethnic penalty for the voter's group, and by the clan
penalty for Kazakhs of a zhuz other than the president's:

``L_i = clip(L − penalty_ethnic(i) − clan_penalty·[zhuz_i ≠ zhuz_president], 0, 1)``

A voter who backs an organisation the regime has co-opted sees the regime as more
legitimate by ``cooptation_legitimacy``: co-optation buys representation, and with it
acceptance (Gandhi & Przeworski 2006). The voter's organisation is last month's.

Grievance follows Epstein's civil-violence model, ``G_i = H_i·(1 − L_i)``.

G is not held per voter. The monthly step fixes what the rule needs that changes later
in the month: the factor ``1 − L_i`` by group (legitimacy and the president's zhuz move
after it) and, per voter, whether it backs a co-opted organisation (the party system
rewrites its backing after it). Every reader derives G for the voters it reads
(:func:`grievance_of`; the compiled passes call the same
:func:`~polsim.society.kernels.voter_grievance`).
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.engine.mechanisms import register_mechanism
from polsim.engine.threads import run_together, voter_ranges
from polsim.scenario.schema import ZHUZES, SocietyParameters
from polsim.society.hardship import hardship_reference, hardship_rule, stored_hardship_reference
from polsim.society.kernels import coopted_backers_kernel, grievance_kernel
from polsim.world.polity import World
from polsim.world.voters import NO_ZHUZ

__all__ = [
    "backs_organisation",
    "grievance_factor_table",
    "grievance_of",
    "grievance_reference",
    "organisation_flags",
    "perceived_legitimacy_table",
    "society_inputs",
    "stored_grievance_reference",
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


@register_mechanism("society.grievance", phase="society", order=20, reads="society")
def update_grievance(
    world: World, params: SocietyParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Fix this month's grievance rule G = H·(1 − L_i): the factor table, and who backs a
    co-opted organisation (one compiled pass); G is derived where it is read."""
    distrust = (1.0 - perceived_legitimacy_table(world)).astype(np.float32)
    bonus = params.cooptation_legitimacy
    world.society.grievance_factor = grievance_factor_table(distrust, bonus)
    coopted = organisation_flags(world, coopted=True) if bonus > 0 else np.zeros(0, bool)
    choice = world.organisations.choice if len(coopted) else np.zeros(0, np.int32)
    flags = world.voters.backs_coopted
    # One flag per voter: threads take runs of voters.
    run_together(
        [
            (coopted_backers_kernel, (choice[a:b], coopted, flags[a:b]))
            for a, b in voter_ranges(len(flags))
        ]
    )
    return []


def grievance_factor_table(distrust: np.ndarray, bonus: float) -> np.ndarray:
    """G/H by ``[ethnicity, zhuz + 1, backs a co-opted organisation]`` (float32).

    ``distrust`` is ``1 − L_i`` by group (float32); a backer of a co-opted organisation
    sees legitimacy raised by ``bonus``, to at most 1.
    """
    one = np.float32(1.0)
    factor = np.empty((*distrust.shape, 2), np.float32)
    factor[..., 0] = distrust
    factor[..., 1] = one - np.minimum(one, (one - distrust) + np.float32(bonus))
    return factor


def society_inputs(world: World, rows: slice = slice(None)) -> tuple:
    """What the compiled passes read to derive H and G of the voters in ``rows``
    (:func:`~polsim.society.kernels.voter_grievance`): their held columns, this month's
    factor table (flattened) and the hardship rule's float32 scalars."""
    voters = world.voters
    return (
        voters.base_hardship[rows],
        voters.shock_sensitivity[rows],
        voters.ethnicity[rows],
        voters.zhuz[rows],
        voters.backs_coopted[rows],
        np.ascontiguousarray(_grievance_factor(world), dtype=np.float32).ravel(),
        *hardship_rule(world.society),
    )


def _grievance_factor(world: World) -> np.ndarray:
    """This month's factor table; before the first grievance step, zeros: G = 0 (as
    synthesised)."""
    factor = world.society.grievance_factor
    if factor.shape[0] != len(world.ethnic_groups):
        factor = np.zeros((len(world.ethnic_groups), len(ZHUZES) + 1, 2), np.float32)
    return factor


def grievance_of(world: World, rows: slice = slice(None)) -> np.ndarray:
    """G (float32) of the voters in ``rows`` this month (one compiled pass)."""
    inputs = society_inputs(world, rows)
    out = np.empty(len(inputs[0]), np.float32)
    grievance_kernel(inputs, out)
    return out


def organisation_flags(world: World, coopted: bool) -> np.ndarray:
    """Per organisation id, whether it is alive and (not) co-opted; last entry: none.

    Empty when voters back no organisation yet (no records, or no choice column).
    """
    orgs = world.organisations
    if not orgs.records or len(orgs.choice) != len(world.voters):
        return np.zeros(0, bool)
    return np.array([o.coopted == coopted and o.alive for o in orgs.records] + [False])


def grievance_reference(world: World) -> np.ndarray:
    """NumPy reference of :func:`update_grievance` then :func:`grievance_of`: the G that
    this month's rule gives with the current legitimacy and backing (not stored)."""
    voters = world.voters
    society = world.society
    hardship = hardship_reference(voters, society.shock, society.relief)
    grievance = np.empty_like(hardship)
    distrust = (1.0 - perceived_legitimacy_table(world)).astype(np.float32)
    np.multiply(hardship, distrust[voters.ethnicity, voters.zhuz + 1], out=grievance)
    bonus = world.scenario.society.cooptation_legitimacy
    if bonus > 0:
        backs_coopted = backs_organisation(world, coopted=True)
        if backs_coopted.any():
            legitimacy = (
                1.0 - distrust[voters.ethnicity[backs_coopted], voters.zhuz[backs_coopted] + 1]
            )
            boosted = np.minimum(1.0, legitimacy + np.float32(bonus))
            grievance[backs_coopted] = hardship[backs_coopted] * (1.0 - boosted)
    return grievance


def stored_grievance_reference(world: World) -> np.ndarray:
    """NumPy form of :func:`grievance_of` (all voters): G from the rule the month's step
    fixed, for the references of the passes that read it."""
    voters = world.voters
    hardship = stored_hardship_reference(world)
    factor = _grievance_factor(world)
    return (
        hardship * factor[voters.ethnicity, voters.zhuz + 1, voters.backs_coopted.astype(np.intp)]
    )


def backs_organisation(world: World, coopted: bool) -> np.ndarray:
    """Voters who back (this month) an alive organisation that is, or is not, co-opted."""
    orgs = world.organisations
    choice = orgs.choice
    if not orgs.records or len(choice) != len(world.voters):
        return np.zeros(len(world.voters), bool)
    flag = np.array([o.coopted == coopted and o.alive for o in orgs.records] + [False])
    return flag[np.where(choice >= 0, choice, len(orgs.records))]
