"""The registry of monthly mechanisms: each declares its name, its place in the month
and the scenario section it reads.

A mechanism registers itself where it is defined, as an event type does with
:func:`~polsim.engine.events.register_event`::

    @register_mechanism("society.opinion", phase="society", order=30, reads="society.opinion")
    def exchange_opinions(world, params, rng, date) -> list[Event]: ...

The name is also the name of its random stream, so renaming one changes its draws.
The month runs the phases in :data:`PHASES` order and, within a phase, the mechanisms
by ascending ``order``. A mechanism that declares ``reads`` is called as
``step(world, params, rng, date)`` with that section of the scenario (a dotted path
such as ``"state.patronage"``); one that reads no section is called as
``step(world, rng, date)``. The schedule (:mod:`polsim.run.schedule`) imports the
mechanism modules, so that they register, and takes the order from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any, TypeVar

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event

__all__ = ["PHASES", "Mechanism", "register_mechanism", "registered_mechanisms"]

#: The phases of a month, in the order they run: the scenario's dated rule changes
#: take effect first, then society → parties → state → elections (DESIGN.md).
PHASES: tuple[str, ...] = ("rules", "society", "parties", "state", "elections")

Step = TypeVar("Step", bound=Callable[..., list[Event]])


@dataclass(frozen=True)
class Mechanism:
    """A registered monthly mechanism; its name is also the name of its random stream."""

    name: str
    step: Callable[..., list[Event]]
    phase: str
    order: int
    reads: str | None = None

    def params(self, scenario: Any) -> Any:
        """The scenario section this mechanism reads (None if it reads none)."""
        if self.reads is None:
            return None
        return reduce(getattr, self.reads.split("."), scenario)

    def __call__(self, world: Any, rng: np.random.Generator, date: Month) -> list[Event]:
        """Run this month's step, handing it its scenario section if it declared one."""
        if self.reads is None:
            return self.step(world, rng, date)
        return self.step(world, self.params(world.scenario), rng, date)


_REGISTRY: dict[str, Mechanism] = {}


def register_mechanism(
    name: str, *, phase: str, order: int, reads: str | None = None
) -> Callable[[Step], Step]:
    """Decorator that adds a mechanism's step to the registry (the function is unchanged)."""
    if phase not in PHASES:
        raise ValueError(f"mechanism {name!r}: unknown phase {phase!r}; expected one of {PHASES}")

    def register(step: Step) -> Step:
        known = _REGISTRY.get(name)
        if known is not None and known.step is not step:
            raise ValueError(f"mechanism {name!r} is registered twice")
        for other in _REGISTRY.values():
            if other.name != name and (other.phase, other.order) == (phase, order):
                raise ValueError(f"mechanisms {other.name!r} and {name!r} share {phase} {order}")
        _REGISTRY[name] = Mechanism(name, step, phase, order, reads)
        return step

    return register


def registered_mechanisms() -> tuple[Mechanism, ...]:
    """Every registered mechanism in the order a month runs them."""
    return tuple(sorted(_REGISTRY.values(), key=lambda m: (PHASES.index(m.phase), m.order)))
