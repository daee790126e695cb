"""Compiled passes over the voter columns for the society mechanisms.

Each kernel does, voter by voter, exactly the float32 and float64 arithmetic of the
NumPy code it replaces (kept in each mechanism's module as the reference, named
``*_reference``), in the same order, so results are bit-for-bit the same; a test checks
each pair. The kernels read each column once and allocate nothing of the voters' size.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from polsim.scenario.schema import ZHUZES

__all__ = [
    "cell_sums_kernel",
    "coopted_backers_kernel",
    "grievance_kernel",
    "hardship_kernel",
    "mobilisation_kernel",
    "voter_grievance",
    "voter_hardship",
]


# Hardship and grievance are not held per voter: every pass derives them from the held
# columns and the month's scalars with the functions below (the same float32 operations
# wherever they are read, so every reader sees the same bits). A pass takes them as one
# tuple, ``society`` (see polsim.society.grievance.society_inputs): base hardship,
# shock sensitivity, ethnicity, zhuz, backs_coopted (per voter); the grievance factor
# table, flattened; and the float32 scalars shock, relief, floor, ceiling.

#: Columns of the grievance factor table per ethnic group: no zhuz, then each zhuz.
_ZHUZ_COLUMNS = len(ZHUZES) + 1


@njit(cache=True, nogil=True)
def hardship_value(sensitivity, base, shock, relief, floor, ceiling):  # pragma: no cover
    """H = clip(s·shock + H0 − relief, floor, ceiling), all in float32."""
    h = sensitivity * shock
    h = h + base
    h = h - relief
    if h < floor:
        h = floor
    elif h > ceiling:
        h = ceiling
    return h


@njit(cache=True, nogil=True)
def voter_hardship(i, society):  # pragma: no cover
    """H of voter i (docs/model.md §1.3)."""
    base, sensitivity, _, _, _, _, shock, relief, floor, ceiling = society
    return hardship_value(sensitivity[i], base[i], shock, relief, floor, ceiling)


@njit(cache=True, nogil=True)
def voter_grievance(i, society, hardship):  # pragma: no cover
    """G of voter i, whose H is ``hardship``: H·factor[ethnicity, zhuz + 1, backs_coopted].

    The factor (:func:`polsim.society.grievance.grievance_factor_table`) is the distrust
    ``1 − L_i`` of the voter's group, or for a backer of a co-opted organisation
    ``1 − min(1, L_i + bonus)`` (docs/model.md §1.4).
    """
    _, _, ethnicity, zhuz, backs_coopted, factor, _, _, _, _ = society
    # One flat, non-negative index: no wraparound checks per dimension (speed).
    cell = (np.int64(ethnicity[i]) * _ZHUZ_COLUMNS + np.int64(zhuz[i]) + 1) * 2
    return hardship * factor[np.uint64(cell + np.int64(backs_coopted[i]))]


@njit(cache=True, nogil=True)
def hardship_kernel(base, sensitivity, shock, relief, floor, ceiling, out):  # pragma: no cover
    """out = H of each voter of the (sliced) columns."""
    for i in range(out.shape[0]):
        out[i] = hardship_value(sensitivity[i], base[i], shock, relief, floor, ceiling)


@njit(cache=True, nogil=True)
def grievance_kernel(society, out):  # pragma: no cover
    """out = G of each voter of the (sliced) columns."""
    for i in range(out.shape[0]):
        out[i] = voter_grievance(i, society, voter_hardship(i, society))


@njit(cache=True, nogil=True)
def coopted_backers_kernel(choice, coopted, out):  # pragma: no cover
    """out = whether each voter's organisation is co-opted (the grievance step's flag).

    ``coopted`` is indexed by organisation id (last entry: none) and is empty when no
    voter can back a co-opted organisation; ``choice`` is the voters' last backing.
    """
    none = coopted.shape[0] - 1
    if none < 0:
        out[:] = False
        return
    for i in range(out.shape[0]):
        c = choice[i]
        out[i] = coopted[c if c >= 0 else none]


@njit(cache=True, nogil=True)
def _willing(i, society, risk, threshold, repression, choice, organised, discount):
    net = voter_grievance(i, society, voter_hardship(i, society)) - risk[i] * repression
    if net > threshold[i]:
        return True
    if organised.shape[0] > 0:
        c = choice[i]
        if organised[c if c >= 0 else organised.shape[0] - 1]:
            return net > threshold[i] - discount
    return False


@njit(cache=True, nogil=True)
def mobilisation_kernel(
    society, risk, threshold, bandwagon, weight, active, bounds, totals,
    repression, choice, organised, discount, previous, shares, people, frontier, known,
    first_oblast, end_oblast,
):  # fmt: skip  # pragma: no cover
    """Each oblast's equilibrium active share, and who is active (see mobilise), for the
    oblasts ``first_oblast..end_oblast``: oblasts share no voter and no output, so
    disjoint ranges can run on different threads.

    ``society`` is what :func:`voter_grievance` reads (G is derived for the voters
    read, not held).

    ``totals[o]`` is the oblast's weight as the threshold model takes it; ``previous``
    and ``shares`` receive last month's and this month's active share by oblast.

    An oblast's voters are sorted by bandwagon threshold, and a voter is active only if
    its threshold is within the oblast's cut, so the active voters are a prefix of the
    oblast's slice, ending at ``frontier[o]``. When ``known``, ``people`` (the oblast's
    weight summed in voter order) and ``frontier`` hold last month's values and only the
    prefix is read; otherwise both are computed from the whole slice. Either way the
    sums are those of the whole slice in voter order.
    """
    for o in range(first_oblast, end_oblast):
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
                if _willing(i, society, risk, threshold, repression, choice, organised,
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
                    if _willing(i, society, risk, threshold, repression, choice, organised,
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
                cut_end, society, risk, threshold, repression, choice, organised, discount
            )
            cut_end += 1
        for i in range(cut_end, max(cut_end, end)):
            active[i] = False
        frontier[o] = cut_end


@njit(cache=True, nogil=True)
def cell_sums_kernel(
    bounds, weight, society, active, n_groups, out, first_oblast, end_oblast
):  # pragma: no cover
    """out[0..3][cell] += w, w·H, w·G, w·active in voter order (as np.bincount).

    Oblast by oblast over ``bounds`` (voters are sorted by oblast), for the oblasts
    ``first_oblast..end_oblast``; a cell is an (oblast, group), so disjoint ranges of
    oblasts can run on different threads. ``society`` is what :func:`voter_grievance`
    reads.
    """
    ethnicity = society[2]
    for o in range(first_oblast, end_oblast):
        for i in range(bounds[o], bounds[o + 1]):
            cell = np.int64(o) * n_groups + ethnicity[i]
            w = weight[i]
            h = voter_hardship(i, society)
            g = voter_grievance(i, society, h)
            out[0, cell] += np.float64(w)
            out[1, cell] += np.float64(w * h)
            out[2, cell] += np.float64(w * g)
            if active[i]:
                out[3, cell] += np.float64(w)
