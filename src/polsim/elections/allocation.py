"""Seat formulas: how vote counts become seats.

Every function here is a pure function of vote counts. Two design rules run through it:

* **Exact arithmetic.** Votes are turned into :class:`fractions.Fraction` (an ``int`` stays an
  integer; a ``float`` becomes its exact binary value), so quotients, quotas and remainders
  are compared exactly. Whether ``a / d_a`` equals ``b / d_b`` is decided as exactly as
  ``a * d_b == b * d_a`` on integers; no tie is ever found or missed through float rounding.
* **Ties are broken by lot and reported.** When several parties (or candidates) have exactly
  the same claim to fewer seats than there are claimants, the seats go to winners drawn by lot
  from the caller's :class:`numpy.random.Generator`. Without one, the lot is drawn from a
  generator seeded by a hash of the inputs, so the same election always gives the same
  result. Either way the tie is returned as a :class:`Tie`, so a simulation can log it.

List formulas (``method`` names; aliases in brackets):

========================= ============================================================
``"dhondt"``              highest averages, divisors 1, 2, 3, ... ["d'hondt", "jefferson"]
``"sainte-lague"``        highest averages, divisors 1, 3, 5, ... ["webster",
                          "sainte-laguë", "saintelague"]
``"modified-sainte-lague"`` highest averages, divisors 1.4, 3, 5, ...
                          ["modified-saintelague"]
``"hare"``                largest remainder, quota V/S ["hamilton", "hare-niemeyer",
                          "largest-remainder"]
``"droop"``               largest remainder, quota floor(V/(S+1)) + 1
``"exact-droop"``         largest remainder, quota V/(S+1) (the Hagenbach-Bischoff quota)
                          ["hagenbach-bischoff-quota"]
========================= ============================================================

Method names are read case-insensitively, with ``_`` or spaces standing for ``-``.

Candidate formulas: :func:`plurality` (one seat), :func:`block_vote` and :func:`state_list`
(the ``k`` candidates with most votes or approvals win one seat each).
"""

from __future__ import annotations

import hashlib
import math
import numbers
import operator
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from heapq import heapify, heappop, heappush
from typing import Any, overload

import numpy as np

from polsim.errors import UserInputError

__all__ = [
    "METHODS",
    "METHOD_ALIASES",
    "Allocation",
    "AllocationError",
    "Tie",
    "allocate",
    "allocate_seats",
    "block_vote",
    "canonical_method",
    "levelled_house_size",
    "passes_threshold",
    "plurality",
    "state_list",
]

#: Canonical names of the list formulas, divisor methods first.
METHODS: tuple[str, ...] = (
    "dhondt",
    "sainte-lague",
    "modified-sainte-lague",
    "hare",
    "droop",
    "exact-droop",
)

#: Other names accepted for the list formulas, mapped to their canonical name.
METHOD_ALIASES: dict[str, str] = {
    "d'hondt": "dhondt",
    "jefferson": "dhondt",
    "webster": "sainte-lague",
    "sainte-laguë": "sainte-lague",
    "saintelague": "sainte-lague",
    "modified-saintelague": "modified-sainte-lague",
    "modified-sainte-laguë": "modified-sainte-lague",
    "hamilton": "hare",
    "hare-niemeyer": "hare",
    "largest-remainder": "hare",
    "hagenbach-bischoff-quota": "exact-droop",
}

_DIVISOR_METHODS = frozenset({"dhondt", "sainte-lague", "modified-sainte-lague"})
# Sweden's and Norway's first divisor; kept exact so 1.4 is 7/5, not a binary fraction.
_MODIFIED_FIRST_DIVISOR = Fraction(7, 5)


class AllocationError(UserInputError):
    """Votes, seats or rules that no seat formula can turn into an allocation."""


@dataclass(frozen=True)
class Tie:
    """A tie broken by lot.

    Attributes
    ----------
    contenders : tuple
        Everyone with exactly the same claim at the cut: indices into the input for a
        sequence of votes, keys for a mapping of votes.
    seats_at_stake : int
        How many seats the contenders share; always fewer than ``len(contenders)``.
    winners : tuple
        The contenders who got those seats by lot, in input order.
    stage : str
        Which rule produced the tie: ``"highest-average"``, ``"largest-remainder"``,
        ``"overallocation"`` (winners keep their quota seat), ``"plurality"``,
        ``"block-vote"``, ``"state-list"``, or, from :mod:`polsim.elections.systems`,
        ``"runoff-qualification"``, ``"first-round"`` and ``"runoff"``.
    """

    contenders: tuple[Hashable, ...]
    seats_at_stake: int
    winners: tuple[Hashable, ...]
    stage: str


