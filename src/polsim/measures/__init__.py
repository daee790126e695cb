"""Measures computed from results: party-system and ethnic indices.

>>> from polsim.measures import effective_number_of_parties
>>> effective_number_of_parties([0.75, 0.25])
1.6
"""

from __future__ import annotations

from polsim.measures.ethnic import ethnic_fractionalization, ethnic_polarization
from polsim.measures.party_system import (
    Volatility,
    effective_number_of_parties,
    gallagher,
    golosov,
    loosemore_hanby,
    party_nationalization,
    party_system_nationalization,
    pedersen,
    pedersen_components,
)

__all__ = [
    "Volatility",
    "effective_number_of_parties",
    "ethnic_fractionalization",
    "ethnic_polarization",
    "gallagher",
    "golosov",
    "loosemore_hanby",
    "party_nationalization",
    "party_system_nationalization",
    "pedersen",
    "pedersen_components",
]
