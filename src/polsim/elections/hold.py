"""The election mechanism: hold the elections that fall in the month (MODEL.md §4).

``hold_elections(world, rng, date)`` holds, in this order, the scenario's scheduled
elections dated this month and then the elections other mechanisms (or a void race)
put on ``world.elections_called`` for this month or earlier. Each election:

1. draws districts and polling units (:mod:`polsim.elections.districts`);
2. nominates and registers candidates (:mod:`polsim.elections.candidates`); a race left
   with one candidate is a for/against ballot (or void, by ``single_candidate``), a race
   with none is void;
3. draws turnout and votes (:mod:`polsim.elections.voting`) and lets the count be
   stuffed (:mod:`polsim.elections.fraud`);
4. decides each race with the seat formulas of :mod:`polsim.elections.systems` and
   :mod:`polsim.elections.allocation`: two-round majority with the turnout validity rule,
   runoffs in the same month, plurality, the state list by plurality-at-large, a
   presidential race in up to two rounds; void races call a repeat election
   ``repeat_after_months`` later (at most ``max_repeats`` times);
5. appends one dict of columns per round to ``world.election_results`` and
   ``world.election_units`` (see :func:`results_table`, :func:`units_table`).

Reserved seats (the 1990 Supreme Soviet's 90 seats of public organisations) are not
voted on: they are shared among the living associations and trade unions (kinds
``association``, ``trade_union``) by Hare largest remainder on their members, or, when
the world has none, filled by deputies of unnamed public organisations (org -1).

Random draws come from the mechanism's stream in a fixed order: per election,
nomination, registration, each round's votes, fraud, and lots.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyarrow as pa

from polsim.elections.allocation import Tie, allocate_seats, plurality, state_list
from polsim.elections.candidates import (
    Nominee,
    ballot_attachment,
    candidate_table,
    nominate_districts,
    nominate_national,
    nominate_state_list,
    registration_filter,
)
from polsim.elections.districts import Districting, draw_districts
from polsim.elections.fraud import FRAUD_KINDS, stuff_ballots
from polsim.elections.systems import (
    decide_runoff,
    presidential_two_round,
    referendum,
    two_round_majority,
)
from polsim.elections.voting import Ballot, approval_totals, cast_ballots
from polsim.engine.calendar import Month
from polsim.engine.events import (
    CandidateRegistrationRefused,
    ElectionHeld,
    Event,
    RepeatElectionCalled,
    RunoffHeld,
    TieBroken,
)
from polsim.errors import ScenarioError
from polsim.scenario.schema import ZHUZES, ScheduledElection
from polsim.society.grievance import perceived_legitimacy_table
from polsim.world.polity import World

__all__ = [
    "RESULT_SCHEMA",
    "UNIT_SCHEMA",
    "CalledElection",
    "hold_elections",
    "results_table",
    "units_table",
]

#: Columns of ``results.parquet``: one row per election × round × district × candidate.
RESULT_SCHEMA = pa.schema(
    [
        ("election", pa.string()),
        ("date", pa.string()),
        ("body", pa.string()),
        ("round", pa.int16()),
        ("district", pa.string()),
        ("candidate", pa.string()),
        ("org", pa.int32()),
        ("org_name", pa.string()),
        ("ethnicity", pa.string()),
        ("zhuz", pa.string()),
        ("votes", pa.float64()),
        ("elected", pa.bool_()),
    ]
)

#: Columns of ``units.parquet``: one row per election × round × polling unit.
UNIT_SCHEMA = pa.schema(
    [
        ("election", pa.string()),
        ("round", pa.int16()),
        ("district", pa.string()),
        ("unit", pa.int32()),
        ("registered", pa.float64()),
        ("ballots", pa.float64()),
        ("endorsed_votes", pa.float64()),
        ("stuffed", pa.float64()),
        ("fraud", pa.string()),
    ]
)

#: Name of the "against" line of a for/against ballot.
AGAINST = "against"
SMD_FORMULAS = ("plurality", "two_round", "parallel")


@dataclass(frozen=True)
class CalledElection:
    """An election on the queue ``world.elections_called``; ``attempt`` counts repeats."""

    election: ScheduledElection
    attempt: int = 0


def hold_elections(world: World, rng: np.random.Generator, date: Month) -> list[Event]:
    """Hold the scheduled and called elections that fall in ``date``."""
    due: list[CalledElection] = [
        CalledElection(e) for e in world.scenario.elections if e.date == date
    ]
    waiting = []
    for item in world.elections_called:
        called = item if isinstance(item, CalledElection) else CalledElection(item)
        (due if called.election.date <= date else waiting).append(called)
    world.elections_called[:] = waiting
    events: list[Event] = []
    for called in due:
        events.extend(_hold(world, called, rng, date))
    return events


# --- one election -------------------------------------------------------------------------


@dataclass
class _Count:
    """What one round of one election produced, before it becomes rows."""

    nominees: list[Nominee]
    names: tuple[str, ...]
    votes: np.ndarray  # per nominee
    elected: np.ndarray  # per nominee
    unit_rows: dict[str, Any]
    registered: float
    ballots: float
    voted: np.ndarray | None = None


def _hold(
    world: World, called: CalledElection, rng: np.random.Generator, date: Month
) -> list[Event]:
    election = called.election
    system = election.system
    if system.formula in SMD_FORMULAS:
        return _hold_legislative(world, called, rng, date)
    if system.formula in ("presidential", "referendum"):
        return _hold_presidential(world, called, rng, date)
    raise ScenarioError(
        f"election {election.name!r}: formula {system.formula!r} cannot be simulated yet; "
        f"use one of {', '.join((*SMD_FORMULAS, 'presidential', 'referendum'))}"
    )


def _ballot(world: World, districting: Districting, district: np.ndarray | None = None) -> Ballot:
    voters = world.voters
    legitimacy = perceived_legitimacy_table(world).astype(np.float32)
    return Ballot(
        weight=voters.weight,
        position=voters.position,
        ethnicity=voters.ethnicity,
        zhuz=voters.zhuz,
        attachment=ballot_attachment(world),
        urban=voters.urban,
        hardship=voters.hardship,
        grievance=voters.grievance,
        legitimacy=legitimacy[voters.ethnicity, voters.zhuz + 1],
        district=districting.district if district is None else district,
        unit=districting.unit,
    )


def _electorate(registered: float, votes: dict[str, float]) -> float:
    """Registered voters for the seat formulas: never below the votes counted.

    Stuffing can raise a unit to exactly its registered voters; summing unit tallies in
    floating point may then exceed the registered sum by a few ulps, which the formulas
    would (rightly) reject for real returns.
    """
    counted = math.fsum(votes.values())  # correctly rounded; the next float is above exact
    return max(float(registered), float(np.nextafter(counted, np.inf)))


def _date_text(election: ScheduledElection) -> str:
    if election.day is None:
        return str(election.date)
    return f"{election.date}-{election.day:02d}"


def _refusal_events(
    election: ScheduledElection,
    refused: list[tuple[Nominee, str]],
    names: tuple[str, ...],
    date: Month,
) -> list[Event]:
    return [
        CandidateRegistrationRefused(
            date=date,
            actors=(f"election:{election.name}",),
            election=election.name,
            district=names[n.district] if n.district >= 0 else "state-list",
            candidate=n.name,
            org=n.org,
            reason=reason,
        )
        for n, reason in refused
    ]


def _tie_events(
    election: ScheduledElection, district: str, ties: tuple[Tie, ...], date: Month
) -> list[Event]:
    return [
        TieBroken(
            date=date,
            actors=(f"election:{election.name}",),
            election=election.name,
            district=district,
            stage=tie.stage,
            contenders=tuple(str(c) for c in tie.contenders),
            winners=tuple(str(w) for w in tie.winners),
        )
        for tie in ties
    ]


def _with_against(slate: list[Nominee], district: int, name: str, params: Any) -> list[Nominee]:
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


def _run_round(
    world: World,
    election: ScheduledElection,
    round_number: int,
    ballot: Ballot,
    districting: Districting,
    slates: dict[int, list[Nominee]],
    n_races: int,
    race_names: tuple[str, ...],
    unit_race: np.ndarray,
    rng: np.random.Generator,
) -> tuple[_Count, np.ndarray, np.ndarray]:
    """Vote and count one round; returns the count, per-race (registered, ballots)."""
    params = world.scenario.elections_behaviour
    nominees = [n for d in sorted(slates) for n in slates[d]]
    table = candidate_table(nominees, n_races)
    count, voted = cast_ballots(ballot, table, unit_race, params, rng)
    slate_start = table.start
    endorsed_local = np.full(len(unit_race), -1, dtype=np.int64)
    for d in slates:
        flags = [k for k, n in enumerate(slates[d]) if n.endorsed]
        if len(flags) == 1:
            endorsed_local[unit_race == d] = flags[0]
    unit_registered = districting.unit_weight
    stuffed = stuff_ballots(
        unit_registered,
        count.ballots,
        count.pair_votes,
        count.pair_start,
        endorsed_local,
        rng,
        params.fraud_incremental,
        params.fraud_extreme,
        params.fraud_theta,
        params.fraud_alpha,
    )
    slate = np.diff(count.pair_start)
    unit_of_pair = np.repeat(np.arange(len(unit_race)), slate)
    local = np.arange(len(stuffed.pair_votes)) - count.pair_start[:-1][unit_of_pair]
    global_candidate = slate_start[unit_race[unit_of_pair]] + local
    votes = np.bincount(global_candidate, weights=stuffed.pair_votes, minlength=len(nominees))
    in_round = table.counts[unit_race] > 0
    race_registered = np.bincount(
        unit_race[in_round], weights=unit_registered[in_round], minlength=n_races
    )
    race_ballots = np.bincount(unit_race, weights=stuffed.ballots, minlength=n_races)
    has_endorsed = endorsed_local >= 0
    endorsed_votes = np.zeros(len(unit_race))
    endorsed_votes[has_endorsed] = stuffed.pair_votes[
        count.pair_start[:-1][has_endorsed] + endorsed_local[has_endorsed]
    ]
    units = np.flatnonzero(in_round)
    unit_rows = {
        "election": [election.name] * len(units),
        "round": np.full(len(units), round_number, np.int16),
        "district": [race_names[r] for r in unit_race[units]],
        "unit": units.astype(np.int32),
        "registered": unit_registered[units],
        "ballots": stuffed.ballots[units],
        "endorsed_votes": endorsed_votes[units],
        "stuffed": stuffed.added[units],
        "fraud": [FRAUD_KINDS[k] for k in stuffed.kind[units]],
    }
    result = _Count(
        nominees,
        race_names,
        votes,
        np.zeros(len(nominees), bool),
        unit_rows,
        float(race_registered.sum()),
        float(race_ballots.sum()),
        voted,
    )
    return result, race_registered, race_ballots


def _rows(
    world: World,
    election: ScheduledElection,
    round_number: int,
    count: _Count,
    race_names: tuple[str, ...],
    district_label: dict[int, str] | None = None,
) -> dict[str, list[Any]]:
    organisations = {}
    groups = world.ethnic_groups
    rows: dict[str, list[Any]] = {name: [] for name in RESULT_SCHEMA.names}
    for k, n in enumerate(count.nominees):
        rows["election"].append(election.name)
        rows["date"].append(_date_text(election))
        rows["body"].append(election.body)
        rows["round"].append(round_number)
        label = district_label.get(n.district) if district_label else None
        rows["district"].append(label or race_names[n.district])
        rows["candidate"].append(n.name)
        rows["org"].append(n.org)
        rows["org_name"].append(n.org_name or organisations.get(n.org, ""))
        rows["ethnicity"].append(groups[n.ethnicity] if n.ethnicity >= 0 else "")
        rows["zhuz"].append(ZHUZES[n.zhuz] if n.zhuz >= 0 else "")
        rows["votes"].append(float(count.votes[k]))
        rows["elected"].append(bool(count.elected[k]))
    return rows


def _queue_repeat(
    world: World, called: CalledElection, void: list[str], reason: str, date: Month
) -> list[Event]:
    if not void:
        return []
    election = called.election
    system = election.system
    held_on = date + system.repeat_after_months
    if called.attempt < system.max_repeats:
        repeat = election.model_copy(update={"date": held_on, "districts": list(void), "day": None})
        world.elections_called.append(CalledElection(repeat, called.attempt + 1))
        when = str(held_on)
    else:
        when = "never (seats stay vacant)"
    return [
        RepeatElectionCalled(
            date=date,
            actors=(f"election:{election.name}",),
            election=election.name,
            districts=tuple(void),
            reason=reason,
            held_on=when,
        )
    ]


def _hold_legislative(
    world: World, called: CalledElection, rng: np.random.Generator, date: Month
) -> list[Event]:
    election = called.election
    system = election.system
    params = world.scenario.elections_behaviour
    voters = world.voters
    events: list[Event] = []
    districting = draw_districts(
        voters.weight,
        voters.urban,
        voters.oblast_bounds,
        system.district_seats,
        world.oblasts,
        params.polling_unit_people,
    )
    names = districting.names
    if election.districts is None:
        held = np.arange(districting.n_districts)
    else:
        unknown = sorted(set(election.districts) - set(names))
        if unknown:
            raise ScenarioError(f"election {election.name!r} names unknown districts {unknown}")
        held = np.array(sorted(names.index(d) for d in election.districts), dtype=np.int64)
    nominees = nominate_districts(world, districting.district, names, params, rng, held)
    registered, refused = registration_filter(nominees, params, rng, system.max_candidates)
    events += _refusal_events(election, refused, names, date)
    slates: dict[int, list[Nominee]] = {int(d): [] for d in held}
    for n in registered:
        slates[n.district].append(n)
    void: list[str] = []
    for d in list(slates):
        if not slates[d] or (len(slates[d]) == 1 and system.single_candidate == "forbid"):
            void.append(names[d])
            del slates[d]
        elif len(slates[d]) == 1:
            slates[d] = _with_against(slates[d], d, names[d], params)
    ballot = _ballot(world, districting)
    unit_race = districting.unit_district
    first, registered_d, _ballots_d = _run_round(
        world,
        election,
        1,
        ballot,
        districting,
        slates,
        districting.n_districts,
        names,
        unit_race,
        rng,
    )
    validity = system.turnout_validity if system.turnout_validity > 0 else None
    runoff_slates: dict[int, list[Nominee]] = {}
    first_results: dict[int, Any] = {}
    offset = 0
    for d in sorted(slates):
        slate = slates[d]
        votes = {n.name: float(first.votes[offset + k]) for k, n in enumerate(slate)}
        index = {n.name: offset + k for k, n in enumerate(slate)}
        offset += len(slate)
        if slate[-1].nominated_by == "ballot":
            decision = referendum(
                votes[slate[0].name],
                votes[slate[-1].name],
                _electorate(registered_d[d], votes),
                turnout_quorum=validity,
                approval="majority_of_ballots",
            )
            if decision.outcome == "approved":
                first.elected[index[slate[0].name]] = True
            else:
                void.append(names[d])
            continue
        if system.district_formula == "plurality":
            allocation = plurality(votes, rng)
            winner = next(n for n, s in zip(votes, allocation.seats, strict=True) if s)
            first.elected[index[winner]] = True
            events += _tie_events(election, names[d], allocation.ties, date)
            continue
        result = two_round_majority(
            votes,
            _electorate(registered_d[d], votes),
            turnout_validity=validity,
            majority=system.majority,
            runoff=system.runoff,
            rng=rng,
        )
        events += _tie_events(election, names[d], result.ties, date)
        if result.outcome == "elected":
            first.elected[index[result.winner]] = True
        elif result.outcome == "repeat":
            void.append(names[d])
        else:
            runoff_slates[d] = [n for n in slate if n.name in result.runoff_candidates]
            first_results[d] = result
    world.election_results.append(_rows(world, election, 1, first, names))
    world.election_units.append(first.unit_rows)
    filled = int(first.elected.sum())
    rounds = 1
    if runoff_slates:
        rounds = 2
        second, registered_2, ballots_2 = _run_round(
            world,
            election,
            2,
            ballot,
            districting,
            runoff_slates,
            districting.n_districts,
            names,
            unit_race,
            rng,
        )
        offset = 0
        runoff_validity = system.runoff_turnout_validity
        for d in sorted(runoff_slates):
            slate = runoff_slates[d]
            votes = {n.name: float(second.votes[offset + k]) for k, n in enumerate(slate)}
            index = {n.name: offset + k for k, n in enumerate(slate)}
            offset += len(slate)
            result = decide_runoff(
                first_results[d],
                votes,
                _electorate(registered_2[d], votes),
                turnout_validity=runoff_validity,
                rng=rng,
            )
            new_ties = result.ties[len(first_results[d].ties) :]
            events += _tie_events(election, names[d], new_ties, date)
            if result.outcome == "elected":
                second.elected[index[result.winner]] = True
                turnout = float(ballots_2[d] / registered_2[d]) if registered_2[d] > 0 else 0.0
                events.append(
                    RunoffHeld(
                        date=date,
                        actors=(f"election:{election.name}",),
                        election=election.name,
                        district=names[d],
                        candidates=tuple(votes),
                        winner=result.winner,
                        turnout=turnout,
                    )
                )
            else:
                void.append(names[d])
        world.election_results.append(_rows(world, election, 2, second, names))
        world.election_units.append(second.unit_rows)
        filled += int(second.elected.sum())
    events += _queue_repeat(
        world,
        called,
        sorted(void, key=names.index),
        "turnout below the validity rule or no valid candidate",
        date,
    )
    n_candidates = len(first.nominees)
    if called.attempt == 0:
        if system.formula == "parallel" and system.list_seats > 0:
            filled += _state_list(world, election, ballot, first.voted, rng, date, events)
            n_candidates += system.list_candidates
        if system.reserved_seats > 0:
            filled += _reserved_seats(world, election)
    turnout = first.ballots / first.registered if first.registered > 0 else 0.0
    events.append(
        ElectionHeld(
            date=date,
            actors=(f"election:{election.name}", f"body:{election.body}"),
            election=election.name,
            body=election.body,
            formula=system.formula,
            rounds=rounds,
            turnout=float(turnout),
            seats=system.seats if called.attempt == 0 else len(held),
            seats_filled=filled,
            candidates=n_candidates,
        )
    )
    return events


def _state_list(
    world: World,
    election: ScheduledElection,
    ballot: Ballot,
    voted: np.ndarray,
    rng: np.random.Generator,
    date: Month,
    events: list[Event],
) -> int:
    """Fill the list seats from the head of state's list by plurality-at-large."""
    system = election.system
    params = world.scenario.elections_behaviour
    nominees = nominate_state_list(world, system.list_candidates, params, rng)
    national = [replace(n, district=0) for n in nominees]
    table = candidate_table(national, 1)
    approvals = approval_totals(ballot, table, voted, params)
    allocation = state_list(
        {n.name: float(a) for n, a in zip(nominees, approvals, strict=True)}, system.list_seats, rng
    )
    events += _tie_events(election, "state-list", allocation.ties, date)
    count = _Count(
        national, ("state-list",), approvals, np.array(allocation.seats, dtype=bool), {}, 0.0, 0.0
    )
    world.election_results.append(_rows(world, election, 1, count, ("state-list",)))
    return int(sum(allocation.seats))


