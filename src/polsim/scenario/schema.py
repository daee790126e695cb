"""The scenario schema: what a polity is, as typed, validated data.

A scenario file (YAML) is validated against these models before anything runs. The
models are the one table of parameter constraints in polsim (in the manner of
scikit-learn's parameter constraints): every bound a parameter must respect is written
here, and one validator produces every message.

Every figure taken from a source may carry that source: a number can be written bare
(``0.6``) or as ``{value: 0.6, source: "...", uncertain: true, note: "..."}``. Tables
(an oblast, an ethnic group, an organisation) carry ``source``/``uncertain``/``note``
fields of their own.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from polsim.engine.calendar import Month

__all__ = [
    "Figure",
    "Scenario",
    "Population",
    "Oblast",
    "EthnicGroup",
    "IdealPointGroup",
    "Regime",
    "EconomicSeries",
    "Institution",
    "InstitutionChange",
    "Organisation",
    "ScheduledElection",
    "ElectoralSystem",
    "SocietyParameters",
    "HardshipParameters",
    "MobilisationParameters",
    "OpinionParameters",
    "Distribution",
    "ZHUZES",
]

#: The three Kazakh hordes (zhuz), senior to junior. Non-Kazakhs have no zhuz.
ZHUZES: tuple[str, ...] = ("Senior", "Middle", "Junior")


class _Strict(BaseModel):
    """Base of every scenario model: unknown fields are errors, values are validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class Sourced(_Strict):
    """Provenance that any table or figure may carry."""

    source: str | None = Field(None, description="Where the figure comes from (URL or reference).")
    uncertain: bool = Field(False, description="True where sources conflict or are weak.")
    note: str | None = Field(None, description="Anything a reader should know about the figure.")


class Figure(Sourced):
    """A number with its provenance."""

    value: float

    def __float__(self) -> float:
        return float(self.value)


def _figure_from_bare(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"value": value}
    return value


#: A number written bare or as ``{value, source, uncertain, note}``.
FigureField = Annotated[Figure, BeforeValidator(_figure_from_bare)]


def _month(value: Any) -> Any:
    try:
        return Month.parse(value)
    except (TypeError, ValueError) as error:
        raise ValueError(str(error)) from None


#: A month written ``YYYY-MM`` (a day, if given, is dropped).
MonthField = Annotated[Month, BeforeValidator(_month)]

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Position = Annotated[tuple[float, float], Field(description="(economy, nation), each in [-1, 1]")]


def _check_position(position: tuple[float, float]) -> tuple[float, float]:
    for axis, value in zip(("economy", "nation"), position, strict=True):
        if not -1.0 <= value <= 1.0:
            raise ValueError(f"the {axis} coordinate must be in [-1, 1]; got {value}")
    return position


# --------------------------------------------------------------------------- population


class EthnicGroup(Sourced):
    """An ethnic group of the census, with its national count."""

    name: str = Field(min_length=1)
    count: FigureField = Field(description="People in the census (all ages).")
    urban_share: Share | None = Field(
        None, description="Share of the group living in towns (0-1); None: the oblast's share."
    )


class Oblast(Sourced):
    """A region: its population and, where known, its ethnic make-up."""

    name: str = Field(min_length=1)
    population: FigureField
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
            raise ValueError(f"shares must sum to at most 1; they sum to {sum(shares.values()):.4f}")
        return shares

    @field_validator("zhuz_shares")
    @classmethod
    def _known_zhuz(cls, shares: dict[str, float]) -> dict[str, float]:
        for name in shares:
            if name not in ZHUZES:
                raise ValueError(f"unknown zhuz {name!r}; expected one of {', '.join(ZHUZES)}")
        return shares


