"""The ``polsim`` command: a thin layer over :mod:`polsim.api`.

Every mistake a user can make (a bad scenario, flag or path) ends in one line on
standard error naming the problem, and exit status 2; never a traceback.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

try:  # typer >= 0.26 carries its own copy of click
    from typer._click import exceptions as cli_errors
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as cli_errors

from polsim.api import parse_voter_count, simulate
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


@app.command("run")
def run_command(
    scenario: Annotated[
        str, typer.Argument(help="A built-in scenario name or a YAML file.")
    ] = "kazakhstan-1990s",
    seed: Annotated[int, typer.Option(help="The run's seed (a non-negative integer).")] = 0,
    voters: Annotated[str | None, typer.Option(help="Synthetic voters, e.g. 200k or 10m.")] = None,
    until: Annotated[str | None, typer.Option(help="Last month to simulate, YYYY-MM.")] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Run folder (default runs/<scenario>-<seed>-<time>)."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing run folder.")] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Run a scenario and write its run folder."""
    model = load_scenario(scenario)
    if seed < 0:
        raise UserInputError(f"--seed must be a non-negative integer; got {seed}")
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
        )
    path = run.save(folder, force=force)
    _print_summary(run.manifest_record, run.series, path)


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
    seats: Annotated[int, typer.Option(help="Seats to fill.")],
    method: Annotated[
        str, typer.Option(help="dhondt, sainte-lague, modified-sainte-lague, hare or droop.")
    ] = "dhondt",
    threshold: Annotated[
        float, typer.Option(help="Legal threshold as a share of the vote, e.g. 0.05.")
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


def _print_summary(manifest: dict, series, path: Path) -> None:
    peak = series["active_share"].max() if len(series) else 0.0
    out.print(
        f"[bold]{manifest['scenario']}[/bold] seed {manifest['seed']}: "
        f"{manifest['months']} months ({manifest['start']} to {manifest['until']}), "
        f"{manifest['voters']:,} voters, {manifest['events']} events; "
        f"peak active share {peak:.1%}."
    )
    out.print(f"Run folder: {path}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning user mistakes into one line and status 2."""
    try:
        app(args=argv, standalone_mode=False)
    except PolsimError as error:
        console.print(f"polsim: error: {error}", markup=False, highlight=False, soft_wrap=True)
        return 2
    except cli_errors.UsageError as error:
        console.print(
            f"polsim: error: {error.format_message()}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
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
