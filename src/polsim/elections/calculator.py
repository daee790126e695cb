"""The seat calculator behind ``polsim seats``: votes in, a seat table out.

:func:`parse_votes` reads the command line's ``A=1200,B=800`` form, :func:`seat_table`
allocates the seats and computes the usual indices, and :func:`render_seat_calculation`
does both and returns either a Rich table or a JSON string. Every user mistake raises
:class:`~polsim.errors.UserInputError` with a one-line message.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.table import Table

from polsim.elections.allocation import (
    Tie,
    allocate_seats,
    canonical_method,
    passes_threshold,
)
from polsim.engine.limits import MAX_PARTIES, MAX_SEATS, MAX_VOTES
from polsim.errors import UserInputError
from polsim.measures.party_system import effective_number_of_parties, gallagher

__all__ = [
    "SeatRow",
    "SeatTable",
    "parse_votes",
    "render_seat_calculation",
    "seat_table",
]

_METHOD_TITLES = {
    "dhondt": "D'Hondt",
    "sainte-lague": "Sainte-Laguë",
    "modified-sainte-lague": "modified Sainte-Laguë",
    "hare": "Hare largest remainder",
    "droop": "Droop largest remainder",
    "exact-droop": "exact Droop (Hagenbach-Bischoff) largest remainder",
}


@dataclass(frozen=True)
class SeatRow:
    """One party's line in a seat table.

    Attributes
    ----------
    party : str
        Party name.
    votes : float
        Votes as given.
    vote_share : float
        Share of the total valid vote.
    passes_threshold : bool
        Whether the party took part in the allocation.
    seats : int
        Seats won.
    seat_share : float
        Share of the seats.
    """

    party: str
    votes: float
    vote_share: float
    passes_threshold: bool
    seats: int
    seat_share: float


@dataclass(frozen=True)
class SeatTable:
    """A whole seat calculation: inputs, one row per party, ties and indices.

    Attributes
    ----------
    method : str
        Canonical method name.
    seats : int
        Seats allocated.
    threshold : float
        Legal threshold as a share of the vote.
    rows : tuple of SeatRow
        One row per party, in input order.
    ties : tuple of Tie
        Ties broken by lot (named by party).
    gallagher : float
        Gallagher least-squares disproportionality, percentage points.
    enp_votes, enp_seats : float
        Laakso-Taagepera effective number of parties by votes and by seats.
    """

    method: str
    seats: int
    threshold: float
    rows: tuple[SeatRow, ...]
    ties: tuple[Tie, ...]
    gallagher: float
    enp_votes: float
    enp_seats: float

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output.

        Returns
        -------
        dict
            Keys ``method``, ``seats``, ``threshold``, ``parties``, ``ties``, ``indices``.

        Examples
        --------
        >>> seat_table({"A": 60, "B": 40}, 5).to_dict()["parties"][0]["seats"]
        3
        """
        return {
            "method": self.method,
            "seats": self.seats,
            "threshold": self.threshold,
            "parties": [
                {
                    "party": row.party,
                    "votes": row.votes,
                    "vote_share": row.vote_share,
                    "passes_threshold": row.passes_threshold,
                    "seats": row.seats,
                    "seat_share": row.seat_share,
                }
                for row in self.rows
            ],
            "ties": [
                {
                    "contenders": list(tie.contenders),
                    "seats_at_stake": tie.seats_at_stake,
                    "winners": list(tie.winners),
                    "stage": tie.stage,
                }
                for tie in self.ties
            ],
            "indices": {
                "gallagher": self.gallagher,
                "enp_votes": self.enp_votes,
                "enp_seats": self.enp_seats,
            },
        }


def parse_votes(votes_text: str) -> dict[str, float]:
    """Read votes written as ``NAME=NUMBER`` pairs separated by commas.

    Whitespace around names and numbers is ignored. Whole numbers stay ``int`` so that
    ties are judged on exact integers.

    Parameters
    ----------
    votes_text : str
        For example ``"Otan=1200, Azat=800"``.

    Returns
    -------
    dict of str to float
        Votes per party, in the order given.

    Raises
    ------
    UserInputError
        On an empty text, an entry without ``=``, an empty name or number, a value that
        is not a number, a negative or non-finite number, or a name given twice.

    Examples
    --------
    >>> parse_votes("A=1200, B = 800.5")
    {'A': 1200, 'B': 800.5}
    """
    if not isinstance(votes_text, str) or not votes_text.strip():
        raise UserInputError("no votes given; expected NAME=NUMBER[,NAME=NUMBER...]")
    votes: dict[str, float] = {}
    entries = votes_text.split(",")
    if len(entries) > MAX_PARTIES:
        raise UserInputError(f"--votes: at most {MAX_PARTIES} parties; got {len(entries)}")
    for entry in entries:
        name, equals, number = (part.strip() for part in entry.partition("="))
        if not entry.strip():
            raise UserInputError(
                f"empty entry in {votes_text!r}; expected NAME=NUMBER[,NAME=NUMBER...]"
            )
        if not equals or not name or not number:
            raise UserInputError(f"malformed vote {entry.strip()!r}; expected NAME=NUMBER")
        value = _parse_number(number, name)
        if name in votes:
            raise UserInputError(f"party {name!r} is given more than once")
        votes[name] = value
    return votes


