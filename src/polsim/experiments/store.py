"""The experiment folder: design, DuckDB catalogue and each run's Parquet parts.

::

    experiments/<name>/
      experiment.json        the design (scenario hash, parameters, ranges, design, seeds)
      scenario.json          the base scenario, as validated
      catalog.duckdb         tables experiments, runs, metrics
      parts/<run_id>/        series.parquet, events.parquet, ..., manifest.json, _COMPLETE.json
      results.parquet        one row per run: parameters, seed, status and metrics

Three rules make it safe to kill at any moment:

1. A worker writes a part into a hidden ``parts/.<run_id>.tmp-*`` folder, writes the
   completion marker ``_COMPLETE.json`` last, and renames the folder into place. A part
   folder is therefore complete exactly when its marker is there.
2. Only the coordinating process writes the catalogue (DuckDB has one writer); workers
   return small records. The marker holds the run's metrics too, so a catalogue that
   missed the last records before a crash is brought up to date from the disk.
3. On every start the folder is reconciled: hidden temporary folders and part folders
   without a marker are removed, and every run is done exactly when its part is complete.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from polsim._version import __version__
from polsim.errors import OutputError, UserInputError
from polsim.output.paths import check_output_path, entries_text, shown_path

__all__ = [
    "MARKER",
    "Catalog",
    "ExperimentFolder",
    "RunSpec",
    "check_own_folder",
    "read_marker",
    "write_json_atomic",
]

#: The completion marker of a part folder, written last.
MARKER = "_COMPLETE.json"


@dataclass(frozen=True)
class RunSpec:
    """One run of an experiment: its id, design point, replication, parameters and seed."""

    run_id: str
    point: int
    replication: int
    params: dict[str, float]
    entropy: int
    spawn_key: tuple[int, ...]


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to ``path`` through a temporary file and a rename (never half a file)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as stream:
            json.dump(data, stream, indent=2, sort_keys=True)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; results are for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_own_folder(path: Path, names: Iterable[str], what: str) -> None:
    """Fail, touching nothing, unless ``path`` can hold ``what`` (a folder polsim made).

    The path must be writable, and an existing folder may hold only ``names`` (what
    polsim writes there) and hidden temporary files: polsim never writes into, or
    deletes from, a folder of the user's.
    """
    check_output_path(path, "--out", kind="folder")
    if not path.is_dir():
        return
    ours = set(names)
    others = sorted(e.name for e in path.iterdir() if e.name not in ours and e.name[0] != ".")
    if others:
        raise OutputError(
            f"--out {shown_path(path)}: holds what is not part of a polsim {what}, "
            f"{entries_text(others)}; polsim never writes into such a folder: choose another --out"
        )


def read_marker(part: Path) -> dict[str, Any] | None:
    """The completion record of a part folder, or None if the part is not complete."""
    try:
        record = json.loads((part / MARKER).read_text())
    except (OSError, ValueError):
        return None
    for name, size in record.get("files", {}).items():
        try:
            if (part / name).stat().st_size != size:
                return None
        except OSError:
            return None
    return record


class ExperimentFolder:
    """An experiment's folder on disk: its design file, parts and catalogue path."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).absolute()
        self.design_file = self.path / "experiment.json"
        self.scenario_file = self.path / "scenario.json"
        self.catalog_file = self.path / "catalog.duckdb"
        self.parts = self.path / "parts"

    def exists(self) -> bool:
        """True if an experiment was already started here."""
        return self.design_file.is_file()

    def read_design(self) -> dict[str, Any]:
        """The stored ``experiment.json``."""
        try:
            return json.loads(self.design_file.read_text())
        except (OSError, ValueError) as error:
            raise OutputError(f"{self.design_file}: cannot be read ({error})") from None

    def check(self, design: dict[str, Any]) -> None:
        """Fail, touching nothing, if the folder cannot hold this experiment.

        An existing experiment must have the same design; any other non-empty folder is
        refused (polsim never writes into, or deletes from, a folder it did not make).
        """
        check_output_path(self.path, "--out", kind="folder")
        if self.exists():
            stored = self.read_design().get("design", {})
            if stored != design:
                key = next(
                    (
                        k
                        for k in sorted(set(stored) | set(design))
                        if stored.get(k) != design.get(k)
                    ),
                    "?",
                )
                was, now = stored.get(key), design.get(key)
                if key == "parameters":  # show them as the user typed them
                    was, now = _param_text(was), _param_text(now)
                raise UserInputError(
                    f"{self.path}: holds an experiment with a different design ({key}: stored "
                    f"{_short(was)}, asked {_short(now)}); use another --out, or the same "
                    "options to resume it"
                )
        elif self.path.is_dir() and (entries := sorted(e.name for e in self.path.iterdir())):
            raise OutputError(
                f"--out {shown_path(self.path)}: is a folder of {entries_text(entries)} that "
                "is not a polsim experiment (no experiment.json); polsim never writes into "
                "it: choose another --out"
            )

    def create(self, kind: str, design: dict[str, Any], scenario: dict[str, Any]) -> None:
        """Write ``experiment.json`` and ``scenario.json`` if the folder is new."""
        self.parts.mkdir(parents=True, exist_ok=True)
        if self.exists():
            return
        write_json_atomic(self.scenario_file, scenario)
        write_json_atomic(
            self.design_file,
            {
                "kind": kind,
                "design": design,
                "polsim_version": __version__,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )

    def part(self, run_id: str) -> Path:
        """The part folder of one run."""
        return self.parts / run_id

    def clean_staging(self) -> None:
        """Remove staging folders left by workers that died before renaming them."""
        if self.parts.is_dir():
            for entry in self.parts.iterdir():
                if entry.name.startswith("."):
                    shutil.rmtree(entry, ignore_errors=True)

    def complete_parts(self, run_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The completion record of each complete part among ``run_ids``.

        A part folder without a valid marker (its worker died mid-write) is removed.
        """
        complete: dict[str, dict[str, Any]] = {}
        for run_id in run_ids:
            part = self.part(run_id)
            if not part.is_dir():
                continue
            record = read_marker(part)
            if record is None:
                shutil.rmtree(part, ignore_errors=True)
            else:
                complete[run_id] = record
        return complete


def _param_text(parameters: Any) -> str:
    texts = []
    for p in parameters or []:
        levels = "" if p.get("levels") is None else f":{p['levels']}"
        texts.append(f"{p['name']}={p['low']:g}:{p['high']:g}{levels}")
    return " ".join(texts) or "none"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."


_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS experiments (
        name VARCHAR, kind VARCHAR, created_at TIMESTAMPTZ, scenario VARCHAR,
        scenario_hash VARCHAR, polsim_version VARCHAR, design JSON, runs INTEGER)""",
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR, point INTEGER, replication INTEGER, params JSON,
        seed_entropy VARCHAR, spawn_key VARCHAR, status VARCHAR, attempts INTEGER,
        started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, worker VARCHAR, error VARCHAR,
        part VARCHAR)""",
    "CREATE TABLE IF NOT EXISTS metrics (run_id VARCHAR, metric VARCHAR, value DOUBLE)",
]


_METRIC_SCHEMA = pa.schema(
    [("run_id", pa.string()), ("metric", pa.string()), ("value", pa.float64())]
)


class Catalog:
    """The DuckDB catalogue of one experiment; opened by the coordinating process only.

    Tables: ``experiments`` (one row), ``runs`` (one row per run, with the parameters as
    JSON and as one DOUBLE column each, named by their dotted path) and ``metrics``
    (run_id, metric, value).
    """

    def __init__(self, folder: ExperimentFolder, parameters: Sequence[str] = ()) -> None:
        self.folder = folder
        try:
            self.db = duckdb.connect(str(folder.catalog_file))
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise OutputError(
                    f"{folder.path}: another polsim process is running this experiment"
                ) from None
            raise OutputError(f"{folder.catalog_file}: cannot be opened ({error})") from None
        for statement in _SCHEMA:
            self.db.execute(statement)
        existing = {row[0] for row in self.db.execute("DESCRIBE runs").fetchall()}
        for name in parameters:
            if name not in existing:
                self.db.execute(f"ALTER TABLE runs ADD COLUMN {_quote(name)} DOUBLE")
        self.parameters = list(parameters)

    def close(self) -> None:
        """Checkpoint and close the database."""
        try:
            self.db.execute("CHECKPOINT")
        finally:
            self.db.close()

    def record_experiment(self, name: str, kind: str, design: dict[str, Any], runs: int) -> None:
        """Write the experiments row (once)."""
        if self.db.execute("SELECT count(*) FROM experiments").fetchall()[0][0]:
            return
        self.db.execute(
            "INSERT INTO experiments VALUES (?, ?, now(), ?, ?, ?, ?, ?)",
            [
                name,
                kind,
                design.get("scenario"),
                design.get("scenario_hash"),
                __version__,
                json.dumps(design),
                runs,
            ],
        )

    def register(self, specs: Iterable[RunSpec]) -> None:
        """Add runs the catalogue does not know yet, as pending."""
        rows = [
            {
                "run_id": s.run_id,
                "point": s.point,
                "replication": s.replication,
                "params": json.dumps(s.params, sort_keys=True),
                "seed_entropy": str(s.entropy),
                "spawn_key": json.dumps(list(s.spawn_key)),
                **{name: float(s.params[name]) for name in self.parameters},
            }
            for s in specs
        ]
        if not rows:
            return
        names = ", ".join(_quote(n) for n in self.parameters)
        extra = f", {names}" if names else ""
        with self._view("batch", pa.Table.from_pylist(rows)):
            self.db.execute(
                f"""INSERT INTO runs (run_id, point, replication, params, seed_entropy, spawn_key,
                status, attempts, part{extra})
                SELECT run_id, point, replication, params, seed_entropy, spawn_key, 'pending',
                    0, NULL{extra}
                FROM batch WHERE run_id NOT IN (SELECT run_id FROM runs)"""
            )

    def reconcile(self, run_ids: Sequence[str], complete: dict[str, dict[str, Any]]) -> None:
        """Among ``run_ids``, make ``done`` mean exactly "its part is complete on disk"."""
        known_done = self.done_ids()
        stale = [run_id for run_id in run_ids if run_id in known_done and run_id not in complete]
        if stale:  # a part was removed by hand, or never finished: run it again
            with self._view("ids", pa.table({"run_id": stale})):
                self.db.execute(
                    "UPDATE runs SET status = 'pending' WHERE run_id IN (SELECT run_id FROM ids)"
                )
        missed = [
            {
                "run_id": run_id,
                "status": "done",
                "started_at": record.get("started_at"),
                "finished_at": record.get("finished_at"),
                "worker": record.get("worker"),
                "metrics": record.get("metrics", {}),
                "part": f"parts/{run_id}",
            }
            for run_id, record in complete.items()
            if run_id not in known_done
        ]
        for start in range(0, len(missed), 1000):
            self.record_results(missed[start : start + 1000])

    def mark_running(self, run_ids: Sequence[str]) -> None:
        """Mark runs as submitted to a worker."""
        if not run_ids:
            return
        with self._view("ids", pa.table({"run_id": list(run_ids)})):
            self.db.execute(
                """UPDATE runs SET status = 'running', attempts = attempts + 1,
                started_at = now() WHERE run_id IN (SELECT run_id FROM ids)"""
            )

    def record_results(self, records: Sequence[dict[str, Any]]) -> None:
        """Store workers' records (status, times, error, metrics) in one transaction."""
        if not records:
            return
        rows = pa.Table.from_pylist(
            [
                {
                    "run_id": r["run_id"],
                    "status": r["status"],
                    "started_at": r.get("started_at"),
                    "finished_at": r.get("finished_at"),
                    "worker": r.get("worker"),
                    "error": r.get("error"),
                    "part": r.get("part"),
                }
                for r in records
            ],
            schema=pa.schema(
                [
                    ("run_id", pa.string()),
                    ("status", pa.string()),
                    ("started_at", pa.string()),
                    ("finished_at", pa.string()),
                    ("worker", pa.string()),
                    ("error", pa.string()),
                    ("part", pa.string()),
                ]
            ),
        )
        values = pa.Table.from_pylist(
            [
                {"run_id": r["run_id"], "metric": name, "value": float(value)}
                for r in records
                for name, value in r.get("metrics", {}).items()
            ],
            schema=_METRIC_SCHEMA,
        )
        self.db.execute("BEGIN TRANSACTION")
        try:
            self.db.register("batch_runs", rows)
            self.db.register("batch_metrics", values)
            self.db.execute(
                """UPDATE runs SET status = b.status,
                    started_at = coalesce(CAST(b.started_at AS TIMESTAMPTZ), runs.started_at),
                    finished_at = CAST(b.finished_at AS TIMESTAMPTZ), worker = b.worker,
                    error = b.error, part = b.part
                FROM batch_runs b WHERE runs.run_id = b.run_id"""
            )
            self.db.execute(
                """DELETE FROM metrics WHERE (run_id, metric) IN
                (SELECT run_id, metric FROM batch_metrics)"""
            )
            self.db.execute("INSERT INTO metrics SELECT run_id, metric, value FROM batch_metrics")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        finally:
            self.db.unregister("batch_runs")
            self.db.unregister("batch_metrics")

    def add_metrics(self, run_id: str, values: dict[str, float]) -> None:
        """Store (or replace) metric values of one run, leaving the run's row alone."""
        table = pa.table(
            {
                "run_id": [run_id] * len(values),
                "metric": list(values),
                "value": [float(v) for v in values.values()],
            },
            schema=_METRIC_SCHEMA,
        )
        with self._view("batch_metrics", table):
            self.db.execute(
                """DELETE FROM metrics WHERE (run_id, metric) IN
                (SELECT run_id, metric FROM batch_metrics)"""
            )
            self.db.execute("INSERT INTO metrics SELECT run_id, metric, value FROM batch_metrics")

    def status_counts(self) -> dict[str, int]:
        """How many runs are in each status."""
        rows = self.db.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall()
        return {status: int(count) for status, count in rows}

    def done_ids(self) -> set[str]:
        """Ids of every run marked done."""
        rows = self.db.execute("SELECT run_id FROM runs WHERE status = 'done'").fetchall()
        return {row[0] for row in rows}

    def missing_metrics(self, metrics: Sequence[str]) -> list[tuple[str, str]]:
        """(run_id, metric) pairs of done runs that lack a requested metric."""
        if not metrics:
            return []
        with self._view("wanted", pa.table({"metric": list(metrics)})):
            return self.db.execute(
                """SELECT r.run_id, w.metric FROM runs r CROSS JOIN wanted w
                WHERE r.status = 'done' AND NOT EXISTS (
                    SELECT 1 FROM metrics m WHERE m.run_id = r.run_id AND m.metric = w.metric)
                ORDER BY r.run_id"""
            ).fetchall()

    def metric_table(
        self, metrics: Sequence[str], run_ids: Sequence[str] | None = None
    ) -> pa.Table:
        """Done runs as rows (run_id, point, replication, parameters), metrics as columns."""
        params = "".join(f", r.{_quote(n)}" for n in self.parameters)
        pivots = "".join(
            f", max(CASE WHEN m.metric = ? THEN m.value END) AS {_quote(name)}" for name in metrics
        )
        where = "r.status = 'done'"
        if run_ids is not None:
            where += " AND r.run_id IN (SELECT run_id FROM ids)"
        query = f"""SELECT r.run_id, r.point, r.replication, r.seed_entropy, r.spawn_key{params}
            {pivots}
            FROM runs r LEFT JOIN metrics m ON m.run_id = r.run_id
            WHERE {where}
            GROUP BY ALL ORDER BY r.point, r.replication, r.run_id"""
        with self._view("ids", pa.table({"run_id": list(run_ids or [])})):
            return self.db.sql(query, params=list(metrics)).to_arrow_table()

    @contextmanager
    def _view(self, name: str, table: pa.Table) -> Iterator[None]:
        self.db.register(name, table)
        try:
            yield
        finally:
            self.db.unregister(name)

    def export_results(self, path: Path) -> None:
        """Write ``results.parquet``: every run with its parameters, seed, status, metrics.

        Metrics become columns named by their spec; written through a temporary file.
        """
        names = [
            r[0]
            for r in self.db.execute("SELECT DISTINCT metric FROM metrics ORDER BY 1").fetchall()
        ]
        params = "".join(f", r.{_quote(n)}" for n in self.parameters)
        pivots = "".join(
            f", max(CASE WHEN m.metric = {_literal(n)} THEN m.value END) AS {_quote(n)}"
            for n in names
        )
        temporary = path.parent / f".{path.name}.tmp-{os.getpid()}"
        self.db.execute(
            f"""COPY (SELECT r.run_id, r.point, r.replication, r.seed_entropy, r.spawn_key,
                r.status, r.error{params}{pivots}
                FROM runs r LEFT JOIN metrics m ON m.run_id = r.run_id
                GROUP BY ALL ORDER BY r.point, r.replication, r.run_id)
            TO '{temporary}' (FORMAT parquet)"""
        )
        os.replace(temporary, path)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_part_tables(part: Path) -> dict[str, pa.Table]:
    """Every Parquet table of a part folder, by name."""
    return {p.stem: pq.read_table(p) for p in sorted(part.glob("*.parquet"))}