@dataclass(frozen=True)
class Allocation:
    """Seats won by each party, and the ties that were broken by lot to decide them.

    Attributes
    ----------
    seats : tuple of int
        Seats per party, in the order of the input votes.
    ties : tuple of Tie
        Ties broken by lot; empty when no lot was needed.
    """

    seats: tuple[int, ...]
    ties: tuple[Tie, ...] = ()


def canonical_method(method: str) -> str:
    """Return the canonical name of a list formula, resolving aliases.

    Parameters
    ----------
    method : str
        A name from :data:`METHODS` or :data:`METHOD_ALIASES`, in any case, with ``_`` or
        spaces allowed in place of ``-``.

    Returns
    -------
    str
        One of :data:`METHODS`.

    Raises
    ------
    AllocationError
        If the name is unknown; the message lists the known names.

    Examples
    --------
    >>> canonical_method("Webster")
    'sainte-lague'
    >>> canonical_method("modified_sainte_lague")
    'modified-sainte-lague'
    """
    if not isinstance(method, str):
        raise AllocationError(f"method must be a string naming a seat formula; got {method!r}")
    key = method.strip().lower().replace("_", "-").replace(" ", "-")
    key = METHOD_ALIASES.get(key, key)
    if key not in METHODS:
        aliases = ", ".join(f"{alias} ({name})" for alias, name in METHOD_ALIASES.items())
        raise AllocationError(
            f"unknown seat allocation method {method!r}; known methods: {', '.join(METHODS)}; "
            f"aliases: {aliases}"
        )
    return key


