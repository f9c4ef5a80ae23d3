"""A Twilio list page in an unexpected shape lists nothing odd (the pull goes on)."""

from __future__ import annotations

from typing import Any

import pytest

from leadcartel_desktop.providers.twilio_inbound import listed


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ({}, []),
        ({"messages": None}, []),
        ({"messages": {"a": 1}}, []),
        ({"messages": ["oops", None, 3]}, []),
        ({"messages": [{"sid": "SM1"}, "oops"]}, [{"sid": "SM1"}]),
    ],
)
def test_only_message_objects_are_listed(page: dict[str, Any], expected: list[Any]) -> None:
    assert listed(page) == expected
