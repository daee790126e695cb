"""The caps a scenario must respect: what the loader reads and what the schema accepts.

Every bound is a named constant here, in one place, so that ``polsim validate``, the
CLI's ``run`` and the dashboard's upload refuse the same files. The caps are far above
any real polity (the built-in Kazakhstan has 19 oblasts, 26 organisations, 360 seats)
and far below what would exhaust memory or time. docs/scenarios.md lists them.
"""

from __future__ import annotations

__all__ = [
    "MAX_CANDIDATES",
    "MAX_ELITES",
    "MAX_FILE_BYTES",
    "MAX_INTEGER_DIGITS",
    "MAX_ITEMS",
    "MAX_NAME_LENGTH",
    "MAX_SEATS",
    "MAX_TEXT_LENGTH",
    "MAX_VOTERS",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
]

# --------------------------------------------------------------------------- the file

#: Largest scenario file read, in bytes (the built-in Kazakhstan is about 32 kB).
MAX_FILE_BYTES = 5_000_000

#: Deepest nesting of YAML mappings and lists (the built-ins nest 5 deep).
MAX_YAML_DEPTH = 64

#: Most YAML values a file may stand for once its aliases are expanded (a "billion
#: laughs" file of a few lines expands to 10**9); the built-in Kazakhstan has about 4,000.
MAX_YAML_NODES = 200_000

#: Most digits of an integer written in a scenario file (no field allows more than 19).
MAX_INTEGER_DIGITS = 30

# --------------------------------------------------------------------------- the schema

#: Longest name (of a scenario, oblast, group, organisation, election, body), characters.
MAX_NAME_LENGTH = 200

#: Longest text (a title, description, source or note), in characters.
MAX_TEXT_LENGTH = 20_000

#: Most entries of any list or table (oblasts, groups, organisations, elections, an
#: institution's changes, an economic index).
MAX_ITEMS = 1_000

#: Most seats of one election (and its district, list and reserved seats); the largest
#: real assemblies have about 3,000.
MAX_SEATS = 10_000

#: Most candidates of a list or of a district's registration filter.
MAX_CANDIDATES = 10_000

#: Most elites in the pool (and posts in the president's gift).
MAX_ELITES = 100_000

#: Most synthetic voters a scenario may ask for by default (``default_voters``).
MAX_VOTERS = 100_000_000
