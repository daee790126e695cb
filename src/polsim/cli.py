"""The ``polsim`` command: a thin layer over :mod:`polsim.api`.

Every mistake a user can make (a bad scenario, flag or path) ends in one line on
standard error naming the problem, and exit status 2; never a traceback.
"""

from __future__ import annotations

import inspect
import json
import math
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

try:  # typer >= 0.26 carries its own copy of click
    from typer._click import exceptions as cli_errors
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as cli_errors

from polsim.api import parse_voter_count, simulate
from polsim.engine.limits import (
    MAX_GENERATIONS,
    MAX_PARTICLES,
    MAX_POINTS,
    MAX_RUNS,
    MAX_SEATS,
    MAX_SEED,
    MAX_THREADS,
    MAX_VOTERS,
    MAX_WORKERS,
    is_host,
    parse_dask_address,
)
from polsim.engine.threads import parse_threads, run_threads
from polsim.errors import PolsimError, UserInputError
from polsim.output.rundir import check_run_dir, default_run_dir
from polsim.scenario.loader import builtin_scenarios, load_scenario
from polsim.scenario.schema import Scenario

__all__ = ["app", "main"]

app = typer.Typer(
    name="polsim",
    help="Simulate a political system: voters, organisations, the state and elections.",
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
console = Console(stderr=True)
out = Console()


# --------------------------------------------------------------------------- bounds
# Each option declares its bounds here once; click checks them before any work.


def _check_voters(value: str | None) -> str | None:
    if value is not None:
        parse_voter_count(value)  # the cap, and the memory this machine has
    return value


def _check_dask(value: str | None) -> str | None:
    parse_dask_address(value)
    return value


def _check_host(value: str) -> str:
    if not is_host(value):
        raise typer.BadParameter(f"expected an IP address or a host name; got {value!r}")
    return value


def _whole(low: int, high: int) -> Callable[[str], int]:
    """A parser of a whole number in ``[low, high]``; the message names the value."""

    def parse(text: str) -> int:
        try:
            value = int(str(text).strip()) if len(str(text)) <= 30 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            shown = text if len(str(text)) <= 30 else f"{str(text)[:30]}…"
            raise typer.BadParameter(
                f"must be a whole number from {low:,} to {high:,}; got {shown!r}"
            )
        return value

    return parse


def _share(low_open: bool) -> Callable[[str], float]:
    """A parser of a share in [0, 1) (or (0, 1) when ``low_open``), NaN refused."""
    rule = "(0, 1)" if low_open else "[0, 1)"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except (TypeError, ValueError):
            value = math.nan
        if not (0 < value < 1 if low_open else 0 <= value < 1):
            raise typer.BadParameter(f"must be a number in {rule}; got {text!r}")
        return value

    return parse


SeedOpt = Annotated[
    int,
    typer.Option(
        parser=_whole(0, MAX_SEED), help="Master seed; run r uses SeedSequence(seed).spawn."
    ),
]
VotersOpt = Annotated[
    str | None,
    typer.Option(
        callback=_check_voters, help="Synthetic voters per run, e.g. 2000 (at most 100m)."
    ),
]


@app.command("run")
def run_command(
    scenario: Annotated[
        str, typer.Argument(help="A built-in scenario name or a YAML file.")
    ] = "kazakhstan-1990s",
    seed: Annotated[
        int,
        typer.Option(parser=_whole(0, MAX_SEED), help="The run's seed (a non-negative integer)."),
    ] = 0,
    voters: Annotated[
        str | None,
        typer.Option(callback=_check_voters, help="Synthetic voters, e.g. 200k or 10m."),
    ] = None,
    until: Annotated[str | None, typer.Option(help="Last month to simulate, YYYY-MM.")] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Run folder (default runs/<scenario>-<seed>-<time>)."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing run folder.")] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    threads: Annotated[
        int | None,
        typer.Option(
            parser=_whole(1, MAX_THREADS),
            help="Threads for the voter passes (default POLSIM_THREADS, else 2); "
            "outputs are the same for any number.",
        ),
    ] = None,
) -> None:
    """Run a scenario and write its run folder."""
    model = load_scenario(scenario)
    n_threads = run_threads() if threads is None else parse_threads(threads, "--threads")
    n_voters = model.default_voters if voters is None else parse_voter_count(voters)
    folder = out_dir or default_run_dir(model.name, seed, datetime.now(UTC))
    check_run_dir(folder, force)  # fail before the work, not after it
    command = "polsim " + " ".join(sys.argv[1:]) if sys.argv[1:] else "polsim run"
    with _progress(quiet) as progress:
        months = _months_to_run(model, until)
        task = progress.add_task(f"{model.name} · {n_voters:,} voters", total=months)
        run = simulate(
            model,
            seed=seed,
            voters=n_voters,
            until=until,
            on_month=lambda month: progress.update(task, advance=1, description=f"{month}"),
            command=command,
            threads=n_threads,
        )
    path = run.save(folder, force=force)
    _print_summary(run.manifest_record, run.series, run.events, path)


