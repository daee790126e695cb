"""The ground floor every room may use: calendar, seeded random streams, event log,
the mechanism registry, threads, portable math and memory settings."""

from polsim.engine.calendar import Month
from polsim.engine.events import Event, EventLog
from polsim.engine.mechanisms import Mechanism, register_mechanism
from polsim.engine.streams import RandomStreams

__all__ = ["Event", "EventLog", "Mechanism", "Month", "RandomStreams", "register_mechanism"]
