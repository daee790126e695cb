import json

from polsim.engine.calendar import Month
from polsim.engine.events import EventLog, InstitutionChanged, event_types


def test_log_keeps_order_and_serialises_details():
    """Events keep the order recorded; details become sorted JSON without date/actors."""
    log = EventLog()
    e1 = InstitutionChanged(
        date=Month(1990, 4), actors=("institution:x",), institution="x", old="True", new="False"
    )
    log.record([e1])
    log.record([])
    cols = log.to_columns()
    assert cols["seq"] == [0]
    assert cols["type"] == ["InstitutionChanged"]
    assert json.loads(cols["details"][0]) == {"institution": "x", "old": "True", "new": "False"}
    assert log.of_kind("InstitutionChanged") == [e1]


def test_every_event_type_is_named_after_its_class():
    """The catalogue maps each type name to its class, and the class knows its name."""
    for name, cls in event_types().items():
        assert cls.kind == name == cls.__name__
