"""Support: each voter backs the organisation of highest utility (docs/model.md §2.3).

``u_ij = −‖x_i − p_j‖² + b_eth·[e_i ∈ base_j] + b_clan·[z_i = z_j] + b_pid·[a_i = j] + c_j``

and voter ``i`` backs ``argmax_j u_ij``, or none if every ``u_ij < u_min``. ``c_j`` is
an organisation-level term: the regime's sanction ``b_sanc`` for a co-opted
organisation, minus ``b_unreg`` for an unregistered one, plus ``b_res`` times its
resources (money, offices and name: an organisation with the means to act is a less
wasted choice; Cox 1997). Mergers pool resources, co-optation grants them. Ties go to
the lower id.

One pass over the voters gives, together, each voter's choice, each voter's squared
distance to the nearest organisation (its misery; Laver & Schilperoord 2007), and per
organisation the supporters' weight, position sums, squared-norm sums and weight by
ethnic group. The pass is compiled with numba (:func:`support_pass`); the NumPy
reference :func:`support_pass_numpy` processes the voters in chunks of
:data:`CHUNK_VOTERS`, so that no array of n_voters × n_orgs floats is ever allocated
whole, and a test checks that the two agree. The monthly pass
(:func:`monthly_support_pass`) is the same rule in blocks the compiler vectorises, and
on several threads splits each voter's comparison from the sums, which stay in voter
order: its results are the serial pass's, bit for bit, on any number of threads.

Then fitness follows Laver & Sergenti (2011): ``f_j ← γ·f_j + (1 − γ)·share_j``,
with ``share_j`` the organisation's support over the whole electorate (abstainers
included), γ = ``fitness_memory``. Misery accumulates: ``M_i ← γ_m·M_i + d_i²``
(γ_m = ``misery_memory``, d² capped at ``misery_cap``). A supporter becomes attached
to the organisation it backs with monthly probability ``attachment_rate``.

Symbols → parameters: b_eth ``ethnic_bonus``, b_clan ``clan_bonus``, b_pid
``attachment_bonus``, u_min ``min_utility``, γ ``fitness_memory``.

References
----------
Laver, M. & Sergenti, E. (2011). *Party Competition: An Agent-Based Model.* Princeton.
Laver, M. & Schilperoord, M. (2007). Spatial models of political competition with
endogenous political parties. *Phil. Trans. R. Soc. B* 362, 1711–1721.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from numba import njit

from polsim.engine import threads as engine_threads
from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.engine.mechanisms import register_mechanism
from polsim.engine.threads import run_pipelined, run_threads
from polsim.scenario.schema import PartyParameters
from polsim.world.organisations import Organisation, Organisations
from polsim.world.polity import World
from polsim.world.voters import NO_ORGANISATION, ORGANISATION_CODE, Voters

__all__ = [
    "CHUNK_VOTERS",
    "OrganisationArrays",
    "SupportCount",
    "count_support",
    "monthly_support_pass",
    "organisation_arrays",
    "support_pass",
    "support_pass_numpy",
    "update_support",
]

#: Voters processed at once by the NumPy reference (bounded memory).
CHUNK_VOTERS = 262_144


@dataclass
class OrganisationArrays:
    """The alive organisations as the arrays the support pass reads (one row each)."""

    ids: np.ndarray  # int32
    position: np.ndarray  # float64 (k, 2)
    base: np.ndarray  # int64 bit masks
    zhuz: np.ndarray  # int64
    bonus: np.ndarray  # float64: c_j

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class SupportCount:
    """The result of one support pass; per-organisation rows follow ``OrganisationArrays``."""

    choice: np.ndarray  # int32 (n,): row of the backed organisation, or -1
    nearest_sq: np.ndarray  # float32 (n,): d² to the nearest organisation, capped
    weight: np.ndarray  # float64 (k,)
    position_sum: np.ndarray  # float64 (k, 2)
    square_sum: np.ndarray  # float64 (k,): Σ w·‖x‖²
    ethnic_weight: np.ndarray  # float64 (k, n_groups)


def organisation_arrays(
    orgs: list[Organisation], params: PartyParameters, unregistered_penalised: bool = True
) -> OrganisationArrays:
    """The arrays of the given organisations, with
    c_j = b_sanc·[co-opted] − b_unreg·[unregistered] + b_res·resources_j."""
    k = len(orgs)
    bonus = [0.0] * k
    for row, org in enumerate(orgs):
        bonus[row] += params.resource_bonus * org.resources
        if org.coopted:
            bonus[row] += params.sanction_bonus
        if unregistered_penalised and not org.registered:
            bonus[row] -= params.unregistered_penalty
    position = np.concatenate([o.position for o in orgs]) if k else np.empty(0)
    return OrganisationArrays(
        ids=np.fromiter((o.id for o in orgs), dtype=np.int32, count=k),
        position=position.astype(np.float64, copy=False).reshape(k, 2),
        base=np.fromiter((o.ethnic_base for o in orgs), dtype=np.int64, count=k),
        zhuz=np.fromiter((o.zhuz for o in orgs), dtype=np.int64, count=k),
        bonus=np.array(bonus, dtype=np.float64),
    )


@njit(cache=True)
def _support_kernel(
    pos, ethnicity, zhuz, attachment, weight,
    org_pos, org_base, org_zhuz, org_ids, org_bonus,
    b_eth, b_clan, b_pid, u_min, misery_cap,
    choice, nearest_sq, org_weight, org_pos_sum, org_sq_sum, org_eth,
):  # fmt: skip
    n = pos.shape[0]
    k = org_pos.shape[0]
    for i in range(n):
        x = np.float64(pos[i, 0])
        y = np.float64(pos[i, 1])
        e = np.int64(ethnicity[i])
        z = np.int64(zhuz[i])
        a = attachment[i]
        best = -1
        best_u = -np.inf
        d_min = misery_cap
        for j in range(k):
            dx = x - org_pos[j, 0]
            dy = y - org_pos[j, 1]
            d2 = dx * dx + dy * dy
            if d2 < d_min:
                d_min = d2
            u = -d2 + org_bonus[j]
            if (org_base[j] >> e) & 1:
                u += b_eth
            if z >= 0 and z == org_zhuz[j]:
                u += b_clan
            if a == org_ids[j]:
                u += b_pid
            if u > best_u:
                best_u = u
                best = j
        nearest_sq[i] = d_min
        if best >= 0 and best_u >= u_min:
            choice[i] = best
            w = np.float64(weight[i])
            org_weight[best] += w
            org_pos_sum[best, 0] += w * x
            org_pos_sum[best, 1] += w * y
            org_sq_sum[best] += w * (x * x + y * y)
            org_eth[best, e] += w
        else:
            choice[i] = -1


def _empty_count(n: int, k: int, n_groups: int) -> SupportCount:
    return SupportCount(
        choice=np.full(n, -1, dtype=np.int32),
        nearest_sq=np.zeros(n, dtype=np.float32),
        weight=np.zeros(k),
        position_sum=np.zeros((k, 2)),
        square_sum=np.zeros(k),
        ethnic_weight=np.zeros((k, n_groups)),
    )


def support_pass(
    voters: Voters,
    orgs: OrganisationArrays,
    params: PartyParameters,
    n_groups: int,
    attachment: np.ndarray | None = None,
) -> SupportCount:
    """Choice, misery and per-organisation sums for every voter, in one compiled pass."""
    n, k = len(voters), len(orgs)
    out = _empty_count(n, k, n_groups)
    _support_kernel(
        voters.position,
        voters.ethnicity,
        voters.zhuz,
        voters.attachment if attachment is None else attachment,
        voters.weight,
        orgs.position,
        orgs.base,
        orgs.zhuz,
        orgs.ids,
        orgs.bonus,
        float(params.ethnic_bonus),
        float(params.clan_bonus),
        float(params.attachment_bonus),
        float(params.min_utility),
        float(params.misery_cap),
        out.choice,
        out.nearest_sq,
        out.weight,
        out.position_sum,
        out.square_sum,
        out.ethnic_weight,
    )
    return out


def support_pass_numpy(
    voters: Voters,
    orgs: OrganisationArrays,
    params: PartyParameters,
    n_groups: int,
    attachment: np.ndarray | None = None,
    chunk: int = CHUNK_VOTERS,
) -> SupportCount:
    """The NumPy reference of :func:`support_pass`, chunk by chunk (same results)."""
    n, k = len(voters), len(orgs)
    out = _empty_count(n, k, n_groups)
    attachment = voters.attachment if attachment is None else attachment
    for start in range(0, n, chunk):
        rows = slice(start, min(n, start + chunk))
        x = voters.position[rows].astype(np.float64)
        dx = x[:, 0:1] - orgs.position[None, :, 0]
        dy = x[:, 1:2] - orgs.position[None, :, 1]
        d2 = dx * dx + dy * dy
        nearest = np.minimum(d2.min(axis=1, initial=np.inf), params.misery_cap)
        out.nearest_sq[rows] = nearest
        if k == 0:
            continue
        e = voters.ethnicity[rows].astype(np.int64)
        z = voters.zhuz[rows].astype(np.int64)
        u = -d2 + orgs.bonus[None, :]
        u += np.where((orgs.base[None, :] >> e[:, None]) & 1 == 1, params.ethnic_bonus, 0.0)
        same_zhuz = (z[:, None] >= 0) & (z[:, None] == orgs.zhuz[None, :])
        u += np.where(same_zhuz, params.clan_bonus, 0.0)
        u += np.where(attachment[rows, None] == orgs.ids[None, :], params.attachment_bonus, 0.0)
        best = np.argmax(u, axis=1)
        backs = u[np.arange(len(best)), best] >= params.min_utility
        chosen = np.where(backs, best, -1).astype(np.int32)
        out.choice[rows] = chosen
        w = np.where(backs, voters.weight[rows].astype(np.float64), 0.0)
        j = np.where(backs, best, 0)
        out.weight += np.bincount(j, weights=w, minlength=k)
        out.position_sum[:, 0] += np.bincount(j, weights=w * x[:, 0], minlength=k)
        out.position_sum[:, 1] += np.bincount(j, weights=w * x[:, 1], minlength=k)
        out.square_sum += np.bincount(j, weights=w * (x * x).sum(axis=1), minlength=k)
        out.ethnic_weight += np.bincount(
            j * n_groups + e, weights=w, minlength=k * n_groups
        ).reshape(k, n_groups)
    return out


def count_support(world: World, orgs: list[Organisation] | None = None) -> SupportCount:
    """Run the support pass over the world's voters for its alive organisations."""
    table = world.organisations
    alive = table.alive() if orgs is None else orgs
    arrays = organisation_arrays(alive, world.scenario.parties)
    return support_pass(world.voters, arrays, world.scenario.parties, len(world.ethnic_groups))


