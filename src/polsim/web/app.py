"""The dashboard's web application (FastAPI, server-rendered Jinja2 pages).

Routes:

=======================  ==========================================================
``GET /``                the run form: a built-in scenario or an uploaded YAML file,
                         seed, voters, last month, runs, the main parameters
``POST /runs``           validate the form on the server; queue the runs; redirect
``POST /validate``       validate an uploaded scenario file only
``GET /batches/{id}``    live progress of the runs of one request
``GET /api/batches/{id}``  that progress as JSON (polled by the page)
``GET /api/jobs/{id}``   one run's progress as JSON
``GET /runs``            past runs from the catalogue; pick two to compare
``GET /api/runs``        the catalogue as JSON
``GET /runs/{id}/report``  a run's report, by run id only
``GET /compare?a=&b=``   the comparison report of two runs
``GET /healthz``         liveness
=======================  ==========================================================

Reports are served by run id only: an id must match ``[A-Za-z0-9][A-Za-z0-9._-]*``, be
a folder directly inside the runs folder (checked on the resolved path) and hold a
manifest; the report itself must resolve to a regular file inside the runs folder
(a symlink out of it is "not found"), so no path outside the runs folder can be read.
Every response carries the headers of :mod:`polsim.web.security`.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from polsim._version import __version__
from polsim.errors import PolsimError
from polsim.output.catalogue import index_runs, list_runs
from polsim.output.report import REPORT_FILE, build_comparison_report, build_report
from polsim.scenario.loader import builtin_scenarios
from polsim.web.forms import MAIN_PARAMETERS, Limits, parse_run_form, read_upload, run_specs
from polsim.web.jobs import Job, JobQueue
from polsim.web.security import REPORT_POLICY, SecurityHeaders, served_file

__all__ = ["Settings", "create_app"]

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Settings:
    """How the dashboard is set up: its runs folder, caps and worker processes."""

    runs_root: Path
    limits: Limits = field(default_factory=Limits)
    workers: int = 1
    max_pending: int = 8
    max_pending_per_client: int = 3


class _Catalogue:
    """The DuckDB catalogue of the runs folder, written and read only under a lock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._rows: list[dict[str, Any]] = []
        self.refresh()

    def refresh(self) -> None:
        with self._lock:
            index_runs(self.root)
            self._rows = list_runs(self.root)

    def rows(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._rows)


