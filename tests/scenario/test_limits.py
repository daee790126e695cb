"""The schema refuses what the engine cannot use; the loader reads only bounded files."""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polsim.errors import ScenarioError
from polsim.scenario.limits import (
    MAX_FILE_BYTES,
    MAX_ITEMS,
    MAX_NAME_LENGTH,
    MAX_SEATS,
    MAX_YAML_DEPTH,
)
from polsim.scenario.loader import load_scenario, parse_yaml, read_scenario_bytes
from polsim.scenario.loader import scenario_from_dict as validate


def _edited(toy, path, value):
    data = toy.model_dump(mode="json")
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "needle"),
    [
        (("population", "electorate", "value"), math.nan, "electorate.value: .*finite"),
        (("population", "electorate", "value"), 0, "electorate: must be positive"),
        (("population", "oblasts", 0, "population", "value"), -1, "population: must be positive"),
        (("population", "ethnic_groups", 1, "count", "value"), math.inf, "count.value: .*finite"),
        (
            ("population", "oblasts", 0, "ethnic_shares", "Minority"),
            -math.inf,
            "Minority: .*finite",
        ),
        (("default_voters",), math.inf, "default_voters: .*finite"),
        (("elections", 0, "system", "seats"), 2**63, f"seats: .*less than or equal to {MAX_SEATS}"),
        (("population", "oblasts", 0, "name"), "x" * (MAX_NAME_LENGTH + 1), "name: .*at most 200"),
        (("title",), "x" * 100_000, r"title: .*\(100,002 characters\)"),
        (("economy", "base_year"), 2**63, "base_year: .*less than or equal to 3000"),
        (("ideal_points",), [{"mean": [0, 0], "sd": [0.1, 0.1]}] * (MAX_ITEMS + 1), "at most"),
        (("society", "opinion", "encounters_per_month"), 10**12, "encounters_per_month"),
    ],
)
def test_values_the_engine_cannot_use_are_refused_in_one_line(toy, path, value, needle):
    """Non-finite, non-positive and oversized values are refused naming the field."""
    with pytest.raises(ScenarioError, match=needle) as info:
        validate(_edited(toy, path, value), origin="edited.yaml")
    message = str(info.value)
    assert message.startswith("edited.yaml: ")
    assert "\n" not in message and len(message) < 500


def test_negative_zero_spread_is_read_as_zero(toy):
    """A spread of -0.0 (which NumPy refuses) becomes 0.0."""
    data = _edited(toy, ("society", "mobilisation", "risk_aversion", "sd"), -0.0)
    sd = validate(data).society.mobilisation.risk_aversion.sd
    assert sd == 0.0 and math.copysign(1.0, sd) == 1.0


@settings(max_examples=150, deadline=None)
@given(
    leaf=st.sampled_from(
        [
            ("population", "electorate", "value"),
            ("regime", "legitimacy"),
            ("society", "hardship", "base", "sd"),
            ("ideal_points", 0, "sd", 1),
            ("elections", 0, "system", "seats"),
            ("economy", "index", "1991"),
        ]
    ),
    value=st.one_of(st.floats(), st.integers(min_value=-(2**70), max_value=2**70)),
)
def test_any_number_validates_or_is_refused_as_a_scenario_error(toy, leaf, value):
    """Any float or integer in a numeric field validates finite or raises ScenarioError."""
    try:
        scenario = validate(_edited(toy, leaf, value))
    except ScenarioError as error:
        assert "\n" not in str(error)
        return
    dumped = scenario.model_dump()
    assert math.isfinite(dumped["population"]["electorate"]["value"])
    assert all(math.isfinite(v) for v in dumped["economy"]["index"].values())


def test_fifo_device_directory_and_nul_are_refused(tmp_path):
    """Paths that are not regular files are refused at once, naming the path."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "folder.yaml").mkdir()
    for path, needle in [
        (fifo, "pipe.yaml: is a FIFO"),
        ("/dev/zero", "/dev/zero: is a device"),
        (tmp_path / "folder.yaml", "folder.yaml: is a directory"),
        (f"{tmp_path}/nul\x00.yaml", r"nul\\x00\.yaml: a path must not contain a NUL byte"),
        (tmp_path / "absent.yaml", "absent.yaml: no such file"),
    ]:
        with pytest.raises(ScenarioError, match=needle):
            load_scenario(path)


def test_file_over_the_cap_is_refused_unread(tmp_path):
    """A file larger than MAX_FILE_BYTES is refused with its size."""
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ScenarioError, match="too large"):
        read_scenario_bytes(big)
    big.write_bytes(b"#" * MAX_FILE_BYTES)
    assert len(read_scenario_bytes(big)) == MAX_FILE_BYTES


def test_nesting_is_capped_at_max_depth():
    """YAML nested MAX_YAML_DEPTH deep parses; one level more (or 100,000) is refused."""
    depth = MAX_YAML_DEPTH
    parsed = parse_yaml("[" * depth + "]" * depth)
    for _ in range(depth - 1):
        parsed = parsed[0]
    assert parsed == []
    with pytest.raises(
        ScenarioError, match=f"deep.yaml: line 1, column {depth + 1}: nested deeper"
    ):
        parse_yaml("[" * (depth + 1) + "]" * (depth + 1), origin="deep.yaml")
    with pytest.raises(ScenarioError, match=r"deep\.yaml: .*nest"):  # libyaml may stop it first
        parse_yaml("[" * 100_000 + "]" * 100_000, origin="deep.yaml")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (b"a: \xff\n", r"not UTF-8 text \(byte 3"),
        ("a: &a [*a]\n", r"the alias \*a refers to itself"),
        ("a: " + "9" * 5000 + "\n", "an integer of 5000 digits"),
        ("a: 1990-13-01\n", "not a date"),
        (
            "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)),
            "aliases expand to more than",
        ),
    ],
)
def test_hostile_yaml_is_refused_in_one_line(text, needle):
    """Bytes that are not UTF-8, alias bombs, long integers and bad dates: one line."""
    with pytest.raises(ScenarioError, match=needle) as info:
        parse_yaml(text, origin="hostile.yaml")
    assert str(info.value).startswith("hostile.yaml: ")


def test_modest_aliases_are_expanded():
    """Aliases that stay under the cap are read as YAML defines them."""
    assert parse_yaml("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
