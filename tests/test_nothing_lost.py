"""Nothing lost: paths given for outputs are checked first, and no user file is replaced."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import polsim
from polsim.cli import main
from polsim.errors import OutputError, PolsimError
from polsim.output.catalogue import index_runs, list_runs
from polsim.output.paths import check_output_path
from polsim.output.report import build_report
from polsim.output.rundir import clean_stale_staging

SMALL = ["--voters", "2000", "--until", "1990-03", "--quiet"]
EXPERIMENT = ["--voters", "300", "--until", "1990-02", "--quiet", "--workers", "1"]
PARAMS = ["--param", "regime.repression=0:0.4:2", "--param", "regime.efficiency=0.2:0.8:2"]


def _one_line_error(capsys, argv: list[str], *needles: str) -> str:
    """Run the CLI; assert status 2 and one ``polsim: error:`` line holding ``needles``."""
    code = main(argv)
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("polsim: error:"), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _one_line_error_api(call, needle: str) -> None:
    """The call raises a polsim error of one line holding ``needle``."""
    with pytest.raises(PolsimError) as caught:
        call()
    assert needle in str(caught.value) and "\n" not in str(caught.value)


def _user_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_text("my notes\n")
    (folder / "sub" / "data.csv").write_text("a,b\n1,2\n")
    return folder


def _untouched(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "sub"]
    assert (folder / "notes.txt").read_text() == "my notes\n"
    assert (folder / "sub" / "data.csv").read_text() == "a,b\n1,2\n"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture(scope="module")
def small_run():
    """One small run, simulated once for the module."""
    return polsim.simulate("toy-polity", seed=1, voters=2000, until="1990-03")


@pytest.mark.parametrize("force", [False, True])
def test_force_never_replaces_a_user_folder(capsys, tmp_path, force):
    """`run --out p [--force]` on an ordinary folder is refused truthfully; its files stay."""
    folder = _user_folder(tmp_path)
    argv = ["run", "toy-polity", "--out", str(folder), *SMALL] + (["--force"] if force else [])
    line = _one_line_error(capsys, argv, "2 entries", "not a polsim run", "no manifest.json")
    assert "use --force" not in line
    _untouched(folder)


def test_current_folder_is_not_called_a_run(capsys, tmp_path, monkeypatch):
    """`run --out .` in a folder with files is refused without inviting --force."""
    _user_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    line = _one_line_error(capsys, ["run", "toy-polity", "--out", ".", *SMALL], "not a polsim run")
    assert "--force" not in line


def test_an_empty_folder_is_written_into(capsys, tmp_path):
    """An existing empty folder is a fine place for a run."""
    folder = tmp_path / "empty"
    folder.mkdir()
    assert main(["run", "toy-polity", "--out", str(folder), *SMALL]) == 0
    assert (folder / "manifest.json").is_file()


def test_force_keeps_files_polsim_did_not_write(capsys, tmp_path, small_run):
    """A run folder the user added a file to is not replaced, even with --force."""
    folder = small_run.save(tmp_path / "r", report=False)
    (folder / "notes.txt").write_text("mine\n")
    argv = ["run", "toy-polity", "--out", str(folder), "--force", *SMALL]
    _one_line_error(capsys, argv, "holds 1 entry (notes.txt) polsim did not write")
    assert (folder / "notes.txt").read_text() == "mine\n"


def test_an_earlier_run_needs_force(capsys, tmp_path, small_run):
    """Without --force an earlier run is refused with the message that names --force."""
    folder = small_run.save(tmp_path / "r", report=False)
    argv = ["run", "toy-polity", "--out", str(folder), *SMALL]
    _one_line_error(capsys, argv, "a polsim run folder already exists there; use --force")


def test_a_manifest_not_polsim_is_not_a_run(tmp_path, small_run):
    """A folder whose manifest.json lacks polsim's keys is not replaced with force."""
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"name": "someone else's"}))
    with pytest.raises(OutputError, match=r"manifest\.json is not polsim.s"):
        small_run.save(folder, force=True)
    assert json.loads((folder / "manifest.json").read_text()) == {"name": "someone else's"}