def _attachment_redirect(world: World) -> np.ndarray:
    """Per organisation id (and a trailing "none"): where an attachment to it now points.

    Attachments to dissolved organisations move to their successor, or lapse.
    """
    table = world.organisations
    redirect = np.full(len(table) + 1, NO_ORGANISATION, dtype=np.int64)  # last: "none"
    for org in table:
        target = org
        while target.dissolved is not None and target.successor >= 0:
            target = table[target.successor]
        redirect[org.id] = target.id if target.dissolved is None else NO_ORGANISATION
    return redirect


def _redirect_attachments(world: World) -> None:
    """Attachments to dissolved organisations move to their successor, or lapse."""
    table = world.organisations
    if not len(table):
        return
    redirect = _attachment_redirect(world)
    attachment = world.voters.attachment
    index = np.where(attachment >= 0, attachment, len(table))
    attachment[:] = redirect[index]


#: Voters whose utilities the monthly kernel computes together (a block's columns stay
#: in the first-level cache while every organisation is compared).
_BLOCK = 256


@njit(cache=True, nogil=True, inline="always")
def _compare(d2, cj, basej, zj, idj, j, e, z, a, d, u, b, b_eth, b_clan, b_pid):  # pragma: no cover
    """One voter against organisation ``j``: (capped d²_min, best utility, best row).

    Terms that do not apply add 0.0, which leaves ``u`` unchanged, so the arithmetic
    is that of :func:`_support_kernel`; ``>`` keeps the first maximum.
    """
    d = d2 if d2 < d else d
    v = -d2 + cj
    v += b_eth if (basej >> e) & 1 else 0.0
    v += b_clan if (z >= 0 and z == zj) else 0.0
    v += b_pid if a == idj else 0.0
    better = v > u
    return d, (v if better else u), (j if better else b)


