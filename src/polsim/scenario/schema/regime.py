"""The regime and the economy at the start of a run (docs/model.md §1, §3)."""

from __future__ import annotations

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from polsim.scenario.schema.base import (
    ZHUZES,
    Share,
    Sourced,
    Year,
)


class Regime(Sourced):
    """The regime at the start of the run (docs/model.md §1.3–§1.5, §3.2)."""

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

    The shock of docs/model.md §1.3 is ``shock(t) = 1 − index(t) / index(base)``: the fall of
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
