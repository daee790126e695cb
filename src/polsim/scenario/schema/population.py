"""Census margins and ideal points: who the voters are (docs/model.md §1.2)."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from polsim.scenario.schema.base import (
    ZHUZES,
    Figure,
    FigureField,
    Name,
    Position,
    PositiveFigureField,
    Share,
    Sourced,
    _check_position,
    _Strict,
)


class EthnicGroup(Sourced):
    """An ethnic group of the census, with its national count."""

    name: Name
    count: PositiveFigureField = Field(description="People in the census (all ages).")
    urban_share: Share | None = Field(
        None, description="Share of the group living in towns (0-1); None: the oblast's share."
    )


class Oblast(Sourced):
    """A region: its population and, where known, its ethnic make-up."""

    name: Name
    population: PositiveFigureField
    urban_share: FigureField = Field(description="Urban share of the oblast's population, 0-1.")
    ethnic_shares: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Known or assumed shares (0-1) of named groups; the rest of the oblast is filled "
            "by raking to the national counts."
        ),
    )
    ethnic_shares_role: Literal["fixed", "prior"] = Field(
        "fixed",
        description=(
            "'fixed': the shares are census facts and are kept; 'prior': they are an "
            "assumption that raking may adjust to meet the national counts."
        ),
    )
    zhuz_shares: dict[str, float] = Field(
        default_factory=dict, description="Shares of the oblast's Kazakhs by zhuz (sum 1)."
    )

    @field_validator("urban_share")
    @classmethod
    def _urban_is_share(cls, figure: Figure) -> Figure:
        if not 0.0 <= figure.value <= 1.0:
            raise ValueError(f"must be a share in [0, 1]; got {figure.value}")
        return figure

    @field_validator("ethnic_shares", "zhuz_shares")
    @classmethod
    def _shares_are_shares(cls, shares: dict[str, float]) -> dict[str, float]:
        for name, share in shares.items():
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"share of {name!r} must be in [0, 1]; got {share}")
        if sum(shares.values()) > 1.0 + 1e-6:
            raise ValueError(
                f"shares must sum to at most 1; they sum to {sum(shares.values()):.4f}"
            )
        return shares

    @field_validator("zhuz_shares")
    @classmethod
    def _known_zhuz(cls, shares: dict[str, float]) -> dict[str, float]:
        for name in shares:
            if name not in ZHUZES:
                raise ValueError(f"unknown zhuz {name!r}; expected one of {', '.join(ZHUZES)}")
        return shares


class Population(Sourced):
    """Census margins from which voters are synthesised (docs/model.md §1.2).

    The joint table oblast × ethnicity × urban is built by iterative proportional fitting
    (raking) to three margins: oblast totals, national ethnic counts, and urban shares
    (by oblast, and by ethnicity where given). Known oblast ethnic shares are the seed.
    """

    census_year: int = Field(ge=1800, le=2100)
    electorate: PositiveFigureField = Field(
        description="Registered voters the synthetic voters stand for (sum of weights)."
    )
    ethnic_groups: list[EthnicGroup] = Field(min_length=1)
    oblasts: list[Oblast] = Field(min_length=1)
    kazakh_group: str | None = Field(
        "Kazakh", description="The ethnic group that has zhuz membership (None: no zhuz)."
    )
    zhuz_shares: dict[str, float] = Field(
        default_factory=dict,
        description="National zhuz shares among Kazakhs, used where an oblast gives none.",
    )

    @model_validator(mode="after")
    def _names_agree(self) -> Population:
        groups = [g.name for g in self.ethnic_groups]
        if len(set(groups)) != len(groups):
            raise ValueError(f"ethnic group names must be unique; got {groups}")
        oblasts = [o.name for o in self.oblasts]
        if len(set(oblasts)) != len(oblasts):
            raise ValueError(f"oblast names must be unique; got {oblasts}")
        for oblast in self.oblasts:
            for name in oblast.ethnic_shares:
                if name not in groups:
                    raise ValueError(
                        f"oblast {oblast.name!r} gives a share for unknown ethnic group {name!r}"
                    )
        if self.kazakh_group is not None and self.kazakh_group not in groups:
            raise ValueError(f"kazakh_group {self.kazakh_group!r} is not an ethnic group")
        return self


class Distribution(_Strict):
    """A truncated normal draw: mean and sd, clipped to [low, high]."""

    mean: float
    sd: float = Field(ge=0.0)
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _ordered(self) -> Distribution:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self


class IdealPointGroup(Sourced):
    """The bivariate normal of ideal points for voters that match a selector.

    A voter takes the most specific matching entry (the one naming most attributes);
    an entry with no selector is the default.
    """

    ethnicity: str | None = None
    urban: bool | None = None
    zhuz: str | None = None
    mean: Position
    sd: tuple[float, float] = Field(description="Standard deviations on (economy, nation).")
    correlation: float = Field(0.0, ge=-1.0, le=1.0)

    @field_validator("mean")
    @classmethod
    def _mean_in_space(cls, mean: tuple[float, float]) -> tuple[float, float]:
        return _check_position(mean)

    @field_validator("sd")
    @classmethod
    def _positive_sd(cls, sd: tuple[float, float]) -> tuple[float, float]:
        if min(sd) < 0:
            raise ValueError(f"standard deviations must be non-negative; got {sd}")
        return sd

    @property
    def specificity(self) -> int:
        """How many attributes the selector names."""
        return sum(x is not None for x in (self.ethnicity, self.urban, self.zhuz))
