"""Helpers the organisation mechanisms share (never a mechanism themselves).

Creating and dissolving a record, recruiting sub-leaders from the elite pool, the
coalition skill, the ethnic make-up of the voters around a point, and drawing an
adaptation rule. Mechanisms call these; they never call each other.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from polsim.engine.calendar import Month
from polsim.engine.threads import run_split
from polsim.parties.organisations import base_names
from polsim.scenario.schema import PartyParameters
from polsim.world.organisations import RULES, Organisation
from polsim.world.polity import World
from polsim.world.voters import Voters

__all__ = [
    "base_from_weights",
    "coalition_skill",
    "describe_base",
    "dissolve",
    "draw_rule",
    "ethnic_weights_near",
    "found_organisation",
    "free_elites",
    "recruit_sub_leaders",
    "sub_leaders",
]

_CHUNK = 262_144


def coalition_skill(experience: float, learning_time: float) -> float:
    """skill = 1 − exp(−experience/λ): coalition building learnt with time
    (docs/model.md §2.7, §2.8).

    >>> round(coalition_skill(60.0, 60.0), 4)
    0.6321
    """
    return 1.0 - math.exp(-experience / learning_time)


def draw_rule(params: PartyParameters, rng: np.random.Generator) -> str:
    """An adaptation rule drawn by the scenario's rule weights (Sticker if all are 0)."""
    weights = np.array(
        [params.rules[r].weight if r in params.rules else 0.0 for r in RULES], dtype=np.float64
    )
    if weights.sum() <= 0:
        return "sticker"
    return RULES[int(rng.choice(len(RULES), p=weights / weights.sum()))]


@njit(cache=True, nogil=True)
def _ethnic_weights_kernel(position, ethnicity, weight, px, py, r2, chunk, partial, first, end):
    """Chunks ``first..end``: each chunk's sums of ``ethnic_weights_near_reference`` in
    voter order, in its row of ``partial``. Chunks share nothing, so disjoint ranges of
    them can run on different threads."""
    n = position.shape[0]
    for c in range(first, end):
        for i in range(c * chunk, min(n, (c + 1) * chunk)):
            dx = np.float64(position[i, 0]) - px
            dy = np.float64(position[i, 1]) - py
            if dx * dx + dy * dy <= r2:
                partial[c, ethnicity[i]] += np.float64(weight[i])


def ethnic_weights_near(
    voters: Voters, point: np.ndarray, radius: float, n_groups: int
) -> np.ndarray:
    """Voter weight by ethnic group within ``radius`` of ``point``: each chunk's sums in
    a compiled pass (chunks split among the run's threads), then the chunks' sums added
    in chunk order, as the reference does."""
    chunks = -(-len(voters) // _CHUNK)
    partial = np.zeros((chunks, n_groups))
    point = np.asarray(point, dtype=np.float64)
    arguments = (
        voters.position, voters.ethnicity, voters.weight, float(point[0]), float(point[1]),
        float(radius) * float(radius), _CHUNK, partial,
    )  # fmt: skip
    run_split(_ethnic_weights_kernel, arguments, np.arange(chunks + 1), len(voters))
    out = np.zeros(n_groups)
    for row in partial:
        out += row
    return out


def ethnic_weights_near_reference(
    voters: Voters, point: np.ndarray, radius: float, n_groups: int
) -> np.ndarray:
    """NumPy reference of :func:`ethnic_weights_near`, chunk by chunk."""
    out = np.zeros(n_groups)
    r2 = radius * radius
    for start in range(0, len(voters), _CHUNK):
        rows = slice(start, start + _CHUNK)
        d = voters.position[rows].astype(np.float64) - point[None, :]
        near = (d * d).sum(axis=1) <= r2
        out += np.bincount(
            voters.ethnicity[rows][near], weights=voters.weight[rows][near], minlength=n_groups
        )
    return out


def base_from_weights(weights: np.ndarray, threshold: float) -> int:
    """The ethnic base a group of people gives an organisation, as a bit mask.

    If the modal group's share reaches θ (``threshold``) the base is that group alone
    (an ethnic organisation); otherwise it is every group holding at least 1 − θ of
    them (an inter-ethnic one). No people: a civic organisation (mask 0).

    >>> base_from_weights(np.array([9.0, 1.0]), 0.8)
    1
    >>> base_from_weights(np.array([5.0, 4.0, 1.0]), 0.8)
    3
    """
    total = float(weights.sum())
    if total <= 0:
        return 0
    shares = weights / total
    modal = int(np.argmax(shares))
    if shares[modal] >= threshold:
        return 1 << modal
    mask = 0
    for g in np.flatnonzero(shares >= 1.0 - threshold - 1e-12):
        mask |= 1 << int(g)
    return mask


def free_elites(world: World) -> np.ndarray:
    """Indices of elites who belong to no organisation."""
    return np.flatnonzero(world.elites.organisation < 0)


def sub_leaders(world: World, org: Organisation) -> np.ndarray:
    """Elites who belong to ``org`` without leading it, in index order."""
    members = np.flatnonzero(world.elites.organisation == org.id)
    return members[members != org.leader]


def recruit_sub_leaders(world: World, org: Organisation, count: int) -> None:
    """The ``count`` free elites nearest the organisation's position join it."""
    if count <= 0:
        return
    candidates = free_elites(world)
    if len(candidates) == 0:
        return
    d = world.elites.position[candidates].astype(np.float64) - org.position[None, :]
    order = np.argsort((d * d).sum(axis=1), kind="stable")[:count]
    world.elites.organisation[candidates[order]] = org.id


def found_organisation(
    world: World,
    date: Month,
    *,
    leader: int,
    position: np.ndarray,
    ethnic_base: int,
    kind: str,
    rule: str,
    parents: tuple[int, ...] = (),
    origin: str = "birth",
    name: str | None = None,
    recruits: int,
) -> Organisation:
    """Add an organisation led by elite ``leader`` and recruit ``recruits`` sub-leaders.

    The leader brings its zhuz (the clan term), resources and experience: this is what
    makes every organisation personalistic.
    """
    elites = world.elites
    table = world.organisations
    has_leader = 0 <= leader < len(elites)
    org = table.add(
        name=name or f"{kind.replace('_', ' ').title()} {len(table)}",
        kind=kind,
        founded=date,
        leader=leader if has_leader else -1,
        position=np.array(position, dtype=np.float64),
        ethnic_base=int(ethnic_base),
        zhuz=int(elites.zhuz[leader]) if has_leader else -1,
        rule=rule,
        parents=tuple(int(p) for p in parents),
        origin=origin,
        resources=float(elites.resources[leader]) if has_leader else 0.0,
        experience=float(elites.experience[leader]) if has_leader else 0.0,
        ethnic_support=np.zeros(len(world.ethnic_groups)),
    )
    if has_leader:
        elites.organisation[leader] = org.id
    recruit_sub_leaders(world, org, recruits)
    return org


def dissolve(
    world: World, org: Organisation, date: Month, reason: str, successor: int = -1
) -> None:
    """Mark ``org`` dissolved; its elites join the successor, or return to the pool."""
    org.dissolved = date
    org.dissolution = reason
    org.successor = successor
    members = world.elites.organisation == org.id
    world.elites.organisation[members] = successor if successor >= 0 else -1


def describe_base(world: World, mask: int) -> str:
    """The base as text for events and tables."""
    return base_names(mask, world.ethnic_groups)
