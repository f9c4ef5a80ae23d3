"""The outbox view says why a message waits when its channel keeps it (no provider, paused),
and writes times as campaigns do: in the business's zone, as its locale writes dates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel, OutboxState, SendOutcome
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_outcomes import CREDENTIALS_HINT
from leadcartel_desktop.services.outbox_view import BusinessTime, OutboxFilter, channel_holds
from tests.conftest import FixedClock
from tests.integration.outbox_support import FakeProvider, FakeProviders, Step

NO_SMS = "No provider is set for SMS: choose one in Settings > Providers"


class SomeProviders(FakeProviders):
    """Fakes for some channels; the others have no provider, as ProviderCache says it."""

    def provider(self, channel: Channel) -> FakeProvider:
        if channel not in self.by_channel:
            raise UserFacingError(f"No provider is set for {channel.value}")
        return self.by_channel[channel]


def _told(outbox: OutboxService) -> dict[int, Any]:
    rows = channel_holds(outbox.listing(OutboxFilter.ALL), outbox.unavailable, outbox.refused)
    return {row.id: row for row in rows}


def test_a_message_on_a_channel_without_a_provider_says_what_to_do(context: Any) -> None:
    outbox = context.services.outbox  # a new book: no provider is set for any channel
    waiting = outbox.enqueue(Channel.SMS, "+6591234567", {"body": "Hello"})
    cancelled = outbox.enqueue(Channel.SMS, "+6591234568", {"body": "Hello"})
    outbox.cancel(cancelled)

    told = _told(outbox)

    assert told[waiting].channel_hint == NO_SMS
    assert told[waiting].channel_error == ""  # never tried: no error of its own
    assert told[cancelled].channel_hint == ""  # it does not wait: nothing to do about it


def test_only_the_channel_without_a_provider_is_named(context: Any, clock: FixedClock) -> None:
    email = FakeProvider()
    outbox = OutboxService(
        context.database.unit_of_work, clock, SomeProviders({Channel.EMAIL: email})
    )
    sms = outbox.enqueue(Channel.SMS, "+6591234567", {"body": "Hello"})
    mail = outbox.enqueue(Channel.EMAIL, "ada@example.com", {"subject": "Hi", "body": "Hello"})
    later = outbox.enqueue(Channel.EMAIL, "bob@example.com", {"subject": "Hi", "body": "Hi"})
    outbox.process_due(clock.now())
    assert outbox.get(mail).state is OutboxState.SENT

    told = _told(outbox)

    assert told[sms].channel_hint == "No provider"  # the provider source's own words
    assert told[mail].channel_hint == "" and told[later].channel_hint == ""


def test_a_paused_channel_tells_its_waiting_messages_why(context: Any, clock: FixedClock) -> None:
    provider = FakeProvider().then(
        Step(SendOutcome.refused_credentials("20003", "Twilio refused the credentials (401)"))
    )
    outbox = OutboxService(
        context.database.unit_of_work, clock, SomeProviders({Channel.SMS: provider})
    )
    refused = outbox.enqueue(Channel.SMS, "+6591234567", {"body": "One"})
    outbox.process_due(clock.now())
    assert outbox.refused(Channel.SMS)
    behind = outbox.enqueue(Channel.SMS, "+6591234568", {"body": "Two"})  # queued after

    told = _told(outbox)

    assert told[behind].channel_error == "SMS paused: Twilio refused the credentials (401)"
    assert told[behind].channel_hint == CREDENTIALS_HINT
    assert told[refused].last_error == "Twilio refused the credentials (401)"  # its own, kept


def test_times_read_in_the_business_zone_as_its_locale_writes_dates() -> None:
    at = datetime(2026, 12, 5, 7, 0, 10, tzinfo=UTC)
    paris = BusinessTime("Europe/Paris", "en_GB")
    assert paris.text(at) == "5 Dec 2026 08:00"
    assert paris.named(at) == "5 Dec 2026 08:00 (Europe/Paris)"
    assert BusinessTime("America/New_York", "en_US").text(at) == "Dec 5, 2026 02:00"
    assert BusinessTime("Asia/Tokyo", "fr_FR").named(at) == "5 déc. 2026 16:00 (Asia/Tokyo)"
    assert BusinessTime("Nowhere/Atlantis").text(at) == "Dec 5, 2026 07:00"  # UTC, not a crash
