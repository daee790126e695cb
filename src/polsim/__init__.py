"""polsim: a simulator of political systems.

Voters, the organisations that rise, split, merge and die among them, the state and the
elections that connect them, one voter to one agent. Start with :func:`simulate`.
"""

from polsim._version import __version__
from polsim.api import Run, read_run, simulate
from polsim.scenario import builtin_scenarios, load_scenario

__all__ = ["Run", "__version__", "builtin_scenarios", "load_scenario", "read_run", "simulate"]
