"""The state: president, apparat and patronage, legislatures, civil peace, institutions."""

from polsim.state.institutions import apply_institution_changes, initial_institutions

__all__ = ["apply_institution_changes", "initial_institutions"]
