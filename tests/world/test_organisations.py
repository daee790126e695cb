"""The organisation table: ids fit the voters' organisation codes."""

import numpy as np
import pytest

from polsim.world.organisations import Organisations
from polsim.world.voters import MAX_ORGANISATIONS, ORGANISATION_CODE


def test_choice_column_uses_the_voters_organisation_code():
    assert Organisations(3).choice.dtype == ORGANISATION_CODE == np.int16


def test_no_organisation_id_beyond_the_int16_codes():
    table = Organisations(3)
    table.records = [None] * MAX_ORGANISATIONS  # type: ignore[list-item]
    with pytest.raises(RuntimeError, match="at most 32767 organisations"):
        table.add(name="one too many")
