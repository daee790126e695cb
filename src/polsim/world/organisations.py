"""The organisation table: every movement, party and association a run has known.

Organisations are few (tens to a few hundred over a run), so each is one mutable
record, kept in id order; an id is the record's index and is never reused, so a
dissolved organisation stays in the table with its dates and lineage (docs/model.md §2.2).

Per-voter state that belongs to the party system (which organisation each voter backs
this month, and the misery each has accumulated) is held here as NumPy columns, so
that :mod:`polsim.world.voters` stays the society's. The party mechanisms that change
the table live in :mod:`polsim.parties`; the ethnic-base bit mask of a record is read
and written with :mod:`polsim.parties.organisations`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from polsim.engine.calendar import Month
from polsim.world.voters import MAX_ORGANISATIONS, ORGANISATION_CODE

__all__ = ["KINDS", "NO_LEADER", "RULES", "Organisation", "Organisations"]

#: Kinds of organisation (as in the scenario schema).
KINDS: tuple[str, ...] = ("movement", "party", "association", "trade_union", "bloc")
#: Laver's (2005) adaptation rules, plus the Explorer of Laver & Sergenti (2011).
RULES: tuple[str, ...] = ("sticker", "aggregator", "hunter", "predator", "explorer")
#: Leader code of an organisation whose leader left the pool.
NO_LEADER = -1


@dataclass(slots=True, eq=False)
class Organisation:
    """One organisation (docs/model.md §2.2).

    ``members`` is the weight (people) of the voters who back it at the last count;
    ``share`` is that weight over the electorate; ``fitness`` is f of Laver & Sergenti
    (2011). ``experience`` (months) is its coalition-building experience, from which
    skill = 1 − exp(−experience/λ). ``pinned`` organisations are historical ones that
    the mechanisms neither dissolve nor merge (``history: pinned``).
    """

    id: int
    name: str
    kind: str
    founded: Month
    leader: int
    position: np.ndarray  # float64 (2,)
    ethnic_base: int  # bit mask over ethnic group codes
    zhuz: int  # the leader's zhuz code (the clan term), or -1
    rule: str
    parents: tuple[int, ...] = ()
    origin: str = "birth"  # history | birth | spawn | split | merger
    historical_id: str = ""
    leader_name: str = ""
    source: str = ""
    uncertain: bool = False
    pinned: bool = False
    dissolved: Month | None = None
    dissolution: str = ""  # failed | merged | succeeded | history
    successor: int = -1
    members: float = 0.0
    share: float = 0.0
    previous_share: float = 0.0
    peak_share: float = 0.0
    fitness: float = 0.0
    resources: float = 0.0
    experience: float = 0.0
    registered: bool = False
    registered_on: Month | None = None
    coopted: bool = False
    coopted_on: Month | None = None
    refused_on: Month | None = None
    refusals: int = 0
    months_below: int = 0
    heading: float = 0.0  # radians, for Hunter and Explorer
    last_move: np.ndarray = field(default_factory=lambda: np.zeros(2))
    centroid: np.ndarray = field(default_factory=lambda: np.full(2, np.nan))
    spread: float = 0.0  # RMS distance of supporters from their centroid
    ethnic_support: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def alive(self) -> bool:
        """Whether it has not been dissolved."""
        return self.dissolved is None

    def age(self, date: Month) -> int:
        """Months from founding to ``date`` (or to its dissolution)."""
        end = date if self.dissolved is None else self.dissolved
        return int(end - self.founded)

    def homogeneity(self) -> float:
        """Share of its supporters who belong to their modal ethnic group (0 if none)."""
        total = float(self.ethnic_support.sum()) if len(self.ethnic_support) else 0.0
        return float(self.ethnic_support.max() / total) if total > 0 else 0.0


class Organisations:
    """The organisation table and the party system's per-voter columns.

    Parameters
    ----------
    n_voters
        Voters in the world (the length of :attr:`choice` and :attr:`misery`).

    Attributes
    ----------
    records : list[Organisation]
        Every organisation ever founded; ``records[i].id == i``.
    choice : int16 (n_voters,)
        The organisation each voter backs this month, or -1 (the type of
        :data:`~polsim.world.voters.ORGANISATION_CODE`).
    misery : float32 (n_voters,)
        Accumulated misery M_i ← γ_m·M_i + d_i² (d_i: distance to the nearest one).
    mean_misery : float
        This month's weighted mean of d² (Laver & Schilperoord's voter misery).
    """

    def __init__(self, n_voters: int = 0) -> None:
        self.records: list[Organisation] = []
        self.choice = np.full(n_voters, -1, dtype=ORGANISATION_CODE)
        self.misery = np.zeros(n_voters, dtype=np.float32)
        self.mean_misery = 0.0

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Organisation]:
        return iter(self.records)

    def __getitem__(self, org_id: int) -> Organisation:
        return self.records[org_id]

    def alive(self) -> list[Organisation]:
        """The organisations not dissolved, in id order."""
        return [o for o in self.records if o.dissolved is None]

    def by_historical_id(self, historical_id: str) -> Organisation | None:
        """The organisation entered from the scenario under this id, if any."""
        for org in self.records:
            if org.historical_id == historical_id:
                return org
        return None

    def add(self, **fields_: object) -> Organisation:
        """Append a new organisation; its id is the next index."""
        if len(self.records) >= MAX_ORGANISATIONS:
            raise RuntimeError(
                f"a run may found at most {MAX_ORGANISATIONS} organisations (the voters' "
                "organisation codes are int16); lower the founding rates of the scenario"
            )
        org = Organisation(id=len(self.records), **fields_)  # type: ignore[arg-type]
        self.records.append(org)
        return org
