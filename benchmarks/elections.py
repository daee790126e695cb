"""Benchmark: the 1994 Kazakh election (135 two-round districts + 42-seat state list).

Holds the ``supreme-kenges-1994`` election (which the dissolved Supreme Soviet calls)
once, at 10M voters by default, and prints the ratio of its time to a NumPy read of the
same ballot arrays (one sum over each voter column the election reads), measured in the
same process. Synthesis
and the society mechanisms of the month run first and are not timed.

Usage: ``python benchmarks/elections.py [--voters 10m] [--seed 0]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from polsim.api import parse_voter_count
from polsim.elections.hold import hold_elections
from polsim.engine.calendar import Month
from polsim.engine.schedule import MONTHLY_MECHANISMS
from polsim.engine.simulation import Simulation
from polsim.scenario.loader import load_scenario


def _read_columns(world) -> float:
    voters = world.voters
    total = 0.0
    for column in (
        voters.weight,
        voters.position,
        voters.ethnicity,
        voters.zhuz,
        voters.attachment,
        voters.urban,
        voters.hardship,
        voters.grievance,
        voters.oblast,
    ):
        total += float(column.sum(dtype=np.float64))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", default="10m")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    n = parse_voter_count(args.voters)
    scenario = load_scenario("kazakhstan-1990s")
    election = scenario.state.legislatures.successor  # called by the 1993 dissolution
    month = Month(1994, 3)
    scenario = scenario.model_copy(update={"start": month, "elections": [election]})
    sim = Simulation(scenario, args.seed, n, month)
    for mechanism in MONTHLY_MECHANISMS:
        if mechanism.name != "elections.hold":
            mechanism.step(sim.world, sim.streams.get(mechanism.name), month)
    _read_columns(sim.world)
    start = time.perf_counter()
    for _ in range(3):
        _read_columns(sim.world)
    baseline = (time.perf_counter() - start) / 3
    rng = sim.streams.get("elections.hold")
    start = time.perf_counter()
    events = hold_elections(sim.world, rng, month)
    elapsed = time.perf_counter() - start
    held = next(e for e in events if e.kind == "ElectionHeld")
    print(f"voters: {n:,}  districts: 135 + state list 42/65")
    print(
        f"turnout {held.turnout:.3f}, rounds {held.rounds}, seats filled {held.seats_filled}"
        f"/{held.seats}, candidates {held.candidates}"
    )
    print(f"numpy read of ballot columns: {baseline:.3f} s")
    print(f"election (districts, nomination, 2 rounds, fraud, state list): {elapsed:.3f} s")
    print(f"ratio election / numpy read: {elapsed / baseline:.1f}x")


if __name__ == "__main__":
    main()
