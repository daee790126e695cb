"""Parameter paths, ranges and overrides are checked by the scenario schema."""

from __future__ import annotations

import pytest

from polsim.errors import ScenarioError, UserInputError
from polsim.experiments.parameters import (
    Parameter,
    apply_overrides,
    check_parameters,
    parse_param,
)


def test_parse_range_with_levels():
    """NAME=LO:HI:K gives the range and the factorial levels."""
    assert parse_param("regime.repression=0.1:0.5:3") == Parameter("regime.repression", 0.1, 0.5, 3)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("regime.repression", "NAME=LO:HI"),
        ("regime.repression=0.5", "LO:HI"),
        ("regime.repression=a:1", "must be numbers"),
        ("regime.repression=0.5:0.5", "must be less than HI"),
        ("regime.repression=0.9:0.1", "must be less than HI"),
        ("regime.repression=0:1:1", "from 2 to"),
        ("regime.repression=0:1:1001", "from 2 to 1,000"),
        ("regime.repression=0:1:x", "whole number"),
    ],
)
def test_bad_param_text(text, needle):
    """A malformed --param names the flag and what is wrong with it."""
    with pytest.raises(UserInputError, match=needle):
        parse_param(text)


def test_overrides_reach_nested_fields(toy):
    """Dotted paths set plain fields, distribution fields and dict entries."""
    new = apply_overrides(
        toy,
        {
            "regime.repression": 0.7,
            "society.mobilisation.bandwagon_threshold.mean": 0.2,
            "regime.ethnic_penalty.Minority": 0.4,
        },
    )
    assert new.regime.repression == 0.7
    assert new.society.mobilisation.bandwagon_threshold.mean == 0.2
    assert new.regime.ethnic_penalty["Minority"] == 0.4
    assert toy.regime.repression == 0.3  # the original is untouched


def test_override_of_a_sourced_figure_sets_its_value(toy):
    """A path ending on a {value, source} figure sets the value, and list indices work."""
    new = apply_overrides(toy, {"population.oblasts.0.urban_share": 0.5})
    assert new.population.oblasts[0].urban_share.value == 0.5


def test_unknown_path_lists_the_fields_there(toy):
    """An unknown step names the path and the fields that exist at that level."""
    with pytest.raises(UserInputError, match=r"no field 'represion' in regime.*repression"):
        apply_overrides(toy, {"regime.represion": 0.1})
    with pytest.raises(UserInputError, match=r"no field 'regim' in the scenario.*regime"):
        apply_overrides(toy, {"regim.repression": 0.1})


def test_out_of_range_is_the_schemas_message(toy):
    """A range beyond the schema's bound fails with the schema's one-line message."""
    with pytest.raises(
        ScenarioError, match=r"regime.repression: Input should be less than or equal to 1"
    ):
        check_parameters(toy, [parse_param("regime.repression=0:1.5")])


def test_integer_fields_are_marked(toy):
    """A whole-number field is marked integer, so designs round its values."""
    (checked,) = check_parameters(toy, [parse_param("society.opinion.encounters_per_month=1:4")])
    assert checked.integer
