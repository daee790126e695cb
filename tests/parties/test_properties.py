"""Property tests: lineage, conservation of members, and the finality of dissolution."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polsim.engine.calendar import Month
from polsim.parties.lineage import lineage_problems
from polsim.parties.mergers import merge_organisations
from polsim.parties.splits import split_organisations
from polsim.run.schedule import MONTHLY_MECHANISMS

from .conftest import make_voters, make_world

PARTY_MECHANISMS = [m for m in MONTHLY_MECHANISMS if m.name.startswith("parties.")]


def _two_group_world(seed: int, params: dict):
    rng = np.random.default_rng(seed)
    n = 3000
    group = rng.integers(0, 2, n)
    positions = rng.normal(0, 0.3, (n, 2)) + np.where(group[:, None] == 1, [0, -0.4], [0, 0.4])
    voters = make_voters(positions, ethnicity=group, zhuz=rng.integers(-1, 3, n))
    return make_world(voters, params, elites=300, seed=seed)


parameters = st.fixed_dictionaries(
    {
        "birth_rate": st.floats(0.3, 1.0),
        "split_rate": st.floats(0.0, 2.0),
        "merger_rate": st.floats(0.0, 1.0),
        "learning_time": st.floats(1.0, 50.0),
        "merger_radius": st.floats(0.1, 0.8),
        "survival_threshold": st.floats(0.0, 0.1),
        "ethnic_bonus": st.floats(0.0, 0.3),
        "min_utility": st.floats(-0.5, 0.0),
        "attachment_rate": st.floats(0.0, 0.2),
        "attachment_bonus": st.floats(0.0, 0.1),
        "cooptation_rate": st.floats(0.0, 0.5),
        "refusal_probability": st.floats(0.0, 1.0),
        "registration_tolerance": st.floats(0.0, 1.0),
        "spawn_rate": st.floats(0.0, 0.3),
    }
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=parameters, seed=st.integers(0, 10_000))
def test_lineage_complete_and_dissolved_never_act(params, seed):
    """After random months of every party mechanism, the lineage is complete and acyclic,
    and no event after an organisation's dissolution names it or changes it."""
    world = _two_group_world(seed, params)
    rng = np.random.default_rng(seed)
    date = Month(1990, 1)
    events, frozen = [], {}
    for _ in range(30):
        world.date = date
        for mechanism in PARTY_MECHANISMS:
            events.extend(mechanism(world, rng, date))
        for org in world.organisations:
            if org.dissolved is not None and org.dissolved < date:
                snapshot = (tuple(org.position), org.fitness, org.members, org.coopted)
                assert frozen.setdefault(org.id, snapshot) == snapshot
        date = date + 1
    table = world.organisations
    assert lineage_problems(table) == []
    for event in events:
        for actor in event.actors:
            if actor.startswith("org:"):
                org = table[int(actor[4:])]
                assert org.dissolved is None or event.date <= org.dissolved
    assert set(np.unique(table.choice)) <= {-1} | {o.id for o in table.alive()} | {
        o.id for o in table if o.dissolved == date - 1
    }


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), months=st.integers(3, 12))
def test_splits_and_mergers_conserve_members(seed, months):
    """A split's two sides, and a merger's result, hold exactly the members that went in."""
    world = _two_group_world(seed, {"birth_rate": 1.0, "learning_time": 1.0})
    rng = np.random.default_rng(seed)
    date = Month(1990, 1)
    support, founding = PARTY_MECHANISMS[1], PARTY_MECHANISMS[3]
    for _ in range(months):
        world.date = date
        support(world, rng, date)
        founding(world, rng, date)
        date = date + 1
    world.date = date
    support(world, rng, date)
    table = world.organisations
    before = {o.id: o.members for o in table.alive()}
    total = sum(before.values())
    world.scenario = world.scenario.model_copy(
        update={
            "parties": world.scenario.parties.model_copy(
                update={"split_rate": 50.0, "merger_rate": 1.0, "merger_radius": 2.0}
            )
        }
    )
    for event in split_organisations(world, world.scenario.parties, rng, date):
        assert event.members_moved + event.members_left == np.float64(before[event.parent])
        assert table[event.child].members == event.members_moved
    after_split = {o.id: o.members for o in table.alive()}
    assert abs(sum(after_split.values()) - total) <= 1e-9 * max(total, 1.0)
    for event in merge_organisations(world, world.scenario.parties, rng, date):
        assert event.members == sum(after_split[p] for p in event.parents)
    after_merge = sum(o.members for o in table.alive())
    assert abs(after_merge - total) <= 1e-9 * max(total, 1.0)
