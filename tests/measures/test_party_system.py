"""Party-system indices against published examples and hand-worked cases."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polsim.errors import UserInputError
from polsim.measures import (
    Volatility,
    effective_number_of_parties,
    gallagher,
    golosov,
    loosemore_hanby,
    party_nationalization,
    party_system_nationalization,
    pedersen,
    pedersen_components,
)

# --- fragmentation ----------------------------------------------------------------------


def test_effective_number_of_parties_published_example() -> None:
    """Laakso-Taagepera: (0.75, 0.25) -> 1 / (0.5625 + 0.0625) = 1.6."""
    assert effective_number_of_parties([0.75, 0.25]) == pytest.approx(1.6)


def test_effective_number_of_parties_scale_free() -> None:
    """Counts, percentages and shares of the same result give the same ENP."""
    assert effective_number_of_parties({"A": 750, "B": 250}) == pytest.approx(1.6)
    assert effective_number_of_parties([75, 25, 0]) == pytest.approx(1.6)
    assert effective_number_of_parties([1, 1, 1, 1]) == pytest.approx(4.0)
    assert effective_number_of_parties([1.0]) == 1.0


def test_golosov_published_example() -> None:
    """Golosov (2010): (0.4, 0.3, 0.2, 0.1) -> 2.836."""
    # 0.4/0.4 + 0.3/(0.3+0.16-0.09) + 0.2/(0.2+0.16-0.04) + 0.1/(0.1+0.16-0.01)
    # = 1 + 0.81081 + 0.625 + 0.4 = 2.83581
    assert golosov([0.4, 0.3, 0.2, 0.1]) == pytest.approx(2.83581, abs=5e-6)
    assert round(golosov([40, 30, 20, 10]), 3) == 2.836


def test_golosov_dominant_party() -> None:
    """One party with 90% and ten with 1% each: Golosov near 1.1, ENP near 1.2."""
    shares = [0.9] + [0.01] * 10
    # Each small party: 0.01 / (0.01 + 0.81 - 0.0001) = 0.0122; ten of them 0.122.
    assert golosov(shares) == pytest.approx(1 + 10 * 0.01 / 0.8199)
    assert effective_number_of_parties(shares) == pytest.approx(1 / (0.81 + 0.001))


# --- volatility -------------------------------------------------------------------------


def test_pedersen_published_examples() -> None:
    """(40, 35, 25) -> (10, 20, 70) is 45; (30, 70) -> (55, 45) is 25."""
    # |10-40| + |20-35| + |70-25| = 30 + 15 + 45 = 90, halved = 45.
    assert pedersen([40, 35, 25], [10, 20, 70]) == pytest.approx(45.0)
    # |55-30| + |45-70| = 50, halved = 25.
    assert pedersen([30, 70], [55, 45]) == pytest.approx(25.0)


def test_pedersen_components_entry() -> None:
    """A new party's share is type A; shifts among stable parties are type B."""
    # 10/20/70 -> 20/40/30 + D 10: D new (A = 10/2 = 5); A, B, C shift 10 + 20 + 40 = 70
    # (B = 35); total 40 = Pedersen.
    result = pedersen_components({"A": 10, "B": 20, "C": 70}, {"A": 20, "B": 40, "C": 30, "D": 10})
    assert result == Volatility(pytest.approx(40.0), pytest.approx(5.0), pytest.approx(35.0))


def test_pedersen_components_exit_and_entry() -> None:
    """Exits count at their earlier share; a full replacement is all type A."""
    # A 50 B 30 C 20 -> A 50 B 30 D 20: C exits (20) and D enters (20): A = 20, B = 0.
    result = pedersen_components({"A": 50, "B": 30, "C": 20}, {"A": 50, "B": 30, "D": 20})
    assert (result.total, result.type_a, result.type_b) == pytest.approx((20.0, 20.0, 0.0))
    replaced = pedersen_components({"A": 60, "B": 40}, {"C": 70, "D": 30})
    assert (replaced.total, replaced.type_a, replaced.type_b) == pytest.approx((100, 100, 0))


def test_pedersen_components_sequences_use_zero_for_absent() -> None:
    """With aligned sequences, a zero marks a party absent at that election."""
    # Party 3 enters with 20; party 2 exits with 10; parties 0, 1 move 10 and 0.
    result = pedersen_components([50, 40, 10, 0], [40, 40, 0, 20])
    assert (result.type_a, result.type_b) == pytest.approx(((20 + 10) / 2, 10 / 2))


