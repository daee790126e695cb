"""The state of one simulated polity: plain containers, no behaviour."""

from polsim.world.elites import NO_OFFICE, Elites
from polsim.world.polity import RegimeState, SocietyState, World
from polsim.world.voters import NO_ORGANISATION, NO_ZHUZ, Voters

__all__ = [
    "NO_OFFICE",
    "NO_ORGANISATION",
    "NO_ZHUZ",
    "Elites",
    "RegimeState",
    "SocietyState",
    "Voters",
    "World",
]
