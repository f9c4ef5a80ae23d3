"""Every string an invoice page shows, formatted for the business locale before any drawing."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.tax_order import display_order
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import DiscountKind
from leadcartel_desktop.i18n.formatting import format_date, format_money
from leadcartel_desktop.i18n.labels import InvoiceLabels, invoice_labels
from leadcartel_desktop.pdf.numbers import format_percent, format_phone, format_quantity
from leadcartel_desktop.services.views import InvoiceDocument


@dataclass(frozen=True, slots=True)
class ItemRow:
    description: str
    quantity: str
    unit: str
    unit_price: str
    taxes: str
    amount: str


@dataclass(frozen=True, slots=True)
class TotalLine:
    label: str
    amount: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class InvoiceText:
    """The printable invoice; `places` names every string so a missing glyph can be located."""

    labels: InvoiceLabels
    title: str
    number: str
    business_name: str
    business_lines: tuple[str, ...]
    logo_png: bytes | None
    customer_name: str
    customer_lines: tuple[str, ...]
    meta: tuple[tuple[str, str], ...]
    mark: str
    cancelled: bool
    cancel_note: str
    show_tax_column: bool
    items: tuple[ItemRow, ...]
    totals_before: tuple[TotalLine, ...]
    grand_total: str
    totals_after: tuple[TotalLine, ...]
    terms: str
    notes: str
    places: tuple[tuple[str, str], ...] = field(default=(), repr=False)


def clean(text: str) -> str:
    """NFC (so 'e' + combining acute draws as 'é'), tabs as spaces, one kind of line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return unicodedata.normalize("NFC", text).strip()


class _Collector:
    """Cleans strings and remembers where each came from."""

    def __init__(self) -> None:
        self.places: list[tuple[str, str]] = []

    def __call__(self, place: str, text: str) -> str:
        cleaned = clean(text)
        if cleaned:
            self.places.append((place, cleaned))
        return cleaned


def prepare(document: InvoiceDocument) -> InvoiceText:
    """Format the document's figures and words; no layout decisions here."""
    business = document.business
    invoice = document.invoice
    content = invoice.content
    totals = document.totals
    locale = business.locale
    take = _Collector()
    labels = invoice_labels(locale, take("document title", business.document_title))
    for name in InvoiceLabels.__slots__:
        value = getattr(labels, name)
        if isinstance(value, str):
            take("invoice labels", value)

    def money(minor: int) -> str:
        return format_money(minor, content.currency, locale)

    # A draft has no number yet: the next one in the series may go to another invoice first.
    number = take("invoice number", invoice.number or invoice.manual_number or "")
    business_lines = [take("business address", line) for line in business.address.lines()] + [
        take("business email", business.email),
        take("business phone", format_phone(business.phone)),
    ]
    tax_id = take("business tax id", business.tax_id)
    if tax_id:
        business_lines.append(f"{labels.colon(labels.tax_id)} {tax_id}")

    customer_name, customer_lines = "", []
    customer = document.customer
    if customer is not None:
        customer_name = take("customer name", customer.display_name)
        company = take("customer company", customer.company)
        if company and company != customer_name:
            customer_lines.append(company)
        customer_lines += [take("customer address", line) for line in customer.address.lines()]
        customer_lines += [
            take("customer email", customer.email),
            take("customer phone", format_phone(customer.phone)),
        ]

    status_key = "overdue" if document.display_status == "Overdue" else invoice.status.value
    status = take("status", labels.status_label(status_key, document.display_status))
    meta = (
        (labels.invoice_number, number or status),
        (labels.issue_date, take("issue date", format_date(content.issue_date, locale))),
        (labels.due_date, take("due date", format_date(content.due_date, locale))),
        (labels.status, status),
    )
    mark, cancel_note = "", ""
    if invoice.status is InvoiceStatus.DRAFT:
        mark = labels.draft
    elif invoice.status is InvoiceStatus.CANCELLED:
        mark = labels.cancelled
        reason = take("cancellation reason", invoice.cancel_reason)
        cancel_note = f"{labels.colon(labels.reason)} {reason}" if reason else ""

    def tax_label(rate: TaxRate) -> str:
        name = take("tax name", rate.name)
        return f"{name} {format_percent(rate.percent, locale)}"

    items = tuple(
        ItemRow(
            description=take(f"item {row} description", line.description),
            quantity=format_quantity(line.quantity, locale),
            unit=take(f"item {row} unit", line.unit),
            unit_price=money(line.unit_price),
            taxes="\n".join(tax_label(rate) for rate in line.taxes),
            amount=money(amount),
        )
        for row, (line, amount) in enumerate(
            zip(content.lines, totals.line_amounts, strict=True), start=1
        )
    )

    discount_label = labels.discount
    if content.discount.kind is DiscountKind.PERCENT:
        discount_label = f"{labels.discount} {format_percent(content.discount.percent, locale)}"
    before = [TotalLine(labels.subtotal, money(totals.subtotal))]
    if totals.discount_before_tax:
        before.append(TotalLine(discount_label, money(-totals.discount_before_tax)))
    taxes = display_order(totals.taxes, document.tax_rates)  # as in Settings, simple first
    before += [TotalLine(tax_label(tax.rate), money(tax.amount)) for tax in taxes]
    if totals.discount_after_tax:
        before.append(TotalLine(discount_label, money(-totals.discount_after_tax)))
    after = (
        TotalLine(labels.paid, money(totals.paid)),
        TotalLine(labels.balance_due, money(totals.balance), strong=True),
    )

    return InvoiceText(
        labels=labels,
        title=labels.title,
        number=number,
        business_name=take("business name", business.company_name),
        business_lines=tuple(line for line in business_lines if line),
        logo_png=business.logo_png or None,
        customer_name=customer_name,
        customer_lines=tuple(line for line in customer_lines if line),
        meta=meta,
        mark=mark,
        cancelled=invoice.status is InvoiceStatus.CANCELLED,
        cancel_note=cancel_note,
        show_tax_column=len({line.tax_key for line in content.lines}) > 1,
        items=items,
        totals_before=tuple(before),
        grand_total=f"{labels.colon(labels.total)} {money(totals.total)}",
        totals_after=after,
        terms=take("terms", content.terms),
        notes=take("notes", content.notes),
        places=(*take.places, ("amounts", "0123456789"), *_figures(items, before, after)),
    )


def _figures(
    items: tuple[ItemRow, ...], before: list[TotalLine], after: tuple[TotalLine, ...]
) -> list[tuple[str, str]]:
    """Locale-made strings (money, quantities, rates) checked too: a locale may use any sign."""
    figures = [("amounts", f"{row.quantity} {row.unit_price} {row.amount}") for row in items]
    return figures + [("totals", f"{line.label} {line.amount}") for line in (*before, *after)]
