"""Splits: a rival leader leaves with one side of a 2-means cut (docs/model.md §2.7).

Each month an alive organisation with supporters splits with probability

``h_j = σ · π_j · s_j · (1 − c_j)``  (clipped to [0, 1])

where σ is ``split_rate``; π_j its personalism, the ambition of its leader (a
personalistic leader brooks no rival); s_j the spread of its supporters (the RMS
distance of their ideal points from their mean); and c_j its cohesion, the coalition
skill ``1 − exp(−experience_j/λ)`` (λ = ``learning_time``). Organisations below
``min_split_share`` do not split.

The supporters are cut in two by weighted 2-means (Lloyd's algorithm started from
the ends of their principal axis). The rival (the most ambitious sub-leader, or
failing one the most ambitious free elite nearest the far side) leaves with the
side farther from the organisation's position and founds the child organisation at
that side's mean; the parent keeps the other side. Members are conserved: the
child's and the parent's members sum to the parent's before the split. Each side's
ethnic base is recomputed from its supporters (historical organisations keep theirs).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from polsim.engine.calendar import Month
from polsim.engine.events import Event, PartySplit
from polsim.engine.mechanisms import register_mechanism
from polsim.engine.threads import run_together, voter_ranges
from polsim.parties.common import (
    base_from_weights,
    coalition_skill,
    found_organisation,
    free_elites,
    sub_leaders,
)
from polsim.scenario.schema import PartyParameters
from polsim.world.counting import pairwise_sum
from polsim.world.organisations import Organisation
from polsim.world.polity import World

__all__ = ["split_hazard", "split_organisations", "two_means"]

_LLOYD_ROUNDS = 20


def split_hazard(personalism: float, spread: float, cohesion: float, rate: float) -> float:
    """h = σ·π·s·(1 − c), clipped to [0, 1].

    >>> split_hazard(0.5, 0.2, 0.0, 1.0)
    0.1
    """
    return float(min(1.0, max(0.0, rate * personalism * spread * (1.0 - cohesion))))


@njit(cache=True, nogil=True)
def _assign(position, rows, centres, labels):  # pragma: no cover
    """labels_k = [d1_k < d0_k] for the voter ``rows[k]``, d_s = (x0 − c_s0)² + (x1 − c_s1)²
    (NumPy's ``((x - c) ** 2).sum(axis=1)``: two terms); returns (all 0, all 1)."""
    zeros = True
    ones = True
    for k in range(rows.shape[0]):
        i = rows[k]
        x0 = np.float64(position[i, 0])
        x1 = np.float64(position[i, 1])
        a = x0 - centres[0, 0]
        b = x1 - centres[0, 1]
        d0 = a * a + b * b
        a = x0 - centres[1, 0]
        b = x1 - centres[1, 1]
        d1 = a * a + b * b
        if d1 < d0:
            labels[k] = 1
            zeros = False
        else:
            labels[k] = 0
            ones = False
    return zeros, ones


@njit(cache=True, nogil=True)
def _side_sums(position, rows, w, labels, out):  # pragma: no cover
    """out[s] = Σ_{labels_k = s} w_k·x_k (x_k the position of voter ``rows[k]``), in row
    order from the first row, as NumPy's ``(w[mask, None] * x[mask]).sum(axis=0)`` adds
    along axis 0."""
    first = np.ones(2, dtype=np.bool_)
    for k in range(rows.shape[0]):
        s = labels[k]
        i = rows[k]
        p0 = w[k] * np.float64(position[i, 0])
        p1 = w[k] * np.float64(position[i, 1])
        if first[s]:
            out[s, 0] = p0
            out[s, 1] = p1
            first[s] = False
        else:
            out[s, 0] += p0
            out[s, 1] += p1


@njit(cache=True, nogil=True)
def _covariance_sums(position, rows, w, mean, out):  # pragma: no cover
    """out[a, b] = Σ_k (w_k·c_ka)·c_kb, c_k = x_k − mean, summed in row order.

    Written out rather than left to BLAS, whose blocking and fused multiply-adds depend
    on the library and the machine: the same bits everywhere, and no voter-sized array.
    """
    out[:, :] = 0.0
    for k in range(rows.shape[0]):
        i = rows[k]
        c0 = np.float64(position[i, 0]) - mean[0]
        c1 = np.float64(position[i, 1]) - mean[1]
        p0 = w[k] * c0
        p1 = w[k] * c1
        out[0, 0] += p0 * c0
        out[0, 1] += p0 * c1
        out[1, 0] += p1 * c0
        out[1, 1] += p1 * c1


@njit(cache=True, nogil=True)
def _backing_rows(choice, org_id, start, stop, rows):  # pragma: no cover
    """Fill ``rows`` with the voters of ``start..stop`` whose choice is ``org_id``,
    ascending; return how many there are (counted in full even when ``rows`` is short)."""
    m = 0
    for i in range(start, stop):
        if choice[i] == org_id:
            if m < rows.shape[0]:
                rows[m] = i
            m += 1
    return m


def _supporters(choice: np.ndarray, org_id: int) -> np.ndarray:
    """``np.flatnonzero(choice == org_id)`` as int32 (half its memory; voter rows < 2³¹).

    Runs of voters are counted on the run's threads, then filled at their offsets."""
    if len(choice) >= 2**31:
        return np.flatnonzero(choice == org_id)
    ranges = voter_ranges(len(choice))
    nothing = np.empty(0, dtype=np.int32)
    counts = run_together([(_backing_rows, (choice, org_id, a, b, nothing)) for a, b in ranges])
    rows = np.empty(sum(counts), dtype=np.int32)
    offsets = np.cumsum([0, *counts])
    run_together(
        [
            (_backing_rows, (choice, org_id, a, b, rows[offsets[k] : offsets[k + 1]]))
            for k, (a, b) in enumerate(ranges)
        ]
    )
    return rows


def _weights_of(weight: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``weight[rows]`` as float64; a broadcast column (equal weights) stays a broadcast."""
    if weight.ndim == 1 and weight.strides[0] == 0 and len(weight):
        return np.broadcast_to(np.float64(weight[0]), (len(rows),))
    return weight[rows].astype(np.float64)


def two_means(points: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted 2-means labels (0/1) of ``points`` by Lloyd's algorithm.

    Started from the mean ± one standard deviation along the principal axis, so the
    result is deterministic. Each round's assignment and per-side sums are compiled
    (same arithmetic and order as :func:`two_means_reference`; a test checks).

    >>> two_means(np.array([[0.0, 0], [0.1, 0], [1, 0], [1.1, 0]]), np.ones(4)).tolist()
    [0, 0, 1, 1]
    """
    rows = np.arange(len(points), dtype=np.int64)
    return _two_means(points, rows, weights.astype(np.float64, copy=False))


def _two_means(position: np.ndarray, rows: np.ndarray, w: np.ndarray) -> np.ndarray:
    """:func:`two_means` of the voters ``rows`` (positions read in place, weights ``w``)."""
    # Positions stay float32: every product and difference with a float64 operand is
    # that of ``points.astype(np.float64)``, and the kernels convert each coordinate.
    total = w.sum()
    labels = np.zeros(len(rows), dtype=np.int8)
    sums = np.zeros((2, 2))
    _side_sums(position, rows, w, labels, sums)  # every label 0: Σ w·x
    mean = sums[0] / total
    cov = np.empty((2, 2))
    _covariance_sums(position, rows, w, mean, cov)
    cov /= total
    values, vectors = np.linalg.eigh(cov)
    axis = vectors[:, -1] * math.sqrt(max(values[-1], 1e-12))
    if axis[np.argmax(np.abs(axis))] < 0:
        axis = -axis  # a fixed orientation, so labels do not depend on eigh's sign
    centres = np.stack([mean - axis, mean + axis])
    new = np.empty(len(rows), dtype=np.int8)
    ranges = voter_ranges(len(rows))  # a label per row: threads take runs of rows
    for _ in range(_LLOYD_ROUNDS):
        sides = run_together(
            [(_assign, (position, rows[a:b], centres, new[a:b])) for a, b in ranges]
        )
        zeros, ones = all(z for z, _ in sides), all(o for _, o in sides)
        if zeros or ones:
            break
        _side_sums(position, rows, w, new, sums)
        for side in (0, 1):
            centres[side] = sums[side] / pairwise_sum(w, labels=new, side=side)
        if np.array_equal(new, labels):
            break
        labels, new = new, labels
    return labels


def two_means_reference(points: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """NumPy reference of :func:`two_means` (voter-sized temporaries each round).

    Weighted 2-means labels (0/1) of ``points`` by Lloyd's algorithm.

    Started from the mean ± one standard deviation along the principal axis, so the
    result is deterministic.

    >>> two_means_reference(np.array([[0.0, 0], [0.1, 0], [1, 0], [1.1, 0]]), np.ones(4)).tolist()
    [0, 0, 1, 1]
    """
    x = points.astype(np.float64)
    w = weights.astype(np.float64)
    mean = (w[:, None] * x).sum(axis=0) / w.sum()
    centred = x - mean
    weighted = w[:, None] * centred
    # Σ_k weighted_ka·centred_kb summed in row order (a running sum, as the kernel does).
    cov = (
        np.array([[np.cumsum(weighted[:, a] * centred[:, b])[-1] for b in (0, 1)] for a in (0, 1)])
        / w.sum()
    )
    values, vectors = np.linalg.eigh(cov)
    axis = vectors[:, -1] * math.sqrt(max(values[-1], 1e-12))
    if axis[np.argmax(np.abs(axis))] < 0:
        axis = -axis  # a fixed orientation, so labels do not depend on eigh's sign
    centres = np.stack([mean - axis, mean + axis])
    labels = np.zeros(len(x), dtype=np.int8)
    for _ in range(_LLOYD_ROUNDS):
        d0 = ((x - centres[0]) ** 2).sum(axis=1)
        d1 = ((x - centres[1]) ** 2).sum(axis=1)
        new = (d1 < d0).astype(np.int8)
        if new.min() == new.max():
            break
        for side in (0, 1):
            mask = new == side
            centres[side] = (w[mask, None] * x[mask]).sum(axis=0) / w[mask].sum()
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _rival(world: World, org: Organisation, far_side_mean: np.ndarray) -> int:
    elites = world.elites
    candidates = sub_leaders(world, org)
    if len(candidates) == 0:
        free = free_elites(world)
        if len(free) == 0:
            return -1
        d = elites.position[free].astype(np.float64) - far_side_mean[None, :]
        nearest = free[np.argsort((d * d).sum(axis=1), kind="stable")[:10]]
        candidates = np.sort(nearest)
    return int(candidates[np.argmax(elites.ambition[candidates])])


def _split(
    world: World,
    params: PartyParameters,
    org: Organisation,
    rng: np.random.Generator,
    date: Month,
) -> Event | None:
    table = world.organisations
    voters = world.voters
    # Nothing of the voters' size is copied but the covariance's two operands (peak
    # memory); positions are read in place.
    rows = _supporters(table.choice, org.id)
    if len(rows) < 2:
        return None
    weights = _weights_of(voters.weight, rows)
    labels = _two_means(voters.position, rows, weights)
    if labels.min() == labels.max():
        return None
    sums = np.zeros((2, 2))
    _side_sums(voters.position, rows, weights, labels, sums)
    means = [sums[s] / weights[labels == s].sum() for s in (0, 1)]
    gaps = [float(np.hypot(*(m - org.position))) for m in means]
    leaving = 1 if gaps[1] > gaps[0] else 0
    rival = _rival(world, org, means[leaving])
    if rival < 0:
        return None
    n_groups = len(world.ethnic_groups)
    side = labels == leaving
    moved = float(weights[side].sum())
    before = org.members
    world.elites.organisation[rival] = -1
    child = found_organisation(
        world,
        date,
        leader=rival,
        position=means[leaving],
        ethnic_base=0,
        kind=org.kind if org.kind != "movement" else "party",
        rule=org.rule,
        parents=(org.id,),
        origin="split",
        name=f"{org.name} (splinter {len(table)})",
        recruits=params.sub_leaders,
    )
    child_eth = np.bincount(voters.ethnicity[rows][side], weights=weights[side], minlength=n_groups)
    child.ethnic_base = base_from_weights(child_eth, params.ethnic_threshold)
    child.ethnic_support = child_eth
    child.heading = rng.uniform(0.0, 2 * math.pi)
    fraction = moved / before if before > 0 else 0.0
    child.members = moved
    child.share = org.share * fraction
    child.previous_share = child.share
    child.fitness = org.fitness * fraction
    child.centroid = means[leaving]
    org.members = before - moved
    org.share -= child.share
    org.fitness -= child.fitness
    org.ethnic_support = org.ethnic_support - child_eth
    if not org.pinned:
        org.ethnic_base = base_from_weights(org.ethnic_support, params.ethnic_threshold)
    table.choice[rows[side]] = child.id
    return PartySplit(
        date=date,
        actors=(f"org:{org.id}", f"org:{child.id}", f"elite:{rival}"),
        parent=org.id,
        child=child.id,
        leader=rival,
        members_moved=moved,
        members_left=org.members,
    )


@register_mechanism("parties.splits", phase="parties", order=50, reads="parties")
def split_organisations(
    world: World, params: PartyParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Draw each organisation's split this month and carry out those that happen."""
    if params.split_rate <= 0:
        return []
    events: list[Event] = []
    for org in world.organisations.alive():
        if org.founded == date or org.members <= 0 or org.share < params.min_split_share:
            continue
        personalism = float(world.elites.ambition[org.leader]) if org.leader >= 0 else 0.0
        cohesion = coalition_skill(org.experience, params.learning_time)
        hazard = split_hazard(personalism, org.spread, cohesion, params.split_rate)
        if rng.random() < hazard:
            event = _split(world, params, org, rng, date)
            if event is not None:
                events.append(event)
    return events
