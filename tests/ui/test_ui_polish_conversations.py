"""Conversations: a reply goes the way the thread last went; the campaign detail explains itself."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtGui import QStandardItemModel

from leadcartel_desktop.domain.campaigns import AudienceSpec, CampaignStatus
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.ui.conversations.compose import ComposeBox
from tests.integration.campaign_support import text_draft
from tests.ui.conversations_support import ConversationsHarness

ADA_PHONE = "+6591234567"
ADA_EMAIL = "ada@example.com"
CHOOSE = "Choose a campaign to see each recipient's status."
DRAFT_NOTE = "Its recipients are listed here once the campaign is sent or scheduled."


def open_thread(harness: ConversationsHarness, contact_id: int) -> ComposeBox:
    """Show the pane and pick the contact's conversation in the list, as the operator does."""
    harness.show()
    threads = harness.pane.threads
    assert threads.conversations.rowCount() == 1
    assert threads.open_contact(contact_id)
    harness.idle()
    compose = threads.thread.compose
    assert compose.isVisible()
    return compose


def offered(compose: ComposeBox) -> dict[Channel, bool]:
    model = compose.channel.model()
    assert isinstance(model, QStandardItemModel)
    return {
        Channel(compose.channel.itemData(row)): model.item(row).isEnabled()
        for row in range(compose.channel.count())
    }


def test_a_thread_last_written_by_email_opens_with_email_chosen(qtbot: Any, context: Any) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE, ADA_EMAIL, "Lovelace")
    threads = harness.services.threads
    threads.compose(ada, Channel.SMS, "Your order is ready.")
    threads.compose(ada, Channel.EMAIL, "The invoice is attached.", subject="Invoice")
    assert threads.thread(ada, 10)[-1].channel is Channel.EMAIL

    compose = open_thread(harness, ada)
    # SMS comes first in the box and could be used; the conversation's last channel wins.
    channels = offered(compose)
    assert next(iter(channels)) is not Channel.EMAIL
    assert channels[Channel.SMS] and channels[Channel.EMAIL]
    assert compose.current_channel is Channel.EMAIL
    assert compose.channel.currentData() == Channel.EMAIL
    assert compose.subject.isVisible()  # the email's subject line is offered with it


def test_without_an_email_address_the_first_usable_channel_is_chosen(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE, ADA_EMAIL, "Lovelace")
    services = harness.services
    services.threads.compose(ada, Channel.SMS, "Your order is ready.")
    services.threads.compose(ada, Channel.EMAIL, "The invoice is attached.", subject="Invoice")
    contact = services.contacts.get(ada)
    services.contacts.update(replace(contact, email=""))  # the address was removed since

    compose = open_thread(harness, ada)
    channels = offered(compose)
    assert not channels[Channel.EMAIL]
    first_usable = next(channel for channel, usable in channels.items() if usable)
    assert compose.current_channel is first_usable is Channel.SMS


def test_a_thread_last_written_by_sms_keeps_sms(qtbot: Any, context: Any) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE, ADA_EMAIL, "Lovelace")
    services = harness.services
    services.threads.compose(ada, Channel.EMAIL, "The invoice is attached.", subject="Invoice")
    services.threads.compose(ada, Channel.SMS, "Did it arrive?")
    compose = open_thread(harness, ada)
    assert compose.current_channel is Channel.SMS


# Campaign detail -----------------------------------------------------------------------------
def show_campaigns(harness: ConversationsHarness) -> Any:
    harness.show()
    tab = harness.pane.campaigns
    harness.pane.tabs.setCurrentWidget(tab)
    harness.idle()
    return tab


def test_the_detail_says_to_choose_a_campaign_until_one_is_chosen(qtbot: Any, context: Any) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE)
    harness.services.campaigns.save_draft(text_draft(audience=AudienceSpec(contact_ids=(ada,))))
    tab = show_campaigns(harness)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    detail = tab.detail
    assert tab.stack.currentWidget() is tab.splitter
    assert detail.campaign_id is None
    assert detail.facts.isVisible()
    assert detail.facts.text() == CHOOSE
    assert detail.title.text() == ""
    assert detail.recipients.rowCount() == 0


def test_a_draft_says_its_recipients_come_once_it_is_sent_or_scheduled(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE)
    campaigns = harness.services.campaigns
    campaigns.save_draft(text_draft(audience=AudienceSpec(contact_ids=(ada,)), name="Draft one"))
    tab = show_campaigns(harness)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    tab.table.selectRow(0)
    harness.idle()
    detail = tab.detail
    assert detail.state is not None and detail.state.status is CampaignStatus.DRAFT
    assert detail.recipients.rowCount() == 0
    assert detail.facts.text().endswith(DRAFT_NOTE)
    assert detail.facts.text() != DRAFT_NOTE  # added to the draft's facts, not instead of them


def test_a_launched_campaign_lists_recipients_without_the_draft_note(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", ADA_PHONE)
    campaigns = harness.services.campaigns
    campaign_id = campaigns.save_draft(text_draft(audience=AudienceSpec(contact_ids=(ada,))))
    campaigns.launch(campaign_id)
    tab = show_campaigns(harness)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    tab.table.selectRow(0)
    harness.idle()
    detail = tab.detail
    assert detail.state is not None and detail.state.status is not CampaignStatus.DRAFT
    assert detail.recipients.rowCount() == 1
    assert DRAFT_NOTE not in detail.facts.text()
    assert detail.facts.text() != CHOOSE
