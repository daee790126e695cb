"""A seeded fuzz corpus of scenario files: every one validates or is refused in one line,
and every one that validates runs.

The corpus is generated deterministically (seed ``CORPUS_SEED``) from the built-in
scenarios: each case is one mutation of one file — a numeric leaf set to NaN, ±inf, -1,
0, -0.0, 2**63 or a 5,000-digit integer; a string made 100,000 characters long; a value
of the wrong type; a key deleted; a list made huge; a value nested deep — plus hand-made
hostile files (a FIFO, ``/dev/zero``, a directory, a NUL byte in the path, bytes that are
not UTF-8, an oversized file, YAML bombs). A case's id names the scenario, the field path
and the mutation, so a failure can be replayed with ``pytest -k '<id>'``.

Every toy-polity mutant that validates is run (``--voters 300`` to a month after its
first scheduled election); of the kazakhstan-1990s mutants that validate, a deterministic
sample (every ``KAZAKHSTAN_RUN_EVERY``-th case) is run, since one such run costs about
0.7 s.
"""

from __future__ import annotations

import copy
import math
import os
import random
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from polsim import cli
from polsim.cli import main
from polsim.scenario import load_scenario
from polsim.scenario.loader import MAX_FILE_BYTES

#: The corpus's seed: the same seed, the same cases.
CORPUS_SEED = 21
#: Mutants drawn from each built-in scenario.
MUTANTS_PER_SCENARIO = {"toy-polity": 560, "kazakhstan-1990s": 520}
#: Every this-many-th valid kazakhstan-1990s mutant is run.
KAZAKHSTAN_RUN_EVERY = 12
#: Seconds a single validate or run may take before the case counts as a hang.
HANG_SECONDS = 60

_BIG_INT = "__polsim_fuzz_big_int__"
_DEEP = "__polsim_fuzz_deep__"
_RAW = {_BIG_INT: "1" * 5000, _DEEP: "[" * 200 + "]" * 200}
_NUMERIC = {
    "nan": math.nan,
    "inf": math.inf,
    "-inf": -math.inf,
    "-1": -1,
    "0": 0,
    "-0.0": -0.0,
    "2**63": 2**63,
    "5000-digits": _BIG_INT,
}
_STRING = {"100k-chars": "x" * 100_000, "int": 7, "list": ["x"], "empty": ""}
_ANY = {"wrong-type-str": "not a value", "wrong-type-map": {"x": 1}, "deep": _DEEP}


@dataclass(frozen=True)
class Case:
    """One corpus file: an id that names it and how to write it."""

    id: str
    scenario: str | None
    text: str | bytes | None = None
    special: str | None = None


def _builtin_text(name: str) -> str:
    path = resources.files("polsim.scenario.builtin") / f"{name}.yaml"
    return path.read_text(encoding="utf-8")


