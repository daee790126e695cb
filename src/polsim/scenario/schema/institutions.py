"""Institutions: rules of the polity with their dated changes."""

from __future__ import annotations

from pydantic import (
    Field,
    field_validator,
)

from polsim.scenario.schema.base import (
    MonthField,
    Sourced,
)

InstitutionValue = bool | int | float | str


class InstitutionChange(Sourced):
    """A dated change of an institution's setting."""

    date: MonthField
    value: InstitutionValue


class Institution(Sourced):
    """A rule of the polity with its dated changes (e.g. the party monopoly, the
    association law)."""

    initial: InstitutionValue
    changes: list[InstitutionChange] = Field(default_factory=list)

    @field_validator("changes")
    @classmethod
    def _in_order(cls, changes: list[InstitutionChange]) -> list[InstitutionChange]:
        dates = [c.date for c in changes]
        if dates != sorted(dates):
            raise ValueError("changes must be listed in date order")
        return changes
