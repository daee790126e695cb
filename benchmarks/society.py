"""Benchmark: one society step against a NumPy read-and-write of the same columns.

For 1M and 10M voters of the Kazakhstan scenario, time one month of the society
mechanisms (hardship, grievance, opinion (off by default), mobilisation, aggregates)
and, in the same process, the floor: one NumPy copy of every voter column that month
touches (a read and a write of each). Prints the ratio, and the bytes held per voter.

    .venv/bin/python benchmarks/society.py [--voters 1m,10m] [--repeats 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from polsim.api import parse_voter_count
from polsim.engine.calendar import Month
from polsim.engine.streams import RandomStreams
from polsim.run.schedule import MONTHLY_MECHANISMS
from polsim.run.simulation import build_world
from polsim.scenario import load_scenario

SOCIETY = [m for m in MONTHLY_MECHANISMS if m.name.startswith("society.")]
#: Voter columns the society step reads or writes (hardship and grievance are worked out
#: from these on the fly; the weight is one shared value).
TOUCHED = (
    "base_hardship",
    "shock_sensitivity",
    "ethnicity",
    "zhuz",
    "risk_aversion",
    "activation_threshold",
    "bandwagon_threshold",
    "active",
    "backs_coopted",
)


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(sizes=("1m", "10m"), repeats: int = 5) -> list[dict]:
    """Society step and floor at each size."""
    scenario = load_scenario("kazakhstan-1990s")
    date = Month(1993, 11)  # deep in the crisis: mobilisation has work to do
    rows = []
    for text in sizes:
        n = parse_voter_count(text)
        streams = RandomStreams(0)
        world = build_world(scenario, n, streams)
        world.date = date

        def society_step(world=world, streams=streams) -> None:
            for mechanism in SOCIETY:
                mechanism(world, streams.get(mechanism.name), date)

        columns = [getattr(world.voters, name) for name in TOUCHED]
        scratch = [np.empty_like(c) for c in columns]

        def floor(columns=columns, scratch=scratch) -> None:
            for column, out in zip(columns, scratch, strict=True):
                np.copyto(out, column)

        society_step()  # warm up
        step = best_of(repeats, society_step)
        base = best_of(repeats, floor)
        rows.append(
            {
                "voters": n,
                "step_s": step,
                "floor_s": base,
                "ratio": step / base,
                "bytes_per_voter": world.voters.nbytes / n,
            }
        )
        del world, columns, scratch
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", default="1m,10m")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{'voters':>12} {'step s':>9} {'floor s':>9} {'ratio':>7} {'bytes/voter':>12}")
    for r in measure(tuple(args.voters.split(",")), args.repeats):
        print(
            f"{r['voters']:>12,} {r['step_s']:>9.4f} {r['floor_s']:>9.4f} {r['ratio']:>7.1f} "
            f"{r['bytes_per_voter']:>12.1f}"
        )


if __name__ == "__main__":
    main()
