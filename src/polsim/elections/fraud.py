"""Administrative pressure at the count: ballot stuffing after Klimek et al. (2012).

Klimek, Yegorov, Hanel and Thurner model the fingerprint of rigged returns with two
kinds of fraud at the level of a polling unit ``u`` that supports candidate ``e``
(here: the regime-endorsed candidate of the unit's district):

* **incremental fraud**, with probability ``f_i``: draw ``x ~ |N(0, θ)|``; a share ``x``
  of the unit's non-voters is added to ``e`` as stuffed ballots, and a share ``x^α`` of
  every other candidate's votes is moved to ``e``;
* **extreme fraud**, with probability ``f_e``: the same with ``x = 1 − |N(0, 0.075)|``,
  which pushes the unit to nearly 100% turnout and 100% for ``e``.

``x`` is clipped to [0, 1]. Symbols: ``f_i`` = ``fraud_incremental``, ``f_e`` =
``fraud_extreme``, ``θ`` = ``fraud_theta``, ``α`` = ``fraud_alpha``. Votes are conserved
except the stuffed ballots: a unit's valid votes after fraud equal those before plus
``x·(R_u − B_u)``. Units of districts without an endorsed candidate are left alone.
Departure: in the paper ``x`` is drawn per unit for the winning party of a list
election; here the beneficiary is the endorsed candidate of a single-member race, and
the "against" line of a for/against ballot counts as opposition.

References
----------
Klimek, P., Yegorov, Y., Hanel, R. and Thurner, S. (2012). Statistical detection of
systematic election irregularities. *PNAS* 109(41), 16469-16473.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["EXTREME_SD", "FRAUD_KINDS", "StuffedCount", "stuff_ballots"]

#: Codes of :attr:`StuffedCount.kind`.
FRAUD_KINDS: tuple[str, ...] = ("none", "incremental", "extreme")
#: Width of the extreme-fraud draw, x = 1 − |N(0, 0.075)| (Klimek et al. 2012).
EXTREME_SD = 0.075


@dataclass(frozen=True)
class StuffedCount:
    """Tallies after ballot stuffing.

    ``kind[u]`` indexes :data:`FRAUD_KINDS`; ``x[u]`` is the fraud intensity (0 where
    none); ``added[u]`` the stuffed ballots.
    """

    ballots: np.ndarray
    pair_votes: np.ndarray
    kind: np.ndarray
    x: np.ndarray
    added: np.ndarray


def stuff_ballots(
    registered: np.ndarray,
    ballots: np.ndarray,
    pair_votes: np.ndarray,
    pair_start: np.ndarray,
    endorsed_local: np.ndarray,
    rng: np.random.Generator,
    incremental: float,
    extreme: float,
    theta: float,
    alpha: float,
) -> StuffedCount:
    """Apply Klimek et al.'s incremental and extreme fraud to every polling unit.

    Parameters
    ----------
    registered, ballots
        Registered people ``R_u`` and ballots cast ``B_u`` per unit.
    pair_votes, pair_start
        Votes per (unit, candidate of its district), as in
        :class:`~polsim.elections.voting.RoundCount`.
    endorsed_local
        Per unit: the index of the endorsed candidate within its district's slate, or -1.
    rng
        Random stream; draws three numbers per unit, in unit order.
    incremental, extreme
        ``f_i`` and ``f_e``.
    theta, alpha
        ``θ`` and ``α``.

    Examples
    --------
    One unit of 100 registered, 60 ballots: 30 for the endorsed candidate, 30 against.
    Extreme fraud with certainty pushes both turnout and share near 1.

    >>> out = stuff_ballots(np.array([100.0]), np.array([60.0]), np.array([30.0, 30.0]),
    ...                     np.array([0, 2]), np.array([0]), np.random.default_rng(0),
    ...                     0.0, 1.0, 0.1, 2.0)
    >>> bool(out.ballots[0] > 95 and out.pair_votes[0] / out.ballots[0] > 0.9)
    True
    """
    n_units = len(registered)
    kind_draw = rng.random(n_units)
    incremental_x = np.abs(rng.normal(0.0, theta, n_units)) if theta > 0 else np.zeros(n_units)
    extreme_x = 1.0 - np.abs(rng.normal(0.0, EXTREME_SD, n_units))
    kind = np.where(kind_draw < extreme, 2, np.where(kind_draw < extreme + incremental, 1, 0))
    kind = np.where(endorsed_local >= 0, kind, 0).astype(np.int8)
    x = np.clip(np.select([kind == 1, kind == 2], [incremental_x, extreme_x], 0.0), 0.0, 1.0)
    added = x * np.maximum(registered - ballots, 0.0)
    slate = np.diff(pair_start)
    unit_of_pair = np.repeat(np.arange(n_units), slate)
    local = np.arange(len(pair_votes)) - pair_start[:-1][unit_of_pair]
    is_endorsed = local == endorsed_local[unit_of_pair]
    moved = np.where(is_endorsed, 0.0, pair_votes * x[unit_of_pair] ** alpha)
    moved = np.where(kind[unit_of_pair] > 0, moved, 0.0)
    moved_to_unit = np.bincount(unit_of_pair, weights=moved, minlength=n_units)
    out = pair_votes - moved
    out = out + np.where(is_endorsed, (moved_to_unit + added)[unit_of_pair], 0.0)
    return StuffedCount(ballots=ballots + added, pair_votes=out, kind=kind, x=x, added=added)