def allocate_seats(
    votes: Sequence[float] | Mapping[Hashable, float],
    seats: int,
    method: str = "dhondt",
    threshold: float = 0.0,
    exempt: Iterable[Hashable] = (),
    rng: np.random.Generator | None = None,
) -> Allocation:
    r"""Allocate ``seats`` among party lists by a proportional formula.

    A party takes part in the allocation when it has votes and either reaches the legal
    threshold, :math:`v_i \ge t \cdot V` with :math:`V = \sum_j v_j` the total valid vote of
    *all* parties given (reaching the threshold exactly is enough), or is exempt from it.
    Only the votes of the parties taking part count in the formulas below.

    **Highest averages** (D'Hondt 1882; Sainte-Laguë 1910). Seats are handed out one at a
    time; each goes to the party with the largest quotient :math:`v_i / d(s_i)`, where
    :math:`s_i` is the number of seats the party already holds and

    * D'Hondt: :math:`d(s) = s + 1`;
    * Sainte-Laguë (Webster): :math:`d(s) = 2s + 1`;
    * modified Sainte-Laguë: :math:`d(0) = 1.4`, :math:`d(s) = 2s + 1` for :math:`s \ge 1`.

    Equivalently, the :math:`S` largest quotients over all parties and divisors win. When the
    :math:`S`-th and the :math:`(S+1)`-th largest quotients are equal, the seats at that
    quotient go to winners drawn by lot among the parties whose next quotient equals it.

    **Largest remainder** (Hare 1859; Droop 1881). With the quota :math:`q`, each party first
    gets :math:`\lfloor v_i / q \rfloor` seats; the seats left over go, one each, to the
    parties with the largest remainders :math:`v_i - q\lfloor v_i / q \rfloor` (ties at the
    cut by lot).

    * Hare: :math:`q = V/S`.
    * Droop: :math:`q = \lfloor V/(S+1) \rfloor + 1`, the quota as Droop (1881) framed
      it: the smallest whole number of votes that no more than :math:`S` lists can each
      reach. This variant is the default because it is the one election laws usually
      write down (e.g. Irish counts) and because it never over-allocates: since
      :math:`q > V/(S+1)`, :math:`\sum_i \lfloor v_i/q \rfloor \le V/q < S + 1`. It
      assumes votes are whole ballots: with fractional weights far below one ballot the
      ``+ 1`` dominates; use ``"exact-droop"`` for shares.
    * Exact Droop (the Hagenbach-Bischoff quota): :math:`q = V/(S+1)`. It can hand out
      :math:`S + 1` seats, exactly when every :math:`v_i / q` is a whole number. The usual
      remedy takes the surplus seat back from the party with the smallest remainder; all
      remainders are zero in that case, so the party that gives it back is drawn by lot
      among those holding a seat, and reported as an ``"overallocation"`` tie whose
      winners keep their seat.

    Departure for degenerate input: when more seats are left over than there are parties
    (only possible with the Droop quota when there are fewer votes than seats), every party
    gets one seat per full round before the remainders decide the rest.

    Parameters
    ----------
    votes : sequence of float or mapping of name to float
        Valid votes per party list, non-negative and finite.
    seats : int
        Seats to fill, a non-negative integer.
    method : str, default "dhondt"
        A name from :data:`METHODS` or an alias (see the module docstring).
    threshold : float, default 0.0
        Legal threshold :math:`t` as a share in ``[0, 1)`` of the total valid vote. A float
        is read as the decimal it prints as, so ``0.05`` means exactly 1/20.
    exempt : iterable, default ()
        Parties exempt from the threshold (e.g. those that won a district): indices for a
        sequence of votes, keys for a mapping. A party with no votes still wins nothing.
    rng : numpy.random.Generator, optional
        Generator for lots. If None, lots come from a generator seeded by a hash of the
        inputs, so the result is reproducible.

    Returns
    -------
    Allocation
        Seats in input order and the ties broken by lot.

    Raises
    ------
    AllocationError
        For negative, NaN or infinite votes, a negative or non-integer number of seats, an
        unknown method, a threshold outside ``[0, 1)``, unknown exempt parties, or seats to
        fill when no party has votes or reaches the threshold.

    Examples
    --------
    Two parties tie for the last seat under D'Hondt (100/2 = 50 = 50/1):

    >>> result = allocate_seats([100, 50], 2)
    >>> sum(result.seats), len(result.ties)
    (2, 1)
    >>> result.ties[0].contenders, result.ties[0].seats_at_stake
    ((0, 1), 1)

    C, with 3%, misses a 5% threshold and wins nothing:

    >>> allocate_seats({"A": 600, "B": 370, "C": 30}, 20, "hare", 0.05).seats
    (12, 8, 0)

    Exempt, C takes part: the Hare quota is 1000/20 = 50, the floors 12/7/0 leave one seat,
    and C's remainder of 30 beats B's 20 and A's 0:

    >>> allocate_seats({"A": 600, "B": 370, "C": 30}, 20, "hare", 0.05, exempt=["C"]).seats
    (12, 7, 1)

    References
    ----------
    .. [1] V. d'Hondt, *Système pratique et raisonné de représentation proportionnelle*,
       Brussels: Muquardt, 1882.
    .. [2] A. Sainte-Laguë, "La représentation proportionnelle et la méthode des moindres
       carrés", *Annales scientifiques de l'École Normale Supérieure* 27 (1910), 529-542.
    .. [3] T. Hare, *A Treatise on the Election of Representatives*, London, 1859.
    .. [4] H. R. Droop, "On methods of electing representatives", *Journal of the
       Statistical Society of London* 44(2) (1881), 141-202.
    .. [5] F. Pukelsheim, *Proportional Representation: Apportionment Methods and Their
       Applications*, 2nd ed., Springer, 2017.
    """
    labels, counts = _labelled_votes(votes)
    seat_count = _check_seats(seats)
    canonical = canonical_method(method)
    share = _check_threshold(threshold)
    exempt_index = _exempt_indices(exempt, labels, isinstance(votes, Mapping))
    lot = _Lot(rng, lambda: _seed_material(canonical, counts, seat_count, share, exempt_index))
    won, ties = _allocate_lists(counts, seat_count, canonical, share, exempt_index, lot)
    return Allocation(tuple(won), tuple(_label_tie(tie, labels) for tie in ties))


@overload
def allocate(
    votes: Mapping[Hashable, float],
    seats: int,
    method: str = ...,
    threshold: float = ...,
    exempt: Iterable[Hashable] = ...,
) -> dict[Hashable, int]: ...


@overload
def allocate(
    votes: Sequence[float],
    seats: int,
    method: str = ...,
    threshold: float = ...,
    exempt: Iterable[Hashable] = ...,
) -> list[int]: ...


def allocate(
    votes: Sequence[float] | Mapping[Hashable, float],
    seats: int,
    method: str = "dhondt",
    threshold: float = 0.0,
    exempt: Iterable[Hashable] = (),
) -> list[int] | dict[Hashable, int]:
    """Allocate seats among party lists; the everyday form of :func:`allocate_seats`.

    Ties are broken by a lot seeded from the inputs (reproducible) and not returned; use
    :func:`allocate_seats` to see them. The rules and formulas are those of
    :func:`allocate_seats`.

    Parameters
    ----------
    votes : sequence of float or mapping of name to float
        Valid votes per party list.
    seats : int
        Seats to fill.
    method : str, default "dhondt"
        Seat formula, see :data:`METHODS` and :data:`METHOD_ALIASES`.
    threshold : float, default 0.0
        Legal threshold as a share in ``[0, 1)`` of the total valid vote.
    exempt : iterable, default ()
        Parties exempt from the threshold: indices for a sequence, names for a mapping.

    Returns
    -------
    list of int or dict
        A list in input order for a sequence; a dict in the same key order for a mapping.

    Examples
    --------
    >>> allocate({"A": 53_000, "B": 24_000, "C": 23_000}, 7)
    {'A': 4, 'B': 2, 'C': 1}
    >>> allocate([53_000, 24_000, 23_000], 7, method="sainte-lague")
    [3, 2, 2]
    >>> allocate([45_000, 30_000, 4_000], 10, method="hare", threshold=0.07)
    [6, 4, 0]

    References
    ----------
    .. [1] F. Pukelsheim, *Proportional Representation: Apportionment Methods and Their
       Applications*, 2nd ed., Springer, 2017.
    """
    result = allocate_seats(votes, seats, method, threshold, exempt)
    if isinstance(votes, Mapping):
        return dict(zip(votes.keys(), result.seats, strict=True))
    return list(result.seats)


