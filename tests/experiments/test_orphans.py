"""Workers, the resource tracker and dashboard workers end when their coordinator is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

SOURCES = str(Path(__file__).resolve().parents[2] / "src")

#: How long the processes a test waits for may take to appear, or to go (a liveness
#: bound against a hang, not a timing claim).
APPEAR_SECONDS = 60
GONE_SECONDS = 10


def _start(code: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": SOURCES + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _descendants_once(coordinator: subprocess.Popen[bytes], workers: int) -> list[psutil.Process]:
    """The coordinator's descendants once ``workers`` spawned workers are running."""
    parent = psutil.Process(coordinator.pid)
    deadline = time.monotonic() + APPEAR_SECONDS
    while time.monotonic() < deadline:
        assert coordinator.poll() is None, "the coordinator ended before its workers started"
        children = parent.children(recursive=True)
        spawned = [p for p in children if "spawn_main" in " ".join(_cmdline(p))]
        if len(spawned) >= workers:
            time.sleep(0.5)  # let a worker's initializer arm its watch
            return parent.children(recursive=True)
        time.sleep(0.1)
    pytest.fail(f"fewer than {workers} workers appeared within {APPEAR_SECONDS} s")


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _kill_and_wait(coordinator: subprocess.Popen[bytes], processes: list[psutil.Process]) -> None:
    """SIGKILL the coordinator; assert each of ``processes`` ends within the bound."""
    coordinator.send_signal(signal.SIGKILL)
    coordinator.wait()
    deadline = time.monotonic() + GONE_SECONDS
    while any(map(_alive, processes)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [(p.pid, " ".join(_cmdline(p))[:80]) for p in processes if _alive(p)]
    for process in processes:  # never leave them behind, whatever the result
        if _alive(process):
            process.kill()
    assert not left, f"still running {GONE_SECONDS} s after the coordinator died: {left}"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and re-parenting are POSIX")
def test_ensemble_workers_and_resource_tracker_end_with_coordinator(tmp_path):
    """A SIGKILLed ensemble leaves no pool worker and no resource tracker running."""
    coordinator = _start(
        f"""
        from polsim.cli import main
        main(["ensemble", "toy-polity", "--runs", "6", "--workers", "2", "--voters", "20000",
              "--quiet", "--out", {str(tmp_path / "experiment")!r}])
        """
    )
    processes = _descendants_once(coordinator, workers=2)
    names = " ".join(" ".join(_cmdline(p)) for p in processes)
    assert "resource_tracker" in names, names  # it exists, so the test covers it
    _kill_and_wait(coordinator, processes)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and re-parenting are POSIX")
def test_dashboard_workers_end_with_server(tmp_path):
    """A SIGKILLed dashboard server leaves none of its run workers running."""
    coordinator = _start(
        f"""
        import threading, time
        from pathlib import Path
        from polsim.scenario.loader import load_scenario
        from polsim.web.jobs import JobQueue, JobSpec

        model = load_scenario("toy-polity")
        queue = JobQueue(Path({str(tmp_path)!r}), workers=1)
        spec = JobSpec("job", "run", model.model_dump(mode="json"), "toy-polity", 0, 20000,
                       str(model.end), 36)
        # Submitted from a thread that ends at once, as a request thread may.
        thread = threading.Thread(target=queue.submit, args=([spec], "me", "batch"))
        thread.start()
        thread.join()
        time.sleep(600)
        """
    )
    processes = _descendants_once(coordinator, workers=1)
    _kill_and_wait(coordinator, processes)