@app.command("scenarios")
def scenarios_command() -> None:
    """List the built-in scenarios."""
    table = Table("name", "title", box=None)
    for name, title in builtin_scenarios().items():
        table.add_row(name, title)
    out.print(table)


@app.command("validate")
def validate_command(
    file: Annotated[str, typer.Argument(help="A scenario YAML file (or built-in name).")],
) -> None:
    """Check a scenario file against the schema."""
    model = load_scenario(file)
    out.print(
        f"{file}: valid scenario {model.name!r} ({model.start} to {model.end}, "
        f"{len(model.population.oblasts)} oblasts, {len(model.population.ethnic_groups)} "
        f"ethnic groups, {len(model.organisations)} organisations, "
        f"{len(model.elections)} scheduled elections)"
    )


@app.command("schema")
def schema_command() -> None:
    """Print the scenario JSON Schema (for editors' autocompletion)."""
    sys.stdout.write(json.dumps(Scenario.model_json_schema(), indent=2) + "\n")


@app.command("seats")
def seats_command(
    votes: Annotated[str, typer.Option(help='Votes by party, e.g. "A=1200,B=800,C=150".')],
    seats: Annotated[int, typer.Option(parser=_whole(1, MAX_SEATS), help="Seats to fill.")],
    method: Annotated[
        str, typer.Option(help="dhondt, sainte-lague, modified-sainte-lague, hare or droop.")
    ] = "dhondt",
    threshold: Annotated[
        float,
        typer.Option(
            parser=_share(False), help="Legal threshold as a share of the vote, e.g. 0.05."
        ),
    ] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Allocate seats from votes with a seat formula (a calculator)."""
    from polsim.elections.calculator import render_seat_calculation

    result = render_seat_calculation(votes, seats, method, threshold, as_json=as_json)
    if isinstance(result, str):
        sys.stdout.write(result + "\n")
    else:
        out.print(result)


# --------------------------------------------------------------------------- experiments
# Thin wrappers over polsim.experiments (imported lazily: the CLI starts fast).

ScenarioArg = Annotated[str, typer.Argument(help="A built-in scenario name or a YAML file.")]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option("--param", help="NAME=LO:HI[:K], a dotted scenario path and its range."),
]
MetricOpt = Annotated[
    list[str] | None,
    typer.Option("--metric", help="Extra metric to store, e.g. mean:active_share."),
]
UntilOpt = Annotated[str | None, typer.Option(help="Last month to simulate, YYYY-MM.")]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="Experiment folder (default experiments/<name>).")
]
DaskOpt = Annotated[
    str | None,
    typer.Option(
        "--dask", callback=_check_dask, help="'local' (a LocalCluster) or tcp://HOST:PORT."
    ),
]
WorkersOpt = Annotated[
    int | None,
    typer.Option(parser=_whole(1, MAX_WORKERS), help="Worker processes (default: all cores)."),
]
RunsOpt = Annotated[
    int, typer.Option(parser=_whole(1, MAX_RUNS), help="Replications (one seed each).")
]
SamplesOpt = Annotated[
    int | None,
    typer.Option(
        parser=_whole(1, MAX_POINTS), help="LHS points, Sobol' base N, or Morris trajectories."
    ),
]
QuietOpt = Annotated[bool, typer.Option(help="No progress bar.")]


@dataclass(frozen=True)
class ExperimentFlags:
    """The options every experiment command shares, declared once (see experiment_command)."""

    seed: int
    voters: str | None
    until: str | None
    out_dir: Path | None
    dask: str | None
    workers: int | None
    quiet: bool

    def run(self, description: str, experiment: Callable[..., Any]) -> Any:
        """Call ``experiment`` with these options under a progress bar over its runs."""
        from polsim.experiments.reporting import run_progress

        with run_progress(console, description, self.quiet) as progress:
            return experiment(
                seed=self.seed,
                voters=self.voters,
                until=self.until,
                out=self.out_dir,
                dask=self.dask,
                workers=self.workers,
                on_progress=progress,
            )


_SHARED_OPTIONS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)
    for name, kind, default in (
        ("seed", SeedOpt, 0),
        ("voters", VotersOpt, None),
        ("until", UntilOpt, None),
        ("out_dir", OutOpt, None),
        ("dask", DaskOpt, None),
        ("workers", WorkersOpt, None),
        ("quiet", QuietOpt, False),
    )
]


def experiment_command(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register an experiment command whose first parameter takes the shared options.

    The command is written as ``command(flags: ExperimentFlags, <its own options>)``;
    the registered function takes its own options followed by the shared ones.
    """

    def register(function: Callable[..., None]) -> Callable[..., None]:
        own = list(inspect.signature(function, eval_str=True).parameters.values())[1:]
        shared = [p.name for p in _SHARED_OPTIONS]

        def command(**values: Any) -> None:
            flags = ExperimentFlags(**{key: values.pop(key) for key in shared})
            function(flags, **values)

        command.__name__, command.__doc__ = function.__name__, function.__doc__
        command.__signature__ = inspect.Signature([*own, *_SHARED_OPTIONS])  # type: ignore[attr-defined]
        app.command(name)(command)
        return function

    return register


def _print_experiment(result: Any) -> None:
    from polsim.experiments.reporting import experiment_summary
    from polsim.experiments.runner import raise_if_failed

    out.print(experiment_summary(result))
    out.print(f"Experiment folder: {result.path}")
    raise_if_failed([result.summary])


@experiment_command("ensemble")
def ensemble_command(
    flags: ExperimentFlags,
    scenario: ScenarioArg,
    runs: RunsOpt = 10,
    metric: MetricOpt = None,
) -> None:
    """Run a scenario many times (resumable: re-run the same command to continue)."""
    from polsim.experiments import ensemble

    experiment = partial(ensemble, scenario, runs, metrics=metric or [])
    _print_experiment(flags.run(f"ensemble {scenario}", experiment))


@experiment_command("sweep")
def sweep_command(
    flags: ExperimentFlags,
    scenario: ScenarioArg,
    param: ParamOpt = None,
    design: Annotated[str, typer.Option(help="factorial, lhs, sobol or morris.")] = "factorial",
    samples: SamplesOpt = None,
    runs: RunsOpt = 1,
    metric: MetricOpt = None,
) -> None:
    """Sweep parameters over a design (resumable: re-run the same command to continue)."""
    from polsim.experiments import sweep

    experiment = partial(
        sweep,
        scenario,
        param or [],
        design=design,
        samples=samples,
        runs=runs,
        metrics=metric or [],
    )
    _print_experiment(flags.run(f"{design} sweep {scenario}", experiment))


@experiment_command("sensitivity")
def sensitivity_command(
    flags: ExperimentFlags,
    scenario: ScenarioArg,
    output: Annotated[
        list[str], typer.Option("--output", help="Metric to analyse, e.g. mean:active_share.")
    ],
    param: ParamOpt = None,
    method: Annotated[str, typer.Option(help="sobol or morris.")] = "sobol",
    samples: SamplesOpt = None,
    runs: RunsOpt = 1,
) -> None:
    """Sobol' or Morris sensitivity indices of metrics, with confidence intervals."""
    from polsim.experiments.reporting import experiment_summary, sensitivity_table
    from polsim.experiments.sensitivity import sensitivity

    experiment = partial(
        sensitivity, scenario, param or [], output, method=method, samples=samples, runs=runs
    )
    result = flags.run(f"{method} sensitivity {scenario}", experiment)
    out.print(sensitivity_table(result))
    if result.experiment is not None:
        out.print(experiment_summary(result.experiment))
        out.print(f"Experiment folder: {result.experiment.path} (sensitivity.json, .parquet)")


@experiment_command("calibrate")
def calibrate_command(
    flags: ExperimentFlags,
    scenario: ScenarioArg,
    targets: Annotated[Path, typer.Option(help="YAML/JSON file: metric -> {value, sd}.")],
    param: ParamOpt = None,
    particles: Annotated[
        int, typer.Option(parser=_whole(2, MAX_PARTICLES), help="ABC-SMC population size.")
    ] = 100,
    generations: Annotated[
        int,
        typer.Option(
            parser=_whole(0, MAX_GENERATIONS), help="ABC-SMC generations after the prior."
        ),
    ] = 4,
    quantile: Annotated[
        float, typer.Option(parser=_share(True), help="Tolerance quantile per generation.")
    ] = 0.5,
) -> None:
    """Fit parameters (uniform priors from --param) to targets by ABC-SMC."""
    from polsim.experiments.calibration import calibrate
    from polsim.experiments.reporting import calibration_table

    experiment = partial(
        calibrate,
        scenario,
        param or [],
        targets,
        particles=particles,
        generations=generations,
        quantile=quantile,
    )
    result = flags.run(f"ABC-SMC {scenario}", experiment)
    out.print(calibration_table(result))
    abc = result.abc
    early = " (stopped early: tolerance unreachable)" if abc.stopped_early else ""
    out.print(
        f"ABC-SMC: {abc.simulations} simulations ({result.skipped} already complete), "
        f"{len(abc.epsilons) - 1} generations{early}, final tolerance {abc.epsilons[-1]:.4g}, "
        f"ESS {abc.effective_sample_size:.0f}, on {result.backend}"
    )
    out.print(f"Experiment folder: {result.path} (posterior.parquet, calibration.json)")


@experiment_command("compare")
def compare_command(
    flags: ExperimentFlags,
    a: Annotated[str, typer.Argument(help="Experiment folder (an ensemble) or a scenario.")],
    b: Annotated[str, typer.Argument(help="Experiment folder (an ensemble) or a scenario.")],
    metric: MetricOpt = None,
    runs: RunsOpt = 10,
) -> None:
    """Difference B − A of each metric with a t confidence interval (paired when seeds match)."""
    from polsim.experiments.compare import compare
    from polsim.experiments.reporting import comparison_table

    result = flags.run(f"compare {a} {b}", partial(compare, a, b, metrics=metric or [], runs=runs))
    out.print(comparison_table(result))
    kind = "paired t (same seeds)" if result.paired else "Welch t"
    out.print(f"{kind} intervals at {result.conf_level:.0%}; results in {result.path}")


@app.command("report")
def report_command(
    folders: Annotated[
        list[Path] | None, typer.Argument(help="A run folder (or two with --compare).")
    ] = None,
    ensemble_dir: Annotated[
        Path | None, typer.Option("--ensemble", help="An experiment folder: fan charts.")
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="Compare two run (or experiment) folders A B.")
    ] = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Report file (default: inside the folder).")
    ] = None,
) -> None:
    """Build (or rebuild) the HTML report of a run, an ensemble, or two runs compared."""
    from polsim.output.report import build_comparison_report, build_ensemble_report, build_report

    given = folders or []
    if ensemble_dir is not None:
        if given or compare:
            raise UserInputError("--ensemble takes one experiment folder and no other folders")
        path = build_ensemble_report(ensemble_dir, out_file)
    elif compare:
        if len(given) != 2:
            raise UserInputError(f"--compare needs two folders A B; got {len(given)}")
        path = build_comparison_report(given[0], given[1], out_file)
    else:
        if len(given) != 1:
            raise UserInputError(
                f"report needs one run folder (or --compare A B, or --ensemble DIR); "
                f"got {len(given)}"
            )
        path = build_report(given[0], out_file)
    out.print(f"Report: {path}")


