"""Units of work: one transaction on one pooled connection, with every repository on it."""

from __future__ import annotations

import sqlite3
from types import TracebackType
from typing import TYPE_CHECKING

from leadcartel_desktop.services.messaging_ports import (
    OptOutRegister,
    OutboxRepository,
    ProviderSettingsRepository,
)
from leadcartel_desktop.services.ports import (
    ContactRepository,
    InvoiceQueries,
    InvoiceRepository,
    NumberCounters,
    SettingsRepository,
)
from leadcartel_desktop.services.reminder_ports import ReminderRepository
from leadcartel_desktop.services.sync_ports import InvoiceSyncRepository
from leadcartel_desktop.storage.contacts import SqlContactRepository
from leadcartel_desktop.storage.counters import SqlNumberCounters
from leadcartel_desktop.storage.invoice_sync import SqlInvoiceSyncRepository
from leadcartel_desktop.storage.invoices import SqlInvoiceRepository
from leadcartel_desktop.storage.opt_outs import SqlOptOutRegister
from leadcartel_desktop.storage.outbox import SqlOutboxRepository
from leadcartel_desktop.storage.pragmas import IMMEDIATE
from leadcartel_desktop.storage.provider_settings import SqlProviderSettingsRepository
from leadcartel_desktop.storage.queries import SqlInvoiceQueries
from leadcartel_desktop.storage.read_pool import ReadPool
from leadcartel_desktop.storage.reminders import SqlReminderRepository
from leadcartel_desktop.storage.settings import SqlSettingsRepository
from leadcartel_desktop.storage.sql import DriverSql, Sql, Statements
from leadcartel_desktop.storage.write_lock import WriteLock

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


class _Repositories:
    """Every repository, on one transaction's statements."""

    # Typed as the ports (Protocol attributes are invariant for type checkers).
    contacts: ContactRepository
    invoices: InvoiceRepository
    counters: NumberCounters
    settings: SettingsRepository
    queries: InvoiceQueries
    outbox: OutboxRepository
    opt_outs: OptOutRegister
    providers: ProviderSettingsRepository
    reminders: ReminderRepository
    invoice_sync: InvoiceSyncRepository

    def _attach(self, sql: Statements) -> None:
        self.contacts = SqlContactRepository(sql)
        self.invoices = SqlInvoiceRepository(sql)
        self.counters = SqlNumberCounters(sql)
        self.settings = SqlSettingsRepository(sql)
        self.queries = SqlInvoiceQueries(sql)
        self.outbox = SqlOutboxRepository(sql)
        self.opt_outs = SqlOptOutRegister(sql)
        self.providers = SqlProviderSettingsRepository(sql)
        self.reminders = SqlReminderRepository(sql)
        self.invoice_sync = SqlInvoiceSyncRepository(sql)


class ReadUnitOfWork(_Repositories):
    """A read-only transaction on a plain sqlite3 connection: one snapshot, no writes.

    It takes no lock (WAL lets it run beside a writer), reads one snapshot from its BEGIN
    to its end, and cannot write (the connection is query_only).
    """

    read_only = True

    def __init__(self, pool: ReadPool) -> None:
        self._pool = pool
        self._connection: sqlite3.Connection | None = None

    def __enter__(self) -> ReadUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("a unit of work cannot be entered twice")
        connection = self._pool.acquire()
        try:
            connection.execute("BEGIN")
        except BaseException:
            self._pool.release(connection)
            raise
        self._connection = connection
        self._attach(DriverSql(connection))
        return self

    def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit() outside the with block")
        raise RuntimeError("a read-only unit of work cannot commit")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        except BaseException:
            connection.close()
            raise
        self._pool.release(connection)


class SqlUnitOfWork(_Repositories):
    """Through SQLAlchemy: commit on commit(); roll back on an error or without commit().

    A write unit holds the process-wide write lock from enter to exit and begins with
    BEGIN IMMEDIATE. A read-only one (Database hands out ReadUnitOfWork instead) takes no
    lock and cannot write: its connection is switched to query_only.
    """

    def __init__(self, engine: Engine, write_lock: WriteLock, *, read_only: bool = False) -> None:
        self._engine = engine
        self._write_lock = write_lock
        self.read_only = read_only
        self._connection: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("a unit of work cannot be entered twice")
        if not self.read_only:
            self._write_lock.acquire()
        try:
            connection = self._engine.connect()
            try:
                if self.read_only:
                    self._set_query_only(connection, True)
                else:
                    connection.execution_options(**{IMMEDIATE: True})
                connection.begin()
            except BaseException:
                connection.close()
                raise
        except BaseException:
            if not self.read_only:
                self._write_lock.release()
            raise
        self._connection = connection
        self._attach(Sql(connection))
        return self

    def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit() outside the with block")
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self._connection.commit()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            # Anything not committed (an error, or commit() never called) is undone here.
            connection.rollback()
            if self.read_only:
                self._set_query_only(connection, False)
        finally:
            try:
                connection.close()
            finally:
                if not self.read_only:
                    self._write_lock.release()

    @staticmethod
    def _set_query_only(connection: Connection, on: bool) -> None:
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.execute(f"PRAGMA query_only = {int(on)}")
