"""What the invoice page says, before any drawing: wording, figures and their order."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import Discount, DiscountKind, DiscountTiming, LineItem
from leadcartel_desktop.pdf.content import clean, prepare
from leadcartel_desktop.pdf.samples import SAMPLE_BUSINESS, VAT_20, sample_document
from leadcartel_desktop.services.views import InvoiceDocument

FRENCH = replace(SAMPLE_BUSINESS, locale="fr_FR")


def with_discount(document: InvoiceDocument, discount: Discount) -> InvoiceDocument:
    content: InvoiceContent = replace(document.invoice.content, discount=discount)
    invoice = replace(document.invoice, content=content)
    return replace(document, invoice=invoice, totals=invoice.totals())


def test_french_figures_and_words() -> None:
    lines = (LineItem("Conseil", Decimal("2.5"), 123_456, (VAT_20,), "jour"),)
    text = prepare(sample_document(lines, business=FRENCH))
    row = text.items[0]
    assert (row.quantity, row.unit, row.unit_price, row.amount) == (
        "2,5", "jour", "1\u202f234,56\u00a0€", "3\u202f086,40\u00a0€",
    )  # fmt: skip
    assert text.grand_total == "Total TTC : 3\u202f703,68\u00a0€"
    assert [line.label for line in text.totals_before] == ["Sous-total", "VAT 20\u00a0%"]
    assert text.meta[1] == ("Date d'émission", "10 mars 2026")
    assert text.business_lines[-1] == "N° TVA : GB123456789"


def test_a_draft_prints_no_number_from_the_series_only_the_mark() -> None:
    # The next number in the series may go to another invoice before this one is issued.
    text = prepare(sample_document(status=InvoiceStatus.DRAFT, number="INV-2026-0009"))
    assert text.number == ""
    assert "INV-2026-0009" not in repr(text)
    assert text.mark == "DRAFT" and not text.cancelled
    assert dict(text.meta)["Invoice number"] == "Draft"
    assert dict(text.meta)["Status"] == "Draft"


def test_a_draft_prints_the_number_typed_by_hand() -> None:
    document = sample_document(status=InvoiceStatus.DRAFT, number="INV-2026-0009")
    typed = replace(document, invoice=replace(document.invoice, manual_number="CUSTOM-7"))
    text = prepare(typed)
    assert text.number == "CUSTOM-7"
    assert dict(text.meta)["Invoice number"] == "CUSTOM-7"


def test_overdue_is_shown_in_the_business_language() -> None:
    document = sample_document(business=FRENCH, display_status="Overdue")
    assert dict(prepare(document).meta)["Statut"] == "En retard"


def test_discount_before_tax_comes_before_the_taxes() -> None:
    discount = Discount(DiscountKind.PERCENT, DiscountTiming.BEFORE_TAX, percent=Decimal(10))
    text = prepare(with_discount(sample_document(), discount))
    labels = [line.label for line in text.totals_before]
    assert labels == ["Subtotal", "Discount 10%", "VAT 20%"]
    assert text.totals_before[1].amount.startswith("-€")


def test_discount_after_tax_comes_after_the_taxes() -> None:
    discount = Discount(DiscountKind.AMOUNT, DiscountTiming.AFTER_TAX, amount=5_000)
    text = prepare(with_discount(sample_document(), discount))
    assert [line.label for line in text.totals_before] == ["Subtotal", "VAT 20%", "Discount"]
    assert text.totals_before[-1].amount == "-€50.00"


def test_tax_column_only_when_lines_differ() -> None:
    reduced = TaxRate("VAT", Decimal("5.5"))
    same = (LineItem("a", Decimal(1), 100, (VAT_20,)), LineItem("b", Decimal(1), 100, (VAT_20,)))
    mixed = (same[0], LineItem("c", Decimal(1), 100, (reduced,)))
    assert not prepare(sample_document(same)).show_tax_column
    text = prepare(sample_document(mixed))
    assert text.show_tax_column
    assert [row.taxes for row in text.items] == ["VAT 20%", "VAT 5.5%"]


def test_text_is_cleaned_before_it_is_checked_or_drawn() -> None:
    assert clean("Cafe\u0301\r\n\tnoir ") == "Café\n    noir"
    lines = (LineItem("Cafe\u0301", Decimal(1), 100),)
    text = prepare(sample_document(lines))
    assert text.items[0].description == "Café"
    assert ("item 1 description", "Café") in text.places


def test_missing_customer_leaves_the_block_empty() -> None:
    text = prepare(sample_document(customer=None))
    assert text.customer_name == "" and text.customer_lines == ()
