"""A text campaign is measured as each recipient gets it: merge fields filled, not as typed.

Twilio refuses an SMS or WhatsApp body over 1,600 characters (error 21617). A template that
fits can still go over for a contact with a long name; that contact is left out with the
reason, and everyone else is queued as usual.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from leadcartel_desktop.domain.campaigns import TEXT_LIMIT, CampaignStatus, LeftOutReason
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from tests.conftest import FixedClock
from tests.integration.campaign_support import add_contact, save_business, text_draft
from tests.integration.thread_support import store_inbound

PHONES = ("+6591234561", "+6591234562", "+6591234563")
LONG_NAME = "Maximilian" * 10  # 100 characters: the most a first name may have
BODY = "x" * 1580 + "{first_name}"  # 1,592 as typed: the draft passes


def queued(services: Any) -> dict[str, str]:
    """Each pending outbox row's recipient and body."""
    return {
        row.recipient: str(row.payload["body"])
        for row in services.outbox.in_state(OutboxState.PENDING)
    }


def test_the_reason_names_the_limit() -> None:
    # Read as "1 message over …" in the count and "Max — message over …" in the list.
    assert LeftOutReason.TOO_LONG.value == (
        "message over 1,600 characters with their details filled in"
    )


def test_an_sms_a_long_name_pushes_over_the_limit_leaves_that_contact_out(
    services: Any,
) -> None:
    ann = add_contact(services, "Ann", PHONES[0])
    max_ = add_contact(services, LONG_NAME, PHONES[1])
    bob = add_contact(services, "Bob", PHONES[2])
    draft = text_draft((ann, max_, bob), body=BODY)

    audience = services.campaigns.audience_for(draft)  # the New Campaign summary
    assert audience.included == [ann, bob]
    assert [(row.contact_id, row.reason) for row in audience.left_out] == [
        (max_, LeftOutReason.TOO_LONG)
    ]
    assert audience.reasons() == {LeftOutReason.TOO_LONG: 1}

    campaign_id = services.campaigns.save_draft(draft)
    result = services.campaigns.launch(campaign_id)
    assert (result.queued, result.left_out) == (2, 1)
    # The others get exactly their own text; nothing at all is queued for the long name.
    assert queued(services) == {PHONES[0]: "x" * 1580 + "Ann", PHONES[2]: "x" * 1580 + "Bob"}
    statuses = {status.contact_id: status for status in services.campaigns.recipients(campaign_id)}
    assert statuses[max_].state is None
    assert statuses[max_].outbox_id is None
    assert statuses[max_].left_out_reason == LeftOutReason.TOO_LONG.value
    assert statuses[ann].state is OutboxState.PENDING
    assert statuses[bob].state is OutboxState.PENDING
    assert services.campaigns.progress(campaign_id).left_out == 1


def test_exactly_the_limit_is_sent_one_more_character_is_not(services: Any) -> None:
    fits = add_contact(services, "F" * 20, PHONES[0])  # 1,580 + 20 = 1,600
    over = add_contact(services, "O" * 21, PHONES[1])  # 1,601
    campaign_id = services.campaigns.save_draft(text_draft((fits, over), body=BODY))
    result = services.campaigns.launch(campaign_id)
    assert (result.queued, result.left_out) == (1, 1)
    bodies = queued(services)
    assert list(bodies) == [PHONES[0]]
    assert len(bodies[PHONES[0]]) == TEXT_LIMIT
    (left,) = [s for s in services.campaigns.recipients(campaign_id) if s.state is None]
    assert (left.contact_id, left.left_out_reason) == (over, LeftOutReason.TOO_LONG.value)


def test_whatsapp_free_text_is_measured_too(context: Any, services: Any, clock: FixedClock) -> None:
    ann = add_contact(services, "Ann", PHONES[0])
    max_ = add_contact(services, LONG_NAME, PHONES[1])
    for phone in PHONES[:2]:  # both inside the 24-hour window: free text may go
        store_inbound(context, phone, "Hello!", clock.now() - timedelta(hours=1), Channel.WHATSAPP)
    draft = text_draft((ann, max_), channel=Channel.WHATSAPP, body=BODY)
    campaign_id = services.campaigns.save_draft(draft)
    result = services.campaigns.launch(campaign_id)
    assert (result.queued, result.left_out) == (1, 1)
    (row,) = services.outbox.in_state(OutboxState.PENDING)
    assert (row.channel, row.recipient) == (Channel.WHATSAPP, PHONES[0])
    assert row.payload["body"] == "x" * 1580 + "Ann"
    reasons = {s.contact_id: s.left_out_reason for s in services.campaigns.recipients(campaign_id)}
    assert reasons == {ann: "", max_: LeftOutReason.TOO_LONG.value}


def test_an_email_has_no_text_limit(services: Any) -> None:
    save_business(services)
    max_ = add_contact(services, LONG_NAME, "", "max@example.com")
    draft = text_draft((max_,), channel=Channel.EMAIL, subject="Hi", body=BODY)
    assert services.campaigns.audience_for(draft).included == [max_]
    assert services.campaigns.launch(services.campaigns.save_draft(draft)).queued == 1


def test_a_contact_left_out_as_too_long_leaves_a_shared_number_to_the_other(
    services: Any,
) -> None:
    max_ = add_contact(services, LONG_NAME, PHONES[0])
    ann = add_contact(services, "Ann", PHONES[0])  # the same phone, a short name
    campaign_id = services.campaigns.save_draft(text_draft((max_, ann), body=BODY))
    services.campaigns.launch(campaign_id)
    assert queued(services) == {PHONES[0]: "x" * 1580 + "Ann"}
    reasons = {s.contact_id: s.left_out_reason for s in services.campaigns.recipients(campaign_id)}
    assert reasons == {max_: LeftOutReason.TOO_LONG.value, ann: ""}


def test_when_every_text_is_too_long_the_launch_is_refused_and_nothing_queued(
    services: Any,
) -> None:
    max_ = add_contact(services, LONG_NAME, PHONES[0])
    campaign_id = services.campaigns.save_draft(text_draft((max_,), body=BODY))
    with pytest.raises(ValidationError) as refused:
        services.campaigns.launch(campaign_id)
    assert refused.value.field == "Recipients"
    assert services.outbox.counts()[OutboxState.PENDING] == 0
    assert services.campaigns.status(campaign_id) is CampaignStatus.DRAFT


def test_the_audience_counts_with_the_text_it_is_given(services: Any) -> None:
    """The editor's live count passes the SMS text; without one nobody is too long."""
    ann = add_contact(services, "Ann", PHONES[0])
    max_ = add_contact(services, LONG_NAME, PHONES[1])
    without = services.campaigns.audience(Channel.SMS, contact_ids=(ann, max_))
    assert (without.included, without.left_out) == ([ann, max_], [])
    with_body = services.campaigns.audience(Channel.SMS, contact_ids=(ann, max_), body=BODY)
    assert with_body.included == [ann]
    assert [(row.contact_id, row.name, row.reason) for row in with_body.left_out] == [
        (max_, LONG_NAME, LeftOutReason.TOO_LONG)
    ]
