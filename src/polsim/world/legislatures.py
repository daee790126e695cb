"""Legislative bodies and their deputies, as columns (docs/model.md §3.3).

Three levels: the local soviets of each oblast (one body standing for the oblast's city
and district soviets), the oblast soviet, and the national body (the Supreme Soviet of
360, later the Supreme Kenges). Bodies are few and kept as small arrays; deputies are a
few thousand and kept as columns. Deputies of one body are linked by a random peer
network, along which resignations spread (Watts 2002).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from polsim.engine.calendar import Month

__all__ = ["LEVELS", "LOCAL", "NATIONAL", "OBLAST", "Legislatures"]

#: The levels of the soviet hierarchy, bottom to top.
LEVELS: tuple[str, ...] = ("local", "oblast", "national")
LOCAL, OBLAST, NATIONAL = 0, 1, 2


@dataclass
class Legislatures:
    """Every legislative body and deputy of the polity.

    Body attributes are indexed by body id; deputy attributes by deputy id.

    Attributes
    ----------
    name : list of str
        ``"local:<oblast>"``, ``"oblast:<oblast>"`` or the national body's name.
    level : int8
        :data:`LOCAL`, :data:`OBLAST` or :data:`NATIONAL`.
    oblast : int16
        The oblast a body belongs to (−1 for the national body).
    elected : list of Month
        When the body was (last) elected.
    base_legitimacy, erosion, legitimacy : float64
        L_b = clip(L0 − erosion − w_H·H̄, 0, 1): erosion accumulates with age under the old
        rules and with the president's campaign.
    dissolved : bool
        Dissolved and not yet renewed.
    dissolved_on : list of Month or None
    deputy_body : int32
        The body each deputy sits in.
    deputy_elite : int32
        The elite (pool index) a national deputy is, or −1 for a local notable.
    deputy_loyalty, deputy_tolerance, deputy_threshold : float32
        Loyalty to the president; the legitimacy below which the deputy would resign;
        the share of resigned peers (or dissolved bodies below) that tips the deputy.
    deputy_resigned : bool
    peer_edges : int64, shape (m, 2)
        Peer links between deputies of the same body (deputy ids).
    """

    name: list[str] = field(default_factory=list)
    level: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    oblast: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    elected: list[Month] = field(default_factory=list)
    base_legitimacy: np.ndarray = field(default_factory=lambda: np.zeros(0))
    erosion: np.ndarray = field(default_factory=lambda: np.zeros(0))
    legitimacy: np.ndarray = field(default_factory=lambda: np.zeros(0))
    dissolved: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    dissolved_on: list[Month | None] = field(default_factory=list)
    deputy_body: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    deputy_elite: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    deputy_loyalty: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    deputy_tolerance: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    deputy_threshold: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    deputy_resigned: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    peer_edges: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))

    @property
    def n_bodies(self) -> int:
        """Number of bodies."""
        return len(self.name)

    @property
    def national(self) -> int:
        """Id of the national body (−1 if the polity has none)."""
        hits = np.flatnonzero(self.level == NATIONAL)
        return int(hits[0]) if len(hits) else -1

    def seats(self) -> np.ndarray:
        """Deputies per body."""
        return np.bincount(self.deputy_body, minlength=self.n_bodies)

    def resigned_share(self) -> np.ndarray:
        """Share of each body's deputies who have resigned."""
        seats = self.seats()
        resigned = np.bincount(self.deputy_body, weights=self.deputy_resigned, minlength=len(seats))
        return np.divide(resigned, seats, out=np.zeros(len(seats)), where=seats > 0)
