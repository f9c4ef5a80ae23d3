"""The invoice life: drafts, numbering, issuing, cancelling, duplicating, deleting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from leadcartel_desktop.domain.business import BusinessSettings, Seller
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ConflictError, ValidationError
from leadcartel_desktop.domain.invoice import Invoice, InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus, display_status
from leadcartel_desktop.domain.numbering import normalize_manual_number, render_number, series_key
from leadcartel_desktop.domain.terms import due_date_for_net
from leadcartel_desktop.services.clock import today_in
from leadcartel_desktop.services.ports import Clock, InvoiceRenderer, UnitOfWork, UnitOfWorkFactory
from leadcartel_desktop.services.views import InvoiceDocument

if TYPE_CHECKING:
    from leadcartel_desktop.services.invoice_sync import InvoiceSyncService


class InvoiceService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        renderer: InvoiceRenderer,
        sync: Callable[[], InvoiceSyncService] | None = None,
    ) -> None:
        """`sync` (made on first use) queues the void of a cancelled invoice's cloud copy."""
        self._uow = unit_of_work
        self._clock = clock
        self._renderer = renderer  # to refuse, before issuing, an invoice that cannot print
        self._sync = sync

    def today(self) -> date:
        with self._uow(read_only=True) as uow:
            return today_in(self._clock, uow.settings.business().time_zone)

    def new_content(self) -> InvoiceContent:
        """An empty draft with the business's defaults (currency, Net N, terms, notes)."""
        with self._uow(read_only=True) as uow:
            business = uow.settings.business()
        today = today_in(self._clock, business.time_zone)
        return InvoiceContent(
            contact_id=None,
            currency=business.default_currency,
            issue_date=today,
            due_date=due_date_for_net(today, business.payment_terms_days),
            terms=business.default_terms,
            notes=business.default_notes,
            net_days=business.payment_terms_days,
        )

    def get(self, invoice_id: int) -> Invoice:
        with self._uow(read_only=True) as uow:
            return uow.invoices.get(invoice_id)

    def next_number(self, issue_date: date, number_format: str | None = None) -> str:
        """The number the next invoice issued on `issue_date` will get (nothing is consumed).

        `number_format` previews a format not yet saved (the settings form's live example).
        """
        with self._uow(read_only=True) as uow:
            return self._preview(uow, issue_date, number_format)

    def _preview(self, uow: UnitOfWork, issue_date: date, number_format: str | None = None) -> str:
        number_format = number_format or uow.settings.business().number_format
        sequence = uow.counters.peek(series_key(number_format, issue_date))
        return render_number(number_format, issue_date, sequence)

    def _check_number_free(self, uow: UnitOfWork, number: str, invoice_id: int | None) -> None:
        owner = uow.invoices.id_for_number(number)
        if owner is not None and owner != invoice_id:
            raise ConflictError(f"Invoice number: {number} is already used by another invoice")

    def save_draft(
        self,
        content: InvoiceContent,
        invoice_id: int | None = None,
        manual_number: str | None = None,
    ) -> int:
        """Create or overwrite a draft; a hand-typed number is kept for when it is issued."""
        content.check()
        if manual_number is not None:
            manual_number = normalize_manual_number(manual_number)
        with self._uow() as uow:
            if manual_number is not None:
                self._check_number_free(uow, manual_number, invoice_id)
            totals = content.totals()
            if invoice_id is None:
                invoice_id = uow.invoices.add(content, totals, self._clock.now())
            else:
                uow.invoices.replace_content(invoice_id, content, totals)
            uow.invoices.set_manual_number(invoice_id, manual_number)
            uow.commit()
        return invoice_id

    def issue(self, invoice_id: int) -> Invoice:
        """Mark as sent: give it its number (gapless, same transaction) and lock its content."""
        with self._uow() as uow:
            invoice = uow.invoices.get(invoice_id)
            if not invoice.is_draft:
                raise ConflictError(f"Invoice {invoice.number} is already issued")
            invoice.content.check_issuable()
            contact_id = invoice.content.contact_id
            assert contact_id is not None  # check_issuable() refuses an invoice without one
            status = _issued_status(invoice.content)
            buyer = uow.contacts.get(contact_id)
            # Checked before a number is taken: what cannot be printed is refused now, not
            # found once the invoice is locked.
            issued = self._check_printable(uow, replace(invoice, status=status), buyer)
            if invoice.manual_number:
                number = invoice.manual_number
                self._check_number_free(uow, number, invoice_id)
            else:
                number = self._take_number(uow, invoice.content.issue_date)
            now = self._clock.now()
            uow.invoices.mark_issued(
                invoice_id, number, status, now, seller=issued.seller, buyer=buyer
            )
            uow.commit()
        return self.get(invoice_id)

    def check_printable(
        self, content: InvoiceContent, customer: Contact, manual_number: str | None = None
    ) -> None:
        """Raise what issue() would about the page of an invoice not saved yet.

        The importer asks before it saves the customer and the draft, so nothing is saved.
        """
        status = _issued_status(content)
        draft = Invoice(0, content, status, None, manual_number=manual_number)
        with self._uow(read_only=True) as uow:
            self._check_printable(uow, draft, customer)

    def _check_printable(self, uow: UnitOfWork, invoice: Invoice, buyer: Contact) -> Invoice:
        """The invoice as issue() will store it (seller frozen), once its page is checked."""
        business = uow.settings.business()
        number = invoice.manual_number or self._preview(uow, invoice.content.issue_date)
        issued = replace(invoice, number=number, seller=Seller.of(business), buyer=buyer)
        self._renderer.check(self._document(issued, business, buyer, number))
        return issued

    def _take_number(self, uow: UnitOfWork, issue_date: date) -> str:
        number_format = uow.settings.business().number_format
        series = series_key(number_format, issue_date)
        while True:
            number = render_number(number_format, issue_date, uow.counters.take(series))
            # A number typed by hand earlier may already hold this slot; it is not reused.
            if uow.invoices.id_for_number(number) is None:
                return number

    def cancel(self, invoice_id: int, reason: str) -> Invoice:
        reason = reason.strip()
        if not reason:
            raise ValidationError("Reason", "say why the invoice is cancelled")
        with self._uow() as uow:
            invoice = uow.invoices.get(invoice_id)
            if invoice.is_draft:
                raise ConflictError("A draft has no number to keep: delete it instead")
            if invoice.status is InvoiceStatus.CANCELLED:
                raise ConflictError(f"Invoice {invoice.number} is already cancelled")
            if invoice.paid:
                raise ConflictError(
                    f"Invoice {invoice.number} has payments: delete them before cancelling"
                )
            uow.invoices.set_status(invoice_id, InvoiceStatus.CANCELLED, reason)
            # In the same transaction: the cloud's hosted page must stop taking money for it.
            voided = self._sync is not None and self._sync().queue_void_in(uow, invoice_id)
            uow.commit()
        if voided and self._sync is not None:
            self._sync().notify()
        return self.get(invoice_id)

    def duplicate(self, invoice_id: int) -> int:
        """A new draft with the same customer and items, dated today."""
        source = self.get(invoice_id)
        today = self.today()
        days = source.content.net_days
        if days is None:
            days = (source.content.due_date - source.content.issue_date).days
        content = replace(source.content, issue_date=today, due_date=due_date_for_net(today, days))
        return self.save_draft(content)

    def mark_viewed(self, invoice_id: int) -> Invoice:
        """Record that the customer opened a sent invoice (Sent becomes Viewed)."""
        with self._uow() as uow:
            if uow.invoices.get(invoice_id).status is InvoiceStatus.SENT:
                uow.invoices.set_status(invoice_id, InvoiceStatus.VIEWED)
                uow.commit()
        return self.get(invoice_id)

    def number_taken(self, number: str) -> bool:
        """Whether an invoice (issued, or a draft with it typed by hand) holds this number."""
        with self._uow(read_only=True) as uow:
            return uow.invoices.id_for_number(number.strip()) is not None

    def delete_draft(self, invoice_id: int) -> None:
        with self._uow() as uow:
            invoice = uow.invoices.get(invoice_id)
            if not invoice.is_draft:
                raise ConflictError(
                    f"Invoice {invoice.number} is issued and cannot be deleted: cancel it instead"
                )
            uow.invoices.delete(invoice_id)
            uow.commit()

    def resolve(self, reference: str) -> int:
        """An invoice id from a number, or from a draft's id ('12' or '#12')."""
        text = reference.strip()
        with self._uow(read_only=True) as uow:
            found = uow.invoices.id_for_number(text)
            if found is not None:
                return found
            digits = text.removeprefix("#")
            if digits.isdigit() and len(digits) <= 18:
                return uow.invoices.get(int(digits)).id
        raise ValidationError("Invoice", f"no invoice has the number or id '{reference}'")

    def document(self, invoice_id: int) -> InvoiceDocument:
        """What prints: an issued invoice from its snapshots, a draft from the live data."""
        with self._uow(read_only=True) as uow:
            invoice = uow.invoices.get(invoice_id)
            business = uow.settings.business()
            customer = invoice.buyer
            if customer is None and invoice.content.contact_id is not None:
                customer = uow.contacts.get(invoice.content.contact_id)
            preview = (
                invoice.number
                or invoice.manual_number
                or self._preview(uow, invoice.content.issue_date)
            )
            rates = tuple(uow.settings.tax_rates())
        return replace(self._document(invoice, business, customer, preview), tax_rates=rates)

    def _document(
        self, invoice: Invoice, business: BusinessSettings, customer: Contact | None, preview: str
    ) -> InvoiceDocument:
        if invoice.seller is not None:
            business = invoice.seller.printed_on(business)
        totals = invoice.totals()
        today = today_in(self._clock, business.time_zone)
        status = display_status(invoice.status, invoice.content.due_date, totals.balance, today)
        return InvoiceDocument(business, invoice, customer, totals, status, preview)

    def render_pdf(self, invoice_id: int, renderer: InvoiceRenderer) -> bytes:
        return renderer.render(self.document(invoice_id))


def _issued_status(content: InvoiceContent) -> InvoiceStatus:
    """Nothing to collect on a zero invoice: it is settled the moment it is issued."""
    return InvoiceStatus.PAID if content.totals().total == 0 else InvoiceStatus.SENT