@app.command("serve")
def serve_command(
    runs_dir: Annotated[
        Path, typer.Option("--runs-dir", help="Folder of run folders the dashboard owns.")
    ] = Path("runs"),
    host: Annotated[
        str, typer.Option(callback=_check_host, help="Address to bind (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(parser=_whole(1, 65535), help="Port to listen on.")] = 8000,
    max_voters: Annotated[
        int, typer.Option(parser=_whole(1, MAX_VOTERS), help="Largest run a user may ask for.")
    ] = 200_000,
    workers: Annotated[int, typer.Option(help="Runs executed at once (processes).")] = 1,
) -> None:
    """Serve the dashboard: pick a scenario, run it, browse and compare runs."""
    from polsim.web import serve

    _check_listen(host, port)
    try:
        serve(runs_dir, host=host, port=port, max_voters=max_voters, workers=workers)
    except SystemExit as stop:  # the server could not start (it has logged why)
        if stop.code not in (0, None):
            raise UserInputError(
                f"--host {host} --port {port}: the server could not start"
            ) from None


def _check_listen(host: str, port: int) -> None:
    """Fail with one line, before the server starts, if it could not listen there."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (OSError, UnicodeError) as error:
        raise UserInputError(f"--host {host!r}: cannot resolve it ({error})") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind(address)
        except OSError as error:
            reason = error.strerror or str(error)
            raise UserInputError(
                f"--host {host} --port {port}: cannot listen there ({reason})"
            ) from None


@app.command("claims")
def claims_command(
    scenario: Annotated[str, typer.Argument(help="A built-in scenario or a YAML file.")] = (
        "kazakhstan-1990s"
    ),
    runs: Annotated[int, typer.Option(parser=_whole(2, MAX_RUNS), help="Seeds per ensemble.")] = 10,
    voters: Annotated[
        str, typer.Option(callback=_check_voters, help="Synthetic voters per run.")
    ] = "10k",
    until: Annotated[str, typer.Option(help="Last month, YYYY-MM.")] = "1996-12",
    history: Annotated[str, typer.Option(help="pinned, free or both.")] = "both",
    workers: Annotated[
        int | None, typer.Option(parser=_whole(1, MAX_WORKERS), help="Worker processes.")
    ] = None,
    seed: Annotated[
        int, typer.Option(parser=_whole(0, MAX_SEED), help="Master seed of the ensembles.")
    ] = 0,
) -> None:
    """Measure the seed's ten claims and the in-sample facts on small ensembles."""
    import numpy as np

    from polsim.experiments.claims import evaluate_claims, run_claim_ensembles
    from polsim.measures.seed_claims import RECORD_1994_SEATS, in_sample_facts

    modes = {"both": ("pinned", "free"), "pinned": ("pinned",), "free": ("free",)}
    if history not in modes:
        raise UserInputError(f"--history must be pinned, free or both; got {history!r}")
    model = load_scenario(scenario)
    n_voters = parse_voter_count(voters)
    _months_to_run(model, until)  # a bad --until fails here, not in every worker
    with _progress(False) as progress:
        total = runs * 3 * len(modes[history])
        task = progress.add_task("claims", total=total)
        ensembles = run_claim_ensembles(
            model,
            runs,
            n_voters,
            until,
            modes[history],
            workers,
            seed,
            on_run=lambda: progress.update(task, advance=1),
        )
    for ensemble in ensembles:
        table = Table("claim", "measure", "value", "holds", title=f"history: {ensemble.history}")
        for c in evaluate_claims(ensemble):
            table.add_row(f"{c.number}. {c.claim}", c.measure, c.value, "yes" if c.holds else "NO")
        out.print(table)
        facts = [in_sample_facts(r) for r in ensemble.base]
        record = {k: f.value for k, f in model.targets.items()}
        record |= {f"seats_1994_{k.replace(' ', '_')}": v for k, v in RECORD_1994_SEATS.items()}
        table = Table("in-sample fact", "simulated mean ± sd", "record", box=None)
        for key in sorted(set().union(*facts)):
            values = np.array([f.get(key, np.nan) for f in facts], float)
            shown = f"{np.nanmean(values):.3f} ± {np.nanstd(values):.3f}"
            table.add_row(key, shown, str(record.get(key, "")))
        out.print(table)


def _months_to_run(model: Scenario, until: str | None) -> int:
    from polsim.api import _parse_until

    last = model.end if until is None else _parse_until(until, model)
    return last - model.start + 1


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("months"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=True,
    )


def _print_summary(manifest: dict, series, events, path: Path) -> None:
    from polsim.output.timeline import key_events

    timeline = key_events(events)
    if timeline:
        out.print("[bold]Timeline[/bold]")
        for line in timeline:
            out.print(f"  {line}", markup=False, highlight=False)
    peak = series["active_share"].max() if len(series) else 0.0
    out.print(
        f"[bold]{manifest['scenario']}[/bold] seed {manifest['seed']}: "
        f"{manifest['months']} months ({manifest['start']} to {manifest['until']}), "
        f"{manifest['voters']:,} voters, {manifest['events']} events; "
        f"peak active share {peak:.1%}."
    )
    out.print(f"Run folder: {path}")
    if (path / "report.html").is_file():
        out.print(f"Report: {path / 'report.html'}")


def _print_error(message: str) -> None:
    """One line on stderr, however many lines the message had."""
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    console.print(f"polsim: error: {line}", markup=False, highlight=False, soft_wrap=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning user mistakes into one line and status 2."""
    try:
        app(args=argv, standalone_mode=False)
    except PolsimError as error:
        _print_error(str(error))
        return 2
    except cli_errors.UsageError as error:
        _print_error(error.format_message())
        return 2
    except typer.Abort:
        console.print("polsim: aborted", markup=False)
        return 130
    except typer.Exit as stop:
        return stop.exit_code
    except KeyboardInterrupt:
        console.print("polsim: interrupted; no run folder was written", markup=False)
        return 130
    return 0


def entry_point() -> None:
    """The console script."""
    sys.exit(main())
