"""Society's monthly aggregates by oblast and ethnic group, and its recorded series."""

from __future__ import annotations

import re

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.engine.mechanisms import register_mechanism
from polsim.engine.threads import run_split
from polsim.society.grievance import society_inputs, stored_grievance_reference
from polsim.society.hardship import stored_hardship_reference
from polsim.society.kernels import cell_sums_kernel
from polsim.world.polity import World

__all__ = ["slug", "society_series", "summarise_society", "summarise_society_reference"]


def slug(name: str) -> str:
    """A column-safe form of a name: ``"Almaty city"`` → ``"almaty_city"``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


@register_mechanism("society.aggregates", phase="society", order=50)
def summarise_society(world: World, rng: np.random.Generator, date: Month) -> list[Event]:
    """Weighted hardship, grievance and activity by [oblast, ethnicity] for this month."""
    voters = world.voters
    n_groups = len(world.ethnic_groups)
    sums = np.zeros((4, voters.n_oblasts * n_groups))
    arguments = (
        voters.oblast_bounds, voters.weight, society_inputs(world), voters.active, n_groups,
        sums,
    )  # fmt: skip
    # Cells are (oblast, group): threads take runs of oblasts with about equal voters.
    run_split(cell_sums_kernel, arguments, voters.oblast_bounds, len(voters))
    shape = (voters.n_oblasts, n_groups)
    society = world.society
    society.people, society.hardship, society.grievance, society.active = (
        sums[k].reshape(shape).copy() for k in range(4)
    )
    return []


def summarise_society_reference(world: World, rng: np.random.Generator, date: Month) -> list[Event]:
    """NumPy reference of :func:`summarise_society` (one bincount per quantity)."""
    voters = world.voters
    n_groups = len(world.ethnic_groups)
    cell = voters.oblast_codes().astype(np.int32) * n_groups + voters.ethnicity
    size = voters.n_oblasts * n_groups
    shape = (voters.n_oblasts, n_groups)
    weight = voters.weight

    def by_cell(values: np.ndarray | None) -> np.ndarray:
        w = weight if values is None else weight * values
        return np.bincount(cell, weights=w, minlength=size).reshape(shape)

    society = world.society
    hardship = stored_hardship_reference(world)
    grievance = stored_grievance_reference(world)
    society.people = by_cell(None)
    society.hardship = by_cell(hardship)
    society.grievance = by_cell(grievance)
    society.active = by_cell(voters.active)
    return []


def society_series(world: World) -> dict[str, float]:
    """This month's society columns for ``series.parquet``."""
    s = world.society
    people = s.people
    total = people.sum()
    out = {
        "economic_shock": s.shock,
        "regime_legitimacy": world.regime.legitimacy,
        "repression": world.regime.repression,
        "efficiency": world.regime.efficiency,
        "hardship_mean": _ratio(s.hardship.sum(), total),
        "grievance_mean": _ratio(s.grievance.sum(), total),
        "active_share": _ratio(s.active.sum(), total),
        "protesting_oblasts": float(len(s.protesting_oblasts)),
    }
    for e, name in enumerate(world.ethnic_groups):
        out[f"active_share_eth_{slug(name)}"] = _ratio(s.active[:, e].sum(), people[:, e].sum())
        out[f"grievance_eth_{slug(name)}"] = _ratio(s.grievance[:, e].sum(), people[:, e].sum())
    for o, name in enumerate(world.oblasts):
        out[f"active_share_oblast_{slug(name)}"] = _ratio(s.active[o].sum(), people[o].sum())
    return out


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator > 0 else 0.0
