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
   presidential race in up to two rounds, party-list PR nationally or by oblast
   (:func:`_hold_list_pr`), the block vote (:func:`_hold_block`), the list tier of an
   MMP house (:func:`_mmp_list_tier`) and a house elected from the state list alone
   (:func:`_hold_state_list`); void races call a repeat election
   ``repeat_after_months`` later (at most ``max_repeats`` times);
5. appends one dict of columns per round to ``world.election_results`` and
   ``world.election_units`` (see :func:`results_table`, :func:`units_table`); a party
   list is one row per race with its seats in the ``seats`` column.

Reserved seats (the 1990 Supreme Soviet's 90 seats of public organisations) are not
voted on: they are shared among the living associations and trade unions (kinds
``association``, ``trade_union``) by Hare largest remainder on their members, or, when
the world has none, filled by deputies of unnamed public organisations (org -1).

Random draws come from the mechanism's stream in a fixed order: per election,
nomination, registration, each round's votes, fraud, and lots.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from polsim.elections.allocation import (
    AllocationError,
    Tie,
    allocate_seats,
    block_vote,
    passes_threshold,
    plurality,
    state_list,
)
from polsim.elections.candidates import (
    Nominee,
    RowsColumn,
    ballot_attachment,
    ballot_attachment_rows,
    candidate_table,
    nominate_districts,
    nominate_national,
    nominate_state_list,
    regime_vehicle,
    registration_filter,
)
from polsim.elections.districts import Districting, apportion_district_seats, draw_districts
from polsim.elections.fraud import FRAUD_KINDS, StuffedCount, stuff_ballots
from polsim.elections.systems import (
    decide_runoff,
    mmp,
    presidential_two_round,
    referendum,
    two_round_majority,
)
from polsim.elections.voting import (
    Ballot,
    CandidateTable,
    approval_totals,
    cast_ballots,
    choice_probabilities,
)
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
from polsim.parties.organisations import base_groups
from polsim.scenario.schema import ZHUZES, ScheduledElection
from polsim.society.grievance import grievance_of, perceived_legitimacy_table
from polsim.society.hardship import hardship_of
from polsim.world.polity import World

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "RESULT_COLUMNS",
    "UNIT_COLUMNS",
    "CalledElection",
    "hold_elections",
    "results_table",
    "units_table",
]

#: Columns of ``results.parquet`` (name, Arrow type): one row per election × round ×
#: district × candidate (a list, for list votes). ``seats`` is the seats a row won: 0 or 1
#: for a person, the list's seats in the district for a party list; ``elected`` is
#: ``seats > 0``. As an Arrow schema: ``RESULT_SCHEMA``.
RESULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("election", "string"),
    ("date", "string"),
    ("body", "string"),
    ("round", "int16"),
    ("district", "string"),
    ("candidate", "string"),
    ("org", "int32"),
    ("org_name", "string"),
    ("ethnicity", "string"),
    ("zhuz", "string"),
    ("votes", "float64"),
    ("elected", "bool_"),
    ("seats", "int16"),
)

#: Columns of ``units.parquet``: one row per election × round × polling unit
#: (``UNIT_SCHEMA``).
UNIT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("election", "string"),
    ("round", "int16"),
    ("district", "string"),
    ("unit", "int32"),
    ("registered", "float64"),
    ("ballots", "float64"),
    ("endorsed_votes", "float64"),
    ("stuffed", "float64"),
    ("fraud", "string"),
)


def __getattr__(name: str) -> Any:
    """``RESULT_SCHEMA`` and ``UNIT_SCHEMA``, made when first asked for: pyarrow (tens of
    MB) is imported only when tables are written, not in every run."""
    columns = {"RESULT_SCHEMA": RESULT_COLUMNS, "UNIT_SCHEMA": UNIT_COLUMNS}.get(name)
    if columns is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _schema(columns)


def _schema(columns: tuple[tuple[str, str], ...]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in columns])


#: Name of the "against" line of a for/against ballot.
AGAINST = "against"
SMD_FORMULAS = ("plurality", "two_round", "parallel", "mmp")


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
    seats: np.ndarray | None = None  # per nominee; None: 1 where elected


