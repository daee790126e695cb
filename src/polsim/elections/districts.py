"""Electoral geography: single-member districts within oblasts, polling units within districts.

A body's district seats are first apportioned among the oblasts in proportion to their
registered voters (the sum of voter weights): one district each, the rest by the Hare
largest-remainder rule, as Soviet and post-Soviet election laws apportioned
constituencies to regions by population. Each oblast is then cut into that many
districts of near-equal weight, and each district into polling units of roughly
``unit_people`` registered voters.

How a cut is made (no Python loop over voters): voters are stored sorted by oblast. Within
an oblast they are put in a *districting order* — rural voters first, then town dwellers,
each group in stored order (a stable counting sort on ``2·oblast + urban``). The order
stands in for geography, which the synthetic electorate does not have: towns and
countryside fall into separate districts wherever an oblast has several, as real
constituency maps separate them; within the rural or the urban part, voters are in no
geographic order, so a district is a random sample of its part of the oblast.
Departure: real districts also concentrate ethnic groups locally; ours do so only
through the urban/rural split.

The ``k`` districts of an oblast with ``n`` voters are consecutive runs of that order.
With equal weights (what the synthesis produces) voter ``i`` of the oblast goes to
district ``⌊k·i/n⌋``, computed in integers, so district sizes differ by at most one
voter. With unequal weights voter ``i`` goes to ``⌊k·C_i/W⌋``, where ``C_i`` is the
weight before it in the oblast and ``W`` the oblast's weight; every district's weight
is then within one (largest) voter weight of ``W/k``. Polling units split each
district the same way, by count, into ``max(1, round(W_d / unit_people))`` units (never
more units than voters: with few synthetic voters, units stand for more people than
``unit_people``).

Districts and units are recomputed for each election from the voters' columns; they
use no random draw, so a repeat election meets the same districts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from polsim.elections.allocation import allocate_seats
from polsim.errors import UserInputError
from polsim.world.counting import bincount

__all__ = [
    "Districting",
    "apportion_district_seats",
    "district_names",
    "draw_districts",
    "split_runs",
]


@dataclass(frozen=True)
class Districting:
    """Districts and polling units of one election.

    Attributes
    ----------
    district : int16 or int32, one per voter (stored order)
        District code of each voter, 0..n_districts-1.
    unit : int16 or int32, one per voter
        Polling unit code of each voter, 0..n_units-1; unit codes run district by
        district, so a district's units are consecutive.
    seats_by_oblast : int64, (n_oblasts,)
        Districts drawn in each oblast.
    district_oblast : int64, (n_districts,)
        Oblast of each district.
    unit_district : int64, (n_units,)
        District of each unit.
    district_weight, unit_weight : float64
        Registered people per district and per unit.
    names : tuple of str
        District names, ``"<oblast>-<k>"`` with ``k`` counted from 1 within the oblast.
    """

    district: np.ndarray
    unit: np.ndarray
    seats_by_oblast: np.ndarray
    district_oblast: np.ndarray
    unit_district: np.ndarray
    district_weight: np.ndarray
    unit_weight: np.ndarray
    names: tuple[str, ...]

    @property
    def n_districts(self) -> int:
        """Number of districts."""
        return len(self.district_oblast)

    @property
    def n_units(self) -> int:
        """Number of polling units."""
        return len(self.unit_district)

    @property
    def unit_start(self) -> np.ndarray:
        """First unit code of each district, and the number of units at the end."""
        counts = np.bincount(self.unit_district, minlength=self.n_districts)
        return np.concatenate(([0], np.cumsum(counts)))


def apportion_district_seats(oblast_weight: np.ndarray, seats: int) -> np.ndarray:
    """Apportion ``seats`` districts among oblasts: one each, the rest by Hare on weight.

    Every oblast gets one district (Soviet and Kazakh practice: each region returns
    deputies); the remaining ``seats − n_oblasts`` go by Hare largest remainder on the
    oblasts' registered weight.

    Examples
    --------
    One seat each; the fourth by Hare on 450/300/250 (remainders .45/.30/.25).

    >>> apportion_district_seats(np.array([450.0, 300.0, 250.0]), 4).tolist()
    [2, 1, 1]
    """
    weight = np.asarray(oblast_weight, dtype=np.float64)
    if seats < len(weight):
        raise UserInputError(
            f"{seats} district seats cannot give each of the {len(weight)} oblasts a district"
        )
    base = np.ones(len(weight), np.int64)
    rest = int(seats) - len(weight)
    if rest == 0:
        return base
    allocation = allocate_seats([float(w) for w in weight], rest, method="hare")
    return base + np.asarray(allocation.seats, dtype=np.int64)


def split_runs(
    starts: np.ndarray, sizes: np.ndarray, parts: np.ndarray, weight: np.ndarray | None = None
) -> np.ndarray:
    """Cut consecutive runs of items into near-equal consecutive parts.

    Run ``r`` covers items ``starts[r] .. starts[r] + sizes[r] - 1`` and is cut into
    ``parts[r]`` pieces. Returns, for every item of every run (runs concatenated in
    order), the index of its piece within its run. Without ``weight`` (or with equal
    weights) the piece of item ``i`` of a run of ``n`` is ``⌊parts·i/n⌋``, exactly;
    with weights it is ``⌊parts·C_i/W⌋``, ``C_i`` the weight before item ``i``.

    Examples
    --------
    >>> split_runs(np.array([0, 5]), np.array([5, 3]), np.array([2, 3])).tolist()
    [0, 0, 0, 1, 1, 0, 1, 2]
    """
    starts = np.asarray(starts, dtype=np.int64)
    sizes = np.asarray(sizes, dtype=np.int64)
    parts = np.asarray(parts, dtype=np.int64)
    total = int(sizes.sum())
    run = np.repeat(np.arange(len(sizes)), sizes)
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    position = np.arange(total, dtype=np.int64) - offsets[run]
    if weight is None:
        return (parts[run] * position) // np.maximum(sizes[run], 1)
    w = np.asarray(weight, dtype=np.float64)
    items = np.repeat(starts, sizes) + position
    w_items = w[items]
    before = np.cumsum(w_items) - w_items
    run_before = np.concatenate(([0.0], np.cumsum(w_items)))[offsets]
    run_weight = np.bincount(run, weights=w_items, minlength=len(sizes))
    local = before - run_before[run]
    piece = np.floor(parts[run] * local / np.maximum(run_weight[run], 1e-300)).astype(np.int64)
    return np.minimum(piece, parts[run] - 1)


def district_names(oblasts: tuple[str, ...], seats_by_oblast: np.ndarray) -> tuple[str, ...]:
    """``"<oblast>-<k>"`` for each district, ``k`` from 1 within the oblast."""
    return tuple(
        f"{name}-{k + 1}"
        for name, count in zip(oblasts, seats_by_oblast, strict=True)
        for k in range(int(count))
    )


def draw_districts(
    weight: np.ndarray,
    urban: np.ndarray,
    oblast_bounds: np.ndarray,
    seats: int | np.ndarray,
    oblasts: tuple[str, ...],
    unit_people: float = 1200.0,
) -> Districting:
    """Draw single-member districts within oblasts, and polling units within districts.

    Parameters
    ----------
    weight, urban
        The voters' weight and urban columns (stored order, sorted by oblast).
    oblast_bounds
        Start offset of each oblast's slice, and the number of voters at the end.
    seats
        The body's district seats (apportioned among oblasts by
        :func:`apportion_district_seats`), or the number of districts per oblast.
    oblasts
        Oblast names, for district names.
    unit_people
        Registered people per polling unit.

    Raises
    ------
    UserInputError
        When an oblast has fewer synthetic voters than districts.
    """
    weight = np.asarray(weight)
    bounds = np.asarray(oblast_bounds, dtype=np.int64)
    n_oblasts = len(bounds) - 1
    voters_per_oblast = np.diff(bounds)
    oblast_weight = _oblast_sums(weight, bounds)
    if np.ndim(seats) == 0:
        seats_by_oblast = apportion_district_seats(oblast_weight, int(seats))
    else:
        seats_by_oblast = np.asarray(seats, dtype=np.int64)
    short = np.flatnonzero(voters_per_oblast < seats_by_oblast)
    if len(short):
        o = int(short[0])
        raise UserInputError(
            f"oblast {oblasts[o]!r} has {voters_per_oblast[o]} synthetic voters for "
            f"{seats_by_oblast[o]} districts; run with more voters"
        )
    equal = bool(len(weight) == 0 or np.all(weight == weight[0]))
    if equal and len(weight):
        return _equal_weight_districts(weight, urban, bounds, seats_by_oblast, oblasts, unit_people)
    oblast_of_voter = np.repeat(np.arange(n_oblasts), voters_per_oblast)
    # Districting order: within each oblast, rural first, then urban (stable radix sort).
    key = (2 * oblast_of_voter + np.asarray(urban, dtype=np.int64)).astype(np.int32)
    order = np.argsort(key, kind="stable")
    w_ordered = weight[order]
    ordered_weight = None if equal else w_ordered
    starts = bounds[:-1]
    local = split_runs(starts, voters_per_oblast, seats_by_oblast, ordered_weight)
    first_district = np.concatenate(([0], np.cumsum(seats_by_oblast)[:-1]))
    district_ordered = first_district[oblast_of_voter] + local
    n_districts = int(seats_by_oblast.sum())
    district_oblast = np.repeat(np.arange(n_oblasts), seats_by_oblast)
    district_size = np.bincount(district_ordered, minlength=n_districts)
    district_weight = np.bincount(district_ordered, weights=w_ordered, minlength=n_districts)
    units_per_district = np.clip(
        np.rint(district_weight / float(unit_people)).astype(np.int64), 1, None
    )
    units_per_district = np.minimum(units_per_district, np.maximum(district_size, 1))
    district_start = np.concatenate(([0], np.cumsum(district_size)[:-1]))
    unit_local = split_runs(district_start, district_size, units_per_district)
    first_unit = np.concatenate(([0], np.cumsum(units_per_district)[:-1]))
    unit_ordered = first_unit[district_ordered] + unit_local
    n_units = int(units_per_district.sum())
    district = np.empty(len(weight), dtype=_code_type(n_districts))
    district[order] = district_ordered
    unit = np.empty(len(weight), dtype=_code_type(n_units))
    unit[order] = unit_ordered
    return Districting(
        district=district,
        unit=unit,
        seats_by_oblast=seats_by_oblast,
        district_oblast=district_oblast,
        unit_district=np.repeat(np.arange(n_districts), units_per_district),
        district_weight=district_weight,
        unit_weight=np.bincount(unit_ordered, weights=w_ordered, minlength=n_units),
        names=district_names(oblasts, seats_by_oblast),
    )


@njit(cache=True, nogil=True)
def _oblast_sums(weight, bounds):  # pragma: no cover
    """Σ weight (float64) over each oblast's slice, in voter order: what
    ``np.bincount(np.repeat(arange(n_oblasts), diff(bounds)), weights=weight)`` gives,
    without its voter-sized arrays (a test checks)."""
    out = np.zeros(bounds.shape[0] - 1)
    for o in range(bounds.shape[0] - 1):
        acc = 0.0
        for i in range(bounds[o], bounds[o + 1]):
            acc += np.float64(weight[i])
        out[o] = acc
    return out


@njit(cache=True, nogil=True)
def _equal_weight_pass(
    urban, bounds, seats, first_district, sizes, units, first_unit, district, unit
):  # pragma: no cover
    """District (and, once ``sizes`` are known, unit) of every voter, in stored order.

    Voter ``i`` of an oblast of ``n`` voters cut into ``k`` districts has place ``p`` in
    the districting order (rural voters first, then urban, each in stored order) and
    district ``⌊k·p/n⌋``, which starts at place ``⌈loc·n/k⌉``; its ``m`` voters are cut
    into units the same way. Exactly :func:`split_runs` on the sorted order, unsorted.
    """
    with_units = units.shape[0] > 0
    for o in range(bounds.shape[0] - 1):
        lo = bounds[o]
        hi = bounds[o + 1]
        n = hi - lo
        k = seats[o]
        rural = 0
        for i in range(lo, hi):
            if not urban[i]:
                rural += 1
        seen_rural = 0
        seen_urban = 0
        for i in range(lo, hi):
            if urban[i]:
                p = rural + seen_urban
                seen_urban += 1
            else:
                p = seen_rural
                seen_rural += 1
            loc = (k * p) // max(n, 1)
            d = first_district[o] + loc
            district[i] = d
            if with_units:
                q = p - (loc * n + k - 1) // k
                unit[i] = first_unit[d] + (units[d] * q) // max(sizes[d], 1)


def _code_type(count: int) -> type:
    """The smallest code type for ``count`` districts or units (int16, else int32)."""
    return np.int16 if count < np.iinfo(np.int16).max else np.int32


def _equal_weight_districts(
    weight: np.ndarray,
    urban: np.ndarray,
    bounds: np.ndarray,
    seats_by_oblast: np.ndarray,
    oblasts: tuple[str, ...],
    unit_people: float,
) -> Districting:
    """:func:`draw_districts` for voters of equal weight: two compiled passes, no sort.

    With equal weights every sum below adds the same value the same number of times,
    so summing in stored rather than districting order gives the same floats.
    """
    n_oblasts = len(bounds) - 1
    n_districts = int(seats_by_oblast.sum())
    first_district = np.concatenate(([0], np.cumsum(seats_by_oblast)[:-1])).astype(np.int64)
    district = np.empty(len(weight), dtype=_code_type(n_districts))
    urban = np.asarray(urban, dtype=np.bool_)
    none = np.zeros(0, np.int64)
    _equal_weight_pass(
        urban, bounds, seats_by_oblast, first_district, none, none, none, district,
        np.zeros(0, dtype=np.int16),  # units are not written in this first pass
    )  # fmt: skip
    district_size = bincount(district, minlength=n_districts)
    district_weight = bincount(district, weights=weight, minlength=n_districts)
    units_per_district = np.clip(
        np.rint(district_weight / float(unit_people)).astype(np.int64), 1, None
    )
    units_per_district = np.minimum(units_per_district, np.maximum(district_size, 1))
    first_unit = np.concatenate(([0], np.cumsum(units_per_district)[:-1])).astype(np.int64)
    unit = np.empty(len(weight), dtype=_code_type(int(units_per_district.sum())))
    _equal_weight_pass(
        urban, bounds, seats_by_oblast, first_district, district_size.astype(np.int64),
        units_per_district, first_unit, district, unit,
    )  # fmt: skip
    n_units = int(units_per_district.sum())
    return Districting(
        district=district,
        unit=unit,
        seats_by_oblast=seats_by_oblast,
        district_oblast=np.repeat(np.arange(n_oblasts), seats_by_oblast),
        unit_district=np.repeat(np.arange(n_districts), units_per_district),
        district_weight=district_weight,
        unit_weight=bincount(unit, weights=weight, minlength=n_units),
        names=district_names(oblasts, seats_by_oblast),
    )
