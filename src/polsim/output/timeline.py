"""A short timeline of a run's key events, in words, from the event log.

Used by ``polsim run`` at the end of a run and by the report. Frequent events are
summarised (resignations and dissolutions by month and level; the party system's churn
by year); rare ones (elections, the campaign, a presidential choice, a transfer of
power) are told one by one.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pandas as pd

__all__ = ["key_events"]

_PARTY_CHURN = {
    "PartyFounded": "founded",
    "PartySplit": "split",
    "PartiesMerged": "merged",
    "PartyDissolved": "dissolved",
    "Coopted": "co-opted",
}


def key_events(events: pd.DataFrame, limit: int = 40) -> list[str]:
    """Lines ``YYYY-MM  what happened``, oldest first, at most ``limit`` of them."""
    lines: list[tuple[str, int, str]] = []
    churn: dict[str, Counter[str]] = defaultdict(Counter)
    dissolved: dict[str, Counter[str]] = defaultdict(Counter)
    first_seq: dict[str, int] = {}
    for seq, (date, kind, raw) in enumerate(
        zip(events["date"], events["type"], events["details"], strict=True)
    ):
        d = json.loads(raw)
        if kind in _PARTY_CHURN:
            churn[date[:4]][_PARTY_CHURN[kind]] += 1
        elif kind == "BodyDissolved" and d.get("level") != "national":
            dissolved[date][d["level"]] += 1
            first_seq.setdefault(date, seq)
        elif kind == "BodyDissolved":
            lines.append(
                (
                    date,
                    seq,
                    f"the {d['body']} dissolves itself ({d['how']}) after "
                    f"{d['resigned']} deputies resigned",
                )
            )
        elif kind == "ElectionCalled":
            lines.append((date, seq, f"{d['election']} called for {d['held_on']} ({d['reason']})"))
        elif kind == "ElectionHeld" and d.get("formula") == "referendum":
            verdict = "passes" if d["seats_filled"] else "fails"
            lines.append((date, seq, f"{d['election']} {verdict}: turnout {d['turnout']:.1%}"))
        elif kind == "ElectionHeld":
            lines.append(
                (
                    date,
                    seq,
                    f"{d['election']} held: turnout {d['turnout']:.1%}, "
                    f"{d['seats_filled']} of {d['seats']} seats filled",
                )
            )
        elif kind == "CampaignStarted":
            lines.append((date, seq, "the president starts pressing the soviets to dissolve"))
        elif kind == "PresidentialChoice":
            lines.append(
                (
                    date,
                    seq,
                    f"facing the presidential election, the president chooses to "
                    f"{d['choice']} (risk of losing {d['risk_of_losing']:.0%})",
                )
            )
        elif kind == "PowerTransferred":
            lines.append((date, seq, f"power changes hands: {d['reason']}"))
        elif kind == "EliteDefection":
            lines.append((date, seq, f"elite defection: {d['defected_share']:.0%} of the elite"))
    for date, counts in dissolved.items():
        parts = [f"{n} {level}" for level, n in sorted(counts.items(), key=lambda x: x[0])]
        lines.append((date, first_seq[date], f"soviets dissolve themselves: {', '.join(parts)}"))
    for year, counts in churn.items():
        parts = [f"{n} {what}" for what, n in counts.items()]
        lines.append((f"{year}-99", -2, f"organisations in {year}: {', '.join(parts)}"))
    lines.sort(key=lambda item: (item[0], item[1]))
    out = [
        f"{date if not date.endswith('-99') else date[:4] + '   '}  {text}"
        for date, _, text in lines
    ]
    return out[:limit]
