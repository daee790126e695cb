import numpy as np
import pytest

from polsim.engine.calendar import Month
from polsim.engine.streams import RandomStreams
from polsim.run.simulation import build_world
from polsim.scenario.schema import EconomicSeries
from polsim.society.grievance import grievance_of, perceived_legitimacy_table, update_grievance
from polsim.society.hardship import economic_shock, hardship_of, update_hardship


def test_shock_interpolates_mid_year_levels():
    """Index 100 in 1990 and 80 in 1991, read at mid-year: January 1991 is halfway."""
    series = EconomicSeries(index={1990: 100, 1991: 80}, base_year=1990)
    assert economic_shock(series, Month(1990, 7)) == pytest.approx(0.0)
    assert economic_shock(series, Month(1991, 1)) == pytest.approx(0.1)
    assert economic_shock(series, Month(1995, 1)) == pytest.approx(0.2)  # held after the end


def test_hardship_rule_by_hand(toy):
    """H = clip(H0 + s·shock − e·relief, 0, 1), checked voter by voter."""
    world = build_world(toy, 2000, RandomStreams(0))
    date = Month(1992, 7)
    update_hardship(world, world.scenario.society.hardship, np.random.default_rng(0), date)
    v = world.voters
    shock = economic_shock(toy.economy, date)
    expected = np.clip(
        v.base_hardship + v.shock_sensitivity * shock - world.regime.efficiency * 0.1, 0, 1
    )
    assert np.allclose(hardship_of(world), expected, atol=1e-6)


def test_grievance_is_hardship_times_distrust(toy):
    """G = H·(1 − L_i): minorities and other zhuzes see lower legitimacy (Epstein 2002)."""
    world = build_world(toy, 2000, RandomStreams(0))
    update_hardship(
        world, world.scenario.society.hardship, np.random.default_rng(0), Month(1992, 1)
    )
    update_grievance(world, world.scenario.society, np.random.default_rng(0), Month(1992, 1))
    table = perceived_legitimacy_table(world)
    # Titular of the president's zhuz (Senior, column 1): full 0.6; other zhuzes 0.55;
    # Minority (no zhuz, column 0): 0.6 − 0.15.
    assert table[0, 1] == pytest.approx(0.6)
    assert table[0, 2] == pytest.approx(0.55)
    assert table[1, 0] == pytest.approx(0.45)
    v = world.voters
    expected = hardship_of(world) * (1 - table[v.ethnicity, v.zhuz + 1])
    assert np.allclose(grievance_of(world), expected, atol=1e-6)


def test_before_the_first_step_hardship_is_base_and_grievance_zero(toy):
    """Nothing is held: a synthesised world reads H = H0 and G = 0, as synthesis set them."""
    world = build_world(toy, 2000, RandomStreams(0))
    assert np.array_equal(hardship_of(world), world.voters.base_hardship)
    assert not grievance_of(world).any()


def test_grievance_is_fixed_at_its_step(kazakhstan):
    """G read later in the month is the step's: legitimacy and backing move after it."""
    world = build_world(kazakhstan, 3000, RandomStreams(1))
    update_hardship(
        world, world.scenario.society.hardship, np.random.default_rng(0), Month(1993, 1)
    )
    update_grievance(world, world.scenario.society, np.random.default_rng(0), Month(1993, 1))
    before = grievance_of(world)
    world.regime.legitimacy *= 0.5
    world.regime.efficiency = 0.0
    world.organisations.choice[:] = 0
    assert np.array_equal(grievance_of(world), before)
    assert np.array_equal(grievance_of(world, slice(100, 200)), before[100:200])
