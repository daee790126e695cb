"""Behavioural parameters of society: hardship, mobilisation, opinion (docs/model.md §1.3)."""

from __future__ import annotations

from pydantic import (
    Field,
)

from polsim.scenario.schema.base import (
    Share,
    _Strict,
)
from polsim.scenario.schema.population import (
    Distribution,
)


class HardshipParameters(_Strict):
    """H_i(t) = clip(H0_i + s_i·shock(t) − e·relief, 0, 1)  (docs/model.md §1.3)."""

    base: Distribution = Field(description="H0: hardship before the shock.")
    sensitivity: Distribution = Field(description="s: how much the output fall hurts.")
    relief: float = Field(0.0, ge=0.0, description="Hardship removed per unit of efficiency e.")
    urban_sensitivity_factor: float = Field(
        1.0, ge=0.0, description="Multiplier of s for urban voters (wage arrears hit towns)."
    )


class MobilisationParameters(_Strict):
    """Active when G_i − R_i·P > T_i and the oblast's active share ≥ b_i (docs/model.md §1.5)."""

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
