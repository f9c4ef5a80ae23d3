"""Units of work: one transaction on one pooled connection, with every repository on it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeVar, overload

from leadcartel_desktop.storage.pragmas import IMMEDIATE
from leadcartel_desktop.storage.read_pool import ReadPool
from leadcartel_desktop.storage.sql import DriverSql, Sql, Statements
from leadcartel_desktop.storage.write_lock import WriteLock

# A repository's module (and the domain modules it maps) loads the first time a unit of work
# uses it: the first paint at start-up reads the settings and the invoice list only.
if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from leadcartel_desktop.services.campaign_ports import (
        CampaignRepository,
        ContactTagRepository,
        GroupRepository,
    )
    from leadcartel_desktop.services.deal_ports import (
        DealQueries,
        DealRepository,
        DealSyncRepository,
        PipelineRepository,
    )
    from leadcartel_desktop.services.messaging_ports import (
        OptOutRegister,
        OutboxRepository,
        OutboxWorkerRegistry,
        ProviderSettingsRepository,
    )
    from leadcartel_desktop.services.ports import (
        ContactRepository,
        InvoiceQueries,
        InvoiceRepository,
        NumberCounters,
        SettingsRepository,
    )
    from leadcartel_desktop.services.receipt_ports import ReceiptRepository
    from leadcartel_desktop.services.reminder_ports import ReminderRepository
    from leadcartel_desktop.services.sync_ports import InvoiceSyncRepository
    from leadcartel_desktop.services.thread_ports import MessageRepository

T = TypeVar("T")


class _Repository(Generic[T]):
    """A repository made on first use in a unit of work, on that unit's statements."""

    def __init__(self, make: Callable[[Statements], T]) -> None:
        self._make = make
        self._name = make.__name__

    @overload
    def __get__(self, unit: None, kind: type[_Repositories]) -> _Repository[T]: ...

    @overload
    def __get__(self, unit: _Repositories, kind: type[_Repositories]) -> T: ...

    def __get__(self, unit: _Repositories | None, kind: type[_Repositories]) -> _Repository[T] | T:
        if unit is None:
            return self
        made = self._make(unit.statements)
        unit.__dict__[self._name] = made  # kept: later reads skip this descriptor
        return made


class _Repositories:
    """Every repository, on one transaction's statements (each typed as its port)."""

    _statements: Statements | None = None

    def _attach(self, sql: Statements) -> None:
        self._statements = sql

    @property
    def statements(self) -> Statements:
        if self._statements is None:
            raise RuntimeError("a unit of work is used inside its with block")
        return self._statements

    @_Repository
    def contacts(sql: Statements) -> ContactRepository:  # noqa: N805
        from leadcartel_desktop.storage.contacts import SqlContactRepository

        return SqlContactRepository(sql)

    @_Repository
    def invoices(sql: Statements) -> InvoiceRepository:  # noqa: N805
        from leadcartel_desktop.storage.invoices import SqlInvoiceRepository

        return SqlInvoiceRepository(sql)

    @_Repository
    def counters(sql: Statements) -> NumberCounters:  # noqa: N805
        from leadcartel_desktop.storage.counters import SqlNumberCounters

        return SqlNumberCounters(sql)

    @_Repository
    def settings(sql: Statements) -> SettingsRepository:  # noqa: N805
        from leadcartel_desktop.storage.settings import SqlSettingsRepository

        return SqlSettingsRepository(sql)

    @_Repository
    def queries(sql: Statements) -> InvoiceQueries:  # noqa: N805
        from leadcartel_desktop.storage.queries import SqlInvoiceQueries

        return SqlInvoiceQueries(sql)

    @_Repository
    def outbox(sql: Statements) -> OutboxRepository:  # noqa: N805
        from leadcartel_desktop.storage.outbox import SqlOutboxRepository

        return SqlOutboxRepository(sql)

    @_Repository
    def outbox_workers(sql: Statements) -> OutboxWorkerRegistry:  # noqa: N805
        from leadcartel_desktop.storage.outbox_workers import SqlOutboxWorkerRegistry

        return SqlOutboxWorkerRegistry(sql)

    @_Repository
    def receipts(sql: Statements) -> ReceiptRepository:  # noqa: N805
        from leadcartel_desktop.storage.outbox_receipts import SqlReceiptRepository

        return SqlReceiptRepository(sql)

    @_Repository
    def opt_outs(sql: Statements) -> OptOutRegister:  # noqa: N805
        from leadcartel_desktop.storage.opt_outs import SqlOptOutRegister

        return SqlOptOutRegister(sql)

    @_Repository
    def providers(sql: Statements) -> ProviderSettingsRepository:  # noqa: N805
        from leadcartel_desktop.storage.provider_settings import SqlProviderSettingsRepository

        return SqlProviderSettingsRepository(sql)

    @_Repository
    def reminders(sql: Statements) -> ReminderRepository:  # noqa: N805
        from leadcartel_desktop.storage.reminders import SqlReminderRepository

        return SqlReminderRepository(sql)

    @_Repository
    def invoice_sync(sql: Statements) -> InvoiceSyncRepository:  # noqa: N805
        from leadcartel_desktop.storage.invoice_sync import SqlInvoiceSyncRepository

        return SqlInvoiceSyncRepository(sql)

    @_Repository
    def pipelines(sql: Statements) -> PipelineRepository:  # noqa: N805
        from leadcartel_desktop.storage.pipelines import SqlPipelineRepository

        return SqlPipelineRepository(sql)

    @_Repository
    def deals(sql: Statements) -> DealRepository:  # noqa: N805
        from leadcartel_desktop.storage.deals import SqlDealRepository

        return SqlDealRepository(sql)

    @_Repository
    def deal_queries(sql: Statements) -> DealQueries:  # noqa: N805
        from leadcartel_desktop.storage.deal_queries import SqlDealQueries

        return SqlDealQueries(sql)

    @_Repository
    def deal_sync(sql: Statements) -> DealSyncRepository:  # noqa: N805
        from leadcartel_desktop.storage.deal_sync import SqlDealSyncRepository

        return SqlDealSyncRepository(sql)

    @_Repository
    def messages(sql: Statements) -> MessageRepository:  # noqa: N805
        from leadcartel_desktop.storage.messages import SqlMessageRepository

        return SqlMessageRepository(sql)

    @_Repository
    def contact_tags(sql: Statements) -> ContactTagRepository:  # noqa: N805
        from leadcartel_desktop.storage.contact_tags import SqlContactTagRepository

        return SqlContactTagRepository(sql)

    @_Repository
    def groups(sql: Statements) -> GroupRepository:  # noqa: N805
        from leadcartel_desktop.storage.groups import SqlGroupRepository

        return SqlGroupRepository(sql)

    @_Repository
    def campaigns(sql: Statements) -> CampaignRepository:  # noqa: N805
        from leadcartel_desktop.storage.campaigns import SqlCampaignRepository

        return SqlCampaignRepository(sql)


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