BAD_PLACES = {
    "long name": lambda tmp: tmp / ("x" * 300),
    "virtual": lambda tmp: Path("/proc/1/x"),
    "under a file": lambda tmp: tmp / "FILE" / "x",
}
NEEDLES = {
    "long name": "300 bytes long; the limit is 255",
    "virtual": "cannot create anything in /proc/1",
    "under a file": "is a file, not a folder",
}
COMMANDS = {
    "run": ["run", "toy-polity", *SMALL],
    "ensemble": ["ensemble", "toy-polity", "--runs", "2", *EXPERIMENT],
    "sweep": ["sweep", "toy-polity", *PARAMS, *EXPERIMENT],
    "sensitivity": [
        "sensitivity",
        "toy-polity",
        "--output",
        "mean:active_share",
        "--method",
        "morris",
        "--samples",
        "2",
        "--param",
        "regime.repression=0:0.4",
        "--param",
        "regime.efficiency=0.2:0.8",
        *EXPERIMENT,
    ],
    "compare": ["compare", "toy-polity", "toy-polity", "--runs", "2", *EXPERIMENT],
}


@pytest.mark.parametrize("place", sorted(BAD_PLACES))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_bad_out_paths_are_one_line(capsys, tmp_path, command, place):
    """A too-long, virtual or under-a-file --out is one line and status 2 for every writer."""
    (tmp_path / "FILE").write_text("a file\n")
    target = BAD_PLACES[place](tmp_path)
    argv = [*COMMANDS[command], "--out", str(target)]
    _one_line_error(capsys, argv, "--out", NEEDLES[place])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["FILE"]


@pytest.mark.parametrize("place", sorted(BAD_PLACES))
def test_bad_calibrate_and_serve_paths(capsys, tmp_path, place):
    """calibrate --out and serve --runs-dir check their path the same way."""
    (tmp_path / "FILE").write_text("a file\n")
    targets = tmp_path / "targets.yaml"
    targets.write_text("mean:active_share: {value: 0.02, sd: 0.005}\n")
    target = str(BAD_PLACES[place](tmp_path))
    calibrate = ["calibrate", "toy-polity", "--targets", str(targets), *PARAMS[:2]]
    calibrate += ["--particles", "2", "--generations", "0", *EXPERIMENT, "--out", target]
    _one_line_error(capsys, calibrate, "--out", NEEDLES[place])
    _one_line_error(capsys, ["serve", "--runs-dir", target], "--runs-dir", NEEDLES[place])


@pytest.mark.parametrize("command", ["ensemble", "compare"])
def test_experiments_never_write_into_a_user_folder(capsys, tmp_path, command):
    """An experiment's --out that is an ordinary folder is refused; nothing is added."""
    folder = _user_folder(tmp_path)
    _one_line_error(capsys, [*COMMANDS[command], "--out", str(folder)], "polsim never writes")
    _untouched(folder)


def test_a_name_without_room_for_its_staging_name(capsys, tmp_path):
    """A 230-byte --out name (valid, but its hidden staging name would not be) is refused first."""
    target = tmp_path / ("x" * 230)
    argv = ["run", "toy-polity", "--out", str(target), *SMALL]
    _one_line_error(capsys, argv, "230 bytes long", "the limit is 215")
    assert list(tmp_path.iterdir()) == []


def test_nul_bytes_are_refused(tmp_path):
    """A path with a NUL byte is refused with one line (the API can be given one)."""
    _one_line_error_api(lambda: check_output_path(f"{tmp_path}/a\0b"), "NUL byte")


def test_report_out_checks(capsys, tmp_path, small_run):
    """`report --out` at a folder, a virtual place or under a file is one line; no temp left."""
    run = small_run.save(tmp_path / "r", report=False)
    (tmp_path / "FILE").write_text("a file\n")
    (tmp_path / "fx").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    for target, needle in [
        (tmp_path / "fx", "is a folder; give the report a file name"),
        (Path("/proc/1/x"), "cannot create anything"),
        (tmp_path / "FILE" / "x", "is a file, not a folder"),
        (tmp_path / ("y" * 300), "the limit is 255"),
    ]:
        _one_line_error(capsys, ["report", str(run), "--out", str(target)], "--out", needle)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert list((tmp_path / "fx").iterdir()) == []


