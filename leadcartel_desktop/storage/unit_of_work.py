"""SqlUnitOfWork: one transaction on one pooled connection, with every repository on it."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from leadcartel_desktop.services.ports import (
    ContactRepository,
    InvoiceQueries,
    InvoiceRepository,
    NumberCounters,
    SettingsRepository,
)
from leadcartel_desktop.storage.contacts import SqlContactRepository
from leadcartel_desktop.storage.counters import SqlNumberCounters
from leadcartel_desktop.storage.engine import IMMEDIATE
from leadcartel_desktop.storage.invoices import SqlInvoiceRepository
from leadcartel_desktop.storage.queries import SqlInvoiceQueries
from leadcartel_desktop.storage.settings import SqlSettingsRepository
from leadcartel_desktop.storage.sql import Sql
from leadcartel_desktop.storage.write_lock import WriteLock


class SqlUnitOfWork:
    """Commit on commit(); roll back on an exception or when commit() was not called.

    A write unit holds the process-wide write lock from enter to exit and begins with
    BEGIN IMMEDIATE. A read-only unit takes no lock, reads one snapshot (WAL lets it run
    beside a writer) and cannot write: its connection is switched to query_only.
    """

    # Typed as the ports (Protocol attributes are invariant for type checkers).
    contacts: ContactRepository
    invoices: InvoiceRepository
    counters: NumberCounters
    settings: SettingsRepository
    queries: InvoiceQueries

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
        sql = Sql(connection)
        self.contacts = SqlContactRepository(sql)
        self.invoices = SqlInvoiceRepository(sql)
        self.counters = SqlNumberCounters(sql)
        self.settings = SqlSettingsRepository(sql)
        self.queries = SqlInvoiceQueries(sql)
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
