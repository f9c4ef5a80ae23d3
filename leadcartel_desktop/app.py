"""Composition root: resolve paths, open the database, wire services and adapters."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.paths import AppPaths, resolve_paths
from leadcartel_desktop.services.clock import SystemClock
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.storage.book_files import move_into_place, remove_book, seal
from leadcartel_desktop.storage.database import Database, open_database
from leadcartel_desktop.storage.errors import DatabaseNotWritableError

# What only the sending machinery or a demo book needs loads with them, not at start-up.
if TYPE_CHECKING:
    from leadcartel_desktop.domain.providers import ProviderSettings
    from leadcartel_desktop.providers.cloud import CloudClient
    from leadcartel_desktop.providers.factory import DefaultProviderFactory
    from leadcartel_desktop.services.deal_ports import CloudPipelineReader
    from leadcartel_desktop.services.demo import DemoSummary
    from leadcartel_desktop.services.outbox_worker import OutboxWorker
    from leadcartel_desktop.services.ports import Clock, InvoiceRenderer
    from leadcartel_desktop.services.receipt_ports import ReceiptSource
    from leadcartel_desktop.services.sending import SendingPorts
    from leadcartel_desktop.services.sync_ports import CloudInvoiceReader
    from leadcartel_desktop.services.thread_ports import InboundSource
    from leadcartel_desktop.services.views import InvoiceDocument

DEMO_PARTIAL_SUFFIX = ".demo-partial"
log = logging.getLogger(__name__)


@dataclass(slots=True)
class AppContext:
    """What a running app (window or command) holds on to, closed together."""

    paths: AppPaths
    database: Database
    services: Services
    worker: OutboxWorker | None = None
    # Closed at close(), newest first: the provider factory's HTTP sessions, once built.
    closers: list[Callable[[], None]] = field(default_factory=list)

    def start_sending(self, **options: Any) -> OutboxWorker:
        """Start the outbox worker (once); close() stops it before closing the database."""
        if self.worker is None:
            self.worker = self.services.outbox_worker(**options)
            self.worker.start()
        return self.worker

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        while self.closers:
            try:
                self.closers.pop()()
            except Exception:
                log.exception("Closing the provider connections failed")
        self.database.close()


def build_context(
    home: str | Path | None = None,
    clock: Clock | None = None,
    sending: SendingPorts | None = None,
) -> AppContext:
    """Open (creating or migrating) the database under `home` and wire every service.

    `sending` replaces the real provider adapters, keychain and connectivity check.
    """
    from leadcartel_desktop.pdf.exporter import ProcessPdfExporter

    paths = _ensured(resolve_paths(home))
    database = open_database(paths.database)
    the_clock = clock or SystemClock()
    closers: list[Callable[[], None]] = []
    if sending is not None:
        closers.append(lambda: _close_factory(sending.factory))
    services = Services.build(
        database.unit_of_work,
        the_clock,
        DeferredRenderer(),
        ProcessPdfExporter(),
        sending or (lambda: default_sending(database, the_clock, closers)),
        cloud_reader=lambda: cloud_reader(database, services, the_clock),
        cloud_pipelines=lambda: cloud_pipelines(database, services, the_clock),
        inbound_sources=lambda: inbound_sources(database, services, the_clock),
        receipt_sources=lambda: receipt_sources(database, services, the_clock),
    )
    return AppContext(paths, database, services, closers=closers)


def _close_factory(factory: object) -> None:
    """Close a provider factory that holds connections (DefaultProviderFactory does)."""
    close = getattr(factory, "close", None)
    if callable(close):
        close()


class DeferredRenderer:
    """The fpdf renderer, loaded with the first PDF rather than while the window opens."""

    def __init__(self) -> None:
        self._renderer: InvoiceRenderer | None = None

    def _loaded(self) -> InvoiceRenderer:
        if self._renderer is None:
            from leadcartel_desktop.pdf.renderer import FpdfInvoiceRenderer

            self._renderer = FpdfInvoiceRenderer()
        return self._renderer

    def render(self, document: InvoiceDocument) -> bytes:
        return self._loaded().render(document)

    def check(self, document: InvoiceDocument) -> None:
        self._loaded().check(document)


def default_sending(
    database: Database, clock: Clock, closers: list[Callable[[], None]] | None = None
) -> SendingPorts:
    """The real provider adapters, the OS keychain and the connectivity check.

    Built on first use: requests and keyring load when something is sent or set up, not
    before the window's first paint. The factory's close goes into `closers` once it is built.
    """
    from leadcartel_desktop.services.sending import SendingPorts

    def build() -> SendingPorts:
        from leadcartel_desktop.providers.connectivity import TcpConnectivity
        from leadcartel_desktop.providers.factory import DefaultProviderFactory
        from leadcartel_desktop.providers.keychain import KeyringSecretStore

        def settings() -> ProviderSettings:
            with database.unit_of_work(read_only=True) as uow:
                return uow.providers.providers()

        factory = DefaultProviderFactory(clock=clock)
        if closers is not None:
            closers.append(factory.close)
        return SendingPorts(factory, KeyringSecretStore(), TcpConnectivity(settings))

    return SendingPorts.deferred(build)


def cloud_reader(database: Database, services: Services, clock: Clock) -> CloudInvoiceReader:
    """The cloud account's invoice reader, from the provider factory and the keychain.

    Raises UserFacingError when no cloud account is set up or its token is missing.
    """
    from leadcartel_desktop.providers.cloud_sync import CloudInvoiceSync

    return CloudInvoiceSync(_cloud_client(database, services, clock))


def cloud_pipelines(database: Database, services: Services, clock: Clock) -> CloudPipelineReader:
    """The cloud account's pipelines (for DealSyncService.pull_pipelines); as cloud_reader."""
    from leadcartel_desktop.providers.cloud_opportunities import CloudOpportunities

    return CloudOpportunities(_cloud_client(database, services, clock))


