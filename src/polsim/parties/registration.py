"""Registration: the authorities may refuse organisations beyond the regime's tolerance.

Each month every alive, unregistered organisation that is not waiting out a refusal
applies. One within ``registration_tolerance`` of the regime's position p_R is
registered; one farther away is refused with probability ``refusal_probability``
(and registered otherwise). A refused organisation may apply again after
``reapply_months``. While unregistered, an organisation costs its supporters
``unregistered_penalty`` (b_unreg) of utility (the risk and inconvenience of backing
an unregistered group), cannot be co-opted, and (for the elections) cannot nominate.
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event, RegistrationRefused
from polsim.engine.mechanisms import register_mechanism
from polsim.scenario.schema import PartyParameters
from polsim.world.polity import World

__all__ = ["register_organisations"]


@register_mechanism("parties.registration", phase="parties", order=80, reads="parties")
def register_organisations(
    world: World, params: PartyParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Decide this month's applications for registration."""
    regime = np.array(params.regime_position, dtype=np.float64)
    events: list[Event] = []
    for org in world.organisations.alive():
        if org.registered:
            continue
        if org.refused_on is not None and date - org.refused_on < params.reapply_months:
            continue
        distance = float(np.hypot(*(org.position - regime)))
        # Under a free association law (a counterfactual) nobody is refused.
        beyond = (
            distance > params.registration_tolerance
            and not world.scenario.counterfactuals.free_association
        )
        if beyond and params.refusal_probability > 0 and rng.random() < params.refusal_probability:
            org.refused_on = date
            org.refusals += 1
            events.append(
                RegistrationRefused(
                    date=date, actors=(f"org:{org.id}",), organisation=org.id, distance=distance
                )
            )
            continue
        org.registered = True
        org.registered_on = date
    return events
