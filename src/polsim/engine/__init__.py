"""The engine: calendar, seeded random streams, event log, step loop, recorder."""

from polsim.engine.calendar import Month
from polsim.engine.events import Event, EventLog
from polsim.engine.recorder import Recorder
from polsim.engine.schedule import MONTHLY_MECHANISMS, Mechanism
from polsim.engine.simulation import Simulation, build_world
from polsim.engine.streams import RandomStreams

__all__ = [
    "MONTHLY_MECHANISMS",
    "Event",
    "EventLog",
    "Mechanism",
    "Month",
    "RandomStreams",
    "Recorder",
    "Simulation",
    "build_world",
]