def inbound_sources(database: Database, services: Services, clock: Clock) -> list[InboundSource]:
    """Where replies are listed (Twilio, the cloud's conversations), per the saved settings."""
    from leadcartel_desktop.domain.providers import ProviderKind

    with database.unit_of_work(read_only=True) as uow:
        settings = uow.providers.providers()
    receiving = {ProviderKind.TWILIO, ProviderKind.CLOUD}
    if not receiving & {settings.sms, settings.whatsapp, settings.email}:
        return []  # SMTP only, or nothing: no replies to pull (and no keychain to open)
    return _factory(services, clock).inbound_sources(settings, services.sending.secrets)


def receipt_sources(database: Database, services: Services, clock: Clock) -> list[ReceiptSource]:
    """Where delivery receipts are read (Twilio, the cloud), per the saved settings."""
    with database.unit_of_work(read_only=True) as uow:
        settings = uow.providers.providers()
    return _factory(services, clock).receipt_sources(settings, services.sending.secrets)


def _factory(services: Services, clock: Clock) -> DefaultProviderFactory:
    from leadcartel_desktop.providers.factory import DefaultProviderFactory

    factory = services.sending.factory
    built = getattr(factory, "built", None)  # the deferred factory: its real one, kept open
    if callable(built):
        factory = built()
    if not isinstance(factory, DefaultProviderFactory):  # a test's stand-in: none to share
        factory = DefaultProviderFactory(clock=clock)
    return factory


def _cloud_client(database: Database, services: Services, clock: Clock) -> CloudClient:
    from leadcartel_desktop.domain.errors import UserFacingError
    from leadcartel_desktop.providers.factory import DefaultProviderFactory

    with database.unit_of_work(read_only=True) as uow:
        settings = uow.providers.providers()
    if not settings.uses_cloud:
        raise UserFacingError("No Lead Cartel cloud account is set up (Settings > Providers)")
    ports = services.sending
    factory = ports.factory
    if not isinstance(factory, DefaultProviderFactory):  # the deferred one builds it inside
        factory = DefaultProviderFactory(clock=clock)
    return factory.cloud_client(settings, ports.secrets)


def _ensured(paths: AppPaths) -> AppPaths:
    """The data and log folders, created if missing; one that cannot be is the operator's to fix."""
    try:
        return paths.ensure()
    except OSError as error:
        raise DatabaseNotWritableError(Path(error.filename or paths.data)) from None


def database_exists(home: str | Path | None = None) -> bool:
    return resolve_paths(home).database.exists()


@dataclass(slots=True)
class DemoBook:
    """A demo book moved into place whole, open, and what was loaded into it."""

    context: AppContext
    summary: DemoSummary


def demo_partial_path(home: str | Path | None = None) -> Path:
    """Where a demo book is built before it is moved into place."""
    database = resolve_paths(home).database
    return database.with_name(database.name + DEMO_PARTIAL_SUFFIX)


def create_demo_book(
    home: str | Path | None = None,
    clock: Clock | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    sending: SendingPorts | None = None,
) -> DemoBook | None:
    """Build the demo book in a file beside the real one, then move it into place: all or none.

    None when cancelled (the partial file is deleted). A partial file a killed run left behind
    is deleted first. A book that already has customers or invoices is refused.
    """
    from leadcartel_desktop.pdf.renderer import FpdfInvoiceRenderer
    from leadcartel_desktop.services.demo import load_demo
    from leadcartel_desktop.services.sending import SendingPorts

    paths = _ensured(resolve_paths(home))
    clock = clock or SystemClock()
    _refuse_a_filled_book(paths.database)
    partial = demo_partial_path(home)
    remove_book(partial)
    try:
        database = open_database(partial)
        try:
            services = Services.build(
                database.unit_of_work, clock, FpdfInvoiceRenderer(), sending=SendingPorts.none()
            )
            summary = load_demo(services, progress, should_cancel)
        finally:
            database.close()
        if summary.cancelled:
            remove_book(partial)
            return None
        seal(partial)
        _refuse_a_filled_book(paths.database)  # nothing was saved there in the meantime
        move_into_place(partial, paths.database)
    except BaseException:
        remove_book(partial)
        raise
    return DemoBook(build_context(home, clock, sending), summary)


def _refuse_a_filled_book(path: Path) -> None:
    """Demo data replaces only a missing or empty book (closed again before it is replaced)."""
    if not path.exists():
        return
    database = open_database(path)
    try:
        with database.unit_of_work(read_only=True) as uow:
            filled = uow.contacts.count() or uow.queries.invoice_count()
    finally:
        database.close()
    if filled:
        raise ConflictError("Demo data goes into an empty book: this one has customers or invoices")
