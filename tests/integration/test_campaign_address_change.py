"""A contact's phone or email corrected after a campaign was launched: the queued row follows.

A campaign row claimed before any attempt (no provider has seen it) goes to the contact's
address as it is then, and the opt-out register is asked about that address; without an
address it is cancelled with the reason; an attempted row keeps its address (reconcile and
the provider know it by that one).
"""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta
from typing import Any

from leadcartel_desktop.domain.campaign_email import LIST_UNSUBSCRIBE
from leadcartel_desktop.domain.campaigns import outbox_key
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.campaign_follow import IN_LINE_HINT
from leadcartel_desktop.services.outbox import OutboxService
from tests.conftest import FixedClock
from tests.integration.campaign_support import (
    add_contact,
    change_contact,
    launch_at_one,
    save_business,
)
from tests.integration.outbox_support import FakeProvider, outbox_for, refused

OLD, NEW, BOB = "+6591234561", "+6591234569", "+6591234562"


def _at_one(context: Any, clock: FixedClock, provider: FakeProvider) -> OutboxService:
    clock.instant = clock.instant.replace(hour=13)
    return outbox_for(context, clock, provider, rng=random.Random(1))


def _thread_addresses(context: Any, campaign_id: int) -> list[str]:
    with sqlite3.connect(context.paths.database) as connection:
        rows = connection.execute(
            "SELECT address FROM messages WHERE campaign_id = ? ORDER BY id", (campaign_id,)
        ).fetchall()
    return [str(row[0]) for row in rows]


