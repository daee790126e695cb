"""The schema's common ground: the strict base model, figures, months, names, caps."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)

from polsim.engine.calendar import Month
from polsim.scenario.limits import (
    MAX_ITEMS,
    MAX_NAME_LENGTH,
    MAX_SEATS,
    MAX_TEXT_LENGTH,
)

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
