"""What every race does: counting areas, slates, ballots, rounds and repeat elections.

The race families (:mod:`polsim.elections.families`) share these pieces: they draw the
counting areas, build the ballot, vote and count a round (with ballot stuffing,
:mod:`polsim.elections.fraud`), decide a lone candidate's for/against ballot, queue
repeats of void races and say the election was held. The types they pass around (the
:class:`~polsim.elections.race.RaceContext`, a round's
:class:`~polsim.elections.race.Count`, the
:class:`~polsim.elections.race.ElectionOutcome`) are in :mod:`polsim.elections.race`.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from polsim.elections.candidates import Nominee, RowsColumn, ballot_attachment_rows, candidate_table
from polsim.elections.districts import Districting, apportion_district_seats, draw_districts
from polsim.elections.fraud import FRAUD_KINDS, StuffedCount, stuff_ballots
from polsim.elections.race import CalledElection, Count, ElectionOutcome, RaceContext, RoundSetup
from polsim.elections.systems import referendum
from polsim.elections.voting import Ballot, cast_ballots
from polsim.engine.events import (
    CandidateRegistrationRefused,
    ElectionHeld,
    Event,
    RepeatElectionCalled,
    TieBroken,
)
from polsim.errors import ScenarioError
from polsim.scenario.schema import ScheduledElection
from polsim.society.grievance import grievance_of, perceived_legitimacy_table
from polsim.society.hardship import hardship_of
from polsim.world.polity import World

if TYPE_CHECKING:
    from polsim.elections.allocation import Tie

__all__ = [
    "AGAINST",
    "ballot_for",
    "close_race",
    "draw_areas",
    "electorate",
    "held_event",
    "held_races",
    "lone_candidate_approved",
    "multi_member_geography",
    "queue_repeat",
    "race_slates",
    "refusal_events",
    "run_round",
    "tie_events",
    "validity_rule",
    "with_against",
]

#: Name of the "against" line of a for/against ballot.
AGAINST = "against"


# --- counting areas, races and slates -----------------------------------------------------


def draw_areas(race: RaceContext, seats: int | np.ndarray) -> Districting:
    """Districts of ``seats`` within the oblasts, cut into polling units."""
    voters = race.voters
    return draw_districts(
        voters.weight,
        voters.urban,
        voters.oblast_bounds,
        seats,
        race.world.oblasts,
        race.params.polling_unit_people,
    )


def held_races(election: ScheduledElection, names: tuple[str, ...]) -> np.ndarray:
    """The races held: all, or (a repeat election) the named ones, in race order."""
    if election.districts is None:
        return np.arange(len(names))
    unknown = sorted(set(election.districts) - set(names))
    if unknown:
        raise ScenarioError(f"election {election.name!r} names unknown districts {unknown}")
    return np.array(sorted(names.index(d) for d in election.districts), dtype=np.int64)


def multi_member_geography(
    race: RaceContext, system: Any
) -> tuple[Districting, np.ndarray, tuple[str, ...], np.ndarray, np.ndarray]:
    """Counting areas and races of a multi-member election.

    Returns the districting (one counting area per oblast, cut into polling units, for
    ``list_districts: oblast`` and national races; for a ``block`` vote with
    ``list_districts: national``, ``seats / k`` districts of ``k`` seats drawn like
    single-member ones), each voter's race, the race names, each unit's race and the
    seats of each race. Oblast races are named by their oblast; their seats are
    apportioned by :func:`~polsim.elections.districts.apportion_district_seats` (one
    each, the rest by Hare on registered voters), as single-member districts are.
    """
    voters = race.voters
    by_oblast = system.list_districts == "oblast"
    if system.formula == "block" and not by_oblast:
        k = int(system.district_magnitude)
        districting = draw_areas(race, system.seats // k)
        seats = np.full(districting.n_districts, k, np.int64)
        return (
            districting,
            districting.district,
            districting.names,
            districting.unit_district,
            seats,
        )
    districting = draw_areas(race, np.ones(voters.n_oblasts, np.int64))
    if by_oblast:
        seats = apportion_district_seats(districting.district_weight, int(system.seats))
        oblasts = race.world.oblasts
        return districting, districting.district, oblasts, districting.unit_district, seats
    national = np.zeros(len(voters), dtype=np.int16)
    unit_race = np.zeros(districting.n_units, dtype=np.int64)
    return districting, national, ("national",), unit_race, np.array([int(system.seats)])


def with_against(slate: list[Nominee], district: int, name: str, params: Any) -> list[Nominee]:
    """A lone candidate's slate with the 'against' line of a for/against ballot."""
    against = Nominee(
        district,
        f"{name}:{AGAINST}" if name else AGAINST,
        -1,
        "",
        -1,
        -1,
        (0.0, 0.0),
        False,
        "ballot",
        spatial=0.0,
        valence=float(params.against_utility),
    )
    return [*slate, against]