def test_a_queued_text_goes_to_the_contacts_corrected_number(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", OLD)
    campaign_id = launch_at_one(services, clock, ann)
    change_contact(services, ann, phone=NEW)  # the old number was someone else's
    provider = FakeProvider()
    outbox = _at_one(context, clock, provider)

    assert outbox.process_due(clock.now()) == 1

    (sent,) = provider.received
    assert sent.recipient == NEW
    assert sent.idempotency_key == outbox_key(campaign_id, ann)  # the same row, once
    (row,) = services.campaigns.recipients(campaign_id)
    assert (row.address, row.state) == (NEW, OutboxState.SENT)
    assert _thread_addresses(context, campaign_id) == [NEW]
    assert outbox.process_due(clock.now() + timedelta(days=1)) == 0


def test_the_opt_out_register_is_asked_about_the_number_it_goes_to(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", OLD)
    bob = add_contact(services, "Bob", BOB)
    campaign_id = launch_at_one(services, clock, ann, bob)
    # The old number's owner said STOP: it no longer concerns Ann.
    services.threads.unsubscribe(Channel.SMS, OLD, "replied STOP")
    change_contact(services, ann, phone=NEW)
    # Bob's new number is on the register: his message is not sent there.
    services.threads.unsubscribe(Channel.SMS, NEW.replace("69", "70"), "replied STOP")
    change_contact(services, bob, phone=NEW.replace("69", "70"))
    provider = FakeProvider()
    outbox = _at_one(context, clock, provider)

    outbox.process_due(clock.now() + timedelta(minutes=5))

    assert [message.recipient for message in provider.received] == [NEW]
    rows = {row.contact_id: row for row in services.campaigns.recipients(campaign_id)}
    assert rows[ann].state is OutboxState.SENT
    assert (rows[bob].state, rows[bob].error_code) == (OutboxState.CANCELLED, "opted_out")
    assert NEW.replace("69", "70") in rows[bob].error


def test_a_contact_without_a_phone_any_more_is_cancelled_with_the_reason_then_retried(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", OLD)
    campaign_id = launch_at_one(services, clock, ann)
    change_contact(services, ann, phone="")
    provider = FakeProvider()
    outbox = _at_one(context, clock, provider)

    assert outbox.process_due(clock.now()) == 0

    assert provider.calls == []
    (row,) = services.campaigns.recipients(campaign_id)
    assert (row.state, row.error_code) == (OutboxState.CANCELLED, "no_address")
    assert row.error == "The contact has no phone number any more"
    assert "Retry" in row.hint
    # Given a number again, Retry sends the same row (never attempted) there.
    change_contact(services, ann, phone=NEW)
    assert row.outbox_id is not None
    outbox.retry_now(row.outbox_id)
    assert outbox.process_due(clock.now()) == 1
    assert [message.recipient for message in provider.received] == [NEW]


def test_a_message_already_attempted_keeps_its_number(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", OLD)
    campaign_id = launch_at_one(services, clock, ann)
    provider = FakeProvider().then(refused())  # tried once, to be retried later
    outbox = _at_one(context, clock, provider)
    assert outbox.process_due(clock.now()) == 1
    change_contact(services, ann, phone=NEW)

    assert outbox.process_due(clock.now() + timedelta(hours=1)) == 1

    assert [message.recipient for message in provider.calls] == [OLD, OLD]
    (row,) = services.campaigns.recipients(campaign_id)
    assert (row.address, row.state) == (OLD, OutboxState.SENT)


def test_a_new_number_another_recipient_has_gets_the_campaign_once(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", OLD)
    bob = add_contact(services, "Bob", BOB)
    campaign_id = launch_at_one(services, clock, ann, bob)
    change_contact(services, ann, phone=BOB)  # Ann and Bob share a phone now
    provider = FakeProvider()
    outbox = _at_one(context, clock, provider)

    outbox.process_due(clock.now() + timedelta(minutes=5))

    assert [message.recipient for message in provider.received] == [BOB]
    rows = {row.contact_id: row for row in services.campaigns.recipients(campaign_id)}
    assert (rows[ann].state, rows[ann].error_code) == (OutboxState.CANCELLED, "same_address")
    assert rows[bob].state is OutboxState.SENT


def test_a_followed_row_waits_behind_an_earlier_message_to_the_new_number(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", OLD)
    provider = FakeProvider()
    outbox = outbox_for(context, clock, provider, rng=random.Random(1))
    earlier = outbox.enqueue(
        Channel.SMS, NEW, {"body": "Your invoice"}, not_before=clock.now().replace(hour=14)
    )
    campaign_id = launch_at_one(services, clock, ann)
    change_contact(services, ann, phone=NEW)
    clock.instant = clock.instant.replace(hour=13)

    assert outbox.process_due(clock.now()) == 0

    (row,) = services.campaigns.recipients(campaign_id)
    assert (row.address, row.state, row.hint) == (NEW, OutboxState.PENDING, IN_LINE_HINT)
    clock.instant = clock.instant.replace(hour=14)
    assert outbox.process_due(clock.now()) == 2
    assert [message.id for message in provider.received] == [earlier, row.outbox_id]


def test_a_paused_campaign_judges_the_address_after_the_resume(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", OLD)
    campaign_id = launch_at_one(services, clock, ann)
    services.campaigns.pause(campaign_id)
    change_contact(services, ann, phone="")  # removed while paused, to be corrected
    provider = FakeProvider()
    outbox = _at_one(context, clock, provider)
    assert outbox.process_due(clock.now()) == 0
    (row,) = services.campaigns.recipients(campaign_id)
    assert row.state is OutboxState.PENDING  # held by the pause, not cancelled

    change_contact(services, ann, phone=NEW)
    services.campaigns.resume(campaign_id)
    assert outbox.process_due(clock.now()) == 1
    assert [message.recipient for message in provider.received] == [NEW]


def test_a_campaign_email_follows_the_new_address_and_its_unsubscribe_link(
    context: Any, services: Any, clock: FixedClock
) -> None:
    save_business(services, unsubscribe_url="https://shop.example/unsubscribe?e={email}")
    ann = add_contact(services, "Ann", email="ann@old.example")
    campaign_id = launch_at_one(
        services, clock, ann, channel=Channel.EMAIL, subject="News", body="Hi {first_name}"
    )
    change_contact(services, ann, email="ann@new.example")
    provider = FakeProvider()
    outbox = _at_one(context, clock, provider)

    assert outbox.process_due(clock.now()) == 1

    (sent,) = provider.received
    assert sent.recipient == "ann@new.example"
    link = "https://shop.example/unsubscribe?e=ann%40new.example"
    headers = sent.payload["headers"]
    assert isinstance(headers, dict) and link in headers[LIST_UNSUBSCRIBE]
    assert link in str(sent.payload["body"]) and link in str(sent.payload["html"])
    assert "old.example" not in repr(sent.payload)
    (row,) = services.campaigns.recipients(campaign_id)
    assert row.address == "ann@new.example"


def test_a_campaign_email_to_a_contact_without_an_email_any_more_is_cancelled(
    context: Any, services: Any, clock: FixedClock
) -> None:
    save_business(services)
    ann = add_contact(services, "Ann", email="ann@old.example")
    campaign_id = launch_at_one(services, clock, ann, channel=Channel.EMAIL, subject="News")
    change_contact(services, ann, email="")
    provider = FakeProvider()
    outbox = _at_one(context, clock, provider)

    assert outbox.process_due(clock.now()) == 0

    (row,) = services.campaigns.recipients(campaign_id)
    assert (row.state, row.error) == (
        OutboxState.CANCELLED,
        "The contact has no email address any more",
    )