def _hold(
    world: World, called: CalledElection, rng: np.random.Generator, date: Month
) -> list[Event]:
    election = called.election
    system = election.system
    if system.formula in SMD_FORMULAS:
        return _hold_legislative(world, called, rng, date)
    if system.formula in ("presidential", "referendum"):
        return _hold_presidential(world, called, rng, date)
    if system.formula == "list_pr":
        return _hold_list_pr(world, called, rng, date)
    if system.formula == "block":
        return _hold_block(world, called, rng, date)
    if system.formula == "state_list":
        return _hold_state_list(world, called, rng, date)
    simulated = (*SMD_FORMULAS, "list_pr", "block", "state_list", "presidential", "referendum")
    raise ScenarioError(
        f"election {election.name!r}: formula {system.formula!r} cannot be simulated yet; "
        f"use one of {', '.join(simulated)}"
    )


def _ballot(world: World, districting: Districting, district: np.ndarray | None = None) -> Ballot:
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
    has_endorsed = endorsed_local >= 0
    endorsed_votes = np.zeros(len(unit_race))
    endorsed_votes[has_endorsed] = stuffed.pair_votes[
        count.pair_start[:-1][has_endorsed] + endorsed_local[has_endorsed]
    ]
    return _tally(
        election,
        round_number,
        nominees,
        race_names,
        votes,
        voted,
        unit_race,
        in_round,
        unit_registered,
        stuffed,
        endorsed_votes,
        n_races,
    )


