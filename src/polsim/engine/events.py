"""Typed events and the run's event log.

Everything that happens in a run is an event with a type, a date and its actors. The
log is the ground truth from which reports, tests and users' questions are answered.
Each event type is a frozen dataclass; its fields are the details. Actors are written
as ``"kind:id"`` strings (``"org:12"``, ``"oblast:Karaganda"``, ``"body:supreme-soviet"``)
so that one column can hold any of them.

Events recorded in the same month keep the order in which mechanisms produced them,
numbered by a counter that only grows (``seq``), so the log is deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from polsim.engine.calendar import Month

__all__ = [
    "CandidateRegistrationRefused",
    "Coopted",
    "ElectionHeld",
    "Event",
    "EventLog",
    "InstitutionChanged",
    "MobilisationSubsided",
    "MobilisationWave",
    "PartiesMerged",
    "PartyDissolved",
    "PartyFounded",
    "PartySplit",
    "RegistrationRefused",
    "RepeatElectionCalled",
    "RunEnded",
    "RunStarted",
    "RunoffHeld",
    "TieBroken",
    "event_types",
    "register_event",
]


@dataclass(frozen=True, kw_only=True)
class Event:
    """The base of every event: a date and the actors involved."""

    kind: ClassVar[str] = "Event"
    date: Month
    actors: tuple[str, ...] = ()

    def details(self) -> dict[str, Any]:
        """The event's own fields, without date and actors, as plain JSON values."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("date", "actors"):
                continue
            value = getattr(self, f.name)
            if isinstance(value, Month):
                value = str(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    def describe(self) -> str:
        """One line for a timeline, e.g. ``1993-12 BodyDissolved body:supreme-soviet``."""
        detail = ", ".join(f"{k}={v}" for k, v in self.details().items())
        who = " ".join(self.actors)
        return f"{self.date} {self.kind} {who}" + (f" ({detail})" if detail else "")


_REGISTRY: dict[str, type[Event]] = {}


def event_types() -> dict[str, type[Event]]:
    """Every event type polsim knows, by name."""
    return dict(_REGISTRY)


def register_event(cls: type[Event]) -> type[Event]:
    """Class decorator that names an event type and adds it to the catalogue."""
    if "kind" in {f.name for f in fields(cls)}:
        # A field called `kind` would hide the event's type name on every instance.
        raise TypeError(f"event {cls.__name__} may not have a field named 'kind'")
    cls.kind = cls.__name__
    _REGISTRY[cls.__name__] = cls
    return cls


@register_event
@dataclass(frozen=True, kw_only=True)
class RunStarted(Event):
    """The run began: scenario and seed."""

    scenario: str
    seed: int
    voters: int


@register_event
@dataclass(frozen=True, kw_only=True)
class RunEnded(Event):
    """The run reached its last month."""

    months: int


@register_event
@dataclass(frozen=True, kw_only=True)
class InstitutionChanged(Event):
    """A dated institutional change from the scenario took effect."""

    institution: str
    old: str
    new: str


@register_event
@dataclass(frozen=True, kw_only=True)
class MobilisationWave(Event):
    """An oblast's active share rose past the scenario's protest level."""

    oblast: str
    active_share: float


@register_event
@dataclass(frozen=True, kw_only=True)
class MobilisationSubsided(Event):
    """An oblast's active share fell back below the protest level."""

    oblast: str
    active_share: float


# --- organisations (docs/model.md §2; polsim.parties)


@register_event
@dataclass(frozen=True, kw_only=True)
class PartyFounded(Event):
    """An organisation was founded: by an elite (birth), by a movement's sub-leader
    (spawn), or on its historical date (history)."""

    organisation: int
    name: str
    org_kind: str
    leader: int
    ethnic_base: str
    parents: tuple[int, ...] = ()
    origin: str = "birth"


@register_event
@dataclass(frozen=True, kw_only=True)
class PartySplit(Event):
    """A rival leader left an organisation with one side of its supporters."""

    parent: int
    child: int
    leader: int
    members_moved: float
    members_left: float


@register_event
@dataclass(frozen=True, kw_only=True)
class PartiesMerged(Event):
    """Organisations merged into a new one (their union, with all their members)."""

    parents: tuple[int, ...]
    merged: int
    members: float
    ethnic_base: str


@register_event
@dataclass(frozen=True, kw_only=True)
class PartyDissolved(Event):
    """An organisation ceased: fitness below τ (failed), or on its historical date."""

    organisation: int
    reason: str
    fitness: float


@register_event
@dataclass(frozen=True, kw_only=True)
class Coopted(Event):
    """An organisation's leader accepted the regime's offer of sanction and resources."""

    organisation: int
    leader: int
    resources: float


@register_event
@dataclass(frozen=True, kw_only=True)
class RegistrationRefused(Event):
    """The authorities refused to register an organisation beyond the regime's tolerance."""

    organisation: int
    distance: float


# --- elections (docs/model.md §4; polsim.elections)


@register_event
@dataclass(frozen=True, kw_only=True)
class ElectionHeld(Event):
    """An election (or a repeat of some of its districts) was held and counted."""

    election: str
    body: str
    formula: str
    rounds: int
    turnout: float
    seats: int
    seats_filled: int
    candidates: int


@register_event
@dataclass(frozen=True, kw_only=True)
class RunoffHeld(Event):
    """A second round was held between the leading candidates of a race."""

    election: str
    district: str
    candidates: tuple[str, ...]
    winner: str
    turnout: float


@register_event
@dataclass(frozen=True, kw_only=True)
class RepeatElectionCalled(Event):
    """Races were void (turnout below the validity rule, or no valid candidate)."""

    election: str
    districts: tuple[str, ...]
    reason: str
    held_on: str


@register_event
@dataclass(frozen=True, kw_only=True)
class TieBroken(Event):
    """A tie in a count was broken by lot."""

    election: str
    district: str
    stage: str
    contenders: tuple[str, ...]
    winners: tuple[str, ...]


@register_event
@dataclass(frozen=True, kw_only=True)
class CandidateRegistrationRefused(Event):
    """The electoral commission refused to register a nominee."""

    election: str
    district: str
    candidate: str
    org: int
    reason: str


# --- the state (docs/model.md §3; polsim.state)


@register_event
@dataclass(frozen=True, kw_only=True)
class DeputyResigned(Event):
    """A deputy gave up the mandate."""

    body: str
    level: str
    deputy: int
    legitimacy: float


@register_event
@dataclass(frozen=True, kw_only=True)
class DissolutionVote(Event):
    """A body voted on dissolving itself."""

    body: str
    yes: int
    no: int
    carried: bool


@register_event
@dataclass(frozen=True, kw_only=True)
class BodyDissolved(Event):
    """A legislative body dissolved itself (by vote, or left inquorate)."""

    body: str
    level: str
    resigned: int
    how: str


@register_event
@dataclass(frozen=True, kw_only=True)
class BodyRenewed(Event):
    """A body was re-formed by an election."""

    body: str
    level: str
    election: str


@register_event
@dataclass(frozen=True, kw_only=True)
class ElectionCalled(Event):
    """An election was called, with the month it will be held."""

    election: str
    body: str
    held_on: str
    reason: str


@register_event
@dataclass(frozen=True, kw_only=True)
class CampaignStarted(Event):
    """The president began pressing the legislatures toward new elections."""

    approval: float
    national_legitimacy: float
    reason: str


@register_event
@dataclass(frozen=True, kw_only=True)
class PatronageDistributed(Event):
    """Posts changed hands this month, counted by the recipients' zhuz."""

    posts: int
    by_zhuz: tuple[int, ...]
    non_kazakh: int


@register_event
@dataclass(frozen=True, kw_only=True)
class PresidentialChoice(Event):
    """Facing a due election, the president chose to hold it, hold it early, or seek an
    extension of the term by referendum."""

    choice: str
    risk_of_losing: float
    expected_share: float


@register_event
@dataclass(frozen=True, kw_only=True)
class PowerTransferred(Event):
    """The presidency changed hands."""

    reason: str
    successor: str


@register_event
@dataclass(frozen=True, kw_only=True)
class EliteDefection(Event):
    """A share of the elite pool turned against the president."""

    defected_share: float


@register_event
@dataclass(frozen=True, kw_only=True)
class ViolentEpisode(Event):
    """Violence broke out in an oblast."""

    oblast: str
    tension: float


class EventLog:
    """The ordered record of a run's events."""

    def __init__(self) -> None:
        self._events: list[Event] = []

    def record(self, events: Iterable[Event]) -> None:
        """Append events in the order given."""
        for event in events:
            if not isinstance(event, Event):
                raise TypeError(f"only Event objects can be logged; got {type(event).__name__}")
            self._events.append(event)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)

    def of_kind(self, *kinds: str | type[Event]) -> list[Event]:
        """The events of the given types, in log order."""
        names = {k if isinstance(k, str) else k.kind for k in kinds}
        return [e for e in self._events if e.kind in names]

    def to_columns(self) -> dict[str, list[Any]]:
        """The log as columns: seq, date, type, actors, details (JSON, sorted keys)."""
        return {
            "seq": list(range(len(self._events))),
            "date": [str(e.date) for e in self._events],
            "type": [e.kind for e in self._events],
            "actors": [list(e.actors) for e in self._events],
            "details": [
                json.dumps(e.details(), sort_keys=True, default=_json_default) for e in self._events
            ],
        }


def _json_default(value: Any) -> Any:
    # NumPy scalars reach details when a mechanism forgets to cast; keep them readable.
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"event detail of type {type(value).__name__} is not JSON")
