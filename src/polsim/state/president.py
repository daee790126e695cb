"""The president: approval, the campaign against the legislatures, the choice of how to
face a due election, and the ways power can change hands (docs/model.md §3.2).

Approval follows performance with memory ρ:

    A ← ρ·A + (1 − ρ)·clip(α0 + α_e·(e − 0.5) − α_H·H̄, 0, 1)

and the regime's legitimacy moves toward it by κ a month (L ← L + κ·(A − L)): a
government that delivers is believed. e is the government's efficiency and H̄ the mean
hardship.

**The campaign.** When the national legislature is a holdover of the old rules and its
legitimacy trails the president's approval by ``campaign_gap``, the president presses
the legislatures toward new elections once an example triggers it (the scenario's
``campaign_trigger`` institution, e.g. a neighbour's parliament dissolved) or after
``campaign_patience`` months of holdover. Pressure then rises by ``pressure_ramp`` a
month, and decays by ``pressure_decay`` a month when the campaign stops (a new
legislature is elected).

**A due election.** ``decision_lead`` months before the term ends the president
estimates the expected vote share s = A now, and its trend to the due date from the
last year's approval; the risk of losing is Φ((0.5 − s_due)/sd). With a small risk the
president holds the election on time, or early if s is expected to fall by more than
``early_gain`` by the due date; with a large risk the president seeks an extension of
the term by referendum (Levitsky & Way 2010 on incumbents' choices in competitive
authoritarian regimes).

**Power changes hands** only by a lost presidential election, an elite-defection
cascade (``state/patronage.py``), or an exogenous hazard (``exit_hazard`` a month;
the counterfactual ``no_guarantor_from`` removes the president on a date). A successor
takes office with ``successor_approval`` and the government loses
``successor_efficiency_loss`` of its efficiency: the guarantor is gone.
"""

from __future__ import annotations

import math

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import (
    CampaignStarted,
    ElectionCalled,
    Event,
    PowerTransferred,
    PresidentialChoice,
)
from polsim.engine.mechanisms import register_mechanism
from polsim.scenario.schema import ZHUZES, PresidentParameters, Scenario
from polsim.world.polity import World
from polsim.world.presidency import VACANT, Presidency

__all__ = ["build_presidency", "risk_of_losing", "transfer_power", "update_president"]


def build_presidency(scenario: Scenario, organisation_ids: dict[str, int]) -> Presidency:
    """The presidency at the scenario's start."""
    params = scenario.state.president
    zhuz = ZHUZES.index(scenario.regime.president_zhuz) if scenario.regime.president_zhuz else -1
    party = organisation_ids.get(params.party, -1) if params.party else -1
    return Presidency(
        name=params.name,
        zhuz=zhuz,
        party=party,
        approval=params.approval,
        took_office=params.took_office or scenario.start,
        term_ends=params.term_ends,
        posts=np.full(scenario.state.patronage.posts, VACANT, np.int32),
    )


def risk_of_losing(expected_share: float, sd: float) -> float:
    """Φ((0.5 − s)/sd): the chance the vote share falls short of a majority.

    Examples
    --------
    >>> round(risk_of_losing(0.5, 0.1), 3), round(risk_of_losing(0.7, 0.1), 3)
    (0.5, 0.023)
    """
    z = (0.5 - expected_share) / sd
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def transfer_power(world: World, date: Month, reason: str) -> list[Event]:
    """Hand the presidency to a successor: the guarantor is gone."""
    presidency = world.presidency
    assert presidency is not None
    params = world.scenario.state.president
    successor = f"successor of {presidency.name}" if presidency.original else "a successor"
    presidency.name = successor
    presidency.original = False
    presidency.approval = params.successor_approval
    presidency.took_office = date
    presidency.term_ends = date + params.term_months
    presidency.decided_term = None
    presidency.approval_history.clear()
    world.regime.guarantor_present = False
    world.regime.efficiency *= 1.0 - params.successor_efficiency_loss
    return [
        PowerTransferred(
            date=date, actors=("office:president",), reason=reason, successor=successor
        )
    ]


