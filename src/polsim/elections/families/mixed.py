"""Mixed systems: parallel (districts plus a state list) and MMP (docs/model.md §4.1, §4.3.6).

Both elect a single-member tier as :mod:`polsim.elections.families.single_member` does, then, on
the first attempt only (repeat elections re-hold districts), a list tier: for
``parallel``, ``list_seats`` from the head of state's list by plurality-at-large
(Kazakhstan's 1994 state list); for ``mmp``, a national list ballot whose seats
compensate the district results (:func:`~polsim.elections.systems.mmp`, with overhang
kept, levelled or deducted).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from polsim.elections.allocation import AllocationError, state_list
from polsim.elections.candidates import (
    candidate_table,
    nominate_state_list,
    registration_filter,
)
from polsim.elections.families.list_pr import REGIME_LIST, nominate_lists
from polsim.elections.families.single_member import DistrictTier, hold_districts
from polsim.elections.race import Count, ElectionOutcome, RaceContext, RoundSetup
from polsim.elections.registry import register
from polsim.elections.rounds import refusal_events, tie_events
from polsim.elections.slate_count import count_slate_round
from polsim.elections.systems import mmp
from polsim.elections.voting import Ballot, approval_totals

__all__ = ["LIST_TIER", "hold_mixed"]

#: District label of the list tier of a mixed-member proportional election.
LIST_TIER = "list"


@register("parallel", "mmp")
def hold_mixed(race: RaceContext) -> ElectionOutcome:
    """A mixed house: the district tier, then the list tier of its formula."""
    if race.system.formula == "mmp":
        return hold_districts(race, _mmp_list_tier)
    return hold_districts(race, _parallel_list_tier)


def _parallel_list_tier(
    race: RaceContext, tier: DistrictTier, out: ElectionOutcome
) -> tuple[int, int]:
    """The state list of a parallel house, when it has list seats."""
    system = race.system
    if system.list_seats <= 0:
        return 0, 0
    assert tier.first.voted is not None
    filled = state_list_seats(race, tier.setup.ballot, tier.first.voted, system.list_seats, out)
    return filled, system.list_candidates


def state_list_seats(
    race: RaceContext, ballot: Ballot, voted: np.ndarray, seats: int, out: ElectionOutcome
) -> int:
    """Fill ``seats`` from the head of state's list by plurality-at-large; seats filled."""
    system, params = race.system, race.params
    nominees = nominate_state_list(race.world, system.list_candidates, params, race.rng)
    national = [replace(n, district=0) for n in nominees]
    table = candidate_table(national, 1)
    approvals = approval_totals(ballot, table, voted, params)
    allocation = state_list(
        {n.name: float(a) for n, a in zip(nominees, approvals, strict=True)}, seats, race.rng
    )
    out.events += tie_events(race, "state-list", allocation.ties)
    count = Count(
        national, ("state-list",), approvals, np.array(allocation.seats, dtype=bool), {}, 0.0, 0.0
    )
    out.record(race, 1, count, units=False)
    return int(sum(allocation.seats))


def _mmp_list_tier(race: RaceContext, tier: DistrictTier, out: ElectionOutcome) -> tuple[int, int]:
    """The list tier of a mixed-member proportional house (formula ``mmp``); seats filled.

    The voters who voted in the district tier cast a second, list ballot: national lists
    (:func:`~polsim.elections.families.list_pr.nominate_lists`, through the registration filter),
    chosen by the same logit (:func:`~polsim.elections.slate_count.top_choices` with one
    pick) and stuffed for the endorsed list per unit
    (:func:`~polsim.elections.slate_count.count_slate_round`). The house of
    ``district_seats + list_seats`` is then allocated by
    :func:`~polsim.elections.systems.mmp` with the ``method``, ``threshold``,
    ``district_exemption`` and ``overhang`` option of the system: a district winner counts
    for the list of its organisation, a labour-collective winner for :data:`REGIME_LIST`,
    any other winner as an independent. Rows: one per list, district ``"list"``, with its
    list (compensatory) seats; unit rows of the list ballot have district ``"list"``.
    Departure: districts left void (repeated later) are neither compensated nor counted,
    and a list tier below ``turnout_validity``, without a list, or with no list above the
    threshold leaves the list seats vacant (repeat elections re-hold districts only).
    """
    system = race.system
    names = (LIST_TIER,)
    ballot, voted = tier.setup.ballot, tier.first.voted
    assert voted is not None
    national = np.zeros(len(ballot), dtype=np.int16)
    nominees = nominate_lists(race, national, names, np.array([0]))
    registered, refused = registration_filter(
        nominees, race.params, race.rng, system.max_candidates
    )
    out.events += refusal_events(race, refused, names)
    if not registered:
        return 0, 0
    unit_race = np.zeros(tier.districting.n_units, dtype=np.int64)
    setup = RoundSetup(1, replace(ballot, district=national), tier.districting, names, unit_race)
    count, _registered, _ballots = count_slate_round(
        race, setup, {0: registered}, voted, np.ones(1, np.int64)
    )
    list_name = {n.org: n.name for n in registered if n.org >= 0}
    district_party: dict[str, int] = {}
    for w in tier.winners:
        if w.org >= 0:
            key = list_name.get(w.org, w.org_name or f"org-{w.org}")
        elif w.nominated_by == "labour_collective":
            key = REGIME_LIST
        else:
            key = w.name
        district_party[key] = district_party.get(key, 0) + 1
    list_votes = {n.name: float(v) for n, v in zip(registered, count.votes, strict=True)}
    count.seats = np.zeros(len(registered), np.int64)
    result = None
    if count.ballots >= system.turnout_validity * count.registered:
        try:
            result = mmp(
                district_party,
                list_votes,
                system.district_seats + system.list_seats,
                system.method,
                system.threshold,
                system.overhang,
                district_exemption=system.district_exemption,
                rng=race.rng,
            )
        except AllocationError:  # no list with votes above the threshold
            result = None
    if result is not None:
        count.seats[:] = [result.list_seats.get(n.name, 0) for n in registered]
        out.events += tie_events(race, LIST_TIER, result.ties)
    count.elected = count.seats > 0
    out.record(race, 1, count)
    return int(count.seats.sum()), 0
