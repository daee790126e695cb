"""The seat calculator: parsing votes, the seat table, and its Rich and JSON renderings."""

from __future__ import annotations

import json

import pytest
from rich.console import Console
from rich.table import Table

from polsim.elections.calculator import (
    SeatRow,
    parse_votes,
    render_seat_calculation,
    seat_table,
)
from polsim.errors import UserInputError


def test_parse_votes_reads_names_and_numbers() -> None:
    """Names and numbers are stripped; whole numbers stay ints, others become floats."""
    assert parse_votes("A=1,B=2") == {"A": 1, "B": 2}
    votes = parse_votes(" Otan = 1200 , Azat=800.5,Alash=1e3 ")
    assert votes == {"Otan": 1200, "Azat": 800.5, "Alash": 1000.0}
    assert type(votes["Otan"]) is int
    assert list(votes) == ["Otan", "Azat", "Alash"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no votes given"),
        ("   ", "no votes given"),
        ("A=", "malformed vote 'A='; expected NAME=NUMBER"),
        ("=5", "malformed vote '=5'"),
        ("A", "malformed vote 'A'"),
        ("A=x", "votes for 'A' must be a number; got 'x'"),
        ("A=1,A=2", "party 'A' is given more than once"),
        ("A=1,,B=2", "empty entry"),
        ("A=1,", "empty entry"),
        ("A=-3", "votes must be non-negative; got -3 for 'A'"),
        ("A=nan", "votes must be finite"),
        ("A=inf", "votes must be finite"),
    ],
)
def test_parse_votes_rejects_malformed_input(text: str, message: str) -> None:
    """Malformed vote text raises UserInputError with a one-line message naming the problem."""
    with pytest.raises(UserInputError) as raised:
        parse_votes(text)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_seat_table_rows_and_indices() -> None:
    """The table has one row per party with shares, and the standard indices."""
    # D'Hondt, 5 seats: A 5000 2500 1666.7 | B 3000 | C 2000 -> A3 B1 C1.
    table = seat_table({"A": 5_000, "B": 3_000, "C": 2_000}, 5)
    assert table.method == "dhondt" and table.seats == 5 and table.threshold == 0.0
    assert table.rows[0] == SeatRow("A", 5_000, 0.5, True, 3, 0.6)
    assert [row.seats for row in table.rows] == [3, 1, 1]
    # Gallagher: differences 10, -10, 0 points -> sqrt(200 / 2) = 10.
    assert table.gallagher == pytest.approx(10.0)
    assert table.enp_votes == pytest.approx(1 / (0.25 + 0.09 + 0.04))
    assert table.enp_seats == pytest.approx(1 / (0.36 + 0.04 + 0.04))
    assert table.ties == ()


def test_seat_table_threshold_flags() -> None:
    """Parties below the threshold are flagged and win nothing."""
    table = seat_table({"A": 600, "B": 370, "C": 30}, 10, "hare", 0.05)
    assert [(row.passes_threshold, row.seats) for row in table.rows] == [
        (True, 6),
        (True, 4),
        (False, 0),
    ]


def test_seat_table_rejects_zero_seats_and_bad_method() -> None:
    """The calculator needs at least one seat and a known method."""
    with pytest.raises(UserInputError, match="seats must be at least 1; got 0"):
        seat_table({"A": 1}, 0)
    with pytest.raises(UserInputError, match="unknown seat allocation method 'x'"):
        seat_table({"A": 1}, 1, "x")
    with pytest.raises(UserInputError, match="seats must be a non-negative integer; got -2"):
        seat_table({"A": 1}, -2)


def test_render_json() -> None:
    """The JSON output parses and carries seats, shares, ties and indices."""
    text = render_seat_calculation("A=5000,B=3000,C=2000", 5, "webster", 0.0, as_json=True)
    data = json.loads(text)
    assert data["method"] == "sainte-lague"
    assert [p["party"] for p in data["parties"]] == ["A", "B", "C"]
    # Sainte-Laguë: A 5000 1666.7 1000 | B 3000 1000 | C 2000 666.7. Four seats go to
    # 5000 3000 2000 1666.7; the fifth to A's or B's 1000, a tie drawn by lot.
    assert sum(p["seats"] for p in data["parties"]) == 5
    (tie,) = data["ties"]
    assert tie["contenders"] == ["A", "B"] and tie["seats_at_stake"] == 1
    assert set(data["indices"]) == {"gallagher", "enp_votes", "enp_seats"}


def test_render_rich_table() -> None:
    """The Rich table lists every party and states a tie in its caption."""
    table = render_seat_calculation("Otan=100,Azat=100,Alash=3", 3, "dhondt", 0.05, False)
    assert isinstance(table, Table)
    console = Console(record=True, width=120)
    console.print(table)
    text = " ".join(console.export_text().split())  # the caption may wrap
    for expected in ("Otan", "Azat", "Alash (below threshold)", "D'Hondt", "Gallagher"):
        assert expected in text
    assert "tie broken by lot among Otan, Azat for 1 seat(s)" in text


def test_render_passes_errors_through() -> None:
    """Errors from parsing or allocating reach the caller as UserInputError."""
    with pytest.raises(UserInputError, match="malformed vote"):
        render_seat_calculation("A=", 3, "dhondt", 0.0, True)
    with pytest.raises(UserInputError, match="threshold must be a share"):
        render_seat_calculation("A=1", 3, "dhondt", 1.5, True)
    with pytest.raises(UserInputError, match="total vote is zero"):
        render_seat_calculation("A=0,B=0", 3, "dhondt", 0.0, True)
