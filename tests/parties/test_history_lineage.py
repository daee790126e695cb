"""The history switch and the lineage it records (docs/model.md §2.11)."""

from __future__ import annotations

import pytest

from polsim.engine.calendar import Month
from polsim.parties.lineage import descends_from, lineage_problems
from polsim.parties.series import organisations_table
from polsim.run.schedule import MONTHLY_MECHANISMS
from polsim.run.simulation import Simulation
from polsim.scenario import load_scenario

MECHANISMS = tuple(m for m in MONTHLY_MECHANISMS if not m.name.startswith("elections."))


def _run(history: str, until: Month, seed: int = 2) -> Simulation:
    scenario = load_scenario("kazakhstan-1990s").model_copy(update={"history": history})
    sim = Simulation(scenario, seed, 5000, until, mechanisms=MECHANISMS)
    sim.run()
    return sim


@pytest.fixture(scope="module")
def pinned() -> Simulation:
    return _run("pinned", Month(1993, 6))


def test_republican_party_azat_is_the_1992_merger(pinned):
    """Republican Party-Azat enters in Oct 1992 with Zheltoksan, Azat and the Republican
    Party as parents, all three dissolved into it."""
    table = pinned.world.organisations
    merged = table.by_historical_id("republican-party-azat")
    parents = {table[p].historical_id for p in merged.parents}
    assert merged.founded == Month(1992, 10)
    assert parents == {"zheltoksan", "azat", "republican-party"}
    for p in merged.parents:
        assert table[p].dissolved == Month(1992, 10)
        assert table[p].successor == merged.id


def test_socialist_party_descends_from_the_communist_party(pinned):
    """The Socialist Party succeeds the CPK's Soviet branch in Sep 1991; both communist
    heirs have it as ancestor."""
    table = pinned.world.organisations
    cpk = table.by_historical_id("cpk-soviet")
    socialist = table.by_historical_id("socialist-party")
    assert socialist.founded == Month(1991, 9)
    assert cpk.dissolved == Month(1991, 9) and cpk.dissolution == "succeeded"
    assert descends_from(table, socialist.id, cpk.id)
    assert descends_from(table, table.by_historical_id("communist-party").id, cpk.id)
    nevada = table.by_historical_id("nevada-semipalatinsk")
    assert descends_from(table, table.by_historical_id("nkk").id, nevada.id)


def test_movement_enters_in_february_1989_coopted(pinned):
    """Nevada-Semipalatinsk enters in February 1989 as a sanctioned (co-opted) movement."""
    nevada = pinned.world.organisations.by_historical_id("nevada-semipalatinsk")
    assert nevada.founded == Month(1989, 2)
    assert nevada.kind == "movement" and nevada.coopted


@pytest.mark.parametrize("history", ["pinned", "free"])
def test_lineage_is_complete_and_acyclic(history, pinned):
    """Every organisation's parents exist, are older, and no organisation is its own ancestor."""
    sim = pinned if history == "pinned" else _run("free", Month(1993, 6))
    assert len(sim.world.organisations) > 10
    assert lineage_problems(sim.world.organisations) == []


def test_free_history_enters_no_historical_organisation():
    """Under history: free nothing is entered from the scenario's list."""
    sim = _run("free", Month(1991, 12))
    assert all(o.historical_id == "" for o in sim.world.organisations)


def test_organisations_table_has_one_row_per_organisation_with_parents(pinned):
    """organisations.parquet has a row per organisation and records parents as lists."""
    table = organisations_table(pinned.world)
    assert table.num_rows == len(pinned.world.organisations)
    rows = table.to_pylist()
    merged = next(r for r in rows if r["historical_id"] == "republican-party-azat")
    assert len(merged["parents"]) == 3
    assert all(r["founded"] <= "1993-06" for r in rows)
