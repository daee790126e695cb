"""The formula registry: which function holds an election of each ``system.formula``.

A race family registers the formulas it holds with :func:`register`; ``hold.py`` looks the
scenario's formula up with :func:`race_family`. Adding a formula is one module with one
decorated function, imported by :mod:`polsim.elections.hold`::

    from polsim.elections.registry import register
    from polsim.elections.race import ElectionOutcome, RaceContext

    @register("my_formula")
    def hold_my_formula(race: RaceContext) -> ElectionOutcome:
        ...

(and ``"my_formula"`` in the scenario schema's ``ElectoralFormula``, which a test checks
against :func:`registered_formulas`).
"""

from __future__ import annotations

from collections.abc import Callable

from polsim.elections.race import ElectionOutcome, RaceContext
from polsim.errors import ScenarioError

__all__ = ["RaceFamily", "race_family", "register", "registered_formulas"]

#: A race family: holds one election and returns what it produced.
RaceFamily = Callable[[RaceContext], ElectionOutcome]

_FAMILIES: dict[str, RaceFamily] = {}


def register(*formulas: str) -> Callable[[RaceFamily], RaceFamily]:
    """Decorator: the function holds elections of each of ``formulas``."""

    def decorate(family: RaceFamily) -> RaceFamily:
        for formula in formulas:
            if formula in _FAMILIES:
                raise ValueError(f"formula {formula!r} is already registered")
            _FAMILIES[formula] = family
        return family

    return decorate


def registered_formulas() -> tuple[str, ...]:
    """The formulas that can be simulated, in the order they were registered."""
    return tuple(_FAMILIES)


def race_family(formula: str, election: str) -> RaceFamily:
    """The function that holds ``election`` by ``formula``; a ScenarioError if none does."""
    family = _FAMILIES.get(formula)
    if family is None:
        raise ScenarioError(
            f"election {election!r}: formula {formula!r} cannot be simulated yet; "
            f"use one of {', '.join(_FAMILIES)}"
        )
    return family
