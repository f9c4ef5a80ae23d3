"""The thread panel's "Mark as unsubscribed from email" / "Resubscribe to email" action."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel

from leadcartel_desktop.domain.campaigns import LeftOutReason
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.ui.conversations.thread_panel import RESUBSCRIBE, UNSUBSCRIBE
from tests.conftest import FixedClock
from tests.integration.send_support import sandbox_app
from tests.integration.thread_support import store_inbound
from tests.ui.conversations_support import ConversationsHarness, answer_confirm

ADA_EMAIL = "Ada.Lovelace@Example.com"


def _open(harness: ConversationsHarness, contact_id: int) -> None:
    harness.show()
    harness.pane.threads.write_to_contact(contact_id, "Ada Lovelace")
    harness.idle()


def _email_item_enabled(harness: ConversationsHarness) -> bool:
    compose = harness.pane.threads.thread.compose
    model = compose.channel.model()
    assert isinstance(model, QStandardItemModel)
    return model.item(compose.channel.findData(Channel.EMAIL)).isEnabled()


def test_marking_unsubscribed_puts_the_address_on_the_register_checked_at_send_time(
    qtbot: Any, home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sandbox") as (context, sandbox, _keys):
        harness = ConversationsHarness(qtbot, context)
        services = context.services
        ada = harness.contact("Ada", "", ADA_EMAIL, "Lovelace")
        # Queued while offline, before the person asked (by phone) to get no more email.
        services.threads.compose(ada, Channel.EMAIL, "Your order shipped.", "Order")
        _open(harness, ada)
        panel = harness.pane.threads.thread
        assert panel.email_action.isVisible()
        assert panel.email_action.text() == UNSUBSCRIBE
        assert not panel.email_state.isVisible()
        assert _email_item_enabled(harness)

        qtbot.mouseClick(panel.email_action, Qt.MouseButton.LeftButton)
        harness.idle()

        assert services.threads.is_opted_out(Channel.EMAIL, ADA_EMAIL)
        assert panel.email_action.text() == RESUBSCRIBE
        assert panel.email_state.isVisible()
        assert panel.email_state.text() == "Unsubscribed from email"
        assert not _email_item_enabled(harness)  # the compose box says so too
        services.outbox.process_due(clock.now())
        assert sandbox.received("smtp") == []  # the queued one was not sent
        assert services.outbox.in_state(OutboxState.SENT) == []
        # The register, which campaigns read too, not the contact's do-not-contact switch.
        audience = services.campaigns.audience(Channel.EMAIL, contact_ids=[ada])
        assert [left.reason for left in audience.left_out] == [LeftOutReason.OPTED_OUT]
        assert services.contact_tags.reach(ada).do_not_contact == frozenset()


def test_resubscribing_asks_first_then_takes_the_address_off_the_register(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", "", ADA_EMAIL, "Lovelace")
    harness.services.threads.unsubscribe(Channel.EMAIL, ADA_EMAIL, "asked by phone")
    _open(harness, ada)
    panel = harness.pane.threads.thread
    assert panel.email_action.text() == RESUBSCRIBE
    assert panel.email_state.isVisible()

    panel.email_action.click()
    answer_confirm(qtbot)
    harness.idle()

    assert not harness.services.threads.is_opted_out(Channel.EMAIL, ADA_EMAIL)
    assert panel.email_action.text() == UNSUBSCRIBE
    assert not panel.email_state.isVisible()
    assert _email_item_enabled(harness)


def test_an_unmatched_email_sender_can_be_unsubscribed_and_a_contact_without_email_cannot(
    qtbot: Any, context: Any, clock: FixedClock
) -> None:
    harness = ConversationsHarness(qtbot, context)
    store_inbound(context, "stranger@example.com", "remove me", clock.now(), Channel.EMAIL)
    harness.show()
    threads = harness.pane.threads
    threads.list_view.setCurrentIndex(threads.conversations.index(0))
    harness.idle()
    panel = threads.thread
    assert panel.email_action.isVisible()
    panel.email_action.click()
    harness.idle()
    assert harness.services.threads.is_opted_out(Channel.EMAIL, "stranger@example.com")
    assert panel.email_action.text() == RESUBSCRIBE

    phone_only = harness.contact("Bea", "+6591234567", "", "B")
    threads.write_to_contact(phone_only, "Bea B")
    harness.idle()
    assert not panel.email_action.isVisible()
    assert not panel.email_state.isVisible()
