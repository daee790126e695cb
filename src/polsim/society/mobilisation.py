"""Mobilisation: private willingness and the oblast bandwagon (docs/model.md §1.5).

A voter is *willing* when its grievance, net of the risk it sees in repression, passes
its private threshold: ``G_i − R_i·P > T_i`` (Epstein 2002). A willing voter acts in
public only when the active share of its oblast is at least its bandwagon threshold
``b_i`` (Granovetter 1978); the gap between private willingness and public action is
Kuran's (1991) preference falsification. Organisations the regime has not co-opted are
mobilising structures: backing one lowers the private threshold by δ
(``organised_discount``; McCarthy & Zald 1977, McAdam 1982), so a co-opted movement
mobilises nobody.

Each month the active share of an oblast moves to the equilibrium of Granovetter's
threshold model that the previous month's share leads to: upward to the smallest
equilibrium above it, or downward to the largest one below it. That memory is the
hysteresis Kuran describes: a crowd, once out, stays out longer than it took to come.
The equilibrium is found exactly, in one vectorised pass over the sorted thresholds,
not by iteration.

References
----------
Granovetter, M. (1978). Threshold models of collective behavior. *AJS* 83(6).
Kuran, T. (1991). Now out of never. *World Politics* 44(1).
Epstein, J. M. (2002). Modeling civil violence. *PNAS* 99(suppl. 3).
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event, MobilisationSubsided, MobilisationWave
from polsim.engine.mechanisms import register_mechanism
from polsim.engine.threads import run_split
from polsim.scenario.schema import MobilisationParameters
from polsim.society.grievance import (
    backs_organisation,
    organisation_flags,
    society_inputs,
    stored_grievance_reference,
)
from polsim.society.kernels import mobilisation_kernel
from polsim.world.polity import World

__all__ = [
    "granovetter_equilibrium",
    "mobilise",
    "mobilise_reference",
    "oblast_totals",
    "threshold_equilibrium",
]


def threshold_equilibrium(
    thresholds: np.ndarray, weights: np.ndarray, start: float = 0.0, total: float | None = None
) -> float:
    """The equilibrium active share that a crowd reaches from the share ``start``.

    A member acts when the active share (of ``total``) is at least its threshold.
    Members that will never act carry weight 0.

    Parameters
    ----------
    thresholds
        Bandwagon thresholds, as shares, sorted ascending.
    weights
        Each member's weight, in the same order (0 for those unwilling to act).
    start
        The active share the crowd starts from (last month's, or 0).
    total
        Weight the shares are taken of; default the sum of ``weights``.

    Returns
    -------
    float
        The equilibrium share: the smallest fixed point of
        ``F(a) = Σ_{b_i ≤ a} w_i / total`` at or above ``start`` if ``F(start) ≥ start``,
        else the largest fixed point below ``start``.

    Examples
    --------
    Granovetter's riot: thresholds 0, 1, ..., 99 people out of 100 all join.

    >>> b = np.arange(100) / 100
    >>> threshold_equilibrium(b, np.ones(100))
    1.0

    Move the person with threshold 1 to 2, and only the instigator acts.

    >>> b[1] = 0.02
    >>> threshold_equilibrium(np.sort(b), np.ones(100))
    0.01
    """
    weights = np.asarray(weights, dtype=np.float64)
    total = float(weights.sum()) if total is None else float(total)
    if total <= 0 or len(thresholds) == 0:
        return 0.0
    shares = np.cumsum(weights) / total  # share active once members 0..k act
    willing = weights > 0
    reached = np.searchsorted(thresholds, start, side="right")  # members with b <= start
    share_at_start = shares[reached - 1] if reached > 0 else 0.0
    if share_at_start >= start:
        # Upward: the first willing member whose threshold exceeds both the start and
        # the share of everyone before it stops the cascade.
        before = np.concatenate(([0.0], shares[:-1]))
        blocked = willing & (thresholds > np.maximum(start, before))
        if not blocked.any():
            return float(shares[-1])
        return float(before[np.argmax(blocked)])
    # Downward: the largest prefix (within those reached) that sustains itself.
    sustained = willing[:reached] & (thresholds[:reached] <= shares[:reached])
    if not sustained.any():
        return 0.0
    return float(shares[reached - 1 - np.argmax(sustained[::-1])])


def granovetter_equilibrium(thresholds: np.ndarray, start: float = 0.0) -> float:
    """Equilibrium share of a crowd of equal members with the given thresholds (shares)."""
    ordered = np.sort(np.asarray(thresholds, dtype=np.float64))
    return threshold_equilibrium(ordered, np.ones(len(ordered)), start)


def oblast_totals(world: World) -> np.ndarray:
    """Each oblast's weight as the threshold model takes it (float64, NumPy's sum)."""
    voters = world.voters
    return np.array(
        [
            float(voters.weight[voters.oblast_slice(o)].sum(dtype=np.float64))
            for o in range(voters.n_oblasts)
        ]
    )


@register_mechanism("society.mobilisation", phase="society", order=40, reads="society.mobilisation")
def mobilise(
    world: World, params: MobilisationParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Update who is active, oblast by oblast, and report waves that start or end.

    One compiled pass per oblast (:func:`~polsim.society.kernels.mobilisation_kernel`)
    does what :func:`mobilise_reference` does with NumPy, with the same arithmetic;
    oblasts are split among the run's threads.
    """
    voters = world.voters
    discount = params.organised_discount
    organised = organisation_flags(world, coopted=False) if discount > 0 else np.zeros(0, bool)
    previous = np.zeros(voters.n_oblasts)
    shares = np.zeros(voters.n_oblasts)
    society = world.society
    known = len(society.oblast_people) == voters.n_oblasts
    if not known:
        society.oblast_people = np.zeros(voters.n_oblasts)
        society.active_frontier = np.zeros(voters.n_oblasts, dtype=np.int64)
        society.oblast_totals = oblast_totals(world)
    arguments = (
        society_inputs(world), voters.risk_aversion, voters.activation_threshold,
        voters.bandwagon_threshold, voters.weight, voters.active, voters.oblast_bounds,
        society.oblast_totals, np.float32(world.regime.repression),
        world.organisations.choice if len(organised) else np.zeros(0, np.int32),
        organised, np.float32(discount), previous, shares,
        society.oblast_people, society.active_frontier, known,
    )  # fmt: skip
    # Oblasts are independent: threads take runs of them with about equal voters.
    run_split(mobilisation_kernel, arguments, voters.oblast_bounds, len(voters))
    return _wave_events(world, date, [float(s) for s in shares], params.protest_level)


