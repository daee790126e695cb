"""Electoral systems: two-round contests, referendums, parallel and MMP, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from polsim.elections import (
    AllocationError,
    MixedResult,
    TwoRoundResult,
    decide_runoff,
    mixed_parallel,
    mmp,
    presidential_two_round,
    referendum,
    two_round_majority,
)

# --- two-round majority -----------------------------------------------------------------


def test_first_round_majority_elects() -> None:
    """A candidate above 50% of valid votes, on a valid turnout, wins in round 1."""
    # Turnout 10,000 / 16,000 = 62.5%; A has 5,200 / 10,000 = 52%.
    result = two_round_majority({"A": 5_200, "B": 3_000, "C": 1_800}, registered=16_000)
    assert result == TwoRoundResult("elected", 1, "A", (), 0.625)


def test_runoff_between_top_two_then_plurality() -> None:
    """Without a majority the top two meet in a runoff, won by plurality."""
    # Turnout 10,000 / 15,000; A 40%, B 35%, C 25%: no majority.
    first = two_round_majority({"A": 4_000, "B": 3_500, "C": 2_500}, registered=15_000)
    assert first.outcome == "runoff" and first.round_number == 1
    assert first.runoff_candidates == ("A", "B")
    assert first.winner is None
    final = decide_runoff(first, {"A": 4_200, "B": 5_100}, registered=15_000)
    assert final == TwoRoundResult("elected", 2, "B", ("A", "B"), 9_300 / 15_000)


def test_runoff_resolved_in_one_call() -> None:
    """Passing the runoff votes up front gives the same result as two calls."""
    votes = {"A": 4_000, "B": 3_500, "C": 2_500}
    one_call = two_round_majority(votes, 15_000, runoff_votes={"B": 5_100, "A": 4_200})
    assert one_call.winner == "B" and one_call.round_number == 2


def test_low_turnout_means_repeat_election() -> None:
    """Below 50% turnout the first round is void, whatever the votes say (1994 rule)."""
    # 5,000 / 12,000 = 41.7% turnout; A's 60% does not count.
    result = two_round_majority({"A": 3_000, "B": 2_000}, registered=12_000)
    assert result.outcome == "repeat" and result.winner is None
    assert result.turnout == pytest.approx(5 / 12)


def test_turnout_exactly_half_is_valid() -> None:
    """Turnout of exactly 50% meets the validity rule."""
    assert two_round_majority({"A": 3_000, "B": 2_000}, 10_000).outcome == "elected"


def test_exactly_half_the_votes_is_no_majority() -> None:
    """50% of valid votes is not *more than* half, so a runoff follows."""
    result = two_round_majority({"A": 50, "B": 30, "C": 20}, registered=150)
    assert result.outcome == "runoff" and result.runoff_candidates == ("A", "B")


def test_invalid_ballots_count_for_turnout_not_majority() -> None:
    """Spoilt ballots raise turnout; the legislative majority is of valid votes."""
    # Turnout 6,100 / 12,000 = 50.8% counts only with the 1,100 spoilt ballots.
    votes = {"A": 4_000, "B": 1_000}
    assert two_round_majority(votes, 12_000).outcome == "repeat"
    result = two_round_majority(votes, 12_000, ballots_cast=6_100)
    assert result.outcome == "elected" and result.winner == "A"


def test_no_turnout_rule() -> None:
    """With turnout_validity=None any turnout is valid."""
    result = two_round_majority({"A": 30, "B": 10}, registered=1_000, turnout_validity=None)
    assert result.winner == "A"


def test_tie_at_the_runoff_cut_is_drawn_and_named() -> None:
    """B and C tie for second place: one goes through by lot, reported by name."""
    result = two_round_majority({"A": 40, "B": 30, "C": 30}, registered=150)
    assert result.runoff_candidates[0] == "A" and len(result.runoff_candidates) == 2
    (tie,) = result.ties
    assert tie.stage == "runoff-qualification"
    assert tie.contenders == ("B", "C") and tie.seats_at_stake == 1
    assert tie.winners == (result.runoff_candidates[1],)
    # Reproducible from a generator, and different seeds can favour either.
    qualified = {
        two_round_majority(
            {"A": 40, "B": 30, "C": 30}, 150, rng=np.random.default_rng(seed)
        ).runoff_candidates
        for seed in range(30)
    }
    assert qualified == {("A", "B"), ("A", "C")}


def test_tied_runoff_is_drawn() -> None:
    """A tied runoff is decided by lot and reported after the first round's ties."""
    first = two_round_majority({"A": 40, "B": 35, "C": 25}, registered=150)
    final = decide_runoff(first, {"A": 50, "B": 50}, registered=150)
    assert final.outcome == "elected" and final.winner in ("A", "B")
    (tie,) = final.ties
    assert tie.stage == "runoff" and tie.contenders == ("A", "B")
    assert tie.winners == (final.winner,)