def race_slates(
    race: RaceContext,
    registered: list[Nominee],
    held: np.ndarray,
    names: tuple[str, ...],
    against_label: bool,
) -> tuple[dict[int, list[Nominee]], list[str]]:
    """Registered nominees by race; empty races (and lone ones under 'forbid') are void,
    a lone list or candidate faces an 'against' line."""
    slates: dict[int, list[Nominee]] = {int(r): [] for r in held}
    for n in registered:
        slates[n.district].append(n)
    void: list[str] = []
    for r in list(slates):
        if not slates[r] or (len(slates[r]) == 1 and race.system.single_candidate == "forbid"):
            void.append(names[r])
            del slates[r]
        elif len(slates[r]) == 1:
            label = names[r] if against_label else ""
            slates[r] = with_against(slates[r], r, label, race.params)
    return slates, void


def validity_rule(system: Any) -> float | None:
    """The first round's turnout validity rule, None when there is none."""
    return system.turnout_validity if system.turnout_validity > 0 else None


def lone_candidate_approved(
    slate: list[Nominee], votes: dict[str, float], electorate: float, validity: float | None
) -> bool:
    """A for/against ballot: approved by a majority of ballots, with the turnout quorum."""
    decision = referendum(
        votes[slate[0].name],
        votes[slate[-1].name],
        electorate,
        turnout_quorum=validity,
        approval="majority_of_ballots",
    )
    return decision.outcome == "approved"


# --- ballots and counts -------------------------------------------------------------------


def ballot_for(race: RaceContext, districting: Districting, district: Any = None) -> Ballot:
    """The voters' ballot columns, with each voter's race (``district``) and unit."""
    world = race.world
    voters = world.voters
    legitimacy = perceived_legitimacy_table(world).astype(np.float32)
    return Ballot(
        weight=voters.weight,
        position=voters.position,
        ethnicity=voters.ethnicity,
        zhuz=voters.zhuz,
        attachment=RowsColumn(len(voters), functools.partial(ballot_attachment_rows, world)),
        urban=voters.urban,
        # H and G as the month's society steps fixed them, derived per chunk.
        hardship=RowsColumn(len(voters), functools.partial(hardship_of, world)),
        grievance=RowsColumn(len(voters), functools.partial(grievance_of, world)),
        legitimacy=RowsColumn(
            len(voters), functools.partial(_group_legitimacy, legitimacy, voters)
        ),
        district=districting.district if district is None else district,
        unit=districting.unit,
    )


def _group_legitimacy(table: np.ndarray, voters: Any, rows: slice) -> np.ndarray:
    """L_i of the voters in ``rows``, looked up by (ethnicity, zhuz)."""
    return table[voters.ethnicity[rows], voters.zhuz[rows] + 1]


