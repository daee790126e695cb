import pytest
from hypothesis import given
from hypothesis import strategies as st

from polsim.engine.calendar import Month, months_between


def test_month_arithmetic_crosses_years():
    """Adding months rolls over December into January of the next year."""
    assert Month(1993, 11) + 2 == Month(1994, 1)
    assert Month(1994, 3) - Month(1993, 12) == 3
    assert Month(1994, 1) - 1 == Month(1993, 12)


def test_parse_accepts_day_and_rejects_nonsense():
    """A day is dropped; a month outside 1..12 or free text is refused with the value."""
    assert Month.parse("1994-03-07") == Month(1994, 3)
    with pytest.raises(ValueError, match="13"):
        Month.parse("1994-13")
    with pytest.raises(ValueError, match="March"):
        Month.parse("March 1994")


@given(st.integers(1000, 3000), st.integers(1, 12), st.integers(-500, 500))
def test_index_round_trip(year, month, shift):
    """Month ↔ index is a bijection and addition is index addition."""
    m = Month(year, month)
    assert Month.from_index(m.index) == m
    assert (m + shift).index == m.index + shift
    assert (m + shift) - m == shift


def test_months_between_is_inclusive():
    """Both ends are included."""
    months = months_between(Month(1993, 11), Month(1994, 2))
    assert [str(m) for m in months] == ["1993-11", "1993-12", "1994-01", "1994-02"]
