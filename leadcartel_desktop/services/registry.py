"""All use cases in one bundle, built by the composition root and handed to the UI and CLI."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

# Each service (and its module) is made the first time it is used: the window paints its
# first rows with the invoice list and the settings alone, and the sending machinery, the
# invoice life and PDF export load when the operator first needs them.
if TYPE_CHECKING:
    from leadcartel_desktop.services.campaigns import CampaignService
    from leadcartel_desktop.services.contact_tags import ContactTagService
    from leadcartel_desktop.services.contacts import ContactService
    from leadcartel_desktop.services.deal_ports import CloudPipelineReader
    from leadcartel_desktop.services.deal_sync import DealSyncService
    from leadcartel_desktop.services.deals import DealService
    from leadcartel_desktop.services.delivery_receipts import DeliveryReceiptService
    from leadcartel_desktop.services.groups import GroupService
    from leadcartel_desktop.services.inbound import InboundService
    from leadcartel_desktop.services.invoice_list import InvoiceListService
    from leadcartel_desktop.services.invoice_sync import InvoiceSyncService
    from leadcartel_desktop.services.invoices import InvoiceService
    from leadcartel_desktop.services.outbox import OutboxService
    from leadcartel_desktop.services.outbox_worker import OutboxWorker
    from leadcartel_desktop.services.payments import PaymentService
    from leadcartel_desktop.services.pdf_export import PdfExportService
    from leadcartel_desktop.services.pipelines import PipelineService
    from leadcartel_desktop.services.ports import (
        Clock,
        InvoiceRenderer,
        PdfBatchExporter,
        UnitOfWorkFactory,
    )
    from leadcartel_desktop.services.provider_settings import ProviderSettingsService
    from leadcartel_desktop.services.receipt_ports import ReceiptSource
    from leadcartel_desktop.services.reminders import ReminderService
    from leadcartel_desktop.services.send_invoice import SendInvoiceService
    from leadcartel_desktop.services.sending import (
        ProviderCache,
        ProviderSetupService,
        SendingPorts,
    )
    from leadcartel_desktop.services.settings import SettingsService
    from leadcartel_desktop.services.sync_ports import CloudInvoiceCreator, CloudInvoiceReader
    from leadcartel_desktop.services.thread_ports import InboundSource
    from leadcartel_desktop.services.threads import ThreadService

T = TypeVar("T")


class _Made(Generic[T]):
    """A read-only attribute made once, on first use, by the method it decorates (thread-safe)."""

    def __init__(self, make: Callable[[Services], T]) -> None:
        self._make = make
        self._name = make.__name__
        self.__doc__ = make.__doc__

    @overload
    def __get__(self, owner: None, kind: type[Services]) -> _Made[T]: ...

    @overload
    def __get__(self, owner: Services, kind: type[Services]) -> T: ...

    def __get__(self, owner: Services | None, kind: type[Services]) -> _Made[T] | T:
        if owner is None:
            return self
        made = owner.__dict__.get(self._name)
        if made is None:
            with owner._making:
                made = owner.__dict__.get(self._name)
                if made is None:
                    made = self._make(owner)
                    owner.__dict__[self._name] = made
        return made  # type: ignore[no-any-return]


class Services:
    """The use cases of one open book; each is made on first use and then kept."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        renderer: InvoiceRenderer,
        pdf_exporter: PdfBatchExporter | None = None,
        sending: SendingPorts | Callable[[], SendingPorts] | None = None,
        *,
        cloud_reader: Callable[[], CloudInvoiceReader] | None = None,
        cloud_pipelines: Callable[[], CloudPipelineReader] | None = None,
        inbound_sources: Callable[[], Sequence[InboundSource]] | None = None,
        receipt_sources: Callable[[], Sequence[ReceiptSource]] | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._inbound_sources = inbound_sources
        self._receipt_sources = receipt_sources
        self._cloud_pipelines = cloud_pipelines
        self._pdf_exporter = pdf_exporter
        self._sending = sending
        self._cloud_reader = cloud_reader
        self._making = threading.RLock()
        self.clock = clock
        self.renderer = renderer

    @classmethod
    def build(
        cls,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        renderer: InvoiceRenderer,
        pdf_exporter: PdfBatchExporter | None = None,
        sending: SendingPorts | Callable[[], SendingPorts] | None = None,
        *,
        cloud_reader: Callable[[], CloudInvoiceReader] | None = None,
        cloud_pipelines: Callable[[], CloudPipelineReader] | None = None,
        inbound_sources: Callable[[], Sequence[InboundSource]] | None = None,
        receipt_sources: Callable[[], Sequence[ReceiptSource]] | None = None,
    ) -> Services:
        """Wire every service; the optional adapters have stand-ins.

        `pdf_exporter` defaults to rendering in the calling thread with `renderer`; `sending`
        (the ports, or a function making them on first use) to no providers at all (nothing
        can be sent: every message waits); `cloud_reader` (made per sync) to none (the status
        sync reads nothing); `cloud_pipelines` (made per pull) to none; `inbound_sources`
        (made per pull) to none (no replies are pulled); `receipt_sources` likewise (no
        delivery receipts).
        """
        return cls(
            unit_of_work,
            clock,
            renderer,
            pdf_exporter,
            sending,
            cloud_reader=cloud_reader,
            cloud_pipelines=cloud_pipelines,
            inbound_sources=inbound_sources,
            receipt_sources=receipt_sources,
        )

    @_Made
    def contacts(self) -> ContactService:
        from leadcartel_desktop.services.contacts import ContactService

        return ContactService(self._uow)

    @_Made
    def contact_tags(self) -> ContactTagService:
        from leadcartel_desktop.services.contact_tags import ContactTagService

        return ContactTagService(self._uow)

    @_Made
    def groups(self) -> GroupService:
        from leadcartel_desktop.services.groups import GroupService

        return GroupService(self._uow, self.clock)

    @_Made
    def campaigns(self) -> CampaignService:
        from leadcartel_desktop.services.campaigns import CampaignService
        from leadcartel_desktop.services.threads import StoredInboundMessages
        from leadcartel_desktop.services.whatsapp_sending import WhatsAppWindow

        window = WhatsAppWindow(StoredInboundMessages(self._uow), self.clock)
        return CampaignService(self._uow, self.clock, self.outbox, window)

    @_Made
    def pipelines(self) -> PipelineService:
        from leadcartel_desktop.services.pipelines import PipelineService

        return PipelineService(self._uow)

    @_Made
    def deals(self) -> DealService:
        from leadcartel_desktop.services.deals import DealService

        return DealService(self._uow, self.clock, lambda: self.invoices, lambda: self.deal_sync)

    def deals_stamped_by(self, clock: Clock) -> DealService:
        """Deals whose changes carry `clock`'s instants (the demo book's past), not now."""
        from leadcartel_desktop.services.deals import DealService

        return DealService(self._uow, clock, lambda: self.invoices, lambda: self.deal_sync)

    @_Made
    def deal_sync(self) -> DealSyncService:
        from leadcartel_desktop.services.deal_sync import DealSyncService, no_cloud_pipelines

        return DealSyncService(
            self._uow, self.outbox, self._cloud_pipelines or no_cloud_pipelines, self.clock
        )

    @_Made
    def invoices(self) -> InvoiceService:
        from leadcartel_desktop.services.invoices import InvoiceService

        return InvoiceService(self._uow, self.clock, self.renderer, lambda: self.invoice_sync)

    @_Made
    def payments(self) -> PaymentService:
        from leadcartel_desktop.services.payments import PaymentService

        return PaymentService(self._uow, lambda: self.invoice_sync, self.clock)

    @_Made
    def invoice_list(self) -> InvoiceListService:
        from leadcartel_desktop.services.invoice_list import InvoiceListService

        return InvoiceListService(self._uow, self.clock)

    @_Made
    def settings(self) -> SettingsService:
        from leadcartel_desktop.services.settings import SettingsService

        return SettingsService(self._uow)

    @_Made
    def pdf_export(self) -> PdfExportService:
        from leadcartel_desktop.services.pdf_export import PdfExportService, SerialPdfExporter

        exporter = self._pdf_exporter or SerialPdfExporter(self.renderer)
        return PdfExportService(self.invoices, self.invoice_list, exporter)

    @_Made
    def sending(self) -> SendingPorts:
        from leadcartel_desktop.services.sending import SendingPorts

        if self._sending is None:
            return SendingPorts.none()
        if isinstance(self._sending, SendingPorts):
            return self._sending
        return self._sending()

    @_Made
    def provider_cache(self) -> ProviderCache:
        from leadcartel_desktop.services.sending import ProviderCache

        return ProviderCache(self._uow, self.sending)

    @_Made
    def outbox(self) -> OutboxService:
        from leadcartel_desktop.services.outbox import OutboxService

        return OutboxService(self._uow, self.clock, self.provider_cache)

    @_Made
    def providers(self) -> ProviderSetupService:
        from leadcartel_desktop.services.sending import ProviderSetupService

        outbox = self.outbox
        return ProviderSetupService(self._uow, self.sending, self.provider_cache, outbox.changed)

    @_Made
    def provider_settings(self) -> ProviderSettingsService:
        from leadcartel_desktop.services.provider_settings import ProviderSettingsService

        # Saving the providers again ends a credentials pause (the account may have been
        # unblocked at the provider's side with nothing to change here).
        return ProviderSettingsService(self.providers, on_saved=self.outbox.resume_paused)

    @_Made
    def send_invoice(self) -> SendInvoiceService:
        from leadcartel_desktop.services.send_invoice import SendInvoiceService
        from leadcartel_desktop.services.threads import StoredInboundMessages
        from leadcartel_desktop.services.whatsapp_sending import WhatsAppWindow

        return SendInvoiceService(
            self._uow,
            self.invoices,
            self.outbox,
            self.renderer,
            cast("Callable[[], CloudInvoiceCreator] | None", self._cloud_reader),
            whatsapp_window=WhatsAppWindow(StoredInboundMessages(self._uow), self.clock),
            clock=self.clock,
            sync=lambda: self.invoice_sync,
        )

    @_Made
    def reminders(self) -> ReminderService:
        from leadcartel_desktop.services.reminders import ReminderService

        return ReminderService(self._uow, self.clock, self.outbox)

    @_Made
    def invoice_sync(self) -> InvoiceSyncService:
        from leadcartel_desktop.services.invoice_sync import InvoiceSyncService, no_cloud

        return InvoiceSyncService(
            self._uow, self.clock, self.outbox, self._cloud_reader or no_cloud
        )

    @_Made
    def threads(self) -> ThreadService:
        from leadcartel_desktop.services.threads import ThreadService

        return ThreadService(self._uow, self.clock, self.outbox)

    @_Made
    def inbound(self) -> InboundService:
        from leadcartel_desktop.services.inbound import InboundService, no_sources

        sending = self.sending
        return InboundService(
            self._uow,
            self.clock,
            self._inbound_sources or no_sources,
            sending.connectivity.online,
            self.outbox.changed,
        )

    @_Made
    def delivery_receipts(self) -> DeliveryReceiptService:
        from leadcartel_desktop.services.delivery_receipts import DeliveryReceiptService
        from leadcartel_desktop.services.receipt_ports import no_receipt_sources

        return DeliveryReceiptService(
            self._uow,
            self.clock,
            self._receipt_sources or no_receipt_sources,
            self.sending.connectivity.online,
            self.outbox.changed,
        )

    def outbox_worker(self, **options: Any) -> OutboxWorker:
        """A worker draining this bundle's outbox (not started; options as OutboxWorker's)."""
        from leadcartel_desktop.services.outbox_worker import OutboxWorker

        return OutboxWorker(self.outbox, self.sending.connectivity, self.clock, **options)
