"""Party-list proportional representation (formula ``list_pr``; docs/model.md §4.3.6).

Lists are nominated race by race (:func:`nominate_lists`), the legal ``threshold`` is a
share of the national list vote, and each race's seats go to the lists above it by any
divisor or quota formula of :func:`~polsim.elections.allocation.allocate_seats`
(``method``). The list tier of an MMP house (:mod:`polsim.elections.families.mixed`) nominates its
lists here too.
"""

from __future__ import annotations

import numpy as np

from polsim.elections.allocation import allocate_seats, passes_threshold
from polsim.elections.candidates import (
    Nominee,
    ballot_attachment,
    regime_vehicle,
    registration_filter,
)
from polsim.elections.race import ElectionOutcome, RaceContext, RoundSetup
from polsim.elections.registry import register
from polsim.elections.rounds import (
    ballot_for,
    close_race,
    electorate,
    held_races,
    label_units_by_oblast,
    lone_candidate_approved,
    multi_member_geography,
    race_slates,
    refusal_events,
    run_round,
    tie_events,
    validity_rule,
)
from polsim.parties.organisations import base_groups
from polsim.world.polity import World

__all__ = ["REGIME_LIST", "hold_list_pr", "nominate_lists", "party_key"]

#: Name of the list of the regime's own (labour-collective) nominees in a list vote.
REGIME_LIST = "regime-list"


def _regime_party(world: World) -> int:
    """The president's party (organisation id), or -1."""
    presidency = getattr(world, "presidency", None)
    return int(getattr(presidency, "party", -1)) if presidency is not None else -1


def nominate_lists(
    context: RaceContext, race: np.ndarray, names: tuple[str, ...], held: np.ndarray
) -> list[Nominee]:
    """Party lists, race by race, by the nomination rules of single-member districts.

    Following :func:`~polsim.elections.candidates.nominate_districts` (docs/model.md §4.3.2): every
    living *registered* organisation (an
    unregistered one cannot nominate, :mod:`polsim.parties.registration`) whose backers
    (attachment, else this month's choice) are at least ``organisation_support`` of the
    race's registered voters puts up one list there; the regime's vehicle
    (:func:`~polsim.elections.candidates.regime_vehicle`: the president's party, else the
    organisation co-opted most recently) stands in every race. With probability
    ``endorsement_rate`` (one draw for the election: a list is a national party's) the
    regime endorses a list: its vehicle's, unless (with no president's party) it prefers,
    with probability ``own_candidate_share``, its own list of labour-collective nominees
    (:data:`REGIME_LIST`, at ``N(p_regime, σ_p)``), which it also fields, in every race,
    when it has no vehicle.

    A list stands at its organisation's position; its ethnic term is the organisation's
    ethnic base when that is one group (none for a civic or multi-ethnic base) and its
    clan term the leader's zhuz (the president's for the regime's own list).
    """
    world, params, rng = context.world, context.params, context.rng
    voters = world.voters
    n_races = len(names)
    attachment = ballot_attachment(world)
    records = list(getattr(world.organisations, "records", []))
    living = {int(o.id): o for o in records if o.dissolved is None}
    vehicle = regime_vehicle(world)
    listing = [o for i, o in living.items() if getattr(o, "registered", True) or i == vehicle]
    size = max([int(o.id) for o in listing] + [int(attachment.max(initial=-1))]) + 1
    weight = voters.weight.astype(np.float64)
    backs = attachment >= 0
    support = np.zeros((n_races, max(size, 1)))
    if backs.any():
        cell = race[backs].astype(np.int64) * size + attachment[backs]
        support = np.bincount(cell, weights=weight[backs], minlength=n_races * size).reshape(
            n_races, size
        )
        support /= np.maximum(np.bincount(race, weights=weight, minlength=n_races), 1e-300)[:, None]
    endorse = rng.random() < params.endorsement_rate
    own = rng.random() < getattr(params, "own_candidate_share", 0.0)
    regime_position = np.clip(
        np.asarray(params.endorsed_position) + rng.normal(0.0, params.endorsed_position_sd, 2),
        -1.0,
        1.0,
    )
    held_support = support[held] if len(held) else np.zeros((0, max(size, 1)))
    stands = {
        int(o.id): held_support[:, int(o.id)] >= params.organisation_support
        if int(o.id) < held_support.shape[1]
        else np.zeros(len(held), bool)
        for o in listing
    }
    own = own and _regime_party(world) < 0
    endorsed_org = vehicle if endorse and vehicle >= 0 and not own else -1
    own_list = endorse and endorsed_org < 0
    nominees: list[Nominee] = []
    for k, r in enumerate(held):
        r = int(r)
        taken: set[str] = set()
        for o in listing:
            i = int(o.id)
            if not (stands[i][k] or i == vehicle):
                continue
            groups = base_groups(int(o.ethnic_base))
            name = str(o.name) if str(o.name) not in taken else f"{o.name} ({i})"
            taken.add(name)
            nominees.append(
                Nominee(
                    r,
                    name,
                    i,
                    str(o.name),
                    groups[0] if len(groups) == 1 else -1,
                    int(getattr(o, "zhuz", -1)),
                    (float(o.position[0]), float(o.position[1])),
                    i == endorsed_org,
                    "organisation",
                )
            )
        if own_list:
            nominees.append(
                Nominee(
                    r,
                    REGIME_LIST,
                    -1,
                    "",
                    -1,
                    int(world.regime.president_zhuz),
                    (float(regime_position[0]), float(regime_position[1])),
                    True,
                    "labour_collective",
                )
            )
    return nominees


