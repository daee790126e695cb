"""The command line: user mistakes end in one line and exit status 2."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from polsim.cli import main

SMALL = ["--voters", "2000", "--until", "1990-03", "--quiet"]


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line_error(err: str, *needles: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("polsim: error:")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_run_writes_a_run_folder(capsys, tmp_path):
    """A small run writes manifest, series and events, and prints the folder."""
    out = tmp_path / "run"
    code, stdout, _ = _run(capsys, "run", "toy-polity", "--out", str(out), *SMALL)
    assert code == 0
    assert {p.name for p in out.iterdir()} >= {"manifest.json", "series.parquet", "events.parquet"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 0 and manifest["voters"] == 2000 and manifest["months"] == 3
    for key in ("scenario_hash", "polsim_version", "command", "started_at", "finished_at"):
        assert manifest[key]
    assert str(out) in stdout.replace("\n", "")


def test_default_run_folder_name(capsys, tmp_path, monkeypatch):
    """Without --out, the run goes to runs/<scenario>-<seed>-<timestamp>/."""
    monkeypatch.chdir(tmp_path)
    code, _, _ = _run(capsys, "run", "toy-polity", "--seed", "5", *SMALL)
    assert code == 0
    (folder,) = (tmp_path / "runs").iterdir()
    assert folder.name.startswith("toy-polity-5-")


def test_unknown_scenario(capsys):
    """An unknown name is named, with the built-ins listed."""
    code, _, err = _run(capsys, "run", "kazakstan", *SMALL)
    assert code == 2
    _one_line_error(err, "kazakstan", "kazakhstan-1990s")


def test_malformed_yaml(capsys, tmp_path):
    """Malformed YAML names the file and the line."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntitle: [unclosed\n")
    code, _, err = _run(capsys, "validate", str(bad))
    assert code == 2
    _one_line_error(err, "bad.yaml", "malformed YAML", "line")


def _toy_with(tmp_path: Path, old: str, new: str) -> Path:
    from importlib import resources

    text = (resources.files("polsim.scenario.builtin") / "toy-polity.yaml").read_text()
    assert old in text
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_wrong_type_names_the_field(capsys, tmp_path):
    """A wrong type names the field path and the value."""
    path = _toy_with(tmp_path, "legitimacy: 0.6", "legitimacy: high")
    code, _, err = _run(capsys, "validate", str(path))
    assert code == 2
    _one_line_error(err, "edited.yaml", "regime.legitimacy", "high")


def test_out_of_range_names_the_rule(capsys, tmp_path):
    """A value out of its bounds names the field and the bound."""
    path = _toy_with(tmp_path, "repression: 0.3", "repression: 1.5")
    code, _, err = _run(capsys, "run", str(path), *SMALL)
    assert code == 2
    _one_line_error(err, "regime.repression", "less than or equal to 1")


def test_unknown_field_names_the_field(capsys, tmp_path):
    """A misspelt field is reported by its path as unknown."""
    path = _toy_with(tmp_path, "repression: 0.3", "repression: 0.3\n  represion: 0.3")
    code, _, err = _run(capsys, "validate", str(path))
    assert code == 2
    _one_line_error(err, "regime.represion", "unknown field")


@pytest.mark.parametrize("voters", ["0", "-5", "lots", "1.5"])
def test_bad_voter_counts(capsys, voters):
    """--voters must be a positive whole number."""
    code, _, err = _run(capsys, "run", "toy-polity", "--voters", voters, "--quiet")
    assert code == 2
    _one_line_error(err, "--voters", voters)


@pytest.mark.parametrize("threads", ["0", "-1", "two"])
def test_bad_thread_counts(capsys, threads):
    """--threads must be a positive whole number."""
    code, _, err = _run(capsys, "run", "toy-polity", "--threads", threads, "--quiet")
    assert code == 2
    assert "Traceback" not in err and "--threads" in err


def test_bad_threads_variable(capsys, tmp_path, monkeypatch):
    """A bad POLSIM_THREADS is one line and status 2, before any work or output."""
    monkeypatch.setenv("POLSIM_THREADS", "many")
    out = tmp_path / "run"
    code, _, err = _run(capsys, "run", "toy-polity", "--out", str(out), *SMALL)
    assert code == 2
    _one_line_error(err, "POLSIM_THREADS", "many")
    assert not out.exists()


def test_threads_are_recorded(capsys, tmp_path):
    out = tmp_path / "run"
    code, _, _ = _run(capsys, "run", "toy-polity", "--out", str(out), "--threads", "3", *SMALL)
    assert code == 0
    assert json.loads((out / "manifest.json").read_text())["threads"] == 3


