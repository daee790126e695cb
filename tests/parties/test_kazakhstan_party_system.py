"""The seed's party system under the Kazakhstan scenario, on small fixed-seed ensembles.

Before 1994 the groups are "small, personalistic, politically ineffectual, and
frequently organized along ethnically exclusive lines ... highly unstable, forming,
splitting, and reforming continually"; later, ethnic parties are "eclipsed by larger
interethnic movements" (seed, n. 26). Runs use 8,000 voters and stop in 1996; the
elections are left out (they read organisations but do not change them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import wilcoxon

from polsim.engine.calendar import Month
from polsim.run.schedule import MONTHLY_MECHANISMS
from polsim.run.simulation import Simulation
from polsim.scenario import load_scenario

SEEDS = range(10)
MECHANISMS = tuple(m for m in MONTHLY_MECHANISMS if not m.name.startswith("elections."))


def _series(history: str, seed: int, **parties) -> pd.DataFrame:
    scenario = load_scenario("kazakhstan-1990s")
    scenario = scenario.model_copy(
        update={"history": history, "parties": scenario.parties.model_copy(update=parties)}
    )
    sim = Simulation(scenario, seed, 8000, Month(1996, 12), mechanisms=MECHANISMS)
    sim.run()
    series = sim.recorder.to_table().to_pandas()
    series["year"] = series["month"].str[:4].astype(int)
    return series


@pytest.fixture(scope="module", params=["pinned", "free"])
def ensemble(request) -> list[pd.DataFrame]:
    return [_series(request.param, seed) for seed in SEEDS]


def _before_1994(series: pd.DataFrame) -> pd.DataFrame:
    return series[(series["year"] >= 1990) & (series["year"] <= 1993)]


def test_organisations_are_small_before_1994(ensemble):
    """The median organisation backs under 2% of the electorate in 1990-93 (ensemble mean;
    no run above 3%)."""
    medians = [_before_1994(s)["org_median_share"].median() for s in ensemble]
    assert np.mean(medians) < 0.02
    assert max(medians) < 0.03


def test_organisations_are_ethnic_before_1994(ensemble):
    """In every run most organisations (over half) draw over 80% of supporters from one group."""
    fractions = [_before_1994(s)["org_ethnic_fraction"].mean() for s in ensemble]
    assert min(fractions) > 0.5


def test_splits_and_deaths_every_year_before_1994(ensemble):
    """Each year 1990-93 has a split and a death in at least seven runs in ten."""
    for year in range(1990, 1994):
        splits = [s.loc[s["year"] == year, "org_splits"].sum() > 0 for s in ensemble]
        deaths = [s.loc[s["year"] == year, "org_deaths"].sum() > 0 for s in ensemble]
        assert np.mean(splits) >= 0.7, year
        assert np.mean(deaths) >= 0.7, year


def test_interethnic_share_rises(ensemble):
    """The inter-ethnic share of supporters is higher in 1995-96 than in 1991-92 (Wilcoxon)."""
    early = [s.loc[s["year"].isin([1991, 1992]), "org_interethnic_share"].mean() for s in ensemble]
    late = [s.loc[s["year"].isin([1995, 1996]), "org_interethnic_share"].mean() for s in ensemble]
    assert np.mean(late) > np.mean(early)
    assert wilcoxon(late, early, alternative="greater").pvalue < 0.05


@pytest.mark.parametrize("history", ["pinned", "free"])
def test_faster_coalition_learning_brings_interethnic_share_sooner(history):
    """With λ = 12 months instead of 72, the 1991-94 inter-ethnic share is higher (paired
    Wilcoxon over 12 seeds): merged organisations pool their resources (b_res), so the
    cross-ethnic mergers that faster learning brings hold their supporters."""
    window = [1991, 1992, 1993, 1994]

    def share(**parties) -> list[float]:
        return [
            _series(history, seed, **parties)
            .loc[lambda s: s["year"].isin(window), "org_interethnic_share"]
            .mean()
            for seed in range(12)
        ]

    slow, fast = share(learning_time=72.0), share(learning_time=12.0)
    assert np.mean(fast) > np.mean(slow)
    assert wilcoxon(fast, slow, alternative="greater").pvalue < 0.05
