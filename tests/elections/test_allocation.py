"""Seat formulas: published results, hand-worked cases, ties, errors and invariants."""

from __future__ import annotations

import doctest
import importlib
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from polsim.elections import (
    METHODS,
    Allocation,
    AllocationError,
    Tie,
    allocate,
    allocate_seats,
    block_vote,
    canonical_method,
    levelled_house_size,
    passes_threshold,
    plurality,
    state_list,
)
from polsim.errors import PolsimError, UserInputError

# --- published allocations --------------------------------------------------------------

# Portugal, Assembleia da República election of 30 January 2022, Setúbal district
# (18 seats, D'Hondt). Source: official results, Secretaria-Geral do Ministério da
# Administração Interna / Comissão Nacional de Eleições (mapa oficial).
SETUBAL_2022 = {
    "PS": 198126,
    "PPD/PSD": 69967,
    "PCP-PEV (CDU)": 43553,
    "CH": 39171,
    "B.E.": 24940,
    "IL": 22225,
    "PAN": 8641,
    "CDS-PP": 4863,
}
SETUBAL_2022_SEATS = [10, 3, 2, 1, 1, 1, 0, 0]

# UK, European Parliament election of 22 May 2014, East of England region (7 seats,
# D'Hondt). Source: official declaration of the Regional Returning Officer.
# UKIP, Conservative, Labour, Green, Liberal Democrat, then the smaller lists.
EAST_OF_ENGLAND_2014 = [
    542812,
    446569,
    271601,
    133331,
    108010,
    26564,
    16497,
    12465,
    11627,
    4870,
]
EAST_OF_ENGLAND_2014_SEATS = [3, 3, 1, 0, 0, 0, 0, 0, 0, 0]

# Russia, State Duma election of 18 September 2016, federal party-list tier (225 seats,
# Hare largest remainder among the four lists over 5%). Source: official result of the
# Central Election Commission of the Russian Federation.
# United Russia, CPRF, LDPR, A Just Russia.
DUMA_2016 = [28527828, 7019752, 6917063, 3275053]


def test_setubal_2022_dhondt() -> None:
    """D'Hondt reproduces the official 18 seats of Setúbal 2022."""
    assert allocate(list(SETUBAL_2022.values()), 18, "dhondt") == SETUBAL_2022_SEATS
    assert allocate(SETUBAL_2022, 18) == dict(zip(SETUBAL_2022, SETUBAL_2022_SEATS, strict=True))


def test_east_of_england_2014_dhondt() -> None:
    """D'Hondt reproduces the official 7 MEPs of the East of England in 2014."""
    result = allocate_seats(EAST_OF_ENGLAND_2014, 7, "dhondt")
    assert list(result.seats) == EAST_OF_ENGLAND_2014_SEATS
    assert result.ties == ()


def test_duma_2016_hare_largest_remainder() -> None:
    """Hare largest remainder reproduces the official 140/35/34/16 of the 2016 Duma list tier."""
    # Quota 45,739,696 / 225 = 203,287.54: floors 140/34/34/16 = 224; the last seat goes
    # to the CPRF, whose remainder (.53 of a quota) is the largest.
    assert allocate(DUMA_2016, 225, "hare") == [140, 35, 34, 16]


def test_duma_2016_dhondt_counterfactual() -> None:
    """D'Hondt on the same votes moves one seat from the CPRF to United Russia."""
    assert allocate(DUMA_2016, 225, "dhondt") == [141, 34, 34, 16]


# --- hand-worked cases ------------------------------------------------------------------


def test_divisor_methods_hand_worked() -> None:
    """The three divisor methods on one small election, quotients worked by hand."""
    votes = [5000, 3100, 1150]
    # D'Hondt quotients: A 5000 2500 1666.7 | B 3100 1550 | C 1150 -> top 5: A3 B2.
    assert allocate(votes, 5, "dhondt") == [3, 2, 0]
    # Sainte-Laguë: A 5000 1666.7 1000 | B 3100 1033.3 | C 1150 -> top 5: A2 B2 C1.
    assert allocate(votes, 5, "sainte-lague") == [2, 2, 1]
    # Modified: A 3571.4 1666.7 1000 | B 2214.3 1033.3 | C 821.4 -> top 5: A3 B2.
    assert allocate(votes, 5, "modified-sainte-lague") == [3, 2, 0]


