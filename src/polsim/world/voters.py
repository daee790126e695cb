"""Voters as columns: a struct of NumPy arrays, one entry per synthetic voter.

No voter is ever an object. Positions are float32 ``(n, 2)`` arrays in the policy space
of docs/model.md §1.2 (economy, nation); codes are small integers that index the scenario's
lists (ethnic groups, oblasts, zhuzes). Voters are stored sorted by oblast, so that
each oblast is one contiguous slice (:attr:`Voters.oblast_bounds`); the oblast of a voter
is its slice, and no per-voter oblast column is held.

Hardship and grievance are not held either: each is a function of held columns and the
month's scalars (:mod:`polsim.society.hardship`, :mod:`polsim.society.grievance`), which
every reader evaluates for the rows it reads.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = ["MAX_ORGANISATIONS", "NO_ORGANISATION", "NO_ZHUZ", "ORGANISATION_CODE", "Voters"]

#: Zhuz code of a voter who belongs to none (every non-Kazakh).
NO_ZHUZ = -1
#: Attachment code of a voter attached to no organisation.
NO_ORGANISATION = -1
#: Integer type of a per-voter organisation code (attachment; the party system's choice):
#: a run founds hundreds of organisations, and two bytes a voter are 20 MB at 10M voters.
ORGANISATION_CODE = np.int16
#: Organisations a run may found, so that every id fits :data:`ORGANISATION_CODE`.
MAX_ORGANISATIONS = int(np.iinfo(ORGANISATION_CODE).max)


@dataclass
class Voters:
    """The electorate as columns.

    Attributes
    ----------
    weight : float32
        People each synthetic voter stands for; the sum is the scenario's electorate.
    ethnicity : int8
        Code into the scenario's ethnic groups.
    zhuz : int8
        Code into :data:`polsim.scenario.schema.ZHUZES`, or :data:`NO_ZHUZ`.
    urban : bool
        Lives in a town.
    position : float32, shape (n, 2)
        Ideal point (economy, nation), each in [-1, 1].
    base_hardship, shock_sensitivity : float32
        H0 and s of the hardship rule (docs/model.md §1.3).
    backs_coopted : bool
        Backed an organisation the regime had co-opted at this month's grievance step
        (the grievance rule's one per-voter input that changes later in the month).
    risk_aversion, activation_threshold, bandwagon_threshold : float32
        R, T and b of the mobilisation rule.
    active : bool
        Publicly active this month.
    attachment : int16 (:data:`ORGANISATION_CODE`)
        Organisation the voter identifies with, or :data:`NO_ORGANISATION`.
    oblast_bounds : int64, shape (n_oblasts + 1,)
        Start offset of each oblast's slice (the voter's oblast; see :meth:`oblast_codes`).
    """

    weight: np.ndarray
    ethnicity: np.ndarray
    zhuz: np.ndarray
    urban: np.ndarray
    position: np.ndarray
    base_hardship: np.ndarray
    shock_sensitivity: np.ndarray
    risk_aversion: np.ndarray
    activation_threshold: np.ndarray
    bandwagon_threshold: np.ndarray
    active: np.ndarray
    backs_coopted: np.ndarray
    attachment: np.ndarray
    oblast_bounds: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.weight)
        for f in fields(self):
            if f.name == "oblast_bounds":
                continue
            column = getattr(self, f.name)
            if len(column) != n:
                raise ValueError(f"voter column {f.name!r} has {len(column)} rows, expected {n}")

    def __len__(self) -> int:
        return len(self.weight)

    @property
    def n_oblasts(self) -> int:
        """Number of oblasts."""
        return len(self.oblast_bounds) - 1

    def oblast_slice(self, oblast: int) -> slice:
        """The rows of one oblast."""
        return slice(int(self.oblast_bounds[oblast]), int(self.oblast_bounds[oblast + 1]))

    def oblast_codes(self, rows: slice = slice(None)) -> np.ndarray:
        """The oblast code (int8) of each voter in ``rows``, derived from the bounds.

        A new array of the rows' size: for references, tests and chunks; the run's
        passes go oblast by oblast over :attr:`oblast_bounds` instead.
        """
        start, stop, _ = rows.indices(len(self))
        bounds = np.clip(self.oblast_bounds, start, max(start, stop))
        return np.repeat(np.arange(self.n_oblasts, dtype=np.int8), np.diff(bounds))

    def columns(self) -> dict[str, np.ndarray]:
        """Every per-voter column by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "oblast_bounds"}

    @property
    def nbytes(self) -> int:
        """Bytes the voter columns hold (a broadcast column, such as equal weights, holds
        one value, not one per voter)."""
        return sum(_held_bytes(column) for column in self.columns().values())


def _held_bytes(column: np.ndarray) -> int:
    """Bytes of memory behind an array: zero-stride (broadcast) axes count once."""
    held = column.itemsize
    for size, stride in zip(column.shape, column.strides, strict=True):
        held *= size if stride != 0 else 1
    return held
