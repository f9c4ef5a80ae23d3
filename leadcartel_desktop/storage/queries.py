"""The read side of the Payments pane: id lists in display order, rows for a page, totals."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from leadcartel_desktop.domain.invoice_status import InvoiceStatus, display_status
from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.services.views import (
    CurrencyTotals,
    InvoicePage,
    InvoiceQuery,
    InvoiceRow,
    TransactionRow,
)
from leadcartel_desktop.storage.convert import date_text, to_date
from leadcartel_desktop.storage.list_sql import (
    OWING,
    invoice_count_sql,
    invoice_ids_sql,
    invoice_page_sql,
    number_or_customer,
    walk_the_order,
)
from leadcartel_desktop.storage.sql import Statements

_ROW_COLUMNS = (
    "id, coalesce(number, ''), customer_name, issue_date, due_date, status, currency, total, "
    "balance"
)
_INVOICE_ROW = f"SELECT {_ROW_COLUMNS} FROM invoices WHERE id IN (SELECT value FROM json_each(?))"
_TRANSACTION_ROW = (
    "SELECT p.id, p.invoice_id, coalesce(i.number, ''), i.customer_name, p.paid_on, p.method, "
    "p.reference, i.currency, p.amount FROM payments AS p JOIN invoices AS i "
    "ON i.id = p.invoice_id WHERE p.id IN (SELECT value FROM json_each(?))"
)
# No index can answer a reference typed in part, so this is one pass over the payments in
# the order shown (the paid-on index: no sort); the invoices matching the number or the
# customer are found once, through their own indexes, and each payment looks its invoice up.
# Two index-backed lookups (the reference's start; the invoice number or customer), then the
# few matches sorted: an OR of them would read every payment.
_TRANSACTION_SEARCH = (
    "SELECT p.id FROM payments AS p WHERE p.id IN ("
    "SELECT r.id FROM payments AS r WHERE r.reference LIKE ? ESCAPE '\\' "
    "UNION ALL SELECT q.id FROM payments AS q JOIN invoices AS i ON i.id = q.invoice_id "
    "WHERE {}) ORDER BY p.paid_on DESC, p.id DESC"
)
# One pass over the partial index of owing invoices (covering, grouped in index order). The
# hint makes the plan independent of planner statistics; SQLite refuses the query outright
# rather than fall back to a scan should the index ever stop matching the WHERE clause.
_OUTSTANDING = (
    "SELECT currency, sum(balance), count(*), sum(iif(due_date < :today, balance, 0)), "
    "sum(due_date < :today) FROM invoices INDEXED BY ix_invoices_owing "
    f"WHERE {OWING} GROUP BY currency ORDER BY currency"
)


_Row = TypeVar("_Row")


def _in_order(ids: Sequence[int], found: dict[int, _Row]) -> list[_Row]:
    return [found[row_id] for row_id in ids if row_id in found]


def _starts_with(text: str) -> str:
    """A LIKE pattern for 'starts with text', its own % and _ taken literally."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _invoice_row(values: Sequence[Any], today: date) -> InvoiceRow:
    row_id, number, customer, issued, due, status, currency, total, balance = values
    stored = InvoiceStatus(status)
    due_date = to_date(due)
    return InvoiceRow(
        id=row_id,
        number=number,
        customer=customer,
        issue_date=to_date(issued),
        due_date=due_date,
        stored_status=stored,
        status=display_status(stored, due_date, balance, today),
        currency=currency,
        total=total,
        balance=balance,
    )


class SqlInvoiceQueries:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def invoice_ids(self, query: InvoiceQuery, today: date) -> list[int]:
        statement, params = invoice_ids_sql(query, today)
        return self._sql.ids(statement, params)

    def invoice_page(self, query: InvoiceQuery, today: date, limit: int) -> InvoicePage:
        """How many rows the list has, and the first `limit` of them (one snapshot)."""
        count_statement, count_params = invoice_count_sql(query, today)
        count = int(self._sql.scalar(count_statement, tuple(count_params)))
        walk = False
        if query.search and count:
            total = int(self._sql.scalar("SELECT coalesce(max(id), 0) FROM invoices"))
            walk = walk_the_order(count, total, limit)
        statement, params = invoice_page_sql(query, today, _ROW_COLUMNS, limit, walk=walk)
        rows = [_invoice_row(values, today) for values in self._sql.tuples(statement, params)]
        return InvoicePage(count, rows)

    def invoice_rows(self, ids: Sequence[int], today: date) -> list[InvoiceRow]:
        if not ids:
            return []
        found: dict[int, InvoiceRow] = {}
        for values in self._sql.tuples(_INVOICE_ROW, (json.dumps(list(ids)),)):
            row = _invoice_row(values, today)
            found[row.id] = row
        return _in_order(ids, found)

    def states_by_invoice(self, invoice_ids: Sequence[int]) -> dict[int, frozenset[OutboxState]]:
        """The states of each invoice's messages, for a page of invoices in one grouped query.

        Here with the list's other reads: the outbox's repository need not load before the
        first rows are painted.
        """
        if not invoice_ids:
            return {}
        found: dict[int, set[OutboxState]] = {}
        for invoice_id, state in self._sql.tuples(
            "SELECT invoice_id, state FROM outbox "
            "WHERE invoice_id IN (SELECT value FROM json_each(?)) GROUP BY invoice_id, state",
            (json.dumps(list(invoice_ids)),),
        ):
            found.setdefault(int(invoice_id), set()).add(OutboxState(state))
        return {invoice_id: frozenset(states) for invoice_id, states in found.items()}

    def outstanding(self, today: date) -> list[CurrencyTotals]:
        """Per currency, never added together: what is owed, and what of it is overdue."""
        return [
            CurrencyTotals(currency, int(owed), int(overdue), int(count), int(overdue_count))
            for currency, owed, count, overdue, overdue_count in self._sql.run(
                _OUTSTANDING, {"today": date_text(today)}
            )
        ]

    def transaction_ids(self, search: str) -> list[int]:
        """Payment ids, newest first; `search` matches the number, customer or reference.

        The invoice number by its start, the customer by its words, the payment's reference
        by its start in any case (each through an index), as the search box promises.
        """
        condition = number_or_customer(search, "i.number", "i.contact_id")
        if condition is None:
            return self._sql.ids("SELECT id FROM payments ORDER BY paid_on DESC, id DESC")
        terms, params = condition
        return self._sql.ids(_TRANSACTION_SEARCH.format(terms), (_starts_with(search), *params))

    def transaction_rows(self, ids: Sequence[int]) -> list[TransactionRow]:
        if not ids:
            return []
        found: dict[int, TransactionRow] = {}
        for (
            row_id,
            invoice_id,
            number,
            customer,
            paid_on,
            method,
            reference,
            currency,
            amount,
        ) in self._sql.run(_TRANSACTION_ROW, (json.dumps(list(ids)),)):
            found[row_id] = TransactionRow(
                id=row_id,
                invoice_id=invoice_id,
                invoice_number=number,
                customer=customer,
                paid_on=to_date(paid_on),
                method=method,
                reference=reference,
                currency=currency,
                amount=amount,
            )
        return _in_order(ids, found)

    def invoice_count(self) -> int:
        return int(self._sql.scalar("SELECT count(*) FROM invoices"))
