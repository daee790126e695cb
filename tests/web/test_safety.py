"""The dashboard's safety rules, checked over HTTP against a real server on loopback."""

from __future__ import annotations

import inspect
import sys

import httpx
import pytest

from polsim.errors import PolsimError, ScenarioError, UserInputError
from polsim.web import serve
from polsim.web.forms import Limits, parse_run_form, read_upload, run_specs

from .conftest import Server, wait_for_batch

LIMITS = Limits(max_voters=200_000, max_runs_per_request=3, max_upload_bytes=4096)


def test_binds_loopback_by_default() -> None:
    """serve() and `polsim serve` bind 127.0.0.1 unless told otherwise."""
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    from polsim.cli import serve_command

    assert inspect.signature(serve_command).parameters["host"].default == "127.0.0.1"


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"voters": "1m"}, "at most 200,000 voters"),
        ({"voters": "lots"}, "--voters must be a positive whole number"),
        ({"runs": "9"}, "at most 3 runs per request"),
        ({"runs": "0"}, "runs:"),
        ({"seed": "-1"}, "seed:"),
        ({"until": "1996"}, "until:"),
        ({"regime_repression": "1.5"}, "regime_repression:"),
        ({"scenario": "x" * 100}, "scenario:"),
        ({"path": "/etc/passwd"}, "unknown form field 'path'"),
    ],
)
def test_form_fields_are_validated(fields: dict[str, str], needle: str) -> None:
    """Every out-of-range or unknown form field is refused with one line naming it."""
    with pytest.raises(UserInputError) as caught:
        parse_run_form(fields, LIMITS)
    assert needle in str(caught.value) and "\n" not in str(caught.value)


def test_scenario_names_are_never_paths() -> None:
    """Only built-in names are accepted as a scenario: a path is an unknown scenario."""
    form = parse_run_form({"scenario": "../../etc/passwd.yaml"}, LIMITS)
    with pytest.raises(UserInputError, match="unknown scenario"):
        run_specs(form, None)


def test_until_outside_the_scenario() -> None:
    """A last month outside the scenario's dates is refused with its range."""
    form = parse_run_form({"scenario": "toy-polity", "until": "2050-01"}, LIMITS)
    with pytest.raises(UserInputError, match="outside the scenario"):
        run_specs(form, None)


def test_yaml_is_loaded_safely() -> None:
    """A YAML file asking to build Python objects is refused, and nothing runs."""
    evil = b"name: !!python/object/apply:os.system ['touch /tmp/polsim-pwned']\n"
    with pytest.raises(PolsimError, match="malformed YAML"):
        read_upload(evil, "evil.yaml", LIMITS)


def test_upload_errors_are_one_line() -> None:
    """Malformed YAML, a non-mapping, a schema error and an oversize file each give one line."""
    cases = [
        (b"name: [unclosed\n", "malformed YAML: line"),
        (b"- a\n- b\n", "must be a mapping"),
        (b"name: x\n", "bad.yaml:"),
        (b"x" * 5000, "too large"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
    ]
    for content, needle in cases:
        with pytest.raises(PolsimError) as caught:
            read_upload(content, "dir/../bad.yaml", LIMITS)
        assert needle in str(caught.value) and "\n" not in str(caught.value), caught.value
    with pytest.raises(ScenarioError):
        read_upload(b"name: x\n", "bad.yaml", LIMITS)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"a: " + b"[" * 600 + b"]" * 600 + b"\n", "deep"),
        (b"n: " + b"9" * 5000 + b"\n", "digits"),
        (
            b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + b"".join(
                b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n"
                % ((98 + i,) * 2 + (97 + i,) * 10)
                for i in range(8)
            ),
            "alias",
        ),
    ],
)
def test_hostile_uploads_are_bounded(content: bytes, needle: str) -> None:
    """Deep nesting, a 5,000-digit number and an alias bomb are refused in one line."""
    limits = Limits(max_upload_bytes=1_000_000)
    with pytest.raises(PolsimError) as caught:
        read_upload(content, "hostile.yaml", limits)
    message = str(caught.value)
    assert "\n" not in message and needle in message.lower(), message


@pytest.mark.parametrize(
    "path",
    [
        "/runs/..%2F..%2Fetc%2Fpasswd/report",
        "/runs/../../etc/passwd",
        "/runs/%2Fetc%2Fpasswd/report",
        "/runs/.jobs/report",
        "/runs/.compare/report",
        "/runs/catalog.duckdb/report",
        "/runs/nope/report",
        "/compare?a=..%2F..&b=x",
        "/api/jobs/..%2F..%2Fetc",
        "/api/batches/zzzzzzzzzzzz",
    ],
)
def test_no_path_outside_runs(server: Server, path: str) -> None:
    """Report and progress URLs outside the runs folder, or not runs, are 404s."""
    response = httpx.get(server.url + path, timeout=10)
    assert response.status_code == 404, (path, response.status_code)
    assert "root:" not in response.text


def test_server_refuses_bad_requests(server: Server) -> None:
    """Bad fields and oversize uploads come back as the form with one message, no run."""
    before = httpx.get(f"{server.url}/healthz", timeout=10).json()["pending"]
    too_many = httpx.post(f"{server.url}/runs", data={"voters": "5m"}, timeout=10)
    assert too_many.status_code == 422 and "at most 200,000 voters" in too_many.text
    big = httpx.post(
        f"{server.url}/runs", files={"upload": ("big.yaml", b"a" * 400_000)}, timeout=10
    )
    assert big.status_code == 413
    assert httpx.get(f"{server.url}/healthz", timeout=10).json()["pending"] <= before


def test_run_through_http(server: Server) -> None:
    """A posted toy run is queued, reaches its last month, and its report is served by id."""
    response = httpx.post(
        f"{server.url}/runs",
        data={"scenario": "toy-polity", "voters": "2000", "until": "1990-05"},
        timeout=30,
    )
    assert response.status_code == 303
    (job,) = wait_for_batch(server, response.headers["location"])
    assert job["state"] == "done" and job["months_done"] == job["months_total"] == 5
    report = httpx.get(server.url + job["report_url"], timeout=30)
    assert report.status_code == 200 and 'data-panel="society"' in report.text
    runs = httpx.get(f"{server.url}/api/runs", timeout=10).json()["runs"]
    assert job["run_id"] in {run["run_id"] for run in runs}


def test_missing_web_extra_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the web extra, serve() says in one line to install polsim[web]."""
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(UserInputError, match=r"pip install 'polsim\[web\]'"):
        serve("unused")


def test_serve_flags_are_checked(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    """A bad port or voter cap ends `polsim serve` with one error line and status 2."""
    from polsim.cli import main

    for flags in (["--port", "70000"], ["--max-voters", "0"], ["--workers", "0"]):
        assert main(["serve", "--runs-dir", str(tmp_path), *flags]) == 2
        lines = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
        assert len(lines) == 1 and lines[0].startswith("polsim: error:"), lines
