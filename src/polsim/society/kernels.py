"""Compiled passes over the voter columns for the society mechanisms.

Each kernel does, voter by voter, exactly the float32 and float64 arithmetic of the
NumPy code it replaces (kept in each mechanism's module as the reference, named
``*_reference``), in the same order, so results are bit-for-bit the same; a test checks
each pair. The kernels read each column once and allocate nothing of the voters' size.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "cell_sums_kernel",
    "grievance_kernel",
    "hardship_kernel",
    "mobilisation_kernel",
]


@njit(cache=True, nogil=True)
def hardship_kernel(base, sensitivity, shock, relief, out):  # pragma: no cover
    """out = clip(s·shock + H0 − relief, 0, 1), all in float32."""
    zero = np.float32(0.0)
    one = np.float32(1.0)
    for i in range(out.shape[0]):
        h = sensitivity[i] * shock
        h = h + base[i]
        h = h - relief
        if h < zero:
            h = zero
        elif h > one:
            h = one
        out[i] = h


@njit(cache=True, nogil=True)
def grievance_kernel(
    hardship, ethnicity, zhuz, distrust, choice, coopted, bonus, out
):  # pragma: no cover
    """G = H·distrust[eth, zhuz + 1]; backers of a co-opted organisation get the bonus.

    ``coopted`` is indexed by organisation id (last entry: none) and is empty when no
    voter can back a co-opted organisation; ``choice`` is the voters' last backing.
    """
    one = np.float32(1.0)
    none = coopted.shape[0] - 1
    if none < 0:
        for i in range(out.shape[0]):
            out[i] = hardship[i] * distrust[ethnicity[i], zhuz[i] + 1]
        return
    # Branch-free: backers of co-opted organisations come at random.
    for i in range(out.shape[0]):
        d = distrust[ethnicity[i], zhuz[i] + 1]
        c = choice[i]
        boosted = min(one, (one - d) + bonus)
        out[i] = hardship[i] * ((one - boosted) if coopted[c if c >= 0 else none] else d)


@njit(cache=True, nogil=True)
def _willing(i, grievance, risk, threshold, repression, choice, organised, discount):
    net = grievance[i] - risk[i] * repression
    if net > threshold[i]:
        return True
    if organised.shape[0] > 0:
        c = choice[i]
        if organised[c if c >= 0 else organised.shape[0] - 1]:
            return net > threshold[i] - discount
    return False


@njit(cache=True, nogil=True)
def mobilisation_kernel(
    grievance, risk, threshold, bandwagon, weight, active, bounds, totals,
    repression, choice, organised, discount, previous, shares, people, frontier, known,
):  # fmt: skip  # pragma: no cover
    """Each oblast's equilibrium active share, and who is active (see mobilise).

    ``totals[o]`` is the oblast's weight as the threshold model takes it; ``previous``
    and ``shares`` receive last month's and this month's active share by oblast.

    An oblast's voters are sorted by bandwagon threshold, and a voter is active only if
    its threshold is within the oblast's cut, so the active voters are a prefix of the
    oblast's slice, ending at ``frontier[o]``. When ``known``, ``people`` (the oblast's
    weight summed in voter order) and ``frontier`` hold last month's values and only the
    prefix is read; otherwise both are computed from the whole slice. Either way the
    sums are those of the whole slice in voter order.
    """
    for o in range(bounds.shape[0] - 1):
        lo = bounds[o]
        hi = bounds[o + 1]
        # Last month's active share: sums in voter order, as np.bincount.
        end = frontier[o] if known else hi
        if not known:
            total_people = 0.0
            for i in range(lo, hi):
                total_people += np.float64(weight[i])
            people[o] = total_people
        acting = 0.0
        for i in range(lo, end):
            if active[i]:
                acting += np.float64(weight[i])
        start = acting / people[o] if people[o] > 0 else 0.0
        previous[o] = start
        total = totals[o]
        share = 0.0
        if total > 0 and hi > lo:
            # Members with b <= start are "reached"; the last reached member whose
            # threshold is within the share before it sustains a downward cascade.
            cumulative = 0.0
            before = 0.0
            sustained = -1.0
            at_start = 0.0
            i = lo
            # (An unwilling member adds 0.0, which changes no sum, so the share is
            # recomputed only after a willing one: the same values, fewer divisions.)
            while i < hi and np.float64(bandwagon[i]) <= start:
                if _willing(i, grievance, risk, threshold, repression, choice, organised,
                            discount):  # fmt: skip
                    w = np.float64(weight[i])
                    cumulative += w
                    s = cumulative / total
                    if w > 0 and np.float64(bandwagon[i]) <= s:
                        sustained = s
                    before = s
                    at_start = s
                i += 1
            if at_start >= start:
                # Upward: the first willing member above both start and the share
                # before it stops the cascade.
                share = -1.0
                while i < hi:
                    if _willing(i, grievance, risk, threshold, repression, choice, organised,
                                discount):  # fmt: skip
                        w = np.float64(weight[i])
                        if w > 0 and np.float64(bandwagon[i]) > max(start, before):
                            share = before
                            break
                        cumulative += w
                        before = cumulative / total
                    i += 1
                if share < 0:
                    share = before
            else:
                share = sustained if sustained >= 0 else 0.0
        shares[o] = share
        cut = np.float32(share)
        # Active: within the cut (a prefix) and willing; everyone after it is not.
        cut_end = lo
        while cut_end < hi and bandwagon[cut_end] <= cut:
            active[cut_end] = _willing(
                cut_end, grievance, risk, threshold, repression, choice, organised, discount
            )
            cut_end += 1
        for i in range(cut_end, max(cut_end, end)):
            active[i] = False
        frontier[o] = cut_end


@njit(cache=True, nogil=True)
def cell_sums_kernel(oblast, ethnicity, weight, hardship, grievance, active, n_groups, out):
    """out[0..3][cell] += w, w·H, w·G, w·active in voter order (as np.bincount)."""
    for i in range(oblast.shape[0]):
        cell = np.int64(oblast[i]) * n_groups + ethnicity[i]
        w = weight[i]
        out[0, cell] += np.float64(w)
        out[1, cell] += np.float64(w * hardship[i])
        out[2, cell] += np.float64(w * grievance[i])
        if active[i]:
            out[3, cell] += np.float64(w)
