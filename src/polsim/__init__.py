"""polsim: a simulator of political systems.

Voters, the organisations that rise, split, merge and die among them, the state and the
elections that connect them, one voter to one agent. Start with :func:`simulate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polsim.engine.calendar  # noqa: F401  (first: the import order polsim.api had)
from polsim._version import __version__
from polsim.scenario import builtin_scenarios, load_scenario

if TYPE_CHECKING:
    from polsim.api import Run, read_run, simulate


def __getattr__(name: str):
    """``Run``, ``read_run`` and ``simulate`` load :mod:`polsim.api` (and pandas) on
    first use, so that importing the engine alone does not (memory of large runs)."""
    if name in ("Run", "read_run", "simulate"):
        from polsim import api

        return getattr(api, name)
    raise AttributeError(f"module 'polsim' has no attribute {name!r}")


__all__ = ["Run", "__version__", "builtin_scenarios", "load_scenario", "read_run", "simulate"]
