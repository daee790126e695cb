"""The order in which the step loop calls the mechanisms each month.

The order is data: each mechanism registers itself with its phase and its order
within the phase (:mod:`polsim.engine.mechanisms`); importing the mechanism modules
here registers them, and :data:`MONTHLY_MECHANISMS` is the registry in month order.

DESIGN.md fixes the phases: the scenario's dated institutional changes first, then
society → parties → state → elections → recorder. Within society: hardship, then
grievance (which reads hardship), then opinion, then mobilisation (which reads
grievance), then the monthly aggregates.

Within parties (docs/model.md §2): historical entries and exits (history: pinned) first, so
that the month's support counts them; then support (choice, fitness, misery,
attachment), which every later party mechanism reads; then adaptation (moves by
Laver's rules, using the support just counted); founding (births where misery
clusters, movements' spawns); splits; mergers; co-optation; registration; and last
death, which reads the fitness of this month. Within state: patronage, the president,
the legislatures, civil peace. Each mechanism draws from its own named random stream,
so reordering or adding one never changes another's draws.
"""

from __future__ import annotations

# Imported for their registration; the names themselves are not used here.
import polsim.elections.hold
import polsim.parties.adaptation
import polsim.parties.cooptation
import polsim.parties.death
import polsim.parties.founding
import polsim.parties.history
import polsim.parties.mergers
import polsim.parties.registration
import polsim.parties.splits
import polsim.parties.support
import polsim.society.aggregates
import polsim.society.grievance
import polsim.society.hardship
import polsim.society.mobilisation
import polsim.society.opinion
import polsim.state.civil_peace
import polsim.state.institutions
import polsim.state.legislatures
import polsim.state.patronage
import polsim.state.president  # noqa: F401
from polsim.engine.mechanisms import Mechanism, registered_mechanisms

__all__ = ["MONTHLY_MECHANISMS", "Mechanism"]

#: Every monthly mechanism, in the order the step loop calls them.
MONTHLY_MECHANISMS: tuple[Mechanism, ...] = registered_mechanisms()