def test_pedersen_components_merger_and_rename() -> None:
    """Merged or renamed parties continue their predecessors, so they are not new."""
    before, after = {"A": 50, "B": 30, "C": 20}, {"A": 40, "BC": 60}
    # Without lineage: B and C exit (50), BC enters (60): A = 55, B = 5.
    plain = pedersen_components(before, after)
    assert (plain.type_a, plain.type_b) == pytest.approx((55.0, 5.0))
    # With BC continuing B + C (50 -> 60): only A's 10 points move, all type B.
    merged = pedersen_components(before, after, predecessors={"BC": ["B", "C"]})
    assert (merged.type_a, merged.type_b) == pytest.approx((0.0, 10.0))
    renamed = pedersen_components(
        {"Otan": 60, "Azat": 40}, {"Nur Otan": 65, "Azat": 35}, predecessors={"Nur Otan": ["Otan"]}
    )
    assert (renamed.type_a, renamed.type_b) == pytest.approx((0.0, 5.0))


def test_pedersen_components_split_names_one_continuer() -> None:
    """In a split the named fragment continues; the other fragment is new."""
    before, after = {"A": 60, "B": 40}, {"A1": 35, "A2": 25, "B": 40}
    result = pedersen_components(before, after, predecessors={"A1": ["A"]})
    # A (60) -> A1 (35): type B 25/2; A2 new with 25: type A 25/2.
    assert (result.type_a, result.type_b) == pytest.approx((12.5, 12.5))
    with pytest.raises(UserInputError, match="continued by both 'A1' and 'A2'"):
        pedersen_components(before, after, predecessors={"A1": ["A"], "A2": ["A"]})


def test_pedersen_components_lineage_errors() -> None:
    """Unknown predecessors, a bare string, or sequences with lineage are refused."""
    with pytest.raises(UserInputError, match="not parties at the earlier election: 'Z'"):
        pedersen_components({"A": 1}, {"B": 1}, predecessors={"B": ["Z"]})
    with pytest.raises(UserInputError, match="not a single string"):
        pedersen_components({"A": 1}, {"B": 1}, predecessors={"B": "A"})
    with pytest.raises(UserInputError, match="needs before and after as mappings"):
        pedersen_components([1, 2], [2, 1], predecessors={})


@settings(max_examples=200, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(0, 100), st.integers(0, 100)), min_size=1, max_size=8
    ).filter(lambda pairs: sum(a for a, _ in pairs) > 0 and sum(b for _, b in pairs) > 0)
)
def test_volatility_components_sum_to_pedersen(data) -> None:
    """Type A + type B is Pedersen's index, which lies in [0, 100]."""
    before, after = [a for a, _ in data], [b for _, b in data]
    result = pedersen_components(before, after)
    assert result.total == pytest.approx(result.type_a + result.type_b)
    assert result.total == pytest.approx(pedersen(before, after))
    assert result.type_a >= 0 and result.type_b >= 0 and result.total <= 100 + 1e-9


# --- disproportionality -----------------------------------------------------------------


def test_gallagher_and_loosemore_hanby_hand_worked() -> None:
    """Votes 50/30/20 and seats 6/3/1 (60/30/10): LSq = sqrt(200/2) = 10, D = 20/2 = 10."""
    assert gallagher([50, 30, 20], [6, 3, 1]) == pytest.approx(10.0)
    assert loosemore_hanby([50, 30, 20], [6, 3, 1]) == pytest.approx(10.0)


def test_gallagher_and_loosemore_hanby_differ_with_many_small_deviations() -> None:
    """Votes 40/30/20/10, seats 50/30/20/0: LSq = sqrt(200/2) = 10, D = 20/2 = 10;
    seats 45/35/15/5: LSq = sqrt(100/2) = 7.07, D = 20/2 = 10."""
    votes = {"A": 40, "B": 30, "C": 20, "D": 10}
    assert gallagher(votes, {"A": 50, "B": 30, "C": 20}) == pytest.approx(10.0)
    assert loosemore_hanby(votes, {"A": 50, "B": 30, "C": 20}) == pytest.approx(10.0)
    spread = {"A": 45, "B": 35, "C": 15, "D": 5}
    assert gallagher(votes, spread) == pytest.approx(np.sqrt(50))
    assert loosemore_hanby(votes, spread) == pytest.approx(10.0)


