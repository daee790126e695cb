"""Simulated list PR, block vote, MMP, state list and plurality elections (docs/model.md §4.3.6).

Two kinds of check: the toy polity run end to end with its 1990 assembly's system
swapped (it has no organisations then, so the regime's list or an empty field must be
handled), and hand-checkable worlds where four registered parties hold 35/25/20/20% (or
50/30/15/5%) of the voters, every voter attached, with a party bonus so large that each
voter votes for their party (P ≈ e^10/(e^10 + 3) > 0.9998) and no fraud, regime list or
independents. The expected seats are then worked out by hand from the shares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from polsim.elections.allocation import allocate_seats, passes_threshold
from polsim.elections.districts import apportion_district_seats
from polsim.elections.hold import (
    RESULT_SCHEMA,
    hold_elections,
    results_table,
    units_table,
)
from polsim.elections.slate_count import top_choices
from polsim.elections.systems import mmp
from polsim.elections.voting import Ballot, CandidateTable
from polsim.engine.calendar import Month
from polsim.engine.streams import RandomStreams
from polsim.run.simulation import Simulation, build_world
from polsim.scenario.loader import load_scenario
from polsim.scenario.schema import ElectionParameters, ElectoralSystem

MARCH_1990 = Month(1990, 3)
PARTIES = ("Alpha", "Beta", "Gamma", "Delta")


def _scenario(system: ElectoralSystem, **behaviour):
    """Toy polity whose 1990 assembly election uses ``system``."""
    scenario = load_scenario("toy-polity")
    election = scenario.elections[0].model_copy(update={"system": system})
    params = scenario.elections_behaviour.model_copy(update=behaviour)
    return scenario.model_copy(
        update={"elections": [election, *scenario.elections[1:]], "elections_behaviour": params}
    )


def _simulate(system: ElectoralSystem, voters=4000, seed=3, **behaviour):
    sim = Simulation(_scenario(system, **behaviour), seed, voters, MARCH_1990)
    sim.run()
    results = results_table(sim.recorder.rows("results")).to_pandas()
    return sim, results[results["election"] == "assembly-1990"]


#: Behaviour of the hand-checkable worlds: everyone votes, and votes for their party.
CERTAIN = dict(
    spatial_weight=0.0,
    ethnic_bonus=0.0,
    clan_bonus=0.0,
    party_bonus=10.0,
    regime_bonus=0.0,
    endorsement_rate=0.0,
    independents_per_district=0.0,
    refusal_base=0.0,
    refusal_distance=0.0,
    organisation_support=0.03,
    turnout_intercept=6.0,
    turnout_hardship=0.0,
    turnout_grievance=0.0,
    turnout_legitimacy=0.0,
    turnout_urban=0.0,
    mobilisation=0.0,
    unit_turnout_sd=0.0,
)


def _party_world(system: ElectoralSystem, shares, voters=6000, seed=5, coopted=False, **behaviour):
    """A toy world with four registered parties (Alpha co-opted if ``coopted``); each
    voter backs a party drawn with the shares."""
    scenario = _scenario(system, **{**CERTAIN, **behaviour})
    world = build_world(scenario, voters, RandomStreams(seed))
    for k, name in enumerate(PARTIES):
        world.organisations.add(
            name=name,
            kind="party",
            founded=Month(1990, 1),
            leader=-1,
            position=np.array([0.2 * k - 0.3, 0.0]),
            ethnic_base=0,
            zhuz=-1,
            rule="sticker",
            registered=True,
            coopted=coopted and k == 0,
            coopted_on=Month(1990, 1) if coopted and k == 0 else None,
        )
    # Shares hold in every oblast: each voter's party by a random draw in proportion.
    rng = np.random.default_rng(seed)
    attachment = rng.choice(len(shares), size=len(world.voters), p=np.asarray(shares))
    world.voters.attachment[:] = attachment.astype(world.voters.attachment.dtype)
    events = hold_elections(world, np.random.default_rng(seed + 1), MARCH_1990)
    results = results_table(events.results).to_pandas()
    return world, events, results


def _well_formed(results: pd.DataFrame) -> None:
    """Rows have the schema's columns, finite votes ≥ 0, and elected == (seats > 0)."""
    assert list(results.columns) == RESULT_SCHEMA.names
    assert np.isfinite(results["votes"]).all() and (results["votes"] >= 0).all()
    assert (results["elected"] == (results["seats"] > 0)).all()
    assert (results["seats"] >= 0).all()


def _held(events):
    return next(e for e in events if type(e).__name__ == "ElectionHeld")


# --- list PR ------------------------------------------------------------------------------