class Population(Sourced):
    """Census margins from which voters are synthesised (MODEL.md §1).

    The joint table oblast × ethnicity × urban is built by iterative proportional fitting
    (raking) to three margins: oblast totals, national ethnic counts, and urban shares
    (by oblast, and by ethnicity where given). Known oblast ethnic shares are the seed.
    """

    census_year: int = Field(ge=1800, le=2100)
    electorate: FigureField = Field(
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


# --------------------------------------------------------------------------- regime, economy


class Regime(Sourced):
    """The regime at the start of the run (MODEL.md §1 and §3)."""

    legitimacy: Share = Field(description="L: the regime's legitimacy, 0-1.")
    repression: Share = Field(description="P: repression capacity, 0-1.")
    efficiency: Share = Field(description="e: government efficiency, 0-1.")
    president_zhuz: str | None = Field(None, description="The president's zhuz, if Kazakh.")
    ethnic_penalty: dict[str, Share] = Field(
        default_factory=dict,
        description="How much lower each ethnic group perceives the regime's legitimacy.",
    )
    clan_penalty: Share = Field(
        0.0, description="How much lower Kazakhs of other zhuzes perceive its legitimacy."
    )

    @field_validator("president_zhuz")
    @classmethod
    def _known_zhuz(cls, zhuz: str | None) -> str | None:
        if zhuz is not None and zhuz not in ZHUZES:
            raise ValueError(f"unknown zhuz {zhuz!r}; expected one of {', '.join(ZHUZES)}")
        return zhuz


class EconomicSeries(Sourced):
    """An annual output index (base year = 100), interpolated to months.

    The shock of MODEL.md §1 is ``shock(t) = 1 − index(t) / index(base)``: the fall of
    output below its starting level.
    """

    index: dict[int, float] = Field(min_length=1, description="Year → output index.")
    base_year: int

    @field_validator("index")
    @classmethod
    def _positive(cls, index: dict[int, float]) -> dict[int, float]:
        for year, value in index.items():
            if value <= 0:
                raise ValueError(f"the index must be positive; got {value} for {year}")
        return dict(sorted(index.items()))

    @model_validator(mode="after")
    def _base_present(self) -> EconomicSeries:
        if self.base_year not in self.index:
            raise ValueError(f"base_year {self.base_year} is not in the index")
        return self


# --------------------------------------------------------------------------- institutions

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


# --------------------------------------------------------------------------- organisations

OrganisationKind = Literal["movement", "party", "association", "trade_union", "bloc"]
AdaptationRule = Literal["sticker", "aggregator", "hunter", "predator", "explorer"]


class Organisation(Sourced):
    """A historical organisation that may enter on its date (``history: pinned``)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: OrganisationKind
    founded: MonthField
    dissolved: MonthField | None = None
    leader: str | None = None
    position: Position
    ethnic_base: str | None = Field(None, description="An ethnic group, or None: inter-ethnic.")
    parents: list[str] = Field(default_factory=list)
    coopted: bool = False
    rule: AdaptationRule = "sticker"

    @field_validator("position")
    @classmethod
    def _position_in_space(cls, position: tuple[float, float]) -> tuple[float, float]:
        return _check_position(position)


# --------------------------------------------------------------------------- elections

ElectoralFormula = Literal[
    "plurality",
    "two_round",
    "list_pr",
    "block",
    "state_list",
    "parallel",
    "mmp",
    "presidential",
    "referendum",
    "indirect",
]


class ElectoralSystem(Sourced):
    """An electoral system as data (MODEL.md §4)."""

    formula: ElectoralFormula
    seats: int = Field(0, ge=0, description="Seats filled (0 for a presidency or referendum).")
    district_seats: int = Field(0, ge=0)
    list_seats: int = Field(0, ge=0)
    reserved_seats: int = Field(
        0, ge=0, description="Seats filled by public organisations, not by voters."
    )
    method: str = "dhondt"
    threshold: Share = 0.0
    turnout_validity: Share = Field(0.0, description="Share of registered voters needed.")
    majority: Share = 0.5
    list_candidates: int = Field(0, ge=0)


class ScheduledElection(Sourced):
    """An election the scenario schedules (others are called by the mechanisms)."""

    name: str
    date: MonthField
    day: int | None = Field(None, ge=1, le=31)
    body: str
    system: ElectoralSystem


# --------------------------------------------------------------------------- behaviour


class HardshipParameters(_Strict):
    """H_i(t) = clip(H0_i + s_i·shock(t) − e·relief, 0, 1)  (MODEL.md §1)."""

    base: Distribution = Field(description="H0: hardship before the shock.")
    sensitivity: Distribution = Field(description="s: how much the output fall hurts.")
    relief: float = Field(0.0, ge=0.0, description="Hardship removed per unit of efficiency e.")
    urban_sensitivity_factor: float = Field(
        1.0, ge=0.0, description="Multiplier of s for urban voters (wage arrears hit towns)."
    )


class MobilisationParameters(_Strict):
    """Active when G_i − R_i·P > T_i and the oblast's active share ≥ b_i (MODEL.md §1)."""

    risk_aversion: Distribution = Field(description="R: weight on repression.")
    activation_threshold: Distribution = Field(description="T: private threshold.")
    bandwagon_threshold: Distribution = Field(description="b: oblast active share needed.")
    protest_level: Share = Field(
        0.05, description="Active share above which an oblast's mobilisation is an event."
    )


class OpinionParameters(_Strict):
    """Deffuant et al. (2000) bounded confidence (off by default)."""

    enabled: bool = False
    confidence: float = Field(0.3, gt=0.0, description="d: largest distance that still talks.")
    convergence: float = Field(0.5, gt=0.0, le=0.5, description="μ: step toward the other.")
    encounters_per_month: int = Field(1, ge=0, description="Rounds of random pairing a month.")


class SocietyParameters(_Strict):
    """Behavioural parameters of society."""

    hardship: HardshipParameters
    mobilisation: MobilisationParameters
    opinion: OpinionParameters = OpinionParameters()


# --------------------------------------------------------------------------- the scenario


class Scenario(Sourced):
    """A polity, from census margins to its scheduled elections."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Short slug, e.g. 'toy'.")
    title: str
    description: str = ""
    start: MonthField
    end: MonthField
    default_voters: int = Field(200_000, ge=1)
    population: Population
    ideal_points: list[IdealPointGroup] = Field(min_length=1)
    regime: Regime
    economy: EconomicSeries
    society: SocietyParameters
    institutions: dict[str, Institution] = Field(default_factory=dict)
    history: Literal["pinned", "free"] = "pinned"
    organisations: list[Organisation] = Field(default_factory=list)
    elections: list[ScheduledElection] = Field(default_factory=list)
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
            if org.ethnic_base is not None and org.ethnic_base not in groups:
                raise ValueError(
                    f"organisation {org.id!r} has unknown ethnic_base {org.ethnic_base!r}"
                )
        return self
