"""The state of one simulated polity: plain containers, no behaviour."""

from polsim.world.polity import RegimeState, SocietyState, World
from polsim.world.voters import NO_ORGANISATION, NO_ZHUZ, Voters

__all__ = ["NO_ORGANISATION", "NO_ZHUZ", "RegimeState", "SocietyState", "Voters", "World"]
