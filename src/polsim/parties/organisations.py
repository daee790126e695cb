"""An organisation's ethnic base: a bit mask over the scenario's ethnic groups.

Bit ``e`` set means the organisation appeals to group ``e`` (the utility term
``b_eth·[same ethnic base]``). One bit: an ethnic organisation; several: an
inter-ethnic one (a cross-ethnic merger takes the union); none: a civic one. The
organisation table itself is :mod:`polsim.world.organisations`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["base_groups", "base_mask", "base_names"]


def base_mask(groups: list[int] | tuple[int, ...] | np.ndarray) -> int:
    """The bit mask of an ethnic base made of the given group codes.

    >>> base_mask([0, 2])
    5
    """
    mask = 0
    for g in groups:
        mask |= 1 << int(g)
    return mask


def base_groups(mask: int) -> list[int]:
    """The group codes in an ethnic-base mask, ascending.

    >>> base_groups(5)
    [0, 2]
    """
    return [g for g in range(mask.bit_length()) if mask >> g & 1]


def base_names(mask: int, ethnic_groups: tuple[str, ...]) -> str:
    """The base as text: group names joined by ``+``, or ``""`` for a civic organisation."""
    return "+".join(ethnic_groups[g] for g in base_groups(mask))