def test_voter_suffixes(capsys, tmp_path):
    """--voters accepts k and m suffixes."""
    code, _, _ = _run(
        capsys,
        "run",
        "toy-polity",
        "--voters",
        "3k",
        "--until",
        "1990-01",
        "--quiet",
        "--out",
        str(tmp_path / "r"),
    )
    assert code == 0
    assert json.loads((tmp_path / "r" / "manifest.json").read_text())["voters"] == 3000


def test_until_before_start(capsys):
    """--until before the scenario's start is refused, naming both months."""
    code, _, err = _run(capsys, "run", "toy-polity", "--until", "1985-01", "--quiet")
    assert code == 2
    _one_line_error(err, "1985-01", "1990-01")


def test_bad_until_format(capsys):
    """--until that is not YYYY-MM is refused."""
    code, _, err = _run(capsys, "run", "toy-polity", "--until", "soon", "--quiet")
    assert code == 2
    _one_line_error(err, "--until", "soon")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_out(capsys, tmp_path):
    """An --out inside a read-only folder is refused before the run starts."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    code, _, err = _run(capsys, "run", "toy-polity", "--out", str(locked / "r"), *SMALL)
    locked.chmod(0o700)
    assert code == 2
    _one_line_error(err, "permission denied")


def test_out_that_is_a_file(capsys, tmp_path):
    """An --out whose parent is a file cannot be written, and says so (works as root)."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    code, _, err = _run(capsys, "run", "toy-polity", "--out", str(blocker / "r"), *SMALL)
    assert code == 2
    _one_line_error(err, "--out", "not a folder")


def test_existing_run_folder_needs_force(capsys, tmp_path):
    """An existing run folder is kept unless --force; with it, it is replaced."""
    out = tmp_path / "run"
    assert _run(capsys, "run", "toy-polity", "--out", str(out), *SMALL)[0] == 0
    before = (out / "manifest.json").read_text()
    code, _, err = _run(capsys, "run", "toy-polity", "--out", str(out), "--seed", "9", *SMALL)
    assert code == 2
    _one_line_error(err, "--force")
    assert (out / "manifest.json").read_text() == before  # earlier results not lost
    code, _, _ = _run(
        capsys, "run", "toy-polity", "--out", str(out), "--seed", "9", "--force", *SMALL
    )
    assert code == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 9
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_unknown_flag(capsys):
    """A flag that does not exist is one line and status 2."""
    code, _, err = _run(capsys, "run", "--votrs", "5")
    assert code == 2
    _one_line_error(err, "--votrs")


def test_scenarios_validate_and_schema(capsys):
    """The listing names the built-ins; validate accepts one; schema is JSON Schema."""
    code, out, _ = _run(capsys, "scenarios")
    assert code == 0 and "kazakhstan-1990s" in out and "toy-polity" in out
    code, out, _ = _run(capsys, "validate", "kazakhstan-1990s")
    assert code == 0 and "valid scenario" in out
    code, out, _ = _run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and "population" in schema["properties"]


def test_seats_calculator_table_and_json(capsys):
    """`polsim seats` reproduces Setúbal 2022 (D'Hondt, 18 seats) as a table and as JSON."""
    votes = "PS=198126,PSD=69967,CDU=43553,Chega=39171,BE=24940,IL=22225,PAN=8641,CDS=4863"
    code, out, _ = _run(capsys, "seats", "--seats", "18", "--votes", votes)
    assert code == 0 and "PS" in out
    code, out, _ = _run(capsys, "seats", "--seats", "18", "--votes", votes, "--json")
    seats = {row["party"]: row["seats"] for row in json.loads(out)["parties"]}
    assert code == 0
    assert seats == {"PS": 10, "PSD": 3, "CDU": 2, "Chega": 1, "BE": 1, "IL": 1, "PAN": 0, "CDS": 0}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--method", "cube-root"], "cube-root"),
        (["--votes", "A=-1"], "non-negative"),
        (["--votes", "A=,B=2"], "A="),
        (["--seats", "-2"], "seats"),
    ],
)
def test_seats_calculator_errors(capsys, args, needle):
    """Bad methods, votes and seat counts end in one line and exit status 2."""
    base = {"--votes": "A=10,B=5", "--seats": "3", "--method": "dhondt"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = ["seats"] + [x for pair in base.items() for x in pair]
    code, _, err = _run(capsys, *argv)
    assert code == 2
    _one_line_error(err, needle)
