"""Founding: elites found parties where misery clusters; movements spawn parties.

**Birth** (Laver & Sergenti 2011, ch. 5; Laver & Schilperoord 2007). Each voter
accumulates misery ``M_i ← γ_m·M_i + d_i²``, d_i its distance to the nearest
organisation (:mod:`polsim.parties.support`). Each month, with probability β
(``birth_rate``), a new organisation is born at the ideal point of one voter drawn
with probability proportional to weight × misery, so births come where misery
clusters. Its founder is an elite drawn with probability proportional to
ambition × exp(−‖e − x‖² / 2ρ²) (ρ = ``neighbourhood``), an ambitious elite near the
spot: with probability s (``movement_schooling``) from the ranks of the movements (their
sub-leaders), otherwise from the free elites, since movements were where the few people
with organising experience learned it (the seed: groups "entered the period of independence
with little experience of political organization", and most parties "have roots in the
anti-nuclear movement"). A founder from a movement leaves it, and the new party
descends from it. Departure, marked: Laver & Sergenti's new party has no leader; in
polsim every organisation is led by an elite, whose zhuz and resources it takes. While the party
monopoly holds, births (of movements only) come at ``monopoly_birth_rate``, since a
movement then needs the authorities' leave.

The new organisation's ethnic base comes from the voters within ρ of its birthplace
(:func:`polsim.parties.common.base_from_weights`, threshold θ_eth =
``ethnic_threshold``): where one group makes up θ_eth of them, an ethnic
organisation is born. While the scenario's party monopoly holds
(``monopoly_institution``), only movements can be founded.

**Spawn**. Each month, each alive movement spawns, with probability ``spawn_rate``,
a party led by its most ambitious sub-leader, at that sub-leader's own position; the
movement is its lineage parent (docs/model.md §2.5; the seed: "most of the parties in
Kazakhstan have roots in the anti-nuclear movement").
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from polsim.engine.calendar import Month
from polsim.engine.events import Event, PartyFounded
from polsim.engine.mechanisms import register_mechanism
from polsim.parties.common import (
    base_from_weights,
    describe_base,
    draw_rule,
    ethnic_weights_near,
    found_organisation,
    free_elites,
    recruit_sub_leaders,
    sub_leaders,
)
from polsim.scenario.schema import PartyParameters
from polsim.world.counting import pairwise_sum
from polsim.world.organisations import Organisation
from polsim.world.polity import World

__all__ = ["found_parties", "monopoly_holds"]


def monopoly_holds(world: World, params: PartyParameters) -> bool:
    """Whether the scenario's party monopoly forbids founding parties this month."""
    name = params.monopoly_institution
    return bool(name) and world.institutions.get(name) is True


def _founded_event(world: World, org: Organisation, date: Month) -> PartyFounded:
    actors = (f"org:{org.id}",) + ((f"elite:{org.leader}",) if org.leader >= 0 else ())
    actors += tuple(f"org:{p}" for p in org.parents)
    return PartyFounded(
        date=date,
        actors=actors,
        organisation=org.id,
        name=org.name,
        org_kind=org.kind,
        leader=org.leader,
        ethnic_base=describe_base(world, org.ethnic_base),
        parents=org.parents,
        origin=org.origin,
    )


@njit(cache=True, nogil=True)
def _first_above(misery, weight, target):  # pragma: no cover
    """First voter whose running sum of ``misery·weight`` (float64) exceeds ``target``.

    The same additions in the same order as ``np.cumsum(misery.astype(f64) * weight)``,
    and, the terms being non-negative, the same index as ``np.searchsorted(cumsum,
    target, side="right")`` (``len(misery)`` if none), without the voter-sized arrays.
    """
    acc = 0.0
    n = misery.shape[0]
    for i in range(n):
        acc += np.float64(misery[i]) * np.float64(weight[i])
        if acc > target:
            return i
    return n


def _weighted_voter_numpy(misery, weight, u):
    """NumPy reference of the draw in :func:`_birth` (voter-sized float64 arrays)."""
    pull = misery.astype(np.float64) * weight
    total = pull.sum()
    if total <= 0:
        return None
    voter = int(np.searchsorted(np.cumsum(pull), u * total, side="right"))
    return min(voter, len(misery) - 1)


