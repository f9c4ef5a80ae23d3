"""Composition root: resolve paths, open the database, wire services and adapters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadcartel_desktop.domain.providers import ProviderSettings
from leadcartel_desktop.paths import AppPaths, resolve_paths
from leadcartel_desktop.services.clock import SystemClock
from leadcartel_desktop.services.outbox_worker import OutboxWorker
from leadcartel_desktop.services.ports import Clock
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.sending import SendingPorts
from leadcartel_desktop.storage.database import Database, open_database


@dataclass(slots=True)
class AppContext:
    """What a running app (window or command) holds on to, closed together."""

    paths: AppPaths
    database: Database
    services: Services
    worker: OutboxWorker | None = None

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
    from leadcartel_desktop.pdf.renderer import FpdfInvoiceRenderer

    paths = resolve_paths(home).ensure()
    database = open_database(paths.database)
    clock = clock or SystemClock()
    services = Services.build(
        database.unit_of_work,
        clock,
        FpdfInvoiceRenderer(),
        ProcessPdfExporter(),
        sending or default_sending(database, clock),
    )
    return AppContext(paths, database, services)


def default_sending(database: Database, clock: Clock) -> SendingPorts:
    """The real provider adapters, the OS keychain and the connectivity check.

    Built on first use: requests and keyring load when something is sent or set up, not
    before the window's first paint.
    """

    def build() -> SendingPorts:
        from leadcartel_desktop.providers.connectivity import TcpConnectivity
        from leadcartel_desktop.providers.factory import DefaultProviderFactory
        from leadcartel_desktop.providers.keychain import KeyringSecretStore

        def settings() -> ProviderSettings:
            with database.unit_of_work(read_only=True) as uow:
                return uow.providers.providers()

        return SendingPorts(
            DefaultProviderFactory(clock=clock), KeyringSecretStore(), TcpConnectivity(settings)
        )

    return SendingPorts.deferred(build)


def database_exists(home: str | Path | None = None) -> bool:
    return resolve_paths(home).database.exists()