def test_largest_remainder_quotas_hand_worked() -> None:
    """Hare, Droop and exact Droop quotas on one election, worked by hand."""
    votes = [6200, 2000, 1800]  # V = 10,000, S = 7
    # Hare q = 1428.57: floors 4/1/1, remainders 485.7/571.4/371.4 -> B.
    assert allocate(votes, 7, "hare") == [4, 2, 1]
    # Droop q = floor(10000/8) + 1 = 1251: floors 4/1/1, remainders 1196/749/549 -> A.
    assert allocate(votes, 7, "droop") == [5, 1, 1]
    # Exact Droop q = 1250: floors 4/1/1, remainders 1200/750/550 -> A.
    assert allocate(votes, 7, "exact-droop") == [5, 1, 1]


def test_exact_droop_overallocation_gives_back_one_seat_by_lot() -> None:
    """With quota V/(S+1) and exact quotients one seat too many is handed out, then taken back."""
    # q = 1000/10 = 100: floors 6 + 3 + 1 = 10 seats for a house of 9; all remainders 0.
    result = allocate_seats([600, 300, 100], 9, "exact-droop")
    assert sum(result.seats) == 9
    (tie,) = result.ties
    assert tie.stage == "overallocation"
    assert tie.contenders == (0, 1, 2)
    assert tie.seats_at_stake == 2 and len(tie.winners) == 2
    (loser,) = set(tie.contenders) - set(tie.winners)
    assert result.seats[loser] == [6, 3, 1][loser] - 1


def test_droop_never_overallocates_on_exact_quotients() -> None:
    """The +1 of Droop's quota keeps the same election within the house."""
    # q = floor(1000/10) + 1 = 101: floors 5/2/0 = 7, remainders 95/98/100 -> C, B.
    assert allocate([600, 300, 100], 9, "droop") == [5, 3, 1]


def test_droop_more_seats_left_than_parties() -> None:
    """With fewer votes than seats, leftover seats go round the parties in full rounds."""
    # q = floor(10/9) + 1 = 2: floors 2 + 2, 4 seats left for 2 parties: 2 rounds.
    assert allocate([5, 5], 8, "droop") == [4, 4]


def test_aliases_and_case() -> None:
    """Aliases and spellings map to the canonical methods."""
    assert canonical_method("Jefferson") == "dhondt"
    assert canonical_method("d'hondt") == "dhondt"
    assert canonical_method("WEBSTER") == "sainte-lague"
    assert canonical_method("Sainte Laguë") == "sainte-lague"
    assert canonical_method("hamilton") == "hare"
    assert canonical_method("Hare_Niemeyer") == "hare"
    assert canonical_method("hagenbach-bischoff-quota") == "exact-droop"
    assert allocate(DUMA_2016, 225, "hamilton") == allocate(DUMA_2016, 225, "hare")


def test_threshold_is_reached_exactly_at_the_share() -> None:
    """A party with exactly 5% passes a 0.05 threshold (read as 1/20, not a binary float)."""
    assert passes_threshold([950, 50], 0.05) == (True, True)
    assert passes_threshold([951, 49], 0.05) == (True, False)
    assert allocate([700, 250, 50], 20, "hare", 0.05) == [14, 5, 1]
    assert allocate([701, 250, 49], 20, "hare", 0.05) == [15, 5, 0]


def test_exempt_party_takes_part_below_threshold() -> None:
    """An exempt party below the threshold still takes part; others below it do not."""
    votes = {"A": 600, "B": 340, "C": 30, "D": 30}
    assert allocate(votes, 20, "hare", 0.05) == {"A": 13, "B": 7, "C": 0, "D": 0}
    # Exempting C: V = 1000 over A, B, C is 970; q = 48.5: floors 12/7/0, C's 30 wins.
    assert allocate(votes, 20, "hare", 0.05, exempt=["C"]) == {"A": 12, "B": 7, "C": 1, "D": 0}
    assert allocate(list(votes.values()), 20, "hare", 0.05, exempt=[2]) == [12, 7, 1, 0]


def test_zero_seats_and_zero_votes() -> None:
    """No seats to fill is always fine; seats with nobody to give them to are an error."""
    assert allocate([0, 0], 0) == [0, 0]
    assert allocate([], 0) == []
    with pytest.raises(AllocationError, match="total vote is zero"):
        allocate([0, 0], 3)


def test_numpy_input_and_plain_int_output() -> None:
    """NumPy vote arrays work and the result holds plain ints."""
    seats = allocate(np.array(DUMA_2016), np.int64(225), "hare")
    assert seats == [140, 35, 34, 16]
    assert all(type(s) is int for s in seats)
    assert allocate(np.array([0.5, 0.3, 0.2]), 10) == [5, 3, 2]


# --- exact ties -------------------------------------------------------------------------


