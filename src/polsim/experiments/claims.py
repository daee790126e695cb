"""Run the ensembles that the seed's claims are measured on (docs/validation.md).

For each history mode, one base ensemble and two counterfactual ensembles with the same
seeds (common random numbers): without co-optation (claim 2) and without the guarantor
from January 1994 (claim 9). Runs go to a process pool; each returns only the four small
tables the claims read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np

from polsim.engine.calendar import Month
from polsim.errors import PolsimError
from polsim.experiments.backends import check_local_memory, check_workers
from polsim.experiments.core import check_seed
from polsim.experiments.metrics import register_metric
from polsim.experiments.runner import RunsFailedError
from polsim.measures.seed_claims import (
    CLAIMS,
    ClaimResult,
    RunTables,
    claim_2_little_activism,
    claim_7_election_1994,
    claim_9_guarantor,
    in_sample_facts,
)
from polsim.scenario.loader import load_scenario
from polsim.scenario.schema import Scenario
from polsim.workers import exit_with_parent

__all__ = [
    "FACT_METRICS",
    "GUARANTOR_REMOVED",
    "ClaimEnsembles",
    "evaluate_claims",
    "run_claim_ensembles",
]

#: When the counterfactual of claim 9 removes the president.
GUARANTOR_REMOVED = Month(1994, 1)


@dataclass
class ClaimEnsembles:
    """The runs of one history mode: base and counterfactuals, seed by seed."""

    history: str
    base: list[RunTables]
    without_cooptation: list[RunTables]
    without_guarantor: list[RunTables]


def _variant(scenario: Scenario, history: str, variant: str) -> Scenario:
    counterfactuals = scenario.counterfactuals
    if variant == "no-cooptation":
        counterfactuals = counterfactuals.model_copy(update={"no_cooptation": True})
    elif variant == "no-guarantor":
        counterfactuals = counterfactuals.model_copy(
            update={"no_guarantor_from": GUARANTOR_REMOVED}
        )
    return scenario.model_copy(update={"history": history, "counterfactuals": counterfactuals})


def _one_run(args: tuple[Scenario, int, int, str]) -> RunTables | str:
    """One run's tables, or the one-line reason it failed (so the others carry on)."""
    from polsim.api import simulate

    scenario, seed, voters, until = args
    try:
        return RunTables.of(simulate(scenario, seed=seed, voters=voters, until=until))
    except PolsimError as error:
        return " ".join(str(error).split())
    except Exception as error:
        return " ".join(f"{type(error).__name__}: {error}".split())[:500]


def run_claim_ensembles(
    scenario: str | Scenario = "kazakhstan-1990s",
    runs: int = 10,
    voters: int = 10_000,
    until: str = "1996-12",
    histories: Iterable[str] = ("pinned", "free"),
    workers: int | None = None,
    seed: int = 0,
    on_run: Callable[[], None] | None = None,
) -> list[ClaimEnsembles]:
    """Run base, no-co-optation and no-guarantor ensembles for each history mode."""
    check_workers(workers)  # before any work (the default is every core, then capped)
    model = load_scenario(scenario)
    seeds = [
        int(s.generate_state(1)[0]) for s in np.random.SeedSequence(check_seed(seed)).spawn(runs)
    ]
    jobs = []
    for history in histories:
        for variant in ("base", "no-cooptation", "no-guarantor"):
            case = _variant(model, history, variant)
            jobs += [(history, variant, (case, s, voters, until)) for s in seeds]
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    check_local_memory(voters, None, workers, len(jobs))
    results: dict[tuple[str, str], list[RunTables]] = {}
    failures: list[str] = []
    with ProcessPoolExecutor(
        workers,
        mp_context=get_context("spawn"),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        for (history, variant, _), tables in zip(
            jobs, pool.map(_one_run, [job for _, _, job in jobs]), strict=True
        ):
            if isinstance(tables, str):
                failures.append(f"{history} {variant}: {tables}")
            else:
                results.setdefault((history, variant), []).append(tables)
            if on_run is not None:
                on_run()
    if failures:
        raise RunsFailedError(
            f"{len(failures)} of {len(jobs)} runs failed; the first: {failures[0]}"
        )
    return [
        ClaimEnsembles(
            history,
            results[(history, "base")],
            results[(history, "no-cooptation")],
            results[(history, "no-guarantor")],
        )
        for history in dict.fromkeys(h for h, _, _ in jobs)
    ]


def evaluate_claims(ensembles: ClaimEnsembles) -> list[ClaimResult]:
    """All ten claims on one history mode's ensembles.

    Under ``history: free`` claim 7 compares only what free organisations can match (the
    regime's seats against the rest), since the record's groups are historical
    organisations.
    """
    out = []
    for number, claim in CLAIMS.items():
        if claim is claim_2_little_activism:
            out.append(claim(ensembles.base, ensembles.without_cooptation))
        elif claim is claim_9_guarantor:
            out.append(claim(ensembles.base, ensembles.without_guarantor))
        elif claim is claim_7_election_1994:
            out.append(claim(ensembles.base, named=ensembles.history == "pinned"))
        else:
            out.append(claim(ensembles.base))
        assert out[-1].number == number
    return out


#: The in-sample facts of the Kazakhstan scenario's ``targets``, as named metrics for
#: ``polsim calibrate`` (each reads the run's own tables).
FACT_METRICS = (
    "supreme_soviet_1990_communist_seats",
    "supreme_soviet_1990_turnout_pct",
    "presidential_1991_incumbent_pct",
    "presidential_1991_turnout_pct",
    "supreme_kenges_1994_turnout_pct",
    "supreme_kenges_1994_kazakh_deputies_share",
    "seats_1994_SNEK",
    "seats_1994_independents",
)


def _fact_metric(name: str) -> Callable[[object], float]:
    def metric(run: object) -> float:
        tables = run.tables  # type: ignore[attr-defined]
        frames = {k: v.to_pandas() for k, v in tables.items()}
        facts = in_sample_facts(
            RunTables(
                frames["series"], frames["events"], frames.get("results"), frames["organisations"]
            )
        )
        return float(facts.get(name, float("nan")))

    metric.__doc__ = f"The run's {name.replace('_', ' ')} (an in-sample fact)."
    return metric


for _name in FACT_METRICS:
    register_metric(_name)(_fact_metric(_name))
