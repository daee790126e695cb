"""Compiled counts over voter columns that allocate nothing of the voters' size.

:func:`bincount` gives what ``np.bincount(index, weights, minlength)`` gives (NumPy adds
the weights, as float64, one voter after another in index order; so do these loops),
without NumPy's int64 and float64 copies of ``index`` and ``weights``. NumPy itself is
the reference; a test checks that the two agree bit for bit.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["bincount", "stable_order", "support_tables"]


@njit(cache=True, nogil=True)
def _weighted(index, weights, out):  # pragma: no cover
    for i in range(index.shape[0]):
        out[index[i]] += np.float64(weights[i])


@njit(cache=True, nogil=True)
def _counted(index, out):  # pragma: no cover
    for i in range(index.shape[0]):
        out[index[i]] += 1


def bincount(index: np.ndarray, weights: np.ndarray | None = None, minlength: int = 0):
    """``np.bincount(index, weights, minlength)`` for a 1-D integer ``index``."""
    index = np.asarray(index)
    if index.ndim != 1 or index.dtype.kind not in "iu" or len(index) == 0:
        return np.bincount(index, weights=weights, minlength=minlength)
    if index.min() < 0:
        raise ValueError("'list' argument must have no negative elements")
    size = max(int(minlength), int(index.max()) + 1)
    if weights is None:
        out = np.zeros(size, np.int64)
        _counted(index, out)
        return out
    weights = np.asarray(weights)
    if weights.shape != index.shape:
        raise ValueError("The weights and list don't have the same length.")
    out = np.zeros(size, np.float64)
    _weighted(index, weights, out)
    return out


@njit(cache=True, nogil=True)
def _support_tables(
    district, attachment, choice, weight, ethnicity, zhuz, n_orgs, n_eth, support, by_eth, by_zhuz
):  # pragma: no cover
    has_choice = choice.shape[0] == attachment.shape[0]
    for i in range(attachment.shape[0]):
        a = np.int64(attachment[i])
        if a < 0 and has_choice:
            a = np.int64(choice[i])
        if a >= 0:
            cell = np.int64(district[i]) * n_orgs + a
            w = np.float64(weight[i])
            support[cell] += w
            by_eth[cell * n_eth + ethnicity[i]] += w
            by_zhuz[cell * 4 + (np.int64(zhuz[i]) + 1)] += w


def support_tables(
    district, attachment, weight, ethnicity, zhuz, n_districts, n_orgs, n_eth, choice=None
):
    """Backers' weight per (district, org), per (district, org, ethnicity) and per
    (district, org, zhuz + 1), flat, as the three ``np.bincount`` of
    ``elections.candidates._organisation_support_reference`` (voters with
    ``attachment >= 0``; ``attachment < n_orgs``). With ``choice``, a voter without an
    attachment counts for the organisation it backs (the ballot's attachment), without
    that column being made."""
    support = np.zeros(n_districts * n_orgs)
    by_eth = np.zeros(n_districts * n_orgs * n_eth)
    by_zhuz = np.zeros(n_districts * n_orgs * 4)
    choice = np.zeros(0, np.int16) if choice is None else choice
    _support_tables(
        district, attachment, choice, weight, ethnicity, zhuz, n_orgs, n_eth,
        support, by_eth, by_zhuz,
    )  # fmt: skip
    return support, by_eth, by_zhuz


@njit(cache=True, nogil=True)
def _stable_order(index, start, order):  # pragma: no cover
    """Counting sort: each row goes to the next free place of its group, in row order."""
    place = start.copy()
    for i in range(index.shape[0]):
        g = index[i]
        order[place[g]] = i
        place[g] += 1


def stable_order(index: np.ndarray, n_groups: int) -> np.ndarray:
    """``np.argsort(index, kind="stable")`` for codes in ``[0, n_groups)``, as int32 when
    the rows fit (half the memory of NumPy's int64 and its sort's scratch)."""
    index = np.asarray(index)
    counts = bincount(index, minlength=n_groups) if len(index) else np.zeros(n_groups, np.int64)
    if len(counts) > n_groups:
        raise ValueError(f"codes must be below {n_groups}; got {len(counts) - 1}")
    start = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    order = np.empty(len(index), dtype=np.int32 if len(index) < 2**31 else np.int64)
    if len(index):
        _stable_order(index, start, order)
    return order
