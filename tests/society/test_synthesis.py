"""Synthesis from census margins: raking and sampling."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare

from polsim.engine.streams import RandomStreams
from polsim.society.synthesis import population_table, rake, synthesise_voters


def test_rake_hand_example():
    """A 2×2 table of ones raked to rows (3, 7) and columns (4, 6): cells r·c/10."""
    table = rake(np.ones((2, 2)), np.array([3.0, 7.0]), np.array([4.0, 6.0]))
    assert np.allclose(table, [[1.2, 1.8], [2.8, 4.2]])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(1, 1e6), min_size=2, max_size=6),
    st.lists(st.floats(1, 1e6), min_size=2, max_size=6),
)
def test_rake_meets_consistent_margins(rows, columns):
    """With consistent margins and a positive seed, raking meets both exactly."""
    rows = np.array(rows)
    columns = np.array(columns) / np.sum(columns) * rows.sum()
    table = rake(np.ones((len(rows), len(columns))), rows, columns)
    assert np.allclose(table.sum(axis=1), rows, rtol=1e-8)
    assert np.allclose(table.sum(axis=0), columns, rtol=1e-6)


def test_table_meets_the_census_margins(kazakhstan):
    """The raked table has the oblast totals, ethnic counts and oblast urban shares."""
    table = population_table(kazakhstan)
    pop = kazakhstan.population
    people = table.people
    oblasts = np.array([o.population.value for o in pop.oblasts])
    assert np.allclose(people.sum(axis=(1, 2)), oblasts, rtol=1e-6)
    counts = np.array([g.count.value for g in pop.ethnic_groups])
    assert np.allclose(people.sum(axis=(0, 2)) / people.sum(), counts / counts.sum(), atol=1e-6)
    urban = np.array([o.urban_share.value for o in pop.oblasts])
    assert np.allclose(people[:, :, 1].sum(axis=1) / oblasts, urban, atol=1e-6)


def test_fixed_shares_are_kept(toy):
    """An oblast's stated share of a group is a fixed cell in the toy polity."""
    table = population_table(toy)
    north = table.people[0].sum(axis=1)
    assert north[table.ethnic_groups.index("Minority")] / north.sum() == pytest.approx(0.6)


@pytest.mark.parametrize("seed", [11, 12])
def test_synthetic_voters_match_margins_within_sampling_error(kazakhstan, seed):
    """Chi-square goodness of fit of voters by oblast and by ethnicity to the census."""
    n = 200_000
    voters = synthesise_voters(kazakhstan, n, RandomStreams(seed).get("society.synthesis"))
    shares = population_table(kazakhstan).shares
    for axis_keep, codes in ((0, voters.oblast_codes()), (1, voters.ethnicity)):
        expected = shares.sum(axis=tuple(a for a in range(3) if a != axis_keep)) * n
        observed = np.bincount(codes, minlength=len(expected))
        assert chisquare(observed, expected).pvalue > 0.001
    urban_expected = shares.sum(axis=(0, 1)) * n
    assert chisquare(np.bincount(voters.urban, minlength=2), urban_expected).pvalue > 0.001


def test_voters_are_sorted_by_oblast_then_bandwagon_threshold(toy):
    """Each oblast is one slice, its bandwagon thresholds ascending."""
    voters = synthesise_voters(toy, 5000, np.random.default_rng(0))
    bounds = voters.oblast_bounds
    assert bounds[0] == 0 and bounds[-1] == len(voters) and np.all(np.diff(bounds) >= 0)
    for o in range(voters.n_oblasts):
        rows = voters.oblast_slice(o)
        assert np.all(voters.oblast_codes(rows) == o)
        assert np.all(np.diff(voters.bandwagon_threshold[rows]) >= 0)
    # A voter's oblast is its slice; codes read for any chunk are those of the whole.
    codes = voters.oblast_codes()
    for rows in (slice(0, 1234), slice(1234, 4321), slice(4321, None), slice(5000, 9000)):
        assert np.array_equal(voters.oblast_codes(rows), codes[rows])
    assert voters.weight.sum() == pytest.approx(toy.population.electorate.value, rel=1e-5)


def test_only_kazakhs_have_a_zhuz(kazakhstan):
    """Zhuz codes are set for Kazakhs and for nobody else."""
    voters = synthesise_voters(kazakhstan, 20_000, np.random.default_rng(1))
    kazakh = voters.ethnicity == 0
    assert np.all(voters.zhuz[kazakh] >= 0)
    assert np.all(voters.zhuz[~kazakh] == -1)


def test_ideal_points_follow_the_group_means(kazakhstan):
    """Rural Kazakhs centre on their entry's mean (−0.15, 0.45), Russians' nation < 0."""
    voters = synthesise_voters(kazakhstan, 100_000, np.random.default_rng(2))
    rural_kazakh = (voters.ethnicity == 0) & ~voters.urban
    mean = voters.position[rural_kazakh].mean(axis=0)
    # Clipping to [-1, 1] pulls the mean in slightly; 0.02 covers it and sampling error.
    assert mean == pytest.approx([-0.15, 0.45], abs=0.02)
    assert voters.position[voters.ethnicity == 1, 1].mean() < -0.4
