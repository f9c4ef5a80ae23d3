"""New Campaign on a channel without a provider: the Message tab says so before anything is
queued, the question says the messages will wait in the outbox, and so does the status line.

With a provider, none of it is said, and the first message's time is in the business's zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.outbox_view import BusinessTime
from leadcartel_desktop.ui.conversations import texts
from leadcartel_desktop.ui.conversations.campaign_dialog import NewCampaignDialog
from tests.conftest import FixedClock
from tests.integration.campaign_support import save_business
from tests.integration.send_support import gc_on_main_thread, sandbox_app
from tests.ui.conversations_support import ConversationsHarness, answer_confirm
from tests.ui.test_conversations_campaigns import _open_dialog

NO_SMS = "No provider is set for SMS: choose one in Settings > Providers"
WAITS = "Until then the messages wait in the outbox: nothing is sent."


@pytest.fixture(autouse=True)
def restored() -> Iterator[None]:
    yield
    texts.use_business(BusinessTime())


def _question() -> QMessageBox:
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible()]  # fmt: skip
    assert len(boxes) == 1, boxes
    return boxes[0]


def _ready(qtbot: Any, harness: ConversationsHarness) -> NewCampaignDialog:
    ada = harness.contact("Ada", "+6591234567", "ada@example.com", last="Lovelace")
    dialog = _open_dialog(qtbot, harness)
    dialog.audience.add_contact(ada, "Ada Lovelace")
    dialog.audience.recount()
    harness.idle()
    dialog.name.setText("Winter promo")
    dialog.message.body.setPlainText("Hi {first_name}, our winter sale starts today!")
    return dialog


def test_no_provider_is_said_on_the_message_tab_in_the_question_and_after(
    qtbot: Any, context: Any
) -> None:
    save_business(context.services)  # a new book: no provider is set for any channel
    harness = ConversationsHarness(qtbot, context)
    dialog = _ready(qtbot, harness)
    note = dialog.message.provider_note
    dialog.tabs.setCurrentWidget(dialog.message)
    assert note.isVisible()
    assert note.text() == f"{NO_SMS}. {WAITS}"
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.EMAIL))
    assert note.text().startswith("No provider is set for email: choose one in Settings")
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.SMS))

    dialog.ask_launch()
    question = _question()
    assert question.text().startswith("Send 'Winter promo' by SMS to 1 contact now?")
    assert question.text().endswith(f"\n\n{NO_SMS}. {WAITS}")
    assert question.icon() is QMessageBox.Icon.Warning
    with qtbot.waitSignal(dialog.launched, timeout=10_000) as launched:
        answer_confirm(qtbot)
    harness.idle()

    said = str(launched.args[1])
    assert said == (
        "Campaign 'Winter promo': 1 message queued, 0 left out; "
        "they wait until SMS is set up in Settings > Providers."
    )
    (row,) = harness.services.outbox.in_state(OutboxState.PENDING)  # queued, waiting
    assert row.channel is Channel.SMS


def test_with_a_provider_nothing_is_said_and_the_first_goes_in_the_business_zone(
    qtbot: Any, home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with gc_on_main_thread(), sandbox_app(home, clock, tmp_path / "sb") as (app, *_):
        settings = app.services.settings
        settings.save_business(
            replace(settings.business(), time_zone="Europe/Paris", locale="en_GB")
        )
        harness = ConversationsHarness(qtbot, app)
        dialog = _ready(qtbot, harness)
        dialog.tabs.setCurrentWidget(dialog.message)
        assert not dialog.message.provider_note.isVisible()

        dialog.ask_launch()
        assert "outbox" not in _question().text()
        with qtbot.waitSignal(dialog.launched, timeout=10_000) as launched:
            answer_confirm(qtbot)
        harness.idle()

    # The fixed clock's 2026-03-10 12:00 UTC is 13:00 in Paris, as the Schedule tab speaks.
    assert str(launched.args[1]) == (
        "Campaign 'Winter promo': 1 message queued, 0 left out; "
        "the first goes 10 Mar 2026 13:00 (Europe/Paris)."
    )
