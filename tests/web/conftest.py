"""Shared fixtures of the dashboard tests: a real server on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
DOC_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


@dataclass(frozen=True)
class Server:
    """A dashboard started for the tests: its URL, process id and runs folder."""

    url: str
    pid: int
    runs: Path

    def rss_kib(self) -> int:
        """The server process's resident memory (VmRSS), in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS line")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``polsim serve`` in a subprocess, on 127.0.0.1, with an empty runs folder."""
    runs = tmp_path_factory.mktemp("dashboard-runs")
    port = _free_port()
    command = [sys.executable, "-m", "polsim", "serve", "--runs-dir", str(runs)]
    command += ["--port", str(port), "--workers", "1"]
    log = (runs.parent / "server.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {(runs.parent / 'server.log').read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError("the server did not start within 60 s")
    try:
        yield Server(url, process.pid, runs)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def wait_for_batch(server: Server, location: str, timeout: float = 240) -> list[dict]:
    """Poll a batch's progress endpoint until every run is done or failed; return its jobs."""
    batch = location.rstrip("/").rsplit("/", 1)[-1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = httpx.get(f"{server.url}/api/batches/{batch}", timeout=10).json()["jobs"]
        if all(job["state"] in ("done", "failed") for job in jobs):
            return jobs
        time.sleep(0.5)
    raise AssertionError(f"batch {batch} did not finish within {timeout} s")
