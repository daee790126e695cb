"""Synthesis of the electorate from census margins (docs/model.md §1.2).

Two steps, both standard in microsimulation:

1. **Raking** (iterative proportional fitting; Deming & Stephan 1940) builds the joint
   table oblast × ethnicity × urban from the margins a census publishes: oblast
   totals, national ethnic counts, urban shares by oblast and, where given, by ethnic
   group. Shares an oblast states for a named group are held fixed; the rest of the
   oblast is raked to the national counts.
2. **Sampling**: the number of voters in each cell is one multinomial draw, so the
   synthetic margins match the census within sampling error; every voter then stands
   for the same number of people (``weight = electorate / n``). Ideal points come from
   the most specific matching bivariate normal of the scenario.

Voters are returned sorted by oblast and, within an oblast, by bandwagon threshold
(the mobilisation rule reads each oblast's thresholds in order).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from polsim.errors import ScenarioError
from polsim.scenario.schema import ZHUZES, Distribution, IdealPointGroup, Population, Scenario
from polsim.world.voters import NO_ORGANISATION, NO_ZHUZ, ORGANISATION_CODE, Voters

__all__ = ["PopulationTable", "draw", "population_table", "rake", "synthesise_voters"]

_RAKING_TOLERANCE = 1e-10
_RAKING_MAX_ROUNDS = 5000


@dataclass(frozen=True)
class PopulationTable:
    """The raked joint table, people by [oblast, ethnicity, urban] (urban = 1)."""

    people: np.ndarray  # float64, shape (n_oblasts, n_ethnic_groups, 2)
    zhuz_shares: np.ndarray  # float64, shape (n_oblasts, 3): shares of Kazakhs by zhuz
    oblasts: tuple[str, ...]
    ethnic_groups: tuple[str, ...]

    @property
    def shares(self) -> np.ndarray:
        """The table as shares of the whole population."""
        return self.people / self.people.sum()


def rake(
    seed: np.ndarray,
    row_targets: np.ndarray,
    column_targets: np.ndarray,
    fixed: np.ndarray | None = None,
) -> np.ndarray:
    """Fit a 2-D table to row and column totals by iterative proportional fitting.

    Cells where ``fixed`` is True keep their seed values; the free cells are scaled
    alternately so that rows, then columns, add up to their targets (Deming & Stephan
    1940). Rows are fitted last, so row totals hold exactly whenever the free cells can
    reach them; if the two sets of targets disagree, columns hold approximately.

    Examples
    --------
    >>> table = rake(np.ones((2, 2)), np.array([3.0, 7.0]), np.array([4.0, 6.0]))
    >>> np.round(table, 3)
    array([[1.2, 1.8],
           [2.8, 4.2]])
    """
    table = np.array(seed, dtype=np.float64)
    fixed = np.zeros(table.shape, dtype=bool) if fixed is None else fixed
    free = ~fixed
    fixed_rows = np.where(fixed, table, 0.0).sum(axis=1)
    fixed_columns = np.where(fixed, table, 0.0).sum(axis=0)
    want_rows = np.clip(row_targets - fixed_rows, 0.0, None)
    want_columns = np.clip(column_targets - fixed_columns, 0.0, None)
    previous_gap = np.inf
    for _ in range(_RAKING_MAX_ROUNDS):
        columns = np.where(free, table, 0.0).sum(axis=0)
        scale = np.divide(want_columns, columns, out=np.ones_like(columns), where=columns > 0)
        table = np.where(free, table * scale[None, :], table)
        rows = np.where(free, table, 0.0).sum(axis=1)
        scale = np.divide(want_rows, rows, out=np.ones_like(rows), where=rows > 0)
        table = np.where(free, table * scale[:, None], table)
        gap = np.abs(np.where(free, table, 0.0).sum(axis=0) - want_columns).max()
        if gap <= _RAKING_TOLERANCE * max(1.0, want_columns.sum()):
            break
        # Inconsistent margins (fixed cells that no scaling can reconcile): stop once
        # the fit no longer improves.
        if gap >= previous_gap * (1 - 1e-9):
            break
        previous_gap = gap
    return table


def population_table(scenario: Scenario) -> PopulationTable:
    """Rake the scenario's census margins into the oblast × ethnicity × urban table.

    The table depends only on the population section, so it is computed once per
    distinct section and reused (ensembles synthesise the same polity many times).
    """
    return _population_table(scenario.population.model_dump_json())


@functools.lru_cache(maxsize=16)
def _population_table(population_json: str) -> PopulationTable:
    pop = Population.model_validate_json(population_json)
    groups = tuple(g.name for g in pop.ethnic_groups)
    oblasts = tuple(o.name for o in pop.oblasts)
    oblast_totals = np.array([o.population.value for o in pop.oblasts], dtype=np.float64)
    counts = np.array([g.count.value for g in pop.ethnic_groups], dtype=np.float64)
    if counts.sum() <= 0 or oblast_totals.sum() <= 0:
        raise ScenarioError("population: census counts and oblast populations must be positive")
    # Census ethnic counts may cover a different total from the oblasts (other groups,
    # another base); scale them so that both margins describe the same population.
    ethnic_targets = counts / counts.sum() * oblast_totals.sum()

    national_shares = ethnic_targets / ethnic_targets.sum()
    seed = np.empty((len(oblasts), len(groups)))
    fixed = np.zeros(seed.shape, dtype=bool)
    for i, oblast in enumerate(pop.oblasts):
        named = np.array([name in oblast.ethnic_shares for name in groups])
        # Groups the oblast does not name share its remainder in national proportions.
        remainder = 1.0 - sum(oblast.ethnic_shares.values())
        others = np.where(named, 0.0, national_shares)
        seed[i] = oblast_totals[i] * remainder * others / max(others.sum(), 1e-300)
        for name, share in oblast.ethnic_shares.items():
            seed[i, groups.index(name)] = share * oblast_totals[i]
        if oblast.ethnic_shares_role == "fixed":
            fixed[i] = named
    by_group = rake(seed, oblast_totals, ethnic_targets, fixed)

    urban_oblast = np.array([o.urban_share.value for o in pop.oblasts])
    urban_group = np.array(
        [np.nan if g.urban_share is None else g.urban_share for g in pop.ethnic_groups]
    )
    people = _split_urban(by_group, urban_oblast, urban_group)

    zhuz = np.zeros((len(oblasts), len(ZHUZES)))
    national = np.array([pop.zhuz_shares.get(z, 0.0) for z in ZHUZES])
    for i, oblast in enumerate(pop.oblasts):
        own = np.array([oblast.zhuz_shares.get(z, 0.0) for z in ZHUZES])
        chosen = own if own.sum() > 0 else national
        zhuz[i] = chosen / chosen.sum() if chosen.sum() > 0 else np.full(3, 1.0 / 3.0)
    people.setflags(write=False)  # shared through the cache: nobody may change it
    zhuz.setflags(write=False)
    return PopulationTable(people, zhuz, oblasts, groups)


def _split_urban(
    by_group: np.ndarray, urban_oblast: np.ndarray, urban_group: np.ndarray
) -> np.ndarray:
    """Split each oblast × group cell into rural and urban by 3-D raking.

    Margins: the cell totals (exact), each oblast's urban total, and each group's
    national urban total where the scenario gives it.
    """
    people = np.stack([by_group * (1 - urban_oblast[:, None]), by_group * urban_oblast[:, None]], 2)
    oblast_urban = by_group.sum(axis=1) * urban_oblast
    oblast_margin = np.stack([by_group.sum(axis=1) - oblast_urban, oblast_urban], axis=1)
    known = ~np.isnan(urban_group)
    group_urban = by_group.sum(axis=0) * np.nan_to_num(urban_group)
    group_margin = np.stack([by_group.sum(axis=0) - group_urban, group_urban], axis=1)
    for _ in range(_RAKING_MAX_ROUNDS):
        if known.any():
            got = people.sum(axis=0)
            scale = np.divide(group_margin, got, out=np.ones_like(got), where=got > 0)
            people[:, known, :] *= scale[None, known, :]
        got = people.sum(axis=1)
        scale = np.divide(oblast_margin, got, out=np.ones_like(got), where=got > 0)
        people *= scale[:, None, :]
        got = people.sum(axis=2)
        scale = np.divide(by_group, got, out=np.ones_like(got), where=got > 0)
        people *= scale[:, :, None]
        gap = np.abs(people.sum(axis=1) - oblast_margin).max()
        if not known.any() or gap <= _RAKING_TOLERANCE * by_group.sum():
            break
    return people


#: Voters drawn at once (the float64 draws of a chunk are the only temporaries; the
#: generator gives the same numbers whether they are drawn at once or in chunks).
_DRAW_CHUNK = 1 << 20


def draw(distribution: Distribution, size: int, rng: np.random.Generator) -> np.ndarray:
    """Normal draws clipped to [low, high], as float32."""
    out = np.empty(size, np.float32)
    for lo in range(0, size, _DRAW_CHUNK):
        values = rng.normal(distribution.mean, distribution.sd, min(_DRAW_CHUNK, size - lo))
        out[lo : lo + len(values)] = np.clip(values, distribution.low, distribution.high)
    return out


def _ideal_point_entry(
    groups: list[IdealPointGroup], ethnicity: str, urban: bool, zhuz: str | None
) -> IdealPointGroup:
    """The most specific entry whose selector matches; the first on ties."""
    best: IdealPointGroup | None = None
    for entry in groups:
        if entry.ethnicity not in (None, ethnicity):
            continue
        if entry.urban not in (None, urban):
            continue
        if entry.zhuz not in (None, zhuz):
            continue
        if best is None or entry.specificity > best.specificity:
            best = entry
    assert best is not None  # the schema requires a default entry
    return best


def synthesise_voters(scenario: Scenario, n_voters: int, rng: np.random.Generator) -> Voters:
    """Draw ``n_voters`` synthetic voters from the scenario's margins (docs/model.md §1.2)."""
    if n_voters < 1:
        raise ValueError(f"the number of voters must be at least 1; got {n_voters}")
    table = population_table(scenario)
    n_oblasts, n_groups, _ = table.people.shape
    cell_counts = rng.multinomial(n_voters, table.shares.ravel()).reshape(table.people.shape)

    kazakh = (
        table.ethnic_groups.index(scenario.population.kazakh_group)
        if (scenario.population.kazakh_group is not None)
        else -1
    )
    ethnicity = np.empty(n_voters, np.int8)
    urban = np.empty(n_voters, bool)
    zhuz = np.full(n_voters, NO_ZHUZ, np.int8)
    position = np.empty((n_voters, 2), np.float32)

    start = 0
    for o in range(n_oblasts):
        for e in range(n_groups):
            for u in (0, 1):
                count = int(cell_counts[o, e, u])
                if count == 0:
                    continue
                rows = slice(start, start + count)
                ethnicity[rows], urban[rows] = e, bool(u)
                if e == kazakh:
                    zhuz[rows] = rng.choice(len(ZHUZES), size=count, p=table.zhuz_shares[o])
                start += count
    # Ideal points, one draw per (ethnicity, urban, zhuz) group, its members in voter
    # order; members are found a chunk of voters at a time (the same draws, in the same
    # order, as for all members at once).
    group_key = (ethnicity.astype(np.int32) * 2 + urban) * (len(ZHUZES) + 1) + (zhuz + 1)
    for key in np.unique(group_key):
        z = int(key % (len(ZHUZES) + 1)) - 1
        u = bool((key // (len(ZHUZES) + 1)) % 2)
        e = int(key // (len(ZHUZES) + 1) // 2)
        entry = _ideal_point_entry(
            scenario.ideal_points, table.ethnic_groups[e], u, ZHUZES[z] if z >= 0 else None
        )
        for lo in range(0, n_voters, _DRAW_CHUNK):
            members = lo + np.flatnonzero(group_key[lo : lo + _DRAW_CHUNK] == key)
            if len(members):
                position[members] = _bivariate_normal(entry, len(members), rng)
    del group_key

    params = scenario.society
    sensitivity = draw(params.hardship.sensitivity, n_voters, rng)
    np.multiply(
        sensitivity, np.float32(params.hardship.urban_sensitivity_factor), out=sensitivity,
        where=urban,
    )  # fmt: skip
    base_hardship = draw(params.hardship.base, n_voters, rng)
    risk_aversion = draw(params.mobilisation.risk_aversion, n_voters, rng)
    activation = draw(params.mobilisation.activation_threshold, n_voters, rng)
    bandwagon = draw(params.mobilisation.bandwagon_threshold, n_voters, rng)

    # Voters were made oblast by oblast; sort each oblast's slice by bandwagon threshold
    # (a stable sort: np.lexsort((bandwagon, oblast))'s order), in place, one column at
    # a time, so no voter-sized index is made. A voter's oblast is its slice: the
    # bounds, not a column, are kept.
    bounds = np.concatenate(([0], np.cumsum(cell_counts.sum(axis=(1, 2))))).astype(np.int64)
    # Every voter stands for the same number of people: one float32 seen n times (a
    # read-only zero-stride view; the values, and every sum of them, are those of
    # np.full), so the column holds no memory of the voters' size.
    weight = np.broadcast_to(
        np.float32(scenario.population.electorate.value / n_voters), (n_voters,)
    )
    columns = {
        "ethnicity": ethnicity,
        "zhuz": zhuz,
        "urban": urban,
        "position": position,
        "base_hardship": base_hardship,
        "shock_sensitivity": sensitivity,
        "risk_aversion": risk_aversion,
        "activation_threshold": activation,
        "bandwagon_threshold": bandwagon,
    }
    for o in range(n_oblasts):
        rows = slice(int(bounds[o]), int(bounds[o + 1]))
        order = np.argsort(bandwagon[rows], kind="stable")
        for column in columns.values():
            column[rows] = column[rows][order]
    return Voters(
        weight=weight,
        active=np.zeros(n_voters, bool),
        backs_coopted=np.zeros(n_voters, bool),
        attachment=np.full(n_voters, NO_ORGANISATION, ORGANISATION_CODE),
        oblast_bounds=bounds,
        **columns,
    )


def _bivariate_normal(entry: IdealPointGroup, size: int, rng: np.random.Generator) -> np.ndarray:
    """Ideal points from the entry's bivariate normal, clipped to the policy space."""
    sd_e, sd_n = entry.sd
    rho = entry.correlation
    z = rng.standard_normal((size, 2))
    economy = entry.mean[0] + sd_e * z[:, 0]
    nation = entry.mean[1] + sd_n * (rho * z[:, 0] + np.sqrt(1.0 - rho * rho) * z[:, 1])
    return np.clip(np.column_stack([economy, nation]), -1.0, 1.0).astype(np.float32)
