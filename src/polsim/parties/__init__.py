"""Organisations: founding, adaptation, splits, mergers, death, co-optation, lineage.

MODEL.md §2. The table is :mod:`polsim.parties.organisations`; each mechanism is a
function ``(world, rng, date) -> list[Event]`` in its own module, registered in
:mod:`polsim.engine.schedule`. This package imports nothing at load time, so that
``polsim.world`` can hold an organisation table without a circular import.
"""