def test_runoff_turnout_rule() -> None:
    """A runoff turnout rule, when set, voids a runoff below it."""
    first = two_round_majority({"A": 45, "B": 40, "C": 15}, registered=150)
    # 35 / 150 = 23% < 25%.
    result = decide_runoff(first, {"A": 20, "B": 15}, 150, turnout_validity=0.25)
    assert result.outcome == "repeat" and result.round_number == 2
    assert decide_runoff(first, {"A": 20, "B": 15}, 150).winner == "A"


def test_french_rule_lets_three_through() -> None:
    """With runoff=0.125, everyone with 12.5% of registered voters goes through."""
    # Registered 1,000: the bar is 125 votes. A, B, C reach it; D does not.
    votes = {"A": 300, "B": 200, "C": 130, "D": 100}
    result = two_round_majority(votes, 1_000, runoff=0.125)
    assert result.runoff_candidates == ("A", "B", "C")
    final = decide_runoff(result, {"A": 280, "B": 300, "C": 120}, 1_000)
    assert final.winner == "B"


def test_french_rule_keeps_top_two_when_few_reach_the_bar() -> None:
    """If fewer than two reach 12.5% of registered voters, the top two still go through."""
    votes = {"A": 120, "B": 110, "C": 100}
    result = two_round_majority(votes, 1_000, turnout_validity=None, runoff=0.125)
    assert result.runoff_candidates == ("A", "B")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"registered": 0}, "registered must be positive"),
        ({"registered": 50}, "cannot exceed registered voters"),
        ({"ballots_cast": 50}, "cannot be fewer than the valid votes"),
        ({"turnout_validity": 1.5}, "turnout_validity must be a share in [0, 1)"),
        ({"majority": 1}, "majority must be a share in [0, 1)"),
        ({"runoff": "top-three"}, "runoff must be 'top-two' or a share"),
        ({"first_round_votes": {"A": -1, "B": 60}}, "must be non-negative"),
    ],
)
def test_two_round_errors(kwargs, message) -> None:
    """Impossible figures and unknown rules raise ValueErrors that say what is wrong."""
    arguments = {"first_round_votes": {"A": 40, "B": 60}, "registered": 200} | kwargs
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace(")", r"\)")):
        two_round_majority(**arguments)


def test_decide_runoff_checks_its_inputs() -> None:
    """The runoff needs a first round that called for one, and exactly its candidates."""
    elected = two_round_majority({"A": 60, "B": 40}, 150)
    with pytest.raises(AllocationError, match="outcome is 'runoff'; got 'elected'"):
        decide_runoff(elected, {"A": 1}, 150)
    first = two_round_majority({"A": 45, "B": 40, "C": 15}, 150)
    with pytest.raises(AllocationError, match="exactly the runoff candidates"):
        decide_runoff(first, {"A": 50, "C": 40}, 150)


# --- presidential -----------------------------------------------------------------------


def test_presidential_majority_is_of_ballots_cast() -> None:
    """A presidential candidate needs more than half of all ballots, spoilt ones included."""
    votes = {"Incumbent": 4_950, "Challenger": 4_750}
    # 4,950 / 9,700 valid = 51%, but 4,950 / 10,000 cast = 49.5%.
    assert presidential_two_round(votes, 12_000, ballots_cast=10_000).outcome == "runoff"
    assert presidential_two_round(votes, 12_000).winner == "Incumbent"
    final = presidential_two_round(
        votes, 12_000, ballots_cast=10_000, runoff_votes={"Incumbent": 6_000, "Challenger": 3_500}
    )
    assert final.winner == "Incumbent" and final.round_number == 2


def test_presidential_turnout_validity() -> None:
    """A presidential election below the turnout rule must be repeated."""
    assert presidential_two_round({"A": 400, "B": 100}, 1_200).outcome == "repeat"


# --- referendum -------------------------------------------------------------------------


