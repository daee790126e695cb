"""The block vote (formula ``block``; docs/model.md §4.3.6): each voter names ``k`` candidates."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from polsim.elections.allocation import block_vote
from polsim.elections.candidates import (
    Nominee,
    candidate_table,
    nominate_districts,
    registration_filter,
)
from polsim.elections.race import ElectionOutcome, RaceContext, RoundSetup
from polsim.elections.registry import register
from polsim.elections.rounds import (
    ballot_for,
    close_race,
    held_races,
    multi_member_geography,
    refusal_events,
    tie_events,
)
from polsim.elections.slate_count import count_slate_round
from polsim.elections.voting import cast_ballots

__all__ = ["hold_block"]


@register("block")
def hold_block(context: RaceContext) -> ElectionOutcome:
    """A block vote (formula ``block``; docs/model.md §4.3.6).

    Districts of ``k = district_magnitude`` seats drawn like single-member ones (or each
    oblast one district, ``list_districts: oblast``, seats apportioned by population).
    Candidates are nominated as in single-member districts
    (:func:`~polsim.elections.candidates.nominate_districts`), except that an organisation
    and the regime's labour collectives put up a full slate of ``k`` (an endorsed slate
    is endorsed whole); self-nominated candidates stand alone. Turnout is that of
    :func:`~polsim.elections.voting.cast_ballots`; each voter who votes names the ``k``
    candidates of highest ``U + ε``
    (:func:`~polsim.elections.slate_count.top_choices`), and the count of the endorsed
    slate is stuffed (:func:`~polsim.elections.slate_count.count_slate_round`). The ``k``
    most-voted win (:func:`~polsim.elections.allocation.block_vote`, ties by lot). A
    district below ``turnout_validity`` or without candidates is void and repeated; when
    fewer candidates than seats have votes, the seats left stay vacant. Departure: every
    voter uses all ``k`` votes (no plumping) and there is no majority requirement.
    """
    system, params, rng = context.system, context.params, context.rng
    districting, race, names, unit_race, seats = multi_member_geography(context, system)
    held = held_races(context.election, names)
    nominees = nominate_districts(context.world, race, names, params, rng, held)
    expanded: list[Nominee] = []
    for n in nominees:
        m = int(seats[n.district])
        if n.nominated_by in ("organisation", "labour_collective") and m > 1:
            expanded += [replace(n, name=f"{n.name}:{j + 1}") for j in range(m)]
        else:
            expanded.append(n)
    registered, refused = registration_filter(expanded, params, rng, system.max_candidates)
    out = ElectionOutcome(refusal_events(context, refused, names))
    slates: dict[int, list[Nominee]] = {int(r): [] for r in held}
    for n in registered:
        slates[n.district].append(n)
    void = [names[r] for r in list(slates) if not slates[r]]
    slates = {r: s for r, s in slates.items() if s}
    count = None
    if slates:
        ballot = ballot_for(context, districting, race)
        table = candidate_table([n for r in sorted(slates) for n in slates[r]], len(names))
        _single, voted = cast_ballots(ballot, table, unit_race, params, rng)
        setup = RoundSetup(1, ballot, districting, names, unit_race)
        count, registered_r, ballots_r = count_slate_round(context, setup, slates, voted, seats)
        count.seats = np.zeros(len(count.nominees), np.int64)
        offset = 0
        for r in sorted(slates):
            slate = slates[r]
            start, offset = offset, offset + len(slate)
            votes = count.slate_votes(slate, start)
            standing = sum(v > 0 for v in votes.values())
            if standing == 0 or ballots_r[r] < system.turnout_validity * registered_r[r]:
                void.append(names[r])
                continue
            allocation = block_vote(votes, min(int(seats[r]), standing), rng)
            count.seats[start:offset] = allocation.seats
            out.events += tie_events(context, names[r], allocation.ties)
    reason = "turnout below the validity rule or no candidate"
    seats_held = int(seats[held].sum())
    return close_race(context, out, count, void, names, reason, seats_held, len(registered))
