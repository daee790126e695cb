"""The scenario: a polity, from census margins to its scheduled elections."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
    model_validator,
)

from polsim.scenario.limits import (
    MAX_VOTERS,
)
from polsim.scenario.schema.base import (
    FigureField,
    MonthField,
    Slug,
    Sourced,
)
from polsim.scenario.schema.elections import (
    ElectionParameters,
    ScheduledElection,
)
from polsim.scenario.schema.institutions import (
    Institution,
)
from polsim.scenario.schema.organisations import (
    ElitesParameters,
    Organisation,
    PartyParameters,
)
from polsim.scenario.schema.population import (
    IdealPointGroup,
    Population,
)
from polsim.scenario.schema.regime import (
    EconomicSeries,
    Regime,
)
from polsim.scenario.schema.society import (
    SocietyParameters,
)
from polsim.scenario.schema.state import (
    Counterfactuals,
    StateParameters,
)


class Scenario(Sourced):
    """A polity, from census margins to its scheduled elections."""

    name: Slug = Field(description="Short slug, e.g. 'toy'.")
    title: str
    description: str = ""
    start: MonthField
    end: MonthField
    default_voters: int = Field(200_000, ge=1, le=MAX_VOTERS)
    population: Population
    ideal_points: list[IdealPointGroup] = Field(min_length=1)
    regime: Regime
    economy: EconomicSeries
    society: SocietyParameters
    institutions: dict[str, Institution] = Field(default_factory=dict)
    parties: PartyParameters = PartyParameters()
    elites: ElitesParameters = ElitesParameters()
    history: Literal["pinned", "free"] = "pinned"
    organisations: list[Organisation] = Field(default_factory=list)
    elections: list[ScheduledElection] = Field(default_factory=list)
    elections_behaviour: ElectionParameters = ElectionParameters()
    state: StateParameters = StateParameters()
    counterfactuals: Counterfactuals = Counterfactuals()
    targets: dict[str, FigureField] = Field(
        default_factory=dict, description="In-sample facts the model is calibrated to."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) must not be before start ({self.start})")
        groups = {g.name for g in self.population.ethnic_groups}
        for entry in self.ideal_points:
            if entry.ethnicity is not None and entry.ethnicity not in groups:
                raise ValueError(f"ideal_points names unknown ethnic group {entry.ethnicity!r}")
        if not any(entry.specificity == 0 for entry in self.ideal_points):
            raise ValueError("ideal_points needs a default entry that names no group")
        for name in self.regime.ethnic_penalty:
            if name not in groups:
                raise ValueError(f"regime.ethnic_penalty names unknown ethnic group {name!r}")
        ids = [o.id for o in self.organisations]
        if len(set(ids)) != len(ids):
            raise ValueError("organisation ids must be unique")
        for org in self.organisations:
            for parent in org.parents:
                if parent not in ids:
                    raise ValueError(f"organisation {org.id!r} names unknown parent {parent!r}")
            bases = [org.ethnic_base] if isinstance(org.ethnic_base, str) else org.ethnic_base
            for base in bases or []:
                if base not in groups:
                    raise ValueError(f"organisation {org.id!r} has unknown ethnic_base {base!r}")
        return self
