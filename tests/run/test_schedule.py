"""The schedule built from the mechanism registry."""

from __future__ import annotations

from polsim.engine.mechanisms import PHASES
from polsim.run.schedule import MONTHLY_MECHANISMS

#: The month's order before mechanisms registered themselves (issue 14). The random
#: streams are named after the mechanisms, so names and order fix the outputs.
ORDER_BEFORE_THE_REGISTRY = (
    "state.institutions",
    "society.hardship",
    "society.grievance",
    "society.opinion",
    "society.mobilisation",
    "society.aggregates",
    "parties.history",
    "parties.support",
    "parties.adaptation",
    "parties.founding",
    "parties.splits",
    "parties.mergers",
    "parties.cooptation",
    "parties.registration",
    "parties.death",
    "state.patronage",
    "state.president",
    "state.legislatures",
    "state.civil_peace",
    "elections.hold",
)


def test_schedule_keeps_the_order_and_names_of_the_mechanisms():
    """The registry yields exactly the mechanisms, names and order of the old schedule."""
    assert tuple(m.name for m in MONTHLY_MECHANISMS) == ORDER_BEFORE_THE_REGISTRY


def test_phases_run_in_the_documented_order():
    """Rules, then society, parties, state and elections, never going back a phase."""
    phases = [PHASES.index(m.phase) for m in MONTHLY_MECHANISMS]
    assert phases == sorted(phases)
    assert [PHASES[p] for p in dict.fromkeys(phases)] == list(PHASES)


def test_each_mechanism_lives_in_the_room_it_is_named_after():
    """A mechanism named ``room.x`` is defined in ``polsim.room``."""
    for mechanism in MONTHLY_MECHANISMS:
        room = mechanism.name.split(".")[0]
        assert mechanism.step.__module__.startswith(f"polsim.{room}."), mechanism.name


def test_every_declared_section_exists_in_the_scenario(kazakhstan):
    """Each mechanism's declared section is found in a real scenario."""
    for mechanism in MONTHLY_MECHANISMS:
        if mechanism.reads is not None:
            assert mechanism.params(kazakhstan) is not None, mechanism.name
