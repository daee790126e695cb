"""The scenario schema: what a polity is, as typed, validated data.

A scenario file (YAML) is validated against these models before anything runs. The
models are the one table of parameter constraints in polsim (in the manner of
scikit-learn's parameter constraints): every bound a parameter must respect is written
here, and one validator produces every message.

Every figure taken from a source may carry that source: a number can be written bare
(``0.6``) or as ``{value: 0.6, source: "...", uncertain: true, note: "..."}``. Tables
(an oblast, an ethnic group, an organisation) carry ``source``/``uncertain``/``note``
fields of their own.

Every model refuses what the engine cannot use, centrally on the base class: NaN and
±inf anywhere, a string longer than ``MAX_TEXT_LENGTH`` (a name: ``MAX_NAME_LENGTH``),
a list or table of more than ``MAX_ITEMS`` entries; and it writes -0.0 as 0.0 (NumPy
refuses a spread of -0.0). Counts, sizes and durations have caps of their own
(:mod:`polsim.scenario.limits`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from polsim.engine.calendar import Month
from polsim.scenario.limits import (
    MAX_CANDIDATES,
    MAX_ELITES,
    MAX_ITEMS,
    MAX_NAME_LENGTH,
    MAX_SEATS,
    MAX_TEXT_LENGTH,
    MAX_VOTERS,
)

__all__ = [
    "ZHUZES",
    "Distribution",
    "EconomicSeries",
    "ElectionParameters",
    "ElectoralSystem",
    "ElitesParameters",
    "EthnicGroup",
    "Figure",
    "HardshipParameters",
    "IdealPointGroup",
    "Institution",
    "InstitutionChange",
    "MobilisationParameters",
    "Oblast",
    "OpinionParameters",
    "Organisation",
    "PartyParameters",
    "Population",
    "Regime",
    "RuleParameters",
    "Scenario",
    "ScheduledElection",
    "SocietyParameters",
]

#: The three Kazakh hordes (zhuz), senior to junior. Non-Kazakhs have no zhuz.
ZHUZES: tuple[str, ...] = ("Senior", "Middle", "Junior")


def _without_negative_zero(value: Any) -> Any:
    if isinstance(value, float):
        return 0.0 if value == 0.0 else value
    if isinstance(value, tuple | list):
        return type(value)(_without_negative_zero(item) for item in value)
    if isinstance(value, dict):
        return {key: _without_negative_zero(item) for key, item in value.items()}
    return value


class _Strict(BaseModel):
    """Base of every scenario model: unknown fields are errors, values are validated.

    Floats must be finite, strings at most ``MAX_TEXT_LENGTH`` characters, lists and
    tables at most ``MAX_ITEMS`` entries; -0.0 is read as 0.0.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_default=True,
        allow_inf_nan=False,
        str_max_length=MAX_TEXT_LENGTH,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _at_most_max_items(cls, value: Any) -> Any:
        if isinstance(value, list | tuple | dict) and len(value) > MAX_ITEMS:
            raise ValueError(f"must have at most {MAX_ITEMS:,} entries; got {len(value):,}")
        return value

    @field_validator("*")
    @classmethod
    def _no_negative_zero(cls, value: Any) -> Any:
        return _without_negative_zero(value)


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


def _positive_figure(figure: Figure) -> Figure:
    if figure.value <= 0:
        raise ValueError(f"must be positive; got {figure.value}")
    return figure


