"""Electoral systems, scheduled elections and voters' behaviour in them (docs/model.md §4)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from polsim.scenario.limits import (
    MAX_CANDIDATES,
    MAX_SEATS,
)
from polsim.scenario.schema.base import (
    MonthField,
    Name,
    Position,
    Seats,
    Share,
    Sourced,
    _check_position,
    _Strict,
)

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
    """An electoral system as data (docs/model.md §4.1, §4.3.6)."""

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


class ElectionParameters(_Strict):
    """Behaviour of voters, nominators and counters in simulated elections (docs/model.md §4.3).

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