def electorate(registered: float, votes: dict[str, float]) -> float:
    """Registered voters for the seat formulas: never below the votes counted.

    Stuffing can raise a unit to exactly its registered voters; summing unit tallies in
    floating point may then exceed the registered sum by a few ulps, which the formulas
    would (rightly) reject for real returns.
    """
    counted = math.fsum(votes.values())  # correctly rounded; the next float is above exact
    return max(float(registered), float(np.nextafter(counted, np.inf)))


def stuff(
    race: RaceContext,
    registered: np.ndarray,
    ballots: np.ndarray,
    pair_votes: np.ndarray,
    pair_start: np.ndarray,
    endorsed_local: np.ndarray,
) -> StuffedCount:
    """Klimek et al.'s ballot stuffing of every unit, with the race's fraud parameters."""
    params = race.params
    return stuff_ballots(
        registered,
        ballots,
        pair_votes,
        pair_start,
        endorsed_local,
        race.rng,
        params.fraud_incremental,
        params.fraud_extreme,
        params.fraud_theta,
        params.fraud_alpha,
    )


def run_round(
    race: RaceContext, setup: RoundSetup, slates: dict[int, list[Nominee]]
) -> tuple[Count, np.ndarray, np.ndarray]:
    """Vote and count one round; returns the count, per-race (registered, ballots)."""
    unit_race = setup.unit_race
    n_races = len(setup.race_names)
    nominees = [n for d in sorted(slates) for n in slates[d]]
    table = candidate_table(nominees, n_races)
    count, voted = cast_ballots(setup.ballot, table, unit_race, race.params, race.rng)
    endorsed_local = np.full(len(unit_race), -1, dtype=np.int64)
    for d in slates:
        flags = [k for k, n in enumerate(slates[d]) if n.endorsed]
        if len(flags) == 1:
            endorsed_local[unit_race == d] = flags[0]
    unit_registered = setup.districting.unit_weight
    stuffed = stuff(
        race, unit_registered, count.ballots, count.pair_votes, count.pair_start, endorsed_local
    )
    slate = np.diff(count.pair_start)
    unit_of_pair = np.repeat(np.arange(len(unit_race)), slate)
    local = np.arange(len(stuffed.pair_votes)) - count.pair_start[:-1][unit_of_pair]
    global_candidate = table.start[unit_race[unit_of_pair]] + local
    votes = np.bincount(global_candidate, weights=stuffed.pair_votes, minlength=len(nominees))
    has_endorsed = endorsed_local >= 0
    endorsed_votes = np.zeros(len(unit_race))
    endorsed_votes[has_endorsed] = stuffed.pair_votes[
        count.pair_start[:-1][has_endorsed] + endorsed_local[has_endorsed]
    ]
    in_round = table.counts[unit_race] > 0
    return tally(race, setup, nominees, votes, voted, in_round, stuffed, endorsed_votes)


def tally(
    race: RaceContext,
    setup: RoundSetup,
    nominees: list[Nominee],
    votes: np.ndarray,
    voted: np.ndarray | None,
    in_round: np.ndarray,
    stuffed: StuffedCount,
    endorsed_votes: np.ndarray,
) -> tuple[Count, np.ndarray, np.ndarray]:
    """A round's count: race totals, the polling-unit rows and the candidates' votes."""
    unit_race = setup.unit_race
    n_races = len(setup.race_names)
    unit_registered = setup.districting.unit_weight
    race_registered = np.bincount(
        unit_race[in_round], weights=unit_registered[in_round], minlength=n_races
    )
    race_ballots = np.bincount(unit_race, weights=stuffed.ballots, minlength=n_races)
    units = np.flatnonzero(in_round)
    unit_rows = {
        "election": [race.election.name] * len(units),
        "round": np.full(len(units), setup.number, np.int16),
        "district": [setup.race_names[r] for r in unit_race[units]],
        "unit": units.astype(np.int32),
        "registered": unit_registered[units],
        "ballots": stuffed.ballots[units],
        "endorsed_votes": endorsed_votes[units],
        "stuffed": stuffed.added[units],
        "fraud": [FRAUD_KINDS[k] for k in stuffed.kind[units]],
    }
    count = Count(
        nominees,
        setup.race_names,
        votes,
        np.zeros(len(nominees), bool),
        unit_rows,
        float(race_registered.sum()),
        float(race_ballots.sum()),
        voted,
    )
    return count, race_registered, race_ballots


