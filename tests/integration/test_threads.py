"""Threads: newest last with each message's status, compose and its refusals, WhatsApp window."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import NotFoundError, ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.sandbox.controls import FaultKind
from leadcartel_desktop.services.outbox_items import new_item
from leadcartel_desktop.services.thread_ports import OutboundRow
from leadcartel_desktop.services.thread_views import (
    Direction,
    MessageStatus,
    WhatsAppTemplate,
)
from leadcartel_desktop.services.threads import (
    ComposeRefusedError,
    record_outbound_in,
    record_outbound_many_in,
)
from tests.conftest import FixedClock
from tests.integration.send_support import sandbox_app
from tests.integration.thread_support import ada, store_inbound

SID = "HX" + "b5c2e1f0a9d84c7e" * 2


def test_a_thread_is_newest_last_and_shows_a_failed_message_with_code_and_hint(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        contact_id = ada(context)
        store_inbound(context, "+6591234567", "Hi, is Tuesday fine?", clock.now())
        clock.instant += timedelta(minutes=1)
        sent_id = services.threads.compose(contact_id, Channel.SMS, "Tuesday is fine.")
        services.outbox.process_due(clock.now())
        clock.instant += timedelta(minutes=1)
        sandbox.controls("twilio").fail_next(FaultKind.INVALID_NUMBER)
        failed_id = services.threads.compose(contact_id, Channel.SMS, "See you then!")
        services.outbox.process_due(clock.now())
        clock.instant += timedelta(minutes=1)
        queued_id = services.threads.compose(contact_id, Channel.EMAIL, "Notes", "Agenda")

        thread = services.threads.thread(contact_id)

        assert [m.body for m in thread] == [
            "Hi, is Tuesday fine?", "Tuesday is fine.", "See you then!", "Notes"
        ]  # fmt: skip
        assert [m.direction for m in thread] == [Direction.IN] + [Direction.OUT] * 3
        assert [m.id for m in thread[1:]] == [sent_id, failed_id, queued_id]
        assert [m.status for m in thread] == [
            MessageStatus.RECEIVED, MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.QUEUED
        ]  # fmt: skip
        failed = thread[2]
        assert failed.error_code == "21211"
        assert "Correct the customer's phone number" in failed.hint
        assert thread[1].error_code == thread[1].hint == ""
        assert thread[3].subject == "Agenda" and thread[3].channel is Channel.EMAIL


def test_paging_back_and_limits(context: AppContext, clock: FixedClock) -> None:
    contact_id = ada(context)
    for n in range(10):
        store_inbound(context, "+6591234567", f"m{n}", clock.now() + timedelta(seconds=n))
    threads = context.services.threads
    latest = threads.thread(contact_id, limit=4)
    assert [m.body for m in latest] == ["m6", "m7", "m8", "m9"]
    older = threads.thread(contact_id, limit=4, before=latest[0].id)
    assert [m.body for m in older] == ["m2", "m3", "m4", "m5"]
    assert [m.body for m in threads.thread(contact_id, before=older[0].id)] == ["m0", "m1"]


def test_the_conversations_list_is_recent_first_with_unread_counts(
    context: AppContext, clock: FixedClock
) -> None:
    services = context.services
    ada_id = ada(context)
    bob = services.contacts.create(Contact("Bob", "Marley", "bob@example.com", "+6598765432"))
    store_inbound(context, "+6591234567", "first", clock.now())
    store_inbound(context, "+6591234567", "second", clock.now() + timedelta(minutes=1))
    store_inbound(context, "+6598765432", "from bob", clock.now() + timedelta(minutes=2))
    store_inbound(context, "+15550001111", "who is this?", clock.now() + timedelta(minutes=3))
    clock.instant += timedelta(minutes=5)
    services.threads.compose(ada_id, Channel.SMS, "A reply to Ada")

    rows = services.threads.threads()

    assert [(r.contact_id, r.name) for r in rows] == [
        (ada_id, "Ada Lovelace"), (None, "+15550001111"), (bob.id, "Bob Marley")
    ]  # fmt: skip
    assert [r.unread for r in rows] == [2, 1, 1]
    assert rows[0].preview == "A reply to Ada" and rows[0].direction is Direction.OUT
    assert services.threads.mark_read(ada_id) == 2
    assert [r.unread for r in services.threads.threads()] == [0, 1, 1]
    assert [m.body for m in services.threads.unmatched_thread("+15550001111")] == ["who is this?"]


def test_compose_refusals_name_the_reason(context: AppContext, clock: FixedClock) -> None:
    services = context.services
    no_phone = services.contacts.create(Contact("Nina", "Nophone", "nina@example.com"))
    no_email = services.contacts.create(Contact("Ed", "Noemail", "", "+6590001111"))
    opted = ada(context)
    services.threads.unsubscribe(Channel.SMS, "+6591234567", "replied STOP")
    assert no_phone.id is not None and no_email.id is not None
    with context.database.unit_of_work() as uow:
        uow.contact_tags.set_do_not_contact(no_phone.id, Channel.EMAIL, True)
        uow.commit()

    cases = [
        (no_phone.id, Channel.SMS, "no_address", "Nina Nophone has no phone number"),
        (no_email.id, Channel.EMAIL, "no_address", "Ed Noemail has no email address"),
        (opted, Channel.SMS, "opted_out", "Ada Lovelace has opted out of SMS messages"),
        (no_email.id, Channel.WHATSAPP, "whatsapp_window", "approved template"),
        (no_phone.id, Channel.EMAIL, "do_not_contact", "Nina Nophone is marked do not contact"),
    ]
    for contact_id, channel, reason, words in cases:
        with pytest.raises(ComposeRefusedError, match=words) as refused:
            services.threads.compose(contact_id, channel, "Hello", "Subject")
        assert refused.value.reason == reason
    with pytest.raises(ValidationError, match="Message: write the message"):
        services.threads.compose(no_email.id, Channel.SMS, "   ")
    with pytest.raises(ValidationError, match="Subject"):
        services.threads.compose(opted, Channel.EMAIL, "Body only")
    with pytest.raises(NotFoundError):
        services.threads.compose(999, Channel.SMS, "Hello")
    assert services.outbox.counts()[OutboxState.PENDING] == 0
    assert services.threads.threads() == []


def test_a_double_click_with_one_draft_key_queues_one_message(context: AppContext) -> None:
    contact_id = ada(context)
    threads = context.services.threads
    first = threads.compose(contact_id, Channel.SMS, "Hello", draft_key="box-1")
    again = threads.compose(contact_id, Channel.SMS, "Hello", draft_key="box-1")
    assert first == again
    assert len(threads.thread(contact_id)) == 1
    assert context.services.outbox.counts()[OutboxState.PENDING] == 1


def test_whatsapp_free_text_closes_at_exactly_24_hours(
    context: AppContext, clock: FixedClock
) -> None:
    services = context.services
    contact_id = ada(context)
    wrote = clock.now()
    store_inbound(context, "+6591234567", "Hi on WhatsApp", wrote, Channel.WHATSAPP)
    store_inbound(context, "+6591234567", "and an SMS later", wrote + timedelta(hours=5))
    assert services.threads.last_inbound_at(contact_id) == wrote

    clock.instant = wrote + timedelta(hours=24) - timedelta(microseconds=1)
    assert not services.threads.needs_whatsapp_template(contact_id)
    inside = services.threads.compose(contact_id, Channel.WHATSAPP, "Free text is fine")

    clock.instant = wrote + timedelta(hours=24)
    assert services.threads.needs_whatsapp_template(contact_id)
    with pytest.raises(ComposeRefusedError, match="24 hours"):
        services.threads.compose(contact_id, Channel.WHATSAPP, "Too late for free text")
    template = WhatsAppTemplate(SID, {"1": "Ada"})
    outside = services.threads.compose(contact_id, Channel.WHATSAPP, "", whatsapp_template=template)

    thread = services.threads.thread(contact_id)
    assert [m.id for m in thread if m.direction is Direction.OUT] == [inside, outside]
    queued = services.outbox.in_state(OutboxState.PENDING)
    assert [m.payload.get("template_id") for m in queued] == [None, SID]
    assert queued[1].payload["template_variables"] == {"1": "Ada"}


def test_the_send_dialog_window_reads_the_stored_inbound_time(
    context: AppContext, clock: FixedClock
) -> None:
    from leadcartel_desktop.services.threads import StoredInboundMessages
    from leadcartel_desktop.services.whatsapp_sending import WhatsAppWindow

    ada(context)
    window = WhatsAppWindow(StoredInboundMessages(context.database.unit_of_work), clock)
    assert window.needs_template("+6591234567")
    store_inbound(context, "+6591234567", "hello", clock.now(), Channel.WHATSAPP)
    assert not window.needs_template("whatsapp:+6591234567")
    clock.instant += timedelta(hours=24)
    assert window.needs_template("+6591234567")


def test_outbound_rows_are_recorded_once_per_outbox_row_in_bulk(context: AppContext) -> None:
    contact_id = ada(context)
    services = context.services
    with context.database.unit_of_work() as uow:
        ids = [
            services.outbox.queue_in(uow, new_item(Channel.SMS, "+6591234567", {"body": f"c{n}"},
                                                   campaign_id=7, contact_id=contact_id))
            for n in range(3)
        ]  # fmt: skip
        rows = [OutboundRow(contact_id, Channel.SMS, i, f"c{n}", campaign_id=7)
                for n, i in enumerate(ids)]  # fmt: skip
        record_outbound_many_in(uow, rows)
        record_outbound_many_in(uow, rows)  # a retried build changes nothing
        record_outbound_in(uow, contact_id, Channel.SMS, ids[0], "c0", campaign_id=7)
        uow.commit()
    thread = services.threads.thread(contact_id)
    assert [(m.body, m.campaign_id, m.outbox_id) for m in thread] == [
        ("c0", 7, ids[0]), ("c1", 7, ids[1]), ("c2", 7, ids[2])
    ]  # fmt: skip


def test_compose_options_say_which_channels_can_be_used_and_why_not(
    context: AppContext, clock: FixedClock
) -> None:
    services = context.services
    ed = services.contacts.create(Contact("Ed", "Noemail", "", "+6590001111"))
    assert ed.id is not None
    services.threads.unsubscribe(Channel.SMS, "+6590001111")
    options = {option.channel: option for option in services.threads.compose_options(ed.id)}

    assert options[Channel.SMS].refusal == "opted_out" and not options[Channel.SMS].possible
    assert options[Channel.EMAIL].refusal == "no_address"
    assert "has no email address" in options[Channel.EMAIL].reason
    whatsapp = options[Channel.WHATSAPP]
    assert whatsapp.possible and whatsapp.needs_template and whatsapp.address == "+6590001111"
    assert "No provider is set for WhatsApp" in whatsapp.provider_problem
    with pytest.raises(ValidationError, match="give every template variable a value"):
        services.threads.compose(
            ed.id, Channel.WHATSAPP, "", whatsapp_template=WhatsAppTemplate(SID, {"1": " "})
        )
