"""Threads: how many a run uses, and that a run's outputs do not depend on it."""

from __future__ import annotations

import os
import threading

import pytest

from polsim.api import simulate
from polsim.engine import threads
from polsim.engine.threads import THREADS_VARIABLE, helper_pool, run_threads, using_threads
from polsim.errors import UserInputError
from polsim.parties import support


def test_default_is_two_threads_at_most(monkeypatch):
    monkeypatch.delenv(THREADS_VARIABLE, raising=False)
    assert run_threads() == min(2, len(os.sched_getaffinity(0)))


def test_environment_sets_the_default_and_a_context_overrides_it(monkeypatch):
    monkeypatch.setenv(THREADS_VARIABLE, "3")
    assert run_threads() == 3
    with using_threads(1):
        assert run_threads() == 1
        with using_threads(4):
            assert run_threads() == 4
        assert run_threads() == 1
    assert run_threads() == 3


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_a_bad_thread_count_is_a_user_error(monkeypatch, value):
    monkeypatch.setenv(THREADS_VARIABLE, value)
    with pytest.raises(UserInputError, match=THREADS_VARIABLE):
        run_threads()
    with pytest.raises(UserInputError, match="threads"), using_threads(value):  # type: ignore[arg-type]
        pass


def test_the_setting_belongs_to_its_thread(monkeypatch):
    """A run in another thread (the dashboard's) keeps its own setting."""
    monkeypatch.delenv(THREADS_VARIABLE, raising=False)
    seen = []
    with using_threads(5):
        worker = threading.Thread(target=lambda: seen.append(run_threads()))
        worker.start()
        worker.join()
    assert seen == [min(2, len(os.sched_getaffinity(0)))]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_inherit_the_pool():
    helper_pool(1).submit(int).result()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os._exit(0 if threads._pool is None else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_run_outputs_are_the_same_bits_on_one_or_three_threads(monkeypatch):
    """A small run forced through the threaded support pass, in many parts, writes the
    tables of the same run on one thread, value for value."""
    monkeypatch.setattr(threads, "THREADED_MIN_VOTERS", 2)
    monkeypatch.setattr(support, "THREADED_PART", 700)
    threaded = []
    original = support._threaded_pass

    def counted(*args):
        threaded.append(args[2])
        return original(*args)

    monkeypatch.setattr(support, "_threaded_pass", counted)
    runs = [
        simulate("kazakhstan-1990s", seed=5, voters=3_000, until="1991-06", threads=count)
        for count in (1, 3)
    ]
    assert [r.manifest_record["threads"] for r in runs] == [1, 3]
    assert threaded and set(threaded) == {3}  # every pass of the second run was threaded
    one, three = (r.tables for r in runs)
    assert one.keys() == three.keys()
    for name in one:
        assert one[name].equals(three[name]), name
    assert len(one["series"]) > 12
