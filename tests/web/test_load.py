"""A bounded load test: 50 concurrent sessions for 30 s on loopback, no errors, bounded RSS."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from .conftest import Server

SESSIONS = 50
SECONDS = 30.0
#: Resident memory the server may reach under load, and may gain over the test (MiB).
MAX_RSS_MIB = 600
MAX_GROWTH_MIB = 200


@pytest.mark.slow
def test_fifty_sessions_for_thirty_seconds(server: Server) -> None:
    """50 sessions browse, poll progress and submit refused forms for 30 s: all answered right."""
    assert server.url.startswith("http://127.0.0.1:")  # loopback only
    started = httpx.post(
        f"{server.url}/runs",
        data={"scenario": "kazakhstan-1990s", "voters": "20k", "until": "1994-06"},
        timeout=30,
    )
    assert started.status_code == 303, started.text[:300]
    batch = started.headers["location"].rsplit("/", 1)[-1]
    job = f"{batch}-0"
    # Each step: (method, path, expected status). The refused form checks validation under load.
    steps = [
        ("GET", "/", 200),
        ("GET", f"/api/batches/{batch}", 200),
        ("GET", "/runs", 200),
        ("GET", f"/api/jobs/{job}", 200),
        ("GET", "/api/runs", 200),
        ("POST", "/runs", 422),
        ("GET", f"/batches/{batch}", 200),
        ("GET", "/healthz", 200),
        ("GET", "/runs/..%2F..%2Fetc%2Fpasswd/report", 404),
    ]
    counts = {"requests": 0, "errors": 0}
    problems: list[str] = []
    lock = threading.Lock()
    rss_samples = [server.rss_kib()]
    stop = time.monotonic() + SECONDS

    def session(number: int) -> None:
        done = errors = 0
        with httpx.Client(base_url=server.url, timeout=20) as client:
            i = number
            while time.monotonic() < stop:
                method, path, expected = steps[i % len(steps)]
                i += 1
                try:
                    if method == "POST":
                        response = client.post(path, data={"voters": "10m"})
                    else:
                        response = client.get(path)
                    ok = response.status_code == expected
                except httpx.HTTPError as error:
                    ok, response = False, error
                done += 1
                if not ok:
                    errors += 1
                    with lock:
                        problems.append(f"{method} {path}: {response!r}")
        with lock:
            counts["requests"] += done
            counts["errors"] += errors

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        rss_samples.append(server.rss_kib())
        time.sleep(0.5)
    for thread in threads:
        thread.join()
    peak, growth = max(rss_samples) / 1024, (rss_samples[-1] - rss_samples[0]) / 1024
    first, last = rss_samples[0] / 1024, rss_samples[-1] / 1024
    print(
        f"\nload: {SESSIONS} sessions, {SECONDS:.0f} s, {counts['requests']} requests, "
        f"{counts['errors']} errors, RSS {first:.0f} -> {last:.0f} MiB (peak {peak:.0f} MiB)"
    )
    assert counts["errors"] == 0, problems[:5]
    assert counts["requests"] > SESSIONS * 10  # every session was actually served
    assert peak < MAX_RSS_MIB and growth < MAX_GROWTH_MIB
    final = httpx.get(f"{server.url}/api/batches/{batch}", timeout=10).json()["jobs"][0]
    assert final["state"] in ("queued", "running", "done") and not final["error"]
