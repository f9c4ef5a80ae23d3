"""Composition root: resolve paths, open the database, wire services and adapters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leadcartel_desktop.paths import AppPaths, resolve_paths
from leadcartel_desktop.services.clock import SystemClock
from leadcartel_desktop.services.ports import Clock
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.storage.database import Database, open_database


@dataclass(slots=True)
class AppContext:
    """What a running app (window or command) holds on to, closed together."""

    paths: AppPaths
    database: Database
    services: Services

    def close(self) -> None:
        self.database.close()


def build_context(home: str | Path | None = None, clock: Clock | None = None) -> AppContext:
    """Open (creating or migrating) the database under `home` and wire every service."""
    from leadcartel_desktop.pdf.exporter import ProcessPdfExporter
    from leadcartel_desktop.pdf.renderer import FpdfInvoiceRenderer

    paths = resolve_paths(home).ensure()
    database = open_database(paths.database)
    services = Services.build(
        database.unit_of_work, clock or SystemClock(), FpdfInvoiceRenderer(), ProcessPdfExporter()
    )
    return AppContext(paths, database, services)


def database_exists(home: str | Path | None = None) -> bool:
    return resolve_paths(home).database.exists()
