"""The seed's ten claims (docs/validation.md) and the in-sample facts, measured on runs.

Each claim is a function of an ensemble of runs (and, for counterfactual claims, a
second ensemble with the same seeds) that returns a :class:`ClaimResult`: the measure,
its value, the criterion, and whether it holds. The functions read only the tables a
run writes (``series``, ``events``, ``results``, ``organisations``), so they apply to
saved runs as well as to runs in memory.

The ensembles themselves are run by :mod:`polsim.experiments.claims`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "CLAIMS",
    "RECORD_1994_SEATS",
    "ClaimResult",
    "RunTables",
    "in_sample_facts",
    "seats_1994_by_group",
]


@dataclass(frozen=True)
class RunTables:
    """The tables of one run that the claims read."""

    series: pd.DataFrame
    events: pd.DataFrame
    results: pd.DataFrame
    organisations: pd.DataFrame

    @classmethod
    def of(cls, run: object) -> RunTables:
        """From a :class:`polsim.api.Run` (or anything with a ``tables`` mapping)."""
        tables: Mapping[str, object] = run.tables  # type: ignore[attr-defined]
        frames = {k: v.to_pandas() if hasattr(v, "to_pandas") else v for k, v in tables.items()}
        return cls(
            frames["series"], frames["events"], frames.get("results"), frames["organisations"]
        )

    def events_of(self, kind: str) -> list[tuple[str, dict]]:
        """(date, details) of every event of one type, in log order."""
        rows = self.events[self.events["type"] == kind]
        return [(d, json.loads(x)) for d, x in zip(rows["date"], rows["details"], strict=True)]


@dataclass(frozen=True)
class ClaimResult:
    """One claim measured on an ensemble."""

    number: int
    claim: str
    measure: str
    value: str
    holds: bool


#: Seats of the Supreme Kenges elected on 7 March 1994 (Nohlen, Grotz & Hartmann 2001,
#: p. 420, through the shared data file), by the groups polsim can tell apart.
RECORD_1994_SEATS: dict[str, int] = {
    "SNEK": 33,
    "trade unions": 11,
    "NKK": 9,
    "Socialists": 8,
    "Peasants": 4,
    "Lad": 4,
    "independents": 64,
    "state list": 42,
}
_GROUP_OF_HISTORICAL_ID = {
    "snek": "SNEK",
    "federation-of-trade-unions": "trade unions",
    "nkk": "NKK",
    "socialist-party": "Socialists",
    "peasants-union": "Peasants",
    "lad": "Lad",
}


def _month_mean(series: pd.DataFrame, column: str, first: str, last: str) -> float:
    rows = series[(series["month"] >= first) & (series["month"] <= last)]
    return float(rows[column].mean()) if len(rows) else float("nan")


def _ancestors(parents: dict[int, list[int]], org: int) -> set[int]:
    seen: set[int] = set()
    stack = list(parents.get(org, []))
    while stack:
        p = stack.pop()
        if p not in seen:
            seen.add(p)
            stack.extend(parents.get(p, []))
    return seen


def seats_1994_by_group(run: RunTables) -> dict[str, int]:
    """Seats won in the 1994 Supreme Kenges by the record's groups (others: 'other')."""
    res = run.results
    if res is None or not len(res):
        return {}
    won = res[(res["body"] == "supreme-kenges") & res["elected"]]
    seats = won["seats"] if "seats" in won else pd.Series(1, index=won.index)
    historical = dict(zip(run.organisations["id"], run.organisations["historical_id"], strict=True))
    out = dict.fromkeys([*RECORD_1994_SEATS, "other"], 0)
    for district, org, n in zip(won["district"], won["org"], seats, strict=True):
        if district == "state-list":
            out["state list"] += int(n)
        elif org < 0:
            out["independents"] += int(n)
        else:
            out[_GROUP_OF_HISTORICAL_ID.get(historical.get(int(org), ""), "other")] += int(n)
    return out


