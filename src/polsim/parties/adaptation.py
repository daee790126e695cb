"""Adaptation: organisations move in policy space by Laver's rules (docs/model.md §2.4).

Each alive organisation applies its own rule once a month, with the rule's speed
(``rules.<rule>.speed``) and satisficing threshold κ (``rules.<rule>.satisficing``):
an organisation whose support share is at least κ does not move (Laver & Sergenti
2011, ch. 8). Rules, after Laver (2005):

* **Sticker** never moves (an ideological, or personalistic, organisation).
* **Aggregator** moves to the mean ideal point of its current supporters. At speed 1
  it jumps there; with fixed voters, Aggregator-only competition is Lloyd's (1982)
  algorithm, and the organisations converge to a centroidal Voronoi tessellation.
* **Hunter** repeats its last move if that move raised its support; otherwise it
  turns by 90° + U(0°, 180°) and steps ``speed`` that way.
* **Predator** steps ``speed`` toward the largest organisation, unless it is the
  largest (then it stays).
* **Explorer** (polsim's reading of Laver & Sergenti's explorer: departure, marked)
  steps ``speed`` in a uniformly random direction; if the previous step lost support,
  it first undoes it.

Co-opted organisations do not follow their rule: they drift toward the regime
(:mod:`polsim.parties.cooptation`). Moves other than the Aggregator's are kept inside
the policy space [-1, 1]² (departure, marked: Laver's space is unbounded).

References
----------
Laver, M. (2005). Policy and the dynamics of political competition. *APSR* 99(2).
Lloyd, S. P. (1982). Least squares quantization in PCM. *IEEE Trans. Inf. Theory* 28(2).
"""

from __future__ import annotations

import math

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.engine.mechanisms import register_mechanism
from polsim.scenario.schema import PartyParameters
from polsim.world.organisations import Organisation
from polsim.world.polity import World

__all__ = ["adapt_positions"]


def _step(org: Organisation, mx: float, my: float) -> None:
    """Move by (mx, my); departure from Laver (2005), marked: stay inside [-1, 1]².

    Written on Python floats (the same IEEE operations as NumPy's on the 2-vector):
    organisations are few and array calls cost more than the arithmetic.
    """
    px, py = org.position.tolist()
    nx = min(max(px + mx, -1.0), 1.0)
    ny = min(max(py + my, -1.0), 1.0)
    org.last_move = np.array((nx - px, ny - py))
    org.position = np.array((nx, ny))


@register_mechanism("parties.adaptation", phase="parties", order=30, reads="parties")
def adapt_positions(
    world: World, params: PartyParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Move every alive, non-co-opted organisation by its adaptation rule."""
    alive = world.organisations.alive()
    if not alive:
        return []
    largest = max(alive, key=lambda o: (o.share, -o.id))
    for org in alive:
        rule = params.rules.get(org.rule)  # type: ignore[call-overload]
        if rule is None or org.coopted or org.rule == "sticker":
            continue
        if org.share >= rule.satisficing:
            org.last_move = np.zeros(2)
            continue
        speed = rule.speed
        if org.rule == "aggregator":
            cx, cy = org.centroid.tolist()
            if org.members > 0 and math.isfinite(cx) and math.isfinite(cy):
                px, py = org.position.tolist()
                nx, ny = px + speed * (cx - px), py + speed * (cy - py)
                org.last_move = np.array((nx - px, ny - py))
                org.position = np.array((nx, ny))
        elif org.rule == "hunter":
            lx, ly = org.last_move.tolist()
            gained = org.share > org.previous_share and (lx != 0 or ly != 0)
            if not gained:
                org.heading += math.pi / 2 + rng.uniform(0.0, math.pi)
            _step(org, speed * math.cos(org.heading), speed * math.sin(org.heading))
        elif org.rule == "predator":
            if largest.id != org.id:
                gap = largest.position - org.position
                distance = float(np.hypot(*gap))
                if distance > 0:
                    gx, gy = (gap * min(1.0, speed / distance)).tolist()
                    _step(org, gx, gy)
        elif org.rule == "explorer":
            lx, ly = org.last_move.tolist()
            ux, uy = (-lx, -ly) if org.share < org.previous_share else (0.0, 0.0)
            org.heading = rng.uniform(0.0, 2 * math.pi)
            _step(org, ux + speed * math.cos(org.heading), uy + speed * math.sin(org.heading))
    return []