def passes_threshold(
    votes: Sequence[float] | Mapping[Hashable, float],
    threshold: float = 0.0,
    exempt: Iterable[Hashable] = (),
) -> tuple[bool, ...]:
    r"""Say which lists take part in a list allocation.

    A list takes part when it has votes, :math:`v_i > 0`, and reaches the legal threshold,
    :math:`v_i \ge t \sum_j v_j`, or is exempt from it. This is the screen that
    :func:`allocate_seats` applies before any formula.

    Parameters
    ----------
    votes : sequence of float or mapping of name to float
        Valid votes per list.
    threshold : float, default 0.0
        Legal threshold as a share in ``[0, 1)`` of the total valid vote.
    exempt : iterable, default ()
        Lists exempt from the threshold: indices for a sequence, keys for a mapping.

    Returns
    -------
    tuple of bool
        One flag per list, in input order.

    Examples
    --------
    Exactly 5% is enough; 4.9% is not, unless exempt:

    >>> passes_threshold({"A": 901, "B": 50, "C": 49}, 0.05)
    (True, True, False)
    >>> passes_threshold({"A": 901, "B": 50, "C": 49}, 0.05, exempt=["C"])
    (True, True, True)

    References
    ----------
    .. [1] A. Lijphart, *Electoral Systems and Party Systems*, Oxford University Press,
       1994.
    """
    labels, counts = _labelled_votes(votes)
    share = _check_threshold(threshold)
    exempt_index = _exempt_indices(exempt, labels, isinstance(votes, Mapping))
    taking_part = set(_eligible(counts, share, exempt_index))
    return tuple(i in taking_part for i in range(len(counts)))


def levelled_house_size(
    votes: Sequence[float] | Mapping[Hashable, float],
    minimum_seats: Sequence[int] | Mapping[Hashable, int],
    method: str = "dhondt",
    start: int = 0,
) -> int:
    r"""Smallest house size, from ``start`` up, that gives every list its minimum seats.

    This is the enlargement of the German 2013 levelling rule: the house grows until
    every party's proportional share covers its district seats. All lists given take
    part (apply the threshold first) and each needs votes.

    For a divisor method the size is computed exactly. List :math:`i` reaches
    :math:`m_i` seats once its :math:`m_i`-th quotient :math:`v_i/d(m_i - 1)` is seated.
    With :math:`\lambda^* = \min_{i: m_i > 0} v_i/d(m_i - 1)`, the answer is the number of
    quotients :math:`v_i/d(s) \ge \lambda^*` over all lists (or ``start`` if larger, or
    ``start`` if its allocation already satisfies every minimum). At that size every
    quotient at :math:`\lambda^*` is seated, so no lot can take a minimum seat away.
    Largest remainder methods are not house-monotone (the Alabama paradox), so sizes are
    tried upward from ``start`` and the first that satisfies every minimum is returned.

    Parameters
    ----------
    votes : sequence of float or mapping of name to float
        Votes of the lists taking part; all positive.
    minimum_seats : sequence of int or mapping of name to int
        Seats :math:`m_i` each list must receive, aligned with ``votes`` (a mapping may
        leave lists out, meaning zero; it may not name lists absent from ``votes``).
    method : str, default "dhondt"
        Seat formula.
    start : int, default 0
        The nominal house size; the answer is never smaller.

    Returns
    -------
    int
        The house size.

    Examples
    --------
    A has 30% of the vote but 4 district seats. Under D'Hondt its fourth quotient is
    300/4 = 75, and 13 quotients are at or above 75 (A: 300, 150, 100, 75; B: 400, 200,
    133.3, 100, 80; C: as A), so a 10-seat house grows to 13:

    >>> levelled_house_size({"A": 300, "B": 400, "C": 300}, {"A": 4}, "dhondt", start=10)
    13

    References
    ----------
    .. [1] F. Pukelsheim, *Proportional Representation: Apportionment Methods and Their
       Applications*, 2nd ed., Springer, 2017.
    """
    labels, counts = _labelled_votes(votes)
    canonical = canonical_method(method)
    size = _check_seats(start)
    minimum = _minimum_seats(minimum_seats, labels, isinstance(votes, Mapping))
    for label, count in zip(labels, counts, strict=True):
        if count == 0:
            raise AllocationError(
                f"every list in a levelled house needs votes; got 0 for {label!r}"
            )
    every = range(len(counts))
    nobody = frozenset[int]()

    def covered(house: int) -> bool:
        # Seeded as allocate_seats(votes, house, method) is, so both draw the same lots.
        lot = _Lot(None, lambda: _seed_material(canonical, counts, house, Fraction(0), nobody))
        won, _ = _allocate_lists(counts, house, canonical, Fraction(0), nobody, lot)
        return all(w >= m for w, m in zip(won, minimum, strict=True))

    if not any(minimum) or covered(size):
        return size
    if canonical in _DIVISOR_METHODS:
        needed = min(
            counts[i] / _divisor(canonical, minimum[i] - 1) for i in every if minimum[i] > 0
        )
        at_or_above = 0
        for count in counts:
            held = 0
            while count / _divisor(canonical, held) >= needed:
                held += 1
            at_or_above += held
        return max(size, at_or_above)
    while not covered(size):
        size += 1
    return size


