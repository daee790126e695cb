"""Compiled counts over voter columns that allocate nothing of the voters' size.

:func:`bincount` gives what ``np.bincount(index, weights, minlength)`` gives (NumPy adds
the weights, as float64, one voter after another in index order; so do these loops),
without NumPy's int64 and float64 copies of ``index`` and ``weights``. NumPy itself is
the reference; a test checks that the two agree bit for bit.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["bincount", "count_equal", "pairwise_sum", "stable_order", "support_tables"]


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


#: NumPy's pairwise summation sums blocks of at most this many values directly.
_PAIRWISE_BLOCK = 128


@njit(cache=True, nogil=True, inline="always")
def _gather_labelled(a, b, labels, side, n, cursor, block):  # pragma: no cover
    """block[:n] = the terms of the next ``n`` rows labelled ``side`` from ``cursor[0]``."""
    k = cursor[0]
    for j in range(n):
        while labels[k] != side:
            k += 1
        block[j] = np.float64(a[k]) * np.float64(b[k])
        k += 1
    cursor[0] = k


@njit(cache=True, nogil=True, inline="always")
def _term(a, b, labelled, lo, j, block):  # pragma: no cover
    """Term j of the block starting at row ``lo`` (gathered first when ``labelled``)."""
    return block[j] if labelled else np.float64(a[lo + j]) * np.float64(b[lo + j])


@njit(cache=True, nogil=True, inline="always")
def _block_sum(a, b, labelled, lo, n, block):  # pragma: no cover
    """One block as NumPy sums it: under 8 terms one after another; else eight
    accumulators, combined pairwise, then the remainder."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += _term(a, b, labelled, lo, i, block)
        return res
    r0 = _term(a, b, labelled, lo, 0, block)
    r1 = _term(a, b, labelled, lo, 1, block)
    r2 = _term(a, b, labelled, lo, 2, block)
    r3 = _term(a, b, labelled, lo, 3, block)
    r4 = _term(a, b, labelled, lo, 4, block)
    r5 = _term(a, b, labelled, lo, 5, block)
    r6 = _term(a, b, labelled, lo, 6, block)
    r7 = _term(a, b, labelled, lo, 7, block)
    i = 8
    while i < n - (n % 8):
        r0 += _term(a, b, labelled, lo, i, block)
        r1 += _term(a, b, labelled, lo, i + 1, block)
        r2 += _term(a, b, labelled, lo, i + 2, block)
        r3 += _term(a, b, labelled, lo, i + 3, block)
        r4 += _term(a, b, labelled, lo, i + 4, block)
        r5 += _term(a, b, labelled, lo, i + 5, block)
        r6 += _term(a, b, labelled, lo, i + 6, block)
        r7 += _term(a, b, labelled, lo, i + 7, block)
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += _term(a, b, labelled, lo, i, block)
        i += 1
    return res


@njit(cache=True, nogil=True)
def _pairwise(a, b, labels, side, lo, n, cursor, block):  # pragma: no cover
    """Rows ``lo:lo + n`` (or the next ``n`` labelled ``side``) in NumPy's order."""
    if n <= _PAIRWISE_BLOCK:
        labelled = labels.shape[0] > 0
        if labelled:
            _gather_labelled(a, b, labels, side, n, cursor, block)
        return _block_sum(a, b, labelled, lo, n, block)
    half = n // 2
    half -= half % 8  # halves split at multiples of 8
    first = _pairwise(a, b, labels, side, lo, half, cursor, block)
    second = _pairwise(a, b, labels, side, lo + half, n - half, cursor, block)
    return first + second


@njit(cache=True, nogil=True)
def count_equal(codes, value):  # pragma: no cover
    """How many of ``codes`` equal ``value`` (``(codes == value).sum()`` without the mask)."""
    n = 0
    for k in range(codes.shape[0]):
        n += codes[k] == value
    return n


def pairwise_sum(
    a: np.ndarray,
    b: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    side: int = 0,
) -> float:
    """Σ float64(a_i)·float64(b_i) with the bits of NumPy's ``(a * b).sum()`` on float64
    (pairwise summation: blocks of at most 128 values, halves split at multiples of 8),
    without the product array; with ``labels``, over the rows labelled ``side`` only
    (``(a * b)[labels == side].sum()``). ``b`` defaults to 1.

    A zero-stride ``a`` (one shared value) with ``labels`` needs only the count of the
    rows labelled ``side``: the same additions of that value, without reading the rows.

    >>> pairwise_sum(np.full(1000, 0.1)) == float(np.full(1000, 0.1).sum())
    True
    """
    a = np.asarray(a)
    b = np.broadcast_to(np.float64(1.0), a.shape) if b is None else np.asarray(b)
    cursor = np.zeros(1, dtype=np.int64)
    block = np.empty(_PAIRWISE_BLOCK)
    no_labels = np.zeros(0, dtype=np.int8)
    if labels is None:
        return float(_pairwise(a, b, no_labels, 0, 0, len(a), cursor, block))
    n = int(count_equal(labels, side))
    if a.ndim == 1 and len(a) and a.strides[0] == 0 and b.strides[0] == 0:
        shared = np.broadcast_to(np.float64(a[0]) * np.float64(b[0]), (n,))
        one = np.broadcast_to(np.float64(1.0), (n,))
        return float(_pairwise(shared, one, no_labels, 0, 0, n, cursor, block))
    return float(_pairwise(a, b, labels, side, 0, n, cursor, block))
