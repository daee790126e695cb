"""The monthly calendar: one simulation step is one month.

A :class:`Month` is an ordered, hashable (year, month) pair with month arithmetic.
Scenario dates are written ``YYYY-MM`` (or ``YYYY-MM-DD`` for an event whose day is
known; the day is kept for reports but the step is the month).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["Month", "months_between"]

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month, the unit of simulated time.

    Examples
    --------
    >>> Month.parse("1993-11") + 2
    Month(1994-01)
    >>> Month(1994, 3) - Month(1993, 12)
    3
    """

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be in 1..12; got {self.month}")

    @classmethod
    def parse(cls, text: str | date | Month) -> Month:
        """Read ``YYYY-MM`` or ``YYYY-MM-DD`` (the day is dropped)."""
        if isinstance(text, Month):
            return text
        if isinstance(text, date):
            return cls(text.year, text.month)
        match = _MONTH_PATTERN.match(str(text).strip())
        if match is None:
            raise ValueError(f"a date must be written YYYY-MM or YYYY-MM-DD; got {text!r}")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month must be in 1..12; got {text!r}")
        return cls(year, month)

    @property
    def index(self) -> int:
        """Months since January of year 0, so that differences are month counts."""
        return self.year * 12 + (self.month - 1)

    @classmethod
    def from_index(cls, index: int) -> Month:
        """The inverse of :attr:`index`."""
        return cls(index // 12, index % 12 + 1)

    @property
    def fraction_of_year(self) -> float:
        """The year as a decimal at the month's start, e.g. 1993.833 for November 1993."""
        return self.year + (self.month - 1) / 12.0

    def first_day(self) -> date:
        """The first day of the month, as a :class:`datetime.date`."""
        return date(self.year, self.month, 1)

    def __add__(self, months: int) -> Month:
        return Month.from_index(self.index + int(months))

    def __sub__(self, other: Month | int) -> int | Month:  # type: ignore[override]
        if isinstance(other, Month):
            return self.index - other.index
        return Month.from_index(self.index - int(other))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __repr__(self) -> str:
        return f"Month({self})"


def months_between(start: Month, end: Month) -> list[Month]:
    """Every month from ``start`` to ``end``, both included."""
    return [Month.from_index(i) for i in range(start.index, end.index + 1)]
