"""A won deal's draft invoice: one line for the deal's value, made once, linked to the deal."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.errors import ConflictError, ValidationError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.deal_views import DealDetail
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from leadcartel_desktop.services.invoices import InvoiceService


def invoice_for_deal(
    unit_of_work: UnitOfWorkFactory, clock: Clock, invoices: InvoiceService, deal_id: int
) -> int:
    """The deal's invoice id: the linked one if there is one, else a new draft.

    The draft starts from InvoiceService.new_content() (the business's currency, terms, notes,
    Net N) and takes the deal's contact and currency; its one line is "deal name" x 1 at the
    deal's value with the tax a new line gets in the editor (the first tax rate). The deal is
    read again and linked inside the write transaction, so a second press, even a racing
    one, returns the same invoice. A cancelled invoice no longer stands for the deal: the
    next press makes a new draft and links that one instead.
    """
    with unit_of_work(read_only=True) as uow:
        deal = uow.deals.get(deal_id)
        taxes = tuple(uow.settings.tax_rates()[:1])
        linked = _live_invoice(uow, deal)
    if linked is not None:
        return linked
    _check_invoiceable(deal)
    content = replace(
        invoices.new_content(),
        contact_id=deal.contact_id,
        currency=deal.currency,
        lines=(LineItem(deal.name, Decimal(1), deal.value_minor, taxes),),
    )
    content.check()
    with unit_of_work() as uow:
        deal = uow.deals.get(deal_id)
        linked = _live_invoice(uow, deal)
        if linked is not None:
            return linked
        _check_invoiceable(deal)
        content = _same_parties(content, deal)
        now = clock.now()
        invoice_id = uow.invoices.add(content, content.totals(), now)
        uow.deals.set_invoice(deal_id, invoice_id, now)
        uow.commit()
    return invoice_id


def _live_invoice(uow: UnitOfWork, deal: DealDetail) -> int | None:
    """The deal's linked invoice, unless it was cancelled."""
    if deal.invoice_id is None:
        return None
    if uow.invoices.get(deal.invoice_id).status is InvoiceStatus.CANCELLED:
        return None
    return deal.invoice_id


def _check_invoiceable(deal: DealDetail) -> None:
    if deal.status is not DealStatus.WON:
        raise ConflictError(
            f"Deal '{deal.name}' is {deal.status.label}: only a won deal can be invoiced; "
            "mark it Won first"
        )
    if deal.contact_id is None:
        raise ValidationError("Contact", "choose the deal's contact before creating its invoice")


def _same_parties(content: InvoiceContent, deal: DealDetail) -> InvoiceContent:
    """The deal as it is now (edited between the two transactions): contact, value, name."""
    line = replace(content.lines[0], description=deal.name, unit_price=deal.value_minor)
    return replace(content, contact_id=deal.contact_id, currency=deal.currency, lines=(line,))
