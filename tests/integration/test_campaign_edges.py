"""Campaigns at their edges: shared numbers, WhatsApp's window at send time."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.campaigns import TEXT_LIMIT, CampaignStatus, LeftOutReason
from leadcartel_desktop.domain.errors import ConflictError, ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.outbox import OutboxService
from tests.conftest import FixedClock
from tests.integration.campaign_support import add_contact, save_business, text_draft
from tests.integration.outbox_support import FakeProvider, outbox_for
from tests.integration.thread_support import store_inbound

TEMPLATE = "HX" + "0" * 32
PHONE = "+6591234561"


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def outbox(context: Any, clock: FixedClock, provider: FakeProvider) -> OutboxService:
    return outbox_for(context, clock, provider, rng=random.Random(5))


def test_a_shared_number_left_out_for_one_contact_still_reaches_the_other(services: Any) -> None:
    nameless = add_contact(services, "", PHONE, company="Acme")  # {first_name} would be empty
    bob = add_contact(services, "Bob", PHONE)
    audience = services.campaigns.audience(
        Channel.WHATSAPP,
        contact_ids=(nameless, bob),
        whatsapp_template_id=TEMPLATE,
        whatsapp_variables={"1": "{first_name}"},
    )
    assert audience.included == [bob]
    assert [row.reason for row in audience.left_out] == [LeftOutReason.EMPTY_VARIABLE]


def test_whatsapp_free_text_due_after_the_window_closed_is_not_sent(
    context: Any, services: Any, clock: FixedClock, outbox: OutboxService, provider: FakeProvider
) -> None:
    save_business(services)
    ann = add_contact(services, "Ann", PHONE)
    store_inbound(context, PHONE, "Hello!", clock.now() - timedelta(hours=1), Channel.WHATSAPP)
    draft = text_draft((ann,), channel=Channel.WHATSAPP)
    campaign_id = services.campaigns.save_draft(draft)
    services.campaigns.launch(campaign_id)
    services.campaigns.pause(campaign_id)
    clock.instant += timedelta(days=1)  # the window closes while the campaign is paused
    services.campaigns.resume(campaign_id)
    assert outbox.process_due(clock.now()) == 0
    assert provider.received == []
    (status,) = services.campaigns.recipients(campaign_id)
    assert status.state is OutboxState.CANCELLED
    assert "24 hours" in status.error


def test_a_campaign_that_has_sent_everything_cannot_be_paused_or_cancelled(
    services: Any, clock: FixedClock, outbox: OutboxService
) -> None:
    ann = add_contact(services, "Ann", PHONE)
    campaign_id = services.campaigns.save_draft(text_draft((ann,)))
    services.campaigns.launch(campaign_id)
    assert outbox.process_due(clock.now()) == 1
    assert services.campaigns.status(campaign_id) is CampaignStatus.DONE
    with pytest.raises(ConflictError, match="done"):
        services.campaigns.pause(campaign_id)
    with pytest.raises(ConflictError, match="done"):
        services.campaigns.cancel(campaign_id)
    assert services.campaigns.status(campaign_id) is CampaignStatus.DONE


def test_compose_refuses_a_text_too_long_to_send_and_a_subject_on_two_lines(
    services: Any,
) -> None:
    ann = add_contact(services, "Ann", PHONE, "ann@example.com")
    services.threads.compose(ann, Channel.SMS, "a" * TEXT_LIMIT)
    with pytest.raises(ValidationError, match="Message"):
        services.threads.compose(ann, Channel.SMS, "a" * (TEXT_LIMIT + 1))
    with pytest.raises(ValidationError, match="Subject"):
        services.threads.compose(ann, Channel.EMAIL, "Hi", subject="Hello\nBcc: x@evil.example")
    assert len(services.threads.thread(ann)) == 1


def test_a_whatsapp_campaign_scheduled_after_the_window_closes_leaves_the_contact_out(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", PHONE)
    store_inbound(context, PHONE, "Hello!", clock.now() - timedelta(hours=1), Channel.WHATSAPP)
    campaign_id = services.campaigns.save_draft(text_draft((ann,), channel=Channel.WHATSAPP))
    with pytest.raises(ValidationError, match="1 left out"):
        services.campaigns.launch(campaign_id, clock.now() + timedelta(hours=23, minutes=1))
    assert services.campaigns.launch(campaign_id, clock.now() + timedelta(hours=22)).queued == 1


def test_an_email_campaign_needs_the_postal_address_for_its_footer(services: Any) -> None:
    ann = add_contact(services, "Ann", "", "ann@example.com")
    services.settings.save_business(BusinessSettings(company_name="Acme", email="hi@acme.example"))
    draft = text_draft((ann,), channel=Channel.EMAIL, subject="News")
    campaign_id = services.campaigns.save_draft(draft)
    with pytest.raises(ValidationError) as refused:
        services.campaigns.launch(campaign_id)
    assert refused.value.field == "Business address"
    save_business(services)
    assert services.campaigns.launch(campaign_id).queued == 1


def test_a_zone_set_after_the_build_decides_the_quiet_hours_when_the_text_goes(
    context: Any, services: Any, clock: FixedClock, outbox: OutboxService, provider: FakeProvider
) -> None:
    clock.instant = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)  # 22:00 in Singapore
    ann = add_contact(services, "Ann", PHONE)
    campaign_id = services.campaigns.save_draft(text_draft((ann,)))
    services.campaigns.launch(campaign_id)  # no zone yet: the business's (UTC), open now
    services.contact_tags.set_time_zone(ann, "Asia/Singapore")
    assert outbox.process_due(clock.now()) == 0
    (status,) = services.campaigns.recipients(campaign_id)
    assert (status.state, status.due_at) == (
        OutboxState.PENDING,
        datetime(2026, 3, 11, 0, 0, tzinfo=UTC),  # 08:00 in Singapore
    )
    assert provider.received == []