def test_perfect_proportionality_is_zero() -> None:
    """Seats proportional to votes give zero disproportionality."""
    assert gallagher([40, 60], [2, 3]) == pytest.approx(0.0)
    assert loosemore_hanby([40, 60], [2, 3]) == pytest.approx(0.0)


# --- nationalisation --------------------------------------------------------------------


def test_party_nationalization_published_example() -> None:
    """Jones-Mainwaring example: shares (0.6, 0.3) -> PNS 0.833."""
    # Gini = sum_i sum_j |x_i - x_j| / (2 n^2 mean)
    #      = (|0.6-0.3| + |0.3-0.6|) / (2 * 2^2 * 0.45) = 0.6 / 3.6 = 1/6.
    # PNS  = 1 - 1/6 = 5/6 = 0.833.
    assert party_nationalization([0.6, 0.3]) == pytest.approx(5 / 6)
    assert round(party_nationalization([60, 30]), 3) == 0.833


def test_party_nationalization_extremes_and_weights() -> None:
    """Equal everywhere is 1; all votes in one of n districts is 1/n; weights count districts."""
    assert party_nationalization([0.3, 0.3, 0.3]) == pytest.approx(1.0)
    # One of four districts: Gini = (n - 1)/n = 3/4, PNS = 1/4.
    assert party_nationalization([0.8, 0, 0, 0]) == pytest.approx(0.25)
    # Weights (1, 2) act like the districts (0.6, 0.3, 0.3):
    # Gini = 2 * (0.3 + 0.3) / (2 * 9 * 0.4) = 1.2 / 7.2 = 1/6 -> PNS 5/6.
    assert party_nationalization([0.6, 0.3], [1, 2]) == pytest.approx(
        party_nationalization([0.6, 0.3, 0.3])
    )
    assert party_nationalization([0.6, 0.3, 0.3]) == pytest.approx(1 - 1.2 / 7.2)


def test_party_system_nationalization() -> None:
    """PSNS is the vote-weighted mean of PNS."""
    shares = {"A": [0.6, 0.3], "B": [0.4, 0.4]}
    # 0.6 * 5/6 + 0.4 * 1 = 0.9 with the given national shares.
    assert party_system_nationalization(shares, {"A": 60, "B": 40}) == pytest.approx(0.9)
    # Without national shares: mean district shares 0.45 and 0.4 -> weights 9/17, 8/17.
    expected = (0.45 * 5 / 6 + 0.4 * 1) / 0.85
    assert party_system_nationalization(shares) == pytest.approx(expected)


def test_nationalization_errors() -> None:
    """A party absent everywhere, mismatched lengths and missing shares are refused."""
    with pytest.raises(UserInputError, match="no votes in any district"):
        party_nationalization([0, 0])
    with pytest.raises(UserInputError, match="one weight per district"):
        party_nationalization([0.5, 0.4], [1, 2, 3])
    with pytest.raises(UserInputError, match="lengths differ"):
        party_system_nationalization({"A": [0.5, 0.4], "B": [0.1]})
    with pytest.raises(UserInputError, match="national_shares has no share for 'B'"):
        party_system_nationalization({"A": [0.5], "B": [0.5]}, {"A": 1})


# --- input checks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: effective_number_of_parties([0.5, -0.1]), "must be non-negative"),
        (lambda: effective_number_of_parties([0.5, float("nan")]), "must be finite"),
        (lambda: effective_number_of_parties([0, 0]), "must not all be zero"),
        (lambda: effective_number_of_parties([]), "non-empty"),
        (lambda: golosov("abc"), "must be numbers"),
        (lambda: pedersen([1, 2], [1, 2, 3]), "must list the same parties"),
        (lambda: gallagher({"A": 1}, [1]), "both be mappings or both be sequences"),
    ],
)
def test_bad_distributions_raise_value_errors(call, message) -> None:
    """Negative, NaN, empty, all-zero or misaligned inputs raise a clear ValueError."""
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "module", ["polsim.measures", "polsim.measures.party_system", "polsim.measures.ethnic"]
)
def test_docstring_examples(module: str) -> None:
    """The examples in the docstrings run and print what they show."""
    failures, tried = doctest.testmod(importlib.import_module(module))
    assert failures == 0 and tried > 0
