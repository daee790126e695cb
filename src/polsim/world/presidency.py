"""The presidency: who holds it, with what approval, and the posts in its gift."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from polsim.engine.calendar import Month

__all__ = ["VACANT", "Presidency"]

#: A post no elite holds.
VACANT = -1


@dataclass
class Presidency:
    """The president and the apparat's posts (docs/model.md §3.1, §3.2).

    Attributes
    ----------
    name : str
        Who holds the office.
    zhuz : int
        Code into ZHUZES (−1: none).
    party : int
        Organisation id the president belongs to, or −1 (non-partisan).
    approval : float
        A, 0-1.
    took_office : Month
    term_ends : Month or None
        When an election for the office is due.
    original : bool
        The scenario's president still holds office (the guarantor).
    pressure : float
        Pressure on the legislatures, 0-1 (the delegitimation campaign).
    campaigning : bool
        The campaign against the legislatures is on.
    decided_term : Month or None
        The term end the president has already chosen what to do about.
    posts : int32
        The elite holding each post, or :data:`VACANT`.
    approval_history : list of float
        Approval in past months (for the president's trend estimate).
    elite_contacts : int64, shape (m, 2)
        The network among elites along which defection spreads.
    """

    name: str
    zhuz: int
    party: int
    approval: float
    took_office: Month
    term_ends: Month | None
    original: bool = True
    pressure: float = 0.0
    campaigning: bool = False
    decided_term: Month | None = None
    posts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    approval_history: list[float] = field(default_factory=list)
    elite_contacts: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
