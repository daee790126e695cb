"""Patronage and elite loyalty (docs/model.md §3.1; selectorate theory).

The president holds W posts (``posts``) in a pool of S elites. Each month a share
``turnover`` of posts changes hands; a vacancy goes to an elite drawn with log-odds

    own_zhuz_bias·[zhuz = president's] + kazakh_bias·[Kazakh] + log(resources)

among the elites who hold no post and belong to no organisation: the president and his
government keep clear of parties (the seed's non-partisan regime).

Office breeds loyalty. An office holder's loyalty rises each month by
g = loyalty_gain·(1 − W/S) of the way to 1: the smaller the winning coalition W relative
to the selectorate S, the more a place in it is worth and the more loyal its members
(Bueno de Mesquita, Smith, Siverson & Morrow 2003). Elites without a post drift back
toward ``loyalty_baseline`` by ``loyalty_decay`` of the gap a month.

**Defection.** Elites whose loyalty is below ``defection_loyalty`` are ready to defect;
the others follow them through their contacts (a random network of mean degree
``defection_degree``) when a share ``defection_threshold`` of their contacts has
defected: a threshold cascade (Watts 2002). If the cascade takes ``defection_share`` of
the pool, the president falls.
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import EliteDefection, Event, PatronageDistributed
from polsim.engine.mechanisms import register_mechanism
from polsim.scenario.schema import ZHUZES, PatronageParameters
from polsim.state.cascade import threshold_cascade
from polsim.state.president import transfer_power
from polsim.world.polity import World
from polsim.world.presidency import VACANT

__all__ = ["distribute_patronage", "elite_defection"]


@register_mechanism("state.patronage", phase="state", order=10, reads="state.patronage")
def distribute_patronage(
    world: World, params: PatronageParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Refill the posts that turn over, move loyalties, and check for a defection cascade."""
    presidency = world.presidency
    elites = world.elites
    if presidency is None or len(elites) == 0 or len(presidency.posts) == 0:
        return []
    posts = presidency.posts
    # Posts of elites who joined an organisation are vacated: office stays non-partisan.
    held = posts != VACANT
    posts[held & (elites.organisation[np.maximum(posts, 0)] >= 0)] = VACANT
    leaving = (posts != VACANT) & (rng.random(len(posts)) < params.turnover)
    posts[leaving] = VACANT
    vacant = np.flatnonzero(posts == VACANT)
    awarded = _award(world, params, len(vacant), rng)
    posts[vacant[: len(awarded)]] = awarded

    in_office = np.zeros(len(elites), bool)
    in_office[posts[posts != VACANT]] = True
    elites.office[:] = np.where(in_office, 0, -1).astype(elites.office.dtype)
    gain = params.loyalty_gain * (1.0 - len(posts) / len(elites))
    loyalty = elites.loyalty
    loyalty[in_office] += np.float32(gain) * (1.0 - loyalty[in_office])
    loyalty[~in_office] += np.float32(params.loyalty_decay) * (
        np.float32(params.loyalty_baseline) - loyalty[~in_office]
    )

    events: list[Event] = []
    if len(awarded):
        zhuz = elites.zhuz[awarded]
        events.append(
            PatronageDistributed(
                date=date,
                actors=("office:president",),
                posts=len(awarded),
                by_zhuz=tuple(int((zhuz == z).sum()) for z in range(len(ZHUZES))),
                non_kazakh=int((zhuz < 0).sum()),
            )
        )
    share = elite_defection(world, params)
    if share >= params.defection_share and presidency.original:
        events.append(EliteDefection(date=date, actors=("office:president",), defected_share=share))
        events += transfer_power(world, date, "elite defection cascade")
    return events


def _award(
    world: World, params: PatronageParameters, count: int, rng: np.random.Generator
) -> np.ndarray:
    """Draw ``count`` new office holders by the patronage log-odds."""
    if count == 0:
        return np.zeros(0, np.int32)
    elites = world.elites
    presidency = world.presidency
    in_office = np.zeros(len(elites), bool)
    in_office[presidency.posts[presidency.posts != VACANT]] = True
    candidates = np.flatnonzero(~in_office & (elites.organisation < 0))
    if len(candidates) == 0:
        return np.zeros(0, np.int32)
    zhuz = elites.zhuz[candidates]
    logits = (
        params.own_zhuz_bias * ((zhuz == presidency.zhuz) & (zhuz >= 0))
        + params.kazakh_bias * (zhuz >= 0)
        + np.log(np.maximum(elites.resources[candidates].astype(np.float64), 1e-6))
    )
    # Gumbel-max sampling without replacement (Vieira 2014): the top-k of logits + Gumbel.
    keys = logits + rng.gumbel(size=len(candidates))
    take = min(count, len(candidates))
    chosen = candidates[np.argsort(-keys, kind="stable")[:take]]
    return chosen.astype(np.int32)


def elite_defection(world: World, params: PatronageParameters) -> float:
    """Share of the elite pool that a defection cascade would take this month."""
    elites = world.elites
    ready = elites.loyalty < params.defection_loyalty
    if not ready.any():
        return 0.0
    thresholds = np.full(len(elites), params.defection_threshold)
    return float(threshold_cascade(world.presidency.elite_contacts, thresholds, ready).mean())
