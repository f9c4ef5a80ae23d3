"""A reminder's outbox item: the recipient for its channel and the template filled in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.merge_fields import render_template
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.reminders import ReminderSchedule, days_overdue
from leadcartel_desktop.i18n.formatting import format_date, format_money
from leadcartel_desktop.services.messaging_ports import NewOutboxItem
from leadcartel_desktop.services.outbox import new_item


@dataclass(frozen=True, slots=True)
class Skipped:
    """A reminder not queued, and why (shown to the operator)."""

    invoice_id: int
    reason: str


def recipient(customer: Contact, channel: Channel) -> str:
    return customer.email if channel is Channel.EMAIL else customer.phone


def no_address(customer: Contact, channel: Channel) -> str:
    what = "email address" if channel is Channel.EMAIL else "phone number"
    return f"{customer.display_name} has no {what} for a {channel.value} reminder"


def reminder_item(
    schedule: ReminderSchedule,
    channel: Channel,
    invoice: Invoice,
    customer: Contact,
    business: BusinessSettings,
    *,
    today: date,
    payment_link: str,
    cause: str,
) -> NewOutboxItem:
    content = invoice.content
    values = {
        "customer_first_name": customer.first_name or customer.display_name,
        "invoice_number": invoice.number or "",
        "amount_due": format_money(invoice.totals().balance, content.currency, business.locale),
        "due_date": format_date(content.due_date, business.locale),
        "days_overdue": str(days_overdue(content.due_date, today)),
        "payment_link": payment_link,
        "business_name": business.company_name,
    }
    template = schedule.template(channel)
    payload: dict[str, object] = {"body": render_template(template.body, values)}
    if channel is Channel.EMAIL:
        payload["subject"] = render_template(template.subject, values)
        payload["to_name"] = customer.display_name
    payload["contact"] = {"first_name": customer.first_name, "last_name": customer.last_name,
                          "company": customer.company}  # fmt: skip
    return new_item(
        channel,
        recipient(customer, channel),
        payload,
        cause=cause,
        invoice_id=invoice.id,
        contact_id=customer.id,
    )
