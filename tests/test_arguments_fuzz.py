"""An argument corpus over all 13 subcommands: every bad value ends in one line, exit 2.

Each case is run in-process through :func:`polsim.cli.main` under an alarm, so a hang
fails its case instead of the suite. A case expects 0 (a valid edge value, kept tiny so
it runs fast) or 2 (exactly one ``polsim: error:`` line on stderr); no case may print a
traceback. ``{tmp}`` in an argument is the case's own folder; ``{busy}`` a port in use.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Iterator

import pytest

from polsim.cli import main

#: Seconds one case may take before it counts as a hang.
CASE_SECONDS = 30

#: Tiny runs: 300 voters, three months of the toy polity.
TINY = ["--voters", "300", "--until", "1990-03", "--quiet"]
ONE = ["--workers", "1"]
PARAM = ["--param", "regime.repression=0:0.4:2"]
TWO_PARAMS = ["--param", "regime.repression=0:0.4", "--param", "regime.ethnic_penalty.Minority=0:1"]
VOTES = ["--votes", "A=1200,B=800,C=150"]

# Families of bad values, each reused for every option of its kind.
WHOLE_BAD = ["-1", "abc", "", "nan", "1.5", "1e99", "9" * 400, "½", "0x10", " "]
SEED_BAD = [*WHOLE_BAD, str(2**63), "-9" * 30]
VOTERS_BAD = ["0", "-5", "1e99", "1e12", "200m", "abc", "", "nan", "inf", "1.5", "10x", "k"]
VOTERS_BAD += ["1e-3", "9" * 400, "1,000", "−300"]
UNTIL_BAD = ["1990-13", "abc", "", "1989-12", "2999-01", "1990-00", "1990", "-1990-02"]
SHARE_BAD = ["-0.1", "1", "1.5", "nan", "inf", "-inf", "abc", "", "1e99", "0,5"]
OPEN_SHARE_BAD = [*SHARE_BAD, "0"]
DASK_BAD = ["tcp://", "tcp://:8786", "tcp://host", "tcp://host:0", "tcp://host:99999"]
DASK_BAD += ["udp://x:1", "local2", "", "tcp://not a host:1", "tcp://h:port", "tcp://ü:1"]
DASK_BAD += ["tcp://[::1]", "http://127.0.0.1:8786", "tcp://-x-:1", "LOCAL"]
DASK_REFUSED = ["tcp://127.0.0.1:1"]  # a valid address nothing listens on
HOST_BAD = ["not a host", "", "-bad", "a..b", "x" * 300, "ünïcode", "127.0.0.1 ", "[::1]"]
HOST_BAD += ["http://localhost", "host:80", "192.0.2.1"]  # the last cannot be bound here
PORT_BAD = ["0", "65536", "-1", "http", "", "1e3", "99999999999"]
SCENARIO_BAD = ["no-such-scenario", "", "ünïcode", "/nonexistent/x.yaml", "toy-polity.yaml"]
UNKNOWN_FLAGS = ["--nope", "--voter", "-x", "--seed=", "--runs=1=2"]

# (command, fixed arguments, option, bad values): each bad value is one case, exit 2.
BAD_OPTIONS: list[tuple[str, list[str], str, list[str]]] = [
    ("run", ["toy-polity", *TINY], "--seed", SEED_BAD),
    ("run", ["toy-polity", "--until", "1990-03", "--quiet"], "--voters", VOTERS_BAD),
    ("run", ["toy-polity", "--voters", "300", "--quiet"], "--until", UNTIL_BAD),
    ("run", ["toy-polity", *TINY], "--threads", [*WHOLE_BAD, "0", "257"]),
    ("seats", VOTES, "--seats", [*WHOLE_BAD, "0", "10001", "1000000000"]),
    ("seats", [*VOTES, "--seats", "5"], "--threshold", SHARE_BAD),
    ("seats", [*VOTES, "--seats", "5"], "--method", ["", "foo", "d'hondt2", "ünï", "hare-"]),
    ("ensemble", ["toy-polity", *TINY, *ONE], "--runs", [*WHOLE_BAD, "0", "100001"]),
    ("ensemble", ["toy-polity", *TINY, *ONE], "--seed", SEED_BAD),
    ("ensemble", ["toy-polity", "--until", "1990-03", "--quiet"], "--voters", VOTERS_BAD),
    ("ensemble", ["toy-polity", *TINY], "--workers", [*WHOLE_BAD, "0", "257"]),
    ("ensemble", ["toy-polity", *TINY, *ONE], "--dask", [*DASK_BAD, *DASK_REFUSED]),
    ("ensemble", ["toy-polity", *TINY, *ONE], "--metric", ["", "median:active_share", "x"]),
    ("sweep", ["toy-polity", *PARAM, *TINY, *ONE], "--runs", [*WHOLE_BAD, "0", "100001"]),
    ("sweep", ["toy-polity", *PARAM, *TINY, *ONE], "--seed", SEED_BAD),
    (
        "sweep",
        ["toy-polity", *TINY, *ONE],
        "--param",
        [
            "",
            "x",
            "regime.repression",
            "regime.repression=1:0",
            "regime.repression=a:b",
            "regime.repression=0:1:1",
            "regime.repression=0:1:1001",
            "regime.repression=0:1:x",
            "regime.repression=nan:1",
            "regime.repression=0:inf",
            "regime.repression=0:1:2:3",
            "regime.represion=0:1",
            "=0:1",
            "regime.repression=0:1:" + "9" * 400,
            "regime.repression=-1:0",
            "regime=0:1",
        ],
    ),
    ("sweep", ["toy-polity", *PARAM, *TINY, *ONE], "--design", ["", "grid", "LHS", "sobol "]),
    (
        "sweep",
        ["toy-polity", *TWO_PARAMS, "--design", "lhs", *TINY, *ONE],
        "--samples",
        [*WHOLE_BAD, "0", "100001"],
    ),
    ("sweep", ["toy-polity", *PARAM, *TINY], "--workers", [*WHOLE_BAD, "0", "257"]),
    ("sweep", ["toy-polity", *PARAM, *TINY, *ONE], "--dask", [*DASK_BAD[:8], *DASK_REFUSED]),
    (
        "sensitivity",
        ["toy-polity", *TWO_PARAMS, "--output", "mean:active_share", *TINY, *ONE],
        "--method",
        ["", "factorial", "lhs", "SOBOL", "fast"],
    ),
    (
        "sensitivity",
        ["toy-polity", *TWO_PARAMS, "--output", "mean:active_share", *TINY, *ONE],
        "--samples",
        [*WHOLE_BAD, "0", "3", "100001", "65536"],
    ),
    (
        "sensitivity",
        ["toy-polity", *TWO_PARAMS, "--output", "mean:active_share", *TINY, *ONE],
        "--runs",
        ["0", "-1", "abc", "100001"],
    ),
    (
        "sensitivity",
        ["toy-polity", *TWO_PARAMS, *TINY, *ONE],
        "--output",
        ["", "median:active_share", "mean:nothing"],
    ),
    (
        "sensitivity",
        ["toy-polity", *TWO_PARAMS, "--output", "mean:active_share", *TINY, *ONE],
        "--dask",
        DASK_BAD[:6],
    ),
    (
        "calibrate",
        ["toy-polity", "--targets", "{tmp}/t.yaml", *PARAM, *TINY, *ONE],
        "--particles",
        [*WHOLE_BAD, "0", "1", "10001"],
    ),
    (
        "calibrate",
        ["toy-polity", "--targets", "{tmp}/t.yaml", *PARAM, *TINY, *ONE],
        "--generations",
        [*WHOLE_BAD, "101"],
    ),
    (
        "calibrate",
        ["toy-polity", "--targets", "{tmp}/t.yaml", *PARAM, *TINY, *ONE],
        "--quantile",
        OPEN_SHARE_BAD,
    ),
    (
        "calibrate",
        ["toy-polity", "--targets", "{tmp}/t.yaml", *PARAM, *TINY, *ONE],
        "--seed",
        SEED_BAD,
    ),
    (
        "calibrate",
        ["toy-polity", "--targets", "{tmp}/t.yaml", *PARAM, *TINY, *ONE],
        "--dask",
        DASK_BAD[:6],
    ),
    ("compare", ["toy-polity", "toy-polity", *TINY, *ONE], "--runs", [*WHOLE_BAD, "0", "100001"]),
    ("compare", ["toy-polity", "toy-polity", *TINY, *ONE], "--seed", SEED_BAD[:6]),
    ("compare", ["toy-polity", "toy-polity", *TINY, *ONE], "--dask", DASK_BAD[:6]),
    ("compare", ["toy-polity", "toy-polity", *TINY], "--workers", ["0", "-1", "257", "x"]),
    ("serve", ["--port", "{busy}"], "--host", HOST_BAD),
    ("serve", [], "--port", [*PORT_BAD, "{busy}"]),
    ("serve", ["--port", "{busy}"], "--max-voters", ["0", "-1", "abc", "100000001", "1e99"]),
    ("serve", ["--port", "{busy}"], "--workers", ["abc", "1.5", ""]),
    (
        "claims",
        ["toy-polity", "--voters", "300", "--until", "1990-03"],
        "--runs",
        ["1", "0", "-1", "abc", "1e99", "100001"],
    ),
    (
        "claims",
        ["toy-polity", "--voters", "300", "--until", "1990-03"],
        "--workers",
        ["0", "-1", "257", "abc", "1.5"],
    ),
    ("claims", ["toy-polity", "--voters", "300", "--until", "1990-03"], "--seed", SEED_BAD),
    ("claims", ["toy-polity", "--until", "1990-03"], "--voters", VOTERS_BAD[:8]),
    ("claims", ["toy-polity", "--voters", "300"], "--history", ["", "PINNED", "neither", "both "]),
]

# Whole argument lists that are wrong as a whole (missing, extra or unknown), exit 2.
BAD_COMMANDS: list[list[str]] = [
    ["nosuchcommand"],
    ["--seed", "1"],
    ["scenarios", "extra"],
    ["scenarios", "--json"],
    ["schema", "extra"],
    ["schema", "--out", "x"],
    ["validate"],
    ["validate", "no-such-scenario"],
    ["validate", ""],
    ["validate", "/nonexistent/file.yaml"],
    ["validate", "ünïcode.yaml"],
    ["validate", "toy-polity", "extra"],
    ["seats"],
    ["seats", "--seats", "5"],
    ["seats", *VOTES],
    ["seats", "--votes", "", "--seats", "5"],
    ["seats", "--votes", "A", "--seats", "5"],
    ["seats", "--votes", "A=", "--seats", "5"],
    ["seats", "--votes", "=5", "--seats", "5"],
    ["seats", "--votes", "A=1,,B=2", "--seats", "5"],
    ["seats", "--votes", "A=1,A=2", "--seats", "5"],
    ["seats", "--votes", "A=-1,B=2", "--seats", "5"],
    ["seats", "--votes", "A=nan,B=2", "--seats", "5"],
    ["seats", "--votes", "A=inf,B=2", "--seats", "5"],
    ["seats", "--votes", "A=1e13,B=2", "--seats", "5"],
    ["seats", "--votes", "A=" + "9" * 400 + ",B=1", "--seats", "5"],
    ["seats", "--votes", "A=abc", "--seats", "5"],
    ["seats", "--votes", "A=0,B=0", "--seats", "5"],
    ["seats", "--votes", ",".join(f"P{i}=1" for i in range(1001)), "--seats", "5"],
    ["ensemble"],
    ["sweep", "toy-polity", *TINY, *ONE],
    [
        "sweep",
        "toy-polity",
        "--param",
        "regime.repression=0:1:1000",
        "--param",
        "regime.ethnic_penalty.Minority=0:1:1000",
        *TINY,
        *ONE,
    ],
    ["sweep", "toy-polity", *PARAM, "--runs", "60000", *TINY, *ONE],
    ["sweep", "toy-polity", *TWO_PARAMS, "--design", "sobol", "--samples", "65536", *TINY, *ONE],
    ["sweep", "toy-polity", *PARAM, *PARAM, *TINY, *ONE],
    ["sweep", "toy-polity", *PARAM, "--design", "morris", *TINY, *ONE],
    ["sensitivity", "toy-polity", *TWO_PARAMS, *TINY, *ONE],
    ["sensitivity", "toy-polity", "--output", "mean:active_share", *TINY, *ONE],
    ["calibrate", "toy-polity", *PARAM, *TINY, *ONE],
    ["calibrate", "toy-polity", "--targets", "{tmp}/t.yaml", *TINY, *ONE],
    ["calibrate", "toy-polity", "--targets", "{tmp}/missing.yaml", *PARAM, *TINY, *ONE],
    ["compare", "toy-polity", *TINY, *ONE],
    ["compare"],
    ["report"],
    ["report", "{tmp}/no-such-run"],
    ["report", "--compare", "{tmp}/a"],
    ["report", "--ensemble", "{tmp}/no-such-experiment"],
    ["report", "--ensemble", "{tmp}/x", "{tmp}/y"],
    ["serve", "--runs-dir", "{tmp}/t.yaml", "--port", "{busy}"],
    ["claims", "toy-polity", "--runs", "2", "--voters", "300", "--until", "1990-03", "--nope"],
    *[
        [command, *UNKNOWN_FLAGS[i % len(UNKNOWN_FLAGS) : i % len(UNKNOWN_FLAGS) + 1]]
        for i, command in enumerate(
            [
                "run",
                "seats",
                "ensemble",
                "sweep",
                "sensitivity",
                "calibrate",
                "compare",
                "report",
                "serve",
                "claims",
                "scenarios",
                "schema",
                "validate",
            ]
        )
    ],
    *[["run", scenario, *TINY] for scenario in SCENARIO_BAD],
    *[["ensemble", scenario, *TINY, *ONE] for scenario in SCENARIO_BAD[:3]],
]

# Valid edge values (kept tiny), exit 0.
GOOD_COMMANDS: list[list[str]] = [
    ["scenarios"],
    ["schema"],
    ["validate", "toy-polity"],
    ["run", "toy-polity", *TINY, "--seed", str(2**63 - 1), "--threads", "1"],
    ["run", "toy-polity", "--voters", "1k", "--until", "1990-02", "--quiet", "--seed", "١"],
    ["seats", *VOTES, "--seats", "1"],
    ["seats", *VOTES, "--seats", "10000"],
    ["seats", *VOTES, "--seats", "5", "--threshold", "0.55"],
    ["seats", *VOTES, "--seats", "5", "--threshold", "0", "--json"],
    ["seats", "--votes", "Ünï=10.5,B=0.25,C=1000000000000", "--seats", "7", "--method", "hare"],
    ["seats", "--votes", "A=1,B=1", "--seats", "3", "--method", "sainte-lague"],
    ["ensemble", "toy-polity", "--runs", "1", "--seed", "0", *TINY, *ONE],
    ["sweep", "toy-polity", *TWO_PARAMS, "--design", "lhs", "--samples", "1", *TINY, *ONE],
    [
        "calibrate",
        "toy-polity",
        "--targets",
        "{tmp}/t.yaml",
        *PARAM,
        "--particles",
        "2",
        "--generations",
        "0",
        "--quantile",
        "0.999",
        *TINY,
        *ONE,
    ],
    ["compare", "toy-polity", "toy-polity", "--runs", "2", *TINY, *ONE],
]

#: Commands that take ``--out`` (each case gets its own folder).
WITH_OUT = {"run", "ensemble", "sweep", "sensitivity", "calibrate", "compare"}


def _cases() -> Iterator[tuple[list[str], int]]:
    for command, fixed, option, values in BAD_OPTIONS:
        for value in values:
            yield [command, *fixed, option, value], 2
    for argv in BAD_COMMANDS:
        yield argv, 2
    for argv in GOOD_COMMANDS:
        yield argv, 0


CASES = list(_cases())


class CaseHung(BaseException):
    """A case ran past its time bound (a BaseException, so no handler swallows it)."""


def _on_alarm(signum: int, frame: object) -> None:
    raise CaseHung


@pytest.fixture(scope="module")
def busy_port() -> Iterator[int]:
    """A loopback port something already listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_corpus_covers_every_subcommand_with_300_cases():
    """The corpus has at least 300 cases and reaches all 13 subcommands."""
    commands = {argv[0] for argv, _ in CASES}
    assert len(CASES) >= 300
    assert commands >= {
        "run", "scenarios", "validate", "schema", "seats", "ensemble", "sweep",
        "sensitivity", "calibrate", "compare", "report", "serve", "claims",
    }  # fmt: skip


@pytest.mark.parametrize(("argv", "status"), CASES, ids=[f"{i:03d}" for i in range(len(CASES))])
def test_argument_case(argv, status, tmp_path, monkeypatch, capsys, busy_port):
    """The case ends in its status; a refusal is one ``polsim: error:`` line, never a traceback."""
    monkeypatch.chdir(tmp_path)  # default folders (runs/, experiments/) land here
    (tmp_path / "t.yaml").write_text("mean:active_share: {value: 0.01, sd: 0.01}\n")
    args = [a.replace("{tmp}", str(tmp_path)).replace("{busy}", str(busy_port)) for a in argv]
    if args[0] in WITH_OUT and "--out" not in args and status == 0:
        args += ["--out", str(tmp_path / "out")]
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    try:
        code = main(args)
    except CaseHung:
        pytest.fail(f"polsim {args} ran past {CASE_SECONDS} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    assert code == status, (args, err)
    if status == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, err
        assert lines[0].startswith("polsim: error:"), lines[0]
