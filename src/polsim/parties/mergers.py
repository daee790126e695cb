"""Mergers: close organisations merge as they learn to build coalitions (docs/model.md §2.8).

Each month, every pair (j, k) of alive organisations closer than r_m
(``merger_radius``) merges with probability

``h_jk = μ · skill_jk · (1 − d_jk / r_m)``

where μ is ``merger_rate``, d_jk the distance between their positions and
``skill_jk = 1 − exp(−min(x_j, x_k)/λ)`` the coalition skill of the less experienced
partner (x: experience in months, λ = ``learning_time``). Experience grows by one
each month an organisation is alive, starts from its founder's own experience, and is
inherited through splits and mergers, so groups that begin with "little experience of
... building coalitions" learn it over time. Pairs are drawn nearest first; an
organisation merges at most once a month.

The merged organisation is new: its parents are both partners (which dissolve, with
it as their successor); its members, resources and fitness are the sums of theirs;
its position is their member-weighted mean; it is led by the larger partner's
leader, with the other leader as a sub-leader. Its ethnic base is the union of the
partners' bases, so a cross-ethnic merger makes an inter-ethnic organisation.
Historical organisations under ``history: pinned`` merge only on their dates.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from polsim.engine.calendar import Month
from polsim.engine.events import Event, PartiesMerged
from polsim.engine.mechanisms import register_mechanism
from polsim.parties.common import coalition_skill, describe_base, dissolve
from polsim.scenario.schema import PartyParameters
from polsim.world.organisations import Organisation
from polsim.world.polity import World

__all__ = ["merge_hazard", "merge_into", "merge_organisations"]


def merge_hazard(rate: float, skill: float, distance: float, radius: float) -> float:
    """h = μ·skill·(1 − d/r_m) for d < r_m, else 0.

    >>> merge_hazard(0.5, 0.5, 0.1, 0.2)
    0.125
    """
    if distance >= radius:
        return 0.0
    return float(min(1.0, rate * skill * (1.0 - distance / radius)))


def merge_into(
    world: World,
    partners: list[Organisation],
    date: Month,
    *,
    name: str | None = None,
    origin: str = "merger",
) -> tuple[Organisation, PartiesMerged]:
    """Merge ``partners`` into a new organisation; conserve members, unite bases."""
    table = world.organisations
    lead = max(partners, key=lambda o: (o.members, -o.id))
    members = float(sum(o.members for o in partners))
    if members > 0:
        position = sum(o.members * o.position for o in partners) / members
    else:
        position = np.mean([o.position for o in partners], axis=0)
    base = 0
    for o in partners:
        base |= o.ethnic_base
    kind = "party" if any(o.kind == "party" for o in partners) else lead.kind
    merged = table.add(
        name=name or " + ".join(o.name for o in partners),
        kind=kind,
        founded=date,
        leader=lead.leader,
        position=np.asarray(position, dtype=np.float64),
        ethnic_base=base,
        zhuz=lead.zhuz,
        rule=lead.rule,
        parents=tuple(o.id for o in partners),
        origin=origin,
        members=members,
        share=float(sum(o.share for o in partners)),
        previous_share=float(sum(o.share for o in partners)),
        fitness=float(sum(o.fitness for o in partners)),
        resources=float(sum(o.resources for o in partners)),
        experience=float(max(o.experience for o in partners)),
        registered=all(o.registered for o in partners),
        coopted=any(o.coopted for o in partners),
        heading=lead.heading,
        ethnic_support=np.sum([o.ethnic_support for o in partners], axis=0),
    )
    merged.peak_share = merged.share
    merged.centroid = merged.position.copy()
    for o in partners:
        dissolve(world, o, date, "merged", successor=merged.id)
    if lead.leader >= 0:
        world.elites.organisation[lead.leader] = merged.id
    ids = np.array([o.id for o in partners], dtype=np.int32)
    _relabel(table.choice, ids, merged.id)
    event = PartiesMerged(
        date=date,
        actors=(*(f"org:{o.id}" for o in partners), f"org:{merged.id}"),
        parents=tuple(o.id for o in partners),
        merged=merged.id,
        members=members,
        ethnic_base=describe_base(world, base),
    )
    return merged, event


@njit(cache=True, nogil=True)
def _relabel(choice, ids, new_id):  # pragma: no cover
    """``choice[np.isin(choice, ids)] = new_id`` (:func:`_relabel_reference`), in place,
    without the voter-sized mask."""
    for i in range(choice.shape[0]):
        c = choice[i]
        for j in range(ids.shape[0]):
            if c == ids[j]:
                choice[i] = new_id
                break


def _relabel_reference(choice: np.ndarray, ids: np.ndarray, new_id: int) -> None:
    """NumPy reference of :func:`_relabel`."""
    choice[np.isin(choice, ids)] = new_id


@register_mechanism("parties.mergers", phase="parties", order=60, reads="parties")
def merge_organisations(
    world: World, params: PartyParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Draw the month's mergers among close pairs, nearest first, and carry them out."""
    if params.merger_rate <= 0:
        return []
    alive = [o for o in world.organisations.alive() if not o.pinned and o.founded != date]
    pairs: list[tuple[float, int, int]] = []
    for a in range(len(alive)):
        for b in range(a + 1, len(alive)):
            d = float(np.hypot(*(alive[a].position - alive[b].position)))
            if d < params.merger_radius:
                pairs.append((d, alive[a].id, alive[b].id))
    pairs.sort()
    table = world.organisations
    taken: set[int] = set()
    events: list[Event] = []
    for d, j, k in pairs:
        if j in taken or k in taken:
            continue
        learning_time = params.learning_time / world.scenario.counterfactuals.coalition_learning
        skill = coalition_skill(min(table[j].experience, table[k].experience), learning_time)
        if rng.random() < merge_hazard(params.merger_rate, skill, d, params.merger_radius):
            taken.update((j, k))
            _, event = merge_into(world, [table[j], table[k]], date)
            events.append(event)
    return events
