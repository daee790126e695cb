"""The run's timeline in words."""

import json

import pandas as pd

from polsim.output.timeline import key_events


def _events(rows):
    return pd.DataFrame(
        {
            "date": [d for d, _, _ in rows],
            "type": [t for _, t, _ in rows],
            "details": [json.dumps(x) for _, _, x in rows],
        }
    )


def test_frequent_events_are_summarised_and_rare_ones_told():
    """Dissolutions of soviets are counted by month and level; the national one is told."""
    events = _events(
        [
            ("1993-10", "CampaignStarted", {}),
            (
                "1993-11",
                "BodyDissolved",
                {"level": "local", "body": "a", "how": "vote", "resigned": 5},
            ),
            (
                "1993-11",
                "BodyDissolved",
                {"level": "local", "body": "b", "how": "vote", "resigned": 5},
            ),
            (
                "1993-11",
                "BodyDissolved",
                {"level": "oblast", "body": "c", "how": "vote", "resigned": 5},
            ),
            (
                "1993-12",
                "BodyDissolved",
                {"level": "national", "body": "supreme-soviet", "how": "vote", "resigned": 40},
            ),
            (
                "1993-12",
                "ElectionCalled",
                {"election": "x", "held_on": "1994-03", "reason": "self-dissolution"},
            ),
            ("1992-05", "PartySplit", {}),
            ("1992-07", "PartySplit", {}),
        ]
    )
    lines = key_events(events)
    assert lines[0].startswith("1992") and "2 split" in lines[0]
    assert "1993-10  the president starts pressing" in lines[1]
    assert "soviets dissolve themselves: 2 local, 1 oblast" in lines[2]
    assert "supreme-soviet dissolves itself (vote) after 40 deputies" in lines[3]
    assert "x called for 1994-03" in lines[4]


def test_limit_caps_the_lines():
    """At most ``limit`` lines are returned."""
    events = _events([(f"1990-{m:02d}", "PowerTransferred", {"reason": "r"}) for m in range(1, 13)])
    assert len(key_events(events, limit=5)) == 5
