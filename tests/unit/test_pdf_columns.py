"""The items table gives the description about half the width; taxes listed as in Settings."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.pdf.content import prepare
from leadcartel_desktop.pdf.items import columns
from leadcartel_desktop.pdf.layout import draw_invoice
from leadcartel_desktop.pdf.page import CONTENT_WIDTH, InvoicePdf
from leadcartel_desktop.pdf.samples import SAMPLE_BUSINESS, VAT_20, sample_document, sample_lines

REDUCED = TaxRate("Reduced", Decimal(10))


def mixed_taxes(count: int) -> tuple[LineItem, ...]:
    """Long descriptions on two tax sets, so the Tax column is shown."""
    lines = sample_lines(count, long_descriptions=True)
    return tuple(
        replace(line, taxes=(REDUCED,)) if n % 3 == 0 else line for n, line in enumerate(lines)
    )


@pytest.mark.parametrize("locale", ["en_US", "fr_FR", "de_DE", "tr_TR"])
def test_description_takes_about_half_the_width(locale: str) -> None:
    business = replace(SAMPLE_BUSINESS, locale=locale)
    text = prepare(sample_document(mixed_taxes(10), business=business))
    assert text.show_tax_column
    cols = columns(text, InvoicePdf(embedded_font=True))
    assert sum(col.width for col in cols) == pytest.approx(CONTENT_WIDTH)
    assert cols[0].key == "description"
    # Was a fixed 59 mm (34%) with the Tax column; now about half, less with long tax names.
    assert cols[0].width >= (0.45 if locale == "en_US" else 0.4) * CONTENT_WIDTH
    pdf = InvoicePdf(embedded_font=True)
    pdf.use(9.0)
    for col in cols[1:]:  # figures fit whole at the body size (never shrunk), words unbroken
        for item in text.items:
            for line in str(getattr(item, col.key)).split("\n"):
                for part in line.split() if col.wraps else [line]:
                    room = col.width - 2 * pdf.c_margin
                    assert pdf.get_string_width(part) <= room, (col, part)


def test_long_descriptions_take_fewer_pages() -> None:
    pdf = InvoicePdf(embedded_font=True)
    draw_invoice(pdf, prepare(sample_document(mixed_taxes(12))))
    assert pdf.page == 2  # three with the description in a third of the width


def test_totals_list_taxes_as_configured_simple_first() -> None:
    numbered = [TaxRate(f"Tax{n}", Decimal(n)) for n in (1, 2, 8)]
    qst = TaxRate("QST", Decimal("9.975"), compound=True)
    lines = (
        LineItem("A", Decimal(1), 10_000, (numbered[2], numbered[0])),
        LineItem("B", Decimal(1), 10_000, (qst, numbered[1])),
        LineItem("C", Decimal(1), 10_000, (VAT_20,)),
    )
    document = replace(sample_document(lines), tax_rates=(VAT_20, qst, *numbered))
    labels = [line.label for line in prepare(document).totals_before]
    assert labels == ["Subtotal", "VAT 20%", "Tax1 1%", "Tax2 2%", "Tax8 8%", "QST 9.975%"]
    reordered = replace(
        document, invoice=replace(document.invoice, content=replace(
            document.invoice.content, lines=tuple(reversed(lines))))
    )  # fmt: skip
    assert [line.label for line in prepare(reordered).totals_before] == labels


def test_a_rate_no_longer_in_settings_comes_after_the_configured_ones() -> None:
    gone = TaxRate("Eco", Decimal(1))
    lines = (LineItem("A", Decimal(1), 10_000, (gone, VAT_20)),)
    document = replace(sample_document(lines), tax_rates=(VAT_20,))
    labels = [line.label for line in prepare(document).totals_before]
    assert labels == ["Subtotal", "VAT 20%", "Eco 1%"]