def test_exact_tie_detected_and_reported() -> None:
    """Two equal quotients for one seat are a tie: reported, and won by one of them."""
    result = allocate_seats([100, 50], 2, "dhondt")  # 100/2 = 50/1
    (tie,) = result.ties
    assert tie == Tie((0, 1), 1, tie.winners, "highest-average")
    assert tie.winners in ((0,), (1,))
    assert result.seats == ((2, 0) if tie.winners == (0,) else (1, 1))


def test_no_false_tie_from_float_rounding() -> None:
    """Quotients a float cannot tell apart are still compared exactly."""
    b = 10**17
    # (2b + 1)/2 = b + 0.5 > b, but both round to the same float.
    assert float(2 * b + 1) / 2 == float(b)
    result = allocate_seats([2 * b + 1, b], 2, "dhondt")
    assert result == Allocation((2, 0), ())


def test_float_votes_tie_exactly_when_equal() -> None:
    """Float votes whose quotients are exactly equal do tie; near-equal ones do not."""
    assert len(allocate_seats([0.5, 0.25], 2).ties) == 1
    assert allocate_seats([0.1 + 0.2, 0.3], 1).ties == ()  # 0.30000000000000004 > 0.3


def test_largest_remainder_tie() -> None:
    """Equal remainders for the last seat are a largest-remainder tie."""
    # q = 1000/2 = 500: no floors; remainders 300/300/400: C first, then A or B.
    result = allocate_seats({"A": 300, "B": 300, "C": 400}, 2, "hare")
    (tie,) = result.ties
    assert tie.stage == "largest-remainder"
    assert tie.contenders == ("A", "B") and tie.seats_at_stake == 1
    assert sum(result.seats) == 2 and result.seats[2] == 1


def test_tie_shared_out_when_enough_seats_is_no_tie() -> None:
    """Equal quotients that all fit in the house need no lot."""
    assert allocate_seats([100, 100, 10], 2) == Allocation((1, 1, 0), ())


def test_lot_from_rng_is_reproducible_and_random() -> None:
    """Lots follow the generator: same seed, same winner; different seeds, both winners."""
    first = allocate_seats([100, 50], 2, rng=np.random.default_rng(7))
    again = allocate_seats([100, 50], 2, rng=np.random.default_rng(7))
    assert first == again
    winners = {allocate_seats([100, 50], 2, rng=np.random.default_rng(s)).seats for s in range(40)}
    assert winners == {(2, 0), (1, 1)}


def test_lot_without_rng_is_deterministic() -> None:
    """Without a generator, the same inputs always draw the same lot."""
    results = {allocate_seats([1, 1, 1, 1], 2, "hare") for _ in range(5)}
    assert len(results) == 1
    assert len(next(iter(results)).ties) == 1


# --- candidate formulas -----------------------------------------------------------------


def test_plurality_block_and_state_list() -> None:
    """Single and multi-seat plurality elect the most-voted candidates."""
    assert plurality([10, 30, 20]).seats == (0, 1, 0)
    assert block_vote({"A": 5, "B": 9, "C": 7, "D": 1}, 2).seats == (0, 1, 1, 0)
    assert state_list([900, 650, 700, 640], 3).seats == (1, 1, 1, 0)


def test_plurality_tie_by_lot() -> None:
    """A tie for first place is broken by lot and reported with names."""
    result = plurality({"A": 40, "B": 40, "C": 20}, rng=np.random.default_rng(1))
    (tie,) = result.ties
    assert tie.contenders == ("A", "B") and tie.stage == "plurality"
    assert sum(result.seats) == 1 and result.seats[2] == 0


def test_block_vote_needs_candidates_with_votes() -> None:
    """Candidates without votes cannot fill a block-vote seat."""
    with pytest.raises(AllocationError, match="at least as many candidates with votes"):
        block_vote([5, 0, 0], 2)


# --- house levelling --------------------------------------------------------------------