def test_list_pr_by_hand_dhondt_with_threshold():
    """50/30/15/5%, 20 seats, D'Hondt, 7% threshold: 11/6/3/0 (without it Delta takes 1).

    By hand: D'Hondt quotients 50/k, 30/k, 15/k; the 20th largest is Alpha's 11th
    (4.55), the 21st Beta's 7th (4.29): Alpha 11, Beta 6, Gamma 3. Delta's 5% is below 7%
    and wins nothing, although its first quotient (5) would beat Alpha's 11th.
    """
    system = ElectoralSystem(formula="list_pr", seats=20, method="dhondt", threshold=0.07)
    world, events, results = _party_world(system, (0.5, 0.3, 0.15, 0.05))
    _well_formed(results)
    seats = results.set_index("candidate")["seats"]
    assert seats.to_dict() == {"Alpha": 11, "Beta": 6, "Gamma": 3, "Delta": 0}
    assert set(results["district"]) == {"national"}
    held = _held(events)
    assert held.seats == 20 and held.seats_filled == 20 and held.formula == "list_pr"
    # The threshold is what keeps Delta out: the same votes without it give Delta a seat.
    votes = results.set_index("candidate")["votes"].to_dict()
    assert allocate_seats(votes, 20, "dhondt").seats[3] == 1
    # Unit rows: every polling unit, labelled by oblast.
    units = units_table(events.units).to_pandas()
    assert set(units["district"]) == set(world.oblasts)
    assert np.isclose(units["ballots"].sum(), results["votes"].sum())


def test_list_pr_endorsed_list_is_stuffed_unit_by_unit():
    """The regime endorses its co-opted vehicle's list (no list of its own); with extreme
    fraud in about half the units (Klimek et al. 2012) those units report near-100%
    turnout for it and its national share rises far above its 35% of backers."""
    system = ElectoralSystem(formula="list_pr", seats=10)
    _world, events, results = _party_world(
        system, (0.35, 0.25, 0.2, 0.2), coopted=True, endorsement_rate=1.0, fraud_extreme=0.5
    )
    _well_formed(results)
    assert "regime-list" not in set(results["candidate"])
    units = units_table(events.units).to_pandas()
    extreme = units[units["fraud"] == "extreme"]
    assert 0.25 < len(extreme) / len(units) < 0.75
    assert (extreme["ballots"] / extreme["registered"] > 0.75).all()
    # A unit's share after: s + (1 − s)·x^α, α = 2, x = 1 − |N(0, 0.075)| (mean ≈ 0.94):
    # about 0.35 + 0.65·0.88 ≈ 0.92 on average, against 0.35 in the clean units.
    clean = units[units["fraud"] == "none"]
    assert (extreme["endorsed_votes"] / extreme["ballots"]).mean() > 0.85
    assert (clean["endorsed_votes"] / clean["ballots"]).mean() < 0.45
    share = results.set_index("candidate")["votes"] / results["votes"].sum()
    assert share["Alpha"] > 0.5
    assert np.isclose(
        units["endorsed_votes"].sum(), results.set_index("candidate")["votes"]["Alpha"]
    )


def test_list_pr_by_oblast_apportions_seats_and_applies_a_national_threshold():
    """Oblast races: seats per oblast = apportionment by population; sum = house;
    no list below the national threshold wins a seat anywhere."""
    system = ElectoralSystem(
        formula="list_pr",
        seats=15,
        method="sainte-lague",
        threshold=0.1,
        list_districts="oblast",
    )
    world, events, results = _party_world(system, (0.45, 0.3, 0.17, 0.08))
    _well_formed(results)
    assert set(results["district"]) == set(world.oblasts)
    by_oblast = results.groupby("district")["seats"].sum()
    weight = np.bincount(
        np.repeat(np.arange(world.voters.n_oblasts), np.diff(world.voters.oblast_bounds)),
        weights=world.voters.weight,
    )
    expected = apportion_district_seats(weight, 15)
    assert [by_oblast[o] for o in world.oblasts] == expected.tolist()
    assert results["seats"].sum() == 15 == _held(events).seats_filled
    totals = results.groupby("candidate")["votes"].sum()
    passing = dict(zip(totals.index, passes_threshold(totals.to_dict(), 0.1), strict=True))
    assert not passing["Delta"]
    assert results.loc[results["candidate"] == "Delta", "seats"].sum() == 0
    # One row per list per oblast.
    assert results.groupby("district").size().eq(4).all()