def plurality(
    votes: Sequence[float] | Mapping[Hashable, float],
    rng: np.random.Generator | None = None,
) -> Allocation:
    """Elect the one candidate with the most votes (first past the post).

    The winner is :math:`\\arg\\max_i v_i`; a tie for first place is broken by lot.

    Parameters
    ----------
    votes : sequence of float or mapping of name to float
        Votes per candidate; at least one must be positive.
    rng : numpy.random.Generator, optional
        Generator for the lot; if None, seeded from the inputs.

    Returns
    -------
    Allocation
        One seat for the winner, zero for everyone else.

    Examples
    --------
    >>> plurality({"Abenov": 420, "Brown": 380, "Chen": 200}).seats
    (1, 0, 0)

    References
    ----------
    .. [1] A. Reynolds, B. Reilly and A. Ellis, *Electoral System Design: The New
       International IDEA Handbook*, Stockholm: International IDEA, 2005.
    """
    return _top_candidates(votes, 1, rng, "plurality")


def block_vote(
    votes: Sequence[float] | Mapping[Hashable, float],
    seats: int,
    rng: np.random.Generator | None = None,
) -> Allocation:
    """Elect the ``seats`` candidates with the most votes (block vote).

    Each voter may cast up to ``seats`` votes for individual candidates; the ``seats``
    candidates with the largest totals win one seat each. A candidate needs at least one
    vote; ties at the cut are broken by lot.

    Parameters
    ----------
    votes : sequence of float or mapping of name to float
        Votes per candidate.
    seats : int
        Number of seats, at most the number of candidates with votes.
    rng : numpy.random.Generator, optional
        Generator for the lot; if None, seeded from the inputs.

    Returns
    -------
    Allocation
        One seat for each winner, zero for everyone else.

    Examples
    --------
    >>> block_vote([50, 70, 20, 60], 2).seats
    (0, 1, 0, 1)

    References
    ----------
    .. [1] A. Reynolds, B. Reilly and A. Ellis, *Electoral System Design: The New
       International IDEA Handbook*, Stockholm: International IDEA, 2005.
    """
    return _top_candidates(votes, seats, rng, "block-vote")


def state_list(
    approvals: Sequence[float] | Mapping[Hashable, float],
    seats: int,
    rng: np.random.Generator | None = None,
) -> Allocation:
    """Elect ``seats`` candidates from a presidential "state list" by plurality-at-large.

    The head of state nominates a list of candidates, longer than the number of seats
    (in March 1994, Kazakhstan filled 42 seats from the president's list of 65; docs/model.md
    §4.1). Voters vote for (approve of) as many
    candidates on the list as they like; the ``seats`` candidates with the most approvals
    win one seat each, with ties at the cut broken by lot. The count is that of
    :func:`block_vote`; only the ballot differs.

    Parameters
    ----------
    approvals : sequence of float or mapping of name to float
        Votes (approvals) per candidate on the list.
    seats : int
        Seats filled from the list.
    rng : numpy.random.Generator, optional
        Generator for the lot; if None, seeded from the inputs.

    Returns
    -------
    Allocation
        One seat for each elected candidate, zero for the others.

    Examples
    --------
    >>> state_list({"Nominee 1": 900, "Nominee 2": 650, "Nominee 3": 700}, 2).seats
    (1, 0, 1)

    References
    ----------
    .. [1] A. Reynolds, B. Reilly and A. Ellis, *Electoral System Design: The New
       International IDEA Handbook*, Stockholm: International IDEA, 2005 (block vote).
    """
    return _top_candidates(approvals, seats, rng, "state-list")


