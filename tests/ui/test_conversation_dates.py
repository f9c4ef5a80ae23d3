"""Conversations write dates as the business's locale does, once the pane has read it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from leadcartel_desktop.ui.conversations import texts


@pytest.fixture
def restored() -> Iterator[None]:
    yield
    texts.use_locale("en_US")


def test_full_time_follows_the_locale(restored: None) -> None:
    at = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    assert texts.full_time(at).startswith("Mar 9, 2026")
    texts.use_locale("fr_FR")
    assert texts.full_time(at).startswith("9 mars 2026")


def test_the_pane_reads_the_business_locale(qtbot: Any, context: Any, restored: None) -> None:
    from tests.ui.conversations_support import ConversationsHarness

    settings = context.services.settings
    settings.save_business(replace(settings.business(), company_name="Acme", locale="en_GB"))
    harness = ConversationsHarness(qtbot, context)
    harness.show()
    harness.idle()
    at = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    assert texts.full_time(at).startswith("9 Mar 2026")