def create_app(settings: Settings) -> FastAPI:
    """The dashboard application for one runs folder."""
    d = _Dashboard(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        d.jobs = JobQueue(
            d.root,
            workers=settings.workers,
            max_pending=settings.max_pending,
            max_pending_per_client=settings.max_pending_per_client,
            on_finished=d.finished,
        )
        try:
            yield
        finally:
            d.jobs.shutdown()

    app = FastAPI(title="polsim dashboard", version=__version__, lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    _form_routes(app, d)
    _progress_routes(app, d)
    _run_routes(app, d)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)  # none: and no 404 in the browser's console

    @app.get("/healthz")
    def health() -> JSONResponse:
        return JSONResponse({"ok": True, "pending": d.jobs.pending()})

    return app


class _Dashboard:
    """What the routes share: the runs folder, its catalogue, the templates and the jobs."""

    jobs: JobQueue

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.runs_root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.templates = Jinja2Templates(directory=str(_TEMPLATES))
        self.catalogue = _Catalogue(self.root)
        self.scenarios = builtin_scenarios()  # read once: the built-ins do not change
        self.report_lock = threading.Lock()

    def finished(self, job: Job) -> None:
        """A finished run joins the catalogue."""
        if job.state == "done":
            self.catalogue.refresh()

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A template rendered with the version."""
        context.setdefault("version", __version__)
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def form_page(self, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        """The run form, with a message or an error."""
        return self.page(
            request,
            "index.html",
            status,
            scenarios=self.scenarios,
            parameters={p: (p.replace(".", "_"), label) for p, label in MAIN_PARAMETERS.items()},
            limits=self.settings.limits,
            values=context.pop("values", {}),
            **context,
        )

    def run_folder(self, run_id: str) -> Path:
        """The folder of a run id, directly inside the runs folder; else a 404."""
        if not _RUN_ID.match(run_id):
            raise HTTPException(404, "no such run")
        folder = (self.root / run_id).resolve()
        if folder.parent != self.root or not (folder / "manifest.json").is_file():
            raise HTTPException(404, "no such run")
        return folder

    def too_large(self, request: Request) -> bool:
        """A body bigger than an upload's cap plus room for the fields is refused unread."""
        try:
            size = int(request.headers.get("content-length", "0"))
        except ValueError:
            return True
        return size > self.settings.limits.max_upload_bytes + 64 * 1024


def _form_routes(app: FastAPI, d: _Dashboard) -> None:
    """The run form: show it, check an upload, start runs."""

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        return d.form_page(request)

    @app.post("/validate", response_class=HTMLResponse)
    async def validate(request: Request) -> HTMLResponse:
        if d.too_large(request):
            return d.form_page(request, 413, error="upload: the request is too large")
        form = await request.form(max_files=1, max_fields=20)
        upload = form.get("upload")
        if upload is None or isinstance(upload, str) or not upload.filename:
            return d.form_page(request, 422, error="upload: choose a YAML scenario file")
        content = await upload.read(d.settings.limits.max_upload_bytes + 1)
        try:
            scenario = read_upload(content, upload.filename, d.settings.limits)
        except PolsimError as error:
            return d.form_page(request, 422, error=str(error))
        return d.form_page(
            request,
            message=f"{upload.filename}: valid scenario {scenario.name!r} "
            f"({scenario.start} to {scenario.end})",
        )

    @app.post("/runs")
    async def start_runs(request: Request) -> Response:
        if d.too_large(request):
            return d.form_page(request, 413, error="upload: the request is too large")
        form = await request.form(max_files=1, max_fields=20)
        raw = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get("upload")
        client = request.client.host if request.client else "?"
        try:
            fields = parse_run_form(raw, d.settings.limits)
            scenario = None
            origin = None
            if upload is not None and not isinstance(upload, str) and upload.filename:
                content = await upload.read(d.settings.limits.max_upload_bytes + 1)
                scenario = read_upload(content, upload.filename, d.settings.limits)
                origin = f"upload {upload.filename}"
            specs, batch = run_specs(fields, scenario, origin)
            jobs = d.jobs
            refusal = jobs.room_for(client, len(specs))
            if refusal is not None:
                return d.form_page(request, 429, error=refusal, values=raw)
            jobs.submit(specs, client, batch)
        except PolsimError as error:
            return d.form_page(request, 422, error=str(error), values=raw)
        return RedirectResponse(f"/batches/{batch}", status_code=303)


def _progress_routes(app: FastAPI, d: _Dashboard) -> None:
    """Progress of a request's runs and of one run: a page and JSON."""

    @app.get("/batches/{batch}", response_class=HTMLResponse)
    def batch_page(request: Request, batch: str) -> HTMLResponse:
        jobs = d.jobs.batch(batch) if re.fullmatch(r"[0-9a-f]{12}", batch) else []
        if not jobs:
            raise HTTPException(404, "no such request")
        return d.page(request, "batch.html", batch=batch, jobs=jobs)

    @app.get("/api/batches/{batch}")
    def batch_json(batch: str) -> JSONResponse:
        jobs = d.jobs.batch(batch) if re.fullmatch(r"[0-9a-f]{12}", batch) else []
        if not jobs:
            raise HTTPException(404, "no such request")
        return JSONResponse({"batch": batch, "jobs": jobs})

    @app.get("/api/jobs/{job_id}")
    def job_json(job_id: str) -> JSONResponse:
        record = d.jobs.job(job_id) if len(job_id) <= 40 else None
        if record is None:
            raise HTTPException(404, "no such job")
        return JSONResponse(record)


def _run_routes(app: FastAPI, d: _Dashboard) -> None:
    """Past runs: the list, each run's report and the comparison of two."""

    @app.get("/runs", response_class=HTMLResponse)
    def runs_page(request: Request) -> HTMLResponse:
        return d.page(request, "runs.html", runs=d.catalogue.rows())

    @app.get("/api/runs")
    def runs_json() -> JSONResponse:
        return JSONResponse({"runs": d.catalogue.rows()})

    @app.get("/runs/{run_id}/report")
    def report(run_id: str) -> FileResponse:
        folder = d.run_folder(run_id)
        target = folder / REPORT_FILE
        if not os.path.lexists(target):  # a run saved without its report: build it once
            with d.report_lock:
                if not os.path.lexists(target):
                    build_report(folder)
        return _report_response(served_file(d.root, target))

    @app.get("/compare")
    def compare(request: Request, a: str = "", b: str = "") -> Response:
        if not a or not b:
            return d.page(request, "runs.html", 422, runs=d.catalogue.rows(), error="pick two runs")
        if a == b:
            return d.page(
                request, "runs.html", 422, runs=d.catalogue.rows(), error="pick two different runs"
            )
        folder_a, folder_b = d.run_folder(a), d.run_folder(b)
        cache = d.root / ".compare"
        cache.mkdir(exist_ok=True)
        if cache.is_symlink() or not cache.is_dir():  # never write through a link
            raise HTTPException(404, "no such comparison")
        target = cache / f"{folder_a.name}__{folder_b.name}.html"
        with d.report_lock:
            if not os.path.lexists(target):
                build_comparison_report(folder_a, folder_b, target)
        return _report_response(served_file(d.root, target))


def _report_response(path: Path) -> FileResponse:
    """A report file, with the policy that lets its inline plotly.js draw and nothing more."""
    return FileResponse(
        path, media_type="text/html", headers={"Content-Security-Policy": REPORT_POLICY}
    )