def test_levelled_house_size_is_smallest_covering_size() -> None:
    """The levelled size covers every minimum, and no smaller size from start does."""
    votes, minimum = {"A": 300, "B": 410, "C": 290}, {"A": 4}
    for method in METHODS:
        size = levelled_house_size(votes, minimum, method, start=10)
        assert allocate(votes, size, method)["A"] >= 4
        for smaller in range(10, size):
            assert allocate(votes, smaller, method)["A"] < 4, (method, smaller)
    # D'Hondt by hand: A's 4th quotient is 75; quotients >= 75: A 4, B 5, C 3 -> 12.
    assert levelled_house_size(votes, minimum, "dhondt", start=10) == 12
    assert levelled_house_size(votes, {"A": 3}, "dhondt", start=10) == 10


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "seats", "kwargs", "message"),
    [
        ({"A": 10, "B": -3}, 2, {}, "votes must be non-negative; got -3 for 'B'"),
        ([10, float("nan")], 2, {}, "votes must be finite; got nan for 1"),
        ([10, float("inf")], 2, {}, "votes must be finite; got inf for 1"),
        ([10, "x"], 2, {}, "votes must be numbers; got 'x' for 1"),
        ([10, 5], -1, {}, "seats must be a non-negative integer; got -1"),
        ([10, 5], 2.5, {}, "seats must be a non-negative integer; got 2.5"),
        ([10, 5], True, {}, "seats must be a non-negative integer; got True"),
        ([10, 5], 2, {"method": "borda"}, "unknown seat allocation method 'borda'"),
        ([10, 5], 2, {"threshold": 1.0}, "threshold must be a share in [0, 1)"),
        ([10, 5], 2, {"threshold": -0.01}, "threshold must be a share in [0, 1)"),
        ([10, 5], 2, {"threshold": 5}, "did you mean 0.05?"),
        ([10, 5], 2, {"threshold": float("nan")}, "threshold must be a share in [0, 1)"),
        ({"A": 10}, 2, {"exempt": ["Z"]}, "exempt party 'Z' is not among the parties"),
        ({"A": 10}, 2, {"exempt": "A"}, "not a single string"),
        ([10, 5], 2, {"exempt": [2]}, "exempt party index 2 is out of range"),
        ([10, 5], 2, {"threshold": 0.5, "exempt": []}, None),
        ([90, 5, 5], 2, {"threshold": 0.95}, "no party with votes reaches the threshold"),
    ],
)
def test_errors_name_the_problem(votes, seats, kwargs, message) -> None:
    """Bad input raises a ValueError (and PolsimError) whose message names value and rule."""
    if message is None:  # a valid call among the invalid ones, as a control
        assert sum(allocate(votes, seats, **kwargs)) == seats
        return
    with pytest.raises(AllocationError) as raised:
        allocate(votes, seats, **kwargs)
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, UserInputError)
    assert isinstance(raised.value, PolsimError)


def test_unknown_method_lists_known_methods() -> None:
    """The unknown-method message lists every canonical method."""
    with pytest.raises(ValueError) as raised:
        allocate([1, 2], 1, method="imperiali")
    for name in METHODS:
        assert name in str(raised.value)
    assert "jefferson" in str(raised.value)


def test_rng_must_be_a_generator() -> None:
    """A legacy RandomState (or anything else) is refused as the lot's generator."""
    with pytest.raises(AllocationError, match=r"numpy\.random\.Generator"):
        allocate_seats([1, 2], 1, rng=np.random.RandomState(0))


# --- properties -------------------------------------------------------------------------

# Small vote counts make ties common; large ones make them rare. Both are wanted.
vote_counts = st.one_of(
    st.lists(st.integers(0, 12), min_size=1, max_size=7),
    st.lists(st.integers(0, 10**6), min_size=1, max_size=7),
).filter(lambda votes: sum(votes) > 0)
thresholds = st.sampled_from([0.0, 0.01, 0.05, 0.1])  # the largest party always passes 0.1
methods = st.sampled_from(METHODS)


def _divisor(method: str, held: int) -> Fraction:
    """The divisor sequences, written out again so the tests do not trust the code's."""
    return {
        "dhondt": Fraction(held + 1),
        "sainte-lague": Fraction(2 * held + 1),
        "modified-sainte-lague": Fraction(7, 5) if held == 0 else Fraction(2 * held + 1),
    }[method]


def _eligible(votes: list[int], threshold: float, exempt=()) -> list[int]:
    total = sum(votes)
    share = Fraction(str(threshold))
    return [i for i, v in enumerate(votes) if v > 0 and (v >= share * total or i in exempt)]


@settings(max_examples=300, deadline=None)
@given(votes=vote_counts, seats=st.integers(0, 60), method=methods, threshold=thresholds)
def test_seats_sum_to_house_and_only_eligible_win(votes, seats, method, threshold) -> None:
    """Seats sum to the house; zero-vote and below-threshold parties win nothing."""
    won = allocate(votes, seats, method, threshold)
    assert sum(won) == seats
    eligible = set(_eligible(votes, threshold))
    for party, count in enumerate(won):
        if party not in eligible:
            assert count == 0, (party, votes[party])


