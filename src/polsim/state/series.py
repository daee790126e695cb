"""The state's monthly columns for ``series.parquet``."""

from __future__ import annotations

import numpy as np

from polsim.scenario.schema import ZHUZES
from polsim.society.aggregates import slug
from polsim.world.legislatures import LEVELS
from polsim.world.polity import World
from polsim.world.presidency import VACANT

__all__ = ["state_series"]


def state_series(world: World) -> dict[str, float]:
    """President, patronage, legislatures and civil peace this month."""
    out: dict[str, float] = {}
    presidency = world.presidency
    out["approval"] = presidency.approval if presidency else 0.0
    out["legislature_pressure"] = presidency.pressure if presidency else 0.0
    out["president_is_original"] = float(presidency.original) if presidency else 0.0
    out["president_partisan"] = float(presidency.party >= 0) if presidency else 0.0
    out["guarantor_present"] = float(world.regime.guarantor_present)
    elites = world.elites
    holders = presidency.posts[presidency.posts != VACANT] if presidency else np.zeros(0, int)
    zhuz = elites.zhuz[holders] if len(elites) else np.zeros(0, int)
    kazakh_holders = max(int((zhuz >= 0).sum()), 1)
    for z, name in enumerate(ZHUZES):
        out[f"posts_share_{slug(name)}"] = float((zhuz == z).sum()) / kazakh_holders
    pool_kazakh = max(int((elites.zhuz >= 0).sum()), 1) if len(elites) else 1
    for z, name in enumerate(ZHUZES):
        share = float((elites.zhuz == z).sum()) / pool_kazakh if len(elites) else 0.0
        out[f"pool_share_{slug(name)}"] = share
    out["posts_non_kazakh_share"] = float((zhuz < 0).sum()) / max(len(holders), 1)
    out["posts_held_by_party_members"] = (
        float((elites.organisation[holders] >= 0).sum()) if len(holders) else 0.0
    )
    out["elite_loyalty_mean"] = float(elites.loyalty.mean()) if len(elites) else 0.0

    leg = world.legislatures
    share = leg.resigned_share() if leg.n_bodies else np.zeros(0)
    for level, name in enumerate(LEVELS):
        at = leg.level == level
        out[f"dissolved_{name}_bodies"] = float(leg.dissolved[at].sum()) if at.any() else 0.0
        out[f"legitimacy_{name}"] = float(leg.legitimacy[at].mean()) if at.any() else 0.0
    national = leg.national
    out["national_resigned_share"] = float(share[national]) if national >= 0 else 0.0
    out["national_resigned"] = (
        float(((leg.deputy_body == national) & leg.deputy_resigned).sum()) if national >= 0 else 0.0
    )
    out["national_seats"] = float((leg.deputy_body == national).sum()) if national >= 0 else 0.0

    peace = world.peace
    people = world.society.people.sum(axis=1) if world.society.people.size else np.zeros(0)
    if len(peace.tension) and people.sum() > 0:
        out["tension_mean"] = float((peace.tension * people).sum() / people.sum())
        out["tension_max"] = float(peace.tension.max())
        out["violent_episodes"] = float(peace.episodes_this_month.sum())
    else:
        out["tension_mean"] = out["tension_max"] = out["violent_episodes"] = 0.0
    return out
