"""Made-up invoices for previews, the benchmark and tests (built from domain objects, no DB)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.invoice import Invoice, InvoiceContent, Payment
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.views import InvoiceDocument

VAT_20 = TaxRate("VAT", Decimal(20))

SAMPLE_BUSINESS = BusinessSettings(
    company_name="Northwind Studio",
    address=Address("12 Harbour Street", "Bristol", "", "BS1 4QA", "United Kingdom"),
    email="billing@northwind.example",
    phone="+441179000000",
    tax_id="GB123456789",
    default_currency="EUR",
    locale="en_US",
)

SAMPLE_CUSTOMER = Contact(
    first_name="Ada",
    last_name="Lovelace",
    email="ada@analytical.example",
    phone="+442071234567",
    company="Analytical Engines Ltd",
    address=Address("1 Babbage Row", "London", "", "N1 7AA", "United Kingdom"),
    id=7,
)

_TEXT = (
    "design review of the onboarding flow with stakeholders, wireframes, copy edits and "
    "accessibility checks across desktop and mobile breakpoints, followed by a written report"
)
_WORDS = _TEXT.split()


def sample_lines(count: int, long_descriptions: bool = False) -> tuple[LineItem, ...]:
    lines = []
    for index in range(count):
        words = _WORDS if long_descriptions else _WORDS[:4]
        description = f"Item {index + 1}: " + " ".join(words)
        if long_descriptions:
            description = f"{description} part{index + 1}end"
        lines.append(
            LineItem(
                description=description,
                quantity=Decimal(index % 4 + 1),
                unit_price=12_500 + index * 1_025,
                taxes=(VAT_20,),
                unit="h",
            )
        )
    return tuple(lines)


def sample_document(
    lines: tuple[LineItem, ...] | None = None,
    *,
    business: BusinessSettings = SAMPLE_BUSINESS,
    customer: Contact | None = SAMPLE_CUSTOMER,
    currency: str = "EUR",
    status: InvoiceStatus = InvoiceStatus.SENT,
    number: str | None = "INV-2026-0042",
    payments: tuple[Payment, ...] = (),
    terms: str = "Payment within 30 days by bank transfer.",
    notes: str = "Thank you for your business.",
    cancel_reason: str = "",
    display_status: str | None = None,
    invoice_id: int = 42,
) -> InvoiceDocument:
    """A complete document; totals come from the domain, as the service computes them."""
    content = InvoiceContent(
        contact_id=customer.id if customer else None,
        currency=currency,
        issue_date=date(2026, 3, 10),
        due_date=date(2026, 4, 9),
        lines=lines if lines is not None else sample_lines(10),
        terms=terms,
        notes=notes,
    )
    invoice = Invoice(
        id=invoice_id,
        content=content,
        status=status,
        number=None if status is InvoiceStatus.DRAFT else number,
        payments=payments,
        cancel_reason=cancel_reason,
    )
    return InvoiceDocument(
        business=business,
        invoice=invoice,
        customer=customer,
        totals=invoice.totals(),
        display_status=display_status or status.label,
        number_preview=number or "INV-2026-0001",
    )


def sample_payment(amount: int) -> Payment:
    return Payment(amount=amount, paid_on=date(2026, 3, 20), method=PaymentMethod.BANK_TRANSFER)
