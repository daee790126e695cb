"""Civil peace: tension and violent episodes by oblast (docs/model.md §3.4).

Tension in oblast o:

    T_o = (1 − d·[guarantor present]) · (w_P·P_o + w_G·G_o + w_L·(1 − L))

- P_o, the ethnic polarisation of the vote: the share of the oblast's supporters who
  back ethnic organisations, times the Reynal-Querol (2002) polarisation
  4·Σ p_k²(1 − p_k) of their ethnic blocs. Two equal blocs give 1; one bloc, or nobody
  backing an ethnic organisation, gives 0.
- G_o, the grievance gap: mean grievance of the most aggrieved group minus that of the
  least, over groups of at least 5% of the oblast.
- L, the regime's legitimacy; d, how much of the tension the guarantor absorbs (the
  seed: the president as "the single guarantee of civil peace").

A violent episode breaks out with monthly hazard

    h_o = min(1, h0·exp(k·T_o)·(1 − c·e))

rising in tension and falling in state capacity c·e (capacity times efficiency), after
Epstein's (2002) model II, where violence needs grievance and the absence of the state's
force.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from polsim.engine.calendar import Month
from polsim.engine.events import Event, ViolentEpisode
from polsim.engine.mechanisms import register_mechanism
from polsim.engine.threads import run_split
from polsim.measures.ethnic import ethnic_polarization
from polsim.scenario.schema import CivilPeaceParameters
from polsim.world.polity import World

__all__ = ["ethnic_vote_polarisation", "grievance_gap", "keep_the_peace"]

_MIN_GROUP_SHARE = 0.05


@njit(cache=True, nogil=True)
def _bloc_table(choice, bounds, weight, bloc, n_cols, table, first, end):  # pragma: no cover
    """Add each backer's weight to its (oblast, bloc) cell, in voter order, as
    ``np.bincount`` does in :func:`_bloc_table_numpy` (the reference), for the oblasts
    ``first..end``. Voters are sorted by oblast: oblast ``o`` is rows
    ``bounds[o]:bounds[o + 1]``; oblasts share no cell, so disjoint ranges of them can
    run on different threads."""
    for o in range(first, end):
        for i in range(bounds[o], bounds[o + 1]):
            c = choice[i]
            if c >= 0:
                table[np.int64(o) * n_cols + bloc[c]] += np.float64(weight[i])


def _bloc_table_numpy(choice, oblast, weight, bloc, n_cols, size):
    """NumPy reference of :func:`_bloc_table` (voter-sized temporaries)."""
    backing = choice >= 0
    cell = oblast[backing].astype(np.int64) * n_cols + bloc[choice[backing]]
    weights = weight[backing].astype(np.float64)
    return np.bincount(cell, weights=weights, minlength=size)


def ethnic_vote_polarisation(world: World) -> np.ndarray:
    """P_o for every oblast, from who backs which organisation this month."""
    voters = world.voters
    n_oblasts, n_groups = voters.n_oblasts, len(world.ethnic_groups)
    records = world.organisations.records
    choice = world.organisations.choice
    if not records or len(choice) != len(voters):
        return np.zeros(n_oblasts)
    # Bloc of each organisation: its ethnic group if it has exactly one, else civic (n).
    bloc = np.full(len(records), n_groups, np.int64)
    for org in records:
        mask = int(org.ethnic_base)
        if mask and mask & (mask - 1) == 0:
            bloc[org.id] = mask.bit_length() - 1
    table = np.zeros(n_oblasts * (n_groups + 1))
    arguments = (choice, voters.oblast_bounds, voters.weight, bloc, n_groups + 1, table)
    run_split(_bloc_table, arguments, voters.oblast_bounds, len(voters))
    table = table.reshape(n_oblasts, n_groups + 1)
    out = np.zeros(n_oblasts)
    for o in range(n_oblasts):
        ethnic = table[o, :n_groups]
        total = table[o].sum()
        if total > 0 and ethnic.sum() > 0:
            out[o] = ethnic.sum() / total * ethnic_polarization(ethnic)
    return out


def grievance_gap(world: World) -> np.ndarray:
    """G_o: the spread of mean grievance across the oblast's sizeable groups."""
    society = world.society
    people, grievance = society.people, society.grievance
    out = np.zeros(people.shape[0])
    for o in range(people.shape[0]):
        total = people[o].sum()
        big = people[o] >= _MIN_GROUP_SHARE * total
        if total > 0 and big.sum() >= 2:
            means = grievance[o, big] / people[o, big]
            out[o] = means.max() - means.min()
    return out


@register_mechanism("state.civil_peace", phase="state", order=40, reads="state.civil_peace")
def keep_the_peace(
    world: World, params: CivilPeaceParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Update tension by oblast and draw this month's violent episodes."""
    regime = world.regime
    raw = (
        params.polarisation_weight * ethnic_vote_polarisation(world)
        + params.grievance_gap_weight * grievance_gap(world)
        + params.legitimacy_weight * (1.0 - regime.legitimacy)
    )
    damping = params.guarantor_damping if regime.guarantor_present else 0.0
    tension = (1.0 - damping) * raw
    hazard = np.minimum(
        1.0,
        params.base_hazard
        * np.exp(params.hazard_slope * tension)
        * (1.0 - params.state_capacity * regime.efficiency),
    )
    outbreak = rng.random(len(tension)) < hazard
    peace = world.peace
    peace.tension = tension
    peace.episodes_this_month = outbreak.astype(np.int32)
    if len(peace.episodes_total) != len(tension):
        peace.episodes_total = np.zeros(len(tension), np.int32)
    peace.episodes_total += outbreak
    return [
        ViolentEpisode(
            date=date,
            actors=(f"oblast:{world.oblasts[o]}",),
            oblast=world.oblasts[o],
            tension=round(float(tension[o]), 4),
        )
        for o in np.flatnonzero(outbreak)
    ]
