"""Send invoice: review, templates with merge fields, preview, then issue and queue in one go."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ConflictError, UserFacingError, ValidationError
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.merge_fields import check_template, render_template
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.i18n.formatting import format_date, format_money
from leadcartel_desktop.services.invoices import InvoiceService
from leadcartel_desktop.services.outbox import OutboxService, new_item
from leadcartel_desktop.services.ports import InvoiceRenderer, UnitOfWorkFactory
from leadcartel_desktop.services.sync_ports import CloudInvoiceCreator

MERGE_FIELDS = (
    "customer_first_name",
    "invoice_number",
    "amount_due",
    "due_date",
    "payment_link",
    "business_name",
)
WAITING = "Waiting to send"
SENT = "Sent"
_OPEN = {OutboxState.PENDING, OutboxState.SENDING, OutboxState.UNKNOWN}
_DONE = {OutboxState.SENT, OutboxState.DELIVERED}


@dataclass(frozen=True, slots=True)
class SendTemplates:
    subject: str
    message: str
    sms_message: str


DEFAULT_TEMPLATES = SendTemplates(
    subject="Invoice {invoice_number} from {business_name}",
    message=(
        "Hi {customer_first_name},\n\n"
        "Please find attached invoice {invoice_number} for {amount_due}, due {due_date}.\n\n"
        "Thank you,\n{business_name}"
    ),
    sms_message=(
        "Hi {customer_first_name}, invoice {invoice_number} from {business_name} for "
        "{amount_due} is due {due_date}. {payment_link}"
    ),
)


@dataclass(frozen=True, slots=True)
class ChannelChoice:
    """Whether a channel can carry this invoice, and why not when it cannot."""

    channel: Channel
    recipient: str
    reason: str = ""

    @property
    def possible(self) -> bool:
        return not self.reason


@dataclass(frozen=True, slots=True)
class SendReview:
    """What the Send dialog shows before anything happens."""

    invoice_id: int
    number: str
    is_draft: bool
    customer: str
    email: str
    phone: str
    total: str
    amount_due: str
    due_date: str
    terms: str
    values: dict[str, str]
    channels: tuple[ChannelChoice, ...]
    templates: SendTemplates = DEFAULT_TEMPLATES

    def choice(self, channel: Channel) -> ChannelChoice | None:
        return next((c for c in self.channels if c.channel is channel), None)


@dataclass(frozen=True, slots=True)
class SendResult:
    invoice: Invoice
    message_ids: dict[Channel, int] = field(default_factory=dict)
    note: str = ""  # why the cloud's payment link is missing, when it was meant to be used


def check_templates(subject: str, message: str, sms_message: str) -> None:
    """Refuse a template naming a merge field this flow cannot fill (the field is named)."""
    check_template(subject, MERGE_FIELDS, "Subject")
    check_template(message, MERGE_FIELDS, "Message")
    check_template(sms_message, MERGE_FIELDS, "SMS message")


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill the merge fields; spaces left by an empty field (no payment link) are tidied."""
    text = render_template(template, {name: values.get(name, "") for name in MERGE_FIELDS})
    return re.sub(r"[ \t]+(\n|$)", r"\1", text).strip()


def delivery_of(rows: Iterable[OutboxMessage]) -> str:
    """'Waiting to send' until every message is accepted, then 'Sent'; '' when none."""
    states = [row.state for row in rows if row.state is not OutboxState.CANCELLED]
    if not states:
        return ""
    if any(state in _OPEN for state in states):
        return WAITING
    if any(state is OutboxState.FAILED for state in states):
        return "Not sent"
    return SENT


