"""A queued campaign row following its contact's corrected address, and business-zone times.

Rows never attempted take the contact's address when claimed (services/campaign_gate.py);
each address still gets the campaign once. Times are written in the business's zone, read as
domain/send_windows.zone reads it (another case is the same zone; a refused name is UTC).
"""

from __future__ import annotations

import random
import sqlite3
import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from leadcartel_desktop.domain.campaign_email import LIST_UNSUBSCRIBE
from leadcartel_desktop.domain.errors import FormError, ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_view import BusinessTime
from tests.conftest import FixedClock
from tests.integration.campaign_support import (
    add_contact,
    change_contact,
    launch_at_one,
    save_business,
    text_draft,
)
from tests.integration.outbox_support import FakeProvider, outbox_for

X, Y, Z = "+6591234561", "+6591234562", "+6591234563"


def _send_all(context: Any, clock: FixedClock) -> FakeProvider:
    clock.instant = clock.instant.replace(hour=13)
    provider = FakeProvider()
    outbox: OutboxService = outbox_for(context, clock, provider, rng=random.Random(1))
    for minutes in range(0, 30, 5):
        outbox.process_due(clock.now() + timedelta(minutes=minutes))
    return provider


def _store_zone(context: Any, name: str) -> None:
    """What an old book may hold (saved before the zone list was used)."""
    with sqlite3.connect(context.paths.database) as connection:
        connection.execute("UPDATE business_settings SET time_zone = ?", (name,))


# Following the contact ---------------------------------------------------------------------


