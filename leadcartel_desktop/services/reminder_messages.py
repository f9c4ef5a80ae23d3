"""A reminder's outbox item: the recipient for its channel and the template filled in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.merge_fields import render_template, without_field
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import ProviderKind
from leadcartel_desktop.domain.reminders import MERGE_FIELDS, ReminderSchedule, days_overdue
from leadcartel_desktop.domain.whatsapp import needs_template
from leadcartel_desktop.i18n.formatting import format_date, format_money
from leadcartel_desktop.services.messaging_ports import NewOutboxItem
from leadcartel_desktop.services.outbox import new_item
from leadcartel_desktop.services.outbox_recorder import register_address
from leadcartel_desktop.services.ports import UnitOfWork
from leadcartel_desktop.services.whatsapp_sending import WhatsAppRequest, whatsapp_payload

NO_WHATSAPP_TEMPLATE = (
    "outside WhatsApp's 24-hour window: set an approved template in Settings > Reminders"
)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A reminder not queued, and why (shown to the operator)."""

    invoice_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class WhatsAppState:
    """Whether only an approved template may go now, and whether Twilio sends it."""

    needs_template: bool = False
    twilio: bool = False


def recipient(customer: Contact, channel: Channel) -> str:
    return customer.email if channel is Channel.EMAIL else customer.phone


def no_address(customer: Contact, channel: Channel) -> str:
    what = "email address" if channel is Channel.EMAIL else "phone number"
    return f"{customer.display_name} has no {what} for a {channel.value} reminder"


def whatsapp_state(
    uow: UnitOfWork, channel: Channel, customer: Contact, now: datetime
) -> WhatsAppState:
    """The customer's 24-hour window as of `now` (other channels have none)."""
    if channel is not Channel.WHATSAPP:
        return WhatsAppState()
    address = register_address(customer.phone)
    last = uow.messages.last_inbound_at(Channel.WHATSAPP, address=address)
    twilio = uow.providers.providers().whatsapp is ProviderKind.TWILIO
    return WhatsAppState(needs_template(last, now), twilio)


def template_missing(schedule: ReminderSchedule, channel: Channel, state: WhatsAppState) -> bool:
    """Outside the window with no approved template: WhatsApp would refuse it (error 63016)."""
    return state.needs_template and not schedule.template(channel).template_id.strip()


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
    whatsapp: WhatsAppState | None = None,
) -> NewOutboxItem:
    """The item to queue; ValidationError when its WhatsApp template cannot be filled."""
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

    def fill(text: str) -> str:
        """A template filled; with no link, its pay prompt left out (body, subject, variables)."""
        shown = text if payment_link else without_field(text, "payment_link")
        return render_template(shown, values)

    body = fill(template.body).strip()
    terms = content.terms or business.default_terms
    if channel is Channel.EMAIL and not payment_link and terms.strip():
        body += f"\n\nPayment instructions:\n{terms.strip()}"  # as the invoice email has them
    payload: dict[str, object] = {"body": body}
    if channel is Channel.WHATSAPP:
        state = whatsapp or WhatsAppState()
        # Inside the window free text reads better than a template, so the template is
        # offered only when WhatsApp insists on one.
        request = WhatsAppRequest(
            template.template_id if state.needs_template else "", template.variables
        )
        payload = whatsapp_payload(
            request,
            MERGE_FIELDS,
            fill,
            needs=state.needs_template,
            twilio=state.twilio,
            free_text=body,
        )
    if channel is Channel.EMAIL:
        payload["subject"] = fill(template.subject).strip()
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
