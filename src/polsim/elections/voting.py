"""Turnout and vote choice of every voter, counted by polling unit (docs/model.md §4.3.3, §4.3.4).

**Turnout** is a logit in the voter's covariates plus administrative mobilisation:

``P(vote_i) = logistic(β0 + β_H·H_i + β_G·G_i + β_L·L_i + β_U·urban_i + m·[rural_i] + η_u)``

with hardship ``H``, grievance ``G``, perceived legitimacy ``L_i`` (docs/model.md §1.3, §1.4), ``m``
the apparat's mobilisation of the countryside (the collective and state farms) and
``η_u ~ N(0, σ_η)`` one draw per polling unit and round (local organisation, weather,
the zeal of the commission), which gives units the spread of turnouts real returns show.

**Vote choice** is a multinomial logit (McFadden 1974) over the candidates ``c``
registered in the voter's district:

``U_ic = v_c − a·s_c·‖x_i − p_c‖² + b_eth·[eth_i = eth_c] + b_clan·[zhuz_i = zhuz_c ≥ 0]
+ b_party·[attachment_i = org_c ≥ 0] + b_regime·A_i·[c endorsed] + ε_ic``

with ``ε`` i.i.d. Gumbel, so ``P(i chooses c) = exp(V_ic)/Σ_k exp(V_ik)`` (``V`` the
deterministic part). ``v_c`` is a valence and ``s_c`` a spatial switch (both 0 for the
"against" line of a for/against ballot, whose utility is then the constant
``u_0``; 1 and 0 for a person). ``A_i = L_i·(1 − H_i)`` is the voter's approval of the
regime. The choice is drawn by **inverse CDF on the softmax**: one uniform ``u_i`` per
voter, and the chosen candidate is the first whose cumulative probability exceeds
``u_i``. This is the same distribution as the Gumbel-max trick with one draw per voter
instead of one per candidate.

Voters are processed in chunks of at most ``chunk`` rows, so memory is bounded by
``chunk × (candidates in a district)`` and never ``voters × all candidates``. The random
numbers of turnout and choice come from two generators seeded from the caller's stream,
each drawn in voter order, so the result does not depend on the chunk size. A compiled
kernel (:func:`_choose_candidates`) picks each voter's candidate, on the run's threads;
another (:func:`_count_ballots`) adds each voter's weight to its unit's tallies in voter
order, on one; :func:`choose_reference` is the plain NumPy version that a test compares
with them.

References
----------
McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In
P. Zarembka (ed.), *Frontiers in Econometrics*. Academic Press.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from polsim.engine.portable_math import portable_exp, portable_exp_array
from polsim.engine.threads import run_pipelined, run_together, voter_parts, voter_ranges
from polsim.scenario.schema import ElectionParameters

__all__ = [
    "Ballot",
    "CandidateTable",
    "RoundCount",
    "approval_totals",
    "approval_totals_reference",
    "cast_ballots",
    "choice_probabilities",
    "choose_reference",
    "turnout_probability",
]


@dataclass(frozen=True)
class Ballot:
    """The voter columns an election reads, and where each voter votes.

    ``legitimacy`` is ``L_i``; ``district`` and ``unit`` come from
    :class:`~polsim.elections.districts.Districting`.
    """

    weight: np.ndarray
    position: np.ndarray
    ethnicity: np.ndarray
    zhuz: np.ndarray
    attachment: np.ndarray
    urban: np.ndarray
    hardship: np.ndarray
    grievance: np.ndarray
    legitimacy: np.ndarray
    district: np.ndarray
    unit: np.ndarray

    def __len__(self) -> int:
        return len(self.weight)


@dataclass(frozen=True)
class CandidateTable:
    """Candidates of one round, sorted by district (few rows; plain arrays).

    ``start[d]:start[d + 1]`` are district ``d``'s candidates. Ethnicity, zhuz and org
    are -1 where the candidate has none; ``spatial`` is 1 for a person and 0 for the
    "against" line; ``valence`` is added to every voter's utility.
    """

    start: np.ndarray
    position: np.ndarray
    ethnicity: np.ndarray
    zhuz: np.ndarray
    org: np.ndarray
    endorsed: np.ndarray
    spatial: np.ndarray
    valence: np.ndarray

    def __len__(self) -> int:
        return len(self.org)

    @property
    def counts(self) -> np.ndarray:
        """Candidates per district."""
        return np.diff(self.start)


@dataclass(frozen=True)
class RoundCount:
    """Tallies of one round by polling unit.

    ``pair_votes[pair_start[u] + j]`` is the weight of votes for candidate ``j`` of
    unit ``u``'s district cast in unit ``u``; ``ballots[u]`` the weight of ballots cast.
    """

    ballots: np.ndarray
    pair_votes: np.ndarray
    pair_start: np.ndarray


def turnout_probability(
    ballot: Ballot, rows: slice, unit_shock: np.ndarray, params: ElectionParameters
) -> np.ndarray:
    """P(vote) of the voters in ``rows`` (float64)."""
    urban = ballot.urban[rows]
    logit = (
        params.turnout_intercept
        + params.turnout_hardship * ballot.hardship[rows].astype(np.float64)
        + params.turnout_grievance * ballot.grievance[rows].astype(np.float64)
        + params.turnout_legitimacy * ballot.legitimacy[rows].astype(np.float64)
        + np.where(urban, params.turnout_urban, params.mobilisation)
        + unit_shock[ballot.unit[rows]]
    )
    return 1.0 / (1.0 + portable_exp_array(-logit))


@numba.njit(cache=True, nogil=True)
def _turnout_kernel(
    hardship, grievance, legitimacy, urban, unit, district, slate, unit_shock, coef, draws, voted
):  # pragma: no cover
    """voted = draw < P(vote) for voters whose district has candidates.

    P(vote) is :func:`turnout_probability`'s, with the same operations in the same order
    (coef: intercept, β_H, β_G, β_L, β_U, m), without its voter-sized temporaries.
    """
    for i in range(voted.shape[0]):
        logit = (
            coef[0]
            + coef[1] * np.float64(hardship[i])
            + coef[2] * np.float64(grievance[i])
            + coef[3] * np.float64(legitimacy[i])
            + (coef[4] if urban[i] else coef[5])
            + unit_shock[unit[i]]
        )
        p = 1.0 / (1.0 + portable_exp(-logit))
        voted[i] = (draws[i] < p) & (slate[district[i]] > 0)


def _turnout_coefficients(params: ElectionParameters) -> np.ndarray:
    """(β0, β_H, β_G, β_L, β_U, m): the order :func:`_turnout_kernel` reads them in."""
    return np.array(
        [
            params.turnout_intercept,
            params.turnout_hardship,
            params.turnout_grievance,
            params.turnout_legitimacy,
            params.turnout_urban,
            params.mobilisation,
        ],
        dtype=np.float64,
    )


def _coefficients(params: ElectionParameters) -> np.ndarray:
    return np.array(
        [
            params.spatial_weight,
            params.ethnic_bonus,
            params.clan_bonus,
            params.party_bonus,
            params.regime_bonus,
        ],
        dtype=np.float64,
    )


def _approval(ballot: Ballot, rows: slice) -> np.ndarray:
    """A_i = L_i·(1 − H_i)."""
    return ballot.legitimacy[rows].astype(np.float64) * (
        1.0 - ballot.hardship[rows].astype(np.float64)
    )


@numba.njit(cache=True, nogil=True)
def _choose_candidates(
    px, py, eth, zhuz, att, approval, district, voted, draw, cand, coef, start, stop, choice
):  # pragma: no cover
    """For each voter of ``start..stop`` who votes: the candidate it picks by inverse CDF
    (a global index; −1 for a voter who does not vote or has no candidate). Nothing is
    summed, so disjoint ranges can run on different threads."""
    # The utility of _utility, written inline: a call with the candidate tuple per
    # (voter, candidate) pair cost ten times the arithmetic.
    (c_start, c_x, c_y, c_eth, c_zhuz, c_org, c_endorsed, c_spatial, c_valence) = cand
    utility = np.empty(256, dtype=np.float64)
    for i in range(start, stop):
        choice[i] = -1
        if not voted[i]:
            continue
        d = district[i]
        first = c_start[d]
        n = c_start[d + 1] - first
        if n == 0:
            continue
        top = -np.inf
        xi = px[i]
        yi = py[i]
        e = eth[i]
        z = zhuz[i]
        a = att[i]
        for j in range(n):
            c = first + j
            dx = xi - c_x[c]
            dy = yi - c_y[c]
            u = c_valence[c] - coef[0] * c_spatial[c] * (dx * dx + dy * dy)
            if c_eth[c] >= 0 and e == c_eth[c]:
                u += coef[1]
            if c_zhuz[c] >= 0 and z == c_zhuz[c]:
                u += coef[2]
            if c_org[c] >= 0 and a == c_org[c]:
                u += coef[3]
            if c_endorsed[c]:
                u += coef[4] * approval[i]
            utility[j] = u
            if u > top:
                top = u
        for j in range(n):
            utility[j] = portable_exp(utility[j] - top)
        total = 0.0
        for j in range(n):
            total += utility[j]
        target = draw[i] * total
        # The first candidate whose cumulative weight exceeds the target is the number
        # of cumulative weights within it (they never decrease): counted without a branch.
        picked = 0
        cumulative = 0.0
        for j in range(n):
            cumulative += utility[j]
            picked += 1 if cumulative <= target else 0
        choice[i] = first + min(picked, n - 1)


@numba.njit(cache=True, nogil=True)
def _count_ballots(choice, district, unit, weight, c_start, pair_start, ballots, pair_votes):
    """Add each voter's weight to its unit's ballots and to its pick's votes, in voter
    order (the picks of :func:`_choose_candidates`)."""
    for i in range(choice.shape[0]):
        if choice[i] >= 0:
            w = np.float64(weight[i])
            ballots[unit[i]] += w
            pair_votes[pair_start[unit[i]] + choice[i] - c_start[district[i]]] += w


def _candidate_arrays(candidates: CandidateTable) -> tuple[np.ndarray, ...]:
    if int(candidates.counts.max(initial=0)) > 256:
        raise ValueError("a district may have at most 256 candidates")
    return (
        np.ascontiguousarray(candidates.start, dtype=np.int64),
        np.ascontiguousarray(candidates.position[:, 0], dtype=np.float64),
        np.ascontiguousarray(candidates.position[:, 1], dtype=np.float64),
        np.ascontiguousarray(candidates.ethnicity, dtype=np.int64),
        np.ascontiguousarray(candidates.zhuz, dtype=np.int64),
        np.ascontiguousarray(candidates.org, dtype=np.int64),
        np.ascontiguousarray(candidates.endorsed, dtype=np.bool_),
        np.ascontiguousarray(candidates.spatial, dtype=np.float64),
        np.ascontiguousarray(candidates.valence, dtype=np.float64),
    )


def choice_probabilities(
    ballot: Ballot, rows: slice, candidates: CandidateTable, params: ElectionParameters
) -> tuple[np.ndarray, np.ndarray]:
    """Softmax choice probabilities of the voters in ``rows`` over their district's slate.

    Returns ``(probabilities, first)``: a ``(rows, K)`` array (K the largest slate;
    padding columns are 0) and each voter's first global candidate index.
    """
    utility, first, valid = _utility_matrix(ballot, rows, candidates, params)
    top = np.max(utility, axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    expo = np.where(valid, portable_exp_array(utility - top), 0.0)
    total = expo.sum(axis=1, keepdims=True)
    return np.divide(expo, total, out=np.zeros_like(expo), where=total > 0), first


def _utility_matrix(
    ballot: Ballot, rows: slice, candidates: CandidateTable, params: ElectionParameters
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    coef = _coefficients(params)
    start = candidates.start
    district = ballot.district[rows].astype(np.int64)
    first = start[district]
    count = start[district + 1] - first
    width = max(int(candidates.counts.max(initial=0)), 1)
    column = np.arange(width)
    valid = column[None, :] < count[:, None]
    c = np.where(valid, first[:, None] + column[None, :], 0)
    if len(candidates) == 0:
        return np.full((len(district), width), -np.inf), first, valid
    position = ballot.position[rows].astype(np.float64)
    dx = position[:, 0:1] - candidates.position[c, 0].astype(np.float64)
    dy = position[:, 1:2] - candidates.position[c, 1].astype(np.float64)
    u = candidates.valence[c] - coef[0] * candidates.spatial[c] * (dx * dx + dy * dy)
    c_eth = candidates.ethnicity[c]
    u = u + np.where((c_eth >= 0) & (ballot.ethnicity[rows, None] == c_eth), coef[1], 0.0)
    c_zhuz = candidates.zhuz[c]
    u = u + np.where((c_zhuz >= 0) & (ballot.zhuz[rows, None] == c_zhuz), coef[2], 0.0)
    c_org = candidates.org[c]
    u = u + np.where((c_org >= 0) & (ballot.attachment[rows, None] == c_org), coef[3], 0.0)
    approval = _approval(ballot, rows)
    u = u + np.where(candidates.endorsed[c], coef[4] * approval[:, None], 0.0)
    return np.where(valid, u, -np.inf), first, valid


def choose_reference(
    ballot: Ballot,
    rows: slice,
    candidates: CandidateTable,
    params: ElectionParameters,
    voted: np.ndarray,
    draw: np.ndarray,
) -> np.ndarray:
    """NumPy reference of the kernel's choice: global candidate index, or -1."""
    utility, first, valid = _utility_matrix(ballot, rows, candidates, params)
    count = valid.sum(axis=1)
    top = np.max(utility, axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    expo = np.where(valid, portable_exp_array(utility - top), 0.0)
    cumulative = np.cumsum(expo, axis=1)
    target = draw * cumulative[:, -1]
    picked = np.minimum((cumulative <= target[:, None]).sum(axis=1), np.maximum(count - 1, 0))
    return np.where(voted & (count > 0), first + picked, -1)


def cast_ballots(
    ballot: Ballot,
    candidates: CandidateTable,
    unit_district: np.ndarray,
    params: ElectionParameters,
    rng: np.random.Generator,
    chunk: int | None = None,
) -> tuple[RoundCount, np.ndarray]:
    """Draw turnout and vote choice for every voter and count them by polling unit.

    Only voters of districts with candidates take part. Returns the tallies and the
    voted mask (the same voters cast the state-list ballot on the same day).
    """
    n = len(ballot)
    chunk = params.chunk_voters if chunk is None else int(chunk)
    n_units = len(unit_district)
    unit_shock = rng.normal(0.0, params.unit_turnout_sd, n_units) if n_units else np.zeros(0)
    turnout_rng = np.random.Generator(np.random.PCG64(rng.integers(0, 2**63)))
    choice_rng = np.random.Generator(np.random.PCG64(rng.integers(0, 2**63)))
    slate = candidates.counts[unit_district]
    pair_start = np.concatenate(([0], np.cumsum(slate)))
    ballots = np.zeros(n_units, dtype=np.float64)
    pair_votes = np.zeros(int(pair_start[-1]), dtype=np.float64)
    cand = _candidate_arrays(candidates)
    coef = _coefficients(params)
    voted_all = np.zeros(n, dtype=np.bool_)
    slate_size = np.ascontiguousarray(candidates.counts)
    turnout_coef = _turnout_coefficients(params)
    choice = np.empty(min(chunk, max(n, 1)), dtype=np.int64)
    constants = (slate_size, unit_shock, turnout_coef)
    for lo in range(0, n, chunk):
        rows = slice(lo, min(lo + chunk, n))
        m = rows.stop - rows.start
        voted = voted_all[rows]
        # Turnout and picks are per voter: threads take runs of the chunk's voters;
        # the tallies are then added in voter order on this thread.
        parts = voter_ranges(m)
        turnout = (
            ballot.hardship[rows], ballot.grievance[rows], ballot.legitimacy[rows],
            ballot.urban[rows], ballot.unit[rows], ballot.district[rows],
        )  # fmt: skip
        draws = turnout_rng.random(m)

        def turnout_of(a: int, b: int, turnout=turnout, draws=draws, voted=voted) -> tuple:
            return (*(column[a:b] for column in turnout), *constants, draws[a:b], voted[a:b])

        run_together([(_turnout_kernel, turnout_of(a, b)) for a, b in parts])
        draw = choice_rng.random(m)
        voters = (
            np.ascontiguousarray(ballot.position[rows, 0]),
            np.ascontiguousarray(ballot.position[rows, 1]),
            ballot.ethnicity[rows], ballot.zhuz[rows], ballot.attachment[rows],
            _approval(ballot, rows), ballot.district[rows], voted, draw, cand, coef,
        )  # fmt: skip
        run_together([(_choose_candidates, (*voters, a, b, choice[:m])) for a, b in parts])
        _count_ballots(
            choice[:m], ballot.district[rows], ballot.unit[rows], ballot.weight[rows],
            cand[0], pair_start, ballots, pair_votes,
        )  # fmt: skip
    return RoundCount(ballots, pair_votes, pair_start), voted_all


# --- approval ballots (the state list) ---------------------------------------------------


@numba.njit(cache=True, nogil=True)
def _approval_kernel(
    px, py, eth, zhuz, att, approval, weight, voted, cand, coef, cutoff, start, stop, at, terms,
    totals,
):  # fmt: skip  # pragma: no cover
    """For each voter of ``start..stop`` who votes, its terms ``w_i / (1 + exp(c0 − U_ic))``:
    added to ``totals[c]`` in voter order or, when ``terms`` has rows, kept at
    ``terms[i − at]`` (nothing is summed then, so disjoint ranges can run on different
    threads)."""
    (_c_start, c_x, c_y, c_eth, c_zhuz, c_org, c_endorsed, c_spatial, c_valence) = cand
    n_cand = len(c_x)
    keep = terms.shape[0] > 0
    exponent = np.empty(n_cand)
    for i in range(start, stop):
        if not voted[i]:
            continue
        w = np.float64(weight[i])
        xi = np.float64(px[i])
        yi = np.float64(py[i])
        e = eth[i]
        z = zhuz[i]
        a = att[i]
        regime = coef[4] * approval[i]
        # Three loops over the nominees, each of which the compiler vectorises (one loop
        # holding the exp and the division is left scalar): utilities, branch-free (a
        # term that does not apply adds 0.0, which changes nothing); their exps; the terms.
        for c in range(n_cand):
            dx = xi - c_x[c]
            dy = yi - c_y[c]
            u = c_valence[c] - coef[0] * c_spatial[c] * (dx * dx + dy * dy)
            u += coef[1] if (c_eth[c] >= 0 and e == c_eth[c]) else 0.0
            u += coef[2] if (c_zhuz[c] >= 0 and z == c_zhuz[c]) else 0.0
            u += coef[3] if (c_org[c] >= 0 and a == c_org[c]) else 0.0
            u += regime if c_endorsed[c] else 0.0
            exponent[c] = cutoff - u
        for c in range(n_cand):
            exponent[c] = portable_exp(exponent[c])
        if keep:
            for c in range(n_cand):
                terms[i - at, c] = w / (1.0 + exponent[c])
        else:
            for c in range(n_cand):
                totals[c] += w / (1.0 + exponent[c])


@numba.njit(cache=True, nogil=True)
def _add_terms_kernel(voted, start, stop, terms, totals):  # pragma: no cover
    """totals[c] += terms[i − start, c] for the voters ``start..stop`` who vote, in order."""
    for i in range(start, stop):
        if voted[i]:
            for c in range(totals.shape[0]):
                totals[c] += terms[i - start, c]


#: Voters per part when the state list is counted on several threads (a helper's terms
#: for 65 nominees take 2 MB at most).
APPROVAL_PART = 1 << 12


def approval_totals(
    ballot: Ballot,
    candidates: CandidateTable,
    voted: np.ndarray,
    params: ElectionParameters,
    chunk: int | None = None,
) -> np.ndarray:
    """Expected approvals of each nominee on a nationwide list (the state list).

    A voter who votes approves nominee ``c`` with probability ``logistic(U_ic − c0)``
    (``c0`` = ``state_list_cutoff``; ``U`` without the Gumbel term). Approvals are
    counted as their expectation: with tens of nominees and thousands of voters per
    nominee the sum of the Bernoulli draws is within a fraction of a percent of it.
    Departure: no ballot of the list is drawn, so no ballot stuffing acts on it.

    On several threads, helpers work out the terms of the end of each part of the
    voters while this thread adds them in voter order (:func:`~polsim.engine.threads.
    run_pipelined`): the totals are the same bits on any number of threads.
    """
    n = len(ballot)
    chunk = params.chunk_voters if chunk is None else int(chunk)
    cand = _candidate_arrays(candidates)
    coef = _coefficients(params)
    totals = np.zeros(len(candidates), dtype=np.float64)
    threads = voter_parts(n)
    terms = [np.empty((min(APPROVAL_PART, n), len(candidates))) for _ in range(2)]
    added = np.empty((0, len(candidates)))  # no rows: the kernel adds to the totals
    for lo in range(0, n, chunk):
        rows = slice(lo, min(lo + chunk, n))
        voters = (
            np.ascontiguousarray(ballot.position[rows, 0]),
            np.ascontiguousarray(ballot.position[rows, 1]),
            ballot.ethnicity[rows], ballot.zhuz[rows], ballot.attachment[rows],
            _approval(ballot, rows), ballot.weight[rows], voted[rows],
            cand, coef, float(params.state_list_cutoff),
        )  # fmt: skip
        m = rows.stop - rows.start
        if threads == 1 or len(candidates) == 0:
            _approval_kernel(*voters, 0, m, 0, added, totals)
        else:
            _approval_on_threads(voters, m, threads, terms, added, totals)
    return totals


def _approval_on_threads(voters, m, threads, terms, added, totals) -> None:
    """:func:`approval_totals` of one chunk of ``m`` voters on ``threads`` threads."""
    run_pipelined(
        m, APPROVAL_PART, threads, (130.0, 16.0),  # ns per voter: its terms, adding them
        lambda a, b: _approval_kernel(*voters, a, b, 0, added, totals),
        lambda a, b, at, slot: _approval_kernel(*voters, a, b, at, terms[slot], totals),
        lambda a, b, slot: _add_terms_kernel(voters[7], a, b, terms[slot], totals),
    )  # fmt: skip


def approval_totals_reference(
    ballot: Ballot, candidates: CandidateTable, voted: np.ndarray, params: ElectionParameters
) -> np.ndarray:
    """NumPy reference of :func:`approval_totals` (all voters at once)."""
    rows = slice(0, len(ballot))
    national = CandidateTable(
        start=np.array([0, len(candidates)]),
        position=candidates.position,
        ethnicity=candidates.ethnicity,
        zhuz=candidates.zhuz,
        org=candidates.org,
        endorsed=candidates.endorsed,
        spatial=candidates.spatial,
        valence=candidates.valence,
    )
    everyone = Ballot(**{**ballot.__dict__, "district": np.zeros(len(ballot), np.int64)})
    utility, _, _ = _utility_matrix(everyone, rows, national, params)
    p = 1.0 / (1.0 + portable_exp_array(params.state_list_cutoff - utility))
    w = np.where(voted, ballot.weight.astype(np.float64), 0.0)
    return w @ p
