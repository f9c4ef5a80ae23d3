"""Invoice PDFs with fpdf2, a pure function of an InvoiceDocument; fpdf is imported on use."""

from __future__ import annotations

from datetime import UTC, datetime, time

from leadcartel_desktop.pdf.content import InvoiceText, prepare
from leadcartel_desktop.pdf.glyphs import check_glyphs
from leadcartel_desktop.services.views import InvoiceDocument

PRODUCER = "Lead Cartel Desktop"


class FpdfInvoiceRenderer:
    """Implements services.ports.InvoiceRenderer.

    `embedded_font=False` draws with the built-in Helvetica (Windows-1252 only); it exists as the
    benchmark's baseline and is not meant for real invoices.
    """

    def __init__(self, *, embedded_font: bool = True) -> None:
        self.embedded_font = embedded_font

    def render(self, document: InvoiceDocument) -> bytes:
        """PDF bytes; raises MissingGlyphsError (a UserFacingError) naming undrawable text."""
        return self._draw(self._checked(document), _creation_date(document))

    def check(self, document: InvoiceDocument) -> None:
        """Raise MissingGlyphsError as render() would, without drawing (the text only)."""
        self._checked(document)

    def _checked(self, document: InvoiceDocument) -> InvoiceText:
        from leadcartel_desktop.pdf import fonts

        text = prepare(document)
        can_draw = fonts.can_draw_embedded if self.embedded_font else fonts.can_draw_core
        check_glyphs(text.places, can_draw)
        return text

    def _draw(self, text: InvoiceText, created: datetime) -> bytes:
        from leadcartel_desktop.pdf.layout import draw_invoice
        from leadcartel_desktop.pdf.page import InvoicePdf

        pdf = InvoicePdf(embedded_font=self.embedded_font)
        pdf.set_title(f"{text.title} {text.number}".strip())
        pdf.set_author(text.business_name)
        pdf.set_creator(PRODUCER)
        pdf.set_producer(PRODUCER)
        pdf.set_creation_date(created)
        pdf.set_lang(text.labels.language)
        draw_invoice(pdf, text)
        return pdf.to_bytes()


def _creation_date(document: InvoiceDocument) -> datetime:
    """From the document, never the clock, so the same invoice always gives the same bytes."""
    invoice = document.invoice
    stamp = invoice.issued_at or invoice.created_at
    if stamp is not None:
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return datetime.combine(invoice.content.issue_date, time(), tzinfo=UTC)