@register_mechanism("state.president", phase="state", order=20, reads="state.president")
def update_president(
    world: World, params: PresidentParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """One month of the presidency."""
    presidency = world.presidency
    if presidency is None:
        return []
    events: list[Event] = []

    for _, incumbent_won in world.presidential_outcomes:
        if not incumbent_won:
            events += transfer_power(world, date, "lost the presidential election")
        elif presidency.term_ends is None or presidency.term_ends <= date + 1:
            presidency.term_ends = date + params.term_months
            presidency.decided_term = None
    world.presidential_outcomes.clear()
    for name, passed in world.referendum_outcomes:
        if presidency.term_ends is None:
            continue
        if passed:
            presidency.term_ends = presidency.term_ends + params.extension_months
            presidency.decided_term = None
        elif params.election is not None:
            when = max(presidency.term_ends, date + 2)
            world.elections_called.append(params.election.model_copy(update={"date": when}))
            events.append(
                ElectionCalled(
                    date=date,
                    actors=("office:president",),
                    election=params.election.name,
                    body=params.election.body,
                    held_on=str(when),
                    reason=f"{name} refused the extension",
                )
            )
    world.referendum_outcomes.clear()

    removal = world.scenario.counterfactuals.no_guarantor_from
    if presidency.original and removal is not None and date == removal:
        events += transfer_power(world, date, "the guarantor removed (counterfactual)")
    elif presidency.original and rng.random() < params.exit_hazard:
        events += transfer_power(world, date, "left office (exogenous hazard)")

    if params.party_institution is not None and presidency.original:
        party_id = str(world.institutions.get(params.party_institution, "none"))
        org = world.organisations.by_historical_id(party_id)
        presidency.party = org.id if org is not None and org.alive else -1

    society = world.society
    people = society.people.sum()
    hardship = society.hardship.sum() / people if people > 0 else 0.0
    target = params.approval_base + params.approval_efficiency * (world.regime.efficiency - 0.5)
    target = min(1.0, max(0.0, target - params.approval_hardship * hardship))
    presidency.approval = (
        params.approval_memory * presidency.approval + (1 - params.approval_memory) * target
    )
    presidency.approval_history.append(presidency.approval)
    regime = world.regime
    regime.legitimacy += params.legitimacy_follows_approval * (
        presidency.approval - regime.legitimacy
    )

    events += _campaign(world, params, date)
    events += _face_due_election(world, params, date)
    return events


def _campaign(world: World, params: PresidentParameters, date: Month) -> list[Event]:
    """Start, continue or stop the pressure on the legislatures."""
    presidency = world.presidency
    legislature_params = world.scenario.state.legislatures
    leg = world.legislatures
    events: list[Event] = []
    national = leg.national
    holdover_from = legislature_params.holdover_from if legislature_params else None
    holdover = (
        national >= 0
        and holdover_from is not None
        and leg.elected[national] < holdover_from <= date
        and not leg.dissolved[national]
    )
    if presidency.campaigning and not holdover:
        presidency.campaigning = False
    elif not presidency.campaigning and holdover:
        gap = presidency.approval - float(leg.legitimacy[national])
        trigger = params.campaign_trigger
        example = trigger is not None and bool(world.institutions.get(trigger, False))
        patience = date - holdover_from >= params.campaign_patience
        if gap >= params.campaign_gap and (example or patience):
            presidency.campaigning = True
            events.append(
                CampaignStarted(
                    date=date,
                    actors=("office:president", f"body:{leg.name[national]}"),
                    approval=round(presidency.approval, 4),
                    national_legitimacy=round(float(leg.legitimacy[national]), 4),
                    reason="example" if example else "patience",
                )
            )
    if presidency.campaigning:
        presidency.pressure = min(1.0, presidency.pressure + params.pressure_ramp)
    else:
        presidency.pressure *= 1.0 - params.pressure_decay
    return events


def _face_due_election(world: World, params: PresidentParameters, date: Month) -> list[Event]:
    """Decide, once per term, how to face the coming presidential election."""
    presidency = world.presidency
    due = presidency.term_ends
    if due is None or params.election is None or presidency.decided_term == due:
        return []
    if due - date > params.decision_lead:
        return []
    history = presidency.approval_history[-13:]
    slope = (history[-1] - history[0]) / (len(history) - 1) if len(history) > 1 else 0.0
    share_now = presidency.approval
    share_due = min(1.0, max(0.0, share_now + slope * max(0, due - date)))
    risk = risk_of_losing(share_due, params.vote_share_sd)
    presidency.decided_term = due
    events: list[Event] = []
    if risk <= params.hold_risk:
        early = share_now - share_due >= params.early_gain
        when = date + 3 if early else due
        choice = "hold early" if early else "hold on time"
        election = params.election.model_copy(update={"date": when})
    elif params.extension_referendum is not None:
        choice = "seek a term extension by referendum"
        election = params.extension_referendum.model_copy(update={"date": date + 3})
    else:
        choice = "hold on time (no extension available)"
        election = params.election.model_copy(update={"date": due})
    world.elections_called.append(election)
    events.append(
        PresidentialChoice(
            date=date,
            actors=("office:president",),
            choice=choice,
            risk_of_losing=round(risk, 4),
            expected_share=round(share_due, 4),
        )
    )
    events.append(
        ElectionCalled(
            date=date,
            actors=("office:president",),
            election=election.name,
            body=election.body,
            held_on=str(election.date),
            reason=choice,
        )
    )
    return events
