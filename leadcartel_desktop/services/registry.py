"""All use cases in one bundle, built by the composition root and handed to the UI and CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leadcartel_desktop.services.contacts import ContactService
from leadcartel_desktop.services.invoice_list import InvoiceListService
from leadcartel_desktop.services.invoices import InvoiceService
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_worker import OutboxWorker
from leadcartel_desktop.services.payments import PaymentService
from leadcartel_desktop.services.pdf_export import PdfExportService, SerialPdfExporter
from leadcartel_desktop.services.ports import (
    Clock,
    InvoiceRenderer,
    PdfBatchExporter,
    UnitOfWorkFactory,
)
from leadcartel_desktop.services.sending import ProviderCache, ProviderSetupService, SendingPorts
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
    outbox: OutboxService
    providers: ProviderSetupService
    sending: SendingPorts
    clock: Clock

    @classmethod
    def build(
        cls,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        renderer: InvoiceRenderer,
        pdf_exporter: PdfBatchExporter | None = None,
        sending: SendingPorts | None = None,
    ) -> Services:
        """Wire every service; the optional adapters have stand-ins.

        `pdf_exporter` defaults to rendering in the calling thread with `renderer`; `sending`
        to no providers at all (nothing can be sent: every message waits).
        """
        invoices = InvoiceService(unit_of_work, clock, renderer)
        invoice_list = InvoiceListService(unit_of_work, clock)
        sending = sending or SendingPorts.none()
        cache = ProviderCache(unit_of_work, sending)
        outbox = OutboxService(unit_of_work, clock, cache)
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
            outbox=outbox,
            providers=ProviderSetupService(unit_of_work, sending, cache, outbox.changed),
            sending=sending,
            clock=clock,
        )

    def outbox_worker(self, **options: Any) -> OutboxWorker:
        """A worker draining this bundle's outbox (not started; options as OutboxWorker's)."""
        return OutboxWorker(self.outbox, self.sending.connectivity, self.clock, **options)