def _birth(
    world: World, params: PartyParameters, rng: np.random.Generator, date: Month
) -> Organisation | None:
    voters = world.voters
    misery = world.organisations.misery
    if len(voters) == 0 or len(misery) != len(voters):
        return None
    movements = {o.id: o for o in world.organisations.alive() if o.kind == "movement"}
    elites = world.elites
    schooled = np.array(
        [
            e
            for e in np.flatnonzero(np.isin(elites.organisation, list(movements)))
            if movements[int(elites.organisation[e])].leader != e
        ],
        dtype=np.int64,
    )
    # With probability s the founder comes from a movement's ranks (where there are
    # any); otherwise from the free elites.
    from_school = len(schooled) > 0 and rng.random() < params.movement_schooling
    candidates = schooled if from_school else free_elites(world)
    if len(candidates) == 0:
        return None
    # Σ misery·weight as NumPy sums it (pairwise), then the running sum, both compiled
    # without voter-sized arrays (_weighted_voter_numpy is the reference).
    total = pairwise_sum(misery, voters.weight)
    if total <= 0:
        return None
    target = rng.random() * total
    voter = int(_first_above(misery, voters.weight, target))
    voter = min(voter, len(voters) - 1)
    spot = voters.position[voter].astype(np.float64)
    d = elites.position[candidates].astype(np.float64) - spot[None, :]
    rho = params.neighbourhood
    appeal = elites.ambition[candidates] * np.exp(-(d * d).sum(axis=1) / (2 * rho * rho))
    if appeal.sum() <= 0:
        appeal = elites.ambition[candidates].astype(np.float64)  # nobody near: ambition alone
    if appeal.sum() <= 0:
        return None
    founder = int(candidates[rng.choice(len(candidates), p=appeal / appeal.sum())])
    parents: tuple[int, ...] = ()
    if from_school:
        school = movements[int(elites.organisation[founder])]
        parents = (school.id,)
        elites.organisation[founder] = -1  # leaves the movement to lead its own party
        recruit_sub_leaders(world, school, 1)  # and the movement schools a replacement
    around = ethnic_weights_near(voters, spot, rho, len(world.ethnic_groups))
    kind = "movement" if monopoly_holds(world, params) else "party"
    org = found_organisation(
        world,
        date,
        leader=founder,
        position=spot,
        ethnic_base=base_from_weights(around, params.ethnic_threshold),
        kind=kind,
        rule=draw_rule(params, rng),
        parents=parents,
        origin="birth",
        recruits=params.sub_leaders,
    )
    org.heading = rng.uniform(0.0, 2 * math.pi)
    return org


def _spawn(
    world: World,
    params: PartyParameters,
    movement: Organisation,
    rng: np.random.Generator,
    date: Month,
) -> Organisation | None:
    candidates = sub_leaders(world, movement)
    if len(candidates) == 0:
        return None
    elites = world.elites
    leader = int(candidates[np.argmax(elites.ambition[candidates])])  # first on ties
    spot = elites.position[leader].astype(np.float64)
    around = ethnic_weights_near(world.voters, spot, params.neighbourhood, len(world.ethnic_groups))
    elites.organisation[leader] = -1  # the sub-leader leaves the movement to lead
    org = found_organisation(
        world,
        date,
        leader=leader,
        position=spot,
        ethnic_base=base_from_weights(around, params.ethnic_threshold),
        kind="party",
        rule=draw_rule(params, rng),
        parents=(movement.id,),
        origin="spawn",
        recruits=params.sub_leaders,
    )
    org.heading = rng.uniform(0.0, 2 * math.pi)
    return org


@register_mechanism("parties.founding", phase="parties", order=40, reads="parties")
def found_parties(
    world: World, params: PartyParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Births where misery clusters, then parties spawned by movements."""
    events: list[Event] = []
    rate = params.birth_rate
    if params.monopoly_birth_rate is not None and monopoly_holds(world, params):
        rate = params.monopoly_birth_rate
    if rate > 0 and rng.random() < rate:
        org = _birth(world, params, rng, date)
        if org is not None:
            events.append(_founded_event(world, org, date))
    if params.spawn_rate > 0 and not monopoly_holds(world, params):
        movements = [o for o in world.organisations.alive() if o.kind == "movement"]
        for movement in movements:
            if rng.random() < params.spawn_rate:
                org = _spawn(world, params, movement, rng, date)
                if org is not None:
                    events.append(_founded_event(world, org, date))
    return events
