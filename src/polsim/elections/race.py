"""What a race is: the election held, its context, its rounds' counts and its outcome.

A race family (see :mod:`polsim.elections.registry`) is a function of a
:class:`RaceContext` that returns an :class:`ElectionOutcome`: its events, its rows of
``results.parquet`` and ``units.parquet`` (:mod:`polsim.elections.tables`), the repeat
elections it calls and the verdicts the president reads. What every race does with them
is in :mod:`polsim.elections.rounds`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from polsim.elections.candidates import Nominee
from polsim.elections.districts import Districting
from polsim.elections.tables import result_rows
from polsim.elections.voting import Ballot
from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.scenario.schema import ElectionParameters, ElectoralSystem, ScheduledElection
from polsim.world.polity import World

if TYPE_CHECKING:
    from polsim.world.voters import Voters

__all__ = ["CalledElection", "Count", "ElectionOutcome", "RaceContext", "RoundSetup"]


@dataclass(frozen=True)
class CalledElection:
    """An election on the queue ``world.elections_called``; ``attempt`` counts repeats."""

    election: ScheduledElection
    attempt: int = 0


@dataclass(frozen=True)
class RaceContext:
    """Everything one election reads: the world (voters, organisations, oblasts), the
    election and its attempt, the behaviour parameters, the random stream and the date."""

    world: World
    called: CalledElection
    params: ElectionParameters
    rng: np.random.Generator
    date: Month

    @property
    def election(self) -> ScheduledElection:
        """The election held."""
        return self.called.election

    @property
    def system(self) -> ElectoralSystem:
        """Its electoral system (formula and rules)."""
        return self.called.election.system

    @property
    def voters(self) -> Voters:
        """The world's voters."""
        return self.world.voters

    @property
    def actor(self) -> str:
        """The election as an event actor."""
        return f"election:{self.called.election.name}"


@dataclass
class ElectionOutcome:
    """What an election produced: events, output rows, repeats called and verdicts.

    Iterating over it gives its events, so the mechanism's return value is also its list
    of events; the run's caller hands ``results`` and ``units`` to the recorder.
    """

    events: list[Event] = field(default_factory=list)
    #: Dicts of ``results.parquet`` columns, one per counted round.
    results: list[dict[str, list[Any]]] = field(default_factory=list)
    #: Dicts of ``units.parquet`` columns, one per counted round.
    units: list[dict[str, Any]] = field(default_factory=list)
    #: Repeat elections to put on ``world.elections_called``.
    repeats: list[CalledElection] = field(default_factory=list)
    #: Referendums decided: (question, passed).
    referendums: list[tuple[str, bool]] = field(default_factory=list)
    #: Presidential elections decided: (election, incumbent won).
    presidential: list[tuple[str, bool]] = field(default_factory=list)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    @property
    def rows(self) -> dict[str, list[dict[str, Any]]]:
        """The output rows by table name (``results``, ``units``), for the recorder."""
        return {"results": self.results, "units": self.units}

    def add(self, other: ElectionOutcome) -> None:
        """Append another election's outcome to this one."""
        self.events += other.events
        self.results += other.results
        self.units += other.units
        self.repeats += other.repeats
        self.referendums += other.referendums
        self.presidential += other.presidential

    def record(
        self, race: RaceContext, round_number: int, count: Count, *, units: bool = True
    ) -> None:
        """Keep a counted round's result rows (and, with ``units``, its unit rows)."""
        seats = count.seats if count.seats is not None else count.elected.astype(np.int64)
        self.results.append(
            result_rows(
                race.election,
                race.world.ethnic_groups,
                round_number,
                count.nominees,
                count.votes,
                seats,
                count.names,
            )
        )
        if units:
            self.units.append(count.unit_rows)


@dataclass
class Count:
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

    def slate_votes(self, slate: list[Nominee], start: int) -> dict[str, float]:
        """Votes of the ``slate`` whose first nominee is at ``start``, by name."""
        return {n.name: float(self.votes[start + k]) for k, n in enumerate(slate)}

    @property
    def turnout(self) -> float:
        """Ballots over registered voters (0 with none registered)."""
        return float(self.ballots / self.registered) if self.registered > 0 else 0.0


@dataclass(frozen=True)
class RoundSetup:
    """Where a round is counted: its number, ballot, areas and races."""

    number: int
    ballot: Ballot
    districting: Districting
    race_names: tuple[str, ...]
    unit_race: np.ndarray
