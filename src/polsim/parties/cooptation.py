"""Co-optation: the regime offers sanction, resources and representation (docs/model.md §2.9).

Each month the regime courts every alive, registered, not yet co-opted organisation
whose support share is at least ``cooptation_min_share`` and whose position lies
within ``cooptation_tolerance`` of the regime's own position p_R
(``regime_position``): with probability ``cooptation_rate`` it makes an offer, which
the leader accepts with probability equal to its loyalty ℓ (an elite trait). A
co-opted organisation receives ``cooptation_grant`` resources and the regime's
sanction, worth ``sanction_bonus`` (b_sanc) in its supporters' utility, and from then
on drifts toward p_R, closing the fraction ``cooptation_drift`` of the gap each month
instead of following its adaptation rule. The seed's Nevada-Semipalatinsk is the
model case: "officially sanctioned by the Kazakh leadership ... a co-opted extension
of the communist party structure". While the party monopoly holds, offers come at
``monopoly_cooptation_rate``, to any movement within the registration tolerance: a
movement then exists by the authorities' leave, and sanction is its registration.

Departure, marked: the literature (e.g. Gandhi & Przeworski 2006) models co-optation
as an offer of rents and policy concessions; polsim reduces it to an acceptance
probability, a grant and a drift.
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Coopted, Event
from polsim.engine.mechanisms import register_mechanism
from polsim.parties.founding import monopoly_holds
from polsim.scenario.schema import PartyParameters
from polsim.world.polity import World

__all__ = ["coopt_organisations"]


@register_mechanism("parties.cooptation", phase="parties", order=70, reads="parties")
def coopt_organisations(
    world: World, params: PartyParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Make this month's offers, record acceptances, and move co-opted ones toward p_R."""
    regime = np.array(params.regime_position, dtype=np.float64)
    events: list[Event] = []
    if world.scenario.counterfactuals.no_cooptation:
        return events  # the counterfactual: the regime makes no offers at all
    rate, tolerance, needs_registration = (
        params.cooptation_rate,
        params.cooptation_tolerance,
        True,
    )
    if params.monopoly_cooptation_rate is not None and monopoly_holds(world, params):
        # Under the monopoly, sanction is registration: anything the authorities would
        # tolerate is offered it.
        rate, tolerance = params.monopoly_cooptation_rate, params.registration_tolerance
        needs_registration = False
    for org in world.organisations.alive():
        if org.coopted:
            org.position = org.position + params.cooptation_drift * (regime - org.position)
            continue
        if (needs_registration and not org.registered) or org.share < params.cooptation_min_share:
            continue
        if float(np.hypot(*(org.position - regime))) > tolerance:
            continue
        if rate <= 0 or rng.random() >= rate:
            continue
        loyalty = float(world.elites.loyalty[org.leader]) if org.leader >= 0 else 0.0
        if rng.random() < loyalty:
            org.coopted = True
            org.coopted_on = date
            org.registered = True  # sanction includes registration
            org.registered_on = org.registered_on or date
            org.resources += params.cooptation_grant
            events.append(
                Coopted(
                    date=date,
                    actors=(f"org:{org.id}",)
                    + ((f"elite:{org.leader}",) if org.leader >= 0 else ()),
                    organisation=org.id,
                    leader=org.leader,
                    resources=float(org.resources),
                )
            )
    return events
