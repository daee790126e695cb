"""National races: the presidency, the plebiscite and a house from the state list alone.

A presidential election (formula ``presidential``) is one national race in up to two
rounds (:func:`~polsim.elections.systems.presidential_two_round`, the runoff in the same
month); a lone candidate faces an 'against' line. A referendum (formula ``referendum``)
is a yes/no plebiscite on the incumbent. Both are counted in counting areas of one
oblast each. A ``state_list`` house is filled from the head of state's list by
plurality-at-large (docs/model.md §4.3.6).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from polsim.elections.allocation import state_list
from polsim.elections.candidates import (
    Nominee,
    candidate_table,
    nominate_national,
    nominate_state_list,
    registration_filter,
)
from polsim.elections.families.single_member import runoff_event
from polsim.elections.race import Count, ElectionOutcome, RaceContext, RoundSetup
from polsim.elections.registry import register
from polsim.elections.rounds import (
    ballot_for,
    draw_areas,
    electorate,
    held_event,
    lone_candidate_approved,
    multi_member_geography,
    queue_repeat,
    refusal_events,
    run_round,
    tie_events,
    validity_rule,
    with_against,
)
from polsim.elections.systems import TwoRoundResult, decide_runoff, presidential_two_round
from polsim.elections.voting import approval_totals, cast_ballots

__all__ = ["hold_presidential", "hold_state_list"]


@register("presidential", "referendum")
def hold_presidential(race: RaceContext) -> ElectionOutcome:
    """A presidential election or a plebiscite on the incumbent: one national race."""
    system, params, voters = race.system, race.params, race.voters
    out = ElectionOutcome()
    # Counting areas: one per oblast, cut into polling units; the race is national.
    districting = draw_areas(race, np.ones(voters.n_oblasts, np.int64))
    names = ("national",)
    nominees = nominate_national(race.world, params, race.rng)
    if system.formula == "referendum":
        # A plebiscite on the incumbent (e.g. a term extension): yes/no on one name.
        nominees, refused = nominees[:1], []
        registered = nominees
    else:
        registered, refused = registration_filter(nominees, params, race.rng, system.max_candidates)
    out.events += refusal_events(race, refused, names)
    if len(registered) == 1 and (
        system.single_candidate == "for_against" or system.formula == "referendum"
    ):
        registered = with_against(registered, 0, "", params)
    national = np.zeros(len(voters), dtype=np.int16)
    unit_race = np.zeros(districting.n_units, dtype=np.int64)
    setup = RoundSetup(1, ballot_for(race, districting, national), districting, names, unit_race)
    area_names = tuple(race.world.oblasts[o] for o in districting.district_oblast)
    count, registered_n, ballots_n = run_round(race, setup, {0: registered})
    count.unit_rows["district"] = [area_names[d] for d in districting.unit_district]
    votes = count.slate_votes(registered, 0)
    second: Count | None = None
    if registered[-1].nominated_by == "ballot":
        voters_n = electorate(registered_n[0], votes)
        approved = lone_candidate_approved(registered, votes, voters_n, validity_rule(system))
        winner = registered[0].name if approved else None
        void = winner is None
        if winner is not None:
            count.elected[0] = True
    else:
        result = presidential_two_round(
            votes,
            electorate(registered_n[0], votes),
            turnout_validity=validity_rule(system),
            majority=system.majority,
            runoff=system.runoff,
            rng=race.rng,
        )
        out.events += tie_events(race, "national", result.ties)
        winner = result.winner
        void = result.outcome == "repeat"
        if result.outcome == "runoff":
            slate = [n for n in registered if n.name in result.runoff_candidates]
            second, winner, void = _presidential_runoff(race, setup, slate, result, out)
        elif winner is not None:
            count.elected[[n.name for n in registered].index(winner)] = True
    if system.formula == "referendum":
        out.referendums.append((race.election.name, winner is not None))
        void = False  # a failed plebiscite is an answer, not a void race
    elif winner is not None:
        out.presidential.append((race.election.name, winner == "incumbent"))
    out.record(race, 1, count)
    if second is not None:
        out.record(race, 2, second)
    if void:
        reason = "turnout below the validity rule or no majority"
        queue_repeat(race, ["national"], reason, out)
    out.events.append(
        held_event(
            race,
            rounds=1 if second is None else 2,
            turnout=float(ballots_n[0] / registered_n[0]) if registered_n[0] > 0 else 0.0,
            seats=1,
            seats_filled=int(winner is not None),
            candidates=len(nominees),
        )
    )
    return out


def _presidential_runoff(
    race: RaceContext,
    first: RoundSetup,
    slate: list[Nominee],
    result: TwoRoundResult,
    out: ElectionOutcome,
) -> tuple[Count, str | None, bool]:
    """The presidential runoff: its count, the winner (None: none) and whether it is void."""
    districting = first.districting
    area_names = tuple(race.world.oblasts[o] for o in districting.district_oblast)
    second, registered, ballots = run_round(race, replace(first, number=2), {0: slate})
    second.unit_rows["district"] = [area_names[d] for d in districting.unit_district]
    votes = second.slate_votes(slate, 0)
    final = decide_runoff(
        result,
        votes,
        electorate(registered[0], votes),
        turnout_validity=race.system.runoff_turnout_validity,
        rng=race.rng,
    )
    out.events += tie_events(race, "national", final.ties[len(result.ties) :])
    winner = final.winner
    if winner is not None:
        second.elected[[n.name for n in slate].index(winner)] = True
        turnout = float(ballots[0] / registered[0])
        out.events.append(runoff_event(race, "national", votes, winner, turnout))
    return second, winner, final.outcome == "repeat"


@register("state_list")
def hold_state_list(race: RaceContext) -> ElectionOutcome:
    """A house filled from the head of state's list alone (formula ``state_list``).

    The head of state nominates ``list_candidates`` (:func:`~polsim.elections.candidates.
    nominate_state_list`); turnout is drawn as in any election
    (:func:`~polsim.elections.voting.cast_ballots`, counting areas by oblast), the voters
    approve nominees by :func:`~polsim.elections.voting.approval_totals`, and the ``seats``
    most approved win by plurality-at-large
    (:func:`~polsim.elections.allocation.state_list`; Kazakhstan's 1994 list, docs/model.md §4.1,
    as a whole house). Turnout below ``turnout_validity`` voids the election (a repeat is
    called). Departure, as for the state list of a parallel system: approvals are
    expectations, so no ballot is stuffed and no unit rows are written.
    """
    system, params, rng = race.system, race.params, race.rng
    national_system = system.model_copy(update={"list_districts": "national"})
    districting, voter_race, _names, unit_race, _seats = multi_member_geography(
        race, national_system
    )
    nominees = nominate_state_list(race.world, system.list_candidates, params, rng)
    national = [replace(n, district=0) for n in nominees]
    ballot = ballot_for(race, districting, voter_race)
    turnout_count, voted = cast_ballots(
        ballot, candidate_table(national[:1], 1), unit_race, params, rng
    )
    registered = float(districting.unit_weight.sum())
    turnout = float(turnout_count.ballots.sum()) / registered if registered > 0 else 0.0
    approvals = approval_totals(ballot, candidate_table(national, 1), voted, params)
    void = turnout < system.turnout_validity
    seats = np.zeros(len(national), np.int64)
    out = ElectionOutcome()
    if not void:
        allocation = state_list(
            {n.name: float(a) for n, a in zip(national, approvals, strict=True)},
            system.seats,
            rng,
        )
        seats[:] = allocation.seats
        out.events += tie_events(race, "state-list", allocation.ties)
    count = Count(national, ("state-list",), approvals, seats > 0, {}, registered, 0.0)
    count.seats = seats
    out.record(race, 1, count, units=False)
    if void:
        queue_repeat(race, ["state-list"], "turnout below the validity rule", out)
    out.events.append(
        held_event(
            race,
            rounds=1,
            turnout=turnout,
            seats=system.seats,
            seats_filled=int(seats.sum()),
            candidates=len(national),
        )
    )
    return out
