"""Shared fixtures: small scenarios and runs that many tests reuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from polsim.scenario import load_scenario
from polsim.scenario.schema import Scenario

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def toy() -> Scenario:
    """The built-in teaching polity."""
    return load_scenario("toy-polity")


@pytest.fixture(scope="session")
def kazakhstan() -> Scenario:
    """The reference scenario."""
    return load_scenario("kazakhstan-1990s")
