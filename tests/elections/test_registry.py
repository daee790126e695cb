"""The formula registry: every formula the schema accepts has a race family (or is named
as not simulated), unknown formulas are refused with the registry's list, and a family
registered with one decorator is what ``hold_elections`` calls."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pytest

from polsim.elections import registry
from polsim.elections.hold import hold_elections, registered_formulas, results_table
from polsim.elections.race import ElectionOutcome, RaceContext
from polsim.elections.rounds import held_event
from polsim.elections.tables import result_rows
from polsim.engine.calendar import Month
from polsim.engine.events import ElectionHeld
from polsim.engine.streams import RandomStreams
from polsim.errors import ScenarioError
from polsim.run.simulation import Simulation, build_world
from polsim.scenario.loader import load_scenario
from polsim.scenario.schema import ElectoralFormula, ElectoralSystem

MARCH_1990 = Month(1990, 3)
#: Formulas the schema accepts that no race family holds yet.
NOT_SIMULATED = {"indirect"}


def _toy_with(system: ElectoralSystem):
    """The toy polity whose 1990 assembly election uses ``system``."""
    scenario = load_scenario("toy-polity")
    election = scenario.elections[0].model_copy(update={"system": system})
    return scenario.model_copy(update={"elections": [election, *scenario.elections[1:]]})


def test_schema_formulas_are_the_registry_and_the_unsimulated():
    """The schema's ElectoralFormula list is exactly the registered formulas plus those
    named as not simulated (the scenario room keeps its own list; this keeps them equal)."""
    registered = set(registered_formulas())
    assert registered == set(get_args(ElectoralFormula)) - NOT_SIMULATED
    assert not registered & NOT_SIMULATED
    assert len(registered_formulas()) == len(registered)  # each registered once


def test_unknown_formula_error_lists_the_registry():
    """A formula without a family ends in a ScenarioError naming the election, the
    formula and every registered formula."""
    world = build_world(_toy_with(ElectoralSystem(formula="indirect")), 500, RandomStreams(1))
    with pytest.raises(ScenarioError) as error:
        hold_elections(world, np.random.default_rng(0), MARCH_1990)
    message = str(error.value)
    assert "'assembly-1990'" in message and "'indirect'" in message
    assert all(formula in message for formula in registered_formulas())


def test_a_formula_registered_twice_is_refused(monkeypatch):
    """Registering a formula that already has a family raises, so two families never
    silently replace each other."""
    monkeypatch.setattr(registry, "_FAMILIES", dict(registry._FAMILIES))
    with pytest.raises(ValueError, match="already registered"):
        registry.register("two_round")(lambda race: ElectionOutcome())


def test_a_registered_family_is_held_and_its_rows_reach_the_recorder(monkeypatch):
    """One decorated function makes a formula simulated: hold_elections hands it the race
    context, and the rows it returns reach the run's recorder, not the world."""
    monkeypatch.setattr(registry, "_FAMILIES", dict(registry._FAMILIES))
    seen: list[RaceContext] = []

    @registry.register("indirect")
    def hold_indirect(race: RaceContext) -> ElectionOutcome:
        seen.append(race)
        out = ElectionOutcome()
        # Two seats named by the body itself: no votes, both elected.
        seats = np.ones(2, np.int64)
        nominees = [_delegate(0, "delegate-1"), _delegate(0, "delegate-2")]
        names = ("body",)
        out.results.append(result_rows(race.election, (), 1, nominees, np.zeros(2), seats, names))
        out.events.append(
            held_event(race, rounds=1, turnout=0.0, seats=2, seats_filled=2, candidates=2)
        )
        return out

    assert "indirect" in registered_formulas()
    sim = Simulation(_toy_with(ElectoralSystem(formula="indirect", seats=2)), 1, 500, MARCH_1990)
    sim.run()
    assert len(seen) == 1 and seen[0].date == MARCH_1990
    assert seen[0].election.name == "assembly-1990" and seen[0].called.attempt == 0
    results = results_table(sim.recorder.rows("results")).to_pandas()
    assert list(results["candidate"]) == ["delegate-1", "delegate-2"]
    assert results["elected"].all() and (results["district"] == "body").all()
    held = [e for e in sim.log if isinstance(e, ElectionHeld)]
    assert [(e.formula, e.seats_filled) for e in held] == [("indirect", 2)]
    assert not hasattr(sim.world, "election_results")


def test_outcome_iterates_over_its_events():
    """An ElectionOutcome is the mechanism's event list: iterating and len see its events."""
    event = ElectionHeld(
        date=MARCH_1990,
        actors=("election:e", "body:b"),
        election="e",
        body="b",
        formula="two_round",
        rounds=1,
        turnout=0.5,
        seats=1,
        seats_filled=1,
        candidates=2,
    )
    outcome = ElectionOutcome(events=[event])
    assert list(outcome) == [event] and len(outcome) == 1
    assert outcome.rows == {"results": [], "units": []}


def _delegate(district: int, name: str):
    from polsim.elections.candidates import Nominee

    return Nominee(district, name, -1, "", -1, -1, (0.0, 0.0), False, "organisation")
