"""Legislatures that lose legitimacy, shed deputies and dissolve themselves (docs/model.md §3.3).

Each body b has a legitimacy

    L_b = clip(L0_b − erosion_b − w_H·H̄_b, 0, 1)

where erosion grows each month by ``age_erosion`` while the body is a holdover elected
under the old rules, and by ``campaign_erosion × pressure`` while the president
campaigns against the legislatures; H̄_b is the mean hardship of the body's oblast (the
nation's, for the national body).

A deputy d of a live body resigns when

    L_b < τ_d   and   max(s_peers, w_b·s_below) ≥ θ_d − loyalty_d × pressure

where s_peers is the share of d's peers (a random network within the body) who have
resigned and s_below the share of the bodies one level below, in d's scope, that have
dissolved. Loyal deputies under pressure need no signal at all: they resign first, at
the president's encouragement, and the rest follows as a threshold cascade on the peer
network (Granovetter 1978; Watts 2002), in ``rounds_per_month`` rounds a month (about a
week each). Dissolutions are seen by
the level above in the next round, which is what makes the wave climb
local → oblast → national.

A body dissolves itself when resignations leave it inquorate (``quorum_loss``), or when,
after resignations pass ``vote_trigger``, a dissolution vote carries: each remaining
deputy votes to dissolve when L_b < τ_d + loyalty_d × pressure. A dissolved national body
calls an election ``election_lag`` months later (the scenario's successor system), and
every dissolved body is renewed when that election is held.
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import (
    BodyDissolved,
    BodyRenewed,
    DeputyResigned,
    DissolutionVote,
    ElectionCalled,
    Event,
)
from polsim.engine.mechanisms import register_mechanism
from polsim.scenario.schema import LegislatureLevel, LegislatureParameters
from polsim.society.synthesis import draw
from polsim.state.cascade import adopted_neighbour_share, erdos_renyi_edges
from polsim.world.legislatures import LEVELS, LOCAL, NATIONAL, OBLAST, Legislatures
from polsim.world.polity import World

__all__ = ["body_legitimacy", "build_legislatures", "update_legislatures"]


def build_legislatures(
    params: LegislatureParameters,
    oblasts: tuple[str, ...],
    elected: Month,
    elite_loyalty: np.ndarray,
    rng: np.random.Generator,
) -> Legislatures:
    """The bodies at the start: local and oblast soviets for every oblast, one national.

    National deputies are drawn from the elite pool (their loyalty is the elite's, so
    patronage reaches them); local and oblast deputies are local notables drawn from the
    scenario's loyalty distribution.
    """
    leg = Legislatures()
    for level in (LOCAL, OBLAST):
        for o, name in enumerate(oblasts):
            _add_body(leg, f"{LEVELS[level]}:{name}", level, o, elected, _level(params, level))
    _add_body(leg, params.national_body, NATIONAL, -1, elected, params.national)
    for b in range(leg.n_bodies):
        _seat_deputies(leg, b, params, elite_loyalty, rng)
    return leg


def _level(params: LegislatureParameters, level: int) -> LegislatureLevel:
    return (params.local, params.oblast, params.national)[level]


def _add_body(
    leg: Legislatures, name: str, level: int, oblast: int, elected: Month, spec: LegislatureLevel
) -> None:
    leg.name.append(name)
    leg.level = np.append(leg.level, np.int8(level))
    leg.oblast = np.append(leg.oblast, np.int16(oblast))
    leg.elected.append(elected)
    leg.base_legitimacy = np.append(leg.base_legitimacy, spec.legitimacy)
    leg.erosion = np.append(leg.erosion, 0.0)
    leg.legitimacy = np.append(leg.legitimacy, spec.legitimacy)
    leg.dissolved = np.append(leg.dissolved, False)
    leg.dissolved_on.append(None)


def _seat_deputies(
    leg: Legislatures,
    body: int,
    params: LegislatureParameters,
    elite_loyalty: np.ndarray,
    rng: np.random.Generator,
    seats: int | None = None,
) -> None:
    """Fill a body with fresh deputies and their peer network (old ones are removed)."""
    spec = _level(params, int(leg.level[body]))
    n = spec.seats if seats is None else seats
    keep = leg.deputy_body != body
    old_ids = np.flatnonzero(keep)
    remap = np.full(len(leg.deputy_body), -1, np.int64)
    remap[old_ids] = np.arange(len(old_ids))
    edges = leg.peer_edges
    edges = remap[edges[np.all(keep[edges], axis=1)]] if len(edges) else edges
    if leg.level[body] == NATIONAL and len(elite_loyalty) >= n:
        elites = np.sort(rng.choice(len(elite_loyalty), size=n, replace=False)).astype(np.int32)
        loyalty = elite_loyalty[elites].astype(np.float32)
    else:
        elites = np.full(n, -1, np.int32)
        loyalty = draw(params.loyalty, n, rng)
    first = len(old_ids)
    new_edges = erdos_renyi_edges(n, spec.peer_degree, rng) + first
    leg.deputy_body = np.concatenate([leg.deputy_body[keep], np.full(n, body, np.int32)])
    leg.deputy_elite = np.concatenate([leg.deputy_elite[keep], elites])
    leg.deputy_loyalty = np.concatenate([leg.deputy_loyalty[keep], loyalty])
    leg.deputy_tolerance = np.concatenate(
        [leg.deputy_tolerance[keep], draw(spec.tolerance, n, rng)]
    )
    leg.deputy_threshold = np.concatenate(
        [leg.deputy_threshold[keep], draw(spec.threshold, n, rng)]
    )
    leg.deputy_resigned = np.concatenate([leg.deputy_resigned[keep], np.zeros(n, bool)])
    leg.peer_edges = np.concatenate([edges.reshape(-1, 2), new_edges]).astype(np.int64)


def body_legitimacy(world: World, params: LegislatureParameters) -> np.ndarray:
    """L_b of every body this month, from its erosion and its scope's hardship."""
    leg = world.legislatures
    society = world.society
    people = society.people.sum(axis=1)
    hardship = np.divide(
        society.hardship.sum(axis=1), people, out=np.zeros(len(people)), where=people > 0
    )
    national = society.hardship.sum() / max(people.sum(), 1e-300)
    scope = np.where(leg.oblast >= 0, hardship[np.maximum(leg.oblast, 0)], national)
    return np.clip(leg.base_legitimacy - leg.erosion - params.hardship_weight * scope, 0.0, 1.0)


