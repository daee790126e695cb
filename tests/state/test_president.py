"""The president's choices and the ways power changes hands (docs/model.md §3.2)."""

import numpy as np
import pytest

from polsim.engine.calendar import Month
from polsim.state.president import risk_of_losing, transfer_power, update_president


def test_risk_of_losing_is_the_normal_tail():
    """Φ((0.5 − s)/sd): an even race is a coin toss; 0.7 ± 0.1 loses 2.3% of the time."""
    assert risk_of_losing(0.5, 0.1) == pytest.approx(0.5)
    assert risk_of_losing(0.7, 0.1) == pytest.approx(0.02275, abs=1e-5)
    assert risk_of_losing(0.3, 0.1) == pytest.approx(1 - 0.02275, abs=1e-5)


def _due_world(kz_world, approval, history):
    world = kz_world
    p = world.presidency
    p.term_ends = Month(1996, 12)
    p.approval = approval
    p.approval_history = list(history)
    world.society.hardship[:] = 0.0
    return world


def test_a_safe_president_holds_the_election_on_time(kz_world):
    """Approval steady near 0.8: low risk, no fall expected: hold on time, at the due date."""
    world = _due_world(kz_world, 0.8, [0.8] * 12)
    events = update_president(
        world, world.scenario.state.president, np.random.default_rng(0), Month(1995, 7)
    )
    choice = next(e for e in events if e.kind == "PresidentialChoice")
    called = next(e for e in events if e.kind == "ElectionCalled")
    assert choice.choice == "hold on time"
    assert called.held_on == "1996-12"


def test_a_falling_president_holds_early(kz_world):
    """Safe now but falling fast: hold early, three months on."""
    history = np.linspace(0.95, 0.85, 12)
    world = _due_world(kz_world, 0.85, history)
    events = update_president(
        world, world.scenario.state.president, np.random.default_rng(0), Month(1995, 7)
    )
    choice = next(e for e in events if e.kind == "PresidentialChoice")
    assert choice.choice == "hold early"
    assert next(e for e in events if e.kind == "ElectionCalled").held_on == "1995-10"


def test_a_president_at_risk_seeks_an_extension(kz_world):
    """Expected share near one half: the risk is high, so a term-extension referendum."""
    world = _due_world(kz_world, 0.52, [0.55] * 12)
    events = update_president(
        world, world.scenario.state.president, np.random.default_rng(0), Month(1995, 7)
    )
    choice = next(e for e in events if e.kind == "PresidentialChoice")
    assert choice.choice == "seek a term extension by referendum"
    assert world.elections_called[-1].system.formula == "referendum"


def test_the_choice_is_made_once_per_term(kz_world):
    """After deciding, the president does not decide again for the same term."""
    world = _due_world(kz_world, 0.8, [0.8] * 12)
    update_president(
        world, world.scenario.state.president, np.random.default_rng(0), Month(1995, 7)
    )
    events = update_president(
        world, world.scenario.state.president, np.random.default_rng(0), Month(1995, 8)
    )
    assert not [e for e in events if e.kind == "PresidentialChoice"]


def test_a_passed_referendum_extends_the_term(kz_world):
    """A plebiscite that passes moves the term's end by extension_months."""
    world = _due_world(kz_world, 0.6, [0.6] * 12)
    world.referendum_outcomes.append(("term-extension-referendum", True))
    update_president(
        world, world.scenario.state.president, np.random.default_rng(0), Month(1995, 5)
    )
    months = world.scenario.state.president.extension_months
    assert world.presidency.term_ends == Month(1996, 12) + months


def test_a_lost_election_transfers_power(kz_world):
    """An incumbent who loses the presidential election leaves; the guarantor is gone."""
    world = kz_world
    world.presidential_outcomes.append(("presidential", False))
    efficiency = world.regime.efficiency
    events = update_president(
        world, world.scenario.state.president, np.random.default_rng(0), Month(1996, 12)
    )
    assert [e.reason for e in events if e.kind == "PowerTransferred"] == [
        "lost the presidential election"
    ]
    assert not world.presidency.original and not world.regime.guarantor_present
    loss = world.scenario.state.president.successor_efficiency_loss
    assert world.regime.efficiency == pytest.approx(efficiency * (1 - loss))


def test_the_counterfactual_removes_the_guarantor_on_its_date(kz_world):
    """counterfactuals.no_guarantor_from removes the president in that month."""
    world = kz_world
    scenario = world.scenario.model_copy(
        update={
            "counterfactuals": world.scenario.counterfactuals.model_copy(
                update={"no_guarantor_from": Month(1994, 1)}
            )
        }
    )
    world.scenario = scenario
    assert not update_president(
        world, world.scenario.state.president, np.random.default_rng(0), Month(1993, 12)
    ) or (world.presidency.original)
    events = update_president(
        world, world.scenario.state.president, np.random.default_rng(0), Month(1994, 1)
    )
    assert any(e.kind == "PowerTransferred" for e in events)


def test_transfer_power_names_a_successor(kz_world):
    """A successor takes office with the scenario's successor approval and a new term."""
    world = kz_world
    events = transfer_power(world, Month(1994, 1), "test")
    params = world.scenario.state.president
    assert world.presidency.approval == params.successor_approval
    assert world.presidency.term_ends == Month(1994, 1) + params.term_months
    assert events[0].successor.startswith("successor of")
