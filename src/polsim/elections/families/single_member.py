"""Single-member districts: plurality and two-round majority (docs/model.md §4.3.6).

Districts are drawn within oblasts (:mod:`polsim.elections.districts`); candidates are
nominated and registered (:mod:`polsim.elections.candidates`); a district left with one
candidate is a for/against ballot (or void, by ``single_candidate``), one with none is
void. A district is decided by plurality, or by
:func:`~polsim.elections.systems.two_round_majority` with its turnout validity rule and a
runoff in the same month (:func:`~polsim.elections.systems.decide_runoff`). Void districts
are repeated ``repeat_after_months`` later. The district tier is shared with the mixed
systems (:mod:`polsim.elections.families.mixed`), which add their list tiers to it.

Reserved seats (the 1990 Supreme Soviet's 90 seats of public organisations) are not
voted on: under a ruling party they are its members'; otherwise they are shared among
the living associations and trade unions (kinds ``association``, ``trade_union``) by
Hare largest remainder on their members, or, when the world has none, filled by
deputies of unnamed public organisations (org -1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from polsim.elections.allocation import allocate_seats, plurality
from polsim.elections.candidates import Nominee, nominate_districts, registration_filter
from polsim.elections.districts import Districting
from polsim.elections.race import Count, ElectionOutcome, RaceContext, RoundSetup
from polsim.elections.registry import register
from polsim.elections.rounds import (
    ballot_for,
    draw_areas,
    electorate,
    held_event,
    held_races,
    lone_candidate_approved,
    queue_repeat,
    race_slates,
    refusal_events,
    run_round,
    tie_events,
    validity_rule,
)
from polsim.elections.systems import TwoRoundResult, decide_runoff, two_round_majority
from polsim.engine.events import RunoffHeld

__all__ = ["DistrictTier", "hold_districts", "hold_single_member"]


@dataclass
class DistrictTier:
    """The single-member tier of an election, once its rounds are counted."""

    setup: RoundSetup
    held: np.ndarray
    first: Count
    second: Count | None = None
    void: list[str] = field(default_factory=list)

    @property
    def winners(self) -> list[Nominee]:
        """The district winners of both rounds."""
        counts = [self.first] if self.second is None else [self.first, self.second]
        return [n for c in counts for n, e in zip(c.nominees, c.elected, strict=True) if e]

    @property
    def filled(self) -> int:
        """Seats the districts filled."""
        second = 0 if self.second is None else int(self.second.elected.sum())
        return int(self.first.elected.sum()) + second

    @property
    def districting(self) -> Districting:
        """The districts and polling units."""
        return self.setup.districting


#: A list tier of a mixed system: adds its rows and events; returns (seats filled,
#: candidates on its list to count).
ListTier = Callable[[RaceContext, DistrictTier, ElectionOutcome], tuple[int, int]]


@register("plurality", "two_round")
def hold_single_member(race: RaceContext) -> ElectionOutcome:
    """A house of single-member districts (formulas ``plurality`` and ``two_round``)."""
    return hold_districts(race)


def hold_districts(race: RaceContext, list_tier: ListTier | None = None) -> ElectionOutcome:
    """The district tier, then (first attempt only) a list tier and reserved seats."""
    system = race.system
    out = ElectionOutcome()
    tier = _district_tier(race, out)
    filled = tier.filled
    n_candidates = len(tier.first.nominees)
    if race.called.attempt == 0:
        if list_tier is not None:
            list_filled, list_candidates = list_tier(race, tier, out)
            filled += list_filled
            n_candidates += list_candidates
        if system.reserved_seats > 0:
            filled += _reserved_seats(race, out)
    out.events.append(
        held_event(
            race,
            rounds=1 if tier.second is None else 2,
            turnout=tier.first.turnout,
            seats=system.seats if race.called.attempt == 0 else len(tier.held),
            seats_filled=filled,
            candidates=n_candidates,
        )
    )
    return out


def district_rule(system: Any) -> str:
    """How a single-member district is decided: formulas 'plurality' and 'two_round' name
    it; 'parallel' and 'mmp' take ``district_formula`` (the schema's description)."""
    if system.formula in ("plurality", "two_round"):
        return str(system.formula)
    return str(system.district_formula)


def _district_tier(race: RaceContext, out: ElectionOutcome) -> DistrictTier:
    """Draw, nominate, vote and decide the districts, with runoffs; queue repeats."""
    election, system, params, rng = race.election, race.system, race.params, race.rng
    districting = draw_areas(race, system.district_seats)
    names = districting.names
    held = held_races(election, names)
    nominees = nominate_districts(race.world, districting.district, names, params, rng, held)
    registered, refused = registration_filter(nominees, params, rng, system.max_candidates)
    out.events += refusal_events(race, refused, names)
    slates, void = race_slates(race, registered, held, names, against_label=True)
    setup = RoundSetup(
        1, ballot_for(race, districting), districting, names, districting.unit_district
    )
    first, registered_d, _ballots_d = run_round(race, setup, slates)
    tier = DistrictTier(setup, held, first, void=void)
    runoffs = _decide_first_round(race, tier, slates, registered_d, out)
    out.record(race, 1, first)
    if runoffs:
        _hold_runoffs(race, tier, runoffs, out)
    queue_repeat(
        race,
        sorted(tier.void, key=names.index),
        "turnout below the validity rule or no valid candidate",
        out,
    )
    return tier


def _decide_first_round(
    race: RaceContext,
    tier: DistrictTier,
    slates: dict[int, list[Nominee]],
    registered: np.ndarray,
    out: ElectionOutcome,
) -> dict[int, tuple[list[Nominee], TwoRoundResult]]:
    """Decide each district's first round; returns the runoffs due (slate, first result)."""
    system, names, first = race.system, tier.setup.race_names, tier.first
    validity = validity_rule(system)
    runoffs: dict[int, tuple[list[Nominee], TwoRoundResult]] = {}
    offset = 0
    for d in sorted(slates):
        slate = slates[d]
        votes = first.slate_votes(slate, offset)
        index = {n.name: offset + k for k, n in enumerate(slate)}
        offset += len(slate)
        if slate[-1].nominated_by == "ballot":
            if lone_candidate_approved(slate, votes, electorate(registered[d], votes), validity):
                first.elected[index[slate[0].name]] = True
            else:
                tier.void.append(names[d])
            continue
        if district_rule(system) == "plurality":
            allocation = plurality(votes, race.rng)
            winner = next(n for n, s in zip(votes, allocation.seats, strict=True) if s)
            first.elected[index[winner]] = True
            out.events += tie_events(race, names[d], allocation.ties)
            continue
        result = two_round_majority(
            votes,
            electorate(registered[d], votes),
            turnout_validity=validity,
            majority=system.majority,
            runoff=system.runoff,
            rng=race.rng,
        )
        out.events += tie_events(race, names[d], result.ties)
        if result.outcome == "elected":
            first.elected[index[result.winner]] = True
        elif result.outcome == "repeat":
            tier.void.append(names[d])
        else:
            runoffs[d] = ([n for n in slate if n.name in result.runoff_candidates], result)
    return runoffs


def _hold_runoffs(
    race: RaceContext,
    tier: DistrictTier,
    runoffs: dict[int, tuple[list[Nominee], TwoRoundResult]],
    out: ElectionOutcome,
) -> None:
    """Vote the runoffs in the same month and decide them by plurality."""
    setup = replace(tier.setup, number=2)
    names = setup.race_names
    slates = {d: slate for d, (slate, _first) in runoffs.items()}
    second, registered, ballots = run_round(race, setup, slates)
    tier.second = second
    offset = 0
    for d in sorted(slates):
        slate, first_result = runoffs[d]
        votes = second.slate_votes(slate, offset)
        index = {n.name: offset + k for k, n in enumerate(slate)}
        offset += len(slate)
        result = decide_runoff(
            first_result,
            votes,
            electorate(registered[d], votes),
            turnout_validity=race.system.runoff_turnout_validity,
            rng=race.rng,
        )
        out.events += tie_events(race, names[d], result.ties[len(first_result.ties) :])
        if result.outcome == "elected":
            second.elected[index[result.winner]] = True
            turnout = float(ballots[d] / registered[d]) if registered[d] > 0 else 0.0
            out.events.append(runoff_event(race, names[d], votes, result.winner, turnout))
        else:
            tier.void.append(names[d])
    out.record(race, 2, second)


def runoff_event(
    race: RaceContext, district: str, votes: dict[str, float], winner: str, turnout: float
) -> RunoffHeld:
    """The ``RunoffHeld`` event of one race's runoff."""
    return RunoffHeld(
        date=race.date,
        actors=(race.actor,),
        election=race.election.name,
        district=district,
        candidates=tuple(votes),
        winner=winner,
        turnout=turnout,
    )


# --- reserved seats -----------------------------------------------------------------------


def _organisation_seats(
    seats: int, label: str, org: int, org_name: str, zhuz: int, endorsed: bool
) -> list[Nominee]:
    """``seats`` deputies of one organisation, named ``label:1``, ``label:2``, ..."""
    return [
        Nominee(
            0, f"{label}:{k + 1}", org, org_name, -1, zhuz, (0.0, 0.0), endorsed, "organisation"
        )
        for k in range(seats)
    ]


def _reserved_seats(race: RaceContext, out: ElectionOutcome) -> int:
    """Fill reserved seats: the ruling party's, if the president has one; else shared among
    associations and trade unions by Hare on members."""
    world = race.world
    seats = race.system.reserved_seats
    records = getattr(world.organisations, "records", [])
    organisations = [
        o for o in records if o.dissolved is None and o.kind in ("association", "trade_union")
    ]
    nominees: list[Nominee] = []
    presidency = getattr(world, "presidency", None)
    ruling = presidency.party if presidency is not None else -1
    if 0 <= ruling < len(records) and records[ruling].dissolved is None:
        # Under a ruling party, the public organisations' seats are its members'.
        party = records[ruling]
        label = "public-organisations"
        nominees = _organisation_seats(seats, label, int(party.id), str(party.name), -1, True)
    elif organisations and sum(o.members for o in organisations) > 0:
        allocation = allocate_seats([float(o.members) for o in organisations], seats, "hare")
        for org, won in zip(organisations, allocation.seats, strict=True):
            zhuz = int(getattr(org, "zhuz", -1))
            nominees += _organisation_seats(won, org.name, int(org.id), str(org.name), zhuz, False)
    else:
        label, name = "public-organisations", "public organisations"
        nominees = _organisation_seats(seats, label, -1, name, -1, False)
    count = Count(
        nominees,
        ("public-organisations",),
        np.zeros(len(nominees)),
        np.ones(len(nominees), bool),
        {},
        0.0,
        0.0,
    )
    out.record(race, 1, count, units=False)
    return len(nominees)
