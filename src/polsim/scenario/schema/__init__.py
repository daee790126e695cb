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

The models live by section in ``base`` (the strict base model, figures, months, names),
``population``, ``regime``, ``institutions``, ``elections``, ``society``,
``organisations``, ``state`` and ``scenario``; this package re-exports every public name.
"""

from __future__ import annotations

from polsim.scenario.schema.base import (
    ZHUZES,
    Figure,
    FigureField,
    MonthField,
    Months,
    Name,
    Position,
    PositiveFigureField,
    Seats,
    Share,
    Slug,
    Sourced,
    Year,
)
from polsim.scenario.schema.elections import (
    ElectionParameters,
    ElectoralFormula,
    ElectoralSystem,
    ScheduledElection,
)
from polsim.scenario.schema.institutions import (
    Institution,
    InstitutionChange,
    InstitutionValue,
)
from polsim.scenario.schema.organisations import (
    AdaptationRule,
    ElitesParameters,
    Organisation,
    OrganisationKind,
    PartyParameters,
    RuleParameters,
)
from polsim.scenario.schema.population import (
    Distribution,
    EthnicGroup,
    IdealPointGroup,
    Oblast,
    Population,
)
from polsim.scenario.schema.regime import (
    EconomicSeries,
    Regime,
)
from polsim.scenario.schema.scenario import (
    Scenario,
)
from polsim.scenario.schema.society import (
    HardshipParameters,
    MobilisationParameters,
    OpinionParameters,
    SocietyParameters,
)
from polsim.scenario.schema.state import (
    CivilPeaceParameters,
    Counterfactuals,
    LegislatureLevel,
    LegislatureParameters,
    PatronageParameters,
    PresidentParameters,
    StateParameters,
)

__all__ = [
    "ZHUZES",
    "AdaptationRule",
    "CivilPeaceParameters",
    "Counterfactuals",
    "Distribution",
    "EconomicSeries",
    "ElectionParameters",
    "ElectoralFormula",
    "ElectoralSystem",
    "ElitesParameters",
    "EthnicGroup",
    "Figure",
    "FigureField",
    "HardshipParameters",
    "IdealPointGroup",
    "Institution",
    "InstitutionChange",
    "InstitutionValue",
    "LegislatureLevel",
    "LegislatureParameters",
    "MobilisationParameters",
    "MonthField",
    "Months",
    "Name",
    "Oblast",
    "OpinionParameters",
    "Organisation",
    "OrganisationKind",
    "PartyParameters",
    "PatronageParameters",
    "Population",
    "Position",
    "PositiveFigureField",
    "PresidentParameters",
    "Regime",
    "RuleParameters",
    "Scenario",
    "ScheduledElection",
    "Seats",
    "Share",
    "Slug",
    "SocietyParameters",
    "Sourced",
    "StateParameters",
    "Year",
]
