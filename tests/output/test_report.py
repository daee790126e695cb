"""The HTML report: panels present when their tables are, absent otherwise, self-contained."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import polsim
from polsim.cli import main
from polsim.errors import UserInputError
from polsim.output.catalogue import index_runs, list_runs
from polsim.output.report import (
    build_comparison_report,
    build_ensemble_report,
    build_report,
    hemicycle_positions,
    run_panels,
)

RUN_PANELS = {
    "timeline",
    "party-system",
    "genealogy",
    "hemicycle",
    "results",
    "fingerprint",
    "legitimacy",
    "society",
}


def _panels(page: str) -> set[str]:
    return set(re.findall(r'<section class="panel" id="panel-([^"]+)" data-panel="\1"', page))


@pytest.fixture(scope="module")
def kz_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small Kazakhstan run through the 1994 election, saved with its report."""
    run = polsim.simulate("kazakhstan-1990s", seed=2, voters=5000, until="1994-06")
    return run.save(tmp_path_factory.mktemp("kz") / "run")


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short toy-polity run: one small assembly, no organisations."""
    run = polsim.simulate("toy-polity", seed=1, voters=2000, until="1990-04")
    return run.save(tmp_path_factory.mktemp("toy") / "run")


def test_kazakhstan_report_has_every_panel(kz_run: Path) -> None:
    """A Kazakhstan run's report.html, written by save(), has all eight run panels."""
    page = (kz_run / "report.html").read_text()
    assert _panels(page) == RUN_PANELS


def test_toy_report_leaves_out_empty_panels(toy_run: Path) -> None:
    """A run without organisations has no genealogy and no party-system panel."""
    panels = _panels((toy_run / "report.html").read_text())
    assert "genealogy" not in panels and "party-system" not in panels
    assert {"hemicycle", "society"} <= panels


def test_report_is_self_contained(kz_run: Path) -> None:
    """The report loads no script, style or image from elsewhere and embeds plotly.js once."""
    page = (kz_run / "report.html").read_text()
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?https?:", page, re.IGNORECASE)
    assert not re.search(r"<img[^>]*\bsrc\s*=\s*[\"']?https?:", page, re.IGNORECASE)
    assert page.count('<script type="text/javascript">') == 1  # plotly.js, in the head
    assert len(page) < 8_000_000


@pytest.mark.parametrize("seats", [1, 2, 6, 42, 177, 360, 1000])
def test_hemicycle_has_one_position_per_seat(seats: int) -> None:
    """hemicycle_positions gives exactly one distinct point per seat, on the upper half."""
    x, y = hemicycle_positions(seats)
    assert len(x) == len(y) == seats
    assert (y >= -1e-12).all() and (np.hypot(x, y) <= 1 + 1e-9).all()
    assert len({(round(a, 9), round(b, 9)) for a, b in zip(x, y, strict=True)}) == seats


def test_hemicycle_seats_equal_the_house(kz_run: Path) -> None:
    """Each hemicycle draws as many dots as the legislature has seats (360 in 1990, 177 in 1994)."""
    data = polsim.read_run(kz_run)
    (panel,) = [p for p in run_panels(data) if p.name == "hemicycle"]
    dots = {
        fig.layout.title.text.split(" ")[0]: sum(len(t.x) for t in fig.data)
        for fig in panel.figures
    }
    assert dots == {"supreme-soviet-1990": 360, "supreme-kenges-1994": 177}
    elected = data["results"].query("elected").groupby("election").size()
    assert dots["supreme-soviet-1990"] == elected["supreme-soviet-1990"]


def test_report_of_a_non_run_folder_is_one_line(tmp_path: Path, capsys) -> None:
    """polsim report on a missing or non-run folder prints one error line and exits 2."""
    with pytest.raises(UserInputError, match="not a run folder"):
        build_report(tmp_path)
    for target in (tmp_path, tmp_path / "missing"):
        assert main(["report", str(target)]) == 2
        err = capsys.readouterr().err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("polsim: error:"), err


def test_report_command_rebuilds(toy_run: Path, tmp_path: Path, capsys) -> None:
    """polsim report RUN_DIR --out FILE writes the report there and prints its path."""
    target = tmp_path / "again.html"
    assert main(["report", str(toy_run), "--out", str(target)]) == 0
    assert f"Report: {target}" in capsys.readouterr().out.replace("\n", "")
    assert _panels(target.read_text()) == _panels((toy_run / "report.html").read_text())


def test_run_command_prints_the_report(tmp_path: Path, capsys) -> None:
    """polsim run writes report.html into the run folder and prints 'Report: <path>'."""
    out = tmp_path / "r"
    argv = ["run", "toy-polity", "--voters", "1000", "--until", "1990-03", "--quiet"]
    assert main([*argv, "--out", str(out)]) == 0
    printed = capsys.readouterr().out.replace("\n", "")
    assert (out / "report.html").is_file()
    assert f"Report: {out / 'report.html'}" in printed


def test_comparison_report_side_by_side(kz_run: Path, toy_run: Path, tmp_path: Path) -> None:
    """Comparing two runs gives their manifests, overlaid series and both legislatures."""
    path = build_comparison_report(kz_run, toy_run, tmp_path / "cmp.html")
    panels = _panels(path.read_text())
    assert {"manifests", "series", "hemicycles"} <= panels


def test_ensemble_report_has_fan_charts(tmp_path: Path) -> None:
    """An ensemble's report has one fan chart (median and 5-95% band) per main series."""
    from polsim.experiments import ensemble

    result = ensemble("toy-polity", 3, voters=1000, until="1990-04", out=tmp_path / "e", workers=1)
    path = build_ensemble_report(result.path)
    panels = _panels(path.read_text())
    assert {"fan-active_share", "fan-approval", "fan-hardship_mean"} <= panels
    assert main(["report", "--ensemble", str(tmp_path)]) == 2  # not an experiment folder


def test_catalogue_lists_run_folders(kz_run: Path, toy_run: Path, tmp_path: Path) -> None:
    """index_runs catalogues every folder with a manifest and ignores the rest."""
    for name, source in (("a", kz_run), ("b", toy_run)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text((source / "manifest.json").read_text())
    (tmp_path / "not-a-run").mkdir()
    (tmp_path / ".hidden").mkdir()
    index_runs(tmp_path)
    rows = {row["run_id"]: row for row in list_runs(tmp_path)}
    assert set(rows) == {"a", "b"}
    manifest = json.loads((kz_run / "manifest.json").read_text())
    assert rows["a"]["scenario"] == "kazakhstan-1990s" and rows["a"]["voters"] == manifest["voters"]
    assert rows["b"]["has_report"] is False
