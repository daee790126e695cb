"""``python -m polsim`` runs the command line."""

from polsim.cli import entry_point

entry_point()
