import pytest

from polsim.errors import ScenarioError
from polsim.scenario import builtin_scenarios, load_scenario, scenario_hash
from polsim.scenario.loader import scenario_from_dict


def test_builtins_are_listed_with_titles():
    """Both built-ins are found, each with a title."""
    names = builtin_scenarios()
    assert {"kazakhstan-1990s", "toy-polity"} <= set(names)
    assert all(names.values())


def test_hash_is_stable_and_sensitive(toy):
    """Equal scenarios hash equal; a changed figure changes the hash."""
    data = toy.model_dump(mode="json")
    assert scenario_hash(scenario_from_dict(data)) == scenario_hash(toy)
    data["regime"]["legitimacy"] = 0.61
    assert scenario_hash(scenario_from_dict(data)) != scenario_hash(toy)


def test_bare_numbers_and_sourced_figures_are_the_same(toy):
    """A figure may be written bare or with its source."""
    data = toy.model_dump(mode="json")
    data["population"]["electorate"] = 1000000
    assert scenario_from_dict(data).population.electorate.value == 1000000


@pytest.mark.parametrize(
    ("path", "value", "needle"),
    [
        (("regime", "legitimacy"), 2.0, "regime.legitimacy"),
        (("end",), "1980-01", "end"),
        (("economy", "base_year"), 1900, "base_year"),
        (("population", "oblasts", 0, "zhuz_shares"), {"Eldest": 1.0}, "unknown zhuz"),
    ],
)
def test_errors_name_the_field(toy, path, value, needle):
    """Each schema error is one line that names the field or rule."""
    data = toy.model_dump(mode="json")
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ScenarioError, match=needle) as info:
        scenario_from_dict(data, origin="edited.yaml")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("edited.yaml: ")


def test_missing_file_and_not_a_mapping(tmp_path):
    """A missing file and a YAML list are refused with the file named."""
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "missing.yaml")
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n")
    with pytest.raises(ScenarioError, match=r"list\.yaml: a scenario must be a mapping"):
        load_scenario(listed)
