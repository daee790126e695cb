"""The society kernels against their NumPy references: the same bits, month after month."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from polsim.engine import threads
from polsim.engine.calendar import Month
from polsim.run.schedule import MONTHLY_MECHANISMS
from polsim.run.simulation import Simulation
from polsim.society.aggregates import summarise_society, summarise_society_reference
from polsim.society.grievance import grievance_of, grievance_reference, update_grievance
from polsim.society.hardship import (
    economic_shock,
    hardship_of,
    hardship_reference,
    update_hardship,
)
from polsim.society.mobilisation import mobilise, mobilise_reference


@pytest.fixture(scope="module")
def worlds(kazakhstan):
    """Worlds at several months of a small run: before, during and after the crisis."""
    scenario = kazakhstan.model_copy(
        update={"society": kazakhstan.society.model_copy(update={"cooptation_legitimacy": 0.2})}
    )
    no_elections = tuple(m for m in MONTHLY_MECHANISMS if m.name != "elections.hold")
    sim = Simulation(scenario, 3, 4_000, Month(1994, 6), mechanisms=no_elections)
    out = []
    while not sim.finished:
        sim.step()
        if sim.months_done % 16 == 0:
            out.append(copy.deepcopy(sim.world))
    return out


def test_hardship_kernel_matches_numpy(worlds):
    for world in worlds:
        update_hardship(
            world, world.scenario.society.hardship, np.random.default_rng(0), world.date
        )
        shock = economic_shock(world.scenario.economy, world.date)
        relief = world.regime.efficiency * world.scenario.society.hardship.relief
        expected = hardship_reference(world.voters, shock, relief)
        assert np.array_equal(hardship_of(world), expected)
        # Chunks read what the whole reads.
        rows = slice(len(world.voters) // 3, len(world.voters) // 2)
        assert np.array_equal(hardship_of(world, rows), expected[rows])


def test_grievance_kernel_matches_numpy(worlds, threads_forced):
    coopted_backers = 0
    for world in worlds:
        expected = grievance_reference(world)
        update_grievance(world, world.scenario.society, np.random.default_rng(0), world.date)
        assert np.array_equal(grievance_of(world), expected)
        rows = slice(len(world.voters) // 3, len(world.voters) // 2)
        assert np.array_equal(grievance_of(world, rows), expected[rows])
        flags = [o.coopted and o.alive for o in world.organisations.records]
        choice = world.organisations.choice
        coopted_backers += int(np.isin(choice, np.flatnonzero(flags)).sum())
    assert coopted_backers > 0  # the co-optation branch was exercised


@pytest.fixture(params=[1, 2, 3], ids=lambda n: f"{n}-threads")
def threads_forced(request, monkeypatch):
    """Passes that split voters or oblasts among threads do so even for a small electorate."""
    monkeypatch.setattr(threads, "THREADED_MIN_VOTERS", 2)
    with threads.using_threads(request.param):
        yield request.param


def test_mobilisation_kernel_matches_numpy(worlds, threads_forced):
    acting = 0
    for world in worlds:
        # Lower the thresholds so that cascades go both ways in some oblasts.
        for shift in (0.0, 0.15):
            a, b = copy.deepcopy(world), copy.deepcopy(world)
            for w in (a, b):
                w.voters.activation_threshold -= np.float32(shift)
            events_a = mobilise(
                a, a.scenario.society.mobilisation, np.random.default_rng(0), a.date
            )
            events_b = mobilise_reference(
                b, b.scenario.society.mobilisation, np.random.default_rng(0), b.date
            )
            assert np.array_equal(a.voters.active, b.voters.active)
            assert [e.active_share for e in events_a] == [e.active_share for e in events_b]
            assert a.society.protesting_oblasts == b.society.protesting_oblasts
            acting += int(a.voters.active.sum())
    assert acting > 0


def test_cell_sums_kernel_matches_numpy(worlds, threads_forced):
    for world in worlds:
        other = copy.deepcopy(world)
        summarise_society(world, np.random.default_rng(0), world.date)
        summarise_society_reference(other, np.random.default_rng(0), other.date)
        for name in ("people", "hardship", "grievance", "active"):
            assert np.array_equal(getattr(world.society, name), getattr(other.society, name))
