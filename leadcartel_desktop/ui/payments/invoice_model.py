"""The invoice list as a lazy table model: ids in display order, rows fetched by page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from enum import IntEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from leadcartel_desktop.domain.invoice_status import InvoiceStatus, StatusFilter
from leadcartel_desktop.i18n.formatting import DEFAULT_LOCALE, format_date, format_money
from leadcartel_desktop.services.delivery import WAITING
from leadcartel_desktop.services.views import InvoiceQuery, InvoiceRow, InvoiceSort, ListStart
from leadcartel_desktop.ui.colors import OVERDUE_RED
from leadcartel_desktop.ui.widgets.lazy_table_model import LazyTableModel

if TYPE_CHECKING:
    from leadcartel_desktop.services.registry import Services
    from leadcartel_desktop.ui.tasks import TaskRunner

OVERDUE = "Overdue"
OVERDUE_COLOR = QColor(OVERDUE_RED)


class InvoiceColumn(IntEnum):
    NUMBER = 0
    CUSTOMER = 1
    ISSUE_DATE = 2
    DUE_DATE = 3
    STATUS = 4
    TOTAL = 5
    BALANCE = 6


SORT_FOR_COLUMN: dict[InvoiceColumn, InvoiceSort] = {
    InvoiceColumn.NUMBER: InvoiceSort.NUMBER,
    InvoiceColumn.CUSTOMER: InvoiceSort.CUSTOMER,
    InvoiceColumn.ISSUE_DATE: InvoiceSort.ISSUE_DATE,
    InvoiceColumn.DUE_DATE: InvoiceSort.DUE_DATE,
    InvoiceColumn.STATUS: InvoiceSort.STATUS,
    InvoiceColumn.TOTAL: InvoiceSort.TOTAL,
    InvoiceColumn.BALANCE: InvoiceSort.BALANCE,
}


@lru_cache(maxsize=8192)
def date_text(value: date, locale: str) -> str:
    """Dates repeat down a list (a few thousand days for 200,000 invoices): format each once."""
    return format_date(value, locale)


def warm_up_formatting(locale: str) -> None:
    """Load the locale's number and date data here, in a worker, not while painting."""
    format_money(0, "USD", locale)
    format_date(date(2000, 1, 1), locale)


def invoice_label(row: InvoiceRow) -> str:
    """What the operator calls an invoice: its number, or 'Draft #id' before it has one."""
    if row.stored_status is InvoiceStatus.DRAFT or not row.number:
        return f"Draft #{row.id}"
    return row.number


def with_delivery(services: Services, rows: Sequence[InvoiceRow]) -> list[InvoiceRow]:
    """Issued invoices whose messages are not yet accepted show 'Waiting to send'.

    Runs in the worker job that fetched `rows` (it reads the outbox).
    """
    issued = [row.id for row in rows if row.stored_status is InvoiceStatus.SENT]
    if not issued:
        return list(rows)
    deliveries = services.invoice_list.deliveries(issued)  # one outbox query for the page
    waiting = {invoice_id for invoice_id, delivery in deliveries.items() if delivery == WAITING}
    return [replace(row, status=WAITING) if row.id in waiting else row for row in rows]


class InvoiceTableModel(LazyTableModel):
    HEADERS = ("Number", "Customer", "Issue date", "Due date", "Status", "Total", "Balance")
    RIGHT_ALIGNED = frozenset({InvoiceColumn.TOTAL, InvoiceColumn.BALANCE})

    def __init__(self, services: Services, tasks: TaskRunner, parent: Any = None) -> None:
        super().__init__(tasks, parent)
        self._services = services
        self._query = InvoiceQuery()
        self._today: date | None = None
        self._locale = DEFAULT_LOCALE

    @property
    def query(self) -> InvoiceQuery:
        return self._query

    @property
    def locale(self) -> str:
        return self._locale

    def set_query(self, query: InvoiceQuery) -> None:
        if query != self._query:
            self._query = query
            self.refresh()

    def set_status_filter(self, status: StatusFilter) -> None:
        self.set_query(replace(self._query, status=status))

    def set_search(self, text: str) -> None:
        self.set_query(replace(self._query, search=text.strip()))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query the ids ordered by the column's raw value, in the database."""
        if not 0 <= column < len(self.HEADERS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(
            replace(self._query, sort=SORT_FOR_COLUMN[InvoiceColumn(column)], descending=descending)
        )

    # LazyTableModel hooks ---------------------------------------------------------------------
    def _first_page_job(self) -> Callable[[], ListStart]:
        services, query, page_size = self._services, self._query, self.PAGE_SIZE

        def work() -> ListStart:
            start = services.invoice_list.start(query, page_size)
            warm_up_formatting(start.locale)
            rows = with_delivery(services, start.page.rows)
            return replace(start, page=replace(start.page, rows=rows))

        return work

    def _accept_first_page(self, result: ListStart) -> tuple[int, Sequence[InvoiceRow]]:
        self._today = result.today
        self._locale = result.locale or DEFAULT_LOCALE
        return result.page.count, result.page.rows

    def _ids_job(self) -> Callable[[], list[int]]:
        """The whole id list, for the day the first page was read on."""
        services, query, today = self._services, self._query, self._today
        assert today is not None
        return lambda: services.invoice_list.invoice_ids(query, today)

    def _rows_job(self, ids: list[int]) -> Callable[[], Sequence[InvoiceRow]]:
        services, today = self._services, self._today
        assert today is not None
        return lambda: with_delivery(services, services.invoice_list.invoice_rows(ids, today))

    def _display(self, row: InvoiceRow, column: int) -> str:
        match column:
            case InvoiceColumn.NUMBER:
                return invoice_label(row)
            case InvoiceColumn.CUSTOMER:
                return row.customer
            case InvoiceColumn.ISSUE_DATE:
                return date_text(row.issue_date, self._locale)
            case InvoiceColumn.DUE_DATE:
                return date_text(row.due_date, self._locale)
            case InvoiceColumn.STATUS:
                return row.status
            case InvoiceColumn.TOTAL:
                return format_money(row.total, row.currency, self._locale)
            case InvoiceColumn.BALANCE:
                return format_money(row.balance, row.currency, self._locale)
        return ""

    def _sort_value(self, row: InvoiceRow, column: int) -> object:
        match column:
            case InvoiceColumn.NUMBER:
                return row.number
            case InvoiceColumn.CUSTOMER:
                return row.customer
            case InvoiceColumn.ISSUE_DATE:
                return row.issue_date.isoformat()
            case InvoiceColumn.DUE_DATE:
                return row.due_date.isoformat()
            case InvoiceColumn.STATUS:
                return row.status
            case InvoiceColumn.TOTAL:
                return row.total
            case InvoiceColumn.BALANCE:
                return row.balance
        return None

    def _foreground(self, row: InvoiceRow, column: int) -> Any:
        if column == InvoiceColumn.STATUS and row.status == OVERDUE:
            return OVERDUE_COLOR
        return None

    def row_for(self, position: int) -> InvoiceRow | None:
        row = self.row_at(position)
        return row if isinstance(row, InvoiceRow) else None