def _wave_events(world: World, date: Month, shares: list[float], level: float) -> list[Event]:
    society = world.society
    events: list[Event] = []
    for o, share in enumerate(shares):
        name = world.oblasts[o]
        if share >= level and o not in society.protesting_oblasts:
            society.protesting_oblasts.add(o)
            events.append(
                MobilisationWave(
                    date=date, actors=(f"oblast:{name}",), oblast=name, active_share=share
                )
            )
        elif share < level and o in society.protesting_oblasts:
            society.protesting_oblasts.discard(o)
            events.append(
                MobilisationSubsided(
                    date=date, actors=(f"oblast:{name}",), oblast=name, active_share=share
                )
            )
    return events


def mobilise_reference(
    world: World, params: MobilisationParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """NumPy reference of :func:`mobilise` (same results, a test checks)."""
    voters = world.voters
    repression = np.float32(world.regime.repression)
    grievance = stored_grievance_reference(world)
    willing = grievance - voters.risk_aversion * repression > voters.activation_threshold
    discount = params.organised_discount
    if discount > 0:
        organised = backs_organisation(world, coopted=False)
        willing |= organised & (
            grievance - voters.risk_aversion * repression
            > voters.activation_threshold - np.float32(discount)
        )
    willing_weight = np.where(willing, voters.weight, np.float32(0.0))
    previous = _active_share_by_oblast(world)
    shares: list[float] = []
    for o in range(voters.n_oblasts):
        rows = voters.oblast_slice(o)
        thresholds = voters.bandwagon_threshold[rows]
        share = threshold_equilibrium(
            thresholds,
            willing_weight[rows],
            start=previous[o],
            total=float(voters.weight[rows].sum(dtype=np.float64)),
        )
        np.logical_and(willing[rows], thresholds <= share, out=voters.active[rows])
        shares.append(share)
    return _wave_events(world, date, shares, params.protest_level)


def _active_share_by_oblast(world: World) -> np.ndarray:
    """Last month's active share of each oblast, from the voters' ``active`` column."""
    voters = world.voters
    oblast = voters.oblast_codes()
    total = np.bincount(oblast, weights=voters.weight, minlength=voters.n_oblasts)
    active = np.bincount(oblast, weights=voters.weight * voters.active, minlength=voters.n_oblasts)
    return np.divide(active, total, out=np.zeros_like(total), where=total > 0)