@register_mechanism("state.legislatures", phase="state", order=30, reads="state.legislatures")
def update_legislatures(
    world: World, params: LegislatureParameters | None, rng: np.random.Generator, date: Month
) -> list[Event]:
    """One month of the legislatures: renewal, erosion, resignations, dissolutions."""
    leg = world.legislatures
    if params is None or leg.n_bodies == 0:
        return []
    events: list[Event] = []
    events += _renew_bodies_elected_this_month(world, params, rng, date)
    pressure = world.presidency.pressure if world.presidency is not None else 0.0
    live = ~leg.dissolved
    holdover = np.array(
        [params.holdover_from is not None and e < params.holdover_from <= date for e in leg.elected]
    )
    leg.erosion += live * (params.age_erosion * holdover + params.campaign_erosion * pressure)
    leg.legitimacy = body_legitimacy(world, params)
    # Resignations come in rounds (about weekly); after each, bodies past the trigger
    # vote on dissolving themselves, so a body can dissolve mid-cascade.
    for _ in range(params.rounds_per_month):
        fresh = _resignation_round(world, params, date, pressure)
        events += fresh
        events += _dissolutions(world, params, date, pressure)
        if not fresh:
            break
    return events


def _below_dissolved_share(leg: Legislatures) -> np.ndarray:
    """For each body, the dissolved share of the bodies one level below in its scope."""
    share = np.zeros(leg.n_bodies)
    for b in range(leg.n_bodies):
        if leg.level[b] == LOCAL:
            continue
        below = leg.level == leg.level[b] - 1
        if leg.level[b] == OBLAST:
            below &= leg.oblast == leg.oblast[b]
        if below.any():
            share[b] = leg.dissolved[below].mean()
    return share


