"""Run every benchmark, print each target with its ratio and PASS/FAIL, write RESULTS.md.

    python benchmarks/run_all.py [--quick]

``--quick`` uses smaller sizes (for a smoke test; its RESULTS.md says so). Every ratio
is taken against a baseline measured in the same process (or, for scale, the same
child process), best of several repeats where the measured work can be repeated.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import elections  # noqa: E402
import parties  # noqa: E402
import scale  # noqa: E402
import society  # noqa: E402
from polsim.engine.threads import run_threads  # noqa: E402


def machine() -> dict[str, str]:
    """uname, CPU model, cores, memory, date and load average."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 2**20:.1f} GiB"
    except OSError:
        memory = "unknown"
    return {
        "uname": " ".join(platform.uname()),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": sys.version.split()[0],
        "polsim threads": str(run_threads()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args()
    before = machine()
    sizes = ("20k", "100k", "1m") if args.quick else ("100k", "1m", "10m")
    party_sizes = (2_000, 10_000) if args.quick else (10_000, 100_000)
    election_voters = "1m" if args.quick else "10m"

    lines: list[str] = []
    targets: list[tuple[str, str, bool]] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    soc = society.measure(("1m",) if args.quick else ("1m", "10m"), repeats=5)
    par = parties.measure(party_sizes, repeats=3)
    ele = elections.measure(election_voters, seed=0)
    sca = scale.measure(sizes)

    for row in par:
        ok = row["ratio"] >= 300 and row["same"]
        targets.append(
            (
                f"1. Mesa 3, {row['voters']:,} voters, {row['parties']} parties",
                f"{row['ratio']:.0f}x Mesa on {row['threads']} threads, "
                f"{row['one_thread_ratio']:.0f}x on one (>= 300x; aim 1000x); same results: "
                f"{'yes' if row['same'] else 'no'}",
                ok,
            )
        )
    big = sca["largest"]
    targets.append(
        (
            f"2. default scenario, {big['voters']:,} voters, per voter-month",
            f"{sca['floor_ratio']:.1f}x the streaming floor (<= {scale.FLOOR_RATIO:.0f}x)",
            sca["floor_ratio"] <= scale.FLOOR_RATIO,
        )
    )
    targets.append(
        (
            f"3. 1994 election, {ele['voters']:,} voters",
            f"{ele['ratio']:.0f}x a NumPy read of its ballot arrays (<= 5x)",
            ele["ratio"] <= 5,
        )
    )
    limit = big["rss_limit"]
    targets.append(
        (
            f"4. peak RSS, {big['voters']:,} voters",
            f"{big['peak_rss'] / 2**20:.0f} MB = {sca['rss_bytes_per_voter']:.1f} B/voter + 300 MB"
            f" (limit {limit / 2**20:.0f} MB)",
            big["peak_rss"] <= limit,
        )
    )
    fit = sca["fit"]
    targets.append(
        (
            "5. time against voters (" + ", ".join(sizes) + ")",
            f"slope {fit['slope'] * 1e9:.1f} ns per voter-month, R² {fit['r2']:.4f}, "
            f"cost of an extra voter, largest sizes over smallest, {fit['marginal_ratio']:.2f}; "
            f"log-log exponent {fit['exponent']:.3f} (linear: R² >= 0.99 and ratio 0.8-1.25)",
            fit["r2"] >= 0.99 and 0.8 <= fit["marginal_ratio"] <= 1.25,
        )
    )

    say("# polsim benchmarks" + (" (quick sizes: not the issue's)" if args.quick else ""))
    say()
    for key, value in before.items():
        say(f"- {key}: {value}")
    say(f"- load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            cwd=HERE,
        ).stdout.strip()
        say(f"- commit: {commit}" + (" (plus uncommitted changes)" if changed else ""))
    except OSError:
        pass
    say()
    say("## Targets")
    say()
    say("| target | measured | result |")
    say("|---|---|---|")
    for name, value, ok in targets:
        say(f"| {name} | {value} | {'PASS' if ok else 'FAIL'} |")
    say()
    say("## Details")
    say()
    say("Society step (one month, 1993-11) against a NumPy copy of the columns it touches:")
    say()
    say("| voters | step s | floor s | ratio | bytes/voter held |")
    say("|---|---|---|---|---|")
    for r in soc:
        say(
            f"| {r['voters']:,} | {r['step_s']:.4f} | {r['floor_s']:.4f} | {r['ratio']:.1f} | "
            f"{r['bytes_per_voter']:.1f} |"
        )
    say()
    say("Party competition (Aggregator/Hunter, 10 parties), per step, best of repeats:")
    say()
    say(
        "| voters | polsim ms | on one thread ms | Mesa ms | ratio | on one thread | "
        "position gap | share gap |"
    )
    say("|---|---|---|---|---|---|---|---|")
    for r in par:
        say(
            f"| {r['voters']:,} | {r['polsim_step_s'] * 1e3:.3f} | "
            f"{r['one_thread_step_s'] * 1e3:.3f} | {r['mesa_step_s'] * 1e3:.1f} | "
            f"{r['ratio']:.0f} | {r['one_thread_ratio']:.0f} | {r['position_gap']:.1e} | "
            f"{r['share_gap']:.1e} |"
        )
    say()
    say(
        f"1994 election at {ele['voters']:,} voters: {ele['seconds']:.2f} s; NumPy read of its "
        f"ballot columns {ele['baseline']:.4f} s; turnout {ele['turnout']:.3f}. Lower bound "
        f"for any implementation of the model: the state list's {ele['nominees']} approval "
        f"exps per voting voter at NumPy's vectorised exp ({ele['exp_ns']:.2f} ns each), on "
        f"{ele['threads']} threads, take {ele['exp_floor']:.3f} s = "
        f"{ele['exp_floor_ratio']:.1f}x the read by themselves."
    )
    say()
    say("Default scenario, whole run (synthesis not timed), each size in its own process:")
    say()
    say("| voters | months | build s | s/month | floor s | x floor | peak RSS MB | limit MB |")
    say("|---|---|---|---|---|---|---|---|")
    for r in sca["rows"]:
        say(
            f"| {r['voters']:,} | {r['months']} | {r['build_s']:.2f} | {r['s_per_month']:.4f} | "
            f"{r['floor_s']:.4f} | {r['floor_ratio']:.1f} | {r['peak_rss'] / 2**20:.0f} | "
            f"{r['rss_limit'] / 2**20:.0f} |"
        )
    say()
    say(
        f"Fit: seconds per month = {fit['slope'] * 1e9:.2f} ns × voters + "
        f"{fit['intercept']:.4f} s (R² {fit['r2']:.4f}); log-log exponent {fit['exponent']:.3f}."
    )
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
