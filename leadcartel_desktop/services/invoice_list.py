"""The read side of the Payments pane: invoice and transaction lists, outstanding totals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from leadcartel_desktop.services.clock import today_in
from leadcartel_desktop.services.delivery import delivery_of_states
from leadcartel_desktop.services.views import (
    CurrencyTotals,
    InvoiceQuery,
    InvoiceRow,
    ListStart,
    TransactionRow,
)

if TYPE_CHECKING:
    from leadcartel_desktop.services.ports import Clock, UnitOfWorkFactory


class InvoiceListService:
    def __init__(self, unit_of_work: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = unit_of_work
        self._clock = clock

    def today(self) -> date:
        with self._uow(read_only=True) as uow:
            return today_in(self._clock, uow.settings.business().time_zone)

    def invoice_count(self) -> int:
        with self._uow(read_only=True) as uow:
            return uow.queries.invoice_count()

    def invoice_ids(self, query: InvoiceQuery, today: date) -> list[int]:
        with self._uow(read_only=True) as uow:
            return uow.queries.invoice_ids(query, today)

    def start(self, query: InvoiceQuery, limit: int) -> ListStart:
        """Everything the list needs to paint its first screen, in one read transaction."""
        with self._uow(read_only=True) as uow:
            business = uow.settings.business()
            today = today_in(self._clock, business.time_zone)
            return ListStart(today, business.locale, uow.queries.invoice_page(query, today, limit))

    def invoice_rows(self, ids: Sequence[int], today: date) -> list[InvoiceRow]:
        with self._uow(read_only=True) as uow:
            return uow.queries.invoice_rows(ids, today)

    def deliveries(self, invoice_ids: Sequence[int]) -> dict[int, str]:
        """What the list says about each invoice's messages (see delivery_of_states).

        One grouped outbox query for the whole page; invoices without messages map to ''.
        """
        with self._uow(read_only=True) as uow:
            states = uow.queries.states_by_invoice(invoice_ids)
        return {
            invoice_id: delivery_of_states(states.get(invoice_id, ())) for invoice_id in invoice_ids
        }

    def outstanding(self, today: date) -> list[CurrencyTotals]:
        with self._uow(read_only=True) as uow:
            return uow.queries.outstanding(today)

    def transaction_ids(self, search: str = "") -> list[int]:
        with self._uow(read_only=True) as uow:
            return uow.queries.transaction_ids(search)

    def transaction_rows(self, ids: Sequence[int]) -> list[TransactionRow]:
        with self._uow(read_only=True) as uow:
            return uow.queries.transaction_rows(ids)
