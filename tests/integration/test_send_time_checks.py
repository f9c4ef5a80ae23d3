"""Checked when each message goes, not only when queued: do-not-contact, WhatsApp's window, numbers.

Issue 5: consent "is checked when each message is sent"; WhatsApp free text only within 24 hours
of the last inbound message from the number it goes to. Real SQLite, the sandbox's providers,
an injected clock.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.services.campaign_build import CONTACT_KEY
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES
from leadcartel_desktop.services.thread_views import MessageStatus, WhatsAppTemplate
from leadcartel_desktop.services.threads import ComposeRefusedError
from leadcartel_desktop.services.whatsapp_sending import WhatsAppRequest
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, sandbox_app
from tests.integration.thread_support import ada, store_inbound

ADA = "+6591234567"
NEW_NUMBER = "+6598765432"
SID = "HX" + "0123456789abcdef" * 2


def _texts() -> dict[str, str]:
    t = DEFAULT_TEMPLATES
    return {"subject": t.subject, "message": t.message, "sms_message": t.sms_message}


def _row(context: AppContext, message_id: int, contact_id: int) -> OutboxMessage:
    [message] = [m for m in context.services.threads.thread(contact_id) if m.id == message_id]
    assert message.outbox_id is not None
    return context.services.outbox.get(message.outbox_id)


# Do not contact --------------------------------------------------------------------------------


def test_a_composed_sms_is_cancelled_once_do_not_contact_is_on_but_the_invoice_text_goes(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        contact_id = services.invoices.get(invoice_id).content.contact_id
        assert contact_id is not None
        composed = services.threads.compose(contact_id, Channel.SMS, "Queued while offline")
        services.send_invoice.send(invoice_id, [Channel.SMS], **_texts(), send_key="inv-1")

        services.contact_tags.set_do_not_contact(contact_id, Channel.SMS, True)
        services.outbox.process_due(clock.now())

        # The invoice is transactional: the switch (conversations, campaigns) leaves it be.
        [sent] = sandbox.received("twilio", "sms")
        assert "Queued while offline" not in str(sent.data)
        assert [row.state for row in services.outbox.for_invoice(invoice_id)] == [OutboxState.SENT]
        row = _row(context, composed, contact_id)
        assert row.extra[CONTACT_KEY] == str(contact_id)
        assert (row.state, row.last_error_code) == (OutboxState.CANCELLED, "do_not_contact")
        assert "do not contact" in row.last_error_hint
        [shown] = [m for m in services.threads.thread(contact_id) if m.id == composed]
        assert shown.status is MessageStatus.CANCELLED and shown.hint


def test_do_not_contact_on_email_cancels_the_composed_email_and_not_the_composed_sms(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        contact_id = ada(context)
        sms = services.threads.compose(contact_id, Channel.SMS, "Your table is ready")
        email = services.threads.compose(contact_id, Channel.EMAIL, "Menu attached", "Menu")
        services.contact_tags.set_do_not_contact(contact_id, Channel.EMAIL, True)
        services.outbox.process_due(clock.now())

        assert sandbox.received("smtp") == []
        assert len(sandbox.received("twilio", "sms")) == 1
        assert _row(context, sms, contact_id).state is OutboxState.SENT
        assert _row(context, email, contact_id).last_error_code == "do_not_contact"


# WhatsApp's 24-hour window ---------------------------------------------------------------------


def test_composed_free_text_that_goes_after_the_window_closed_is_cancelled_a_template_goes(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        contact_id = ada(context)
        store_inbound(context, ADA, "hi", clock.now() - timedelta(hours=23), Channel.WHATSAPP)
        inside = services.threads.compose(contact_id, Channel.WHATSAPP, "Sent at once")
        services.outbox.process_due(clock.now())
        assert len(sandbox.received("twilio", "whatsapp")) == 1  # inside the window: it goes

        late = services.threads.compose(contact_id, Channel.WHATSAPP, "Goes too late")
        template = WhatsAppTemplate(SID, {"1": "Ada"})
        approved = services.threads.compose(
            contact_id, Channel.WHATSAPP, "", whatsapp_template=template
        )
        clock.instant += timedelta(hours=1)  # offline until now: the window closed meanwhile
        services.outbox.process_due(clock.now())

        assert len(sandbox.received("twilio", "whatsapp")) == 2  # only the template
        assert _row(context, inside, contact_id).state is OutboxState.SENT
        assert _row(context, approved, contact_id).state is OutboxState.SENT
        row = _row(context, late, contact_id)
        assert (row.state, row.last_error_code) == (OutboxState.CANCELLED, "whatsapp_window")
        assert "24 hours" in row.last_error and "template" in row.last_error_hint


def test_an_invoice_whatsapp_free_text_that_goes_after_the_window_closed_is_cancelled(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        store_inbound(context, ADA, "send it", clock.now() - timedelta(hours=23), Channel.WHATSAPP)
        services.send_invoice.send(
            invoice_id, [Channel.WHATSAPP], **_texts(), send_key="inv-w", whatsapp=WhatsAppRequest()
        )
        [queued] = services.outbox.for_invoice(invoice_id)
        assert "template_id" not in queued.payload  # free text: the window was open
        clock.instant += timedelta(hours=2)
        services.outbox.process_due(clock.now())

        assert sandbox.received("twilio", "whatsapp") == []
        [row] = services.outbox.for_invoice(invoice_id)
        assert (row.state, row.last_error_code) == (OutboxState.CANCELLED, "whatsapp_window")


def test_the_window_is_the_one_the_number_the_message_goes_to_opened(
    context: AppContext, clock: FixedClock
) -> None:
    services = context.services
    threads = services.threads
    contact_id = ada(context)
    store_inbound(context, ADA, "hi on WhatsApp", clock.now(), Channel.WHATSAPP)
    assert not threads.needs_whatsapp_template(contact_id)
    contact = services.contacts.get(contact_id)
    services.contacts.update(Contact(**{**_fields(contact), "phone": NEW_NUMBER}))

    assert threads.last_inbound_at(contact_id) is None  # the new number never wrote
    assert threads.needs_whatsapp_template(contact_id)
    options = {option.channel: option for option in threads.compose_options(contact_id)}
    assert options[Channel.WHATSAPP].needs_template
    with pytest.raises(ComposeRefusedError, match="24 hours") as refused:
        threads.compose(contact_id, Channel.WHATSAPP, "Free text to the new number")
    assert refused.value.reason == "whatsapp_window"
    assert services.outbox.counts().get(OutboxState.PENDING, 0) == 0

    wrote = clock.now() + timedelta(minutes=5)
    store_inbound(context, NEW_NUMBER, "new phone, same me", wrote, Channel.WHATSAPP)
    clock.instant = wrote + timedelta(minutes=1)
    assert threads.last_inbound_at(contact_id) == wrote
    assert not threads.needs_whatsapp_template(contact_id)
    threads.compose(contact_id, Channel.WHATSAPP, "Free text is fine now")
    [queued] = services.outbox.in_state(OutboxState.PENDING)
    assert queued.recipient.removeprefix("whatsapp:") == NEW_NUMBER


def _fields(contact: Contact) -> dict[str, object]:
    return {name: getattr(contact, name) for name in contact.__dataclass_fields__}


# A stored number that is not E.164 -------------------------------------------------------------


def test_compose_refuses_a_stored_number_that_is_not_international_naming_it(
    context: AppContext,
) -> None:
    services = context.services
    with context.database.unit_of_work() as uow:  # as an import before numbers were checked
        raw = uow.contacts.add(Contact("Imported", "Row", "imported@example.com", phone="12345"))
        uow.commit()

    for channel in (Channel.SMS, Channel.WHATSAPP):
        with pytest.raises(ComposeRefusedError, match="12345") as refused:
            services.threads.compose(raw, channel, "Hello")
        assert refused.value.reason == "invalid_number"
    options = {option.channel: option for option in services.threads.compose_options(raw)}
    for channel in (Channel.SMS, Channel.WHATSAPP):
        assert not options[channel].possible and options[channel].refusal == "invalid_number"
        assert "12345" in options[channel].reason
    assert options[Channel.EMAIL].possible  # the email address is fine
    assert services.outbox.counts().get(OutboxState.PENDING, 0) == 0
    assert services.threads.threads() == []
    services.threads.compose(raw, Channel.EMAIL, "Hello", "Hello")
    assert services.outbox.counts()[OutboxState.PENDING] == 1
