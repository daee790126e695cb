"""The Kazakhstan scenario keeps the project's sourced facts, and their uncertainty."""

import json

import pytest
from tests.conftest import SHARED

DATA = SHARED / "data" / "kazakhstan_1990s.json"
pytestmark = pytest.mark.skipif(not DATA.exists(), reason="shared data not present")


@pytest.fixture(scope="module")
def facts():
    return json.loads(DATA.read_text())


def test_census_counts_match_the_data_file(kazakhstan, facts):
    """Each ethnic count equals the data file's, with its source."""
    counts = facts["population"]["census_1989"]["counts"]
    groups = {g.name: g for g in kazakhstan.population.ethnic_groups}
    for name, value in counts["value"].items():
        assert groups[name].count.value == value
        assert groups[name].count.source == counts["source"]


def test_electorate_and_targets_match(kazakhstan, facts):
    """Electorate and calibration targets carry the data file's figures."""
    assert (
        kazakhstan.population.electorate.value == facts["presidential_1991"]["registered"]["value"]
    )
    t = kazakhstan.targets
    assert (
        t["presidential_1991_incumbent_pct"].value
        == facts["presidential_1991"]["nazarbayev_pct"]["value"]
    )
    assert (
        t["supreme_soviet_1990_communist_seats"].value
        == facts["supreme_soviet_1990"]["communist_party_seats"]["value"]
    )
    assert (
        t["supreme_kenges_1994_turnout_pct"].value
        == facts["supreme_kenges_1994"]["turnout_pct"]["value"]
    )


def test_uncertain_figures_stay_uncertain(kazakhstan, facts):
    """Oblast populations marked uncertain in the data stay uncertain in the scenario."""
    assert facts["population"]["oblasts_1990s"]["pop_1989_thousand_by_1999_boundaries"]["uncertain"]
    by_name = {o.name: o for o in kazakhstan.population.oblasts}
    for name in ("Akmola", "Pavlodar", "Almaty city"):
        assert by_name[name].population.uncertain
    # Assumed shares say so.
    assert all(o.uncertain for o in kazakhstan.population.oblasts)


def test_abolished_oblasts_have_their_1989_populations(kazakhstan, facts):
    """Oblasts merged whole in 1997 keep their 1989 populations from the data file."""
    abolished = facts["population"]["oblasts_1990s"]["abolished_1997_pop_1989"]["value"]
    by_name = {o.name: o for o in kazakhstan.population.oblasts}
    for name in ("Taldykorgan", "Semipalatinsk", "Zhezkazgan"):
        assert by_name[name].population.value == abolished[name]


def test_national_urban_share_is_near_the_record(kazakhstan):
    """The assumed oblast urban shares imply about the recorded 56.7% (1989)."""
    pop = kazakhstan.population.oblasts
    urban = sum(o.population.value * o.urban_share.value for o in pop)
    assert urban / sum(o.population.value for o in pop) == pytest.approx(0.567, abs=0.015)
