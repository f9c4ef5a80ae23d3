"""WhatsApp reminders and the 24-hour window: free text inside it, the approved template outside."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import ProviderKind
from leadcartel_desktop.domain.reminders import (
    DEFAULT_TEMPLATES,
    ReminderSchedule,
    ReminderStep,
    ReminderTemplate,
)
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.reminder_messages import NO_WHATSAPP_TEMPLATE
from leadcartel_desktop.services.reminders import ReminderService
from tests.conftest import FixedClock
from tests.integration.thread_support import store_inbound

Context = Any  # leadcartel_desktop.app.AppContext
PHONE = "+6591234567"
SID = "HX" + "b5c2e1f0a9d84c7e" * 2
VARIABLES = "1={customer_first_name}; 2={invoice_number}; 3={days_overdue}"
STEPS = (ReminderStep(3, Channel.WHATSAPP),)
FREE_TEXT = ReminderTemplate("Hi {customer_first_name}, {invoice_number} is due.")


def schedule(template_id: str = "", variables: str = "") -> ReminderSchedule:
    whatsapp = replace(FREE_TEXT, template_id=template_id, variables=variables)
    return ReminderSchedule(STEPS, {**DEFAULT_TEMPLATES, Channel.WHATSAPP: whatsapp})


@pytest.fixture
def reminders(context: Context) -> ReminderService:
    services = context.services
    services.settings.save_business(BusinessSettings(company_name="Acme"))
    service: ReminderService = services.reminders
    service.save_schedule(schedule())
    return service


def issue(context: Context) -> int:
    """An invoice due 2026-03-02 for Ann on WhatsApp: 8 days late at the clock's 2026-03-10."""
    services = context.services
    customer = services.contacts.create(Contact(first_name="Ann", last_name="Lee", phone=PHONE))
    content = InvoiceContent(
        contact_id=customer.id,
        currency="USD",
        issue_date=date(2026, 2, 20),
        due_date=date(2026, 3, 2),
        lines=(LineItem("Work", Decimal(1), 10000),),
    )
    invoice_id: int = services.invoices.issue(services.invoices.save_draft(content)).id
    return invoice_id


def use_twilio(context: Context) -> None:
    providers = context.services.providers
    providers.save(replace(providers.settings(), whatsapp=ProviderKind.TWILIO))


def test_inside_the_window_the_free_text_is_queued(
    context: Context, reminders: ReminderService, clock: FixedClock
) -> None:
    reminders.save_schedule(schedule(SID, VARIABLES))  # a template, but not needed now
    invoice_id = issue(context)
    wrote = clock.now() - timedelta(hours=2)
    store_inbound(context, PHONE, "Will pay soon", wrote, Channel.WHATSAPP)
    run = reminders.run()
    assert (run.queued, run.skipped) == (1, ())
    (row,) = context.services.outbox.for_invoice(invoice_id)
    number = context.services.invoices.get(invoice_id).number
    assert row.channel is Channel.WHATSAPP and row.recipient == PHONE
    assert row.payload["body"] == f"Hi Ann, {number} is due."
    assert "template_id" not in row.payload


def test_outside_the_window_the_template_goes_with_its_variables_rendered(
    context: Context, reminders: ReminderService, clock: FixedClock
) -> None:
    use_twilio(context)
    reminders.save_schedule(schedule(SID, VARIABLES))
    invoice_id = issue(context)
    # The customer wrote, but 25 hours ago: the window has closed.
    store_inbound(context, PHONE, "Hello", clock.now() - timedelta(hours=25), Channel.WHATSAPP)
    assert reminders.run_due() == 1
    (row,) = context.services.outbox.for_invoice(invoice_id)
    number = context.services.invoices.get(invoice_id).number
    variables = {"1": "Ann", "2": number, "3": "8"}
    assert row.payload["template_id"] == SID
    assert row.payload["template_variables"] == variables
    assert row.payload["body"] == f"WhatsApp template {SID}: 1=Ann; 2={number}; 3=8"
    manual = reminders.send_now(invoice_id, press="p1", channel=Channel.WHATSAPP)
    assert context.services.outbox.get(manual).payload["template_variables"] == variables


def test_outside_the_window_without_a_template_the_step_waits_for_one(
    context: Context, reminders: ReminderService
) -> None:
    invoice_id = issue(context)  # the customer never wrote on WhatsApp
    run = reminders.run()
    assert run.queued == 0
    assert [(s.invoice_id, s.reason) for s in run.skipped] == [(invoice_id, NO_WHATSAPP_TEMPLATE)]
    assert context.services.outbox.for_invoice(invoice_id) == []
    with pytest.raises(ValidationError, match="WhatsApp template: outside WhatsApp's 24-hour"):
        reminders.send_now(invoice_id, channel=Channel.WHATSAPP)
    assert context.services.outbox.for_invoice(invoice_id) == []
    reminders.save_schedule(schedule(SID, VARIABLES))
    run = reminders.run()
    assert (run.queued, run.skipped) == (1, ())
    (row,) = context.services.outbox.for_invoice(invoice_id)
    assert row.idempotency_key == f"reminder:{invoice_id}:3"
    assert row.payload["template_id"] == SID
    assert reminders.run_due() == 0  # queued once


def test_a_template_id_twilio_refuses_is_reported_and_the_step_waits(
    context: Context, reminders: ReminderService
) -> None:
    use_twilio(context)
    reminders.save_schedule(schedule("tmpl_1", VARIABLES))  # fine for the cloud, not Twilio
    invoice_id = issue(context)
    run = reminders.run()
    assert run.queued == 0
    (skipped,) = run.skipped
    assert skipped.reason.startswith("WhatsApp template: a Twilio Content SID")
    reminders.save_schedule(schedule(SID, VARIABLES))
    assert reminders.run_due() == 1
    assert len(context.services.outbox.for_invoice(invoice_id)) == 1


def test_the_template_id_and_variables_are_stored(
    context: Context, reminders: ReminderService
) -> None:
    saved = reminders.save_schedule(schedule(f"  {SID} ", VARIABLES))
    assert saved.template(Channel.WHATSAPP).template_id == SID  # trimmed
    stored = reminders.schedule().template(Channel.WHATSAPP)
    assert (stored.body, stored.template_id, stored.variables) == (
        FREE_TEXT.body,
        SID,
        VARIABLES,
    )
    # A row saved before templates had these keys reads them as empty.
    older = {"whatsapp": {"subject": "", "body": FREE_TEXT.body}}
    with context.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE reminder_settings SET templates = :t WHERE id = 1"),
            {"t": json.dumps(older)},
        )
    stored = reminders.schedule().template(Channel.WHATSAPP)
    assert (stored.body, stored.template_id, stored.variables) == (FREE_TEXT.body, "", "")


@pytest.mark.parametrize(
    ("template_id", "variables", "match"),
    [
        (SID, "1={nickname}", r"WhatsApp variables: unknown merge field \{nickname\}"),
        (SID, "1 {invoice_number}", "WhatsApp variables: '1 {invoice_number}' needs the form"),
        ("not an id!", "", "WhatsApp template: 'not an id!' is not a template id"),
        ("", VARIABLES, "WhatsApp template: enter the approved template's id"),
    ],
)
def test_a_bad_template_or_variables_is_refused_naming_the_field(
    reminders: ReminderService, template_id: str, variables: str, match: str
) -> None:
    before = reminders.schedule()
    with pytest.raises(ValidationError, match=match):
        reminders.save_schedule(schedule(template_id, variables))
    assert reminders.schedule() == before
