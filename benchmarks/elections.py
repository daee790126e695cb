"""Benchmark: the 1994 Kazakh election (135 two-round districts + 42-seat state list).

Holds the ``supreme-kenges-1994`` election (which the dissolved Supreme Soviet calls)
once, at 10M voters by default, and prints the ratio of its time to a NumPy read of the
same ballot arrays (one sum over each voter column the election reads), measured in the
same process. Synthesis
and the society mechanisms of the month run first and are not timed.

It also prints a **lower bound** that no implementation of the model can beat: the
state-list ballot alone needs one exponential per voter who votes and per nominee
(each approval probability is a logistic of that voter's utility), and the fastest
exponential on this machine is NumPy's vectorised ``np.exp`` (timed here on an array
of the same size as one voter chunk), on each of the run's threads. Their product
over the threads, against the same read, says how close to the target any election
code could come.

Usage: ``python benchmarks/elections.py [--voters 10m] [--seed 0]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from polsim.api import parse_voter_count
from polsim.elections.hold import hold_elections
from polsim.engine.calendar import Month
from polsim.engine.threads import run_threads
from polsim.run.schedule import MONTHLY_MECHANISMS
from polsim.run.simulation import Simulation
from polsim.scenario.loader import load_scenario


def _read_columns(world) -> float:
    voters = world.voters
    total = 0.0
    # What a ballot reads per voter: hardship and grievance are worked out from the
    # base hardship, shock sensitivity and co-opted-backing flag.
    for column in (
        voters.weight,
        voters.position,
        voters.ethnicity,
        voters.zhuz,
        voters.attachment,
        voters.urban,
        voters.base_hardship,
        voters.shock_sensitivity,
        voters.backs_coopted,
        world.organisations.choice,
    ):
        total += float(column.sum(dtype=np.float64))
    return total


def measure(voters: str = "10m", seed: int = 0) -> dict:
    """Hold the 1994 election once; the baseline is the best of five reads."""
    n = parse_voter_count(voters)
    scenario = load_scenario("kazakhstan-1990s")
    election = scenario.state.legislatures.successor  # called by the 1993 dissolution
    month = Month(1994, 3)
    scenario = scenario.model_copy(update={"start": month, "elections": [election]})
    sim = Simulation(scenario, seed, n, month)
    for mechanism in MONTHLY_MECHANISMS:
        if mechanism.name != "elections.hold":
            mechanism(sim.world, sim.streams.get(mechanism.name), month)
    # Compile (or load) the election kernels on a small copy first: not timed.
    warm = Simulation(scenario, seed, 20_000, month)
    hold_elections(warm.world, warm.streams.get("elections.hold"), month)
    _read_columns(sim.world)
    baseline = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        _read_columns(sim.world)
        baseline = min(baseline, time.perf_counter() - start)
    rng = sim.streams.get("elections.hold")
    start = time.perf_counter()
    events = hold_elections(sim.world, rng, month)
    elapsed = time.perf_counter() - start
    held = next(e for e in events if e.kind == "ElectionHeld")
    exp_seconds = _fastest_exp_seconds()
    approvals = held.turnout * n * election.system.list_candidates
    threads = run_threads()
    return {
        "voters": n,
        "seconds": elapsed,
        "baseline": baseline,
        "ratio": elapsed / baseline,
        "turnout": held.turnout,
        "rounds": held.rounds,
        "seats_filled": held.seats_filled,
        "seats": held.seats,
        "candidates": held.candidates,
        "nominees": election.system.list_candidates,
        "exp_ns": exp_seconds * 1e9,
        "threads": threads,
        "exp_floor": approvals * exp_seconds / threads,
        "exp_floor_ratio": approvals * exp_seconds / threads / baseline,
    }


def _fastest_exp_seconds(size: int = 1 << 20) -> float:
    """Seconds per value of NumPy's vectorised exp (best of five, in cache-sized arrays)."""
    x = np.random.default_rng(0).uniform(-20.0, 20.0, size)
    out = np.empty_like(x)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        np.exp(x, out=out)
        best = min(best, time.perf_counter() - start)
    return best / size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", default="10m")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    r = measure(args.voters, args.seed)
    n, baseline, elapsed = r["voters"], r["baseline"], r["seconds"]
    print(f"voters: {n:,}  districts: 135 + state list 42/65")
    print(
        f"turnout {r['turnout']:.3f}, rounds {r['rounds']}, seats filled {r['seats_filled']}"
        f"/{r['seats']}, candidates {r['candidates']}"
    )
    print(f"numpy read of ballot columns: {baseline:.3f} s")
    print(f"election (districts, nomination, 2 rounds, fraud, state list): {elapsed:.3f} s")
    print(f"ratio election / numpy read: {elapsed / baseline:.1f}x")
    print(
        f"lower bound: {r['nominees']} approval exps per voting voter at {r['exp_ns']:.2f} ns "
        f"(np.exp) on {r['threads']} threads = {r['exp_floor']:.3f} s = "
        f"{r['exp_floor_ratio']:.1f}x the read"
    )


if __name__ == "__main__":
    main()
