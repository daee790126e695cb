"""The mechanism registry: declared order, declared sections, no clashes."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from polsim.engine import mechanisms
from polsim.engine.calendar import Month
from polsim.engine.mechanisms import register_mechanism, registered_mechanisms


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch):
    monkeypatch.setattr(mechanisms, "_REGISTRY", {})


def _quiet(world, rng, date):
    return []


def test_mechanisms_come_out_by_phase_then_order():
    """Registration order does not matter: phases run in PHASES order, then by order."""
    register_mechanism("state.b", phase="state", order=20)(lambda w, r, d: [])
    register_mechanism("society.a", phase="society", order=50)(lambda w, r, d: [])
    register_mechanism("state.a", phase="state", order=10)(lambda w, r, d: [])
    register_mechanism("rules.a", phase="rules", order=90)(lambda w, r, d: [])
    assert [m.name for m in registered_mechanisms()] == [
        "rules.a",
        "society.a",
        "state.a",
        "state.b",
    ]


def test_decorator_returns_the_function_unchanged():
    """A registered step is still the plain function, callable directly."""
    assert register_mechanism("society.quiet", phase="society", order=1)(_quiet) is _quiet


def test_a_mechanism_with_a_section_receives_that_section():
    """The declared dotted section of the scenario is handed to the step as params."""
    seen = []

    @register_mechanism("state.x", phase="state", order=1, reads="state.patronage")
    def step(world, params, rng, date):
        seen.append(params)
        return []

    patronage = object()
    world = SimpleNamespace(scenario=SimpleNamespace(state=SimpleNamespace(patronage=patronage)))
    (mechanism,) = registered_mechanisms()
    assert mechanism(world, np.random.default_rng(0), Month(1990, 1)) == []
    assert seen == [patronage]


@pytest.mark.parametrize(
    ("name", "phase", "order", "message"),
    [
        ("society.quiet", "society", 2, "registered twice"),
        ("society.other", "society", 1, "share society 1"),
        ("society.other", "weather", 1, "unknown phase"),
    ],
)
def test_clashes_are_refused(name, phase, order, message):
    """A second step under one name, two mechanisms in one slot, or an unknown phase fail."""
    register_mechanism("society.quiet", phase="society", order=1)(_quiet)
    with pytest.raises(ValueError, match=message):
        register_mechanism(name, phase=phase, order=order)(lambda w, r, d: [])