def test_referendum_quorum_and_majority() -> None:
    """Approval needs the quorum and a majority of the valid votes by default."""
    approved = referendum(yes=700, no=300, registered=1_600)  # turnout 62.5%
    assert approved.outcome == "approved" and approved.quorum_met
    assert approved.yes_share == pytest.approx(0.7)
    invalid = referendum(yes=700, no=30, registered=1_600)  # turnout 45.6%
    assert invalid.outcome == "invalid" and not invalid.quorum_met
    assert referendum(yes=300, no=700, registered=1_600).outcome == "rejected"


def test_referendum_quorum_exactly_met_and_switched_off() -> None:
    """Turnout equal to the quorum counts; without a quorum any turnout counts."""
    assert referendum(600, 200, 1_600).outcome == "approved"  # exactly 50%
    assert referendum(200, 100, 1_600, turnout_quorum=None).outcome == "approved"


def test_referendum_tie_rejects() -> None:
    """An equal yes and no is not a majority."""
    assert referendum(500, 500, 1_600).outcome == "rejected"


def test_referendum_approval_rules() -> None:
    """Majority of votes, of ballots cast and of registered voters differ as they should."""
    # 1,000 ballots, 110 spoilt: yes 490 > no 400, but 490 < 500 = half the ballots.
    assert referendum(490, 400, 1_600, ballots_cast=1_000).outcome == "approved"
    assert (
        referendum(490, 400, 1_600, approval="majority_of_ballots", ballots_cast=1_000).outcome
        == "rejected"
    )
    assert (
        referendum(520, 370, 1_600, approval="majority_of_ballots", ballots_cast=1_000).outcome
        == "approved"
    )
    # Registered 1,600: yes must exceed 800.
    assert referendum(700, 300, 1_600, approval="majority_of_registered").outcome == "rejected"
    assert referendum(801, 199, 1_600, approval="majority_of_registered").outcome == "approved"


def test_referendum_unknown_rule() -> None:
    """An unknown approval rule is named in the error."""
    with pytest.raises(ValueError, match=r"approval must be one of .*; got 'two_thirds'"):
        referendum(1, 1, 4, approval="two_thirds")


# --- mixed parallel ---------------------------------------------------------------------


def test_parallel_list_tier_ignores_districts() -> None:
    """List seats are shared by list votes alone and added to the district seats."""
    # D'Hondt over 5 list seats: A 500 250 166.7 | B 300 150 | C 200 -> A3 B1 C1.
    result = mixed_parallel(["A", "A", "B", "Ind."], {"A": 500, "B": 300, "C": 200}, 5)
    assert result == MixedResult(
        district_seats={"A": 2, "B": 1, "C": 0, "Ind.": 1},
        list_seats={"A": 3, "B": 1, "C": 1, "Ind.": 0},
        seats={"A": 5, "B": 2, "C": 1, "Ind.": 1},
        house_size=9,
        overhang={},
    )


def test_parallel_threshold_and_district_exemption() -> None:
    """A party below the threshold wins list seats only if its district win exempts it."""
    votes = {"A": 600, "B": 370, "C": 40}  # C: 4% of 1,010, below 10%
    # Without C: q = 970/20 = 48.5; floors 12/7, remainders 18/30.5 -> B: A12 B8.
    plain = mixed_parallel(["A", "C", "B"], votes, 20, "hare", 0.1)
    assert plain.list_seats == {"A": 12, "B": 8, "C": 0}
    # C exempt: q = 1010/20 = 50.5; floors 11/7/0, remainders 44.5/16.5/40 -> A, C.
    exempted = mixed_parallel(["A", "C", "B"], votes, 20, "hare", 0.1, district_exemption=1)
    assert exempted.list_seats == {"A": 12, "B": 7, "C": 1}
    assert exempted.seats == {"A": 13, "B": 8, "C": 2}
    assert exempted.house_size == 23


# --- mixed-member proportional ----------------------------------------------------------

# A 10-seat house, D'Hondt. List votes A 300, B 410, C 290; A won 4 districts, B 1.
# Quotients: A 300 150 100 75 | B 410 205 136.7 102.5 82 | C 290 145 96.7 72.5.
# The 10 largest: 410 300 290 205 150 145 136.7 102.5 100 96.7 -> entitlement A3 B4 C3,
# the next is 82, so no tie. A has one overhang seat.
DISTRICTS = {"A": 4, "B": 1}
LIST_VOTES = {"A": 300, "B": 410, "C": 290}