# --- validation -------------------------------------------------------------------------


def _labelled_votes(
    votes: Sequence[float] | Mapping[Hashable, float],
) -> tuple[list[Hashable], list[Fraction]]:
    """Check votes and return their labels (indices or keys) and exact values."""
    if isinstance(votes, Mapping):
        labels: list[Hashable] = list(votes.keys())
        raw = list(votes.values())
    elif isinstance(votes, str | bytes):
        raise AllocationError(f"votes must be a sequence or mapping of numbers; got {votes!r}")
    else:
        try:
            raw = list(votes)
        except TypeError:
            raise AllocationError(
                f"votes must be a sequence or mapping of numbers; got {votes!r}"
            ) from None
        labels = list(range(len(raw)))
    return labels, [_exact_votes(value, label) for label, value in zip(labels, raw, strict=True)]


def _exact_votes(value: Any, label: Hashable) -> Fraction:
    """Return one party's votes as an exact fraction, or say why they are not votes."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise AllocationError(f"votes must be numbers; got {value!r} for {label!r}")
    if isinstance(value, numbers.Rational):
        exact = Fraction(int(value.numerator), int(value.denominator))
    else:
        as_float = float(value)
        if not math.isfinite(as_float):
            raise AllocationError(f"votes must be finite; got {value!r} for {label!r}")
        exact = Fraction(as_float)
    if exact < 0:
        raise AllocationError(f"votes must be non-negative; got {value!r} for {label!r}")
    return exact


def _check_seats(seats: Any) -> int:
    """Return the number of seats as an int, or say why it is not one."""
    if isinstance(seats, bool):
        raise AllocationError(f"seats must be a non-negative integer; got {seats!r}")
    try:
        count = operator.index(seats)
    except TypeError:
        raise AllocationError(f"seats must be a non-negative integer; got {seats!r}") from None
    if count < 0:
        raise AllocationError(f"seats must be a non-negative integer; got {count}")
    return count


def _check_threshold(threshold: Any) -> Fraction:
    """Return the legal threshold as an exact share in [0, 1)."""
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise AllocationError(
            f"threshold must be a share in [0, 1) of the total valid vote; got {threshold!r}"
        )
    if isinstance(threshold, numbers.Rational):
        share = Fraction(int(threshold.numerator), int(threshold.denominator))
    else:
        as_float = float(threshold)
        if not math.isfinite(as_float):
            raise AllocationError(
                f"threshold must be a share in [0, 1) of the total valid vote; got {threshold!r}"
            )
        # Read the float as the decimal a person typed: 0.05 is 1/20, not 0.05000000000000000277.
        share = Fraction(repr(as_float))
    if not 0 <= share < 1:
        hint = f" (did you mean {float(share) / 100:g}?)" if 1 <= share < 100 else ""
        raise AllocationError(
            f"threshold must be a share in [0, 1) of the total valid vote; got {threshold!r}{hint}"
        )
    return share


def _exempt_indices(
    exempt: Iterable[Hashable], labels: list[Hashable], named: bool
) -> frozenset[int]:
    """Turn exempt party names (or indices) into indices, rejecting unknown ones."""
    if isinstance(exempt, str | bytes):
        raise AllocationError(
            f"exempt must be a collection of parties, not a single string; got {exempt!r} "
            f"(did you mean [{exempt!r}]?)"
        )
    position = {label: index for index, label in enumerate(labels)}
    indices = set()
    for party in exempt:
        if named:
            if party not in position:
                raise AllocationError(
                    f"exempt party {party!r} is not among the parties with votes "
                    f"({', '.join(map(repr, labels))})"
                )
            indices.add(position[party])
        else:
            if isinstance(party, bool) or not isinstance(party, numbers.Integral):
                raise AllocationError(
                    f"exempt parties must be indices into the votes; got {party!r}"
                )
            if not 0 <= int(party) < len(labels):
                raise AllocationError(
                    f"exempt party index {party!r} is out of range for {len(labels)} parties"
                )
            indices.add(int(party))
    return frozenset(indices)


def _minimum_seats(
    minimum: Sequence[int] | Mapping[Hashable, int], labels: list[Hashable], named: bool
) -> list[int]:
    """Minimum seats aligned with the votes, checked to be non-negative integers."""
    if named:
        if not isinstance(minimum, Mapping):
            raise AllocationError("minimum_seats must be a mapping when votes are a mapping")
        unknown = [party for party in minimum if party not in labels]
        if unknown:
            raise AllocationError(
                f"minimum_seats names parties without votes: {', '.join(map(repr, unknown))}"
            )
        raw = [minimum.get(label, 0) for label in labels]
    else:
        raw = list(minimum.values()) if isinstance(minimum, Mapping) else list(minimum)
        if len(raw) != len(labels):
            raise AllocationError(
                f"minimum_seats must have one entry per list; got {len(raw)} for {len(labels)}"
            )
    checked = []
    for label, seats in zip(labels, raw, strict=True):
        if isinstance(seats, bool) or not isinstance(seats, numbers.Integral) or seats < 0:
            raise AllocationError(
                f"minimum seats must be non-negative integers; got {seats!r} for {label!r}"
            )
        checked.append(int(seats))
    return checked


# --- lots -------------------------------------------------------------------------------


class _Lot:
    """Draws lots for ties from the caller's generator, or from one seeded by the inputs."""

    def __init__(self, rng: np.random.Generator | None, seed_material: Callable[[], str]):
        if rng is not None and not isinstance(rng, np.random.Generator):
            raise AllocationError(f"rng must be a numpy.random.Generator or None; got {rng!r}")
        self._rng = rng
        self._seed_material = seed_material

    def draw(self, contenders: list[int], winners: int) -> list[int]:
        """Draw ``winners`` of the ``contenders`` by lot, returned in input order."""
        if self._rng is None:
            # Built only when a tie needs it: hashing every input on every call would cost
            # more than the allocation itself.
            digest = hashlib.sha256(self._seed_material().encode()).digest()
            self._rng = np.random.default_rng(int.from_bytes(digest[:16], "big"))
        picked = self._rng.choice(len(contenders), size=winners, replace=False)
        return [contenders[i] for i in sorted(int(p) for p in picked)]