@njit(cache=True, nogil=True, inline="always")
def _plain_compare(d2, cj, j, d, u, b):  # pragma: no cover
    """:func:`_compare` for a voter who can get no bonus."""
    d = d2 if d2 < d else d
    v = -d2 + cj
    better = v > u
    return d, (v if better else u), (j if better else b)


@njit(cache=True, nogil=True, inline="always")
def _bonus_masks(org_base, org_zhuz, org_ids):  # pragma: no cover
    """Which voters can get a bonus at all: bits of the ethnic groups in some base and of
    the zhuzes of some organisation, and a table of the alive organisation ids."""
    eth_any = np.int64(0)
    zhuz_any = np.int64(0)
    max_id = -1
    for j in range(org_ids.shape[0]):
        eth_any |= org_base[j]
        if org_zhuz[j] >= 0 and org_zhuz[j] < 63:
            zhuz_any |= np.int64(1) << org_zhuz[j]
        max_id = max(max_id, np.int64(org_ids[j]))
    alive_id = np.zeros(max_id + 2, dtype=np.bool_)
    for j in range(org_ids.shape[0]):
        alive_id[org_ids[j]] = True
    return eth_any, zhuz_any, alive_id, max_id


@njit(cache=True, nogil=True, inline="always")
def _choose_block(
    pos, ethnicity, zhuz, attachment, redirect,
    org_pos, org_base, org_zhuz, org_ids, org_bonus,
    b_eth, b_clan, b_pid, u_min, misery_cap, misery_memory, masks,
    first, m, bx, by, be, bz, ba, bu, bb, bd, choice, misery, finish,
):  # fmt: skip  # pragma: no cover
    """Voters ``first..first+m`` (one block): everything about each voter that is not a sum.

    Redirects attachments and compares each voter with every organisation, leaving at
    ``i − first`` its working columns: position (``bx``, ``by``), group ``be``, zhuz,
    attachment ``ba``, best utility ``bu``, the row ``bb`` that gives it and the capped
    d² to the nearest organisation ``bd``. With ``finish``, it then writes each voter's
    choice (the id it backs, or −1) and updates its misery, and leaves ``bb`` as the row
    the voter backs (−1 if none: no organisation, or a best utility below u_min) and
    ``bd`` rounded to float32 as misery keeps it; it returns how many of the block's
    voters back an organisation they are not attached to.

    Each voter's arithmetic and first-maximum order are those of
    :func:`_support_kernel`. The voters are compared with the organisations two at a
    time, in a loop over the voters that the compiler vectorises (each voter's running
    minimum, best utility and best row are read and written once per two
    organisations). When no voter of the block can get a bonus, the plain comparison
    u_j = −d² + c_j runs (the three added 0.0 change nothing). The columns are the
    caller's own block-sized arrays, which the compiler knows alias nothing else: the
    loops vectorise only then.
    """
    k = org_pos.shape[0]
    none = redirect.shape[0] - 1
    eth_any, zhuz_any, alive_id, max_id = masks
    bonus = False
    for t in range(m):
        i = first + t
        a0 = attachment[i]
        a = redirect[a0] if a0 >= 0 else redirect[none]
        attachment[i] = a
        e = np.int64(ethnicity[i])
        z = np.int64(zhuz[i])
        bonus |= (
            (0 <= e < 63 and (eth_any >> e) & 1 == 1)
            or (0 <= z < 63 and (zhuz_any >> z) & 1 == 1)
            or (0 <= a <= max_id and alive_id[a])
        )
        ba[t] = a
        be[t] = e
        bz[t] = z
        bx[t] = np.float64(pos[i, 0])
        by[t] = np.float64(pos[i, 1])
        bu[t] = -np.inf
        bb[t] = -1
        bd[t] = misery_cap
    j = 0
    while not bonus and j + 2 <= k:
        ox0, oy0, c0 = org_pos[j, 0], org_pos[j, 1], org_bonus[j]
        ox1, oy1, c1 = org_pos[j + 1, 0], org_pos[j + 1, 1], org_bonus[j + 1]
        for t in range(m):
            x, y = np.float64(bx[t]), np.float64(by[t])
            dx, dy = x - ox0, y - oy0
            d, u, b = _plain_compare(dx * dx + dy * dy, c0, j, bd[t], bu[t], bb[t])
            dx, dy = x - ox1, y - oy1
            d, u, b = _plain_compare(dx * dx + dy * dy, c1, j + 1, d, u, b)
            bd[t], bu[t], bb[t] = d, u, b
        j += 2
    while bonus and j + 2 <= k:
        ox0, oy0, c0 = org_pos[j, 0], org_pos[j, 1], org_bonus[j]
        ox1, oy1, c1 = org_pos[j + 1, 0], org_pos[j + 1, 1], org_bonus[j + 1]
        base0, base1 = org_base[j], org_base[j + 1]
        z0, z1 = org_zhuz[j], org_zhuz[j + 1]
        id0, id1 = np.int64(org_ids[j]), np.int64(org_ids[j + 1])
        for t in range(m):
            x, y = np.float64(bx[t]), np.float64(by[t])
            e, z, a = np.int64(be[t]), np.int64(bz[t]), np.int64(ba[t])
            dx, dy = x - ox0, y - oy0
            d, u, b = _compare(
                dx * dx + dy * dy, c0, base0, z0, id0, j, e, z, a, bd[t], bu[t], bb[t],
                b_eth, b_clan, b_pid,
            )  # fmt: skip
            dx, dy = x - ox1, y - oy1
            d, u, b = _compare(
                dx * dx + dy * dy, c1, base1, z1, id1, j + 1, e, z, a, d, u, b,
                b_eth, b_clan, b_pid,
            )  # fmt: skip
            bd[t], bu[t], bb[t] = d, u, b
        j += 2
    if j < k:
        ox0, oy0, c0 = org_pos[j, 0], org_pos[j, 1], org_bonus[j]
        base0, z0, id0 = org_base[j], org_zhuz[j], np.int64(org_ids[j])
        for t in range(m):
            dx, dy = np.float64(bx[t]) - ox0, np.float64(by[t]) - oy0
            bd[t], bu[t], bb[t] = _compare(
                dx * dx + dy * dy, c0, base0, z0, id0, j,
                np.int64(be[t]), np.int64(bz[t]), np.int64(ba[t]),
                bd[t], bu[t], bb[t], b_eth, b_clan, b_pid,
            )  # fmt: skip
    if not finish:
        return 0
    # (Also written out in _choose_and_count_kernel's loop: a per-voter function taking
    # arrays costs reference counting for each voter, a second loop over the block 7%.)
    gamma = np.float32(misery_memory)
    candidates = 0
    for t in range(m):
        i = first + t
        nearest = np.float32(bd[t])
        misery[i] = np.float32(misery[i] * gamma) + nearest
        bd[t] = nearest
        if bb[t] >= 0 and bu[t] >= u_min:
            org_id = org_ids[bb[t]]
            choice[i] = org_id
            candidates += ba[t] != org_id
        else:
            choice[i] = -1
            bb[t] = -1
    return candidates