def party_key(n: Nominee) -> int | str:
    """A list's party across races: its organisation, or its name (the regime's own list)."""
    return n.org if n.org >= 0 else n.name


@register("list_pr")
def hold_list_pr(context: RaceContext) -> ElectionOutcome:
    """A party-list PR election (formula ``list_pr``; docs/model.md §4.3.6).

    One race nationwide, or one per oblast (``list_districts``), with seats apportioned by
    population. Lists are nominated by :func:`nominate_lists` and pass the registration
    filter; voters choose one list by the multinomial logit of
    :mod:`polsim.elections.voting` (a list is a candidate at its organisation's position),
    turnout as in any election, and the count of the endorsed list is stuffed unit by
    unit (Klimek et al. 2012, :mod:`polsim.elections.fraud`). The legal ``threshold`` is a
    share of the national list vote (as in Poland's or Turkey's district PR); seats go,
    race by race, to the lists above it by ``allocate_seats(method)``, ties by lot. A race
    below ``turnout_validity``, with no list, or with no vote for a list above the
    threshold is void and repeated. A lone list faces an 'against' line (or voids the race,
    ``single_candidate: forbid``) and takes every seat with a majority of the ballots.
    """
    system, params = context.system, context.params
    districting, race, names, unit_race, seats = multi_member_geography(context, system)
    held = held_races(context.election, names)
    nominees = nominate_lists(context, race, names, held)
    registered, refused = registration_filter(nominees, params, context.rng, system.max_candidates)
    out = ElectionOutcome(refusal_events(context, refused, names))
    by_oblast = system.list_districts == "oblast"
    slates, void = race_slates(context, registered, held, names, by_oblast)
    count = None
    if slates:
        setup = RoundSetup(1, ballot_for(context, districting, race), districting, names, unit_race)
        count, registered_r, ballots_r = run_round(context, setup, slates)
        if not by_oblast:
            label_units_by_oblast(count, districting, context.world)
        count.seats = np.zeros(len(count.nominees), np.int64)
        totals: dict[int | str, float] = {}
        for n, v in zip(count.nominees, count.votes, strict=True):
            if n.nominated_by != "ballot":
                totals[party_key(n)] = totals.get(party_key(n), 0.0) + float(v)
        flags = passes_threshold(totals, system.threshold) if totals else ()
        passing = {p for p, ok in zip(totals, flags, strict=True) if ok}
        validity = validity_rule(system)
        offset = 0
        for r in sorted(slates):
            slate = slates[r]
            start, offset = offset, offset + len(slate)
            votes = count.slate_votes(slate, start)
            voters = electorate(registered_r[r], votes)
            if slate[-1].nominated_by == "ballot":
                if lone_candidate_approved(slate, votes, voters, validity):
                    count.seats[start] = seats[r]
                else:
                    void.append(names[r])
                continue
            eligible = {n.name: votes[n.name] if party_key(n) in passing else 0.0 for n in slate}
            low = validity is not None and ballots_r[r] < validity * voters
            if low or not any(v > 0 for v in eligible.values()):
                void.append(names[r])
                continue
            allocation = allocate_seats(
                eligible, int(seats[r]), system.method, 0.0, rng=context.rng
            )
            count.seats[start:offset] = allocation.seats
            out.events += tie_events(context, names[r], allocation.ties)
    reason = "turnout below the validity rule, no list, or no list above the threshold"
    seats_held = int(seats[held].sum())
    return close_race(context, out, count, void, names, reason, seats_held, len(registered))