def _seed_material(
    method: str, votes: list[Fraction], seats: int, threshold: Fraction, exempt: frozenset[int]
) -> str:
    """Spell out every input of an allocation, to seed its lots deterministically."""
    return "|".join(
        [method, str(seats), str(threshold), ",".join(map(str, sorted(exempt)))]
        + [str(v) for v in votes]
    )


def _label_tie(tie: Tie, labels: list[Hashable]) -> Tie:
    """Replace the indices in a tie by the parties' labels."""
    return Tie(
        tuple(labels[i] for i in tie.contenders),  # type: ignore[index]
        tie.seats_at_stake,
        tuple(labels[i] for i in tie.winners),  # type: ignore[index]
        tie.stage,
    )


def _pick_largest(
    keys: dict[int, Fraction], count: int, lot: _Lot, stage: str
) -> tuple[list[int], list[Tie]]:
    """Pick the ``count`` indices with the largest keys; ties at the cut go by lot."""
    if count <= 0:
        return [], []
    if count >= len(keys):
        return sorted(keys), []
    ranked = sorted(keys, key=lambda i: (-keys[i], i))
    cut = keys[ranked[count - 1]]
    above = [i for i in ranked if keys[i] > cut]
    at_cut = sorted(i for i in ranked if keys[i] == cut)
    needed = count - len(above)
    if len(at_cut) == needed:
        return sorted(above + at_cut), []
    winners = lot.draw(at_cut, needed)
    return sorted(above + winners), [Tie(tuple(at_cut), needed, tuple(winners), stage)]


# --- list formulas ----------------------------------------------------------------------


def _allocate_lists(
    votes: list[Fraction],
    seats: int,
    method: str,
    threshold: Fraction,
    exempt: frozenset[int],
    lot: _Lot,
) -> tuple[list[int], list[Tie]]:
    """Apply the threshold and hand the eligible lists to the chosen formula."""
    won = [0] * len(votes)
    if seats == 0:
        return won, []
    total = sum(votes, Fraction(0))
    if total == 0:
        raise AllocationError(
            f"cannot allocate {seats} seats: the total vote is zero, so no party can win a seat"
        )
    eligible = _eligible(votes, threshold, exempt)
    if not eligible:
        raise AllocationError(
            f"cannot allocate {seats} seats: no party with votes reaches the threshold of "
            f"{float(threshold):.4g} of the vote or is exempt from it"
        )
    if method in _DIVISOR_METHODS:
        return _highest_averages(votes, eligible, seats, method, lot)
    return _largest_remainder(votes, eligible, seats, method, lot)


def _eligible(votes: list[Fraction], threshold: Fraction, exempt: frozenset[int]) -> list[int]:
    """Indices of the lists with votes that reach the threshold or are exempt from it."""
    bar = threshold * sum(votes, Fraction(0))
    return [i for i, v in enumerate(votes) if v > 0 and (v >= bar or i in exempt)]


