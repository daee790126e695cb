"""Electoral systems that combine seat formulas with rules of validity and rounds.

Each function takes vote totals and returns a small frozen dataclass. None of them draws
votes: a simulation computes the votes of each round and hands them in. Two-round
contests are split so that a caller can run the first round, read who goes through,
compute the runoff votes for exactly those candidates, and then resolve:

>>> first = two_round_majority({"A": 4_000, "B": 3_500, "C": 2_500}, registered=15_000)
>>> first.outcome, first.runoff_candidates
('runoff', ('A', 'B'))
>>> decide_runoff(first, {"A": 4_200, "B": 5_100}, registered=15_000).winner
'B'

Ties are broken by lot and reported as :class:`~polsim.elections.allocation.Tie` with the
candidates' or parties' names, exactly as in :mod:`polsim.elections.allocation`.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from polsim.elections.allocation import (
    AllocationError,
    Tie,
    allocate_seats,
    block_vote,
    canonical_method,
    levelled_house_size,
    passes_threshold,
)

__all__ = [
    "MixedResult",
    "ReferendumResult",
    "TwoRoundResult",
    "decide_runoff",
    "mixed_parallel",
    "mmp",
    "presidential_two_round",
    "referendum",
    "two_round_majority",
]

TwoRoundOutcome = Literal["elected", "runoff", "repeat"]


@dataclass(frozen=True)
class TwoRoundResult:
    """Result of a two-round contest at the stage it has reached.

    Attributes
    ----------
    outcome : {"elected", "runoff", "repeat"}
        ``"elected"``: ``winner`` holds the seat. ``"runoff"``: a second round between
        ``runoff_candidates`` is needed (resolve it with :func:`decide_runoff`).
        ``"repeat"``: the round was void (turnout below the validity rule, or no valid
        vote) and the election must be held again.
    round_number : int
        The round this outcome comes from, 1 or 2.
    winner : str or None
        The elected candidate, if any.
    runoff_candidates : tuple of str
        Who goes to (or went to) the runoff, in the order the first-round votes were
        given; empty if none.
    turnout : float
        Ballots cast over registered voters in the round this outcome comes from.
    ties : tuple of Tie
        Every tie broken by lot so far, first round first.
    """

    outcome: TwoRoundOutcome
    round_number: int
    winner: str | None
    runoff_candidates: tuple[str, ...]
    turnout: float
    ties: tuple[Tie, ...] = ()


@dataclass(frozen=True)
class ReferendumResult:
    """Result of a referendum.

    Attributes
    ----------
    outcome : {"approved", "rejected", "invalid"}
        ``"invalid"`` when turnout missed the quorum, whatever the votes said.
    turnout : float
        Ballots cast over registered voters.
    quorum_met : bool
        Whether turnout reached the quorum (always True without one).
    yes_share : float
        Yes over valid (yes + no) votes; NaN when there was no valid vote.
    """

    outcome: Literal["approved", "rejected", "invalid"]
    turnout: float
    quorum_met: bool
    yes_share: float


@dataclass(frozen=True)
class MixedResult:
    """Seats of a mixed (district plus list) election.

    Attributes
    ----------
    district_seats : dict of str to int
        Seats won in single-member districts.
    list_seats : dict of str to int
        Seats won from the party lists.
    seats : dict of str to int
        Total seats; the sum of the two above.
    house_size : int
        Seats in the chamber after the election (larger than the nominal size when MMP
        overhang seats are kept or levelled).
    overhang : dict of str to int
        District seats beyond the party's proportional entitlement on the nominal house;
        only parties with overhang appear. Always empty for a parallel system.
    ties : tuple of Tie
        Every lot drawn in the list allocations: for MMP, those of the entitlement on
        the nominal house and of each allocation that followed from it.

    Parties appear in the order of the list vote, followed by district winners who had
    no list (independents) in the order they were first given.
    """

    district_seats: dict[str, int]
    list_seats: dict[str, int]
    seats: dict[str, int]
    house_size: int
    overhang: dict[str, int]
    ties: tuple[Tie, ...] = ()


# --- two-round contests -----------------------------------------------------------------


def two_round_majority(
    first_round_votes: Mapping[str, float],
    registered: float,
    turnout_validity: float | None = 0.5,
    majority: float = 0.5,
    runoff: str | float = "top-two",
    runoff_votes: Mapping[str, float] | None = None,
    *,
    ballots_cast: float | None = None,
    runoff_registered: float | None = None,
    runoff_ballots_cast: float | None = None,
    runoff_turnout_validity: float | None = None,
    rng: np.random.Generator | None = None,
    majority_of: Literal["valid", "cast"] = "valid",
) -> TwoRoundResult:
    r"""Decide one single-member district by the two-round majority system.

    Round 1 is valid only if turnout :math:`T = B/R` (ballots cast over registered voters)
    reaches ``turnout_validity`` :math:`\tau`; otherwise the outcome is ``"repeat"``. This is
    the rule of Kazakhstan's March 1994 Supreme Soviet election (docs/model.md §4.1,
    :math:`\tau = 0.5`: half the registered voters must take part). In a valid round a
    candidate with more than :math:`m` (``majority``) of the valid votes,
    :math:`v_c > m \sum_j v_j`, is elected (if several do, which needs :math:`m < 0.5`, the
    one with most votes). Otherwise a runoff is held:

    * ``runoff="top-two"``: between the two candidates with most votes;
    * ``runoff=f`` (a float): between every candidate with at least :math:`f \cdot R`
      votes, and at least the top two (the French legislative rule, :math:`f = 0.125`).

    Candidates without votes never go through; ties at the cut are broken by lot. The
    runoff is won by plurality; it may have its own turnout rule (none by default, since
    the 1994 rule for the runoff is not documented). Pass ``runoff_votes`` to resolve the
    runoff in the same call, or call :func:`decide_runoff` on the result once the runoff
    votes are known.

    Parameters
    ----------
    first_round_votes : mapping of str to float
        Valid votes per candidate in round 1.
    registered : float
        Registered voters :math:`R`, positive.
    turnout_validity : float or None, default 0.5
        Minimum turnout :math:`\tau` for round 1 to be valid; None for no rule.
    majority : float, default 0.5
        Share :math:`m` of the valid votes a candidate must exceed to win in round 1.
    runoff : "top-two" or float, default "top-two"
        Who goes to the runoff (see above).
    runoff_votes : mapping of str to float, optional
        Valid votes per runoff candidate; names must be exactly the runoff candidates.
    ballots_cast : float, optional
        Ballots cast :math:`B` in round 1, including invalid ones; defaults to the sum of
        valid votes.
    runoff_registered, runoff_ballots_cast, runoff_turnout_validity : float, optional
        The same figures for the runoff, used with ``runoff_votes`` (see
        :func:`decide_runoff`).
    rng : numpy.random.Generator, optional
        Generator for lots; if None, lots are seeded from the inputs.
    majority_of : "valid" or "cast", default "valid"
        Whether the first-round majority is of the valid votes or of the ballots cast
        (the presidential rule, :func:`presidential_two_round`).

    Returns
    -------
    TwoRoundResult

    Examples
    --------
    >>> two_round_majority({"A": 5_200, "B": 3_000, "C": 1_800}, registered=16_000).winner
    'A'
    >>> two_round_majority({"A": 3_000, "B": 2_000}, registered=12_000).outcome
    'repeat'

    References
    ----------
    .. [1] A. Blais and L. Massicotte, "Electoral systems", in L. LeDuc, R. Niemi and
       P. Norris (eds.), *Comparing Democracies*, Sage, 1996, 49-81.
    .. [2] Code électoral (France), art. L162 (the 12.5% of registered voters rule).
    """
    first = _first_round(
        first_round_votes,
        registered,
        ballots_cast,
        turnout_validity,
        majority,
        runoff,
        majority_of=majority_of,
        rng=rng,
    )
    if runoff_votes is None or first.outcome != "runoff":
        return first
    return decide_runoff(
        first,
        runoff_votes,
        registered if runoff_registered is None else runoff_registered,
        ballots_cast=runoff_ballots_cast,
        turnout_validity=runoff_turnout_validity,
        rng=rng,
    )


def presidential_two_round(
    first_round_votes: Mapping[str, float], registered: float, *args: Any, **kwargs: Any
) -> TwoRoundResult:
    r"""Decide a national presidential election in up to two rounds.

    As :func:`two_round_majority`, with one difference found in the Russian and Kazakh
    presidential rules of the 1990s: the first-round majority is counted over **ballots
    cast** :math:`B` (everyone who took part, invalid ballots included),
    :math:`v_c > m B`, not over valid votes. Spoilt ballots thus make a
    first-round win harder. The election is void (``"repeat"``) when turnout
    :math:`B/R` is below ``turnout_validity``; the runoff goes to the plurality winner.

    It is ``two_round_majority(..., majority_of="cast")``.

    Parameters
    ----------
    first_round_votes : mapping of str to float
        Valid votes per candidate in round 1.
    registered : float
        Registered voters :math:`R` nationwide.
    *args, **kwargs
        The other arguments of :func:`two_round_majority` (``turnout_validity``,
        ``majority`` :math:`m` of the ballots cast, ``runoff``, ``runoff_votes``,
        ``ballots_cast`` :math:`B`, the runoff's figures, ``rng``), with its defaults.

    Returns
    -------
    TwoRoundResult

    Examples
    --------
    51% of valid votes, but only 49.5% of ballots cast once spoilt ballots count:

    >>> votes = {"Incumbent": 4_950, "Challenger": 4_750}
    >>> presidential_two_round(votes, registered=12_000, ballots_cast=10_000).outcome
    'runoff'
    >>> two_round_majority(votes, registered=12_000, ballots_cast=10_000).outcome
    'elected'

    References
    ----------
    .. [1] A. Blais, L. Massicotte and A. Dobrzynska, "Direct presidential elections: a
       world summary", *Electoral Studies* 16(4) (1997), 441-455.
    """
    return two_round_majority(first_round_votes, registered, *args, majority_of="cast", **kwargs)


def decide_runoff(
    first_round: TwoRoundResult,
    runoff_votes: Mapping[str, float],
    registered: float,
    *,
    ballots_cast: float | None = None,
    turnout_validity: float | None = None,
    rng: np.random.Generator | None = None,
) -> TwoRoundResult:
    r"""Resolve the runoff of a two-round contest by plurality.

    The runoff is void (``"repeat"``) if a turnout rule :math:`\tau` is given and
    :math:`B/R < \tau`, or if nobody received a valid vote. Otherwise the runoff
    candidate with most votes wins; a tie for first place is broken by lot.

    Parameters
    ----------
    first_round : TwoRoundResult
        A result whose outcome is ``"runoff"``.
    runoff_votes : mapping of str to float
        Valid votes per runoff candidate; the names must be exactly
        ``first_round.runoff_candidates``.
    registered : float
        Registered voters for the runoff.
    ballots_cast : float, optional
        Ballots cast in the runoff; defaults to the sum of valid votes.
    turnout_validity : float or None, default None
        Minimum runoff turnout; None for no rule.
    rng : numpy.random.Generator, optional
        Generator for the lot; if None, seeded from the inputs.

    Returns
    -------
    TwoRoundResult
        With ``round_number`` 2, and the first round's ties followed by any new one.

    Examples
    --------
    >>> first = two_round_majority({"A": 45, "B": 40, "C": 15}, registered=150)
    >>> decide_runoff(first, {"B": 60, "A": 55}, registered=150).winner
    'B'
    >>> decide_runoff(first, {"A": 20, "B": 15}, registered=150, turnout_validity=0.25).outcome
    'repeat'

    References
    ----------
    .. [1] A. Blais and L. Massicotte, "Electoral systems", in L. LeDuc, R. Niemi and
       P. Norris (eds.), *Comparing Democracies*, Sage, 1996, 49-81.
    """
    if not isinstance(first_round, TwoRoundResult) or first_round.outcome != "runoff":
        outcome = getattr(first_round, "outcome", first_round)
        raise AllocationError(
            f"decide_runoff needs a first round whose outcome is 'runoff'; got {outcome!r}"
        )
    expected = set(first_round.runoff_candidates)
    if set(runoff_votes) != expected or len(runoff_votes) != len(expected):
        raise AllocationError(
            f"runoff_votes must name exactly the runoff candidates "
            f"{first_round.runoff_candidates}; got {tuple(runoff_votes)}"
        )
    ordered = {name: runoff_votes[name] for name in first_round.runoff_candidates}
    valid, cast, turnout = _count_round(ordered, registered, ballots_cast)
    validity = _optional_share(turnout_validity, "turnout_validity")
    if (validity is not None and cast < validity * Fraction(registered)) or valid == 0:
        return TwoRoundResult(
            "repeat", 2, None, first_round.runoff_candidates, turnout, first_round.ties
        )
    result = block_vote(ordered, 1, rng)
    winner = _elected(ordered, result.seats)[0]
    ties = first_round.ties + _staged(result.ties, "runoff")
    return TwoRoundResult("elected", 2, winner, first_round.runoff_candidates, turnout, ties)


def referendum(
    yes: float,
    no: float,
    registered: float,
    turnout_quorum: float | None = 0.5,
    approval: Literal[
        "majority_of_votes", "majority_of_ballots", "majority_of_registered"
    ] = "majority_of_votes",
    *,
    ballots_cast: float | None = None,
) -> ReferendumResult:
    r"""Decide a referendum with a turnout quorum and an approval rule.

    With turnout :math:`T = B/R` below the quorum :math:`\theta` the referendum is
    ``"invalid"``. Otherwise it is approved when

    * ``"majority_of_votes"``: :math:`Y > (Y + N)/2`, more yes than no;
    * ``"majority_of_ballots"``: :math:`Y > B/2`, a majority of everyone who took part,
      blank and spoilt ballots included;
    * ``"majority_of_registered"``: :math:`Y > R/2`, a majority of the whole electorate.

    A tie is not a majority, so it rejects.

    Parameters
    ----------
    yes, no : float
        Valid yes and no votes :math:`Y, N`.
    registered : float
        Registered voters :math:`R`.
    turnout_quorum : float or None, default 0.5
        Minimum turnout :math:`\theta`; None for no quorum.
    approval : str, default "majority_of_votes"
        The approval rule above.
    ballots_cast : float, optional
        Ballots cast :math:`B`, invalid ones included; defaults to :math:`Y + N`.

    Returns
    -------
    ReferendumResult

    Examples
    --------
    >>> referendum(yes=700, no=300, registered=1_600).outcome
    'approved'
    >>> referendum(yes=700, no=30, registered=1_600).outcome
    'invalid'
    >>> referendum(700, 300, 1_600, approval="majority_of_registered").outcome
    'rejected'

    References
    ----------
    .. [1] European Commission for Democracy through Law (Venice Commission), *Code of
       Good Practice on Referendums*, CDL-AD(2007)008, 2007 (turnout and approval
       quorums).
    .. [2] M. Qvortrup (ed.), *Referendums Around the World: The Continued Growth of
       Direct Democracy*, Palgrave Macmillan, 2014.
    """
    rules = ("majority_of_votes", "majority_of_ballots", "majority_of_registered")
    if approval not in rules:
        raise AllocationError(f"approval must be one of {', '.join(rules)}; got {approval!r}")
    votes = {"yes": yes, "no": no}
    valid, cast, turnout = _count_round(votes, registered, ballots_cast)
    quorum = _optional_share(turnout_quorum, "turnout_quorum")
    yes_exact = Fraction(_exact(yes, "yes"))
    yes_share = float(yes_exact / valid) if valid > 0 else math.nan
    if quorum is not None and cast < quorum * Fraction(registered):
        return ReferendumResult("invalid", turnout, False, yes_share)
    bases = {
        "majority_of_votes": valid,
        "majority_of_ballots": cast,
        "majority_of_registered": Fraction(registered),
    }
    approved = 2 * yes_exact > bases[approval]
    return ReferendumResult("approved" if approved else "rejected", turnout, True, yes_share)


# --- mixed systems ----------------------------------------------------------------------


def mixed_parallel(
    district_winners: Iterable[str],
    list_votes: Mapping[str, float],
    list_seats: int,
    method: str = "dhondt",
    threshold: float = 0.0,
    *,
    exempt: Iterable[str] = (),
    district_exemption: int | None = None,
    rng: np.random.Generator | None = None,
) -> MixedResult:
    r"""Combine district seats with a list tier allocated independently (parallel system).

    The ``list_seats`` are divided among the party lists by ``method`` over the list
    vote alone, with the threshold and exemptions of
    :func:`~polsim.elections.allocation.allocate_seats`; district seats do not enter the
    calculation. A party's total is :math:`s_p = D_p + L_p`. This is the system of the
    Russian Duma in 1993-2003 and 2016 (225 + 225 seats).

    Parameters
    ----------
    district_winners : iterable of str
        The party (or independent's label) that won each single-member district.
    list_votes : mapping of str to float
        List votes per party.
    list_seats : int
        Seats in the list tier.
    method : str, default "dhondt"
        Seat formula for the list tier.
    threshold : float, default 0.0
        Legal threshold as a share of the total list vote.
    exempt : iterable of str, default ()
        Parties exempt from the threshold.
    district_exemption : int, optional
        Parties that won at least this many districts are exempt from the threshold.
    rng : numpy.random.Generator, optional
        Generator for lots in the list tier.

    Returns
    -------
    MixedResult

    Examples
    --------
    >>> result = mixed_parallel(["A", "A", "B", "Ind."], {"A": 500, "B": 300, "C": 200}, 5)
    >>> result.seats
    {'A': 5, 'B': 2, 'C': 1, 'Ind.': 1}

    References
    ----------
    .. [1] M. S. Shugart and M. P. Wattenberg (eds.), *Mixed-Member Electoral Systems:
       The Best of Both Worlds?*, Oxford University Press, 2001.
    """
    districts = Counter(_district_winner_names(district_winners))
    exempt_names = _exemptions(exempt, districts, list_votes, district_exemption)
    allocation = allocate_seats(list_votes, list_seats, method, threshold, exempt_names, rng)
    lists = dict(zip(list_votes.keys(), allocation.seats, strict=True))
    parties = _party_order(list_votes, districts)
    district_seats = {p: districts.get(p, 0) for p in parties}
    list_won = {p: lists.get(p, 0) for p in parties}
    total = {p: district_seats[p] + list_won[p] for p in parties}
    return MixedResult(
        district_seats,
        list_won,
        total,
        sum(districts.values()) + _seat_count(list_seats),
        {},
        allocation.ties,
    )


def mmp(
    district_seats_by_party: Mapping[str, int],
    list_votes: Mapping[str, float],
    total_seats: int,
    method: str = "dhondt",
    threshold: float = 0.0,
    overhang: Literal["keep", "level", "deduct"] = "keep",
    *,
    exempt: Iterable[str] = (),
    district_exemption: int | None = None,
    rng: np.random.Generator | None = None,
) -> MixedResult:
    r"""Allocate a mixed-member proportional (compensatory) house.

    A party takes part in the proportional allocation if it has list votes and passes the
    threshold (or is exempt, or won at least ``district_exemption`` districts). District
    seats :math:`D_p` won by anyone else (independents, parties below the threshold or
    without a list) are kept and taken off the top, as in Germany and New Zealand: the
    proportional house is :math:`H_0 = H - \sum_{p\ \text{not taking part}} D_p`. Each
    party's entitlement :math:`e_p` is its share of :math:`H_0` by ``method`` over the list
    vote, and it receives :math:`\max(0, e_p - D_p)` list seats on top of its district
    seats. A party whose district seats exceed its entitlement has overhang
    :math:`D_p - e_p`; the ``overhang`` option says what happens then:

    * ``"keep"`` (New Zealand, Electoral Act 1993 s 191; Germany before 2013): the party
      keeps its district seats and the house grows by the overhang,
      :math:`s_p = \max(D_p, e_p)`.
    * ``"level"`` (Germany 2013 Federal Electoral Act, §6(5)-(6)): the proportional house
      is enlarged to the smallest size :math:`H' \ge H_0` at which every party's
      entitlement covers its district seats, and the enlarged house is allocated
      proportionally. For divisor methods :math:`H'` is computed exactly: with
      :math:`\lambda^*` the smallest quotient any party needs to reach :math:`D_p` seats,
      :math:`H'` is the number of quotients at or above :math:`\lambda^*`. For largest
      remainder methods, which are not house-monotone, sizes are tried upward from
      :math:`H_0`. Departure from the 2013 law: one national tier, no distribution of a
      party's seats across Länder.
    * ``"deduct"`` (Scottish Parliament, Scotland Act 1998 s 7, per region): no extra
      seats. Overhang parties keep their district seats and take no list seat; the seats
      that remain are allocated proportionally among the other parties, repeating if
      that leaves another party in overhang. Removing an overhang party only lowers the
      others' entitlements, so taking all new overhang parties out at once gives the
      same result as one at a time. For divisor methods this equals the Scottish
      sequential rule (each list seat to the largest :math:`v_p/d(D_p + L_p)`), since
      both give :math:`s_p = \max(D_p, c_p(\lambda))` for the same cut :math:`\lambda`.

    Parameters
    ----------
    district_seats_by_party : mapping of str to int
        District seats :math:`D_p` won by each party or independent.
    list_votes : mapping of str to float
        List (second) votes per party.
    total_seats : int
        Nominal house size :math:`H`, at least the number of district seats.
    method : str, default "dhondt"
        Seat formula for the entitlements.
    threshold : float, default 0.0
        Legal threshold as a share of the total list vote.
    overhang : {"keep", "level", "deduct"}, default "keep"
        What to do with overhang seats (see above).
    exempt : iterable of str, default ()
        Parties exempt from the threshold.
    district_exemption : int, optional
        Parties with at least this many district seats are exempt from the threshold
        (Germany: 3; New Zealand: 1).
    rng : numpy.random.Generator, optional
        Generator for lots in the allocations.

    Returns
    -------
    MixedResult
        ``overhang`` lists the overhang on the nominal house, for every option (with
        ``"level"`` it is what triggered the enlargement).

    Examples
    --------
    A 10-seat house; A won 4 districts but its 30% entitles it to only 3 (D'Hondt):

    >>> districts, votes = {"A": 4, "B": 1}, {"A": 300, "B": 410, "C": 290}
    >>> mmp(districts, votes, 10, overhang="keep").seats
    {'A': 4, 'B': 4, 'C': 3}
    >>> mmp(districts, votes, 10, overhang="level").seats
    {'A': 4, 'B': 5, 'C': 3}
    >>> mmp(districts, votes, 10, overhang="deduct").seats
    {'A': 4, 'B': 4, 'C': 2}

    References
    ----------
    .. [1] M. S. Shugart and M. P. Wattenberg (eds.), *Mixed-Member Electoral Systems:
       The Best of Both Worlds?*, Oxford University Press, 2001.
    .. [2] F. Pukelsheim, *Proportional Representation: Apportionment Methods and Their
       Applications*, 2nd ed., Springer, 2017 (the 2013 German rule).
    """
    if overhang not in ("keep", "level", "deduct"):
        raise AllocationError(
            f"overhang must be one of 'keep', 'level', 'deduct'; got {overhang!r}"
        )
    districts = _district_counts(district_seats_by_party)
    house = _seat_count(total_seats)
    won_in_districts = sum(districts.values())
    if house < won_in_districts:
        raise AllocationError(
            f"total_seats ({house}) must be at least the number of district seats "
            f"({won_in_districts}) in a mixed-member proportional house"
        )
    canonical = canonical_method(method)
    exempt_names = _exemptions(exempt, districts, list_votes, district_exemption)
    # The threshold is a share of the whole list vote; the seats are then shared among
    # the parties that pass it.
    flags = passes_threshold(list_votes, threshold, exempt_names)
    participants = [p for p, taking_part in zip(list_votes, flags, strict=True) if taking_part]
    uncompensated = sum(n for p, n in districts.items() if p not in participants)
    proportional_house = house - uncompensated
    entitled, ties = _share_out(participants, list_votes, proportional_house, canonical, rng)
    over = {p: districts.get(p, 0) - entitled[p] for p in participants}
    over = {p: n for p, n in over.items() if n > 0}

    if overhang == "keep" or not over:
        seats_of = {p: max(districts.get(p, 0), entitled[p]) for p in participants}
    elif overhang == "level":
        size = levelled_house_size(
            {p: list_votes[p] for p in participants},
            {p: districts.get(p, 0) for p in participants},
            canonical,
            start=proportional_house,
        )
        seats_of, more_ties = _share_out(participants, list_votes, size, canonical, rng)
        ties += more_ties
    else:
        seats_of, more_ties = _deducted(
            participants, list_votes, districts, proportional_house, canonical, entitled, rng
        )
        ties += more_ties

    parties = _party_order(list_votes, districts)
    district_seats = {p: districts.get(p, 0) for p in parties}
    total = {p: seats_of.get(p, district_seats[p]) for p in parties}
    list_won = {p: total[p] - district_seats[p] for p in parties}
    return MixedResult(district_seats, list_won, total, sum(total.values()), over, tuple(ties))


# --- helpers ----------------------------------------------------------------------------


def _exact(value: Any, what: str) -> Fraction:
    """A non-negative finite number as an exact fraction."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise AllocationError(f"{what} must be a number; got {value!r}")
    if isinstance(value, numbers.Rational):
        exact = Fraction(int(value.numerator), int(value.denominator))
    else:
        if not math.isfinite(float(value)):
            raise AllocationError(f"{what} must be finite; got {value!r}")
        exact = Fraction(float(value))
    if exact < 0:
        raise AllocationError(f"{what} must be non-negative; got {value!r}")
    return exact


def _share(value: Any, what: str) -> Fraction:
    """A share in [0, 1), read as the decimal it prints as."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(float(value))
    ):
        raise AllocationError(f"{what} must be a share in [0, 1); got {value!r}")
    share = (
        Fraction(int(value.numerator), int(value.denominator))
        if isinstance(value, numbers.Rational)
        else Fraction(repr(float(value)))
    )
    if not 0 <= share < 1:
        raise AllocationError(f"{what} must be a share in [0, 1); got {value!r}")
    return share


def _optional_share(value: Any, what: str) -> Fraction | None:
    """A share in [0, 1), or None when the rule is switched off."""
    return None if value is None else _share(value, what)


def _count_round(
    votes: Mapping[str, float], registered: float, ballots_cast: float | None
) -> tuple[Fraction, Fraction, float]:
    """Check one round's figures; return valid votes, ballots cast and turnout."""
    if not isinstance(votes, Mapping) or not votes:
        raise AllocationError(f"votes must be a non-empty mapping of name to votes; got {votes!r}")
    valid = sum((_exact(v, f"votes for {name!r}") for name, v in votes.items()), Fraction(0))
    electorate = _exact(registered, "registered")
    if electorate == 0:
        raise AllocationError("registered must be positive; got 0")
    cast = valid if ballots_cast is None else _exact(ballots_cast, "ballots_cast")
    if cast < valid:
        raise AllocationError(
            f"ballots_cast ({ballots_cast}) cannot be fewer than the valid votes ({float(valid):g})"
        )
    if cast > electorate:
        raise AllocationError(
            f"ballots cast ({float(cast):g}) cannot exceed registered voters ({registered})"
        )
    return valid, cast, float(cast / electorate)


def _first_round(
    votes: Mapping[str, float],
    registered: float,
    ballots_cast: float | None,
    turnout_validity: float | None,
    majority: float,
    runoff: str | float,
    *,
    majority_of: Literal["valid", "cast"],
    rng: np.random.Generator | None,
) -> TwoRoundResult:
    """Round 1 of a two-round contest: validity, majority, or who goes to the runoff."""
    valid, cast, turnout = _count_round(votes, registered, ballots_cast)
    validity = _optional_share(turnout_validity, "turnout_validity")
    needed = _share(majority, "majority")
    runoff_share = _runoff_rule(runoff)
    if (validity is not None and cast < validity * Fraction(registered)) or valid == 0:
        return TwoRoundResult("repeat", 1, None, (), turnout)
    base = valid if majority_of == "valid" else cast
    over = {name: v for name, v in votes.items() if Fraction(_exact(v, name)) > needed * base}
    if over:
        result = block_vote(over, 1, rng)
        winner = _elected(over, result.seats)[0]
        return TwoRoundResult(
            "elected", 1, winner, (), turnout, _staged(result.ties, "first-round")
        )
    with_votes = {name: v for name, v in votes.items() if v > 0}
    top = block_vote(with_votes, min(2, len(with_votes)), rng)
    going = set(_elected(with_votes, top.seats))
    if runoff_share is not None:
        bar = runoff_share * Fraction(registered)
        going |= {name for name, v in with_votes.items() if _exact(v, name) >= bar}
    candidates = tuple(name for name in votes if name in going)
    return TwoRoundResult(
        "runoff", 1, None, candidates, turnout, _staged(top.ties, "runoff-qualification")
    )


def _runoff_rule(runoff: str | float) -> Fraction | None:
    """None for top-two; the share of registered voters that qualifies otherwise."""
    if isinstance(runoff, str):
        if runoff != "top-two":
            raise AllocationError(
                f"runoff must be 'top-two' or a share of registered voters; got {runoff!r}"
            )
        return None
    return _share(runoff, "runoff")


def _elected(votes: Mapping[str, float], seats: tuple[int, ...]) -> list[str]:
    """Names holding a seat, in input order."""
    return [name for name, won in zip(votes, seats, strict=True) if won]


def _staged(ties: tuple[Tie, ...], stage: str) -> tuple[Tie, ...]:
    """Relabel ties with the stage of the contest they arose in."""
    return tuple(Tie(t.contenders, t.seats_at_stake, t.winners, stage) for t in ties)


def _seat_count(seats: Any) -> int:
    """A non-negative integer number of seats."""
    if isinstance(seats, bool) or not isinstance(seats, numbers.Integral) or seats < 0:
        raise AllocationError(f"seats must be a non-negative integer; got {seats!r}")
    return int(seats)


def _district_winner_names(winners: Iterable[str]) -> list[str]:
    """The winners of each district, checked to be names."""
    if isinstance(winners, str | bytes | Mapping):
        raise AllocationError(
            f"district_winners must be a sequence with one winner per district; got {winners!r}"
        )
    names = list(winners)
    for name in names:
        if not isinstance(name, str):
            raise AllocationError(f"district winners must be names (str); got {name!r}")
    return names


def _district_counts(district_seats: Mapping[str, int]) -> dict[str, int]:
    """District seats per party, checked to be non-negative integers."""
    if not isinstance(district_seats, Mapping):
        raise AllocationError(
            f"district_seats_by_party must be a mapping of party to seats; got {district_seats!r}"
        )
    counts = {}
    for party, seats in district_seats.items():
        if isinstance(seats, bool) or not isinstance(seats, numbers.Integral) or seats < 0:
            raise AllocationError(
                f"district seats must be non-negative integers; got {seats!r} for {party!r}"
            )
        counts[party] = int(seats)
    return counts


def _exemptions(
    exempt: Iterable[str],
    districts: Mapping[str, int],
    list_votes: Mapping[str, float],
    district_exemption: int | None,
) -> list[str]:
    """Parties exempt from the threshold, named or by their district wins."""
    if isinstance(exempt, str | bytes):
        raise AllocationError(
            f"exempt must be a collection of parties, not a single string; got {exempt!r}"
        )
    names = list(exempt)
    if district_exemption is not None:
        if (
            isinstance(district_exemption, bool)
            or not isinstance(district_exemption, numbers.Integral)
            or district_exemption < 1
        ):
            raise AllocationError(
                f"district_exemption must be a positive integer; got {district_exemption!r}"
            )
        names += [
            p
            for p, n in districts.items()
            if n >= district_exemption and p in list_votes and p not in names
        ]
    return names


def _party_order(list_votes: Mapping[str, float], districts: Mapping[str, int]) -> list[str]:
    """Parties with a list first, then district winners without one."""
    return list(list_votes) + [p for p in districts if p not in list_votes]


def _share_out(
    parties: list[str],
    list_votes: Mapping[str, float],
    seats: int,
    method: str,
    rng: np.random.Generator | None,
) -> tuple[dict[str, int], list[Tie]]:
    """Allocate ``seats`` among ``parties`` (already past the threshold) by their votes."""
    if not parties:
        if seats > 0:
            raise AllocationError(
                f"cannot allocate {seats} list seats: no party with list votes passes "
                f"the threshold or is exempt from it"
            )
        return {}, []
    result = allocate_seats({p: list_votes[p] for p in parties}, seats, method, rng=rng)
    return dict(zip(parties, result.seats, strict=True)), list(result.ties)


def _deducted(
    parties: list[str],
    list_votes: Mapping[str, float],
    districts: Mapping[str, int],
    house: int,
    method: str,
    entitled: dict[str, int],
    rng: np.random.Generator | None,
) -> tuple[dict[str, int], list[Tie]]:
    """Fix overhang parties at their district seats; share the rest among the others."""
    fixed: set[str] = set()
    seats = dict(entitled)
    ties: list[Tie] = []
    while True:
        new = {p for p in parties if p not in fixed and districts.get(p, 0) > seats[p]}
        if not new:
            return seats, ties
        fixed |= new
        pool = [p for p in parties if p not in fixed]
        left = house - sum(districts.get(p, 0) for p in fixed)
        share, round_ties = _share_out(pool, list_votes, left, method, rng)
        seats = {p: districts.get(p, 0) for p in fixed} | share
        ties += round_ties