def _tally(
    election: ScheduledElection,
    round_number: int,
    nominees: list[Nominee],
    race_names: tuple[str, ...],
    votes: np.ndarray,
    voted: np.ndarray | None,
    unit_race: np.ndarray,
    in_round: np.ndarray,
    unit_registered: np.ndarray,
    stuffed: StuffedCount,
    endorsed_votes: np.ndarray,
    n_races: int,
) -> tuple[_Count, np.ndarray, np.ndarray]:
    """A round's count: race totals, the polling-unit rows and the candidates' votes."""
    race_registered = np.bincount(
        unit_race[in_round], weights=unit_registered[in_round], minlength=n_races
    )
    race_ballots = np.bincount(unit_race, weights=stuffed.ballots, minlength=n_races)
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
    count = _Count(
        nominees,
        race_names,
        votes,
        np.zeros(len(nominees), bool),
        unit_rows,
        float(race_registered.sum()),
        float(race_ballots.sum()),
        voted,
    )
    return count, race_registered, race_ballots


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
    rows: dict[str, list[Any]] = {name: [] for name, _ in RESULT_COLUMNS}
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
        rows["seats"].append(
            int(count.seats[k]) if count.seats is not None else int(bool(count.elected[k]))
        )
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
        if _district_rule(system) == "plurality":
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
        if system.formula == "mmp":
            winners = [n for n, e in zip(first.nominees, first.elected, strict=True) if e]
            if runoff_slates:
                winners += [n for n, e in zip(second.nominees, second.elected, strict=True) if e]
            filled += _mmp_list_tier(
                world, election, ballot, districting, first.voted, winners, rng, date, events
            )
        if system.formula == "parallel" and system.list_seats > 0:
            filled += _state_list(world, election, ballot, first.voted, rng, date, events)
            n_candidates += system.list_candidates
        if system.reserved_seats > 0:
            filled += _reserved_seats(world, election)
    turnout = first.ballots / first.registered if first.registered > 0 else 0.0
    events.append(
        _held(
            election,
            date,
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
    """Fill reserved seats: the ruling party's, if the president has one; else shared among
    associations and trade unions by Hare on members."""
    seats = election.system.reserved_seats
    organisations = [
        o
        for o in getattr(world.organisations, "records", [])
        if o.dissolved is None and o.kind in ("association", "trade_union")
    ]
    nominees: list[Nominee] = []
    presidency = getattr(world, "presidency", None)
    ruling = presidency.party if presidency is not None else -1
    records = getattr(world.organisations, "records", [])
    if 0 <= ruling < len(records) and records[ruling].dissolved is None:
        # Under a ruling party, the public organisations' seats are its members'.
        party = records[ruling]
        nominees = [
            Nominee(
                0,
                f"public-organisations:{k + 1}",
                int(party.id),
                str(party.name),
                -1,
                -1,
                (0.0, 0.0),
                True,
                "organisation",
            )
            for k in range(seats)
        ]
    elif organisations and sum(o.members for o in organisations) > 0:
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
        _held(
            election,
            date,
            rounds=rounds,
            turnout=float(ballots_n[0] / registered_n[0]) if registered_n[0] > 0 else 0.0,
            seats=1,
            seats_filled=int(winner is not None),
            candidates=len(nominees),
        )
    )
    return events


# --- list PR, block vote, the MMP list tier, the state list ------------------------------

#: Name of the list of the regime's own (labour-collective) nominees in a list vote.
REGIME_LIST = "regime-list"
#: District label of the list tier of a mixed-member proportional election.
LIST_TIER = "list"
#: Voters processed at once by the NumPy top-k draw (rows × slate width floats).
_TOP_CHUNK = 65_536


def _district_rule(system: Any) -> str:
    """How a single-member district is decided: formulas 'plurality' and 'two_round' name
    it; 'parallel' and 'mmp' take ``district_formula`` (the schema's description)."""
    if system.formula in ("plurality", "two_round"):
        return str(system.formula)
    return str(system.district_formula)


def _regime_party(world: World) -> int:
    """The president's party (organisation id), or -1."""
    presidency = getattr(world, "presidency", None)
    return int(getattr(presidency, "party", -1)) if presidency is not None else -1


def _multi_member_geography(
    world: World, system: Any, params: Any
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
    voters = world.voters
    by_oblast = system.list_districts == "oblast"
    if system.formula == "block" and not by_oblast:
        k = int(system.district_magnitude)
        districting = draw_districts(
            voters.weight,
            voters.urban,
            voters.oblast_bounds,
            system.seats // k,
            world.oblasts,
            params.polling_unit_people,
        )
        seats = np.full(districting.n_districts, k, np.int64)
        return (
            districting,
            districting.district,
            districting.names,
            districting.unit_district,
            seats,
        )
    districting = draw_districts(
        voters.weight,
        voters.urban,
        voters.oblast_bounds,
        np.ones(voters.n_oblasts, np.int64),
        world.oblasts,
        params.polling_unit_people,
    )
    if by_oblast:
        seats = apportion_district_seats(districting.district_weight, int(system.seats))
        return districting, districting.district, world.oblasts, districting.unit_district, seats
    race = np.zeros(len(voters), dtype=np.int16)
    unit_race = np.zeros(districting.n_units, dtype=np.int64)
    return districting, race, ("national",), unit_race, np.array([int(system.seats)])


def _held_races(election: ScheduledElection, names: tuple[str, ...]) -> np.ndarray:
    if election.districts is None:
        return np.arange(len(names))
    unknown = sorted(set(election.districts) - set(names))
    if unknown:
        raise ScenarioError(f"election {election.name!r} names unknown districts {unknown}")
    return np.array(sorted(names.index(d) for d in election.districts), dtype=np.int64)


def _nominate_lists(
    world: World,
    race: np.ndarray,
    names: tuple[str, ...],
    held: np.ndarray,
    params: Any,
    rng: np.random.Generator,
) -> list[Nominee]:
    """Party lists, race by race, by the nomination rules of single-member districts.

    Following :func:`~polsim.elections.candidates.nominate_districts` (MODEL.md §4: "parties
    nominate where they have support"): every living *registered* organisation (an
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


def _party_key(n: Nominee) -> int | str:
    """A list's party across races: its organisation, or its name (the regime's own list)."""
    return n.org if n.org >= 0 else n.name


def _slates(
    registered: list[Nominee],
    held: np.ndarray,
    names: tuple[str, ...],
    system: Any,
    params: Any,
    against_label: bool,
) -> tuple[dict[int, list[Nominee]], list[str]]:
    """Registered nominees by race; empty races (and lone ones under 'forbid') are void,
    a lone list or candidate faces an 'against' line."""
    slates: dict[int, list[Nominee]] = {int(r): [] for r in held}
    for n in registered:
        slates[n.district].append(n)
    void: list[str] = []
    for r in list(slates):
        if not slates[r] or (len(slates[r]) == 1 and system.single_candidate == "forbid"):
            void.append(names[r])
            del slates[r]
        elif len(slates[r]) == 1:
            slates[r] = _with_against(slates[r], r, names[r] if against_label else "", params)
    return slates, void


def _area_labels(count: _Count, districting: Districting, world: World) -> None:
    """Label the unit rows of a national race by the oblast each unit lies in."""
    area = districting.district_oblast[districting.unit_district]
    count.unit_rows["district"] = [world.oblasts[area[u]] for u in count.unit_rows["unit"]]


def _hold_list_pr(
    world: World, called: CalledElection, rng: np.random.Generator, date: Month
) -> list[Event]:
    """A party-list PR election (formula ``list_pr``; MODEL.md §4).

    One race nationwide, or one per oblast (``list_districts``), with seats apportioned by
    population. Lists are nominated by :func:`_nominate_lists` and pass the registration
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
    election = called.election
    system = election.system
    params = world.scenario.elections_behaviour
    districting, race, names, unit_race, seats = _multi_member_geography(world, system, params)
    held = _held_races(election, names)
    nominees = _nominate_lists(world, race, names, held, params, rng)
    registered, refused = registration_filter(nominees, params, rng, system.max_candidates)
    events: list[Event] = _refusal_events(election, refused, names, date)
    by_oblast = system.list_districts == "oblast"
    slates, void = _slates(registered, held, names, system, params, by_oblast)
    filled = 0
    turnout = 0.0
    if slates:
        ballot = _ballot(world, districting, race)
        count, registered_r, ballots_r = _run_round(
            world, election, 1, ballot, districting, slates, len(names), names, unit_race, rng
        )
        if not by_oblast:
            _area_labels(count, districting, world)
        count.seats = np.zeros(len(count.nominees), np.int64)
        totals: dict[int | str, float] = {}
        for n, v in zip(count.nominees, count.votes, strict=True):
            if n.nominated_by != "ballot":
                totals[_party_key(n)] = totals.get(_party_key(n), 0.0) + float(v)
        flags = passes_threshold(totals, system.threshold) if totals else ()
        passing = {p for p, ok in zip(totals, flags, strict=True) if ok}
        validity = system.turnout_validity if system.turnout_validity > 0 else None
        offset = 0
        for r in sorted(slates):
            slate = slates[r]
            start, offset = offset, offset + len(slate)
            votes = {n.name: float(count.votes[start + j]) for j, n in enumerate(slate)}
            electorate = _electorate(registered_r[r], votes)
            if slate[-1].nominated_by == "ballot":
                decision = referendum(
                    votes[slate[0].name],
                    votes[slate[-1].name],
                    electorate,
                    turnout_quorum=validity,
                    approval="majority_of_ballots",
                )
                if decision.outcome == "approved":
                    count.seats[start] = seats[r]
                else:
                    void.append(names[r])
                continue
            eligible = {n.name: votes[n.name] if _party_key(n) in passing else 0.0 for n in slate}
            low = validity is not None and ballots_r[r] < validity * electorate
            if low or not any(v > 0 for v in eligible.values()):
                void.append(names[r])
                continue
            allocation = allocate_seats(eligible, int(seats[r]), system.method, 0.0, rng=rng)
            count.seats[start:offset] = allocation.seats
            events += _tie_events(election, names[r], allocation.ties, date)
        filled, turnout = _record_seats(world, election, count, names)
    return events + _close_race(
        world,
        called,
        void,
        names,
        "turnout below the validity rule, no list, or no list above the threshold",
        date,
        turnout=turnout,
        seats=int(seats[held].sum()),
        filled=filled,
        candidates=len(registered),
    )


def _top_choices(
    ballot: Ballot,
    table: CandidateTable,
    unit_race: np.ndarray,
    voted: np.ndarray,
    picks: np.ndarray,
    params: Any,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Votes per (unit, candidate of its race) when each voter picks ``picks[race]`` names.

    Each voter who votes ranks the race's candidates by ``U_ic + ε_ic`` (the utility of
    :mod:`polsim.elections.voting`, ε i.i.d. Gumbel) and votes for the top
    ``min(k, n)``: the exploded (rank-ordered) logit of Beggs, Cardell and Hausman (1981),
    in which the first pick has the logit's probabilities and each next pick the logit's
    over the candidates left, so "the k highest-utility candidates" and "k sequential
    logit choices without repetition" are the same ballot. The draw adds a Gumbel variate
    to ``log P_ic`` (Gumbel-max; with k = 1 the multinomial logit itself). Returns the
    pair tallies and ``pair_start`` as in :class:`~polsim.elections.voting.RoundCount`.

    References
    ----------
    Beggs, S., Cardell, S. and Hausman, J. (1981). Assessing the potential demand for
    electric cars. *Journal of Econometrics* 17(1), 1-19.
    """
    slate = table.counts[unit_race]
    pair_start = np.concatenate(([0], np.cumsum(slate))).astype(np.int64)
    pair_votes = np.zeros(int(pair_start[-1]))
    gumbel = np.random.Generator(np.random.PCG64(rng.integers(0, 2**63)))
    width = max(int(table.counts.max(initial=0)), 1)
    chunk = min(int(params.chunk_voters), _TOP_CHUNK)
    n = len(ballot)
    for lo in range(0, n, chunk):
        rows = slice(lo, min(lo + chunk, n))
        p, _first = choice_probabilities(ballot, rows, table, params)
        noise = gumbel.gumbel(size=p.shape)
        with np.errstate(divide="ignore"):
            key = np.log(p) + noise
        order = np.argsort(-key, axis=1, kind="stable")
        district = ballot.district[rows].astype(np.int64)
        k = np.minimum(picks[district], table.counts[district])
        take = (np.arange(width)[None, :] < k[:, None]) & voted[rows][:, None]
        voter, column = np.nonzero(take)
        index = pair_start[ballot.unit[rows][voter]] + order[voter, column]
        pair_votes += np.bincount(
            index,
            weights=ballot.weight[rows][voter].astype(np.float64),
            minlength=len(pair_votes),
        )
    return pair_votes, pair_start


def _count_slate_round(
    world: World,
    election: ScheduledElection,
    round_number: int,
    ballot: Ballot,
    districting: Districting,
    slates: dict[int, list[Nominee]],
    race_names: tuple[str, ...],
    unit_race: np.ndarray,
    voted: np.ndarray,
    picks: np.ndarray,
    rng: np.random.Generator,
) -> tuple[_Count, np.ndarray, np.ndarray]:
    """Count a round where a ballot names up to ``picks[race]`` candidates (block vote, the
    MMP list ballot), among the voters ``voted``, with ballot stuffing for the endorsed.

    Stuffing follows :func:`~polsim.elections.fraud.stuff_ballots` (its draws of kind and
    ``x`` per unit), generalised to an endorsed *slate* of ``n_e`` candidates: each stuffed
    ballot marks the whole slate (every endorsed candidate gains ``x·(R_u − B_u)``) and the
    share ``x^α`` of each other candidate's votes moved is split equally over the slate.
    With one endorsed candidate this is Klimek et al.'s rule exactly. A unit's
    ``endorsed_votes`` is the vote of the slate's leading member (at most the ballots).
    """
    params = world.scenario.elections_behaviour
    n_races = len(race_names)
    nominees = [n for d in sorted(slates) for n in slates[d]]
    table = candidate_table(nominees, n_races)
    pair_votes, pair_start = _top_choices(ballot, table, unit_race, voted, picks, params, rng)
    n_units = len(unit_race)
    ballots = np.bincount(
        ballot.unit[voted], weights=ballot.weight[voted].astype(np.float64), minlength=n_units
    )
    slate = np.diff(pair_start)
    unit_of_pair = np.repeat(np.arange(n_units), slate)
    local = np.arange(len(pair_votes)) - pair_start[:-1][unit_of_pair]
    global_candidate = table.start[unit_race[unit_of_pair]] + local
    endorsed_pair = table.endorsed[global_candidate] if len(nominees) else np.zeros(0, bool)
    n_endorsed = np.bincount(unit_of_pair, weights=endorsed_pair, minlength=n_units)
    first_endorsed = np.full(n_units, -1, np.int64)
    flagged = np.flatnonzero(endorsed_pair)
    first_endorsed[unit_of_pair[flagged[::-1]]] = local[flagged[::-1]]
    registered = districting.unit_weight
    stuffed = stuff_ballots(
        registered,
        ballots,
        pair_votes,
        pair_start,
        first_endorsed,
        rng,
        params.fraud_incremental,
        params.fraud_extreme,
        params.fraud_theta,
        params.fraud_alpha,
    )
    hit = stuffed.kind[unit_of_pair] > 0
    moved = np.where(
        ~endorsed_pair & hit, pair_votes * stuffed.x[unit_of_pair] ** params.fraud_alpha, 0.0
    )
    moved_to_slate = np.bincount(unit_of_pair, weights=moved, minlength=n_units) / np.maximum(
        n_endorsed, 1.0
    )
    after = (
        pair_votes
        - moved
        + np.where(endorsed_pair, (stuffed.added + moved_to_slate)[unit_of_pair], 0.0)
    )
    votes = np.bincount(global_candidate, weights=after, minlength=len(nominees))
    in_round = table.counts[unit_race] > 0
    endorsed_votes = np.zeros(n_units)
    np.maximum.at(endorsed_votes, unit_of_pair[flagged], after[flagged])
    return _tally(
        election,
        round_number,
        nominees,
        race_names,
        votes,
        voted,
        unit_race,
        in_round,
        registered,
        stuffed,
        endorsed_votes,
        n_races,
    )


def _hold_block(
    world: World, called: CalledElection, rng: np.random.Generator, date: Month
) -> list[Event]:
    """A block vote (formula ``block``; MODEL.md §4).

    Districts of ``k = district_magnitude`` seats drawn like single-member ones (or each
    oblast one district, ``list_districts: oblast``, seats apportioned by population).
    Candidates are nominated as in single-member districts
    (:func:`~polsim.elections.candidates.nominate_districts`), except that an organisation
    and the regime's labour collectives put up a full slate of ``k`` (an endorsed slate
    is endorsed whole); self-nominated candidates stand alone. Turnout is that of
    :func:`~polsim.elections.voting.cast_ballots`; each voter who votes names the ``k``
    candidates of highest ``U + ε`` (:func:`_top_choices`), and the count of the endorsed
    slate is stuffed (:func:`_count_slate_round`). The ``k`` most-voted win
    (:func:`~polsim.elections.allocation.block_vote`, ties by lot). A district below
    ``turnout_validity`` or without candidates is void and repeated; when fewer
    candidates than seats have votes, the seats left stay vacant. Departure: every voter
    uses all ``k`` votes (no plumping) and there is no majority requirement.
    """
    election = called.election
    system = election.system
    params = world.scenario.elections_behaviour
    districting, race, names, unit_race, seats = _multi_member_geography(world, system, params)
    held = _held_races(election, names)
    nominees = nominate_districts(world, race, names, params, rng, held)
    expanded: list[Nominee] = []
    for n in nominees:
        m = int(seats[n.district])
        if n.nominated_by in ("organisation", "labour_collective") and m > 1:
            expanded += [replace(n, name=f"{n.name}:{j + 1}") for j in range(m)]
        else:
            expanded.append(n)
    registered, refused = registration_filter(expanded, params, rng, system.max_candidates)
    events: list[Event] = _refusal_events(election, refused, names, date)
    slates: dict[int, list[Nominee]] = {int(r): [] for r in held}
    for n in registered:
        slates[n.district].append(n)
    void = [names[r] for r in list(slates) if not slates[r]]
    slates = {r: s for r, s in slates.items() if s}
    filled = 0
    turnout = 0.0
    if slates:
        ballot = _ballot(world, districting, race)
        table = candidate_table([n for r in sorted(slates) for n in slates[r]], len(names))
        _single, voted = cast_ballots(ballot, table, unit_race, params, rng)
        count, registered_r, ballots_r = _count_slate_round(
            world, election, 1, ballot, districting, slates, names, unit_race, voted, seats, rng
        )
        count.seats = np.zeros(len(count.nominees), np.int64)
        validity = system.turnout_validity
        offset = 0
        for r in sorted(slates):
            slate = slates[r]
            start, offset = offset, offset + len(slate)
            votes = {n.name: float(count.votes[start + j]) for j, n in enumerate(slate)}
            standing = sum(v > 0 for v in votes.values())
            if standing == 0 or ballots_r[r] < validity * registered_r[r]:
                void.append(names[r])
                continue
            allocation = block_vote(votes, min(int(seats[r]), standing), rng)
            count.seats[start:offset] = allocation.seats
            events += _tie_events(election, names[r], allocation.ties, date)
        filled, turnout = _record_seats(world, election, count, names)
    return events + _close_race(
        world,
        called,
        void,
        names,
        "turnout below the validity rule or no candidate",
        date,
        turnout=turnout,
        seats=int(seats[held].sum()),
        filled=filled,
        candidates=len(registered),
    )


def _mmp_list_tier(
    world: World,
    election: ScheduledElection,
    ballot: Ballot,
    districting: Districting,
    voted: np.ndarray,
    winners: list[Nominee],
    rng: np.random.Generator,
    date: Month,
    events: list[Event],
) -> int:
    """The list tier of a mixed-member proportional house (formula ``mmp``); seats filled.

    The voters who voted in the district tier cast a second, list ballot: national lists
    (:func:`_nominate_lists`, through the registration filter), chosen by the same logit
    (:func:`_top_choices` with one pick) and stuffed for the endorsed list per unit
    (:func:`_count_slate_round`). The house of ``district_seats + list_seats`` is then
    allocated by :func:`~polsim.elections.systems.mmp` with the ``method``, ``threshold``,
    ``district_exemption`` and ``overhang`` option of the system: a district winner counts
    for the list of its organisation, a labour-collective winner for :data:`REGIME_LIST`,
    any other winner as an independent. Rows: one per list, district ``"list"``, with its
    list (compensatory) seats; unit rows of the list ballot have district ``"list"``.
    Departure: districts left void (repeated later) are neither compensated nor counted,
    and a list tier below ``turnout_validity``, without a list, or with no list above the
    threshold leaves the list seats vacant (repeat elections re-hold districts only).
    """
    system = election.system
    params = world.scenario.elections_behaviour
    names = (LIST_TIER,)
    national = np.zeros(len(ballot), dtype=np.int16)
    nominees = _nominate_lists(world, national, names, np.array([0]), params, rng)
    registered, refused = registration_filter(nominees, params, rng, system.max_candidates)
    events += _refusal_events(election, refused, names, date)
    if not registered:
        return 0
    list_ballot = replace(ballot, district=national)
    unit_race = np.zeros(districting.n_units, dtype=np.int64)
    count, _registered, _ballots = _count_slate_round(
        world,
        election,
        1,
        list_ballot,
        districting,
        {0: registered},
        names,
        unit_race,
        voted,
        np.ones(1, np.int64),
        rng,
    )
    list_name = {n.org: n.name for n in registered if n.org >= 0}
    district_party: dict[str, int] = {}
    for w in winners:
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
                rng=rng,
            )
        except AllocationError:  # no list with votes above the threshold
            result = None
    if result is not None:
        count.seats[:] = [result.list_seats.get(n.name, 0) for n in registered]
        events += _tie_events(election, LIST_TIER, result.ties, date)
    count.elected = count.seats > 0
    world.election_results.append(_rows(world, election, 1, count, names))
    world.election_units.append(count.unit_rows)
    return int(count.seats.sum())


def _hold_state_list(
    world: World, called: CalledElection, rng: np.random.Generator, date: Month
) -> list[Event]:
    """A house filled from the head of state's list alone (formula ``state_list``).

    The head of state nominates ``list_candidates`` (:func:`~polsim.elections.candidates.
    nominate_state_list`); turnout is drawn as in any election
    (:func:`~polsim.elections.voting.cast_ballots`, counting areas by oblast), the voters
    approve nominees by :func:`~polsim.elections.voting.approval_totals`, and the ``seats``
    most approved win by plurality-at-large
    (:func:`~polsim.elections.allocation.state_list`; Kazakhstan's 1994 list, MODEL.md §5,
    as a whole house). Turnout below ``turnout_validity`` voids the election (a repeat is
    called). Departure, as for the state list of a parallel system: approvals are
    expectations, so no ballot is stuffed and no unit rows are written.
    """
    election = called.election
    system = election.system
    params = world.scenario.elections_behaviour
    districting, race, _names, unit_race, _seats = _multi_member_geography(
        world, system.model_copy(update={"list_districts": "national"}), params
    )
    nominees = nominate_state_list(world, system.list_candidates, params, rng)
    national = [replace(n, district=0) for n in nominees]
    ballot = _ballot(world, districting, race)
    turnout_count, voted = cast_ballots(
        ballot, candidate_table(national[:1], 1), unit_race, params, rng
    )
    registered = float(districting.unit_weight.sum())
    turnout = float(turnout_count.ballots.sum()) / registered if registered > 0 else 0.0
    approvals = approval_totals(ballot, candidate_table(national, 1), voted, params)
    void = turnout < system.turnout_validity
    seats = np.zeros(len(national), np.int64)
    events: list[Event] = []
    if not void:
        allocation = state_list(
            {n.name: float(a) for n, a in zip(national, approvals, strict=True)},
            system.seats,
            rng,
        )
        seats[:] = allocation.seats
        events += _tie_events(election, "state-list", allocation.ties, date)
    count = _Count(national, ("state-list",), approvals, seats > 0, {}, registered, 0.0)
    count.seats = seats
    world.election_results.append(_rows(world, election, 1, count, ("state-list",)))
    if void:
        events += _queue_repeat(
            world, called, ["state-list"], "turnout below the validity rule", date
        )
    events.append(
        _held(
            election,
            date,
            rounds=1,
            turnout=turnout,
            seats=system.seats,
            seats_filled=int(seats.sum()),
            candidates=len(national),
        )
    )
    return events


def _record_seats(
    world: World, election: ScheduledElection, count: _Count, names: tuple[str, ...]
) -> tuple[int, float]:
    """Record a one-round multi-member count; return the seats filled and the turnout."""
    count.elected = count.seats > 0
    world.election_results.append(_rows(world, election, 1, count, names))
    world.election_units.append(count.unit_rows)
    turnout = count.ballots / count.registered if count.registered > 0 else 0.0
    return int(count.seats.sum()), float(turnout)


def _close_race(
    world: World,
    called: CalledElection,
    void: list[str],
    names: tuple[str, ...],
    reason: str,
    date: Month,
    *,
    turnout: float,
    seats: int,
    filled: int,
    candidates: int,
) -> list[Event]:
    """Queue the repeat of the void races (in district order) and say the election was held."""
    events = _queue_repeat(world, called, sorted(void, key=names.index), reason, date)
    events.append(
        _held(
            called.election,
            date,
            rounds=1,
            turnout=turnout,
            seats=seats,
            seats_filled=filled,
            candidates=candidates,
        )
    )
    return events


def _held(
    election: ScheduledElection,
    date: Month,
    *,
    rounds: int,
    turnout: float,
    seats: int,
    seats_filled: int,
    candidates: int,
) -> ElectionHeld:
    """The ``ElectionHeld`` event of one election."""
    return ElectionHeld(
        date=date,
        actors=(f"election:{election.name}", f"body:{election.body}"),
        election=election.name,
        body=election.body,
        formula=election.system.formula,
        rounds=rounds,
        turnout=float(turnout),
        seats=int(seats),
        seats_filled=int(seats_filled),
        candidates=int(candidates),
    )


# --- tables ---------------------------------------------------------------------------------


def results_table(world: World | None) -> pa.Table:
    """``results.parquet``: every counted round of every election (empty table if none)."""
    parts = [] if world is None else world.election_results
    return _concat(parts, _schema(RESULT_COLUMNS))


def units_table(world: World | None) -> pa.Table:
    """``units.parquet``: polling-unit tallies, for the turnout/vote-share fingerprint."""
    parts = [] if world is None else world.election_units
    return _concat(parts, _schema(UNIT_COLUMNS))


def _concat(parts: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    import pyarrow as pa

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
