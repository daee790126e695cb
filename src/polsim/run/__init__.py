"""Running a simulation: the schedule, the step loop and the recorder.

The only room that knows every mechanism: it imports them (so that they register)
and calls them month by month in the schedule's order.
"""

from polsim.run.recorder import Recorder
from polsim.run.schedule import MONTHLY_MECHANISMS
from polsim.run.simulation import Simulation, build_world

__all__ = ["MONTHLY_MECHANISMS", "Recorder", "Simulation", "build_world"]
