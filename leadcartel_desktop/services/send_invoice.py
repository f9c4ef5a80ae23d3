"""Send invoice: review, templates with merge fields, preview, then issue and queue in one go."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from leadcartel_desktop.domain.contact import Contact, is_e164
from leadcartel_desktop.domain.errors import ConflictError, UserFacingError, ValidationError
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.merge_fields import check_template
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.domain.providers import ProviderKind
from leadcartel_desktop.i18n.formatting import format_date, format_money
from leadcartel_desktop.services.invoices import InvoiceService
from leadcartel_desktop.services.outbox import OutboxService, new_item
from leadcartel_desktop.services.pdf_export import pdf_file_name
from leadcartel_desktop.services.ports import Clock, InvoiceRenderer, UnitOfWorkFactory
from leadcartel_desktop.services.send_review import (
    DEFAULT_TEMPLATES,
    MERGE_FIELDS,
    SENT,
    WAITING,
    ChannelChoice,
    SendResult,
    SendReview,
    SendTemplates,
    check_filled,
    check_sms,
    check_templates,
    delivery_of,
    paid_in_full,
    render,
)
from leadcartel_desktop.services.sync_ports import CloudInvoiceCreator
from leadcartel_desktop.services.whatsapp_sending import (
    WhatsAppRequest,
    WhatsAppWindow,
    whatsapp_payload,
)

if TYPE_CHECKING:
    from leadcartel_desktop.services.invoice_sync import InvoiceSyncService

# The outbox states of a payment push the cloud has accepted.
_PUSHED = {OutboxState.SENT, OutboxState.DELIVERED}
_PUSH_CLAIM = 50

# Re-exported: the dialog, the invoice list and the tests import these from here.
__all__ = [
    "DEFAULT_TEMPLATES",
    "MERGE_FIELDS",
    "SENT",
    "WAITING",
    "ChannelChoice",
    "SendInvoiceService",
    "SendResult",
    "SendReview",
    "SendTemplates",
    "WhatsAppRequest",
    "check_sms",
    "check_templates",
    "delivery_of",
    "render",
]


class SendInvoiceService:
    """The Send dialog's use cases; queueing goes through the outbox, never a provider."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        invoices: InvoiceService,
        outbox: OutboxService,
        renderer: InvoiceRenderer,
        cloud: Callable[[], CloudInvoiceCreator] | None = None,
        *,
        whatsapp_window: WhatsAppWindow | None = None,
        clock: Clock | None = None,
        sync: Callable[[], InvoiceSyncService] | None = None,
    ) -> None:
        """`sync` and `clock` push the payments recorded here to the cloud before its link goes.

        Without them a partly paid invoice's messages go without the cloud's link (the PDF
        and the payment instructions ask for the balance instead).
        """
        self._uow = unit_of_work
        self._cloud = cloud
        self._clock = clock
        self._sync = sync
        self._window = whatsapp_window or WhatsAppWindow()
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
        phone = contact.phone
        paid = invoice.status is InvoiceStatus.PAID
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
                self._choice(Channel.EMAIL, contact.email, "email address"),
                self._choice(Channel.SMS, phone, "mobile number"),
                self._choice(Channel.WHATSAPP, phone, "mobile number"),
            ),
            templates=self.templates,
            whatsapp_needs_template=self._window.needs_template(phone),
            whatsapp_twilio=self._whatsapp_kind() is ProviderKind.TWILIO,
            paid_in_full=paid,
        )

    def _payment_link(self, invoice_id: int) -> str:
        with self._uow(read_only=True) as uow:
            return uow.invoice_sync.payment_link(invoice_id)

    def _whatsapp_kind(self) -> ProviderKind:
        with self._uow(read_only=True) as uow:
            return uow.providers.providers().whatsapp

    def _expected(self, review: SendReview) -> SendReview:
        """The review as it will be once sent: a cloud account will supply the payment link."""
        if review.values["payment_link"] or self._cloud is None:
            return review
        with self._uow(read_only=True) as uow:
            if not uow.providers.providers().uses_cloud:
                return review
        values = {**review.values, "payment_link": "https://payment.link"}  # any non-empty
        return replace(review, values=values)

    def _publish(self, invoice_id: int) -> str:
        """Create the issued invoice in the cloud once, when an account is set up.

        The network call runs outside any transaction; '' when done (or not wanted), else
        why it failed.
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
            return error.message
        with self._uow() as uow:
            uow.invoice_sync.set_remote(invoice_id, remote_id, link)
            uow.commit()
        return ""

    def _settle_payments(self, invoice_id: int) -> bool:
        """Whether the cloud's copy holds every payment recorded here (its link asks no more).

        The payments are pushed as the status sync pushes them (the same outbox rows, keyed
        payment:<id>, so never twice), and those rows are delivered now, before any message
        carries the link: the customer may pay the moment it arrives.
        """
        with self._uow(read_only=True) as uow:
            if uow.invoices.get(invoice_id).paid <= 0:
                return True
        if self._sync is not None and self._clock is not None:
            self._sync().push_pending()
            self._deliver(self._pushes(invoice_id), self._clock)
        with self._uow(read_only=True) as uow:
            unpushed = [
                p for p in uow.invoice_sync.unpushed_payments() if p.invoice_id == invoice_id
            ]
        pushes = self._pushes(invoice_id)
        return not unpushed and all(row.state in _PUSHED for row in pushes)

    def _pushes(self, invoice_id: int) -> list[OutboxMessage]:
        """The invoice's payment pushes (the status sync's record_payment calls)."""
        return [
            row
            for row in self._outbox.for_invoice(invoice_id)
            if row.channel is Channel.CLOUD and row.idempotency_key.startswith("payment:")
        ]

    def _deliver(self, rows: list[OutboxMessage], clock: Clock) -> None:
        """Send these waiting cloud rows now, on this (worker) thread, as the outbox would.

        The cloud channel's due rows are claimed in order (a worker may hold some: they are
        then its to send), until none of `rows` waits any more.
        """
        waiting = {row.id for row in rows if row.state is OutboxState.PENDING}
        if not waiting:
            return
        lease = self._outbox.lease()
        lease.take(clock.now())
        try:
            # One payment per cloud invoice is claimed at a time (per-recipient order).
            for _ in range(len(waiting) + 1):
                batch = self._outbox.claim(
                    clock.now(), _PUSH_CLAIM, Channel.CLOUD, worker=lease.worker
                )
                for message in batch:
                    self._outbox.deliver(message)
                    lease.keep(clock.now())
                waiting = {m.id for m in self._pushes_of(waiting) if m.state is OutboxState.PENDING}
                if not batch or not waiting:
                    break
        finally:
            lease.end()

    def _pushes_of(self, ids: set[int]) -> list[OutboxMessage]:
        return [self._outbox.get(message_id) for message_id in ids]

    def _choice(self, channel: Channel, recipient: str, what: str) -> ChannelChoice:
        if not recipient:
            return ChannelChoice(channel, "", f"The customer has no {what}")
        if channel is not Channel.EMAIL and not is_e164(recipient):
            # Kept from before numbers were checked on save: the provider would guess a country.
            return ChannelChoice(
                channel, "", f"The customer's {what} '{recipient}' has no country code (+...)"
            )
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
        whatsapp: WhatsAppRequest | None = None,
    ) -> SendResult:
        """Issue a draft (number, lock) and queue one message per channel.

        `send_key` is made once when the dialog opens: the same key queues nothing twice,
        and an invoice issued by the first press is not issued again. Everything that can be
        checked is checked before the invoice is issued.
        """
        wanted = list(dict.fromkeys(channels))
        check_templates(subject, message, sms_message)
        if not send_key:
            raise ValidationError("Send", "no send key was given")
        before = self.review(invoice_id)
        if wanted and before.paid_in_full:  # Download PDF and Print still give a copy
            raise ConflictError(paid_in_full(before.number))
        for channel in wanted:
            choice = before.choice(channel)
            if choice is None or not choice.recipient:
                raise ValidationError("Delivery", choice.reason if choice else "not offered")
            if channel is Channel.WHATSAPP and not choice.possible:
                raise ValidationError("WhatsApp", choice.reason)  # offered only when set up
        whatsapp = whatsapp or WhatsAppRequest()
        expected = self._expected(before)  # with the cloud, {payment_link} will be filled
        # Every text must say something without the link too: the cloud may fail to make it.
        bare = {**before.values, "payment_link": ""}
        check_filled(
            wanted,
            render(subject, bare),
            render(message, bare),
            render(sms_message, bare),
            sms_text=not whatsapp.template_id.strip(),
        )
        if Channel.SMS in wanted:
            check_sms(render(sms_message, expected.values))
        if Channel.WHATSAPP in wanted:  # refused now rather than after issuing
            self._payload(Channel.WHATSAPP, expected, DEFAULT_TEMPLATES, whatsapp)
        invoice = self._invoices.get(invoice_id)
        if invoice.status is InvoiceStatus.CANCELLED:
            raise ConflictError(f"Invoice {invoice.number} is cancelled and cannot be sent")
        if invoice.is_draft:
            invoice = self._invoices.issue(invoice_id)
        # A paid invoice is not put in the cloud: its page would ask for the total again.
        failure = "" if before.paid_in_full else self._publish(invoice_id)
        email = Channel.EMAIL in wanted
        note = _without_link(NOT_CREATED, email, failure) if failure else ""
        review = self.review(invoice_id)  # the number (and any payment link) is known now
        if review.values["payment_link"] and not self._settle_payments(invoice_id):
            # The cloud would ask for the whole total: the PDF asks for the balance instead.
            note = _without_link(NOT_SETTLED, email)
            review = replace(review, values={**review.values, "payment_link": ""})
        texts = SendTemplates(subject, message, sms_message)
        payloads = {  # every payload first: a refused one queues nothing
            channel: self._payload(channel, review, texts, whatsapp) for channel in wanted
        }
        ids: dict[Channel, int] = {}
        for channel, payload in payloads.items():
            choice = review.choice(channel)
            assert choice is not None
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

    def _payload(
        self,
        channel: Channel,
        review: SendReview,
        texts: SendTemplates,
        whatsapp: WhatsAppRequest,
    ) -> dict[str, object]:
        if channel is Channel.EMAIL:
            return self._email(review, texts.subject, texts.message)
        text = render(texts.sms_message, review.values)
        if channel is not Channel.WHATSAPP:
            check_sms(text)
            return {"body": text}
        return whatsapp_payload(
            whatsapp,
            MERGE_FIELDS,
            lambda template: render(template, review.values),
            needs=review.whatsapp_needs_template,
            twilio=review.whatsapp_twilio,
            free_text=text,
        )

    def _email(self, review: SendReview, subject: str, message: str) -> dict[str, object]:
        body = render(message, review.values)
        link = review.values["payment_link"]
        if link and "{payment_link}" not in message:
            body += f"\n\nPay online: {link}"
        elif not link and review.terms:
            body += f"\n\nPayment instructions:\n{review.terms}"
        pdf = self._invoices.render_pdf(review.invoice_id, self._renderer)
        name = pdf_file_name(self._invoices.get(review.invoice_id))  # 'INV/1' is no file name
        return {
            "subject": render(subject, review.values),
            "body": body,
            "to_name": review.customer,
            "attachments": [
                {
                    "filename": name,
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


NOT_CREATED = "The invoice could not be created in the cloud"
NOT_SETTLED = (
    "Payments recorded here have not all reached the cloud yet (they go with the next sync), "
    "and its payment page would ask for the whole total"
)


def _without_link(why: str, email: bool, said: str = "") -> str:
    """Why the messages carry no online payment link, and what goes instead."""
    instead = (
        "the email carries the PDF and your payment instructions instead"
        if email
        else "the messages go without an online payment link"
    )
    return f"{why}, so {instead}." + (f" The cloud said: {said}" if said else "")
