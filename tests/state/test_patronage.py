"""Patronage biased toward the president's zhuz; loyalty from office; defection."""

import numpy as np
import pytest

from polsim.engine.calendar import Month
from polsim.state.patronage import distribute_patronage, elite_defection
from polsim.world.presidency import VACANT


def _reset_pool(world):
    elites = world.elites
    elites.organisation[:] = -1
    elites.resources[:] = 0.5
    elites.loyalty[:] = 0.5
    world.presidency.posts[:] = VACANT


def test_vacancies_favour_the_presidents_zhuz(kz_world):
    """With equal resources, the own-zhuz share of new posts follows the log-odds rule."""
    world = kz_world
    _reset_pool(world)
    params = world.scenario.state.patronage
    elites, own = world.elites, world.presidency.zhuz
    n_own = int((elites.zhuz == own).sum())
    n_kazakh = int((elites.zhuz >= 0).sum())
    n_other = len(elites) - n_kazakh
    # Odds of one draw: exp(b_own + b_kaz) : exp(b_kaz) : 1, times the group sizes.
    w_own = n_own * np.exp(params.own_zhuz_bias + params.kazakh_bias)
    w_kaz = (n_kazakh - n_own) * np.exp(params.kazakh_bias)
    expected = w_own / (w_own + w_kaz + n_other)
    shares = []
    for seed in range(2000):  # one vacancy at a time, so each draw has exactly these odds
        _reset_pool(world)
        world.presidency.posts = np.full(1, VACANT, np.int32)
        distribute_patronage(
            world, world.scenario.state.patronage, np.random.default_rng(seed), Month(1992, 1)
        )
        shares.append(float(elites.zhuz[world.presidency.posts[0]] == own))
    # Three standard errors of a proportion over 2,000 draws.
    assert np.mean(shares) == pytest.approx(
        expected, abs=3 * np.sqrt(expected * (1 - expected) / 2000)
    )
    assert np.mean(shares) > n_own / len(elites) + 0.1  # disproportionate, the seed's claim


def test_office_raises_loyalty_by_the_selectorate_rule(kz_world):
    """In office, loyalty gains g0·(1 − W/S) of the gap to 1; out of it, drifts to baseline."""
    world = kz_world
    _reset_pool(world)
    params = world.scenario.state.patronage
    distribute_patronage(
        world, world.scenario.state.patronage, np.random.default_rng(0), Month(1992, 1)
    )
    holders = world.presidency.posts[world.presidency.posts != VACANT]
    w_over_s = len(world.presidency.posts) / len(world.elites)
    gain = params.loyalty_gain * (1 - w_over_s)
    assert world.elites.loyalty[holders] == pytest.approx(0.5 + gain * 0.5, abs=1e-6)
    others = np.setdiff1d(np.arange(len(world.elites)), holders)
    assert world.elites.loyalty[others] == pytest.approx(0.5, abs=1e-6)  # at the baseline


def test_party_members_hold_no_post(kz_world):
    """The government avoids party affiliation: a member of an organisation loses the post."""
    world = kz_world
    _reset_pool(world)
    distribute_patronage(
        world, world.scenario.state.patronage, np.random.default_rng(0), Month(1992, 1)
    )
    holder = int(world.presidency.posts[0])
    world.elites.organisation[holder] = 0  # joins an organisation
    distribute_patronage(
        world, world.scenario.state.patronage, np.random.default_rng(1), Month(1992, 2)
    )
    holders = world.presidency.posts[world.presidency.posts != VACANT]
    assert holder not in holders
    assert (world.elites.organisation[holders] < 0).all()


def test_defection_cascade_needs_disaffected_elites(kz_world):
    """No disaffected elite: no defection. Everyone disaffected: all defect, power moves."""
    world = kz_world
    world.elites.loyalty[:] = 0.9
    assert elite_defection(world, world.scenario.state.patronage) == 0.0
    world.elites.loyalty[:] = 0.0
    assert elite_defection(world, world.scenario.state.patronage) == 1.0
    _reset_pool(world)
    world.elites.loyalty[:] = 0.0
    world.elites.resources[:] = 0.5
    events = distribute_patronage(
        world, world.scenario.state.patronage, np.random.default_rng(0), Month(1992, 1)
    )
    assert any(e.kind == "PowerTransferred" for e in events)
