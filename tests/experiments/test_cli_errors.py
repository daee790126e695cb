"""User mistakes end in one line and exit status 2, and leave stored results untouched."""

from __future__ import annotations

import pytest

from .conftest import SMALL_FLAGS, one_line_error, run_cli, snapshot

PARAM = ["--param", "regime.repression=0:0.4:2"]


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """An experiment folder made by a small sweep."""
    from polsim.cli import main

    folder = tmp_path_factory.mktemp("exp") / "sweep"
    assert (
        main(["sweep", "toy-polity", *PARAM, *SMALL_FLAGS, "--workers", "1", "--out", str(folder)])
        == 0
    )
    return folder


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (
            ["sweep", "toy-polity", "--param", "regime.represion=0:0.4"],
            ["regime.represion", "repression"],
        ),
        (["sweep", "toy-polity", "--param", "regime.repression=0.5:0.1"], ["must be less than HI"]),
        (["sweep", "toy-polity", "--param", "regime.repression=low:0.1"], ["must be numbers"]),
        (
            ["sweep", "toy-polity", "--param", "regime.repression=0:3"],
            ["regime.repression", "less than or equal to 1"],
        ),
        (["sweep", "toy-polity", *PARAM, "--design", "grid"], ["--design", "grid", "factorial"]),
        (["sweep", "toy-polity", *PARAM, "--metric", "mean:no_such"], ["no_such", "active_share"]),
        (
            ["sweep", "toy-polity", "--param", "regime.repression=0:0.4:3"],
            ["different design", "regime.repression=0:0.4:2"],
        ),
        (
            [
                "sensitivity",
                "toy-polity",
                *PARAM,
                "--param",
                "regime.ethnic_penalty.Minority=0:0.4",
                "--output",
                "median:active_share",
            ],
            ["unknown metric"],
        ),
        (["ensemble", "toy-polity", "--runs", "0"], ["--runs"]),
        (["sweep", "toy-polity", *PARAM, "--dask", "udp://x"], ["--dask"]),
    ],
)
def test_bad_input_one_line(capsys, stored, argv, needles):
    """Each mistake is one line naming the problem; the existing experiment is untouched."""
    before = snapshot(stored)
    code, _, err = run_cli(capsys, *argv, *SMALL_FLAGS, "--workers", "1", "--out", str(stored))
    assert code == 2
    one_line_error(err, *needles)
    assert snapshot(stored) == before


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (None, ["no such file"]),
        ("mean:active_share: [unclosed\n", ["malformed"]),
        ("- just\n- a list\n", ["expected a mapping"]),
        ("mean:active_share: {value: high}\n", ["value must be a number"]),
        ("mean:active_share: {value: 0.1, sd: -1}\n", ["sd must be positive"]),
        ("mean:active_share: {value: 0.1, sigma: 1}\n", ["unknown key", "sigma"]),
        ("mean:nothing: 0.1\n", ["nothing", "columns are"]),
    ],
)
def test_bad_targets_file(capsys, tmp_path, stored, content, needles):
    """A missing or malformed targets file is one line and exit status 2."""
    targets = tmp_path / "targets.yaml"
    if content is not None:
        targets.write_text(content)
    before = snapshot(stored)
    code, _, err = run_cli(
        capsys, "calibrate", "toy-polity", *PARAM, "--targets", str(targets), *SMALL_FLAGS,
        "--workers", "1", "--out", str(stored),
    )  # fmt: skip
    assert code == 2
    one_line_error(err, *needles)
    assert snapshot(stored) == before


def test_sweep_prints_summary_and_folder(capsys, stored):
    """Re-running the same sweep resumes: nothing is run, and the folder is printed."""
    code, stdout, _ = run_cli(
        capsys, "sweep", "toy-polity", *PARAM, *SMALL_FLAGS, "--workers", "1", "--out", str(stored)
    )
    assert code == 0
    assert "2 already complete" in stdout
    assert str(stored) in stdout.replace("\n", "")
