"""Who stands: nomination and registration of candidates (docs/model.md §4.3.2).

In each single-member district, in this order:

1. **Organisations** nominate where they have support: every living organisation whose
   backers make up at least ``organisation_support`` of the district's registered voters
   (backers: a voter's attachment, or, for voters without one, the organisation the
   voter backs this month, ``world.organisations.choice``). The candidate stands at the
   organisation's position; ethnicity and zhuz are the modal ones among its backers in
   the district (a local member of the organisation).
2. **The regime** (labour collectives and the apparat) endorses one candidate with
   probability ``endorsement_rate``. While the president belongs to a party (the
   Communist Party before 1991), that party stands in every district and is the one
   endorsed. Otherwise the co-opted organisation co-opted most recently (the regime's
   current vehicle: Socialists, then NKK, then SNEK in Kazakhstan) stands everywhere and
   is endorsed, unless, with probability
   ``own_candidate_share``, the regime prefers one of its own; its own candidate is
   nominated by a labour collective, positioned ``N(p_regime, σ_p)``, with the ethnicity
   and zhuz of a voter of the district drawn at random: with probability
   ``titular_preference`` among the district's Kazakhs (the regime's ethnic policy),
   otherwise among all its voters. The president's state list is drawn the same way,
   nationally.
3. **Self-nominated** candidates: ``Poisson(λ)`` per district. They are elites of the pool
   who belong to no organisation, drawn with probability proportional to ambition, each
   at most once per election. Fallback, used when the pool (``world.elites``) is absent or
   used up: a voter of the district drawn at random stands, with that voter's position,
   ethnicity and zhuz (a local notable).

**Registration filter**: the endorsed candidate is always registered; any other is
refused with probability ``min(1, ρ0 + ρ1·‖p_c − p_regime‖)`` (the CSCE reported
arbitrary disqualifications in 1994), and beyond ``max_candidates`` per race the last
nominated are refused. Refusals are returned so the caller can log them.

The presidential race is one national slate: the incumbent (endorsed, at ``p_regime``,
of the titular group and the president's zhuz), organisations with the national support
share, and self-nominated candidates, through the same filter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numba import njit

from polsim.elections.voting import CandidateTable
from polsim.scenario.schema import ElectionParameters
from polsim.world.counting import bincount, count_equal, stable_order, support_tables
from polsim.world.polity import World

__all__ = [
    "Nominee",
    "RowsColumn",
    "ballot_attachment",
    "ballot_attachment_rows",
    "candidate_table",
    "nominate_districts",
    "nominate_national",
    "nominate_state_list",
    "registration_filter",
]

NO_CODE = -1


@dataclass(frozen=True)
class Nominee:
    """One candidate (nominated, then registered or refused)."""

    district: int
    name: str
    org: int
    org_name: str
    ethnicity: int
    zhuz: int
    position: tuple[float, float]
    endorsed: bool
    nominated_by: str  # organisation | labour_collective | self | president | incumbent | ballot
    elite: int = -1
    spatial: float = 1.0
    valence: float = 0.0


def ballot_attachment(world: World) -> np.ndarray:
    """Each voter's organisation for the party term: attachment, else this month's backing."""
    return ballot_attachment_rows(world, slice(None))


def ballot_attachment_rows(world: World, rows: slice) -> np.ndarray:
    """:func:`ballot_attachment` of the voters in ``rows`` (int32)."""
    attachment = world.voters.attachment
    organisations = getattr(world, "organisations", None)
    choice = getattr(organisations, "choice", None)
    if choice is None or len(choice) != len(attachment):
        return attachment[rows]
    attachment = attachment[rows]
    return np.where(attachment >= 0, attachment, choice[rows]).astype(np.int32, copy=False)


class RowsColumn:
    """A per-voter column computed for the rows read, never held whole.

    ``column[rows]`` and ``column[rows, None]`` (``rows`` a slice, as the vote count
    reads its chunks) give what indexing the full column would; a ballot so holds
    nothing of the voters' size for a column it derives from others.
    """

    def __init__(self, n_voters: int, rows_of: Callable[[slice], np.ndarray]) -> None:
        self._n_voters = n_voters
        self._rows_of = rows_of

    def __len__(self) -> int:
        return self._n_voters

    def __getitem__(self, key: slice | tuple) -> np.ndarray:
        if isinstance(key, tuple):
            return self._rows_of(key[0])[(slice(None), *key[1:])]
        return self._rows_of(key)

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        whole = self._rows_of(slice(None))
        return whole if dtype is None else whole.astype(dtype)


def _living_organisations(world: World) -> dict[int, object]:
    organisations = getattr(world, "organisations", None)
    if organisations is None:
        return {}
    records = getattr(organisations, "records", organisations)
    return {int(o.id): o for o in records if getattr(o, "dissolved", None) is None}


def regime_vehicle(world: World) -> int:
    """The organisation the regime runs in every district, or -1.

    The president's party while there is one; else the organisation the scenario names
    through ``president.vehicle_institution`` (history pinned: in Kazakhstan the
    People's Congress, then SNEK), if it is alive; otherwise the co-opted organisation
    co-opted most recently, the regime's current client, the strongest on ties.
    """
    organisations = _living_organisations(world)
    presidency = getattr(world, "presidency", None)
    party = presidency.party if presidency is not None else -1
    if party >= 0 and party in organisations:
        return party
    named = world.scenario.state.president.vehicle_institution
    if named is not None:
        vehicle = world.organisations.by_historical_id(str(world.institutions.get(named, "")))
        if vehicle is not None and vehicle.id in organisations:
            return int(vehicle.id)
    clients = [o for o in organisations.values() if getattr(o, "coopted", False) and o.coopted_on]
    if not clients:
        return -1
    newest = max(clients, key=lambda o: (o.coopted_on.index, o.share, -o.id))
    return int(newest.id)


def _is_ruling_party(world: World) -> bool:
    presidency = getattr(world, "presidency", None)
    return presidency is not None and presidency.party >= 0


def _kazakh_code(world: World) -> int:
    name = world.scenario.population.kazakh_group
    return world.ethnic_groups.index(name) if name in world.ethnic_groups else NO_CODE


class _DistrictRows:
    """The voters of each district, in stored order (``np.flatnonzero(district == d)``).

    Districts are drawn within oblasts with codes that rise oblast by oblast, and
    nominations go through them in code order, so the rows are sorted one oblast's
    slice at a time (an int32 order of the slice, not of the whole electorate). Codes
    laid out otherwise (races that cross oblasts) are sorted whole, once.
    """

    def __init__(self, district: np.ndarray, oblast_bounds: np.ndarray, n_districts: int):
        self.district = district
        self.n_districts = n_districts
        bounds = np.asarray(oblast_bounds, dtype=np.int64)
        low, high = _code_range_by_slice(district, bounds)
        filled = low <= high  # slices with voters
        nested = bool(np.all(high[filled][:-1] < low[filled][1:]))
        if nested and filled.any():
            self.lo, self.hi = bounds[:-1][filled], bounds[1:][filled]
            self.first_code = low[filled]
        else:  # one slice: the whole electorate
            self.lo, self.hi = np.array([0]), np.array([len(district)])
            self.first_code = np.array([0])
        self.slice = -1

    def __call__(self, d: int) -> np.ndarray:
        k = max(int(np.searchsorted(self.first_code, d, side="right")) - 1, 0)
        if k != self.slice:
            lo, hi = int(self.lo[k]), int(self.hi[k])
            part = self.district[lo:hi]
            self.order = stable_order(part, self.n_districts)
            counts = bincount(part, minlength=self.n_districts)
            self.start = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
            self.offset, self.slice = lo, k
        return self.offset + self.order[self.start[d] : self.start[d + 1]].astype(np.int64)


@njit(cache=True, nogil=True)
def _code_range_by_slice(codes, bounds):  # pragma: no cover
    """(lowest, highest) code in each slice ``bounds[s]:bounds[s + 1]`` (empty: low > high)."""
    k = bounds.shape[0] - 1
    low = np.full(k, np.iinfo(np.int64).max, dtype=np.int64)
    high = np.full(k, -1, dtype=np.int64)
    for s in range(k):
        for i in range(bounds[s], bounds[s + 1]):
            c = np.int64(codes[i])
            low[s] = min(low[s], c)
            high[s] = max(high[s], c)
    return low, high


def _random_voter(rng: np.random.Generator, rows: np.ndarray) -> int:
    """One voter of ``rows``, uniformly (one draw)."""
    if not len(rows):
        raise ValueError("a district with no voters has no one to nominate")
    pick = int(np.floor(rng.random(1) * len(rows)).astype(np.int64)[0])
    return int(rows[min(pick, len(rows) - 1)])


def _regime_pick(
    world: World,
    rows: np.ndarray,
    params: ElectionParameters,
    rng: np.random.Generator,
    titular: np.ndarray | None = None,
) -> int:
    """A voter the regime nominates from ``rows``: of the titular group with probability
    ``titular_preference`` (where the group is present), else anyone, uniformly.
    ``titular`` may give the titular rows among ``rows`` when the caller already has them."""
    kazakh = _kazakh_code(world)
    if kazakh != NO_CODE and rng.random() < params.titular_preference:
        if titular is None:
            titular = rows[world.voters.ethnicity[rows] == kazakh]
        if len(titular):
            return int(titular[min(int(rng.random() * len(titular)), len(titular) - 1)])
    return int(rows[min(int(rng.random() * len(rows)), len(rows) - 1)])


def _regime_position(params: ElectionParameters, rng: np.random.Generator) -> tuple[float, float]:
    p = np.asarray(params.endorsed_position) + rng.normal(0.0, params.endorsed_position_sd, 2)
    p = np.clip(p, -1.0, 1.0)
    return float(p[0]), float(p[1])


def _elite_pool(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Unattached elites and their draw weights (ambition)."""
    elites = getattr(world, "elites", None)
    if elites is None or len(elites) == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    free = np.flatnonzero(np.asarray(elites.organisation) < 0)
    weights = np.asarray(elites.ambition, dtype=np.float64)[free]
    keep = weights > 0
    return free[keep], weights[keep]


def nominate_districts(
    world: World,
    district: np.ndarray,
    names: tuple[str, ...],
    params: ElectionParameters,
    rng: np.random.Generator,
    districts: np.ndarray | None = None,
) -> list[Nominee]:
    """Nominate candidates in every district (or in ``districts`` only), district order."""
    voters = world.voters
    n_districts = len(names)
    held = np.arange(n_districts) if districts is None else np.asarray(districts, np.int64)
    rows_of = _DistrictRows(district, voters.oblast_bounds, n_districts)
    weight_d = bincount(district, weights=voters.weight, minlength=n_districts)
    organisations = _living_organisations(world)
    support, modal_eth, modal_zhuz = _organisation_support(world, district, n_districts, weight_d)
    kazakh = _kazakh_code(world)
    pool, pool_weight = _elite_pool(world)
    used = np.zeros(len(pool), dtype=bool)
    elites = getattr(world, "elites", None)
    nominees: list[Nominee] = []
    regime_party = regime_vehicle(world)
    endorse_draw = rng.random(len(held))
    own_draw = rng.random(len(held))
    n_self = rng.poisson(params.independents_per_district, len(held))
    for k, d in enumerate(held):
        d = int(d)
        slate: list[Nominee] = []
        coopted: list[tuple[float, int]] = []
        standing = np.flatnonzero(support[d] >= params.organisation_support)
        if regime_party >= 0 and regime_party not in standing:
            standing = np.append(standing, regime_party)  # the regime's vehicle stands everywhere
        for o in standing:
            org = organisations.get(int(o))
            if org is None:
                continue
            backed = o < support.shape[1] and support[d, o] > 0
            if backed:
                eth = int(modal_eth[d, o])
                zhuz = int(modal_zhuz[d, o]) if eth == kazakh else NO_CODE
            else:  # the regime's vehicle, where it has no backers: a local notable
                voter = _random_voter(rng, rows_of(d))
                eth, zhuz = int(voters.ethnicity[voter]), int(voters.zhuz[voter])
            position = tuple(float(v) for v in np.asarray(org.position)[:2])
            slate.append(
                Nominee(
                    d,
                    f"{names[d]}:{org.name}",
                    int(o),
                    str(org.name),
                    eth,
                    zhuz,
                    position,
                    False,
                    "organisation",
                )
            )
            if int(o) == regime_party:
                coopted.append((np.inf, len(slate) - 1))
            elif getattr(org, "coopted", False):
                coopted.append((float(support[d, o]) if backed else 0.0, len(slate) - 1))
        if endorse_draw[k] < params.endorsement_rate:
            own = own_draw[k] < params.own_candidate_share and not _is_ruling_party(world)
            if coopted and not own:
                best = max(coopted)[1]
                slate[best] = replace(slate[best], endorsed=True)
            else:
                voter = _regime_pick(world, rows_of(d), params, rng)
                slate.append(
                    Nominee(
                        d,
                        f"{names[d]}:labour-collective",
                        NO_CODE,
                        "",
                        int(voters.ethnicity[voter]),
                        int(voters.zhuz[voter]),
                        _regime_position(params, rng),
                        True,
                        "labour_collective",
                    )
                )
        for j in range(int(n_self[k])):
            free = np.flatnonzero(~used)
            if len(free) and elites is not None:
                p = pool_weight[free] / pool_weight[free].sum()
                pick = int(free[rng.choice(len(free), p=p)])
                used[pick] = True
                e = int(pool[pick])
                slate.append(
                    Nominee(
                        d,
                        f"{names[d]}:elite-{e}",
                        NO_CODE,
                        "",
                        int(elites.ethnicity[e]),
                        int(elites.zhuz[e]),
                        tuple(float(v) for v in elites.position[e][:2]),
                        False,
                        "self",
                        elite=e,
                    )
                )
            else:
                voter = _random_voter(rng, rows_of(d))
                slate.append(
                    Nominee(
                        d,
                        f"{names[d]}:self-{j + 1}",
                        NO_CODE,
                        "",
                        int(voters.ethnicity[voter]),
                        int(voters.zhuz[voter]),
                        tuple(float(v) for v in voters.position[voter]),
                        False,
                        "self",
                    )
                )
        nominees.extend(slate)
    return nominees


def _organisation_support_reference(
    world: World,
    district: np.ndarray,
    attachment: np.ndarray,
    n_districts: int,
    weight_d: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """NumPy reference of :func:`_organisation_support` (voter-sized temporaries)."""
    n_orgs = int(attachment.max(initial=-1)) + 1
    if n_orgs == 0:
        empty = np.zeros((n_districts, 0))
        return empty, empty.astype(np.int64), empty.astype(np.int64)
    voters = world.voters
    backs = attachment >= 0
    cell = district[backs].astype(np.int64) * n_orgs + attachment[backs]
    w = voters.weight[backs].astype(np.float64)
    support = (
        np.bincount(cell, weights=w, minlength=n_districts * n_orgs).reshape(n_districts, n_orgs)
        / np.maximum(weight_d, 1e-300)[:, None]
    )
    n_eth = len(world.ethnic_groups)
    by_eth = np.bincount(
        cell * n_eth + voters.ethnicity[backs], weights=w, minlength=n_districts * n_orgs * n_eth
    )
    modal_eth = by_eth.reshape(n_districts, n_orgs, n_eth).argmax(axis=2)
    by_zhuz = np.bincount(
        cell * 4 + (voters.zhuz[backs].astype(np.int64) + 1),
        weights=w,
        minlength=n_districts * n_orgs * 4,
    ).reshape(n_districts, n_orgs, 4)
    modal_zhuz = by_zhuz[:, :, 1:].argmax(axis=2)
    return support, modal_eth, modal_zhuz


def _organisation_support(
    world: World, district: np.ndarray, n_districts: int, weight_d: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (district, org): backers' share of the district; modal ethnicity and zhuz.

    Backers as :func:`ballot_attachment` has them, read voter by voter from the
    attachment and choice columns (nothing of the voters' size is made)."""
    voters = world.voters
    choice = getattr(getattr(world, "organisations", None), "choice", None)
    if choice is None or len(choice) != len(voters):
        choice = np.zeros(0, np.int16)
    n_orgs = _largest_backed(voters.attachment, choice) + 1
    if n_orgs == 0:
        empty = np.zeros((n_districts, 0))
        return empty, empty.astype(np.int64), empty.astype(np.int64)
    n_eth = len(world.ethnic_groups)
    support, by_eth, by_zhuz = support_tables(
        district, voters.attachment, voters.weight, voters.ethnicity, voters.zhuz,
        n_districts, n_orgs, n_eth, choice=choice,
    )  # fmt: skip
    support = support.reshape(n_districts, n_orgs) / np.maximum(weight_d, 1e-300)[:, None]
    modal_eth = by_eth.reshape(n_districts, n_orgs, n_eth).argmax(axis=2)
    by_zhuz = by_zhuz.reshape(n_districts, n_orgs, 4)
    modal_zhuz = by_zhuz[:, :, 1:].argmax(axis=2)
    return support, modal_eth, modal_zhuz


@njit(cache=True, nogil=True)
def _largest_backed(attachment, choice):  # pragma: no cover
    """``ballot_attachment(world).max(initial=-1)``: the attachment, else the choice."""
    has_choice = choice.shape[0] == attachment.shape[0]
    top = -1
    for i in range(attachment.shape[0]):
        a = np.int64(attachment[i])
        if a < 0 and has_choice:
            a = np.int64(choice[i])
        if a > top:
            top = a
    return top


def nominate_national(
    world: World, params: ElectionParameters, rng: np.random.Generator
) -> list[Nominee]:
    """The presidential slate: incumbent, organisations with national support, self-nominated."""
    district = np.zeros(len(world.voters), dtype=np.int16)
    kazakh = _kazakh_code(world)
    incumbent = Nominee(
        0,
        "incumbent",
        NO_CODE,
        "",
        kazakh,
        int(world.regime.president_zhuz),
        tuple(float(v) for v in params.endorsed_position),
        True,
        "incumbent",
    )
    others = nominate_districts(
        world,
        district,
        ("national",),
        params.model_copy(update={"endorsement_rate": 0.0}),
        rng,
    )
    others = [replace(n, name=n.name.removeprefix("national:")) for n in others]
    return [incumbent, *others]


def nominate_state_list(
    world: World, count: int, params: ElectionParameters, rng: np.random.Generator
) -> list[Nominee]:
    """The head of state's list: ``count`` endorsed nominees (district code -1).

    Each nominee is :func:`_regime_pick`'s draw from the whole electorate, with the same
    random numbers in the same order; the picks are kept as ranks (the k-th voter, the
    k-th titular voter) and found in one compiled pass, so no voter-sized index array
    is made.
    """
    voters = world.voters
    n = len(voters)
    kazakh = _kazakh_code(world)
    n_titular = count_equal(voters.ethnicity, kazakh) if kazakh != NO_CODE else 0
    titular_pick = np.zeros(count, dtype=np.bool_)
    rank = np.zeros(count, dtype=np.int64)
    for k in range(count):
        if kazakh != NO_CODE and rng.random() < params.titular_preference and n_titular:
            titular_pick[k] = True
            rank[k] = min(int(rng.random() * n_titular), n_titular - 1)
        else:
            rank[k] = min(int(rng.random() * n), n - 1)
    pick = rank.copy()
    if titular_pick.any():
        wanted = np.unique(rank[titular_pick])
        found = np.empty(len(wanted), dtype=np.int64)
        _group_rows_at_ranks(voters.ethnicity, kazakh, wanted, found)
        pick[titular_pick] = found[np.searchsorted(wanted, rank[titular_pick])]
    return [
        Nominee(
            -1,
            f"state-list:{k + 1}",
            NO_CODE,
            "",
            int(voters.ethnicity[v]),
            int(voters.zhuz[v]),
            _regime_position(params, rng),
            True,
            "president",
        )
        for k, v in enumerate(pick.tolist())
    ]


@njit(cache=True, nogil=True)
def _group_rows_at_ranks(ethnicity, code, ranks, out):  # pragma: no cover
    """out[j] = the row of the ``ranks[j]``-th voter of group ``code`` (0-based, stored
    order); ``ranks`` ascending and distinct."""
    j = 0
    seen = 0
    for i in range(ethnicity.shape[0]):
        if j >= ranks.shape[0]:
            break
        if ethnicity[i] == code:
            if ranks[j] == seen:
                out[j] = i
                j += 1
            seen += 1


def registration_filter(
    nominees: list[Nominee],
    params: ElectionParameters,
    rng: np.random.Generator,
    max_candidates: int | None,
) -> tuple[list[Nominee], list[tuple[Nominee, str]]]:
    """Register or refuse each nominee; returns (registered, [(refused, reason)])."""
    p_regime = np.asarray(params.endorsed_position)
    draws = rng.random(len(nominees))
    registered: list[Nominee] = []
    refused: list[tuple[Nominee, str]] = []
    per_race: dict[int, int] = {}
    ordered = sorted(
        range(len(nominees)), key=lambda k: (nominees[k].district, not nominees[k].endorsed, k)
    )
    for k in ordered:
        nominee = nominees[k]
        if not nominee.endorsed:
            distance = float(np.hypot(*(np.asarray(nominee.position) - p_regime)))
            chance = min(1.0, params.refusal_base + params.refusal_distance * distance)
            if draws[k] < chance:
                refused.append((nominee, "refused by the electoral commission"))
                continue
        if max_candidates is not None and per_race.get(nominee.district, 0) >= max_candidates:
            refused.append((nominee, f"beyond the {max_candidates} candidate(s) a race admits"))
            continue
        per_race[nominee.district] = per_race.get(nominee.district, 0) + 1
        registered.append(nominee)
    return registered, refused


def candidate_table(nominees: list[Nominee], n_districts: int) -> CandidateTable:
    """The kernel's candidate arrays; ``nominees`` must be sorted by district."""
    district = np.array([n.district for n in nominees], dtype=np.int64)
    if len(district) and np.any(np.diff(district) < 0):
        raise ValueError("nominees must be sorted by district")
    counts = (
        np.bincount(district, minlength=n_districts)
        if len(district)
        else np.zeros(n_districts, np.int64)
    )
    return CandidateTable(
        start=np.concatenate(([0], np.cumsum(counts))).astype(np.int64),
        position=np.array([n.position for n in nominees], dtype=np.float64).reshape(-1, 2),
        ethnicity=np.array([n.ethnicity for n in nominees], dtype=np.int64),
        zhuz=np.array([n.zhuz for n in nominees], dtype=np.int64),
        org=np.array([n.org for n in nominees], dtype=np.int64),
        endorsed=np.array([n.endorsed for n in nominees], dtype=bool),
        spatial=np.array([n.spatial for n in nominees], dtype=np.float64),
        valence=np.array([n.valence for n in nominees], dtype=np.float64),
    )
