"""The race families: one module per family of electoral formulas (docs/model.md §4.3.6).

Each module registers the formulas it holds with
:func:`polsim.elections.registry.register`; :mod:`polsim.elections.hold` imports every
module here, so a new family is one new module in this folder.
"""