def in_sample_facts(run: RunTables) -> dict[str, float]:
    """The run's values of the in-sample facts in the scenario's ``targets``."""
    out: dict[str, float] = {}
    held = {d["election"]: d for _, d in run.events_of("ElectionHeld")}
    res = run.results if run.results is not None else pd.DataFrame()
    historical = dict(zip(run.organisations["id"], run.organisations["historical_id"], strict=True))
    if "supreme-soviet-1990" in held:
        won = res[(res["election"] == "supreme-soviet-1990") & res["elected"]]
        cpk = [historical.get(int(o), "") == "cpk-soviet" for o in won["org"]]
        out["supreme_soviet_1990_communist_seats"] = float(sum(cpk))
        out["supreme_soviet_1990_turnout_pct"] = 100 * held["supreme-soviet-1990"]["turnout"]
    if "presidential-1991" in held:
        first = res[(res["election"] == "presidential-1991") & (res["round"] == 1)]
        votes = first["votes"].sum()
        incumbent = first.loc[first["candidate"] == "incumbent", "votes"].sum()
        out["presidential_1991_incumbent_pct"] = 100 * incumbent / votes if votes else 0.0
        out["presidential_1991_turnout_pct"] = 100 * held["presidential-1991"]["turnout"]
    kenges = [d for name, d in held.items() if d["body"] == "supreme-kenges"]
    if kenges:
        out["supreme_kenges_1994_turnout_pct"] = 100 * kenges[0]["turnout"]
        won = res[(res["body"] == "supreme-kenges") & res["elected"]]
        known = won[won["ethnicity"] != ""]
        if len(known):
            out["supreme_kenges_1994_kazakh_deputies_share"] = float(
                (known["ethnicity"] == "Kazakh").mean()
            )
        for group, seats in seats_1994_by_group(run).items():
            out[f"seats_1994_{group.replace(' ', '_')}"] = float(seats)
    return out


# --- the claims ------------------------------------------------------------------------


def claim_1_no_transfer(runs: Sequence[RunTables]) -> ClaimResult:
    """The president holds office through the horizon in at least 90% of runs."""
    kept = [not len(r.events_of("PowerTransferred")) for r in runs]
    share = float(np.mean(kept))
    return ClaimResult(
        1,
        "No transfer of power",
        "share of runs without a transfer of power",
        f"{share:.0%} (≥ 90%)",
        share >= 0.9,
    )


def claim_2_little_activism(
    runs: Sequence[RunTables], without_cooptation: Sequence[RunTables]
) -> ClaimResult:
    """Peak active share is small, and larger without co-optation (paired test)."""
    base = np.array([r.series["active_share"].max() for r in runs])
    counter = np.array([r.series["active_share"].max() for r in without_cooptation])
    p = _paired_greater(counter, base)
    holds = float(np.median(base)) < 0.05 and counter.mean() > base.mean() and p < 0.05
    return ClaimResult(
        2,
        "Little activism; more without co-optation",
        "median peak active share; peak without co-optation (paired t, one-sided)",
        f"{np.median(base):.2%} (< 5%); {base.mean():.2%} → {counter.mean():.2%}, p = {p:.3g}",
        holds,
    )


def claim_3_lineage(runs: Sequence[RunTables]) -> ClaimResult:
    """Most parties founded before 1994 descend from a sanctioned (co-opted) movement."""
    shares = []
    for r in runs:
        orgs = r.organisations
        parents = {
            int(i): [int(p) for p in ps] for i, ps in zip(orgs["id"], orgs["parents"], strict=True)
        }
        sanctioned = set(orgs.loc[(orgs["kind"] == "movement") & orgs["coopted"], "id"].astype(int))
        early = orgs[
            (orgs["kind"] == "party")
            & (orgs["founded"] >= "1989-01")
            & (orgs["founded"] < "1994-01")
        ]
        if not len(early) or not sanctioned:
            shares.append(0.0)
            continue
        rooted = [bool(_ancestors(parents, int(i)) & sanctioned) for i in early["id"]]
        shares.append(float(np.mean(rooted)))
    mean = float(np.mean(shares))
    return ClaimResult(
        3,
        "Parties descend from the sanctioned movement",
        "share of parties founded 1989-93 with a co-opted movement among their ancestors",
        f"{mean:.0%} (> 50%)",
        mean > 0.5,
    )


