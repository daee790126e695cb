"""The step loop: build the world from a scenario, then step it month by month.

Like SimPy's environment, the simulation owns the clock: :meth:`Simulation.step`
advances one month and :meth:`Simulation.run` loops over it until the end.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import EventLog, RunEnded, RunStarted
from polsim.engine.memory import map_large_arrays
from polsim.engine.streams import RandomStreams
from polsim.parties.elite_pool import draw_elites
from polsim.parties.series import party_system_series
from polsim.run.recorder import Recorder
from polsim.run.schedule import MONTHLY_MECHANISMS, Mechanism
from polsim.scenario.schema import ZHUZES, Scenario
from polsim.society.aggregates import society_series
from polsim.society.synthesis import synthesise_voters
from polsim.state.cascade import erdos_renyi_edges
from polsim.state.institutions import initial_institutions
from polsim.state.legislatures import build_legislatures
from polsim.state.president import build_presidency
from polsim.state.series import state_series
from polsim.world.organisations import Organisations
from polsim.world.polity import RegimeState, SocietyState, World
from polsim.world.voters import NO_ZHUZ

__all__ = ["Simulation", "build_world"]

#: Probes whose values make up each monthly row of ``series.parquet``.
SERIES_PROBES = (society_series, party_system_series, state_series)


def build_world(scenario: Scenario, n_voters: int, streams: RandomStreams) -> World:
    """The polity at the scenario's first month, with a freshly synthesised electorate."""
    voters = synthesise_voters(scenario, n_voters, streams.get("society.synthesis"))
    regime = scenario.regime
    president_zhuz = ZHUZES.index(regime.president_zhuz) if regime.president_zhuz else NO_ZHUZ
    world = World(
        scenario=scenario,
        date=scenario.start,
        voters=voters,
        regime=RegimeState(
            legitimacy=regime.legitimacy,
            repression=regime.repression,
            efficiency=regime.efficiency,
            president_zhuz=president_zhuz,
        ),
        society=SocietyState(),
        institutions=initial_institutions(scenario),
        ethnic_groups=tuple(g.name for g in scenario.population.ethnic_groups),
        oblasts=tuple(o.name for o in scenario.population.oblasts),
        # Historical organisations enter through the parties.history mechanism.
        elites=draw_elites(scenario, voters, streams.get("parties.elites")),
        organisations=Organisations(len(voters)),
    )
    _build_state(world, streams.get("state.build"))
    return world


def _build_state(world: World, rng: np.random.Generator) -> None:
    """The presidency and the legislatures at the start (docs/model.md §3.2, §3.3)."""
    scenario = world.scenario
    ids = {o.historical_id: o.id for o in world.organisations if o.historical_id}
    world.presidency = build_presidency(scenario, ids)
    world.presidency.elite_contacts = erdos_renyi_edges(
        len(world.elites), scenario.state.patronage.defection_degree, rng
    )
    world.regime.repression *= scenario.counterfactuals.repression
    params = scenario.state.legislatures
    if params is not None:
        world.legislatures = build_legislatures(
            params, world.oblasts, scenario.start, world.elites.loyalty, rng
        )


class Simulation:
    """One run of one scenario with one seed.

    Parameters
    ----------
    scenario
        A validated scenario.
    seed
        The run's seed (or a SeedSequence child, for ensembles).
    voters
        Number of synthetic voters.
    until
        Last month to simulate (default: the scenario's end).
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int | np.random.SeedSequence,
        voters: int,
        until: Month | None = None,
        mechanisms: tuple[Mechanism, ...] = MONTHLY_MECHANISMS,
    ) -> None:
        self.scenario = scenario
        self.until = scenario.end if until is None else until
        map_large_arrays()
        self.streams = RandomStreams(seed)
        self.mechanisms = mechanisms
        self.world = build_world(scenario, voters, self.streams)
        self.log = EventLog()
        self.recorder = Recorder(SERIES_PROBES)
        self.months_done = 0
        seed_value = int(self.streams.root.entropy) if isinstance(seed, int) else -1
        self.log.record(
            [
                RunStarted(
                    date=scenario.start, scenario=scenario.name, seed=seed_value, voters=voters
                )
            ]
        )

    @property
    def total_months(self) -> int:
        """Months from the scenario's start to ``until``, both included."""
        return self.until - self.scenario.start + 1

    @property
    def finished(self) -> bool:
        """Whether every month up to ``until`` has been simulated."""
        return self.months_done >= self.total_months

    def step(self) -> None:
        """Simulate the current month, record it, and move the clock on by one month."""
        if self.finished:
            raise RuntimeError(f"the run already reached {self.until}")
        date = self.world.date
        for mechanism in self.mechanisms:
            events = mechanism(self.world, self.streams.get(mechanism.name), date)
            self.log.record(events)
            # An outcome with output rows (the elections' results and units) hands them over.
            self.recorder.keep_rows(getattr(events, "rows", {}))
        self.recorder.record(self.world)
        self.months_done += 1
        if self.finished:
            self.log.record([RunEnded(date=date, months=self.months_done)])
        else:
            self.world.date = date + 1

    def run(self, on_month: Callable[[Month], None] | None = None) -> None:
        """Step until ``until``; ``on_month`` is called after each month (for progress)."""
        while not self.finished:
            date = self.world.date
            self.step()
            if on_month is not None:
                on_month(date)
