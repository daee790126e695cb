"""Resignations, dissolution votes and elections called by dissolution (docs/model.md §3.3)."""

import numpy as np
import pytest

from polsim.engine.calendar import Month
from polsim.state.legislatures import update_legislatures
from polsim.world.legislatures import LOCAL, NATIONAL, OBLAST


def _freeze_legitimacy(world, value):
    leg = world.legislatures
    leg.base_legitimacy[:] = value
    leg.erosion[:] = 0.0
    world.society.hardship[:] = 0.0  # so that L_b = L0 exactly


def test_bodies_at_three_levels(kz_world):
    """Local and oblast soviets for each of the 18 oblasts, and a national body of 360."""
    leg = kz_world.legislatures
    assert (leg.level == LOCAL).sum() == 18 and (leg.level == OBLAST).sum() == 18
    assert leg.seats()[leg.national] == 360
    assert leg.name[leg.national] == "supreme-soviet"
    # National deputies are elites from the pool (so patronage reaches them).
    national = leg.deputy_body == leg.national
    assert (leg.deputy_elite[national] >= 0).all() and (leg.deputy_elite[~national] == -1).all()


def test_no_pressure_no_resignation(kz_world):
    """Without the president's pressure or any resigned peer, nobody with θ > 0 resigns."""
    world = kz_world
    world.presidency.pressure = 0.0
    _freeze_legitimacy(world, 0.0)  # every deputy finds the body illegitimate
    events = update_legislatures(
        world, world.scenario.state.legislatures, np.random.default_rng(0), Month(1993, 11)
    )
    assert events == []


def test_loyal_deputies_under_pressure_resign_first_and_the_cascade_follows(kz_world):
    """Full pressure on illegitimate bodies: loyal deputies resign, and whole bodies go."""
    world = kz_world
    world.presidency.pressure = 1.0
    _freeze_legitimacy(world, 0.0)
    events = update_legislatures(
        world, world.scenario.state.legislatures, np.random.default_rng(0), Month(1993, 11)
    )
    kinds = [e.kind for e in events]
    assert "DeputyResigned" in kinds and "BodyDissolved" in kinds
    dissolved_levels = [e.level for e in events if e.kind == "BodyDissolved"]
    # The wave climbs: the first dissolution is local, and local precedes national.
    assert dissolved_levels[0] == "local"
    if "national" in dissolved_levels:
        assert dissolved_levels.index("national") > dissolved_levels.index("local")


def test_legitimate_bodies_keep_their_deputies(kz_world):
    """A body above every deputy's tolerance loses nobody, whatever the pressure."""
    world = kz_world
    world.presidency.pressure = 1.0
    _freeze_legitimacy(world, 1.0)
    assert (
        update_legislatures(
            world, world.scenario.state.legislatures, np.random.default_rng(0), Month(1993, 11)
        )
        == []
    )


def test_national_dissolution_calls_the_successor_election(kz_world):
    """A dissolved national body calls its successor's election election_lag months on."""
    world = kz_world
    leg = world.legislatures
    national = leg.national
    members = np.flatnonzero(leg.deputy_body == national)
    leg.deputy_resigned[members[:120]] = True  # past the quorum (a third)
    world.presidency.pressure = 0.0
    _freeze_legitimacy(world, 1.0)
    date = Month(1993, 12)
    events = update_legislatures(
        world, world.scenario.state.legislatures, np.random.default_rng(0), date
    )
    dissolved = [e for e in events if e.kind == "BodyDissolved"]
    assert [(e.body, e.how, e.resigned) for e in dissolved] == [
        ("supreme-soviet", "inquorate", 120)
    ]
    (called,) = [e for e in events if e.kind == "ElectionCalled"]
    lag = world.scenario.state.legislatures.election_lag
    assert called.held_on == str(date + lag) == "1994-03"
    assert world.elections_called[-1].date == date + lag
    assert world.elections_called[-1].system.seats == 177


def test_dissolution_vote_counts_the_remaining_deputies(kz_world):
    """Past the vote trigger, the vote carries when most remaining deputies say yes."""
    world = kz_world
    leg = world.legislatures
    national = leg.national
    members = np.flatnonzero(leg.deputy_body == national)
    leg.deputy_resigned[members[:40]] = True  # 11%: past the 10% trigger, short of quorum
    world.presidency.pressure = 0.0
    _freeze_legitimacy(world, 0.0)  # below every tolerance: everyone votes yes
    leg.deputy_threshold[:] = 1.0  # and nobody else resigns
    events = update_legislatures(
        world, world.scenario.state.legislatures, np.random.default_rng(0), Month(1993, 12)
    )
    votes = [e for e in events if e.kind == "DissolutionVote" and e.body == "supreme-soviet"]
    assert votes and votes[0].carried and votes[0].yes == 320 and votes[0].no == 0
    assert leg.dissolved[national]


def test_called_election_renews_the_bodies(kz_world):
    """When the called election comes, the national body is re-formed with its new seats."""
    world = kz_world
    leg = world.legislatures
    leg.dissolved[:] = True
    successor = world.scenario.state.legislatures.successor
    world.elections_called.append(successor.model_copy(update={"date": Month(1994, 3)}))
    events = update_legislatures(
        world, world.scenario.state.legislatures, np.random.default_rng(0), Month(1994, 3)
    )
    assert sum(e.kind == "BodyRenewed" for e in events) == leg.n_bodies
    assert not leg.dissolved.any()
    assert leg.name[leg.national] == "supreme-kenges"
    assert leg.seats()[leg.national] == 177
    assert not leg.deputy_resigned.any()


@pytest.mark.parametrize("level", [LOCAL, OBLAST, NATIONAL])
def test_peer_network_stays_within_bodies(kz_world, level):
    """Peer links join deputies of the same body only."""
    leg = kz_world.legislatures
    a, b = leg.peer_edges[:, 0], leg.peer_edges[:, 1]
    assert np.array_equal(leg.deputy_body[a], leg.deputy_body[b])
    assert (leg.level[leg.deputy_body[a]] == level).any()
