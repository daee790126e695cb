"""Ballots that name several candidates: the block vote's and the MMP list ballot's count.

:func:`top_choices` draws each voter's ``k`` names by the exploded logit;
:func:`count_slate_round` counts them with ballot stuffing for an endorsed slate.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from polsim.elections.candidates import Nominee, candidate_table
from polsim.elections.race import Count, RaceContext, RoundSetup
from polsim.elections.rounds import stuff, tally
from polsim.elections.voting import Ballot, CandidateTable, choice_probabilities

__all__ = ["count_slate_round", "top_choices"]

#: Voters processed at once by the NumPy top-k draw (rows × slate width floats).
_TOP_CHUNK = 65_536


def top_choices(
    ballot: Ballot,
    table: CandidateTable,
    unit_race: np.ndarray,
    voted: np.ndarray,
    picks: np.ndarray,
    params: Any,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Votes per (unit, candidate of its race) when each voter picks ``picks[race]`` names.

    Each voter who votes ranks the race's candidates by ``U_ic + ε_ic`` (the utility of
    :mod:`polsim.elections.voting`, ε i.i.d. Gumbel) and votes for the top
    ``min(k, n)``: the exploded (rank-ordered) logit of Beggs, Cardell and Hausman (1981),
    in which the first pick has the logit's probabilities and each next pick the logit's
    over the candidates left, so "the k highest-utility candidates" and "k sequential
    logit choices without repetition" are the same ballot. The draw adds a Gumbel variate
    to ``log P_ic`` (Gumbel-max; with k = 1 the multinomial logit itself). Returns the
    pair tallies and ``pair_start`` as in :class:`~polsim.elections.voting.RoundCount`.

    References
    ----------
    Beggs, S., Cardell, S. and Hausman, J. (1981). Assessing the potential demand for
    electric cars. *Journal of Econometrics* 17(1), 1-19.
    """
    slate = table.counts[unit_race]
    pair_start = np.concatenate(([0], np.cumsum(slate))).astype(np.int64)
    pair_votes = np.zeros(int(pair_start[-1]))
    gumbel = np.random.Generator(np.random.PCG64(rng.integers(0, 2**63)))
    width = max(int(table.counts.max(initial=0)), 1)
    chunk = min(int(params.chunk_voters), _TOP_CHUNK)
    n = len(ballot)
    for lo in range(0, n, chunk):
        rows = slice(lo, min(lo + chunk, n))
        p, _first = choice_probabilities(ballot, rows, table, params)
        noise = gumbel.gumbel(size=p.shape)
        with np.errstate(divide="ignore"):
            key = np.log(p) + noise
        order = np.argsort(-key, axis=1, kind="stable")
        district = ballot.district[rows].astype(np.int64)
        k = np.minimum(picks[district], table.counts[district])
        take = (np.arange(width)[None, :] < k[:, None]) & voted[rows][:, None]
        voter, column = np.nonzero(take)
        index = pair_start[ballot.unit[rows][voter]] + order[voter, column]
        pair_votes += np.bincount(
            index,
            weights=ballot.weight[rows][voter].astype(np.float64),
            minlength=len(pair_votes),
        )
    return pair_votes, pair_start


def count_slate_round(
    race: RaceContext,
    setup: RoundSetup,
    slates: dict[int, list[Nominee]],
    voted: np.ndarray,
    picks: np.ndarray,
) -> tuple[Count, np.ndarray, np.ndarray]:
    """Count a round where a ballot names up to ``picks[race]`` candidates (block vote, the
    MMP list ballot), among the voters ``voted``, with ballot stuffing for the endorsed.

    Stuffing follows :func:`~polsim.elections.fraud.stuff_ballots` (its draws of kind and
    ``x`` per unit), generalised to an endorsed *slate* of ``n_e`` candidates: each stuffed
    ballot marks the whole slate (every endorsed candidate gains ``x·(R_u − B_u)``) and the
    share ``x^α`` of each other candidate's votes moved is split equally over the slate.
    With one endorsed candidate this is Klimek et al.'s rule exactly. A unit's
    ``endorsed_votes`` is the vote of the slate's leading member (at most the ballots).
    """
    params, ballot, unit_race = race.params, setup.ballot, setup.unit_race
    nominees = [n for d in sorted(slates) for n in slates[d]]
    table = candidate_table(nominees, len(setup.race_names))
    pair_votes, pair_start = top_choices(ballot, table, unit_race, voted, picks, params, race.rng)
    n_units = len(unit_race)
    ballots = np.bincount(
        ballot.unit[voted], weights=ballot.weight[voted].astype(np.float64), minlength=n_units
    )
    slate = np.diff(pair_start)
    unit_of_pair = np.repeat(np.arange(n_units), slate)
    local = np.arange(len(pair_votes)) - pair_start[:-1][unit_of_pair]
    global_candidate = table.start[unit_race[unit_of_pair]] + local
    endorsed_pair = table.endorsed[global_candidate] if len(nominees) else np.zeros(0, bool)
    n_endorsed = np.bincount(unit_of_pair, weights=endorsed_pair, minlength=n_units)
    first_endorsed = np.full(n_units, -1, np.int64)
    flagged = np.flatnonzero(endorsed_pair)
    first_endorsed[unit_of_pair[flagged[::-1]]] = local[flagged[::-1]]
    registered = setup.districting.unit_weight
    stuffed = stuff(race, registered, ballots, pair_votes, pair_start, first_endorsed)
    hit = stuffed.kind[unit_of_pair] > 0
    moved = np.where(
        ~endorsed_pair & hit, pair_votes * stuffed.x[unit_of_pair] ** params.fraud_alpha, 0.0
    )
    moved_to_slate = np.bincount(unit_of_pair, weights=moved, minlength=n_units) / np.maximum(
        n_endorsed, 1.0
    )
    after = (
        pair_votes
        - moved
        + np.where(endorsed_pair, (stuffed.added + moved_to_slate)[unit_of_pair], 0.0)
    )
    votes = np.bincount(global_candidate, weights=after, minlength=len(nominees))
    in_round = table.counts[unit_race] > 0
    endorsed_votes = np.zeros(n_units)
    np.maximum.at(endorsed_votes, unit_of_pair[flagged], after[flagged])
    return tally(race, setup, nominees, votes, voted, in_round, stuffed, endorsed_votes)
