"""Conversations > Threads: the list, a thread newest last with failures explained, compose."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.sandbox.controls import FaultKind
from leadcartel_desktop.ui.conversations.pane import ConversationsPane
from leadcartel_desktop.ui.conversations.thread_model import BUBBLE_ROLE, Bubble
from leadcartel_desktop.ui.main_window import PANES
from tests.conftest import FixedClock
from tests.integration.send_support import sandbox_app
from tests.integration.thread_support import store_inbound
from tests.ui.conversations_support import ConversationsHarness
from tests.ui.payments_book import WindowHarness

ADA_PHONE = "+6591234567"


def test_the_main_window_shows_the_conversations_pane(qtbot: Any, context: Any) -> None:
    harness = WindowHarness(qtbot, context)
    window = harness.window
    window.show_pane(PANES.index("Conversations"))
    qtbot.waitUntil(harness.tasks.is_idle)
    assert isinstance(window.stack.currentWidget(), ConversationsPane)
    assert window.conversations is window.stack.currentWidget()
    assert not harness.errors
    harness.close()


def test_no_conversations_says_replies_are_pulled_when_online(qtbot: Any, context: Any) -> None:
    harness = ConversationsHarness(qtbot, context)
    harness.show()
    threads = harness.pane.threads
    assert threads.list_stack.currentWidget() is threads.empty
    assert "whenever the app is online" in threads.empty.text_label.text()


def test_a_thread_shows_messages_newest_last_with_a_failed_ones_code_and_hint(
    qtbot: Any, qtmodeltester: Any, home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sandbox") as (context, sandbox, _keys):
        harness = ConversationsHarness(qtbot, context)
        services = context.services
        ada = harness.contact("Ada", ADA_PHONE, "ada@example.com", "Lovelace")
        store_inbound(context, ADA_PHONE, "Is Tuesday fine?", clock.now())
        clock.instant += timedelta(minutes=1)
        services.threads.compose(ada, Channel.SMS, "Tuesday is fine.")
        services.outbox.process_due(clock.now())
        clock.instant += timedelta(minutes=1)
        sandbox.controls("twilio").fail_next(FaultKind.INVALID_NUMBER)
        services.threads.compose(ada, Channel.SMS, "See you then!")
        services.outbox.process_due(clock.now())

        harness.show()
        threads = harness.pane.threads
        qtmodeltester.check(threads.conversations)
        assert threads.conversations.rowCount() == 1
        assert threads.conversations.summary(0).unread == 1
        threads.list_view.setCurrentIndex(threads.conversations.index(0))
        harness.idle()

        model = threads.thread.model
        qtmodeltester.check(model)
        bubbles = [model.index(row).data(BUBBLE_ROLE) for row in range(model.rowCount())]
        assert all(isinstance(bubble, Bubble) for bubble in bubbles)
        assert [b.text for b in bubbles] == [
            "Is Tuesday fine?",
            "Tuesday is fine.",
            "See you then!",
        ]
        assert [b.outgoing for b in bubbles] == [False, True, True]
        assert bubbles[0].meta.endswith("Received") and bubbles[1].meta.endswith("Sent")
        failed = bubbles[2]
        assert failed.failed and failed.meta.startswith("SMS · ")
        assert failed.problem.startswith("Error 21211: ")
        assert "Correct the customer's phone number" in failed.problem
        assert "21211" in str(model.index(2).data(Qt.ItemDataRole.ToolTipRole))
        # Opening the conversation marked the reply read.
        harness.idle()
        assert threads.conversations.summary(0).unread == 0
        # The newest is at the bottom, in view.
        view = threads.thread.view
        assert view.visualRect(model.index(2)).bottom() <= view.viewport().height()


def _open_ada(harness: ConversationsHarness, ada: int) -> None:
    harness.show()
    harness.pane.threads.write_to_contact(ada, "Ada Lovelace")
    harness.idle()


def test_compose_queues_one_outbox_row_however_often_send_is_pressed(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE, last="Lovelace")
    _open_ada(harness, ada)
    compose = harness.pane.threads.thread.compose
    assert compose.current_channel is Channel.SMS
    compose.body.setPlainText("Your order is ready.")
    qtbot.mouseClick(compose.send_button, Qt.MouseButton.LeftButton)
    compose.send()  # a second press while the first runs
    harness.idle()

    queued = harness.services.outbox.in_state(OutboxState.PENDING)
    assert [(m.channel, m.recipient) for m in queued] == [(Channel.SMS, ADA_PHONE)]
    assert compose.body.toPlainText() == ""
    assert harness.pane.threads.conversations.rowCount() == 1
    bodies = [m.body for m in harness.pane.threads.thread.messages]
    assert bodies == ["Your order is ready."]


def test_an_email_without_a_subject_is_refused_naming_the_field(qtbot: Any, context: Any) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", "", "ada@example.com", "Lovelace")
    _open_ada(harness, ada)
    compose = harness.pane.threads.thread.compose
    assert compose.current_channel is Channel.EMAIL  # no phone: SMS is greyed out
    compose.body.setPlainText("Notes from today")
    compose.send()
    harness.idle()
    assert compose.errors.message_for("Subject")
    assert compose.subject.property("invalid") is True
    assert harness.services.outbox.counts().get(OutboxState.PENDING, 0) == 0


def test_channels_the_contact_cannot_receive_are_greyed_with_the_reason(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE, last="Lovelace")
    harness.services.threads.unsubscribe(Channel.SMS, ADA_PHONE, "replied STOP")
    _open_ada(harness, ada)
    compose = harness.pane.threads.thread.compose
    model = compose.channel.model()
    assert isinstance(model, QStandardItemModel)
    items = {compose.channel.itemData(row): model.item(row) for row in range(model.rowCount())}
    assert not items[Channel.SMS].isEnabled()
    assert "opted out" in items[Channel.SMS].toolTip()
    assert not items[Channel.EMAIL].isEnabled()
    assert "no email address" in items[Channel.EMAIL].toolTip()
    assert compose.channel.itemText(compose.channel.findData(Channel.SMS)) == "SMS — opted out"
    assert items[Channel.WHATSAPP].isEnabled()
    assert compose.current_channel is Channel.WHATSAPP


def test_whatsapp_outside_the_window_asks_for_a_template_before_sending(
    qtbot: Any, context: Any, clock: FixedClock
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE, last="Lovelace")
    store_inbound(context, ADA_PHONE, "hello", clock.now() - timedelta(hours=30), Channel.WHATSAPP)
    _open_ada(harness, ada)
    compose = harness.pane.threads.thread.compose
    compose.channel.setCurrentIndex(compose.channel.findData(Channel.WHATSAPP))
    assert compose.whatsapp.isVisibleTo(compose)
    assert "24 hours" in compose.whatsapp.note.text()
    assert not compose.body.isEnabled()
    compose.send()
    harness.idle()
    assert compose.errors.message_for("WhatsApp template")
    compose.whatsapp.template_id.setText("welcome_back")
    compose.whatsapp.variables_edit.setText("1=Ada")
    compose.send()
    harness.idle()
    queued = harness.services.outbox.in_state(OutboxState.PENDING)
    assert [m.channel for m in queued] == [Channel.WHATSAPP]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a" * 160, "160 characters · GSM-7 · 1 part"),
        ("a" * 161, "161 characters · GSM-7 · 2 parts"),
        ("ł" * 70, "70 characters · UCS-2 · 1 part"),
        ("ł" * 71, "71 characters · UCS-2 · 2 parts"),
    ],
)
def test_the_compose_counter_shows_encoding_and_parts(
    qtbot: Any, context: Any, text: str, shown: str
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE, last="Lovelace")
    _open_ada(harness, ada)
    compose = harness.pane.threads.thread.compose
    compose.body.setPlainText(text)
    assert compose.counter.isVisibleTo(compose)
    assert compose.counter.text() == shown


def test_search_filters_the_conversations(qtbot: Any, context: Any, clock: FixedClock) -> None:
    harness = ConversationsHarness(qtbot, context)
    harness.contact("Ada", ADA_PHONE, last="Lovelace")
    harness.contact("Bob", "+6598765432", last="Marley")
    store_inbound(context, ADA_PHONE, "first", clock.now())
    store_inbound(context, "+6598765432", "from bob", clock.now() + timedelta(minutes=1))
    harness.show()
    threads = harness.pane.threads
    assert threads.conversations.rowCount() == 2
    threads.search.setText("marl")
    threads.search.returnPressed.emit()
    assert [threads.conversations.summary(0).name] == ["Bob Marley"]
    assert threads.conversations.rowCount() == 1


def test_a_long_thread_opens_at_its_newest_page_and_pages_older_in_at_the_top(
    qtbot: Any, context: Any, clock: FixedClock
) -> None:
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
    opened = [m.body for m in panel.messages]
    assert opened[-1] == "m29" and len(opened) < 30  # the newest pages only, enough to scroll
    assert not panel.complete
    bar = panel.view.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0

    for _page in range(5):
        if panel.complete:
            break
        shown = len(panel.messages)
        bar.setValue(0)
        harness.idle()
        if len(panel.messages) > shown:  # kept on the message read, the older ones above it
            assert bar.value() > 0
    assert [m.body for m in panel.messages] == [f"m{n}" for n in range(30)]