def _nodes(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every node below the root with its path."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return
    for key, value in items:
        yield (*path, key), value
        yield from _nodes(value, (*path, key))


def _mutations(data: Any) -> Iterator[tuple[tuple, str, Any]]:
    """Every (path, mutation name, new value or None for a deletion) of one scenario."""
    for path, value in _nodes(data):
        if isinstance(value, bool):
            yield from ((path, name, new) for name, new in (("str", "maybe"), ("int", 2)))
        elif isinstance(value, int | float):
            yield from ((path, name, new) for name, new in _NUMERIC.items())
        elif isinstance(value, str):
            yield from ((path, name, new) for name, new in _STRING.items())
        elif isinstance(value, list) and value:
            yield path, "huge-list", [value[0]] * 2_000
            yield path, "empty-list", []
        if isinstance(path[-1], str):
            yield path, "deleted", None
        yield from ((path, name, new) for name, new in _ANY.items())


def _apply(data: Any, path: tuple, new: Any) -> Any:
    mutant = copy.deepcopy(data)
    parent = mutant
    for key in path[:-1]:
        parent = parent[key]
    if new is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return mutant


def _dump(data: Any) -> str:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    for sentinel, raw in _RAW.items():
        text = text.replace(sentinel, raw)
    return text


def _mutant_cases(name: str, count: int, rng: random.Random) -> list[Case]:
    data = yaml.safe_load(_builtin_text(name))
    everything = list(_mutations(data))
    chosen = sorted(rng.sample(range(len(everything)), min(count, len(everything))))
    cases = []
    for index in chosen:
        path, mutation, new = everything[index]
        field = ".".join(str(part) for part in path)
        text = _dump(_apply(data, path, new))
        cases.append(Case(f"{name}:{field}={mutation}", name, text))
    return cases


def _hostile_cases() -> list[Case]:
    toy = _builtin_text("toy-polity")
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return [
        Case("hostile:fifo", None, special="fifo"),
        Case("hostile:dev-zero", None, special="dev-zero"),
        Case("hostile:directory", None, special="directory"),
        Case("hostile:nul-in-path", None, special="nul"),
        Case("hostile:long-path", None, special="long-path"),
        Case("hostile:missing", None, special="missing"),
        Case("hostile:symlink-loop", None, special="symlink-loop"),
        Case("hostile:oversized", None, toy + "#" * (MAX_FILE_BYTES + 10)),
        Case("hostile:not-utf8", None, toy.encode() + b"\nnote: \xff\xfe\n"),
        Case("hostile:nul-byte", None, toy.encode() + b"\x00"),
        Case("hostile:empty", None, ""),
        Case("hostile:deep-500", None, "a: " + "[" * 500 + "]" * 500 + "\n"),
        Case("hostile:deep-5000-flow", None, "k: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n"),
        Case("hostile:deep-block", None, "".join(f"{' ' * i}- \n" for i in range(300))),
        Case("hostile:deep-mapping", None, "".join(f"{' ' * i}k:\n" for i in range(300))),
        Case("hostile:billion-laughs", None, "\n".join(bomb) + "\n"),
        Case("hostile:recursive-alias", None, "a: &a [*a]\n"),
        Case("hostile:5000-digit-int", None, toy + f"\ndefault_voters: {'9' * 5000}\n"),
        Case("hostile:5000-digit-float", None, toy + f"\ndefault_voters: {'9' * 5000}.5\n"),
        Case("hostile:bad-date", None, toy.replace("start: 1990-01", "start: 1990-13-45")),
        Case("hostile:binary-tag", None, toy + "\nnote: !!binary '@@@'\n"),
        Case("hostile:python-tag", None, toy + "\nnote: !!python/object:os.system ls\n"),
        Case("hostile:unhashable-key", None, toy + "\n? [a, b]\n: 1\n"),
        Case("hostile:tabs", None, "\t" + toy),
        Case("hostile:list-top", None, "- a\n- b\n"),
        Case("hostile:duplicate-docs", None, toy + "\n---\n" + toy),
    ]


def corpus() -> list[Case]:
    """The whole corpus, in a fixed order (seed ``CORPUS_SEED``)."""
    rng = random.Random(CORPUS_SEED)
    cases = [Case(f"{name}:unchanged", name, _builtin_text(name)) for name in MUTANTS_PER_SCENARIO]
    for name, count in MUTANTS_PER_SCENARIO.items():
        cases += _mutant_cases(name, count, rng)
    return cases + _hostile_cases()


CASES = corpus()


@contextmanager
def _deadline(seconds: int, what: str) -> Iterator[None]:
    """Fail (instead of hanging) when the block takes longer than ``seconds``."""

    def hang(signum: int, frame: Any) -> None:
        raise AssertionError(f"{what} hangs (over {seconds} s)")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _materialise(case: Case, folder: Path) -> str:
    """Write the case's file (or make its special path) and return the path to give."""
    if case.special == "fifo":
        os.mkfifo(folder / "fifo.yaml")
        return str(folder / "fifo.yaml")
    if case.special == "dev-zero":
        return "/dev/zero"
    if case.special == "directory":
        (folder / "dir.yaml").mkdir()
        return str(folder / "dir.yaml")
    if case.special == "nul":
        return str(folder / "nul\x00.yaml")
    if case.special == "long-path":
        return str(folder / ("n" * 5000 + ".yaml"))
    if case.special == "missing":
        return str(folder / "missing.yaml")
    if case.special == "symlink-loop":
        (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
        return str(folder / "loop.yaml")
    target = folder / "scenario.yaml"
    if isinstance(case.text, bytes):
        target.write_bytes(case.text)
    else:
        target.write_text(case.text or "", encoding="utf-8")
    return str(target)


def _should_run(case: Case) -> bool:
    if case.scenario != "kazakhstan-1990s":
        return True
    return CASES.index(case) % KAZAKHSTAN_RUN_EVERY == 0


def _until(path: str) -> str:
    """A month after the first scheduled election (or the scenario's end)."""
    model = load_scenario(path)
    dates = sorted(election.date for election in model.elections)
    last = dates[0] + 1 if dates else model.start + 2
    return str(min(last, model.end))


@pytest.fixture(scope="module", autouse=True)
def _cli_built_once():
    """Build the CLI's command tree once: ``main`` otherwise rebuilds it (~30 ms) per call."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "app", typer.main.get_command(cli.app))
        yield


def test_corpus_is_large_and_mixed():
    """The corpus holds at least 1,000 distinct files."""
    assert len(CASES) >= 1000
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_file_validates_or_is_refused_in_one_line_and_valid_ones_run(case, tmp_path, capsys):
    """validate gives exit 0, or exit 2 with one 'polsim: error:' line; valid files run."""
    path = _materialise(case, tmp_path)
    with _deadline(HANG_SECONDS, f"validate {case.id}"):
        status = main(["validate", path])
    captured = capsys.readouterr()
    assert status in (0, 2), captured.err
    if status == 2:
        lines = captured.err.splitlines()
        assert len(lines) == 1, captured.err[:2000]
        assert lines[0].startswith("polsim: error: "), lines[0][:2000]
        assert len(lines[0]) < 1000, lines[0][:2000]
        return
    assert captured.err == ""
    if not _should_run(case):
        return
    voters = "1000" if case.scenario == "kazakhstan-1990s" else "300"
    args = ["run", path, "--voters", voters, "--until", _until(path), "--quiet"]
    with _deadline(HANG_SECONDS, f"run {case.id}"):
        status = main([*args, "--out", str(tmp_path / "run")])
    captured = capsys.readouterr()
    assert status == 0, captured.err[:2000]