def claim_4_small_ethnic_unstable(runs: Sequence[RunTables]) -> ClaimResult:
    """Before 1994: median support under 2%, mostly mono-ethnic, splits and deaths yearly."""
    median_share = float(
        np.mean([_month_mean(r.series, "org_median_share", "1990-01", "1993-12") for r in runs])
    )
    homogeneous = []
    for r in runs:
        o = r.organisations
        early = o[(o["founded"] < "1994-01") & (o["homogeneity"] > 0)]
        homogeneous.append(float((early["homogeneity"] > 0.8).mean()) if len(early) else 0.0)
    mono = float(np.mean(homogeneous))
    yearly = []
    for year in range(1990, 1994):
        rows = [r.series[r.series["month"].str.startswith(str(year))] for r in runs]
        yearly.append(
            np.mean([(x["org_splits"].sum() > 0) and (x["org_deaths"].sum() > 0) for x in rows])
        )
    unstable = float(min(yearly))
    holds = median_share < 0.02 and mono > 0.5 and unstable >= 0.7
    return ClaimResult(
        4,
        "Small, ethnic, unstable parties before 1994",
        "median support share 1990-93; share of organisations > 80% one group; "
        "worst year's share of runs with a split and a death",
        f"{median_share:.2%} (< 2%); {mono:.0%} (> 50%); {unstable:.0%} (≥ 70%)",
        holds,
    )


def claim_5_non_partisan(runs: Sequence[RunTables], since: str = "1991-12") -> ClaimResult:
    """From independence on, the president belongs to no party and post holders to none."""
    partisan = max(
        float(r.series.loc[r.series["month"] >= since, "president_partisan"].max()) for r in runs
    )
    members = max(float(r.series["posts_held_by_party_members"].max()) for r in runs)
    return ClaimResult(
        5,
        "A non-partisan president and government",
        f"months with a partisan president (from {since}); post holders in a party",
        f"{int(partisan)} ; {int(members)} (both 0)",
        partisan == 0 and members == 0,
    )


def claim_6_cascade(runs: Sequence[RunTables], election_month: str = "1994-03") -> ClaimResult:
    """Local, then oblast, then national dissolution in late 1993; tens of deputies; the
    election set for the scenario's date."""
    order, timing, tens, date_ok = [], [], [], []
    for r in runs:
        first: dict[str, str] = {}
        national = None
        for date, d in r.events_of("BodyDissolved"):
            first.setdefault(d["level"], date)
            if d["level"] == "national" and national is None:
                national = (date, d["resigned"])
        called = [d for _, d in r.events_of("ElectionCalled") if d["reason"] == "self-dissolution"]
        order.append(
            national is not None
            and first.get("local", "9999") <= first.get("oblast", "9999") <= national[0]
        )
        timing.append(national is not None and "1993-11" <= national[0] <= "1993-12")
        tens.append(national is not None and 10 <= national[1] <= 99)
        date_ok.append(bool(called) and called[0]["held_on"] == election_month)
    rates = [float(np.mean(x)) for x in (order, timing, tens, date_ok)]
    return ClaimResult(
        6,
        "The 1993 cascade",
        "runs with local → oblast → national; national in Nov-Dec 1993; 10-99 deputies "
        f"resigned; election called for {election_month}",
        " ; ".join(f"{x:.0%}" for x in rates) + " (each ≥ 70%)",
        min(rates) >= 0.7,
    )


def claim_7_election_1994(runs: Sequence[RunTables], named: bool = True) -> ClaimResult:
    """Seat distribution, turnout and ethnic make-up of 1994 near the record."""
    facts = [in_sample_facts(r) for r in runs]
    turnout = float(np.mean([f.get("supreme_kenges_1994_turnout_pct", np.nan) for f in facts]))
    kazakh = float(
        np.mean([f.get("supreme_kenges_1994_kazakh_deputies_share", np.nan) for f in facts])
    )
    record = np.array(list(RECORD_1994_SEATS.values()), float)
    gaps = []
    for r in runs:
        seats = seats_1994_by_group(r)
        if not named:  # only what free organisations can match: regime seats vs the rest
            sim = np.array(
                [
                    seats["independents"] + seats["state list"],
                    sum(v for k, v in seats.items() if k not in ("independents", "state list")),
                ],
                float,
            )
            rec = np.array([106.0, 71.0])
        else:
            sim = np.array([seats[k] for k in RECORD_1994_SEATS] + [seats["other"]], float)
            rec = np.append(record, 0.0)
        gaps.append(50 * np.abs(sim / sim.sum() - rec / rec.sum()).sum() if sim.sum() else 100.0)
    lh = float(np.mean(gaps))
    holds = abs(turnout - 73.5) <= 10 and abs(kazakh - 0.597) <= 0.1 and lh <= 25
    return ClaimResult(
        7,
        "The 1994 election near the record",
        "turnout (record 73.5%); Kazakh share of deputies (record 0.597); "
        "Loosemore-Hanby distance of seat shares from the record",
        f"{turnout:.1f}% (± 10); {kazakh:.3f} (± 0.1); {lh:.1f} points (≤ 25)",
        holds,
    )


