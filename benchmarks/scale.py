"""Scale: the default scenario at 100k, 1M and 10M voters against the machine's limit.

Each size runs in a child process (so that its peak memory is its own): the
``kazakhstan-1990s`` scenario from synthesis to its last month, without writing files.
The child also measures the **streaming floor**: one NumPy read and write (``copyto``)
of every per-voter column a month touches (the voter columns and the party system's
``choice`` and ``misery``), best of five, in the same process after the run.

Targets (issue: performance):

2. seconds per voter-month of the run at 10M ≤ 4 × the floor's seconds per voter;
4. peak RSS of the 10M run ≤ 40 bytes per voter + 300 MB;
5. time against voters is linear: least-squares fit of seconds per month on voters
   (slope, intercept, R² ≥ 0.99), and the cost of an extra voter between the largest
   sizes within 0.8-1.25 of that between the smallest (a fixed cost per month, the
   intercept, is not growth; the exponent of the log-log fit is printed, and falls below
   1 by as much as the fixed cost weighs at the smallest size).

    python benchmarks/scale.py [--voters 100k,1m,10m] [--until 1999-12]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

__all__ = ["measure"]

RSS_PER_VOTER = 40
RSS_FIXED_MB = 300
FLOOR_RATIO = 4.0


def _peak_rss() -> int:
    """This process's peak resident set, in bytes.

    VmHWM of /proc/self/status belongs to the process's address space, which execve
    replaces; ru_maxrss would carry over the parent's peak at fork.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _child(voters: str, until: str | None) -> None:
    from polsim.engine.calendar import Month
    from polsim.run.simulation import Simulation
    from polsim.scenario.loader import load_scenario
    from polsim.voter_count import parse_voter_count

    scenario = load_scenario("kazakhstan-1990s")
    # Compile (or load from cache) every kernel on a small run first: not timed.
    Simulation(scenario, 1, 5_000, Month(1990, 4)).run()
    n = parse_voter_count(voters)
    end = None if until is None else Month(*map(int, until.split("-")))
    start = time.perf_counter()
    sim = Simulation(scenario, 0, n, end)
    build = time.perf_counter() - start
    start = time.perf_counter()
    sim.run()
    run = time.perf_counter() - start
    peak = _peak_rss()
    world = sim.world
    columns = [*world.voters.columns().values(), world.organisations.choice]
    columns.append(world.organisations.misery)
    scratch = [np.empty_like(c) for c in columns]
    floor = np.inf
    for _ in range(5):
        t0 = time.perf_counter()
        for column, out in zip(columns, scratch, strict=True):
            np.copyto(out, column)
        floor = min(floor, time.perf_counter() - t0)
    touched = sum(c.nbytes for c in columns) / n
    print(
        json.dumps(
            {
                "voters": n,
                "months": sim.months_done,
                "build_s": build,
                "run_s": run,
                "floor_s": floor,
                "peak_rss": peak,
                "column_bytes_per_voter": touched,
            }
        )
    )


def run_child(voters: str, until: str | None) -> dict:
    """One size in a fresh process."""
    command = [sys.executable, __file__, "--child", voters]
    if until:
        command += ["--until", until]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(sizes=("100k", "1m", "10m"), until: str | None = None) -> dict:
    """Run every size; return the per-size rows and the three targets."""
    rows = [run_child(v, until) for v in sizes]
    for row in rows:
        row["s_per_month"] = row["run_s"] / row["months"]
        row["s_per_voter_month"] = row["s_per_month"] / row["voters"]
        row["floor_per_voter"] = row["floor_s"] / row["voters"]
        row["floor_ratio"] = row["s_per_month"] / row["floor_s"]
        row["rss_limit"] = RSS_PER_VOTER * row["voters"] + RSS_FIXED_MB * 2**20
    n = np.array([r["voters"] for r in rows], dtype=np.float64)
    t = np.array([r["s_per_month"] for r in rows])
    slope, intercept = np.polyfit(n, t, 1)
    fitted = slope * n + intercept
    r2 = 1.0 - float(((t - fitted) ** 2).sum() / ((t - t.mean()) ** 2).sum())
    exponent = float(np.polyfit(np.log(n), np.log(t), 1)[0])
    # Linear means a constant cost per extra voter (a fixed cost per month is allowed):
    # the marginal cost between the two largest sizes over that between the two smallest.
    marginal = np.diff(t) / np.diff(n)
    largest = rows[-1]
    return {
        "rows": rows,
        "fit": {
            "slope": float(slope),
            "intercept": float(intercept),
            "r2": r2,
            "exponent": exponent,
            "marginal_ratio": float(marginal[-1] / marginal[0]),
        },
        "floor_ratio": largest["floor_ratio"],
        "rss_bytes_per_voter": (largest["peak_rss"] - RSS_FIXED_MB * 2**20) / largest["voters"],
        "largest": largest,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", default="100k,1m,10m")
    parser.add_argument("--until", default=None)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.until)
        return
    result = measure(tuple(args.voters.split(",")), args.until)
    print(
        f"{'voters':>11} {'months':>6} {'build s':>8} {'s/month':>8} {'floor s':>8} "
        f"{'x floor':>8} {'peak MB':>8} {'limit MB':>8}"
    )
    for r in result["rows"]:
        print(
            f"{r['voters']:>11,} {r['months']:>6} {r['build_s']:>8.2f} {r['s_per_month']:>8.4f} "
            f"{r['floor_s']:>8.4f} {r['floor_ratio']:>8.1f} {r['peak_rss'] / 2**20:>8.0f} "
            f"{r['rss_limit'] / 2**20:>8.0f}"
        )
    fit = result["fit"]
    print(
        f"fit: s/month = {fit['slope'] * 1e6:.4f} µs × voters + {fit['intercept']:.4f} s, "
        f"R² = {fit['r2']:.4f}, marginal cost ratio {fit['marginal_ratio']:.2f}, "
        f"log-log exponent {fit['exponent']:.3f}"
    )


if __name__ == "__main__":
    main()
