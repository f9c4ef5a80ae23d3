"""The SQL of the invoice list: filter, search and order, written so indexes carry it."""

from __future__ import annotations

from datetime import date
from typing import Any

from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.services.views import InvoiceQuery, InvoiceSort
from leadcartel_desktop.storage.convert import date_text
from leadcartel_desktop.storage.fts import prefix_query, prefix_range

# Spelled exactly as in the partial index of migration 0001 (literals, not parameters):
# SQLite uses a partial index only when the query repeats its WHERE terms. A test checks
# that it names exactly domain.invoice_status.OPEN_STATUSES.
OPEN = "status IN ('sent', 'viewed', 'partially_paid')"
OWING = f"{OPEN} AND balance > 0"
_OWING_UNINDEXED = "+status IN ('sent', 'viewed', 'partially_paid') AND +balance > 0"

SORT_COLUMNS: dict[InvoiceSort, str] = {
    InvoiceSort.NUMBER: "number",
    InvoiceSort.CUSTOMER: "customer_name",
    InvoiceSort.ISSUE_DATE: "issue_date",
    InvoiceSort.DUE_DATE: "due_date",
    InvoiceSort.STATUS: "status",
    InvoiceSort.TOTAL: "total",
    InvoiceSort.BALANCE: "balance",
}

CUSTOMER_MATCH = "{} IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)"


def number_or_customer(
    text: str, number_column: str, contact_column: str
) -> tuple[str, list[Any]] | None:
    """'number starts with text OR the customer matches every word', or None when blank."""
    bounds = prefix_range(text)
    if bounds is None:
        return None
    terms = [f"({number_column} >= ? AND {number_column} < ?)"]
    params: list[Any] = list(bounds)
    match = prefix_query(text)
    if match is not None:
        terms.append(CUSTOMER_MATCH.format(contact_column))
        params.append(match)
    return "(" + " OR ".join(terms) + ")", params


def status_terms(status: StatusFilter, sort: InvoiceSort, today: date) -> tuple[str, list[Any]]:
    """The filter's WHERE terms, written so the plan does not hinge on planner statistics.

    A stored status sorted by issue date (or status) is a range of the (status, issue_date,
    id) index. Any other combination reads the sort column's index in order and filters in
    the index itself (every sort index carries status, balance and due date), so the unary
    '+' keeps SQLite from picking a filter index that would then need a temp B-tree sort
    and a table lookup per row.
    """
    if status is StatusFilter.ALL:
        return "", []
    if status is StatusFilter.OVERDUE:
        return f"{_OWING_UNINDEXED} AND +due_date < ?", [date_text(today)]
    if status is StatusFilter.BALANCE_PENDING:
        return _OWING_UNINDEXED, []
    plus = "" if sort in (InvoiceSort.ISSUE_DATE, InvoiceSort.STATUS) else "+"
    return f"{plus}status = '{status.value}'", []


def invoice_ids_sql(query: InvoiceQuery, today: date) -> tuple[str, list[Any]]:
    """`SELECT id FROM invoices ...` in display order, and its parameters."""
    where: list[str] = []
    params: list[Any] = []
    terms, term_params = status_terms(query.status, query.sort, today)
    if terms:
        where.append(terms)
        params.extend(term_params)
    search = number_or_customer(query.search, "number", "contact_id")
    if search is not None:
        where.append(search[0])
        params.extend(search[1])
    direction = "DESC" if query.descending else "ASC"
    sql = "SELECT id FROM invoices"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {SORT_COLUMNS[query.sort]} {direction}, id {direction}"
    return sql, params