#: A number written bare or as ``{value, source, uncertain, note}``.
FigureField = Annotated[Figure, BeforeValidator(_figure_from_bare)]
#: A figure that must be positive (a count of people).
PositiveFigureField = Annotated[FigureField, AfterValidator(_positive_figure)]
#: A name (of a group, oblast, organisation, election, body): 1 to MAX_NAME_LENGTH characters.
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]
#: A slug naming a scenario or an organisation.
Slug = Annotated[Name, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
#: A number of seats.
Seats = Annotated[int, Field(ge=0, le=MAX_SEATS)]
#: A number of months (a term, a lag, a patience): at most a century.
Months = Annotated[int, Field(ge=0, le=1200)]
#: A year of the calendar.
Year = Annotated[int, Field(ge=1000, le=3000)]


def _month(value: Any) -> Any:
    try:
        return Month.parse(value)
    except (TypeError, ValueError) as error:
        raise ValueError(str(error)) from None


#: A month written ``YYYY-MM`` (a day, if given, is dropped).
MonthField = Annotated[
    Month,
    BeforeValidator(_month),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{1,2}(-\d{1,2})?$"}),
]

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
    """Census margins from which voters are synthesised (MODEL.md §1).

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

    index: dict[Year, float] = Field(min_length=1, description="Year → output index.")
    base_year: Year

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

    id: Slug
    name: Name
    kind: OrganisationKind
    founded: MonthField
    dissolved: MonthField | None = None
    leader: Name | None = None
    position: Position
    ethnic_base: str | list[str] | None = Field(
        None,
        description=(
            "The ethnic group(s) the organisation appeals to: one group (ethnic), a list "
            "(inter-ethnic), or None (civic: no ethnic appeal)."
        ),
    )
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
    seats: Seats = Field(0, description="Seats filled (0 for a presidency or referendum).")
    district_seats: Seats = 0
    list_seats: Seats = 0
    reserved_seats: Seats = Field(
        0, description="Seats filled by public organisations, not by voters."
    )
    method: str = "dhondt"
    threshold: Share = 0.0
    turnout_validity: Share = Field(0.0, description="Share of registered voters needed.")
    majority: Share = 0.5
    list_candidates: int = Field(0, ge=0, le=MAX_CANDIDATES)
    district_formula: Literal["plurality", "two_round"] = Field(
        "two_round",
        description=(
            "How each single-member district is decided, for formula 'plurality', "
            "'two_round' and 'parallel' (the formula names it for the first two)."
        ),
    )
    list_formula: Literal["state_list"] = Field(
        "state_list",
        description=(
            "How the list seats of a 'parallel' system are filled: 'state_list', the head "
            "of state's list of list_candidates nominees, list_seats of them elected "
            "nationwide by plurality-at-large."
        ),
    )
    runoff: Literal["top-two"] | Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        "top-two",
        description=(
            "Who goes to a runoff: 'top-two', or every candidate with at least this share "
            "of the registered voters (and at least the top two)."
        ),
    )
    runoff_turnout_validity: Share | None = Field(
        None, description="Share of registered voters needed in a runoff (None: no rule)."
    )
    repeat_after_months: int = Field(
        2, ge=1, le=24, description="Months between a void round and its repeat election."
    )
    max_repeats: int = Field(
        2, ge=0, le=10, description="Repeat elections held for a seat before it stays vacant."
    )
    max_candidates: int | None = Field(
        None,
        ge=1,
        le=MAX_CANDIDATES,
        description=(
            "Candidates the registration filter lets through per district (or in a "
            "presidential race); the regime's endorsed candidate is registered first."
        ),
    )
    single_candidate: Literal["for_against", "forbid"] = Field(
        "for_against",
        description=(
            "A district or presidential race with one registered candidate: 'for_against' "
            "puts that candidate to a vote for or against (elected by a majority of ballots "
            "cast); 'forbid' voids the race (a repeat election is called)."
        ),
    )
    list_districts: Literal["national", "oblast"] = Field(
        "national",
        description=(
            "Where a 'list_pr' (or 'block') election is held: 'national', one nationwide "
            "list race (for 'block': district_magnitude-member districts); 'oblast', each "
            "oblast one multi-member district with seats apportioned by population."
        ),
    )
    district_magnitude: int = Field(
        1,
        ge=1,
        le=MAX_SEATS,
        description="k: seats per district of a 'block' vote with list_districts 'national'.",
    )
    overhang: Literal["keep", "level", "deduct"] = Field(
        "keep",
        description="What an 'mmp' house does with overhang seats (systems.mmp).",
    )
    district_exemption: int | None = Field(
        None,
        ge=1,
        le=MAX_SEATS,
        description=(
            "'mmp': a party that won at least this many districts is exempt from the "
            "list threshold (Germany: 3; New Zealand: 1); None: no exemption."
        ),
    )

    @model_validator(mode="after")
    def _seats_add_up(self) -> ElectoralSystem:
        if self.formula in ("list_pr", "block", "state_list") and self.seats < 1:
            raise ValueError(f"formula {self.formula!r} needs seats of at least 1")
        block_national = self.formula == "block" and self.list_districts == "national"
        if block_national and self.seats % self.district_magnitude:
            raise ValueError(
                f"block: seats ({self.seats}) must be a multiple of district_magnitude "
                f"({self.district_magnitude})"
            )
        if self.formula == "state_list" and self.list_candidates < self.seats:
            raise ValueError(
                f"list_candidates ({self.list_candidates}) must be at least seats ({self.seats})"
            )
        if self.formula in ("plurality", "two_round", "parallel", "mmp"):
            parts = self.district_seats + self.list_seats + self.reserved_seats
            if self.seats != parts:
                raise ValueError(
                    f"seats ({self.seats}) must equal district_seats + list_seats + "
                    f"reserved_seats ({parts})"
                )
            if self.district_seats < 1 and self.formula != "parallel":
                raise ValueError(f"formula {self.formula!r} needs district_seats of at least 1")
        if (
            self.formula == "parallel"
            and self.list_seats > 0
            and self.list_candidates < self.list_seats
        ):
            raise ValueError(
                f"list_candidates ({self.list_candidates}) must be at least list_seats "
                f"({self.list_seats})"
            )
        return self


class ScheduledElection(Sourced):
    """An election the scenario schedules (others are called by the mechanisms)."""

    name: Name
    date: MonthField
    day: int | None = Field(None, ge=1, le=31)
    body: Name
    system: ElectoralSystem
    districts: list[str] | None = Field(
        None,
        description=(
            "Hold the election only in these districts (a repeat election); None: all. "
            "District names are '<oblast>-<k>' (k from 1 within the oblast)."
        ),
    )


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
    organised_discount: float = Field(
        0.0,
        ge=0.0,
        description=(
            "δ: how much lower the private threshold T of a voter who backs an organisation "
            "the regime has not co-opted (mobilising structures)."
        ),
    )


class OpinionParameters(_Strict):
    """Deffuant et al. (2000) bounded confidence (off by default)."""

    enabled: bool = False
    confidence: float = Field(0.3, gt=0.0, description="d: largest distance that still talks.")
    convergence: float = Field(0.5, gt=0.0, le=0.5, description="μ: step toward the other.")
    encounters_per_month: int = Field(
        1, ge=0, le=100, description="Rounds of random pairing a month."
    )


class SocietyParameters(_Strict):
    """Behavioural parameters of society."""

    hardship: HardshipParameters
    mobilisation: MobilisationParameters
    opinion: OpinionParameters = OpinionParameters()
    cooptation_legitimacy: Share = Field(
        0.0,
        description=(
            "How much more legitimate the regime looks to a voter who backs a co-opted "
            "organisation (representation through it)."
        ),
    )


class ElectionParameters(_Strict):
    """Behaviour of voters, nominators and counters in simulated elections (MODEL.md §4).

    Vote choice is a multinomial logit over the district's registered candidates ``c``:
    ``U_ic = −a·‖x_i − p_c‖² + b_eth·[eth_i = eth_c] + b_clan·[zhuz_i = zhuz_c]
    + b_party·[attachment_i = org_c] + b_regime·A_i·[c endorsed] + ε_ic``, ε Gumbel.
    Turnout is ``P(vote) = logistic(β0 + β_H·H_i + β_G·G_i + β_L·L_i + β_U·urban_i
    + m·[rural_i] + η_u)``, η_u a polling unit's shock. Ballot stuffing follows Klimek
    et al. (2012): per polling unit, incremental fraud with probability f_i and extreme
    fraud with probability f_e.
    """

    spatial_weight: float = Field(1.0, ge=0.0, le=20.0, description="a: weight of ‖x − p‖².")
    ethnic_bonus: float = Field(0.5, ge=-5.0, le=5.0, description="b_eth: same ethnicity.")
    clan_bonus: float = Field(0.3, ge=-5.0, le=5.0, description="b_clan: same zhuz.")
    party_bonus: float = Field(
        1.0, ge=-5.0, le=5.0, description="b_party: candidate of the voter's organisation."
    )
    regime_bonus: float = Field(
        1.5, ge=-5.0, le=10.0, description="b_regime: times approval A_i, for endorsed ones."
    )
    against_utility: float = Field(
        -1.0,
        ge=-10.0,
        le=10.0,
        description="u_0: utility of voting 'against' a single candidate (for/against ballots).",
    )
    turnout_intercept: float = Field(1.0, ge=-10.0, le=10.0, description="β0 of turnout.")
    turnout_hardship: float = Field(-0.5, ge=-10.0, le=10.0, description="β_H: hardship H.")
    turnout_grievance: float = Field(-1.5, ge=-10.0, le=10.0, description="β_G: grievance G.")
    turnout_legitimacy: float = Field(
        1.0, ge=-10.0, le=10.0, description="β_L: perceived legitimacy L_i."
    )
    turnout_urban: float = Field(-0.3, ge=-10.0, le=10.0, description="β_U: town dwellers.")
    mobilisation: float = Field(
        0.5,
        ge=0.0,
        le=10.0,
        description="m: administrative mobilisation, added to rural voters' turnout logit.",
    )
    unit_turnout_sd: float = Field(
        0.3, ge=0.0, le=5.0, description="σ_η: sd of a polling unit's turnout logit shock."
    )
    polling_unit_people: float = Field(
        1200.0,
        ge=200.0,
        le=3000.0,
        description="Registered people per polling unit (units hold a few hundred to ~2,000).",
    )
    independents_per_district: float = Field(
        3.0, ge=0.0, le=50.0, description="λ: mean self-nominated candidates per district."
    )
    organisation_support: Share = Field(
        0.05,
        description="Share of a district's voters attached to an organisation for it to nominate.",
    )
    titular_preference: Share = Field(
        0.0,
        description=(
            "Probability that a candidate the regime nominates itself is drawn from the "
            "titular (Kazakh) group of the district."
        ),
    )
    own_candidate_share: Share = Field(
        0.0,
        description=(
            "Share of districts where the regime endorses its own labour-collective "
            "candidate even when a co-opted organisation stands."
        ),
    )
    endorsement_rate: Share = Field(
        0.9, description="Chance the regime endorses a candidate of its own in a district."
    )
    endorsed_position: Position = Field(
        (0.0, 0.1), description="p_regime: mean position of the regime's candidates."
    )
    endorsed_position_sd: float = Field(
        0.1, ge=0.0, le=1.0, description="Spread of the regime's candidates around p_regime."
    )
    refusal_base: Share = Field(
        0.02, description="ρ0: chance a non-endorsed candidate is refused registration."
    )
    refusal_distance: float = Field(
        0.2,
        ge=0.0,
        le=5.0,
        description="ρ1: added refusal chance per unit distance from p_regime (clipped to 1).",
    )
    state_list_cutoff: float = Field(
        0.0,
        ge=-10.0,
        le=10.0,
        description=(
            "c: a voter approves a state-list nominee with probability logistic(U_ic − c)."
        ),
    )
    fraud_incremental: Share = Field(
        0.0, description="f_i: chance a polling unit commits incremental fraud."
    )
    fraud_extreme: Share = Field(
        0.0, description="f_e: chance a polling unit commits extreme fraud."
    )
    fraud_theta: float = Field(
        0.1, ge=0.0, le=1.0, description="θ: incremental fraud intensity x ~ |N(0, θ)|."
    )
    fraud_alpha: float = Field(
        2.0, ge=0.0, le=20.0, description="α: share x^α of opposition votes moved."
    )
    chunk_voters: int = Field(
        262_144, ge=1024, le=16_777_216, description="Voters processed at once (memory bound)."
    )

    @field_validator("endorsed_position")
    @classmethod
    def _position_in_space(cls, position: tuple[float, float]) -> tuple[float, float]:
        return _check_position(position)

    @model_validator(mode="after")
    def _fraud_probabilities(self) -> ElectionParameters:
        total = self.fraud_incremental + self.fraud_extreme
        if total > 1.0:
            raise ValueError(f"fraud_incremental + fraud_extreme must be at most 1; got {total}")
        return self


# -------------------------------------------------------------------- organisations' behaviour


class RuleParameters(_Strict):
    """One adaptation rule of Laver (2005): how often it is drawn and how it moves."""

    weight: float = Field(
        0.0, ge=0.0, description="Relative frequency of the rule among founded organisations."
    )
    speed: float = Field(
        0.05, ge=0.0, le=2.0, description="Step per month (Aggregator: fraction of the gap)."
    )
    satisficing: Share = Field(
        1.0, description="κ: support share at or above which it stops moving (1: never stops)."
    )


def _default_rules() -> dict[str, RuleParameters]:
    return {
        "sticker": RuleParameters(weight=1.0, speed=0.0),
        "aggregator": RuleParameters(weight=1.0, speed=1.0),
        "hunter": RuleParameters(weight=1.0, speed=0.05),
        "predator": RuleParameters(weight=1.0, speed=0.05),
        "explorer": RuleParameters(weight=1.0, speed=0.05),
    }


class PartyParameters(_Strict):
    """Organisations (MODEL.md §2): support, adaptation, birth, death, splits, mergers,
    co-optation and registration. Each description names the model's symbol."""

    # support: u_ij = −‖x_i − p_j‖² + b_eth·[same base] + b_clan·[same zhuz] + b_pid·[attached]
    ethnic_bonus: float = Field(
        0.0, ge=0.0, le=4.0, description="b_eth: utility of an organisation of one's ethnic base."
    )
    clan_bonus: float = Field(
        0.0, ge=0.0, le=4.0, description="b_clan: utility of a leader of one's own zhuz."
    )
    attachment_bonus: float = Field(
        0.0, ge=0.0, le=4.0, description="b_pid: utility of the organisation one is attached to."
    )
    min_utility: float = Field(
        -1e6, le=0.0, description="u_min: with every utility below it, a voter backs none."
    )
    attachment_rate: Share = Field(
        0.0, description="Monthly probability that a supporter becomes attached to its choice."
    )
    fitness_memory: float = Field(
        0.5, ge=0.0, lt=1.0, description="γ: fitness memory, f ← γ·f + (1−γ)·share."
    )
    survival_threshold: Share = Field(
        0.0, description="τ: an organisation whose fitness stays below τ is dissolved."
    )
    death_spell: int = Field(
        1, ge=1, le=120, description="Consecutive months below τ before dissolution."
    )
    grace_months: int = Field(
        0, ge=0, le=120, description="Months after founding during which τ does not apply."
    )
    birth_rate: Share = Field(
        0.0, description="β: monthly chance that an elite founds a party where misery clusters."
    )
    monopoly_birth_rate: Share | None = Field(
        None,
        description=(
            "β while the party monopoly holds (a movement needs the authorities' leave); "
            "None: the same as birth_rate."
        ),
    )
    misery_memory: float = Field(
        0.5, ge=0.0, lt=1.0, description="γ_m: accumulated misery, M ← γ_m·M + d²."
    )
    misery_cap: float = Field(
        1.0, gt=0.0, description="Largest d² counted as misery (also the misery with no party)."
    )
    ethnic_threshold: Share = Field(
        0.8,
        description=(
            "θ_eth: a new organisation takes one group as its ethnic base when that group's "
            "share of the voters around it (or of its supporters) reaches θ_eth."
        ),
    )
    neighbourhood: float = Field(
        0.25, gt=0.0, description="Radius of the voters 'around' a founding point."
    )
    spawn_rate: Share = Field(
        0.0, description="Monthly probability that a movement spawns a party led by a sub-leader."
    )
    resource_bonus: float = Field(
        0.0, ge=0.0, description="b_res: utility per unit of an organisation's resources."
    )
    movement_schooling: Share = Field(
        0.0,
        description=(
            "s: probability that a new organisation's founder comes from a movement's "
            "ranks (they alone have organising experience); it then descends from it."
        ),
    )
    sub_leaders: int = Field(
        3, ge=0, le=50, description="Sub-leaders each new organisation recruits from the pool."
    )
    movement_sub_leaders: int = Field(
        10, ge=0, le=200, description="Sub-leaders a movement recruits (its future party leaders)."
    )
    rules: dict[AdaptationRule, RuleParameters] = Field(
        default_factory=_default_rules, description="Laver's (2005) adaptation rules."
    )
    split_rate: float = Field(
        0.0,
        ge=0.0,
        le=100.0,
        description="σ: split hazard = σ·personalism·heterogeneity·(1 − cohesion), clipped to 1.",
    )
    min_split_share: Share = Field(
        0.0, description="Organisations with a smaller support share do not split."
    )
    merger_rate: Share = Field(0.0, description="μ: merger hazard = μ·skill·closeness.")
    learning_time: float = Field(
        60.0, gt=0.0, description="λ (months): coalition skill = 1 − exp(−experience/λ)."
    )
    merger_radius: float = Field(
        0.3, gt=0.0, description="r_m: organisations closer than this may merge; 1 − d/r_m."
    )
    regime_position: Position = Field(
        (0.0, 0.0), description="p_R: the regime's position, toward which co-opted ones drift."
    )
    cooptation_tolerance: float = Field(
        0.5, ge=0.0, description="Largest distance from p_R of an organisation the regime courts."
    )
    cooptation_rate: Share = Field(
        0.0, description="Monthly probability of an offer to an eligible organisation."
    )
    monopoly_cooptation_rate: Share | None = Field(
        None,
        description=(
            "Offer rate while the party monopoly holds: the authorities sanction (or "
            "refuse) every movement; None: the same as cooptation_rate."
        ),
    )
    cooptation_min_share: Share = Field(0.0, description="Support share an offer requires.")
    cooptation_grant: float = Field(
        0.2, ge=0.0, le=10.0, description="Resources a co-opted organisation receives."
    )
    cooptation_drift: Share = Field(
        0.05, description="Fraction of its gap to p_R a co-opted organisation closes monthly."
    )
    sanction_bonus: float = Field(
        0.0, ge=0.0, le=4.0, description="b_sanc: utility of the regime's sanction (co-opted)."
    )
    registration_tolerance: float = Field(
        4.0, ge=0.0, description="Organisations farther than this from p_R risk refusal."
    )
    refusal_probability: Share = Field(
        0.0, description="Probability that such an organisation's application is refused."
    )
    reapply_months: int = Field(
        6, ge=1, le=120, description="Months before a refused organisation applies again."
    )
    unregistered_penalty: float = Field(
        0.0, ge=0.0, le=4.0, description="b_unreg: utility lost by backing an unregistered one."
    )
    monopoly_institution: str | None = Field(
        None, description="Institution whose true value forbids founding parties (not movements)."
    )
    homogeneity_threshold: Share = Field(
        0.8, description="Modal-ethnicity share of supporters from which an organisation is ethnic."
    )

    @field_validator("regime_position")
    @classmethod
    def _regime_in_space(cls, position: tuple[float, float]) -> tuple[float, float]:
        return _check_position(position)


class ElitesParameters(_Strict):
    """The elite pool (MODEL.md §2, §3), drawn from the electorate with traits of its own."""

    size: int = Field(3000, ge=0, le=MAX_ELITES, description="Elites in the pool.")
    ambition: Distribution = Field(
        Distribution(mean=0.5, sd=0.2), description="a: eagerness to lead, 0-1."
    )
    loyalty: Distribution = Field(
        Distribution(mean=0.5, sd=0.2), description="ℓ: loyalty to the regime, 0-1."
    )
    resources: Distribution = Field(
        Distribution(mean=0.3, sd=0.15), description="r: own resources, 0-1."
    )


# --------------------------------------------------------------------------- the state


class PresidentParameters(Sourced):
    """The president (MODEL.md §3): approval, the campaign on legislatures, elections."""

    name: str = "the president"
    party: str | None = Field(
        None, description="An organisation id the president belongs to; None: non-partisan."
    )
    party_institution: str | None = Field(
        None,
        description=(
            "An institution whose value is the id of the president's party (or 'none'); "
            "it overrides `party` month by month (a president who leaves a party)."
        ),
    )
    vehicle_institution: str | None = Field(
        None,
        description=(
            "An institution whose value is the id of the organisation the regime runs as "
            "its pro-presidential vehicle (or 'none'); without it, its newest client."
        ),
    )
    took_office: MonthField | None = Field(None, description="When the president took office.")
    term_ends: MonthField | None = Field(
        None, description="When the presidential term ends (an election is then due)."
    )
    term_months: int = Field(
        60, ge=1, le=1200, description="Length of a term, for later elections."
    )
    election: ScheduledElection | None = Field(
        None, description="The presidential election held when a term ends (date ignored)."
    )
    extension_referendum: ScheduledElection | None = Field(
        None, description="The plebiscite on extending the term (formula referendum)."
    )
    approval: Share = Field(0.6, description="A(0): approval at the start.")
    approval_base: float = Field(0.55, description="α0: approval with no hardship, e = 0.5.")
    approval_efficiency: float = Field(0.5, description="α_e: approval gained per unit of e.")
    approval_hardship: float = Field(0.6, description="α_H: approval lost per unit of H̄.")
    approval_memory: Share = Field(0.9, description="ρ: monthly persistence of approval.")
    legitimacy_follows_approval: Share = Field(
        0.05, description="κ: monthly step of regime legitimacy L toward approval A."
    )
    campaign_gap: float = Field(
        0.1, description="A − L_national at which the president campaigns against the legislature."
    )
    campaign_trigger: str | None = Field(
        None, description="An institution that, once true, starts the campaign (an example)."
    )
    campaign_patience: Months = Field(
        48, description="Months of holdover after which the campaign starts regardless."
    )
    pressure_ramp: Share = Field(0.3, description="Monthly rise of pressure while campaigning.")
    pressure_decay: Share = Field(0.5, description="Monthly fall of pressure otherwise.")
    decision_lead: int = Field(
        18, ge=1, le=1200, description="Months before the term ends that the president decides."
    )
    hold_risk: Share = Field(0.2, description="Largest risk of losing at which to hold on time.")
    early_gain: Share = Field(
        0.05, description="Fall of expected vote share by the due date that makes early worth it."
    )
    vote_share_sd: float = Field(0.1, gt=0.0, description="Uncertainty of the expected vote.")
    extension_months: int = Field(
        48, ge=1, le=1200, description="Term extension a referendum seeks."
    )
    exit_hazard: Share = Field(
        0.0005, description="Monthly chance the president leaves office for outside reasons."
    )
    successor_approval: Share = Field(0.35, description="Approval of a successor.")
    successor_efficiency_loss: Share = Field(
        0.2, description="Efficiency lost when the guarantor leaves."
    )


class PatronageParameters(Sourced):
    """Posts to elites, biased toward the president's zhuz (selectorate logic)."""

    posts: int = Field(300, ge=0, le=MAX_ELITES, description="W: posts in the president's gift.")
    turnover: Share = Field(0.03, description="Share of posts that change hands each month.")
    own_zhuz_bias: float = Field(
        1.5, ge=0.0, description="Log-odds bonus of an elite of the president's own zhuz."
    )
    kazakh_bias: float = Field(0.7, ge=0.0, description="Log-odds bonus of a Kazakh elite.")
    loyalty_gain: Share = Field(
        0.05, description="g0: monthly loyalty gain in office, scaled by (1 − W/S)."
    )
    loyalty_decay: Share = Field(
        0.02, description="Monthly step of out-of-office loyalty back toward its baseline."
    )
    loyalty_baseline: Share = Field(0.5, description="Loyalty an elite out of office returns to.")
    defection_loyalty: Share = Field(
        0.15, description="Elites below this loyalty are ready to defect."
    )
    defection_threshold: Share = Field(
        0.5, description="φ_e: share of defecting contacts that tips an elite."
    )
    defection_degree: float = Field(6.0, ge=0.0, description="Mean contacts per elite.")
    defection_share: Share = Field(
        0.5, description="Share of the pool whose defection removes the president."
    )


class LegislatureLevel(Sourced):
    """Deputies and legitimacy of one level of bodies."""

    seats: Seats = Field(description="Deputies per body.")
    legitimacy: Share = Field(description="L0: legitimacy when elected.")
    tolerance: Distribution = Field(description="τ_d: resign only while L_b is below this.")
    threshold: Distribution = Field(description="θ_d: peer share that tips the deputy.")
    peer_degree: float = Field(6.0, ge=0.0, description="Mean peer links per deputy.")


class LegislatureParameters(Sourced):
    """Bodies at three levels, their legitimacy, resignations and dissolution."""

    national_body: str = "supreme-soviet"
    local: LegislatureLevel
    oblast: LegislatureLevel
    national: LegislatureLevel
    holdover_from: MonthField | None = Field(
        None, description="After this month, bodies elected before it are holdovers."
    )
    age_erosion: Share = Field(0.005, description="Monthly legitimacy loss of a holdover body.")
    campaign_erosion: Share = Field(0.05, description="Monthly loss per unit of pressure.")
    hardship_weight: float = Field(0.3, ge=0.0, description="w_H: legitimacy lost per unit H̄.")
    loyalty: Distribution = Field(description="Loyalty of local notables to the president.")
    below_weight: Share = Field(
        0.5, description="w_b: weight of the dissolved share of the bodies below, as a signal."
    )
    rounds_per_month: int = Field(
        4,
        ge=1,
        le=100,
        description="Rounds of resignation a month (about weekly), each then a vote.",
    )
    quorum_loss: Share = Field(0.33, description="Resigned share at which a body is inquorate.")
    vote_trigger: Share = Field(
        0.08, description="Resigned share at which the body votes on dissolving itself."
    )
    election_lag: int = Field(
        3, ge=1, le=1200, description="Months from dissolution to the new election."
    )
    successor: ScheduledElection | None = Field(
        None, description="The election a dissolved national body calls (its date is ignored)."
    )


class CivilPeaceParameters(Sourced):
    """Tension and violent episodes by oblast (after Epstein 2002, model II)."""

    polarisation_weight: float = Field(1.0, ge=0.0, description="w_P: ethnic polarisation term.")
    grievance_gap_weight: float = Field(2.0, ge=0.0, description="w_G: grievance gap term.")
    legitimacy_weight: float = Field(0.5, ge=0.0, description="w_L: (1 − L) term.")
    guarantor_damping: Share = Field(
        0.5, description="Share of tension the guarantor's presence absorbs."
    )
    base_hazard: Share = Field(0.0005, description="h0: monthly episode hazard at zero tension.")
    hazard_slope: float = Field(6.0, ge=0.0, description="k: hazard ∝ exp(k·tension).")
    state_capacity: Share = Field(0.6, description="Capacity that suppresses episodes.")


class Counterfactuals(_Strict):
    """Switches for 'what if' runs (all off in the historical scenario)."""

    no_cooptation: bool = Field(False, description="The regime co-opts no organisation.")
    no_guarantor_from: MonthField | None = Field(
        None, description="The president leaves office in this month."
    )
    coalition_learning: float = Field(
        1.0, gt=0.0, description="Multiplier of the coalition-learning speed (1/λ)."
    )
    repression: float = Field(1.0, ge=0.0, description="Multiplier of repression capacity P.")
    free_association: bool = Field(
        False, description="A free association law: no organisation is refused registration."
    )


class StateParameters(Sourced):
    """Behavioural parameters of the state (MODEL.md §3)."""

    president: PresidentParameters = PresidentParameters()
    patronage: PatronageParameters = PatronageParameters()
    legislatures: LegislatureParameters | None = None
    civil_peace: CivilPeaceParameters = CivilPeaceParameters()


# --------------------------------------------------------------------------- the scenario


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
