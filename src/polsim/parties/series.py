"""The party system's monthly series and the organisation table, for the run folder.

Monthly columns of ``series.parquet`` (prefix ``org_``), from the support counted at
the start of the month and the month's changes:

* ``org_alive``, ``org_parties``, ``org_movements``: organisations alive at month's end;
* ``org_enp``: Laakso–Taagepera effective number of organisations by support, 1/Σp²;
* ``org_supported_share``: share of the electorate backing any organisation;
* ``org_births``, ``org_splits``, ``org_mergers``, ``org_deaths``, ``org_cooptations``,
  ``org_refusals``: this month's events (births include spawns and historical entries;
  deaths are dissolutions for failure or on a historical date, not mergers);
* ``org_median_share``: median support share (of the electorate) of the alive ones;
* ``org_median_lifetime``: median lifetime, in months, of those dissolved so far (0
  before the first);
* ``org_homogeneity``: median, over alive organisations with supporters, of the modal
  ethnic group's share of their supporters;
* ``org_ethnic_fraction``: fraction of those whose homogeneity reaches the threshold
  (``homogeneity_threshold``);
* ``org_interethnic_share``: share of all supporters who back an organisation below
  that threshold (an inter-ethnic one);
* ``org_mean_misery``: the voters' mean squared distance to the nearest organisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from polsim.parties.organisations import base_names
from polsim.world.organisations import Organisation
from polsim.world.polity import World

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["effective_number", "organisations_table", "party_system_series"]


def effective_number(shares: np.ndarray) -> float:
    """Laakso–Taagepera ENP, 1/Σp² of the normalised shares (0 for no support).

    Computed here until ``polsim.measures.effective_number_of_parties`` exists.

    >>> effective_number(np.array([0.75, 0.25]))
    1.6
    """
    total = float(np.sum(shares))
    if total <= 0:
        return 0.0
    p = np.asarray(shares, dtype=np.float64) / total
    return float(1.0 / np.sum(p * p))


def _dissolved_for_failure(org: Organisation) -> bool:
    return org.dissolution in ("failed", "history")


def _is_merger(org: Organisation) -> bool:
    return org.origin == "merger" or (org.origin == "history" and len(org.parents) > 1)


def party_system_series(world: World) -> dict[str, float]:
    """This month's party-system columns for ``series.parquet``."""
    table = world.organisations
    date = world.date
    threshold = world.scenario.parties.homogeneity_threshold
    alive = table.alive()
    supported = [o for o in alive if o.members > 0]
    members = np.array([o.members for o in supported], dtype=np.float64)
    homogeneity = np.array([o.homogeneity() for o in supported], dtype=np.float64)
    inter = float(members[homogeneity < threshold].sum()) if len(members) else 0.0
    lifetimes = [o.age(date) for o in table if o.dissolved is not None]
    electorate = world.electorate
    new = [o for o in table if o.founded == date]
    births = [o for o in new if not _is_merger(o) and o.origin != "split"]
    ethnic = float(np.mean(homogeneity >= threshold)) if len(homogeneity) else 0.0
    return {
        "org_alive": float(len(alive)),
        "org_parties": float(sum(o.kind == "party" for o in alive)),
        "org_movements": float(sum(o.kind == "movement" for o in alive)),
        "org_enp": effective_number(members),
        "org_supported_share": float(members.sum() / electorate) if electorate > 0 else 0.0,
        "org_births": float(sum(o.origin in ("birth", "spawn", "history") for o in births)),
        "org_splits": float(sum(o.origin == "split" for o in new)),
        "org_mergers": float(len(new) - len(births) - sum(o.origin == "split" for o in new)),
        "org_deaths": float(sum(o.dissolved == date and _dissolved_for_failure(o) for o in table)),
        "org_cooptations": float(sum(o.coopted_on == date for o in table)),
        "org_refusals": float(sum(o.refused_on == date for o in table)),
        "org_median_share": float(np.median([o.share for o in alive])) if alive else 0.0,
        "org_median_lifetime": float(np.median(lifetimes)) if lifetimes else 0.0,
        "org_homogeneity": float(np.median(homogeneity)) if len(homogeneity) else 0.0,
        "org_ethnic_fraction": ethnic,
        "org_interethnic_share": inter / float(members.sum()) if len(members) else 0.0,
        "org_mean_misery": float(table.mean_misery),
    }


def organisations_table(world: World) -> pa.Table:
    """One row per organisation ever founded, with its dates, traits and parents."""
    rows = list(world.organisations)
    elites = world.elites
    groups = world.ethnic_groups

    def leader_column(column: np.ndarray) -> list[int]:
        return [int(column[o.leader]) if o.leader >= 0 else -1 for o in rows]

    import pyarrow as pa  # only when the table is written (pyarrow costs memory)

    return pa.table(
        {
            "id": pa.array([o.id for o in rows], pa.int64()),
            "name": pa.array([o.name for o in rows], pa.string()),
            "kind": pa.array([o.kind for o in rows], pa.string()),
            "origin": pa.array([o.origin for o in rows], pa.string()),
            "founded": pa.array([str(o.founded) for o in rows], pa.string()),
            "dissolved": pa.array(
                [None if o.dissolved is None else str(o.dissolved) for o in rows], pa.string()
            ),
            "dissolution": pa.array([o.dissolution for o in rows], pa.string()),
            "successor": pa.array([o.successor for o in rows], pa.int64()),
            "parents": pa.array([list(o.parents) for o in rows], pa.list_(pa.int64())),
            "leader": pa.array([o.leader for o in rows], pa.int64()),
            "leader_name": pa.array([o.leader_name for o in rows], pa.string()),
            "leader_ethnicity": pa.array(
                [groups[e] if e >= 0 else "" for e in leader_column(elites.ethnicity)],
                pa.string(),
            ),
            "economy": pa.array([float(o.position[0]) for o in rows], pa.float64()),
            "nation": pa.array([float(o.position[1]) for o in rows], pa.float64()),
            "ethnic_base": pa.array([base_names(o.ethnic_base, groups) for o in rows], pa.string()),
            "members": pa.array([o.members for o in rows], pa.float64()),
            "share": pa.array([o.share for o in rows], pa.float64()),
            "peak_share": pa.array([o.peak_share for o in rows], pa.float64()),
            "homogeneity": pa.array([o.homogeneity() for o in rows], pa.float64()),
            "resources": pa.array([o.resources for o in rows], pa.float64()),
            "fitness": pa.array([o.fitness for o in rows], pa.float64()),
            "experience": pa.array([o.experience for o in rows], pa.float64()),
            "registered": pa.array([o.registered for o in rows], pa.bool_()),
            "refusals": pa.array([o.refusals for o in rows], pa.int64()),
            "coopted": pa.array([o.coopted for o in rows], pa.bool_()),
            "rule": pa.array([o.rule for o in rows], pa.string()),
            "historical_id": pa.array([o.historical_id for o in rows], pa.string()),
            "source": pa.array([o.source for o in rows], pa.string()),
            "uncertain": pa.array([o.uncertain for o in rows], pa.bool_()),
        }
    )
