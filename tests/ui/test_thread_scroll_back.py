"""Reading back in a long thread: new replies do not pull the operator down to the newest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import FixedClock
from tests.integration.thread_support import store_inbound
from tests.ui.conversations_support import ConversationsHarness

ADA_PHONE = "+6591234567"


def paged_back(qtbot: Any, context: Any, clock: FixedClock) -> tuple[ConversationsHarness, Any]:
    """Ada's thread of 30 replies, all paged in, read a third of the way down."""
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE, last="Lovelace")
    for n in range(30):
        store_inbound(context, ADA_PHONE, f"m{n}", clock.now() + timedelta(seconds=n))
    harness.pane.resize(900, 500)
    harness.show()
    panel = harness.pane.threads.thread
    panel.page_size = 10
    harness.pane.threads.write_to_contact(ada, "Ada Lovelace")
    harness.idle()
    bar = panel.view.verticalScrollBar()
    for _ in range(6):
        if panel.complete:
            break
        bar.setValue(0)
        harness.idle()
    assert len(panel.messages) == 30
    bar.setValue(bar.maximum() // 3)
    assert not panel.at_newest
    return harness, panel


def test_check_for_replies_while_reading_back_keeps_the_place(
    qtbot: Any, context: Any, clock: FixedClock
) -> None:
    harness, panel = paged_back(qtbot, context, clock)
    store_inbound(context, ADA_PHONE, "arrived", clock.now() + timedelta(minutes=5))
    first_shown = panel.messages[0].body
    harness.pane.threads.pull()  # the "Check for replies" button
    harness.idle()
    assert panel.messages[0].body == first_shown
    assert not panel.at_newest


def test_the_periodic_refresh_keeps_the_place_then_shows_the_reply_at_the_bottom(
    qtbot: Any, context: Any, clock: FixedClock
) -> None:
    harness, panel = paged_back(qtbot, context, clock)
    store_inbound(context, ADA_PHONE, "arrived", clock.now() + timedelta(minutes=5))
    bar = panel.view.verticalScrollBar()
    value = bar.value()
    harness.pane.threads._tick()
    harness.idle()
    assert len(panel.messages) == 30
    assert bar.value() == value
    bar.setValue(bar.maximum())  # back at the bottom: the next refresh shows it, once
    harness.pane.threads._tick()
    harness.idle()
    bodies = [message.body for message in panel.messages]
    assert bodies[-1] == "arrived" and bodies.count("arrived") == 1