def label_units_by_oblast(count: Count, districting: Districting, world: World) -> None:
    """Label the unit rows of a national race by the oblast each unit lies in."""
    area = districting.district_oblast[districting.unit_district]
    count.unit_rows["district"] = [world.oblasts[area[u]] for u in count.unit_rows["unit"]]


# --- events, repeats ----------------------------------------------------------------------


def refusal_events(
    race: RaceContext, refused: list[tuple[Nominee, str]], names: tuple[str, ...]
) -> list[Event]:
    """A ``CandidateRegistrationRefused`` event per refused nominee."""
    return [
        CandidateRegistrationRefused(
            date=race.date,
            actors=(race.actor,),
            election=race.election.name,
            district=names[n.district] if n.district >= 0 else "state-list",
            candidate=n.name,
            org=n.org,
            reason=reason,
        )
        for n, reason in refused
    ]


def tie_events(race: RaceContext, district: str, ties: tuple[Tie, ...]) -> list[Event]:
    """A ``TieBroken`` event per lot drawn in ``district``."""
    return [
        TieBroken(
            date=race.date,
            actors=(race.actor,),
            election=race.election.name,
            district=district,
            stage=tie.stage,
            contenders=tuple(str(c) for c in tie.contenders),
            winners=tuple(str(w) for w in tie.winners),
        )
        for tie in ties
    ]


def queue_repeat(race: RaceContext, void: list[str], reason: str, out: ElectionOutcome) -> None:
    """Call the repeat of the ``void`` races ``repeat_after_months`` later (at most
    ``max_repeats`` times), with its ``RepeatElectionCalled`` event."""
    if not void:
        return
    called, election, system = race.called, race.election, race.system
    held_on = race.date + system.repeat_after_months
    if called.attempt < system.max_repeats:
        repeat = election.model_copy(update={"date": held_on, "districts": list(void), "day": None})
        out.repeats.append(CalledElection(repeat, called.attempt + 1))
        when = str(held_on)
    else:
        when = "never (seats stay vacant)"
    out.events.append(
        RepeatElectionCalled(
            date=race.date,
            actors=(race.actor,),
            election=election.name,
            districts=tuple(void),
            reason=reason,
            held_on=when,
        )
    )


def held_event(
    race: RaceContext,
    *,
    rounds: int,
    turnout: float,
    seats: int,
    seats_filled: int,
    candidates: int,
) -> ElectionHeld:
    """The ``ElectionHeld`` event of one election."""
    election = race.election
    return ElectionHeld(
        date=race.date,
        actors=(race.actor, f"body:{election.body}"),
        election=election.name,
        body=election.body,
        formula=election.system.formula,
        rounds=rounds,
        turnout=float(turnout),
        seats=int(seats),
        seats_filled=int(seats_filled),
        candidates=int(candidates),
    )


def close_race(
    race: RaceContext,
    out: ElectionOutcome,
    count: Count | None,
    void: list[str],
    names: tuple[str, ...],
    reason: str,
    seats: int,
    candidates: int,
) -> ElectionOutcome:
    """End a one-round multi-member election: record its ``count`` (None: no race was
    voted), queue the repeat of the void races (in race order) and say it was held."""
    filled, turnout = 0, 0.0
    if count is not None and count.seats is not None:
        count.elected = count.seats > 0
        out.record(race, 1, count)
        filled, turnout = int(count.seats.sum()), count.turnout
    queue_repeat(race, sorted(void, key=names.index), reason, out)
    event = held_event(
        race, rounds=1, turnout=turnout, seats=seats, seats_filled=filled, candidates=candidates
    )
    out.events.append(event)
    return out
