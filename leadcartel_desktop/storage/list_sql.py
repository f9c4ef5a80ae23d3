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


def count_terms(status: StatusFilter, today: date) -> tuple[str, list[Any]]:
    """The filter's WHERE terms for counting: no order to keep, so the narrowest index wins.

    Overdue and Balance pending repeat the partial index's terms (one pass over the owing
    invoices only); a stored status is a range of the (status, id, ...) index.
    """
    if status is StatusFilter.ALL:
        return "", []
    if status is StatusFilter.OVERDUE:
        return f"{OWING} AND due_date < ?", [date_text(today)]
    if status is StatusFilter.BALANCE_PENDING:
        return OWING, []
    return f"status = '{status.value}'", []


def _where(
    terms: tuple[str, list[Any]], search: str, *, walk: bool = False
) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if terms[0]:
        where.append(terms[0])
        params.extend(terms[1])
    # '+' makes the search a filter on the sort-order walk instead of an index of its own.
    plus = "+" if walk else ""
    matched = number_or_customer(search, f"{plus}number", f"{plus}contact_id")
    if matched is not None:
        where.append(matched[0])
        params.extend(matched[1])
    return (" WHERE " + " AND ".join(where) if where else ""), params


def walk_the_order(matches: int, total: int, limit: int) -> bool:
    """Whether a search's first page is cheaper found by walking the sort index.

    Walking reads about limit x total / matches rows in order and stops; the search's own
    indexes find every match and sort them all. A broad search ('j': a fifth of the book)
    fills a page within a few hundred rows of the walk, a narrow one ('maria gar') would walk
    the whole book for its 19 rows. The walk wins while it reads fewer than ~4 rows per match
    the other way would sort (measured on bench/book.py's book).
    """
    return matches > 0 and limit * total <= 4 * matches * matches


def _order_by(query: InvoiceQuery) -> str:
    direction = "DESC" if query.descending else "ASC"
    return f" ORDER BY {SORT_COLUMNS[query.sort]} {direction}, id {direction}"


def invoice_ids_sql(query: InvoiceQuery, today: date) -> tuple[str, list[Any]]:
    """`SELECT id FROM invoices ...` in display order, and its parameters."""
    where, params = _where(status_terms(query.status, query.sort, today), query.search)
    return f"SELECT id FROM invoices{where}{_order_by(query)}", params


def invoice_page_sql(
    query: InvoiceQuery, today: date, columns: str, limit: int, *, walk: bool = False
) -> tuple[str, list[Any]]:
    """The first `limit` rows in display order, stopped early (see `walk_the_order`).

    Never an OFFSET: deeper rows are fetched by id once the id list is known.
    """
    terms = status_terms(query.status, query.sort, today)
    where, params = _where(terms, query.search, walk=walk)
    return f"SELECT {columns} FROM invoices{where}{_order_by(query)} LIMIT ?", [*params, limit]


def invoice_count_sql(query: InvoiceQuery, today: date) -> tuple[str, list[Any]]:
    """`SELECT count(*)` of the rows the list shows.

    Without a search, the owing filters count the partial index alone; the hint keeps the
    planner (which has no statistics in an operator's file) from taking the status index.
    """
    where, params = _where(count_terms(query.status, today), query.search)
    owing = query.status in (StatusFilter.OVERDUE, StatusFilter.BALANCE_PENDING)
    hint = " INDEXED BY ix_invoices_owing" if owing and not query.search.strip() else ""
    return f"SELECT count(*) FROM invoices{hint}{where}", params