class SendInvoiceService:
    """The Send dialog's use cases; queueing goes through the outbox, never a provider."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        invoices: InvoiceService,
        outbox: OutboxService,
        renderer: InvoiceRenderer,
        cloud: Callable[[], CloudInvoiceCreator] | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._cloud = cloud
        self._invoices = invoices
        self._outbox = outbox
        self._renderer = renderer
        self.templates = DEFAULT_TEMPLATES

    def review(self, invoice_id: int) -> SendReview:
        document = self._invoices.document(invoice_id)
        invoice, business, customer = document.invoice, document.business, document.customer
        contact = customer or Contact()
        locale = business.locale
        currency = invoice.content.currency
        due = format_money(document.totals.balance, currency, locale)
        values = {
            "customer_first_name": contact.first_name or contact.display_name,
            "invoice_number": invoice.number or document.number_preview,
            "amount_due": due,
            "due_date": format_date(invoice.content.due_date, locale),
            "payment_link": self._payment_link(invoice_id),  # only from the cloud account
            "business_name": business.company_name,
        }
        return SendReview(
            invoice_id=invoice_id,
            number=values["invoice_number"],
            is_draft=invoice.is_draft,
            customer=contact.display_name,
            email=contact.email,
            phone=contact.phone,
            total=format_money(document.totals.total, currency, locale),
            amount_due=due,
            due_date=values["due_date"],
            terms=invoice.content.terms or business.default_terms,
            values=values,
            channels=(
                self._choice(Channel.EMAIL, contact.email, "an email address"),
                self._choice(Channel.SMS, contact.phone, "a mobile number"),
            ),
            templates=self.templates,
        )

    def _payment_link(self, invoice_id: int) -> str:
        with self._uow(read_only=True) as uow:
            return uow.invoice_sync.payment_link(invoice_id)

    def _publish(self, invoice_id: int) -> str:
        """Create the issued invoice in the cloud once, when an account is set up.

        The network call runs outside any transaction; '' when done (or not wanted), else
        why the email falls back to the PDF and the payment instructions.
        """
        if self._cloud is None:
            return ""
        with self._uow(read_only=True) as uow:
            if not uow.providers.providers().uses_cloud:
                return ""
            if uow.invoice_sync.remote(invoice_id) is not None:
                return ""
        document = self._invoices.document(invoice_id)
        try:
            remote_id, link = self._cloud().create_invoice(
                document.invoice,
                document.customer or Contact(),
                document.business,
                f"invoice:{invoice_id}",
            )
        except UserFacingError as error:
            return (
                f"The invoice could not be created in the cloud ({error.message}); "
                "the email carries the PDF and your payment instructions instead."
            )
        with self._uow() as uow:
            uow.invoice_sync.set_remote(invoice_id, remote_id, link)
            uow.commit()
        return ""

    def _choice(self, channel: Channel, recipient: str, what: str) -> ChannelChoice:
        if not recipient:
            return ChannelChoice(channel, "", f"The customer has no {what}")
        if self._outbox.is_opted_out(channel, recipient):
            return ChannelChoice(channel, "", f"{recipient} has opted out")
        reason = self._outbox.unavailable(channel)
        return ChannelChoice(channel, recipient, reason or "")

    def preview(self, review: SendReview, template: str, field_name: str = "Message") -> str:
        """The text as this customer will read it; an unknown merge field is refused."""
        check_template(template, MERGE_FIELDS, field_name)
        return render(template, review.values)

    def send(
        self,
        invoice_id: int,
        channels: Iterable[Channel],
        *,
        subject: str,
        message: str,
        sms_message: str,
        send_key: str,
    ) -> SendResult:
        """Issue a draft (number, lock) and queue one message per channel.

        `send_key` is made once when the dialog opens: the same key queues nothing twice,
        and an invoice issued by the first press is not issued again.
        """
        wanted = list(dict.fromkeys(channels))
        check_templates(subject, message, sms_message)
        if not send_key:
            raise ValidationError("Send", "no send key was given")
        before = self.review(invoice_id)
        for channel in wanted:
            choice = before.choice(channel)
            if choice is None or not choice.recipient:
                raise ValidationError("Delivery", choice.reason if choice else "not offered")
        invoice = self._invoices.get(invoice_id)
        if invoice.status is InvoiceStatus.CANCELLED:
            raise ConflictError(f"Invoice {invoice.number} is cancelled and cannot be sent")
        if invoice.is_draft:
            invoice = self._invoices.issue(invoice_id)
        note = self._publish(invoice_id)
        review = self.review(invoice_id)  # the number (and any payment link) is known now
        ids: dict[Channel, int] = {}
        for channel in wanted:
            choice = review.choice(channel)
            assert choice is not None
            payload = (
                self._email(review, subject, message)
                if channel is Channel.EMAIL
                else {"body": render(sms_message, review.values)}
            )
            item = new_item(
                channel,
                choice.recipient,
                payload,
                cause=f"invoice:{invoice_id}:send:{send_key}:{channel.value}",
                invoice_id=invoice_id,
                contact_id=invoice.content.contact_id,
            )
            ids[channel] = self._outbox.enqueue_item(item)
        return SendResult(invoice, ids, note)

    def _email(self, review: SendReview, subject: str, message: str) -> dict[str, object]:
        body = render(message, review.values)
        link = review.values["payment_link"]
        if link and "{payment_link}" not in message:
            body += f"\n\nPay online: {link}"
        elif not link and review.terms:
            body += f"\n\nPayment instructions:\n{review.terms}"
        pdf = self._invoices.render_pdf(review.invoice_id, self._renderer)
        return {
            "subject": render(subject, review.values),
            "body": body,
            "to_name": review.customer,
            "attachments": [
                {
                    "filename": f"{review.number}.pdf",
                    "content_type": "application/pdf",
                    "data_base64": base64.b64encode(pdf).decode("ascii"),
                }
            ],
        }

    def delivery(self, invoice_id: int) -> str:
        """What the list shows for this invoice's messages: Waiting to send, Sent, Not sent."""
        return delivery_of(self._outbox.for_invoice(invoice_id))

    def deliveries(self, invoice_ids: Iterable[int]) -> dict[int, str]:
        return {invoice_id: self.delivery(invoice_id) for invoice_id in invoice_ids}