def test_report_write_failure_leaves_no_temporary(capsys, tmp_path, small_run, monkeypatch):
    """A report whose rename fails is one line, and its temporary file is removed."""
    run = small_run.save(tmp_path / "r", report=False)

    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    _one_line_error(capsys, ["report", str(run)], "cannot write the report", "No space left")
    assert not [p for p in run.iterdir() if p.name.startswith(".")]


def test_manifest_is_written_last(tmp_path, small_run, monkeypatch):
    """While a run is saved its report is built before manifest.json exists."""
    import polsim.output.report as report

    seen: list[bool] = []
    real = report.build_report

    def watch(folder, out=None, manifest=None):
        seen.append((Path(folder) / "manifest.json").exists())
        return real(folder, out, manifest)

    monkeypatch.setattr(report, "build_report", watch)
    folder = small_run.save(tmp_path / "r")
    assert seen == [False]
    assert (folder / "manifest.json").is_file() and (folder / "report.html").is_file()


def test_stale_staging_is_cleaned_and_never_listed(tmp_path, small_run):
    """A killed save's staging folder is never a run, and the next save removes it."""
    done = small_run.save(tmp_path / "done", report=False)
    stale = tmp_path / f".r.partial-{_dead_pid()}-abcd"
    busy = tmp_path / f".q.partial-{os.getppid()}-efgh"  # its process is alive
    for folder in (stale, busy):
        shutil.copytree(done, folder)
    shutil.rmtree(done)
    index_runs(tmp_path)
    assert list_runs(tmp_path) == []
    small_run.save(tmp_path / "r", report=False)
    assert not stale.exists() and busy.exists()
    index_runs(tmp_path)
    assert [row["run_id"] for row in list_runs(tmp_path)] == ["r"]
    _one_line_error_api(lambda: build_report(busy), "a run being saved")


def test_a_run_moved_aside_is_put_back(tmp_path, small_run):
    """A run moved aside by a save killed before the swap is restored, not deleted."""
    aside = tmp_path / f".r.replaced-{_dead_pid()}-abcd"
    aside.mkdir()
    small_run.save(aside / "run", report=False)
    assert clean_stale_staging(tmp_path) == [aside]
    assert (tmp_path / "r" / "manifest.json").is_file() and not aside.exists()


KILLED_SAVE = """
import os, signal, sys
import polsim
import polsim.output.report as report

run = polsim.simulate("toy-polity", seed=1, voters=2000, until="1990-03")
report.build_report = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
run.save(sys.argv[1])
"""


def test_a_save_killed_midway_leaves_no_run(tmp_path, small_run):
    """A save killed by SIGKILL leaves only a hidden staging folder, which the next removes."""
    target = tmp_path / "r"
    killed = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(target)])
    assert killed.wait(timeout=120) == -9
    (staging,) = tmp_path.iterdir()
    assert staging.name.startswith(f".r.partial-{killed.pid}-")
    assert (staging / "series.parquet").is_file() and not (staging / "manifest.json").exists()
    index_runs(tmp_path)
    assert list_runs(tmp_path) == []
    small_run.save(target, report=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.duckdb", "r"]


def test_stale_report_temporaries_are_removed(tmp_path, small_run):
    """A report temporary left by a killed writer goes with the next report; a live one stays."""
    run = small_run.save(tmp_path / "r", report=False)
    stale = tmp_path / f".out.html.tmp-{_dead_pid()}-abcd"
    busy = tmp_path / f".out.html.tmp-{os.getppid()}-efgh"
    for temporary in (stale, busy):
        temporary.write_text("half a report")
    build_report(run, tmp_path / "out.html")
    assert not stale.exists() and busy.exists() and (tmp_path / "out.html").is_file()