def _resignation_round(
    world: World, params: LegislatureParameters, date: Month, pressure: float
) -> list[Event]:
    """One round: every sitting deputy whose signal reaches its need resigns."""
    leg = world.legislatures
    body = leg.deputy_body
    sitting = ~leg.dissolved[body] & ~leg.deputy_resigned
    eligible = sitting & (leg.legitimacy[body] < leg.deputy_tolerance)
    need = leg.deputy_threshold - leg.deputy_loyalty * np.float32(pressure)
    below = params.below_weight * _below_dissolved_share(leg)[body]
    peers = adopted_neighbour_share(leg.peer_edges, leg.deputy_resigned.astype(np.float64))
    fresh = np.flatnonzero(eligible & (np.maximum(peers, below) >= need))
    leg.deputy_resigned[fresh] = True
    return [
        DeputyResigned(
            date=date,
            actors=(f"body:{leg.name[body[d]]}", f"deputy:{d}"),
            body=leg.name[body[d]],
            level=LEVELS[int(leg.level[body[d]])],
            deputy=int(d),
            legitimacy=round(float(leg.legitimacy[body[d]]), 4),
        )
        for d in fresh
    ]


def _dissolutions(
    world: World, params: LegislatureParameters, date: Month, pressure: float
) -> list[Event]:
    leg = world.legislatures
    share = leg.resigned_share()
    events: list[Event] = []
    for b in range(leg.n_bodies):
        if leg.dissolved[b] or share[b] < params.vote_trigger:
            continue
        how = "inquorate"
        if share[b] < params.quorum_loss:
            members = (leg.deputy_body == b) & ~leg.deputy_resigned
            yes = members & (
                leg.legitimacy[b] < leg.deputy_tolerance + leg.deputy_loyalty * np.float32(pressure)
            )
            yes_count, present = int(yes.sum()), int(members.sum())
            carried = present > 0 and 2 * yes_count > present
            events.append(
                DissolutionVote(
                    date=date,
                    actors=(f"body:{leg.name[b]}",),
                    body=leg.name[b],
                    yes=yes_count,
                    no=present - yes_count,
                    carried=carried,
                )
            )
            if not carried:
                continue
            how = "vote"
        leg.dissolved[b] = True
        leg.dissolved_on[b] = date
        resigned = int(((leg.deputy_body == b) & leg.deputy_resigned).sum())
        events.append(
            BodyDissolved(
                date=date,
                actors=(f"body:{leg.name[b]}",),
                body=leg.name[b],
                level=LEVELS[int(leg.level[b])],
                resigned=resigned,
                how=how,
            )
        )
        if leg.level[b] == NATIONAL and params.successor is not None:
            when = date + params.election_lag
            election = params.successor.model_copy(update={"date": when})
            world.elections_called.append(election)
            events.append(
                ElectionCalled(
                    date=date,
                    actors=(f"body:{leg.name[b]}",),
                    election=election.name,
                    body=election.body,
                    held_on=str(when),
                    reason="self-dissolution",
                )
            )
    return events


def _renew_bodies_elected_this_month(
    world: World, params: LegislatureParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Renew bodies whose election falls this month: a scheduled or called election of
    the national body renews it, and with it every dissolved or holdover body below."""
    leg = world.legislatures
    elections = [e for e in world.scenario.elections if e.date == date]
    elections += [
        getattr(item, "election", item)
        for item in world.elections_called
        if getattr(getattr(item, "election", item), "date", None) == date
    ]
    national_elections = [
        e
        for e in elections
        if e.body in (params.national_body, leg.name[leg.national])
        or (params.successor is not None and e.body == params.successor.body)
    ]
    if not national_elections:
        return []
    election = national_elections[0]
    events: list[Event] = []
    for b in range(leg.n_bodies):
        stale = leg.dissolved[b] or leg.elected[b] < date
        if not stale:
            continue
        seats = None
        if leg.level[b] == NATIONAL:
            leg.name[b] = election.body
            seats = election.system.seats or None
        _seat_deputies(leg, b, params, world.elites.loyalty, rng, seats=seats)
        leg.elected[b] = date
        leg.erosion[b] = 0.0
        leg.dissolved[b] = False
        leg.dissolved_on[b] = None
        events.append(
            BodyRenewed(
                date=date,
                actors=(f"body:{leg.name[b]}",),
                body=leg.name[b],
                level=LEVELS[int(leg.level[b])],
                election=election.name,
            )
        )
    return events
