"""Shared helpers of the experiment tests: small, fast toy-polity experiments."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from polsim.cli import main

#: Small runs: 1,000 voters, four months of the toy polity.
SMALL = {"voters": 1000, "until": "1990-04"}
SMALL_FLAGS = ["--voters", "1000", "--until", "1990-04", "--quiet"]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the polsim command in-process; return (status, stdout, stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(err: str, *needles: str) -> None:
    """Assert ``err`` is one ``polsim: error:`` line containing every needle."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("polsim: error:"), lines[0]
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]