def test_list_pr_in_the_toy_polity_runs_end_to_end():
    """Toy polity (no organisations in 1990): the regime's list alone faces an 'against'
    line; it takes all seats or the race is repeated. Rows are well formed."""
    system = ElectoralSystem(formula="list_pr", seats=10, turnout_validity=0.5)
    sim, results = _simulate(system)
    _well_formed(results)
    held = sim.log.of_kind("ElectionHeld")[0]
    repeats = sim.log.of_kind("RepeatElectionCalled")
    assert held.seats_filled in (0, 10)
    assert results["seats"].sum() == held.seats_filled
    assert (held.seats_filled == 10) != bool(repeats)
    assert set(results["candidate"]) <= {"regime-list", "against"}


# --- block vote ---------------------------------------------------------------------------


def test_block_vote_largest_party_sweeps_every_district():
    """Three 3-member districts, parties at 35/25/20/20%: each voter gives all three votes
    to their party's slate, so the largest party wins all 9 seats (the block vote's sweep)."""
    system = ElectoralSystem(formula="block", seats=9, district_magnitude=3)
    _world, events, results = _party_world(system, (0.35, 0.25, 0.2, 0.2))
    _well_formed(results)
    assert results["district"].nunique() == 3  # one 3-member district per oblast
    winners = results[results["elected"]]
    assert len(winners) == 9 and (winners["org_name"] == "Alpha").all()
    assert winners.groupby("district").size().eq(3).all()
    held = _held(events)
    assert held.seats == 9 and held.seats_filled == 9
    # k votes a ballot: each district's votes are 3 × its ballots.
    units = units_table(events.units).to_pandas()
    ballots = units.groupby("district")["ballots"].sum()
    votes = results.groupby("district")["votes"].sum()
    assert np.allclose(votes.sort_index(), 3 * ballots.sort_index())


@pytest.mark.parametrize("list_districts", ["national", "oblast"])
def test_block_vote_in_the_toy_polity(list_districts):
    """Toy polity: each district elects at most its magnitude, seats filled + vacant or void
    = the house; rows well formed."""
    system = ElectoralSystem(
        formula="block", seats=6, district_magnitude=2, list_districts=list_districts
    )
    sim, results = _simulate(system)
    _well_formed(results)
    held = sim.log.of_kind("ElectionHeld")[0]
    assert held.seats == 6 and results["seats"].sum() == held.seats_filled <= 6
    assert results.groupby("district")["seats"].sum().max() <= (
        2 if list_districts == "national" else 6
    )


def test_top_k_ballot_is_the_exploded_logit():
    """Logit shares 1/6, 2/6, 3/6 (valences ln 1, ln 2, ln 3). One pick: the shares; two
    picks (exploded logit, by hand P(c in top 2) = p_c + Σ_j p_j p_c / (1 − p_j)):
    5/12, 11/15, 17/20. The draw does not depend on the chunk size."""
    n = 60_000
    rng = np.random.default_rng(0)
    ballot = Ballot(
        weight=np.ones(n, np.float32),
        position=rng.uniform(-1, 1, (n, 2)).astype(np.float32),
        ethnicity=np.zeros(n, np.int8),
        zhuz=np.full(n, -1, np.int8),
        attachment=np.full(n, -1, np.int32),
        urban=np.zeros(n, bool),
        hardship=np.zeros(n, np.float32),
        grievance=np.zeros(n, np.float32),
        legitimacy=np.ones(n, np.float32),
        district=np.zeros(n, np.int16),
        unit=(np.arange(n) % 4).astype(np.int32),
    )
    table = CandidateTable(
        start=np.array([0, 3]),
        position=np.zeros((3, 2)),
        ethnicity=np.full(3, -1),
        zhuz=np.full(3, -1),
        org=np.full(3, -1),
        endorsed=np.zeros(3, bool),
        spatial=np.zeros(3),
        valence=np.log([1.0, 2.0, 3.0]),
    )
    params = ElectionParameters(regime_bonus=0.0)
    voted = np.ones(n, bool)
    unit_race = np.zeros(4, np.int64)
    for picks, expected in ((1, [1 / 6, 2 / 6, 3 / 6]), (2, [5 / 12, 11 / 15, 17 / 20])):
        pairs, start = top_choices(
            ballot, table, unit_race, voted, np.array([picks]), params, np.random.default_rng(1)
        )
        share = pairs.reshape(4, 3).sum(axis=0) / n
        assert np.allclose(share, expected, atol=0.008)  # binomial sd < 0.002
        assert np.array_equal(start, [0, 3, 6, 9, 12])
    small = params.model_copy(update={"chunk_voters": 1024})
    a, _ = top_choices(
        ballot, table, unit_race, voted, np.array([2]), params, np.random.default_rng(7)
    )
    b, _ = top_choices(
        ballot, table, unit_race, voted, np.array([2]), small, np.random.default_rng(7)
    )
    assert np.array_equal(a, b)


