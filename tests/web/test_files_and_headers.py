"""The dashboard serves only regular files inside its runs folder, with security headers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import polsim
from polsim.web.app import Settings, create_app

SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small run folder (with its report), simulated once for the module."""
    run = polsim.simulate("toy-polity", seed=2, voters=2000, until="1990-03")
    return run.save(tmp_path_factory.mktemp("source") / "run")


@pytest.fixture
def dashboard(tmp_path: Path, saved_run: Path) -> Iterator[tuple[TestClient, Path]]:
    """The dashboard app on a runs folder holding two copies of the run, ``a`` and ``b``."""
    runs = tmp_path / "runs"
    runs.mkdir()
    for name in ("a", "b"):
        shutil.copytree(saved_run, runs / name)
    with TestClient(create_app(Settings(runs_root=runs))) as client:
        yield client, runs


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:not for the web\n")
    return secret


def test_report_symlink_out_of_the_runs_folder_is_not_found(dashboard, tmp_path) -> None:
    """A report.html that links to a file outside the runs folder gives 404, not the file."""
    client, runs = dashboard
    report = runs / "a" / "report.html"
    report.unlink()
    report.symlink_to(_secret(tmp_path))
    response = client.get("/runs/a/report")
    assert response.status_code == 404 and "not for the web" not in response.text
    assert report.is_symlink()  # and the dashboard did not rebuild over the link


def test_report_that_is_not_a_regular_file_is_not_found(dashboard) -> None:
    """A report.html that is a folder, or a dangling link, gives 404."""
    client, runs = dashboard
    (runs / "a" / "report.html").unlink()
    (runs / "a" / "report.html").mkdir()
    (runs / "b" / "report.html").unlink()
    (runs / "b" / "report.html").symlink_to(runs / "b" / "missing.html")
    assert client.get("/runs/a/report").status_code == 404
    assert client.get("/runs/b/report").status_code == 404


def test_run_folder_symlinked_from_outside_is_not_found(dashboard, tmp_path, saved_run) -> None:
    """A run id that is a link to a run folder outside the runs folder gives 404."""
    client, runs = dashboard
    outside = tmp_path / "outside"
    shutil.copytree(saved_run, outside)
    (runs / "linked").symlink_to(outside)
    assert client.get("/runs/linked/report").status_code == 404


def test_report_inside_the_runs_folder_is_served(dashboard) -> None:
    """A real report (or a link to one inside the runs folder) is served as HTML."""
    client, runs = dashboard
    (runs / "b" / "report.html").unlink()
    (runs / "b" / "report.html").symlink_to(runs / "a" / "report.html")
    for run_id in ("a", "b"):
        response = client.get(f"/runs/{run_id}/report")
        assert response.status_code == 200 and "<!DOCTYPE html>" in response.text


def test_compare_cache_link_is_never_written_through(dashboard, tmp_path) -> None:
    """A comparison cache folder that is a link out of the runs folder is not used."""
    client, runs = dashboard
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (runs / ".compare").symlink_to(outside)
    assert client.get("/compare", params={"a": "a", "b": "b"}).status_code == 404
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    "route", ["/", "/runs", "/api/runs", "/healthz", "/runs/a/report", "/runs/zz/report"]
)
def test_security_headers_on_every_route(dashboard, route: str) -> None:
    """Every response, pages, JSON, reports and 404s alike, carries the security headers."""
    client, _ = dashboard
    response = client.get(route)
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, (route, name)
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_report_policy_lets_plotly_run_and_reach_nothing(dashboard) -> None:
    """A report may run its inline plotly.js but connect nowhere; pages may call the server."""
    client, _ = dashboard
    report = client.get("/runs/a/report").headers["content-security-policy"]
    page = client.get("/runs").headers["content-security-policy"]
    assert "'unsafe-inline'" in report and "connect-src 'none'" in report
    assert "'unsafe-eval'" not in report
    assert "connect-src 'self'" in page and "'unsafe-eval'" not in page


def test_comparison_report_is_served_with_the_report_policy(dashboard) -> None:
    """The comparison of two runs is built in the cache and served with the report policy."""
    client, runs = dashboard
    response = client.get("/compare", params={"a": "a", "b": "b"})
    assert response.status_code == 200 and (runs / ".compare" / "a__b.html").is_file()
    assert "connect-src 'none'" in response.headers["content-security-policy"]
