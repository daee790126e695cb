"""Organisations: founding, adaptation, splits, mergers, death, co-optation, lineage.

docs/model.md §2. The table is :mod:`polsim.world.organisations`; each mechanism is a
function in its own module that registers itself (:mod:`polsim.engine.mechanisms`)
and is called by :mod:`polsim.run`. This package imports nothing at load time.
"""