# --- MMP ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overhang", "expected"),
    [
        ("keep", {"Alpha": 6, "Beta": 3, "Gamma": 2, "Delta": 2}),
        ("level", {"Alpha": 6, "Beta": 4, "Gamma": 3, "Delta": 3}),
        ("deduct", {"Alpha": 6, "Beta": 2, "Gamma": 2, "Delta": 2}),
    ],
)
def test_mmp_overhang_by_hand(overhang, expected):
    """35/25/20/20%, 6 plurality districts + 6 list seats, D'Hondt.

    Alpha wins all 6 districts by plurality; its D'Hondt entitlement on 12 seats is 5
    (quotients 35/5 = 7 > Gamma's 20/3), so it has 1 overhang seat. keep: 6/3/2/2 = 13;
    level: the smallest house where Alpha's 6th quotient (5.83) is covered holds 16 seats,
    6/4/3/3; deduct: the other 6 seats by D'Hondt among 25/20/20, 2/2/2 = 12.
    """
    system = ElectoralSystem(
        formula="mmp",
        seats=12,
        district_seats=6,
        list_seats=6,
        district_formula="plurality",
        overhang=overhang,
    )
    _world, events, results = _party_world(system, (0.35, 0.25, 0.2, 0.2))
    _well_formed(results)
    districts = results[results["district"] != "list"]
    lists = results[results["district"] == "list"]
    assert districts.groupby("district")["seats"].sum().eq(1).all()
    total = (
        districts.groupby("org_name")["seats"]
        .sum()
        .add(lists.groupby("org_name")["seats"].sum(), fill_value=0)
    )
    assert total.astype(int).to_dict() == expected
    held = _held(events)
    assert held.seats == 12 and held.seats_filled == sum(expected.values())
    # The rows reproduce systems.mmp on their own district wins and list votes.
    check = mmp(
        districts[districts["elected"]]["org_name"].value_counts().to_dict(),
        lists.set_index("candidate")["votes"].to_dict(),
        12,
        overhang=overhang,
    )
    assert check.list_seats == lists.set_index("candidate")["seats"].to_dict()


def test_mmp_threshold_and_toy_run():
    """Toy polity, MMP two-round districts + list tier: the district tier is decided as
    two-round and the list rows are well formed; with four parties, a list under the
    threshold wins no list seat."""
    system = ElectoralSystem(
        formula="mmp", seats=10, district_seats=6, list_seats=4, threshold=0.05
    )
    sim, results = _simulate(system)
    _well_formed(results)
    held = sim.log.of_kind("ElectionHeld")[0]
    assert results["seats"].sum() == held.seats_filled
    hand = ElectoralSystem(
        formula="mmp",
        seats=10,
        district_seats=6,
        list_seats=4,
        threshold=0.25,
        district_formula="plurality",
    )
    _world, _events, results = _party_world(hand, (0.35, 0.3, 0.2, 0.15))
    lists = results[results["district"] == "list"].set_index("candidate")
    share = lists["votes"] / lists["votes"].sum()
    assert (lists.loc[share < 0.25, "seats"] == 0).all()
    assert lists.loc[share >= 0.25, "seats"].sum() > 0


# --- state list and plurality ----------------------------------------------------------------


def test_state_list_as_the_whole_house():
    """formula state_list: 8 nominees, the 5 most approved elected, all by plurality-at-large."""
    system = ElectoralSystem(formula="state_list", seats=5, list_candidates=8)
    sim, results = _simulate(system)
    _well_formed(results)
    assert len(results) == 8 and set(results["district"]) == {"state-list"}
    held = sim.log.of_kind("ElectionHeld")[0]
    if held.seats_filled:
        assert results["seats"].sum() == 5
        elected = results[results["elected"]]["votes"].min()
        assert elected >= results[~results["elected"]]["votes"].max()
    else:
        assert sim.log.of_kind("RepeatElectionCalled")


def test_plurality_formula_never_holds_a_runoff():
    """formula plurality: a split field that would go to a runoff under two-round is
    decided in one round, one winner (the most voted) per district."""
    system = ElectoralSystem(formula="plurality", seats=6, district_seats=6)
    sim, results = _simulate(
        system,
        spatial_weight=0.0,
        ethnic_bonus=0.0,
        clan_bonus=0.0,
        party_bonus=0.0,
        regime_bonus=0.0,
        independents_per_district=8.0,
    )
    _well_formed(results)
    assert set(results["round"]) == {1} and not sim.log.of_kind("RunoffHeld")
    assert results.groupby("district")["seats"].sum().eq(1).all()
    top = results.loc[results.groupby("district")["votes"].idxmax()]
    assert top["elected"].all()
