"""Indices of ethnic diversity: fractionalisation and polarisation.

Group sizes may be given in any non-negative unit (people, percentages, shares); they are
normalised to shares :math:`p_i` summing to 1. Negative, NaN or infinite sizes, or sizes
summing to zero, raise :class:`~polsim.errors.UserInputError` (a ``ValueError``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from polsim.measures.party_system import _normalised

__all__ = ["ethnic_fractionalization", "ethnic_polarization"]


def ethnic_fractionalization(shares: Sequence[float] | Mapping[Any, float] | np.ndarray) -> float:
    r"""Ethnic fractionalisation: the chance that two random people belong to different groups.

    .. math:: F = 1 - \sum_i p_i^2

    Parameters
    ----------
    shares : sequence or mapping of float
        Size of each group, in any non-negative unit (normalised).

    Returns
    -------
    float
        0 for a homogeneous society, approaching 1 with many small groups.

    Examples
    --------
    Two equal groups: 1 - (0.25 + 0.25) = 0.5.

    >>> ethnic_fractionalization({"Kazakh": 50, "Russian": 50})
    0.5
    >>> ethnic_fractionalization([1, 1, 1, 1])
    0.75

    References
    ----------
    .. [1] A. Alesina, A. Devleeschauwer, W. Easterly, S. Kurlat and R. Wacziarg,
       "Fractionalization", *Journal of Economic Growth* 8(2) (2003), 155-194.
    """
    p = _normalised(shares, "shares")
    return float(1.0 - np.sum(p**2))


def ethnic_polarization(shares: Sequence[float] | Mapping[Any, float] | np.ndarray) -> float:
    r"""Reynal-Querol's index of ethnic polarisation.

    .. math::

        RQ = 1 - \sum_i \left(\frac{0.5 - p_i}{0.5}\right)^2 p_i
           = 4 \sum_i p_i^2 (1 - p_i)

    (expand :math:`(1 - 2p_i)^2 p_i` and use :math:`\sum_i p_i = 1`). It measures how
    close the distribution is to two equal groups, the case of most conflict: two equal
    groups give 1, a homogeneous society 0, and many small groups tend to 0 again.

    Parameters
    ----------
    shares : sequence or mapping of float
        Size of each group, in any non-negative unit (normalised).

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> ethnic_polarization([50, 50])
    1.0
    >>> ethnic_polarization([1.0])
    0.0

    Kazakhs 40%, Russians 38%, others 22%:
    4 · (0.16 · 0.6 + 0.1444 · 0.62 + 0.0484 · 0.78) = 4 · 0.22328 = 0.89312.

    >>> round(ethnic_polarization([40, 38, 22]), 5)
    0.89312

    References
    ----------
    .. [1] M. Reynal-Querol, "Ethnicity, political systems, and civil wars", *Journal of
       Conflict Resolution* 46(1) (2002), 29-54.
    .. [2] J. G. Montalvo and M. Reynal-Querol, "Ethnic polarization, potential conflict,
       and civil wars", *American Economic Review* 95(3) (2005), 796-816.
    """
    p = _normalised(shares, "shares")
    return float(4.0 * np.sum(p**2 * (1.0 - p)))
