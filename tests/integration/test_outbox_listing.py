"""The outbox list names who each message is for and what it belongs to."""

from __future__ import annotations

from typing import Any

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.outbox_view import OutboxFilter
from tests.integration.campaign_support import add_contact, save_business, text_draft


def test_a_campaign_message_names_its_contact_and_campaign(services: Any) -> None:
    save_business(services)
    ann = add_contact(services, "Ann", "+6591234561", last="Lee")
    campaign_id = services.campaigns.save_draft(text_draft((ann,), name="Spring sale"))
    services.campaigns.launch(campaign_id)
    services.outbox.enqueue(Channel.SMS, "+6591234599", {"body": "To nobody we know"})

    stranger, campaign = services.outbox.listing(OutboxFilter.ALL)  # newest first
    assert (campaign.contact_name, campaign.campaign_name) == ("Ann Lee", "Spring sale")
    assert campaign.recipient == "+6591234561"
    assert (stranger.contact_name, stranger.campaign_name) == ("", "")


def test_a_thread_message_names_its_contact(services: Any) -> None:
    save_business(services)
    bo = add_contact(services, "Bo", email="bo@example.com", company="Bo's Bakes")
    services.threads.compose(bo, Channel.EMAIL, "Your order is ready.", subject="Order")
    (row,) = services.outbox.listing(OutboxFilter.ALL)
    assert (row.contact_name, row.recipient) == ("Bo", "bo@example.com")