def test_mmp_keep_overhang() -> None:
    """'keep': A keeps its 4 districts, others get their entitlement, the house grows to 11."""
    result = mmp(DISTRICTS, LIST_VOTES, 10, overhang="keep")
    assert result.seats == {"A": 4, "B": 4, "C": 3}
    assert result.list_seats == {"A": 0, "B": 3, "C": 3}
    assert result.house_size == 11
    assert result.overhang == {"A": 1}


def test_mmp_level_overhang() -> None:
    """'level': the house grows until A's 4 seats are proportional: 12 seats."""
    # A's 4th quotient is 75; quotients >= 75: A 4, B 5 (82 is the 5th), C 3 -> 12.
    result = mmp(DISTRICTS, LIST_VOTES, 10, overhang="level")
    assert result.seats == {"A": 4, "B": 5, "C": 3}
    assert result.house_size == 12
    assert result.overhang == {"A": 1}


def test_mmp_level_with_largest_remainder() -> None:
    """Levelling with Hare tries sizes upward: 10 and 11 leave A at 3, 12 gives it 4."""
    # 10: q 100 -> 3/4/2 + C = 3/4/3.  11: q 90.9 -> 3/4/3 + B = 3/5/3.
    # 12: q 83.3 -> floors 3/4/3, remainders 50/76.7/40 -> B, A = 4/5/3.
    result = mmp({"A": 4}, LIST_VOTES, 10, "hare", overhang="level")
    assert result.seats == {"A": 4, "B": 5, "C": 3}
    assert result.house_size == 12


def test_mmp_deduct_overhang_matches_scottish_rule() -> None:
    """'deduct': no extra seats; the 6 seats left go to B and C, as the Scottish rule gives."""
    # Scottish rule: 5 list seats, quotient v / (1 + districts + list seats won):
    # start A 300/5 = 60, B 410/2 = 205, C 290/1 = 290.
    # 1st: C 290 -> C 145.  2nd: B 205 -> B 136.7.  3rd: C 145 -> C 96.7.
    # 4th: B 136.7 -> B 102.5.  5th: B 102.5.  List seats B 3, C 2; totals A4 B4 C2.
    result = mmp(DISTRICTS, LIST_VOTES, 10, overhang="deduct")
    assert result.seats == {"A": 4, "B": 4, "C": 2}
    assert result.list_seats == {"A": 0, "B": 3, "C": 2}
    assert result.house_size == 10
    assert result.overhang == {"A": 1}


def test_mmp_without_overhang_is_the_same_under_every_option() -> None:
    """When districts fit within the entitlements, every option gives the entitlement."""
    results = {
        option: mmp({"A": 2, "B": 1}, LIST_VOTES, 10, overhang=option)
        for option in ("keep", "level", "deduct")
    }
    for result in results.values():
        assert result.seats == {"A": 3, "B": 4, "C": 3}
        assert result.list_seats == {"A": 1, "B": 3, "C": 3}
        assert result.house_size == 10 and result.overhang == {}


def test_mmp_uncompensated_district_seats_come_off_the_top() -> None:
    """Seats of independents and parties below the threshold shrink the proportional house."""
    votes = LIST_VOTES | {"D": 20}  # D: 20 / 1,020 = 2%, below 5%
    # 10 - 2 uncompensated (Ind., D) = 8 proportional seats:
    # 410 300 290 205 150 145 136.7 102.5 -> A2 B4 C2.
    result = mmp({"A": 2, "Ind.": 1, "D": 1}, votes, 10, threshold=0.05)
    assert result.seats == {"A": 2, "B": 4, "C": 2, "D": 1, "Ind.": 1}
    assert result.list_seats == {"A": 0, "B": 4, "C": 2, "D": 0, "Ind.": 0}
    assert result.house_size == 10


def test_mmp_errors() -> None:
    """A house smaller than its districts, or an unknown overhang rule, is refused."""
    with pytest.raises(AllocationError, match=r"total_seats \(4\) must be at least"):
        mmp({"A": 5}, LIST_VOTES, 4)
    with pytest.raises(AllocationError, match="overhang must be one of"):
        mmp(DISTRICTS, LIST_VOTES, 10, overhang="grow")
    with pytest.raises(AllocationError, match="district seats must be non-negative integers"):
        mmp({"A": -1}, LIST_VOTES, 10)