@njit(cache=True, nogil=True, inline="always")
def _block_columns():  # pragma: no cover
    """A block's working columns (see :func:`_choose_block`)."""
    bx, by, bu, bd = np.empty(_BLOCK), np.empty(_BLOCK), np.empty(_BLOCK), np.empty(_BLOCK)
    be, bz = np.empty(_BLOCK, np.int64), np.empty(_BLOCK, np.int64)
    ba, bb = np.empty(_BLOCK, np.int64), np.empty(_BLOCK, np.int64)
    return bx, by, be, bz, ba, bu, bb, bd


_kept_columns = threading.local()


def _working_columns(size: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Two sets of (row, d²) columns for ``size`` voters each (6 bytes a voter), kept from
    one pass to the next per thread that runs passes, so that fresh pages are not
    faulted in every month."""
    kept = getattr(_kept_columns, "columns", None)
    if kept is None or len(kept[0][0]) != size:
        kept = [(np.empty(size, ORGANISATION_CODE), np.empty(size, np.float32)) for _ in range(2)]
        _kept_columns.columns = kept
    return kept


@njit(cache=True, nogil=True)
def _choose_and_count_kernel(
    pos, ethnicity, zhuz, attachment, redirect,
    org_pos, org_base, org_zhuz, org_ids, org_bonus,
    b_eth, b_clan, b_pid, u_min, misery_cap, misery_memory, choice, misery,
    start, stop, weight, org_weight, org_pos_sum, org_sq_sum, org_eth, totals,
):  # fmt: skip
    """Voters ``start..stop`` on one thread, in blocks of :data:`_BLOCK`: each block is
    compared (:func:`_choose_block`), then finished and counted as :func:`_choose_block`
    and :func:`_count_kernel` do, while its working columns are in the first-level
    cache. Adds the block's candidates to ``totals[2]``."""
    masks = _bonus_masks(org_base, org_zhuz, org_ids)
    bx, by, be, bz, ba, bu, bb, bd = _block_columns()
    gamma = np.float32(misery_memory)
    for first in range(start, stop, _BLOCK):
        m = min(_BLOCK, stop - first)
        _choose_block(
            pos, ethnicity, zhuz, attachment, redirect, org_pos, org_base, org_zhuz, org_ids,
            org_bonus, b_eth, b_clan, b_pid, u_min, misery_cap, misery_memory, masks,
            first, m, bx, by, be, bz, ba, bu, bb, bd, choice, misery, False,
        )  # fmt: skip
        # _choose_block's finish and _count_kernel's sums, in one loop over the block.
        misery_sum = totals[0]
        weight_sum = totals[1]
        candidates = 0
        for t in range(m):
            i = first + t
            nearest = np.float32(bd[t])
            misery[i] = np.float32(misery[i] * gamma) + nearest
            w = np.float64(weight[i])
            misery_sum += np.float64(nearest) * w
            weight_sum += w
            best = bb[t]
            if best >= 0 and bu[t] >= u_min:
                org_id = org_ids[best]
                choice[i] = org_id
                candidates += ba[t] != org_id
                x = bx[t]
                y = by[t]
                org_weight[best] += w
                org_pos_sum[best, 0] += w * x
                org_pos_sum[best, 1] += w * y
                org_sq_sum[best] += w * (x * x + y * y)
                org_eth[best, be[t]] += w
            else:
                choice[i] = -1
        totals[0] = misery_sum
        totals[1] = weight_sum
        totals[2] += candidates


@njit(cache=True, nogil=True)
def _choose_kernel(
    pos, ethnicity, zhuz, attachment, redirect,
    org_pos, org_base, org_zhuz, org_ids, org_bonus,
    b_eth, b_clan, b_pid, u_min, misery_cap, misery_memory, choice, misery,
    start, stop, at, rows, nearest,
):  # fmt: skip
    """:func:`_choose_block` over voters ``start..stop``, a block at a time, keeping each
    voter's row and d² at ``i − at`` for counting. Returns the number of candidates.
    Nothing is summed in floating point, so disjoint ranges can run on different
    threads (a count of voters is the same in any order)."""
    masks = _bonus_masks(org_base, org_zhuz, org_ids)
    bx, by, be, bz, ba, bu, bb, bd = _block_columns()
    candidates = 0
    for first in range(start, stop, _BLOCK):
        m = min(_BLOCK, stop - first)
        candidates += _choose_block(
            pos, ethnicity, zhuz, attachment, redirect, org_pos, org_base, org_zhuz, org_ids,
            org_bonus, b_eth, b_clan, b_pid, u_min, misery_cap, misery_memory, masks,
            first, m, bx, by, be, bz, ba, bu, bb, bd, choice, misery, True,
        )  # fmt: skip
        for t in range(m):
            rows[first + t - at] = bb[t]
            nearest[first + t - at] = bd[t]
    return candidates


@njit(cache=True, nogil=True)
def _count_kernel(
    start, stop, rows, nearest, pos, ethnicity, weight,
    org_weight, org_pos_sum, org_sq_sum, org_eth, totals,
):  # fmt: skip
    """Voters ``start..stop``, in order: every sum over voters, from the rows (−1: backs
    none) and d² that :func:`_choose_kernel` kept at ``i − start``.

    ``totals`` carries (Σ w·d², Σ w) from one range to the next, so that every sum is
    taken in voter order, as in :func:`_support_kernel` followed by the NumPy updates it
    replaced (and as :func:`_choose_and_count_kernel` takes them block by block).
    """
    misery_sum = totals[0]
    weight_sum = totals[1]
    for i in range(start, stop):
        w = np.float64(weight[i])
        misery_sum += np.float64(nearest[i - start]) * w
        weight_sum += w
        best = np.int64(rows[i - start])
        if best >= 0:
            x = np.float64(pos[i, 0])
            y = np.float64(pos[i, 1])
            org_weight[best] += w
            org_pos_sum[best, 0] += w * x
            org_pos_sum[best, 1] += w * y
            org_sq_sum[best] += w * (x * x + y * y)
            org_eth[best, ethnicity[i]] += w
    totals[0] = misery_sum
    totals[1] = weight_sum


#: Voters per part of the threaded pass: helpers choose for the end of a part while
#: this thread chooses and counts its start, then counts the helpers' voters.
THREADED_PART = 1 << 17


def monthly_support_pass(
    voters: Voters, redirect: np.ndarray, orgs: OrganisationArrays, params: PartyParameters,
    choice: np.ndarray, misery: np.ndarray, sums: tuple[np.ndarray, ...],
    threads: int = 1, part: int = THREADED_PART, min_voters: int | None = None,
) -> tuple[float, float, int]:  # fmt: skip
    """The month's support pass: redirect attachments, choose, update misery, count.

    ``sums`` are (weight, position sum, square sum, ethnic weight) per organisation,
    added to in place. Returns (Σ w·d², Σ w, number of voters who back an organisation
    they are not attached to).

    With ``threads`` > 1 and at least ``min_voters`` voters (default
    :data:`polsim.engine.threads.THREADED_MIN_VOTERS`), the voters go in parts of
    ``part``: helper threads choose for the end of each part (:func:`_choose_kernel`)
    while this thread chooses and counts its start and counts the end of the part
    before. Every floating-point sum is still taken in voter order on this thread, so
    the results are the same bits for any ``threads`` and ``part``.
    """
    n = len(voters)
    choose_args = (
        voters.position, voters.ethnicity, voters.zhuz, voters.attachment, redirect,
        orgs.position, orgs.base, orgs.zhuz, orgs.ids, orgs.bonus,
        float(params.ethnic_bonus), float(params.clan_bonus), float(params.attachment_bonus),
        float(params.min_utility), float(params.misery_cap), float(params.misery_memory),
        choice, misery,
    )  # fmt: skip
    totals = np.zeros(3)  # Σ w·d², Σ w, candidates
    if min_voters is None:
        min_voters = engine_threads.THREADED_MIN_VOTERS
    if threads <= 1 or n < max(2, min_voters):
        _choose_and_count_kernel(*choose_args, 0, n, voters.weight, *sums, totals)
    else:
        _threaded_pass(voters, len(orgs), threads, max(2, int(part)), choose_args, sums, totals)
    return float(totals[0]), float(totals[1]), int(totals[2])


def _threaded_pass(voters, k, threads, part, choose_args, sums, totals) -> None:
    """:func:`monthly_support_pass` on ``threads`` threads (see there)."""
    n = len(voters)
    columns = _working_columns(min(part, n))

    def run_here(lo: int, hi: int) -> None:
        _choose_and_count_kernel(*choose_args, lo, hi, voters.weight, *sums, totals)

    def prepare(lo: int, hi: int, at: int, slot: int) -> int:
        return _choose_kernel(*choose_args, lo, hi, at, *columns[slot])

    def finish(lo: int, hi: int, slot: int) -> None:
        rows, nearest = columns[slot]
        _count_kernel(
            lo, hi, rows, nearest, voters.position, voters.ethnicity, voters.weight,
            *sums, totals,
        )  # fmt: skip

    # Per voter, in units of one voter compared with one organisation: choosing about
    # 10 + k, counting about 5. Only speed depends on them.
    candidates = run_pipelined(n, part, threads, (10.0 + k, 5.0), run_here, prepare, finish)
    totals[2] += sum(candidates)


@njit(cache=True, nogil=True)
def _attach_kernel(choice, attachment, draws, rate, start):  # pragma: no cover
    """Attach the next ``len(draws)`` candidates from voter ``start``; returns the next voter.

    A candidate backs an organisation it is not attached to; draw ``k`` decides the k-th
    candidate in voter order (``draw < rate``), as ``rng.random(len(candidates))`` did.
    """
    used = 0
    i = start
    n = choice.shape[0]
    m = draws.shape[0]
    # Branch-free (candidates come at random, so branches on them mispredict): every
    # voter's attachment is written back, changed only where a candidate's draw hits.
    while i < n and used < m:
        c = choice[i]
        a = attachment[i]
        candidate = (c >= 0) & (a != c)
        hit = candidate & (draws[used] < rate)
        attachment[i] = c if hit else a
        used += np.int64(candidate)
        i += 1
    return i


#: Random draws for attachment taken at once (bounded memory; same stream as one draw).
ATTACH_CHUNK = 1 << 20


@register_mechanism("parties.support", phase="parties", order=20, reads="parties")
def update_support(
    world: World, params: PartyParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Count this month's support, then update fitness, misery and attachments.

    One pass over the voters (:func:`monthly_support_pass`) redirects attachments to
    dissolved organisations, counts support, and updates each voter's choice and
    misery; nothing of the voters' size is allocated. It uses the run's threads
    (:func:`polsim.engine.threads.run_threads`); results do not depend on how many.
    """
    table: Organisations = world.organisations
    voters = world.voters
    n = len(voters)
    if len(table.choice) != n:
        table.choice = np.full(n, -1, dtype=ORGANISATION_CODE)
        table.misery = np.zeros(n, dtype=np.float32)
    alive = table.alive()
    arrays = organisation_arrays(alive, params)
    k, n_groups = len(alive), len(world.ethnic_groups)
    redirect = (
        _attachment_redirect(world) if len(table) else np.full(1, NO_ORGANISATION, dtype=np.int64)
    )
    org_weight = np.zeros(k)
    position_sum = np.zeros((k, 2))
    square_sum = np.zeros(k)
    ethnic_weight = np.zeros((k, n_groups))
    misery_sum, total, candidates = monthly_support_pass(
        voters, redirect, arrays, params, table.choice, table.misery,
        (org_weight, position_sum, square_sum, ethnic_weight),
        threads=run_threads(), part=THREADED_PART,
    )  # fmt: skip
    electorate = world.electorate
    # Weighted mean of d², summed in voter order (float64).
    table.mean_misery = float(misery_sum / total if total > 0 else 0.0)
    gamma = params.fitness_memory
    shares = (org_weight / electorate if electorate > 0 else np.zeros(k)).tolist()
    # Supporters' centroid and RMS spread, written out rather than as a BLAS dot
    # product, whose fused multiply-adds depend on the machine.
    with np.errstate(invalid="ignore", divide="ignore"):
        centroids = position_sum / org_weight[:, None]
        cx, cy = centroids[:, 0], centroids[:, 1]
        spreads = np.sqrt(np.maximum(square_sum / org_weight - (cx * cx + cy * cy), 0.0)).tolist()
    leaders = []
    members_of = org_weight.tolist()
    for row, (org, members, share) in enumerate(zip(alive, members_of, shares, strict=True)):
        org.previous_share = org.share
        org.members = members
        org.share = share
        org.peak_share = max(org.peak_share, share)
        org.fitness = gamma * org.fitness + (1.0 - gamma) * share
        org.ethnic_support = ethnic_weight[row]  # this month's table: rows are not shared
        # one more month of organising (coalition skill, docs/model.md §2.7, §2.8)
        org.experience += 1.0
        if org.leader >= 0:
            leaders.append(org.leader)
        if members > 0:
            org.centroid = centroids[row]
            org.spread = spreads[row]
        else:
            org.centroid = np.full(2, np.nan)
            org.spread = 0.0
    if leaders:
        np.add.at(world.elites.experience, leaders, np.float32(1.0))
    if params.attachment_rate > 0 and alive:
        start, left = 0, int(candidates)
        while left > 0:
            draws = rng.random(min(left, ATTACH_CHUNK))
            start = _attach_kernel(
                table.choice, voters.attachment, draws, float(params.attachment_rate), start
            )
            left -= len(draws)
    return []
