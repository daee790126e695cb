"""The history switch: historical organisations enter on their dates (docs/model.md §2.11).

Under ``history: pinned`` each organisation the scenario lists enters in the month of
its ``founded`` date (or at the scenario's start, if founded earlier), with its
recorded kind, position, ethnic base, adaptation rule and co-optation, and leaves on
its ``dissolved`` date. Its parents give its lineage:

* two or more parents: a merger (the parents dissolve into it, members conserved),
  e.g. Zheltoksan + Azat + the Republican Party → Republican Party-Azat (Oct 1992);
* one parent dissolving that month: a succession, e.g. the Communist Party's Soviet
  branch → the Socialist Party (Sep 1991), which takes over its members;
* one parent that lives on: a spawn, e.g. Nevada-Semipalatinsk → NKK.

Historical organisations are *pinned*: the death and merger mechanisms leave them
alone, so they exit only on their dates (they still adapt, split off splinters and
can be co-opted). Each is led by an elite of the pool: the free elite of its first
ethnic group nearest its position (any group, for a civic one); the recorded leader's
name is kept for the tables. Under ``history: free`` nothing enters here, and the
party system emerges from the mechanisms alone.
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event, PartyDissolved, PartyFounded
from polsim.engine.mechanisms import register_mechanism
from polsim.parties.common import describe_base, dissolve, found_organisation, free_elites
from polsim.parties.mergers import merge_into
from polsim.parties.organisations import base_mask
from polsim.scenario.schema import Organisation as HistoricalOrganisation
from polsim.world.organisations import Organisation
from polsim.world.polity import World

__all__ = ["enter_history", "historical_base"]


def historical_base(world: World, entry: HistoricalOrganisation) -> int:
    """The bit mask of a scenario organisation's ethnic base."""
    names = [entry.ethnic_base] if isinstance(entry.ethnic_base, str) else entry.ethnic_base
    return base_mask([world.ethnic_groups.index(n) for n in names or []])


def _leader_for(world: World, position: np.ndarray, mask: int) -> int:
    free = free_elites(world)
    if len(free) == 0:
        return -1
    if mask:
        first = (mask & -mask).bit_length() - 1
        same = free[world.elites.ethnicity[free] == first]
        free = same if len(same) else free
    d = world.elites.position[free].astype(np.float64) - position[None, :]
    return int(free[np.argmin((d * d).sum(axis=1))])


def _pin(
    org: Organisation, entry: HistoricalOrganisation, date: Month, cooptation: bool = True
) -> None:
    org.historical_id = entry.id
    org.name = entry.name
    org.kind = entry.kind
    org.rule = entry.rule
    org.leader_name = entry.leader or ""
    org.source = entry.source or ""
    org.uncertain = entry.uncertain
    org.pinned = True
    if entry.coopted and cooptation and not org.coopted:
        org.coopted = True
        org.coopted_on = date
    if entry.coopted and cooptation:
        org.registered = True
        org.registered_on = org.registered_on or date


def _founded(world: World, org: Organisation, date: Month) -> PartyFounded:
    leader = (f"elite:{org.leader}",) if org.leader >= 0 else ()
    return PartyFounded(
        date=date,
        actors=(f"org:{org.id}", *leader, *(f"org:{p}" for p in org.parents)),
        organisation=org.id,
        name=org.name,
        org_kind=org.kind,
        leader=org.leader,
        ethnic_base=describe_base(world, org.ethnic_base),
        parents=org.parents,
        origin="history",
    )


def _dissolved(org: Organisation, date: Month, reason: str) -> PartyDissolved:
    return PartyDissolved(
        date=date,
        actors=(f"org:{org.id}",),
        organisation=org.id,
        reason=reason,
        fitness=float(org.fitness),
    )


def _enter(world: World, entry: HistoricalOrganisation, date: Month) -> list[Event]:
    table = world.organisations
    params = world.scenario.parties
    position = np.array(entry.position, dtype=np.float64)
    mask = historical_base(world, entry)
    parents = [table.by_historical_id(p) for p in entry.parents]
    living = [p for p in parents if p is not None and p.alive]
    if len(living) >= 2:
        org, merged = merge_into(world, living, date, name=entry.name, origin="history")
        org.position = position
        org.ethnic_base = mask
        _pin(org, entry, date, not world.scenario.counterfactuals.no_cooptation)
        return [merged]
    recruits = params.movement_sub_leaders if entry.kind == "movement" else params.sub_leaders
    org = found_organisation(
        world,
        date,
        leader=_leader_for(world, position, mask),
        position=position,
        ethnic_base=mask,
        kind=entry.kind,
        rule=entry.rule,
        parents=tuple(p.id for p in parents if p is not None),
        origin="history",
        name=entry.name,
        recruits=recruits,
    )
    _pin(org, entry, date, not world.scenario.counterfactuals.no_cooptation)
    events: list[Event] = [_founded(world, org, date)]
    for parent in living:
        parent_entry = _entry(world, parent.historical_id)
        succeeded = parent_entry is not None and parent_entry.dissolved is not None
        if succeeded and parent_entry.dissolved <= date:
            # A succession: the heir takes over the members, as the Socialist Party did.
            org.members, org.share, org.fitness = parent.members, parent.share, parent.fitness
            org.experience = max(org.experience, parent.experience)
            org.registered = org.registered or parent.registered
            dissolve(world, parent, date, "succeeded", successor=org.id)
            table.choice[table.choice == parent.id] = org.id
            events.append(_dissolved(parent, date, "succeeded"))
    return events


def _entry(world: World, historical_id: str) -> HistoricalOrganisation | None:
    for entry in world.scenario.organisations:
        if entry.id == historical_id:
            return entry
    return None


@register_mechanism("parties.history", phase="parties", order=10)
def enter_history(world: World, rng: np.random.Generator, date: Month) -> list[Event]:
    """Under ``history: pinned``: this month's historical entries, then exits."""
    scenario = world.scenario
    if scenario.history != "pinned":
        return []
    events: list[Event] = []
    table = world.organisations
    for entry in scenario.organisations:
        entering = max(entry.founded, scenario.start)
        if entering == date and table.by_historical_id(entry.id) is None:
            events.extend(_enter(world, entry, date))
    for entry in scenario.organisations:
        org = table.by_historical_id(entry.id)
        gone = entry.dissolved is not None and entry.dissolved <= date
        if org is not None and org.alive and gone:
            dissolve(world, org, date, "history")
            events.append(_dissolved(org, date, "history"))
    return events
