"""Every payment, newest first, as a lazy table model (rows fetched by page of ids)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.i18n.formatting import DEFAULT_LOCALE, format_money
from leadcartel_desktop.services.views import TransactionRow
from leadcartel_desktop.ui.payments.invoice_model import date_text
from leadcartel_desktop.ui.widgets.lazy_table_model import LazyTableModel

if TYPE_CHECKING:
    from leadcartel_desktop.services.registry import Services
    from leadcartel_desktop.ui.tasks import TaskRunner


class TransactionColumn(IntEnum):
    DATE = 0
    INVOICE = 1
    CUSTOMER = 2
    METHOD = 3
    REFERENCE = 4
    AMOUNT = 5


@dataclass(frozen=True, slots=True)
class _IdResult:
    ids: list[int]
    locale: str
    first_rows: list[TransactionRow]


def method_label(method: str) -> str:
    try:
        return PaymentMethod(method).label
    except ValueError:
        return method


class TransactionTableModel(LazyTableModel):
    HEADERS = ("Date", "Invoice", "Customer", "Method", "Reference", "Amount")
    RIGHT_ALIGNED = frozenset({TransactionColumn.AMOUNT})

    def __init__(self, services: Services, tasks: TaskRunner, parent: Any = None) -> None:
        super().__init__(tasks, parent)
        self._services = services
        self._search = ""
        self._locale = DEFAULT_LOCALE

    @property
    def locale(self) -> str:
        return self._locale

    @property
    def search(self) -> str:
        return self._search

    def set_search(self, text: str) -> None:
        text = text.strip()
        if text != self._search:
            self._search = text
            self.refresh()

    def _ids_job(self) -> Callable[[], _IdResult]:
        services, search, page_size = self._services, self._search, self.PAGE_SIZE

        def work() -> _IdResult:
            locale = services.settings.business().locale
            ids = services.invoice_list.transaction_ids(search)
            return _IdResult(ids, locale, services.invoice_list.transaction_rows(ids[:page_size]))

        return work

    def _accept_ids(self, result: _IdResult) -> list[int]:
        self._locale = result.locale or DEFAULT_LOCALE
        return result.ids

    def _first_rows(self, result: _IdResult) -> list[TransactionRow]:
        return result.first_rows

    def _rows_job(self, ids: list[int]) -> Callable[[], Sequence[TransactionRow]]:
        services = self._services
        return lambda: services.invoice_list.transaction_rows(ids)

    def _display(self, row: TransactionRow, column: int) -> str:
        match column:
            case TransactionColumn.DATE:
                return date_text(row.paid_on, self._locale)
            case TransactionColumn.INVOICE:
                return row.invoice_number or f"Draft #{row.invoice_id}"
            case TransactionColumn.CUSTOMER:
                return row.customer
            case TransactionColumn.METHOD:
                return method_label(row.method)
            case TransactionColumn.REFERENCE:
                return row.reference
            case TransactionColumn.AMOUNT:
                return format_money(row.amount, row.currency, self._locale)
        return ""

    def _sort_value(self, row: TransactionRow, column: int) -> object:
        match column:
            case TransactionColumn.DATE:
                return row.paid_on.isoformat()
            case TransactionColumn.AMOUNT:
                return row.amount
        return self._display(row, column)

    def row_for(self, position: int) -> TransactionRow | None:
        row = self.row_at(position)
        return row if isinstance(row, TransactionRow) else None