def claim_8_interethnic(runs: Sequence[RunTables]) -> ClaimResult:
    """The inter-ethnic share of support rises, 1991-92 → 1995-96."""
    rises = [
        _month_mean(r.series, "org_interethnic_share", "1995-01", "1996-12")
        > _month_mean(r.series, "org_interethnic_share", "1991-01", "1992-12")
        for r in runs
    ]
    early = np.mean(
        [_month_mean(r.series, "org_interethnic_share", "1991-01", "1992-12") for r in runs]
    )
    late = np.mean(
        [_month_mean(r.series, "org_interethnic_share", "1995-01", "1996-12") for r in runs]
    )
    share = float(np.mean(rises))
    return ClaimResult(
        8,
        "Ethnic parties eclipsed by inter-ethnic ones",
        "inter-ethnic share of support 1991-92 → 1995-96; runs where it rises",
        f"{early:.2f} → {late:.2f}; {share:.0%} (≥ 70%)",
        share >= 0.7,
    )


def claim_9_guarantor(
    runs: Sequence[RunTables], without_guarantor: Sequence[RunTables]
) -> ClaimResult:
    """Removing the president in 1994 raises tension (paired test over seeds)."""
    base = np.array([_month_mean(r.series, "tension_mean", "1994-01", "1996-12") for r in runs])
    counter = np.array(
        [_month_mean(r.series, "tension_mean", "1994-01", "1996-12") for r in without_guarantor]
    )
    p = _paired_greater(counter, base)
    return ClaimResult(
        9,
        "The guarantor of civil peace",
        "mean tension 1994-96 with and without the president (paired t, one-sided)",
        f"{base.mean():.3f} → {counter.mean():.3f}, p = {p:.3g}",
        counter.mean() > base.mean() and p < 0.05,
    )


def claim_10_favouritism(runs: Sequence[RunTables]) -> ClaimResult:
    """Posts go disproportionately to the president's zhuz."""
    posts = np.mean(
        [_month_mean(r.series, "posts_share_senior", "1990-01", "1996-12") for r in runs]
    )
    pool = np.mean([float(r.series["pool_share_senior"].iloc[0]) for r in runs])
    return ClaimResult(
        10,
        "Favouritism toward the president's zhuz",
        "Senior zhuz share of Kazakh post holders vs of Kazakh elites",
        f"{posts:.2f} vs {pool:.2f}",
        posts > pool + 0.05,
    )


#: Claim number → (function, whether it needs a counterfactual ensemble).
CLAIMS = {
    1: claim_1_no_transfer,
    2: claim_2_little_activism,
    3: claim_3_lineage,
    4: claim_4_small_ethnic_unstable,
    5: claim_5_non_partisan,
    6: claim_6_cascade,
    7: claim_7_election_1994,
    8: claim_8_interethnic,
    9: claim_9_guarantor,
    10: claim_10_favouritism,
}


def _paired_greater(a: np.ndarray, b: np.ndarray) -> float:
    """One-sided paired t-test p-value for mean(a − b) > 0 (1.0 if degenerate)."""
    diff = np.asarray(a, float) - np.asarray(b, float)
    if len(diff) < 2 or np.allclose(diff, diff[0]):
        return 0.0 if len(diff) and diff[0] > 0 else 1.0
    return float(stats.ttest_1samp(diff, 0.0, alternative="greater").pvalue)
