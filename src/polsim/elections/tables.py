"""The election output tables: ``results.parquet`` and ``units.parquet`` (docs/model.md §4.3.7).

The race families return their rows in an
:class:`~polsim.elections.rounds.ElectionOutcome` (one dict of columns per round); the
run's recorder keeps them, and :func:`results_table` and :func:`units_table` make the
Arrow tables from what it kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from polsim.scenario.schema import ZHUZES, ScheduledElection

if TYPE_CHECKING:
    import pyarrow as pa

    from polsim.elections.candidates import Nominee

__all__ = [
    "RESULT_COLUMNS",
    "UNIT_COLUMNS",
    "date_text",
    "result_rows",
    "results_table",
    "units_table",
]

#: Columns of ``results.parquet`` (name, Arrow type): one row per election × round ×
#: district × candidate (a list, for list votes). ``seats`` is the seats a row won: 0 or 1
#: for a person, the list's seats in the district for a party list; ``elected`` is
#: ``seats > 0``. As an Arrow schema: ``RESULT_SCHEMA``.
RESULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("election", "string"),
    ("date", "string"),
    ("body", "string"),
    ("round", "int16"),
    ("district", "string"),
    ("candidate", "string"),
    ("org", "int32"),
    ("org_name", "string"),
    ("ethnicity", "string"),
    ("zhuz", "string"),
    ("votes", "float64"),
    ("elected", "bool_"),
    ("seats", "int16"),
)

#: Columns of ``units.parquet``: one row per election × round × polling unit
#: (``UNIT_SCHEMA``).
UNIT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("election", "string"),
    ("round", "int16"),
    ("district", "string"),
    ("unit", "int32"),
    ("registered", "float64"),
    ("ballots", "float64"),
    ("endorsed_votes", "float64"),
    ("stuffed", "float64"),
    ("fraud", "string"),
)


def __getattr__(name: str) -> Any:
    """``RESULT_SCHEMA`` and ``UNIT_SCHEMA``, made when first asked for: pyarrow (tens of
    MB) is imported only when tables are written, not in every run."""
    columns = {"RESULT_SCHEMA": RESULT_COLUMNS, "UNIT_SCHEMA": UNIT_COLUMNS}.get(name)
    if columns is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _schema(columns)


def _schema(columns: tuple[tuple[str, str], ...]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in columns])


def date_text(election: ScheduledElection) -> str:
    """The election's date as written in the ``date`` column: ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if election.day is None:
        return str(election.date)
    return f"{election.date}-{election.day:02d}"


def result_rows(
    election: ScheduledElection,
    ethnic_groups: tuple[str, ...],
    round_number: int,
    nominees: Sequence[Nominee],
    votes: np.ndarray,
    seats: np.ndarray,
    race_names: tuple[str, ...],
) -> dict[str, list[Any]]:
    """The ``results.parquet`` columns of one counted round: one row per nominee."""
    rows: dict[str, list[Any]] = {name: [] for name, _ in RESULT_COLUMNS}
    for k, n in enumerate(nominees):
        rows["election"].append(election.name)
        rows["date"].append(date_text(election))
        rows["body"].append(election.body)
        rows["round"].append(round_number)
        rows["district"].append(race_names[n.district])
        rows["candidate"].append(n.name)
        rows["org"].append(n.org)
        rows["org_name"].append(n.org_name or "")
        rows["ethnicity"].append(ethnic_groups[n.ethnicity] if n.ethnicity >= 0 else "")
        rows["zhuz"].append(ZHUZES[n.zhuz] if n.zhuz >= 0 else "")
        rows["votes"].append(float(votes[k]))
        rows["elected"].append(bool(seats[k] > 0))
        rows["seats"].append(int(seats[k]))
    return rows


def results_table(parts: Sequence[dict[str, Any]] | None = None) -> pa.Table:
    """``results.parquet``: every counted round of every election (empty table if none).

    ``parts`` are the dicts of columns the elections returned (the recorder's ``results``
    rows, or an :class:`~polsim.elections.rounds.ElectionOutcome`'s ``results``).
    """
    return _concat(parts or [], _schema(RESULT_COLUMNS))


def units_table(parts: Sequence[dict[str, Any]] | None = None) -> pa.Table:
    """``units.parquet``: polling-unit tallies, for the turnout/vote-share fingerprint."""
    return _concat(parts or [], _schema(UNIT_COLUMNS))


def _concat(parts: Sequence[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    import pyarrow as pa

    tables = [
        pa.table(
            {
                f.name: pa.array(
                    np.asarray(p[f.name]) if f.type != pa.string() else list(p[f.name]), f.type
                )
                for f in schema
            },
            schema=schema,
        )
        for p in parts
        if p
    ]
    if not tables:
        return schema.empty_table()
    return pa.concat_tables(tables)