def seat_table(
    votes: Mapping[str, float],
    seats: int,
    method: str = "dhondt",
    threshold: float = 0.0,
) -> SeatTable:
    """Allocate seats and tabulate them with vote and seat shares and indices.

    The allocation is :func:`~polsim.elections.allocation.allocate_seats` (ties by a lot
    seeded from the inputs, so the same command always prints the same table); the
    indices are :func:`~polsim.measures.gallagher` and
    :func:`~polsim.measures.effective_number_of_parties`.

    Parameters
    ----------
    votes : mapping of str to float
        Votes per party.
    seats : int
        Seats to fill, at least 1.
    method : str, default "dhondt"
        Seat formula or alias.
    threshold : float, default 0.0
        Legal threshold as a share in ``[0, 1)`` of the vote.

    Returns
    -------
    SeatTable

    Examples
    --------
    >>> table = seat_table({"A": 5_000, "B": 3_000, "C": 2_000}, 5)
    >>> [row.seats for row in table.rows]
    [3, 1, 1]

    References
    ----------
    .. [1] M. Gallagher, "Proportionality, disproportionality and electoral systems",
       *Electoral Studies* 10(1) (1991), 33-51.
    """
    canonical = canonical_method(method)
    if isinstance(seats, int) and not isinstance(seats, bool) and seats == 0:
        raise UserInputError("seats must be at least 1; got 0")
    if isinstance(seats, int) and seats > MAX_SEATS:
        raise UserInputError(f"--seats must be at most {MAX_SEATS:,}; got {seats}")
    allocation = allocate_seats(votes, seats, canonical, threshold)
    taking_part = passes_threshold(votes, threshold)
    total_votes = math.fsum(float(v) for v in votes.values())
    total_seats = sum(allocation.seats)
    rows = tuple(
        SeatRow(
            party=str(party),
            votes=value,
            vote_share=float(value) / total_votes,
            passes_threshold=flag,
            seats=won,
            seat_share=won / total_seats,
        )
        for (party, value), flag, won in zip(
            votes.items(), taking_part, allocation.seats, strict=True
        )
    )
    return SeatTable(
        method=canonical,
        seats=total_seats,
        threshold=float(threshold),
        rows=rows,
        ties=allocation.ties,
        gallagher=gallagher(list(votes.values()), list(allocation.seats)),
        enp_votes=effective_number_of_parties(list(votes.values())),
        enp_seats=effective_number_of_parties(list(allocation.seats)),
    )


def render_seat_calculation(
    votes_text: str,
    seats: int,
    method: str = "dhondt",
    threshold: float = 0.0,
    as_json: bool = False,
) -> str | Table:
    """Parse votes, allocate seats and render the result for the ``polsim seats`` command.

    Parameters
    ----------
    votes_text : str
        Votes as ``NAME=NUMBER`` pairs separated by commas (see :func:`parse_votes`).
    seats : int
        Seats to fill, at least 1.
    method : str, default "dhondt"
        Seat formula or alias.
    threshold : float, default 0.0
        Legal threshold as a share in ``[0, 1)`` of the vote.
    as_json : bool, default False
        Return a JSON string (see :meth:`SeatTable.to_dict`) instead of a Rich table.

    Returns
    -------
    str or rich.table.Table
        The JSON text, or a table whose caption gives the indices and any tie.

    Raises
    ------
    UserInputError
        For malformed votes or invalid seats, method or threshold.

    Examples
    --------
    >>> print(render_seat_calculation("A=60,B=40", 5, as_json=True)[:37])
    {
      "method": "dhondt",
      "seats": 5,
    """
    table = seat_table(parse_votes(votes_text), seats, method, threshold)
    if as_json:
        return json.dumps(table.to_dict(), indent=2, ensure_ascii=False)
    return _rich_table(table)


# --- helpers ----------------------------------------------------------------------------


def _parse_number(text: str, name: str) -> float:
    """One vote count: an int if written as one, else a finite non-negative float.

    Decimals are allowed (weighted or transferred votes), up to :data:`MAX_VOTES`.
    """
    if len(text) > 40:  # no exact arithmetic on hundreds of digits
        raise UserInputError(
            f"votes for {name!r} must be at most {MAX_VOTES:,}; got a {len(text)}-character number"
        )
    try:
        value: float = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            raise UserInputError(f"votes for {name!r} must be a number; got {text!r}") from None
    if not math.isfinite(value):
        raise UserInputError(f"votes must be finite; got {text} for {name!r}")
    if value < 0:
        raise UserInputError(f"votes must be non-negative; got {text} for {name!r}")
    if value > MAX_VOTES:
        raise UserInputError(f"votes for {name!r} must be at most {MAX_VOTES:,}; got {text}")
    return value


def _rich_table(table: SeatTable) -> Table:
    """A Rich table of the seat calculation."""
    title = f"{table.seats} seats by {_METHOD_TITLES[table.method]}"
    if table.threshold > 0:
        title += f", threshold {table.threshold:.4g} of the vote"
    caption = [
        f"Gallagher {table.gallagher:.2f} · ENP votes {table.enp_votes:.2f}"
        f" · ENP seats {table.enp_seats:.2f}"
    ]
    for tie in table.ties:
        caption.append(
            f"tie broken by lot among {', '.join(map(str, tie.contenders))} for "
            f"{tie.seats_at_stake} seat(s): {', '.join(map(str, tie.winners))} won"
        )
    rich = Table(title=title, caption="\n".join(caption))
    rich.add_column("Party")
    rich.add_column("Votes", justify="right")
    rich.add_column("Vote %", justify="right")
    rich.add_column("Seats", justify="right")
    rich.add_column("Seat %", justify="right")
    for row in table.rows:
        votes = f"{row.votes:,}" if isinstance(row.votes, int) else f"{row.votes:,.2f}"
        if row.passes_threshold:
            party = row.party
        else:
            party = f"{row.party} ({'no votes' if row.votes == 0 else 'below threshold'})"
        rich.add_row(
            party,
            votes,
            f"{100 * row.vote_share:.2f}",
            str(row.seats),
            f"{100 * row.seat_share:.2f}",
            style=None if row.passes_threshold else "dim",
        )
    return rich
