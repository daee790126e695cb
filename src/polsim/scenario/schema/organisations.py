"""Organisations: the historical ones, their behaviour and the elite pool (docs/model.md §2.1)."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
    field_validator,
)

from polsim.scenario.limits import (
    MAX_ELITES,
)
from polsim.scenario.schema.base import (
    MonthField,
    Name,
    Position,
    Share,
    Slug,
    Sourced,
    _check_position,
    _Strict,
)
from polsim.scenario.schema.population import (
    Distribution,
)

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
    """Organisations (docs/model.md §2): support, adaptation, birth, death, splits, mergers,
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
    """The elite pool (docs/model.md §2.1), drawn from the electorate with traits of its own."""

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