def _reserved_seats(world: World, election: ScheduledElection) -> int:
    """Share reserved seats among associations and trade unions by Hare on members."""
    seats = election.system.reserved_seats
    organisations = [
        o
        for o in getattr(world.organisations, "records", [])
        if o.dissolved is None and o.kind in ("association", "trade_union")
    ]
    nominees: list[Nominee] = []
    if organisations and sum(o.members for o in organisations) > 0:
        allocation = allocate_seats([float(o.members) for o in organisations], seats, "hare")
        for org, won in zip(organisations, allocation.seats, strict=True):
            nominees += [
                Nominee(
                    0,
                    f"{org.name}:{k + 1}",
                    int(org.id),
                    str(org.name),
                    -1,
                    int(getattr(org, "zhuz", -1)),
                    (0.0, 0.0),
                    False,
                    "organisation",
                )
                for k in range(won)
            ]
    else:
        nominees = [
            Nominee(
                0,
                f"public-organisations:{k + 1}",
                -1,
                "public organisations",
                -1,
                -1,
                (0.0, 0.0),
                False,
                "organisation",
            )
            for k in range(seats)
        ]
    count = _Count(
        nominees,
        ("public-organisations",),
        np.zeros(len(nominees)),
        np.ones(len(nominees), bool),
        {},
        0.0,
        0.0,
    )
    world.election_results.append(_rows(world, election, 1, count, ("public-organisations",)))
    return len(nominees)


