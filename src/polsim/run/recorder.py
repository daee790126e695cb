"""The recorder: one row of monthly series per month, kept as columns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from polsim.world.polity import World

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Recorder"]

Probe = Callable[[World], dict[str, float]]


class Recorder:
    """Collects the probes' values each month into columns for ``series.parquet``.

    Every probe must return the same keys every month; a missing or new key is an
    error, since a series with holes would silently mislead.
    """

    def __init__(self, probes: tuple[Probe, ...]) -> None:
        self._probes = probes
        self._dates: list[str] = []
        self._columns: dict[str, list[float]] = {}
        self._rows: dict[str, list[dict[str, Any]]] = {}

    def record(self, world: World) -> None:
        """Append this month's row."""
        row: dict[str, float] = {}
        for probe in self._probes:
            row.update(probe(world))
        if not self._dates:
            self._columns = {key: [] for key in row}
        elif row.keys() != self._columns.keys():
            missing = sorted(set(self._columns) ^ set(row))
            raise RuntimeError(f"series columns changed in {world.date}: {missing}")
        self._dates.append(str(world.date))
        for key, value in row.items():
            self._columns[key].append(float(value))

    def keep_rows(self, rows: Mapping[str, list[dict[str, Any]]]) -> None:
        """Keep a mechanism's output rows (dicts of columns), by the table they belong to."""
        for table, parts in rows.items():
            self._rows.setdefault(table, []).extend(parts)

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows kept for ``table`` (e.g. ``results``, ``units``), in the order given."""
        return self._rows.get(table, [])

    def latest(self) -> dict[str, float]:
        """The last row recorded."""
        return {key: values[-1] for key, values in self._columns.items()}

    def to_table(self) -> pa.Table:
        """The series as an Arrow table: ``month`` then one float64 column per series."""
        import pyarrow as pa  # only when the table is written (pyarrow costs memory)

        arrays = {"month": pa.array(self._dates, pa.string())}
        for key, values in self._columns.items():
            arrays[key] = pa.array(values, pa.float64())
        return pa.table(arrays)
