"""Indices of party systems: fragmentation, volatility, disproportionality, nationalisation.

Inputs are vote or seat figures in any non-negative unit: counts, percentages or shares.
Each distribution is normalised to shares :math:`p_i` summing to 1 before the formula
is applied, so ``(40, 35, 25)``, ``(0.4, 0.35, 0.25)`` and ``(8, 7, 5)`` give the same
index. Negative, NaN or infinite values, and distributions that sum to zero, raise
:class:`~polsim.errors.UserInputError` (a ``ValueError``).

Volatility and disproportionality are returned in percentage points (0-100), the scale on
which they are published; the other indices are on their natural scales.

Two distributions that must be compared party by party (before and after, votes and
seats) are given either as two sequences in the same party order, or as two mappings from
party to figure, in which case a party missing from one of them counts as zero there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from polsim.errors import UserInputError

__all__ = [
    "Volatility",
    "effective_number_of_parties",
    "gallagher",
    "golosov",
    "loosemore_hanby",
    "party_nationalization",
    "party_system_nationalization",
    "pedersen",
    "pedersen_components",
]

Distribution = Sequence[float] | Mapping[Any, float] | np.ndarray


@dataclass(frozen=True)
class Volatility:
    """Pedersen volatility split into its Powell-Tucker components (percentage points).

    Attributes
    ----------
    total : float
        Pedersen's index; always ``type_a + type_b``.
    type_a : float
        Volatility from parties entering or leaving the party system.
    type_b : float
        Volatility from voters switching between parties present at both elections.
    """

    total: float
    type_a: float
    type_b: float


def effective_number_of_parties(shares: Distribution) -> float:
    r"""Laakso-Taagepera effective number of parties.

    .. math:: N = \frac{1}{\sum_i p_i^2}

    Use vote shares for the effective number of electoral parties, seat shares for
    parliamentary parties.

    Parameters
    ----------
    shares : sequence or mapping of float
        Votes or seats per party, in any non-negative unit (normalised).

    Returns
    -------
    float
        Between 1 (one party has everything) and the number of parties (equal shares).

    Examples
    --------
    >>> effective_number_of_parties([0.75, 0.25])
    1.6
    >>> effective_number_of_parties({"A": 30, "B": 30, "C": 30})
    3.0

    References
    ----------
    .. [1] M. Laakso and R. Taagepera, "'Effective' number of parties: a measure with
       application to West Europe", *Comparative Political Studies* 12(1) (1979), 3-27.
    """
    p = _normalised(shares, "shares")
    return float(1.0 / np.sum(p**2))


def golosov(shares: Distribution) -> float:
    r"""Golosov's effective number of parties.

    .. math:: N_G = \sum_i \frac{p_i}{p_i + p_1^2 - p_i^2}

    where :math:`p_1` is the largest share. Unlike Laakso-Taagepera it is not inflated by
    many small parties when one party dominates.

    Parameters
    ----------
    shares : sequence or mapping of float
        Votes or seats per party, in any non-negative unit (normalised).

    Returns
    -------
    float
        At least 1.

    Examples
    --------
    >>> round(golosov([0.4, 0.3, 0.2, 0.1]), 3)
    2.836
    >>> golosov([50, 50])
    2.0

    References
    ----------
    .. [1] G. V. Golosov, "The effective number of parties: a new approach", *Party
       Politics* 16(2) (2010), 171-192.
    """
    p = _normalised(shares, "shares")
    largest = p.max()
    return float(np.sum(p / (p + largest**2 - p**2)))


def pedersen(
    before: Distribution,
    after: Distribution,
    *,
    predecessors: Mapping[Any, Iterable[Any]] | None = None,
) -> float:
    r"""Pedersen's index of electoral volatility, in percentage points.

    .. math:: V = \frac{1}{2} \sum_i \lvert p_{i,t} - p_{i,t-1} \rvert \times 100

    Parameters
    ----------
    before, after : sequence or mapping of float
        Vote figures per party at the earlier and the later election.
    predecessors : mapping, optional
        For named inputs: party at the later election -> parties at the earlier one it
        continues (see :func:`pedersen_components`).

    Returns
    -------
    float
        Between 0 (no change) and 100 (a completely new set of parties).

    Examples
    --------
    >>> pedersen([40, 35, 25], [10, 20, 70])
    45.0
    >>> pedersen({"A": 30, "B": 70}, {"A": 55, "B": 45})
    25.0

    References
    ----------
    .. [1] M. N. Pedersen, "The dynamics of European party systems: changing patterns of
       electoral volatility", *European Journal of Political Research* 7(1) (1979), 1-26.
    """
    return pedersen_components(before, after, predecessors=predecessors).total


def pedersen_components(
    before: Distribution,
    after: Distribution,
    *,
    predecessors: Mapping[Any, Iterable[Any]] | None = None,
) -> Volatility:
    r"""Pedersen volatility split into entry/exit (type A) and switching (type B).

    Following Powell and Tucker, a party is *new* if it has votes only at the later
    election, *exiting* if only at the earlier one, and *stable* if at both. Then

    .. math::

        A = \tfrac{1}{2}\Bigl(\sum_{\text{new}} p_{i,t} + \sum_{\text{exiting}}
        p_{i,t-1}\Bigr), \qquad
        B = \tfrac{1}{2} \sum_{\text{stable}} \lvert p_{i,t} - p_{i,t-1} \rvert,

    and :math:`A + B` is Pedersen's index; all three are in percentage points.

    Mergers and renamings: ``predecessors`` maps a party at the later election to the
    earlier parties it continues, whose shares are summed as its earlier share (the usual
    convention since Bartolini and Mair). A party not listed continues the earlier party
    of the same name, if any. An earlier party may be continued by only one later party;
    for a split, name the continuing fragment and the others count as new.

    Parameters
    ----------
    before, after : sequence or mapping of float
        Vote figures per party at the earlier and the later election.
    predecessors : mapping of party to iterable of parties, optional
        Lineage for mergers and renamings; only with mappings.

    Returns
    -------
    Volatility

    Examples
    --------
    D enters with 10% (type A = 10/2); A, B, C move by 10 + 20 + 40 (type B = 70/2):

    >>> pedersen_components({"A": 10, "B": 20, "C": 70}, {"A": 20, "B": 40, "C": 30, "D": 10})
    Volatility(total=40.0, type_a=5.0, type_b=35.0)

    B and C merge into BC; only A's loss to BC is volatility:

    >>> before, after = {"A": 50, "B": 30, "C": 20}, {"A": 40, "BC": 60}
    >>> pedersen_components(before, after, predecessors={"BC": ["B", "C"]})
    Volatility(total=10.0, type_a=0.0, type_b=10.0)

    References
    ----------
    .. [1] E. N. Powell and J. A. Tucker, "Revisiting electoral volatility in
       post-communist countries: new data, new results and new approaches", *British
       Journal of Political Science* 44(1) (2014), 123-147.
    .. [2] S. Bartolini and P. Mair, *Identity, Competition, and Electoral Availability:
       The Stabilisation of European Electorates 1885-1985*, Cambridge University Press,
       1990.
    """
    old, new = _volatility_pairs(before, after, predecessors)  # in percent
    entering = (old == 0) & (new > 0)
    leaving = (old > 0) & (new == 0)
    stable = (old > 0) & (new > 0)
    type_a = math.fsum([*new[entering], *old[leaving]]) / 2
    type_b = math.fsum(np.abs(new[stable] - old[stable])) / 2
    return Volatility(type_a + type_b, type_a, type_b)


def gallagher(vote_shares: Distribution, seat_shares: Distribution) -> float:
    r"""Gallagher's least-squares index of disproportionality, in percentage points.

    .. math:: \mathrm{LSq} = \sqrt{\tfrac{1}{2} \sum_i (v_i - s_i)^2} \times 100

    Parameters
    ----------
    vote_shares, seat_shares : sequence or mapping of float
        Votes and seats per party (counts, percentages or shares; each normalised).

    Returns
    -------
    float
        0 for perfect proportionality.

    Examples
    --------
    Votes 50/30/20 and seats 60/30/10: sqrt((10² + 0² + 10²)/2) = 10.

    >>> gallagher([50, 30, 20], [6, 3, 1])
    10.0

    References
    ----------
    .. [1] M. Gallagher, "Proportionality, disproportionality and electoral systems",
       *Electoral Studies* 10(1) (1991), 33-51.
    """
    v, s = _paired(vote_shares, seat_shares, "vote_shares", "seat_shares")  # in percent
    return math.sqrt(math.fsum((v - s) ** 2) / 2)


def loosemore_hanby(vote_shares: Distribution, seat_shares: Distribution) -> float:
    r"""Loosemore-Hanby index of disproportionality, in percentage points.

    .. math:: D = \tfrac{1}{2} \sum_i \lvert v_i - s_i \rvert \times 100

    The share of seats held by parties beyond their vote share.

    Parameters
    ----------
    vote_shares, seat_shares : sequence or mapping of float
        Votes and seats per party (each normalised).

    Returns
    -------
    float
        Between 0 and 100.

    Examples
    --------
    Votes 50/30/20 and seats 60/30/10: (10 + 0 + 10)/2 = 10.

    >>> loosemore_hanby({"A": 50, "B": 30, "C": 20}, {"A": 6, "B": 3, "C": 1})
    10.0

    References
    ----------
    .. [1] J. Loosemore and V. J. Hanby, "The theoretical limits of maximum distortion:
       some analytic expressions for electoral systems", *British Journal of Political
       Science* 1(4) (1971), 467-477.
    """
    v, s = _paired(vote_shares, seat_shares, "vote_shares", "seat_shares")  # in percent
    return math.fsum(np.abs(v - s)) / 2


def party_nationalization(
    district_shares: Sequence[float] | np.ndarray,
    district_weights: Sequence[float] | np.ndarray | None = None,
) -> float:
    r"""Jones-Mainwaring party nationalisation score, PNS = 1 - Gini.

    The Gini coefficient of the party's vote shares :math:`x_1, \dots, x_n` across the
    :math:`n` districts (or provinces), with mean :math:`\mu`:

    .. math:: G = \frac{\sum_{i}\sum_{j} \lvert x_i - x_j \rvert}{2 n^2 \mu},
       \qquad \mathrm{PNS} = 1 - G.

    A party equally strong everywhere scores 1; one whose votes all come from one of
    many districts scores near 0. The shares are not normalised (the Gini is
    scale-free, so shares and percentages give the same score).

    Departure (optional): Jones and Mainwaring count every district once. With
    ``district_weights`` :math:`w` (e.g. electorate sizes) the weighted Gini
    :math:`\sum_{ij} w_i w_j \lvert x_i - x_j\rvert / (2 W^2 \mu_w)`, with
    :math:`W = \sum w` and :math:`\mu_w` the weighted mean, is used instead; equal
    weights give the original score.

    Parameters
    ----------
    district_shares : sequence of float
        The party's vote share in each district.
    district_weights : sequence of float, optional
        Non-negative weight of each district; None for Jones and Mainwaring's equal
        weights.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    Shares 0.6 and 0.3: the pairs (i, j) give |0.6 - 0.3| twice, so
    G = 0.6 / (2 · 2² · 0.45) = 1/6 and PNS = 5/6.

    >>> round(party_nationalization([0.6, 0.3]), 3)
    0.833

    References
    ----------
    .. [1] M. P. Jones and S. Mainwaring, "The nationalization of parties and party
       systems: an empirical measure and an application to the Americas", *Party
       Politics* 9(2) (2003), 139-166.
    """
    x = _non_negative(district_shares, "district_shares")
    w = (
        np.ones_like(x)
        if district_weights is None
        else _non_negative(district_weights, "district_weights")
    )
    if w.shape != x.shape:
        raise UserInputError(
            f"district_weights must have one weight per district; got {w.size} weights "
            f"for {x.size} districts"
        )
    if w.sum() == 0:
        raise UserInputError("district_weights must not all be zero")
    mean = float(np.sum(w * x) / w.sum())
    if mean == 0:
        raise UserInputError(
            "party_nationalization is undefined for a party with no votes in any district"
        )
    spread = math.fsum((np.outer(w, w) * np.abs(x[:, None] - x[None, :])).ravel())
    return float(1.0 - spread / (2.0 * math.fsum(w) ** 2 * mean))


def party_system_nationalization(
    district_shares: Mapping[Any, Sequence[float] | np.ndarray],
    national_shares: Mapping[Any, float] | None = None,
    district_weights: Sequence[float] | np.ndarray | None = None,
) -> float:
    r"""Jones-Mainwaring party system nationalisation score (PSNS).

    The vote-weighted mean of the parties' nationalisation scores:

    .. math:: \mathrm{PSNS} = \sum_k s_k \, \mathrm{PNS}_k

    with :math:`s_k` the national vote shares of the parties given, normalised to sum to
    1. Without ``national_shares``, :math:`s_k` is the party's mean district share,
    weighted by ``district_weights``; pass the districts' valid votes as weights to get
    the true national share (Jones and Mainwaring use the national result, and
    unweighted Ginis: pass ``national_shares`` and no weights to reproduce them).

    Parameters
    ----------
    district_shares : mapping of party to sequence of float
        Each party's vote share per district, all of the same length.
    national_shares : mapping of party to float, optional
        National votes or shares per party; must cover the parties in
        ``district_shares``.
    district_weights : sequence of float, optional
        District weights, used in every PNS and, without ``national_shares``, for the
        national shares.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    A (PNS 5/6, 60% of the vote) and B (PNS 1, 40%): 0.6 · 5/6 + 0.4 · 1 = 0.9.

    >>> shares = {"A": [0.6, 0.3], "B": [0.4, 0.4]}
    >>> round(party_system_nationalization(shares, {"A": 60, "B": 40}), 6)
    0.9

    References
    ----------
    .. [1] M. P. Jones and S. Mainwaring, "The nationalization of parties and party
       systems: an empirical measure and an application to the Americas", *Party
       Politics* 9(2) (2003), 139-166.
    """
    if not isinstance(district_shares, Mapping) or not district_shares:
        raise UserInputError(
            "district_shares must be a non-empty mapping of party to its district shares"
        )
    columns = {p: _non_negative(x, f"district shares of {p!r}") for p, x in district_shares.items()}
    if len({c.size for c in columns.values()}) != 1:
        raise UserInputError("every party needs a share for each district; lengths differ")
    if national_shares is None:
        size = next(iter(columns.values())).size
        w = (
            np.ones(size)
            if district_weights is None
            else _non_negative(district_weights, "district_weights")
        )
        if w.size != size or w.sum() == 0:
            raise UserInputError(
                f"district_weights must be {size} non-negative weights, not all zero"
            )
        national = {p: float(np.sum(w * c)) for p, c in columns.items()}
    else:
        missing = [p for p in columns if p not in national_shares]
        if missing:
            raise UserInputError(
                f"national_shares has no share for {', '.join(map(repr, missing))}"
            )
        national = {p: national_shares[p] for p in columns}
    weights = _normalised(national, "national shares")
    scores = []
    for column, weight in zip(columns.values(), weights, strict=True):
        # A party without votes adds nothing, and its PNS is undefined anyway.
        scores.append(
            0.0 if weight == 0 else weight * party_nationalization(column, district_weights)
        )
    return math.fsum(scores)


# --- helpers ----------------------------------------------------------------------------


def _non_negative(values: Any, what: str) -> np.ndarray:
    """A 1-D float array of finite, non-negative values."""
    if isinstance(values, Mapping):
        values = list(values.values())
    if isinstance(values, str | bytes):
        raise UserInputError(f"{what} must be numbers; got {values!r}")
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise UserInputError(f"{what} must be numbers; got {values!r}") from None
    if array.ndim != 1 or array.size == 0:
        raise UserInputError(f"{what} must be a non-empty list of numbers; got {values!r}")
    if not np.all(np.isfinite(array)):
        raise UserInputError(f"{what} must be finite; got {values!r}")
    if np.any(array < 0):
        raise UserInputError(f"{what} must be non-negative; got {values!r}")
    return array


def _normalised(values: Any, what: str, scale: float = 1.0) -> np.ndarray:
    """Non-negative values scaled to sum to ``scale`` (1 for shares, 100 for percentages)."""
    array = _non_negative(values, what)
    total = math.fsum(array)
    if total == 0:
        raise UserInputError(f"{what} must not all be zero; got {values!r}")
    # Multiply before dividing, so figures already in percent come out exact.
    return array * scale / total


def _aligned(first: Distribution, second: Distribution, names: tuple[str, str]) -> tuple:
    """Two distributions as value lists in one party order (union of keys for mappings)."""
    if isinstance(first, Mapping) and isinstance(second, Mapping):
        parties = list(first) + [p for p in second if p not in first]
        return [first.get(p, 0) for p in parties], [second.get(p, 0) for p in parties]
    if isinstance(first, Mapping) or isinstance(second, Mapping):
        raise UserInputError(
            f"{names[0]} and {names[1]} must both be mappings or both be sequences"
        )
    a, b = _non_negative(first, names[0]), _non_negative(second, names[1])
    if a.size != b.size:
        raise UserInputError(
            f"{names[0]} and {names[1]} must list the same parties; got {a.size} and {b.size}"
        )
    return a, b


def _paired(
    first: Distribution, second: Distribution, first_name: str, second_name: str
) -> tuple[np.ndarray, np.ndarray]:
    """Two aligned distributions, each normalised to percentages."""
    a, b = _aligned(first, second, (first_name, second_name))
    return _normalised(a, first_name, 100.0), _normalised(b, second_name, 100.0)


def _volatility_pairs(
    before: Distribution,
    after: Distribution,
    predecessors: Mapping[Any, Iterable[Any]] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Earlier and later shares per continuing party, merging predecessors' shares."""
    if predecessors is None:
        return _paired(before, after, "before", "after")
    if not (isinstance(before, Mapping) and isinstance(after, Mapping)):
        raise UserInputError("predecessors needs before and after as mappings of party to votes")
    old_shares = dict(zip(before, _normalised(before, "before", 100.0), strict=True))
    new_shares = dict(zip(after, _normalised(after, "after", 100.0), strict=True))
    lineage = {party: list(predecessors.get(party, [party])) for party in after}
    for party, earlier in lineage.items():
        if isinstance(predecessors.get(party), str | bytes):
            raise UserInputError(
                f"predecessors of {party!r} must be a list of parties, not a single string"
            )
        if party in predecessors:
            unknown = [p for p in earlier if p not in before]
            if unknown:
                raise UserInputError(
                    f"predecessors of {party!r} are not parties at the earlier election: "
                    f"{', '.join(map(repr, unknown))}"
                )
    claimed: dict[Any, Any] = {}
    for party, earlier in lineage.items():
        for predecessor in earlier:
            if predecessor in claimed and predecessor in before:
                raise UserInputError(
                    f"{predecessor!r} is continued by both {claimed[predecessor]!r} and "
                    f"{party!r}; an earlier party may have only one successor"
                )
            claimed[predecessor] = party
    old = [sum(old_shares.get(p, 0.0) for p in lineage[party]) for party in after]
    new = [new_shares[party] for party in after]
    gone = [share for party, share in old_shares.items() if party not in claimed]
    return np.array(old + gone), np.array(new + [0.0] * len(gone))