def _divisor(method: str, held: int) -> Fraction | int:
    """Divisor d(s) applied to a party that already holds ``held`` seats."""
    if method == "dhondt":
        return held + 1
    if method == "modified-sainte-lague" and held == 0:
        return _MODIFIED_FIRST_DIVISOR
    return 2 * held + 1


def _highest_averages(
    votes: list[Fraction], eligible: list[int], seats: int, method: str, lot: _Lot
) -> tuple[list[int], list[Tie]]:
    """Divisor method: the ``seats`` largest quotients v_i / d(s) win, lot at the cut."""
    won = [0] * len(votes)
    # Max-heap on the quotient; the index only orders equal quotients inside the heap,
    # the lot below decides who actually gets a tied seat.
    heap = [(-(votes[i] / _divisor(method, 0)), i) for i in eligible]
    heapify(heap)
    winning: list[tuple[Fraction, int]] = []
    for _ in range(seats):
        negative_quotient, party = heappop(heap)
        won[party] += 1
        winning.append((-negative_quotient, party))
        heappush(heap, (-(votes[party] / _divisor(method, won[party])), party))
    cut = winning[-1][0]
    # A party's quotients strictly fall, so each party holds at most one quotient at the cut.
    seated_at_cut = [party for quotient, party in winning if quotient == cut]
    waiting_at_cut = []
    while heap and -heap[0][0] == cut:
        waiting_at_cut.append(heappop(heap)[1])
    if not waiting_at_cut:
        return won, []
    contenders = sorted(seated_at_cut + waiting_at_cut)
    for party in seated_at_cut:
        won[party] -= 1
    winners = lot.draw(contenders, len(seated_at_cut))
    for party in winners:
        won[party] += 1
    return won, [Tie(tuple(contenders), len(seated_at_cut), tuple(winners), "highest-average")]


def _quota(method: str, total: Fraction, seats: int) -> Fraction:
    """The quota q of a largest-remainder method."""
    if method == "hare":
        return total / seats
    if method == "droop":
        return Fraction(math.floor(total / (seats + 1)) + 1)
    return total / (seats + 1)  # exact Droop (Hagenbach-Bischoff)


def _largest_remainder(
    votes: list[Fraction], eligible: list[int], seats: int, method: str, lot: _Lot
) -> tuple[list[int], list[Tie]]:
    """Quota method: floor(v_i / q) seats each, then the largest remainders."""
    won = [0] * len(votes)
    quota = _quota(method, sum((votes[i] for i in eligible), Fraction(0)), seats)
    remainders = {}
    for party in eligible:
        won[party] = math.floor(votes[party] / quota)
        remainders[party] = votes[party] - won[party] * quota
    left = seats - sum(won)
    if left < 0:
        # Only the exact Droop quota gets here, by one seat, with every remainder zero.
        holders = {party: -remainders[party] for party in eligible if won[party] > 0}
        losers, ties = _pick_largest(holders, -left, lot, "overallocation")
        for party in losers:
            won[party] -= 1
        return won, [_keepers_tie(tie) for tie in ties]
    rounds, left = divmod(left, len(eligible))
    for party in eligible:
        won[party] += rounds
    picked, ties = _pick_largest(remainders, left, lot, "largest-remainder")
    for party in picked:
        won[party] += 1
    return won, ties


def _keepers_tie(losers_tie: Tie) -> Tie:
    """Restate a lot over who gives a seat back as a lot over who keeps one."""
    keepers = tuple(p for p in losers_tie.contenders if p not in losers_tie.winners)
    return Tie(losers_tie.contenders, len(keepers), keepers, losers_tie.stage)


# --- candidate formulas -----------------------------------------------------------------


def _top_candidates(
    votes: Sequence[float] | Mapping[Hashable, float],
    seats: int,
    rng: np.random.Generator | None,
    stage: str,
) -> Allocation:
    """The ``seats`` candidates with most votes win one seat each; lot at the cut."""
    labels, counts = _labelled_votes(votes)
    seat_count = _check_seats(seats)
    with_votes = {i: v for i, v in enumerate(counts) if v > 0}
    if seat_count > len(with_votes):
        raise AllocationError(
            f"{stage} needs at least as many candidates with votes as seats; "
            f"got {len(with_votes)} candidates with votes for {seat_count} seats"
        )
    lot = _Lot(rng, lambda: _seed_material(stage, counts, seat_count, Fraction(0), frozenset()))
    winners, ties = _pick_largest(with_votes, seat_count, lot, stage)
    elected = set(winners)
    return Allocation(
        tuple(int(i in elected) for i in range(len(counts))),
        tuple(_label_tie(tie, labels) for tie in ties),
    )
