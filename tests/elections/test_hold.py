"""The election mechanism end to end: rounds, repeats, the for/against ballot, outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import polsim
from polsim.engine.calendar import Month
from polsim.run.simulation import Simulation
from polsim.scenario.loader import load_scenario

MARCH_1990 = Month(1990, 3)


def _toy(**behaviour):
    scenario = load_scenario("toy-polity")
    params = scenario.elections_behaviour.model_copy(update=behaviour)
    return scenario.model_copy(update={"elections_behaviour": params})


def _run(scenario, voters=6000, until=MARCH_1990, seed=2):
    sim = Simulation(scenario, seed, voters, until)
    sim.run()
    from polsim.elections.hold import results_table

    return sim, results_table(sim.recorder.rows("results")).to_pandas()


def test_low_turnout_calls_a_repeat_election():
    """Turnout far below 50% of registered voids every race and calls a repeat."""
    sim, results = _run(_toy(turnout_intercept=-6.0, mobilisation=0.0))
    repeats = sim.log.of_kind("RepeatElectionCalled")
    assert len(repeats) == 1 and len(repeats[0].districts) == 6
    assert repeats[0].held_on == "1990-05"
    assert not results["elected"].any()
    assert sim.world.elections_called[0].election.date == Month(1990, 5)


def test_majority_elects_in_the_first_round():
    """A candidate far ahead of the rest wins outright: no runoff is held."""
    sim, results = _run(
        _toy(
            spatial_weight=0.0,
            ethnic_bonus=0.0,
            clan_bonus=0.0,
            regime_bonus=10.0,
            endorsement_rate=1.0,
            refusal_base=0.0,
            refusal_distance=0.0,
        )
    )
    assert set(results["round"]) == {1}
    assert results.groupby("district")["elected"].sum().eq(1).all()
    assert not sim.log.of_kind("RunoffHeld")


def test_split_field_goes_to_a_top_two_runoff():
    """Many equal candidates: nobody has a majority, the top two meet in round 2."""
    sim, results = _run(
        _toy(
            spatial_weight=0.0,
            ethnic_bonus=0.0,
            clan_bonus=0.0,
            party_bonus=0.0,
            regime_bonus=0.0,
            independents_per_district=8.0,
            refusal_base=0.0,
            refusal_distance=0.0,
        )
    )
    second = results[results["round"] == 2]
    assert second.groupby("district").size().eq(2).all()
    first = results[results["round"] == 1]
    for district, rows in second.groupby("district"):
        top = first[first["district"] == district].nlargest(2, "votes")["candidate"]
        assert set(top) == set(rows["candidate"])
    assert len(sim.log.of_kind("RunoffHeld")) == second["district"].nunique()
    assert results.groupby("district")["elected"].sum().eq(1).all()


def test_toy_run_writes_results_parquet(tmp_path):
    """results.parquet: the body's seats are filled, votes ≥ 0, one winner per district."""
    run = polsim.simulate("toy-polity", seed=1, voters=6000, until="1991-07")
    folder = run.save(tmp_path / "run")
    results = pd.read_parquet(folder / "results.parquet")
    assert list(results.columns) == [
        "election",
        "date",
        "body",
        "round",
        "district",
        "candidate",
        "org",
        "org_name",
        "ethnicity",
        "zhuz",
        "votes",
        "elected",
        "seats",
    ]
    assembly = results[results["election"] == "assembly-1990"]
    assert assembly["elected"].sum() == 6
    assert (results["votes"] >= 0).all()
    assert assembly.groupby("district")["elected"].sum().eq(1).all()
    units = pd.read_parquet(folder / "units.parquet")
    assert (units["ballots"] <= units["registered"] + 1e-6).all()
    assert (units["endorsed_votes"] <= units["ballots"] + 1e-6).all()
    president = results[results["election"] == "president-1991"]
    assert president["elected"].sum() == 1


def test_runs_without_elections_have_empty_tables():
    """A run that holds no election still has results and units tables, with their schema."""
    run = polsim.simulate("toy-polity", seed=1, voters=2000, until="1990-02")
    assert run.tables["results"].num_rows == 0
    assert "endorsed_votes" in run.tables["units"].column_names


def test_same_seed_same_results():
    """Byte-identical results for the same seed."""
    _, a = _run(_toy(), seed=4)
    _, b = _run(_toy(), seed=4)
    pd.testing.assert_frame_equal(a, b)


def test_single_candidate_for_against_and_refusals():
    """1991: only the incumbent may register; the others are refused; for/against ballot."""
    scenario = load_scenario("kazakhstan-1990s")
    scenario = scenario.model_copy(
        update={"start": Month(1991, 12), "elections": [scenario.elections[1]]}
    )
    sim, results = _run(scenario, voters=20_000, until=Month(1991, 12))
    assert list(results["candidate"]) == ["incumbent", "against"]
    assert results["elected"].tolist() == [True, False]
    assert sim.log.of_kind("CandidateRegistrationRefused")


@pytest.mark.parametrize("voters", [40_000])
def test_kazakh_1994_system(voters):
    """1994: 135 two-round districts plus 42 of 65 state-list nominees."""
    scenario = load_scenario("kazakhstan-1990s")
    scenario = scenario.model_copy(
        update={
            "start": Month(1994, 3),
            "elections": [scenario.state.legislatures.successor],
        }
    )
    sim, results = _run(scenario, voters=voters, until=Month(1994, 3))
    state = results[results["district"] == "state-list"]
    assert len(state) == 65 and state["elected"].sum() == 42
    districts = results[results["district"] != "state-list"]
    assert districts["district"].nunique() == 135
    winners = districts.groupby("district")["elected"].sum()
    assert winners.max() == 1
    void = sum(len(e.districts) for e in sim.log.of_kind("RepeatElectionCalled"))
    assert winners.sum() + void == 135
    held = sim.log.of_kind("ElectionHeld")[0]
    assert held.seats == 177 and held.seats_filled == winners.sum() + 42
    assert np.isfinite(results["votes"]).all()
