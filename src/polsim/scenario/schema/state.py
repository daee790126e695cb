"""The state: president, patronage, legislatures, civil peace, counterfactuals (§3)."""

from __future__ import annotations

from pydantic import (
    Field,
)

from polsim.scenario.limits import (
    MAX_ELITES,
)
from polsim.scenario.schema.base import (
    MonthField,
    Months,
    Seats,
    Share,
    Sourced,
    _Strict,
)
from polsim.scenario.schema.elections import (
    ScheduledElection,
)
from polsim.scenario.schema.population import (
    Distribution,
)


class PresidentParameters(Sourced):
    """The president (docs/model.md §3.2): approval, the campaign on legislatures, elections."""

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
    """Behavioural parameters of the state (docs/model.md §3)."""

    president: PresidentParameters = PresidentParameters()
    patronage: PatronageParameters = PatronageParameters()
    legislatures: LegislatureParameters | None = None
    civil_peace: CivilPeaceParameters = CivilPeaceParameters()