def test_two_contacts_swapping_numbers_each_get_it_at_the_new_number(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", X)
    bob = add_contact(services, "Bob", Y)
    campaign_id = launch_at_one(services, clock, ann, bob)
    change_contact(services, ann, phone=Z)  # the numbers were on the wrong contacts: swapped via Z
    change_contact(services, bob, phone=X)
    change_contact(services, ann, phone=Y)

    provider = _send_all(context, clock)

    assert sorted(m.recipient for m in provider.received) == sorted([X, Y])
    rows = {row.contact_id: row for row in services.campaigns.recipients(campaign_id)}
    assert (rows[ann].state, rows[ann].address) == (OutboxState.SENT, Y)
    assert (rows[bob].state, rows[bob].address) == (OutboxState.SENT, X)


def test_three_contacts_rotating_numbers_each_get_it_once(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann, bob, cy = (add_contact(services, n, p) for n, p in (("Ann", X), ("Bob", Y), ("Cy", Z)))
    launch_at_one(services, clock, ann, bob, cy)
    change_contact(services, ann, phone="+6591234569")
    change_contact(services, cy, phone=X)
    change_contact(services, bob, phone=Z)
    change_contact(services, ann, phone=Y)

    provider = _send_all(context, clock)

    assert sorted(m.recipient for m in provider.received) == sorted([X, Y, Z])


def test_two_contacts_changed_to_the_same_new_number_get_it_once(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", X)
    bob = add_contact(services, "Bob", Y)
    campaign_id = launch_at_one(services, clock, ann, bob)
    change_contact(services, ann, phone=Z)
    change_contact(services, bob, phone=Z)  # a typo copied to both

    provider = _send_all(context, clock)

    assert [m.recipient for m in provider.received] == [Z]
    states = sorted(row.state for row in services.campaigns.recipients(campaign_id))
    assert states == sorted([OutboxState.SENT, OutboxState.CANCELLED])


def test_a_new_number_another_recipient_keeps_is_still_cancelled(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", X)
    bob = add_contact(services, "Bob", Y)
    campaign_id = launch_at_one(services, clock, ann, bob)
    change_contact(services, ann, phone=Y)  # Bob keeps Y: his row goes there

    provider = _send_all(context, clock)

    assert [m.recipient for m in provider.received] == [Y]
    rows = {row.contact_id: row for row in services.campaigns.recipients(campaign_id)}
    assert (rows[ann].state, rows[ann].error_code) == (OutboxState.CANCELLED, "same_address")


def test_a_non_ascii_email_in_another_case_gets_it_once(
    context: Any, services: Any, clock: FixedClock
) -> None:
    """The build treats 'Élodie@' and 'élodie@' as one address (casefold); so does the claim."""
    save_business(services)
    ann = add_contact(services, "Ann", email="élodie@shop.example")
    bob = add_contact(services, "Bob", email="bob@shop.example")
    launch_at_one(services, clock, ann, bob, channel=Channel.EMAIL, subject="News")
    change_contact(services, bob, email="Élodie@shop.example")

    provider = _send_all(context, clock)

    assert [m.recipient for m in provider.received] == ["élodie@shop.example"]


def test_the_unsubscribe_link_names_the_new_address_and_nothing_else_changes(
    context: Any, services: Any, clock: FixedClock
) -> None:
    save_business(services, unsubscribe_url="https://shop.example/u?e={email}")
    ann = add_contact(services, "Ann", email="a@b.example")
    launch_at_one(
        services, clock, ann, channel=Channel.EMAIL, subject="News",
        body="Hi {first_name}, see https://b.example/p?x=aa%40b.example or a%40b.example",
    )  # fmt: skip
    change_contact(services, ann, email="new@b.example")

    (sent,) = _send_all(context, clock).received

    body, page = str(sent.payload["body"]), str(sent.payload["html"])
    assert "x=aa%40b.example or a%40b.example" in body  # the message as written
    assert "x=aa%40b.example or a%40b.example" in page
    assert "https://shop.example/u?e=new%40b.example" in body
    assert 'href="https://shop.example/u?e=new%40b.example"' in page
    assert "e=a%40b.example" not in body + page
    headers = sent.payload["headers"]
    assert "<https://shop.example/u?e=new%40b.example>" in headers[LIST_UNSUBSCRIBE]
    assert "a%40b.example" not in headers[LIST_UNSUBSCRIBE]


def test_an_email_case_change_is_judged_by_the_register_in_any_ascii_case(
    context: Any, services: Any, clock: FixedClock
) -> None:
    save_business(services, unsubscribe_url="https://shop.example/u?e={email}")
    ann = add_contact(services, "Ann", email="ann@shop.example")
    campaign_id = launch_at_one(services, clock, ann, channel=Channel.EMAIL, subject="News")
    services.threads.unsubscribe(Channel.EMAIL, "ANN@shop.example", "unsubscribe")
    change_contact(services, ann, email="Ann@shop.example")

    assert _send_all(context, clock).calls == []
    (row,) = services.campaigns.recipients(campaign_id)
    assert row.state is OutboxState.CANCELLED


def test_without_an_unsubscribe_url_the_readdressed_email_is_as_built(
    context: Any, services: Any, clock: FixedClock
) -> None:
    save_business(services)
    ann = add_contact(services, "Ann", email="a@b.example")
    launch_at_one(
        services, clock, ann, channel=Channel.EMAIL, subject="News", body="Hi a%40b.example"
    )
    change_contact(services, ann, email="new@b.example")

    (sent,) = _send_all(context, clock).received

    assert sent.recipient == "new@b.example"
    assert "Hi a%40b.example" in str(sent.payload["body"])


def _whatsapp_draft(ids: tuple[int, ...]) -> Any:
    return text_draft(
        ids, channel=Channel.WHATSAPP, whatsapp_template_id="HX1", body="",
        whatsapp_variables={"1": "{first_name}"},
    )  # fmt: skip


def test_whatsapp_rows_of_two_contacts_swapping_numbers_each_follow(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", X)
    bob = add_contact(services, "Bob", Y)
    campaign_id = int(services.campaigns.save_draft(_whatsapp_draft((ann, bob))))
    services.campaigns.launch(campaign_id, clock.now().replace(hour=13))
    change_contact(services, ann, phone=Z)
    change_contact(services, bob, phone=X)
    change_contact(services, ann, phone=Y)

    provider = _send_all(context, clock)

    assert sorted(m.recipient for m in provider.received) == sorted([X, Y])


def test_a_whatsapp_row_following_to_an_opted_out_number_is_not_sent(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", X)
    campaign_id = int(services.campaigns.save_draft(_whatsapp_draft((ann,))))
    services.campaigns.launch(campaign_id, clock.now().replace(hour=13))
    services.threads.unsubscribe(Channel.WHATSAPP, Y, "replied STOP")
    change_contact(services, ann, phone=Y)

    provider = _send_all(context, clock)

    assert provider.calls == []
    (row,) = services.campaigns.recipients(campaign_id)
    assert row.state is OutboxState.CANCELLED


def test_two_workers_claiming_at_once_send_each_follower_once(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ids = [add_contact(services, f"C{i}", f"+65912300{i:02d}") for i in range(40)]
    launch_at_one(services, clock, *ids)
    for i, contact_id in enumerate(reversed(ids)):  # each takes another's old number
        change_contact(
            services, contact_id, phone=f"+65912300{i:02d}" if i % 2 else f"+65912399{i:02d}"
        )
    wanted = sorted(services.contacts.get(contact_id).phone for contact_id in ids)
    provider = FakeProvider()
    clock.instant = clock.instant.replace(hour=13)
    outboxes = [outbox_for(context, clock, provider, rng=random.Random(n)) for n in range(2)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(outbox: OutboxService) -> None:
        try:
            start.wait()
            for _ in range(20):
                outbox.process_due(clock.now() + timedelta(hours=1))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(o,)) for o in outboxes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(m.recipient for m in provider.calls) == wanted


def test_a_paused_campaign_with_a_shared_new_number_cancels_after_resume(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", X)
    bob = add_contact(services, "Bob", Y)
    campaign_id = launch_at_one(services, clock, ann, bob)
    services.campaigns.pause(campaign_id)
    change_contact(services, ann, phone=Y)
    clock.instant = clock.instant.replace(hour=13)
    outbox = outbox_for(context, clock, FakeProvider(), rng=random.Random(1))
    outbox.process_due(clock.now())  # held by the pause, not judged
    services.campaigns.resume(campaign_id)

    provider = _send_all(context, clock)

    assert [m.recipient for m in provider.received] == [Y]


def test_a_cancelled_campaigns_row_with_a_new_number_is_cancelled_not_sent(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann = add_contact(services, "Ann", X)
    campaign_id = launch_at_one(services, clock, ann)
    change_contact(services, ann, phone=Y)
    services.campaigns.cancel(campaign_id)

    assert _send_all(context, clock).calls == []


# Times in the business's zone --------------------------------------------------------------


def test_outbox_times_for_a_stored_zone_in_another_case_are_in_that_zone(
    context: Any, services: Any
) -> None:
    save_business(services, time_zone="Europe/Berlin")
    _store_zone(context, "europe/berlin")
    shown = BusinessTime.of(services.settings.business())
    at = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # 08:00 in Berlin (CEST)
    assert shown.named(at).endswith("08:00 (europe/berlin)"), shown.named(at)


@pytest.mark.parametrize("name", ["Europe", "Etc", "A" * 300, "localtime", "Factory"])
def test_outbox_times_for_a_refused_stored_zone_are_in_utc_and_say_so(
    context: Any, services: Any, name: str
) -> None:
    save_business(services)
    _store_zone(context, name)
    shown = BusinessTime.of(services.settings.business())
    text = shown.named(datetime(2026, 7, 1, 6, 0, tzinfo=UTC))
    assert text.endswith("06:00 (UTC)"), text


@pytest.mark.parametrize("locale", ["de_DE", "ar_EG", "ja_JP", "fr_FR", "en_US", ""])
def test_business_times_name_the_zone_in_every_locale(locale: str) -> None:
    text = BusinessTime("Asia/Tokyo", locale or "en_US").named(
        datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
    )
    assert "09:00" in text and text.endswith("(Asia/Tokyo)"), text


@pytest.mark.parametrize("name", ["localtime", "Factory"])
def test_a_machine_dependent_or_placeholder_zone_is_not_the_business_zone(
    services: Any, name: str
) -> None:
    with pytest.raises((ValidationError, FormError)):
        save_business(services, time_zone=name)


def test_the_past_start_message_uses_the_one_business_time_format(
    services: Any, clock: FixedClock
) -> None:
    save_business(services, time_zone="Europe/Paris", locale="en_GB")
    ann = add_contact(services, "Ann", X)
    campaign_id = int(services.campaigns.save_draft(text_draft((ann,))))
    with pytest.raises(ValidationError) as refused:
        services.campaigns.launch(campaign_id, datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    assert refused.value.field == "Send at"
    assert str(refused.value.detail).startswith("10 Mar 2026 09:00 (Europe/Paris) has already")


def test_a_start_in_the_repeated_hour_still_ahead_is_not_refused(
    services: Any, clock: FixedClock
) -> None:
    """Berlin, 25 Oct 2026: 02:00-03:00 happens twice. At the second 02:10, 02:40 is ahead."""
    save_business(services, time_zone="Europe/Berlin")
    ann = add_contact(services, "Ann", X)
    campaign_id = int(services.campaigns.save_draft(text_draft((ann,))))
    clock.instant = datetime(2026, 10, 25, 1, 10, tzinfo=UTC)  # 02:10 CET, the second 02:10
    scheduled = services.campaigns.schedule_time(date(2026, 10, 25), time(2, 40))
    assert scheduled.utc == datetime(2026, 10, 25, 1, 40, tzinfo=UTC)
    assert "second time" in scheduled.note
    result = services.campaigns.launch(campaign_id, scheduled.utc)  # not refused
    # SMS: the quiet hours move it to 08:00 CET; the start itself is the second 02:40.
    assert result.first_due == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)