@settings(max_examples=200, deadline=None)
@given(
    votes=vote_counts,
    seats=st.integers(1, 40),
    method=methods,
    exempt_pick=st.integers(0, 6),
)
def test_exempt_party_with_votes_takes_part(votes, seats, method, exempt_pick) -> None:
    """An exempt party is treated as past the threshold, even a very high one."""
    exempt = exempt_pick % len(votes)
    eligible = set(_eligible(votes, 0.9, exempt=(exempt,)))
    assume(eligible)
    won = allocate(votes, seats, method, 0.9, exempt=[exempt])
    assert sum(won) == seats
    assert all(count == 0 for party, count in enumerate(won) if party not in eligible)


@settings(max_examples=300, deadline=None)
@given(
    votes=vote_counts,
    seats=st.integers(0, 40),
    method=st.sampled_from(["dhondt", "sainte-lague", "modified-sainte-lague"]),
)
def test_divisor_methods_are_house_monotone(votes, seats, method) -> None:
    """Adding a seat to the house never takes a seat from any party (no lot involved)."""
    smaller = allocate_seats(votes, seats, method)
    larger = allocate_seats(votes, seats + 1, method)
    assume(not smaller.ties and not larger.ties)
    assert all(b >= a for a, b in zip(smaller.seats, larger.seats, strict=True))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(votes=vote_counts, seats=st.integers(1, 40), method=methods, threshold=thresholds)
def test_reported_ties_are_real_and_unreported_ones_absent(votes, seats, method, threshold) -> None:
    """Every reported tie is an exact tie at the cut, and every untied cut is strict."""
    result = allocate_seats(votes, seats, method, threshold)
    eligible = _eligible(votes, threshold)
    tied = {p for tie in result.ties for p in tie.contenders}
    for tie in result.ties:
        assert set(tie.winners) <= set(tie.contenders)
        assert len(tie.winners) == tie.seats_at_stake < len(tie.contenders)
    if method in ("dhondt", "sainte-lague", "modified-sainte-lague"):
        # Last seated quotient of each seated party, next quotient of every party.
        last = {
            p: Fraction(votes[p]) / _divisor(method, result.seats[p] - 1)
            for p in eligible
            if result.seats[p]
        }
        following = {p: Fraction(votes[p]) / _divisor(method, result.seats[p]) for p in eligible}
        cut = min(last.values())
        assert max(following.values()) <= cut
        at_cut = {p for p in last if last[p] == cut} | {p for p in following if following[p] == cut}
        if result.ties:
            (tie,) = result.ties
            assert set(tie.contenders) == at_cut
            assert {p for p in tie.contenders if p in tie.winners} == {
                p for p in at_cut if last.get(p) == cut
            }
        else:
            assert max(following.values()) < cut, "an unreported tie"
    elif method in ("hare", "droop", "exact-droop"):
        total = sum(votes[p] for p in eligible)
        quota = {
            "hare": Fraction(total, seats),
            "droop": Fraction(total // (seats + 1) + 1),
            "exact-droop": Fraction(total, seats + 1),
        }[method]
        remainder = {p: votes[p] - (votes[p] // quota) * quota for p in eligible}
        for tie in result.ties:
            assert len({remainder[p] for p in tie.contenders}) == 1
        assert tied <= set(eligible)


@settings(max_examples=200, deadline=None)
@given(votes=vote_counts, seats=st.integers(0, 40), method=methods, threshold=thresholds)
def test_mapping_equals_sequence(votes, seats, method, threshold) -> None:
    """Allocating a mapping gives the sequence's result, keyed by name, ties included."""
    names = [f"party {i}" for i in range(len(votes))]
    by_name = allocate(dict(zip(names, votes, strict=True)), seats, method, threshold)
    assert list(by_name) == names
    assert list(by_name.values()) == allocate(votes, seats, method, threshold)


@settings(max_examples=200, deadline=None)
@given(votes=vote_counts, seats=st.integers(1, 40))
def test_hare_stays_within_quota(votes, seats) -> None:
    """Hare largest remainder gives every party its quota rounded down or up."""
    won = allocate(votes, seats, "hare")
    total = sum(votes)
    for v, w in zip(votes, won, strict=True):
        quota = Fraction(v * seats, total)
        assert quota - 1 < w < quota + 1


# --- doctests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [
        "polsim.elections",
        "polsim.elections.allocation",
        "polsim.elections.systems",
        "polsim.elections.calculator",
    ],
)
def test_docstring_examples(module: str) -> None:
    """The examples in the docstrings run and print what they show."""
    failures, tried = doctest.testmod(importlib.import_module(module))
    assert failures == 0
    assert tried > 0 or module == "polsim.elections"
