"""Elites as columns: the pool from which organisations draw their leaders.

A few thousand politically relevant people (docs/model.md §2.1, §3.1): party leaders and
sub-leaders, deputies, officials. Like voters they are a struct of NumPy arrays, one
entry per elite; unlike voters they are few, so mechanisms may loop over them. The
pool is drawn once, when the world is built (:func:`polsim.parties.elite_pool.draw_elites`),
and both ``parties/`` and ``state/`` read and change it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = ["NO_OFFICE", "Elites"]

#: Office code of an elite holding no state post.
NO_OFFICE = -1


@dataclass
class Elites:
    """The elite pool as columns.

    Attributes
    ----------
    ethnicity : int8
        Code into the scenario's ethnic groups.
    zhuz : int8
        Code into :data:`polsim.scenario.schema.ZHUZES`, or ``NO_ZHUZ``.
    position : float32, shape (n, 2)
        Own ideal point (economy, nation).
    ambition : float32
        0-1: eagerness to lead; drives founding and splitting.
    loyalty : float32
        0-1: loyalty to the regime; the probability of accepting co-optation.
    resources : float32
        0-1: money, networks and name the elite brings to an organisation.
    experience : float32
        Months spent leading organisations; carried from one organisation to the next.
    organisation : int32
        Id of the organisation the elite leads or belongs to, or -1.
    office : int16
        Code of the state post held (set by ``state/``), or :data:`NO_OFFICE`.
    """

    ethnicity: np.ndarray
    zhuz: np.ndarray
    position: np.ndarray
    ambition: np.ndarray
    loyalty: np.ndarray
    resources: np.ndarray
    experience: np.ndarray
    organisation: np.ndarray
    office: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.ethnicity)
        for f in fields(self):
            column = getattr(self, f.name)
            if len(column) != n:
                raise ValueError(f"elite column {f.name!r} has {len(column)} rows, expected {n}")

    def __len__(self) -> int:
        return len(self.ethnicity)

    @classmethod
    def empty(cls) -> Elites:
        """A pool with no elites (a world built without organisations)."""
        return cls(
            ethnicity=np.zeros(0, np.int8),
            zhuz=np.zeros(0, np.int8),
            position=np.zeros((0, 2), np.float32),
            ambition=np.zeros(0, np.float32),
            loyalty=np.zeros(0, np.float32),
            resources=np.zeros(0, np.float32),
            experience=np.zeros(0, np.float32),
            organisation=np.zeros(0, np.int32),
            office=np.zeros(0, np.int16),
        )

    def columns(self) -> dict[str, np.ndarray]:
        """Every per-elite column by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
