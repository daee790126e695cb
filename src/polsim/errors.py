"""The one exception hierarchy of polsim.

Every error a user can cause derives from :class:`PolsimError`; the CLI turns these into
one line and exit status 2. All of them derive from :class:`Exception`, never
``BaseException``.
"""

from __future__ import annotations

__all__ = ["OutputError", "PolsimError", "ScenarioError", "UserInputError"]


class PolsimError(Exception):
    """Base class of every error polsim raises on purpose."""


class ScenarioError(PolsimError, ValueError):
    """A scenario is unknown, unreadable or breaks the schema."""


class UserInputError(PolsimError, ValueError):
    """A flag, argument or value given by the user is out of its allowed range."""


class OutputError(PolsimError, OSError):
    """An output location cannot be written, or would overwrite earlier results."""