def _hold_presidential(
    world: World, called: CalledElection, rng: np.random.Generator, date: Month
) -> list[Event]:
    election = called.election
    system = election.system
    params = world.scenario.elections_behaviour
    voters = world.voters
    events: list[Event] = []
    # Counting areas: one per oblast, cut into polling units; the race is national.
    districting = draw_districts(
        voters.weight,
        voters.urban,
        voters.oblast_bounds,
        np.ones(voters.n_oblasts, np.int64),
        world.oblasts,
        params.polling_unit_people,
    )
    names = ("national",)
    nominees = nominate_national(world, params, rng)
    if system.formula == "referendum":
        # A plebiscite on the incumbent (e.g. a term extension): yes/no on one name.
        nominees, refused = nominees[:1], []
        registered = nominees
    else:
        registered, refused = registration_filter(nominees, params, rng, system.max_candidates)
    events += _refusal_events(election, refused, names, date)
    if len(registered) == 1 and (
        system.single_candidate == "for_against" or system.formula == "referendum"
    ):
        registered = _with_against(registered, 0, "", params)
    national = np.zeros(len(voters), dtype=np.int16)
    ballot = _ballot(world, districting, national)
    unit_race = np.zeros(districting.n_units, dtype=np.int64)
    area_names = tuple(world.oblasts[o] for o in districting.district_oblast)
    count, registered_n, ballots_n = _run_round(
        world, election, 1, ballot, districting, {0: registered}, 1, names, unit_race, rng
    )
    count.unit_rows["district"] = [area_names[d] for d in districting.unit_district]
    validity = system.turnout_validity if system.turnout_validity > 0 else None
    votes = {n.name: float(count.votes[k]) for k, n in enumerate(registered)}
    rounds = 1
    void = False
    winner: str | None = None
    if registered[-1].nominated_by == "ballot":
        decision = referendum(
            votes[registered[0].name],
            votes[AGAINST],
            _electorate(registered_n[0], votes),
            turnout_quorum=validity,
            approval="majority_of_ballots",
        )
        winner = registered[0].name if decision.outcome == "approved" else None
        void = winner is None
    else:
        result = presidential_two_round(
            votes,
            _electorate(registered_n[0], votes),
            turnout_validity=validity,
            majority=system.majority,
            runoff=system.runoff,
            rng=rng,
        )
        events += _tie_events(election, "national", result.ties, date)
        winner = result.winner
        void = result.outcome == "repeat"
        if result.outcome == "runoff":
            rounds = 2
            slate = [n for n in registered if n.name in result.runoff_candidates]
            second, registered_2, ballots_2 = _run_round(
                world, election, 2, ballot, districting, {0: slate}, 1, names, unit_race, rng
            )
            second.unit_rows["district"] = [area_names[d] for d in districting.unit_district]
            runoff_votes = {n.name: float(second.votes[k]) for k, n in enumerate(slate)}
            final = decide_runoff(
                result,
                runoff_votes,
                _electorate(registered_2[0], runoff_votes),
                turnout_validity=system.runoff_turnout_validity,
                rng=rng,
            )
            events += _tie_events(election, "national", final.ties[len(result.ties) :], date)
            winner = final.winner
            void = final.outcome == "repeat"
            if winner is not None:
                second.elected[[n.name for n in slate].index(winner)] = True
                events.append(
                    RunoffHeld(
                        date=date,
                        actors=(f"election:{election.name}",),
                        election=election.name,
                        district="national",
                        candidates=tuple(runoff_votes),
                        winner=winner,
                        turnout=float(ballots_2[0] / registered_2[0]),
                    )
                )
            winner_first = None
        else:
            winner_first = winner
        if rounds == 1 and winner_first is not None:
            count.elected[[n.name for n in registered].index(winner_first)] = True
    if rounds == 1 and registered[-1].nominated_by == "ballot" and winner is not None:
        count.elected[0] = True
    if system.formula == "referendum":
        world.referendum_outcomes.append((election.name, winner is not None))
        void = False  # a failed plebiscite is an answer, not a void race
    elif winner is not None:
        world.presidential_outcomes.append((election.name, winner == "incumbent"))
    world.election_results.append(_rows(world, election, 1, count, names))
    world.election_units.append(count.unit_rows)
    if rounds == 2:
        world.election_results.append(_rows(world, election, 2, second, names))
        world.election_units.append(second.unit_rows)
    if void:
        events += _queue_repeat(
            world, called, ["national"], "turnout below the validity rule or no majority", date
        )
    events.append(
        ElectionHeld(
            date=date,
            actors=(f"election:{election.name}", f"body:{election.body}"),
            election=election.name,
            body=election.body,
            formula=system.formula,
            rounds=rounds,
            turnout=float(ballots_n[0] / registered_n[0]) if registered_n[0] > 0 else 0.0,
            seats=1,
            seats_filled=int(winner is not None),
            candidates=len(nominees),
        )
    )
    return events


# --- tables ---------------------------------------------------------------------------------


def results_table(world: World | None) -> pa.Table:
    """``results.parquet``: every counted round of every election (empty table if none)."""
    parts = [] if world is None else world.election_results
    return _concat(parts, RESULT_SCHEMA)


def units_table(world: World | None) -> pa.Table:
    """``units.parquet``: polling-unit tallies, for the turnout/vote-share fingerprint."""
    parts = [] if world is None else world.election_units
    return _concat(parts, UNIT_SCHEMA)


def _concat(parts: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    tables = [
        pa.table(
            {
                f.name: pa.array(
                    np.asarray(p[f.name]) if f.type != pa.string() else list(p[f.name]), f.type
                )
                for f in schema
            },
            schema=schema,
        )
        for p in parts
        if p
    ]
    if not tables:
        return schema.empty_table()
    return pa.concat_tables(tables)
