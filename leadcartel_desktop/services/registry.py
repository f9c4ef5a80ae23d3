"""All use cases in one bundle, built by the composition root and handed to the UI and CLI."""

from __future__ import annotations

from dataclasses import dataclass

from leadcartel_desktop.services.contacts import ContactService
from leadcartel_desktop.services.invoice_list import InvoiceListService
from leadcartel_desktop.services.invoices import InvoiceService
from leadcartel_desktop.services.payments import PaymentService
from leadcartel_desktop.services.pdf_export import PdfExportService, SerialPdfExporter
from leadcartel_desktop.services.ports import (
    Clock,
    InvoiceRenderer,
    PdfBatchExporter,
    UnitOfWorkFactory,
)
from leadcartel_desktop.services.settings import SettingsService


@dataclass(frozen=True, slots=True)
class Services:
    contacts: ContactService
    invoices: InvoiceService
    payments: PaymentService
    invoice_list: InvoiceListService
    settings: SettingsService
    renderer: InvoiceRenderer
    pdf_export: PdfExportService

    @classmethod
    def build(
        cls,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        renderer: InvoiceRenderer,
        pdf_exporter: PdfBatchExporter | None = None,
    ) -> Services:
        """`pdf_exporter` defaults to rendering in the calling thread with `renderer`."""
        invoices = InvoiceService(unit_of_work, clock)
        invoice_list = InvoiceListService(unit_of_work, clock)
        return cls(
            contacts=ContactService(unit_of_work),
            invoices=invoices,
            payments=PaymentService(unit_of_work),
            invoice_list=invoice_list,
            settings=SettingsService(unit_of_work),
            renderer=renderer,
            pdf_export=PdfExportService(
                invoices, invoice_list, pdf_exporter or SerialPdfExporter(renderer)
            ),
        )
