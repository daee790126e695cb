"""Throughput of experiments: serial in-process against a 2-worker Dask LocalCluster.

Runs the same 20-run toy-polity ensemble twice, into fresh folders: once serially in the
coordinating process (the baseline), once on a Dask LocalCluster of two single-threaded
worker processes. Prints runs per second for each, the speed-up, and the per-run
overhead of the parallel backend, ``(parallel wall time × workers − serial time) / runs``
(cluster start-up, task shipping and the coordinator's bookkeeping, per run).

    python benchmarks/experiments.py [--runs 20] [--voters 2000] [--until 1990-06]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from polsim.experiments import ensemble

__all__ = ["main"]


def _timed(**options: object) -> float:
    start = time.perf_counter()
    result = ensemble("toy-polity", **options)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    assert result.summary.done == options["runs"], result.summary
    return elapsed


def main() -> None:
    """Run the comparison and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--voters", default="2000")
    parser.add_argument("--until", default="1990-06")
    args = parser.parse_args()
    workers = 2
    common = {"runs": args.runs, "voters": args.voters, "until": args.until}
    with tempfile.TemporaryDirectory() as root:
        serial = _timed(out=Path(root) / "serial", workers=1, **common)
        parallel = _timed(out=Path(root) / "dask", dask="local", workers=workers, **common)
    overhead = (parallel * workers - serial) / args.runs
    print(f"{args.runs} toy-polity runs, {args.voters} voters, until {args.until}")
    for label, seconds in (
        ("serial (1 process)", serial),
        (f"Dask LocalCluster, {workers}", parallel),
    ):
        print(f"{label:<24} {seconds:6.2f} s  {args.runs / seconds:6.2f} runs/s")
    print(f"speed-up: {serial / parallel:.2f}x (ideal {workers}x)")
    print(f"overhead per run: {overhead * 1000:.0f} ms (incl. cluster start-up)")


if __name__ == "__main__":
    main()
