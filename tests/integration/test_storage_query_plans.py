"""The hot queries use the indexes they were written for (EXPLAIN QUERY PLAN).

The plans are checked on a database without planner statistics, which is what every
operator's file is: the queries are written so their plan does not depend on them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.views import InvoiceQuery, InvoiceSort
from leadcartel_desktop.storage.database import Database, open_database
from leadcartel_desktop.storage.list_sql import invoice_ids_sql, invoice_page_sql
from leadcartel_desktop.storage.sql import packed_ids
from leadcartel_desktop.storage.unit_of_work import SqlUnitOfWork

TODAY = date(2026, 3, 10)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "book.sqlite3")
    with db.unit_of_work() as uow:
        contact_id = uow.contacts.add(Contact(first_name="Ann", email="ann@example.com"))
        content = InvoiceContent(
            contact_id, "USD", TODAY, TODAY, (LineItem("Work", Decimal(1), 100),)
        )
        uow.invoices.add(content, content.totals(), datetime(2026, 3, 10, tzinfo=UTC))
        uow.commit()
    yield db
    db.close()


def _plan(database: Database, statement: str, params: Any = ()) -> list[str]:
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params or ())
        return [row[3] for row in rows]


def _plans_of(
    database: Database, action: Callable[[SqlUnitOfWork], object]
) -> list[tuple[str, list[str]]]:
    """Run `action` in a unit of work; the plans of every statement it sent to SQLite.

    Statements are taken from the driver's trace (with their parameters filled in), so the
    hot paths that skip SQLAlchemy's statement machinery are seen as well.
    """
    seen: list[str] = []
    with database.unit_of_work(read_only=True) as uow:
        driver = uow._connection  # a read unit's plain sqlite3 connection
        assert isinstance(driver, sqlite3.Connection)
        driver.set_trace_callback(seen.append)
        try:
            action(uow)
        finally:
            driver.set_trace_callback(None)
    # "-- ..." are statements SQLite runs inside one (triggers, FTS5), and FTS5 reads its
    # own shadow tables ('main'.'contacts_fts_...') the first time a connection uses it.
    internal = ("BEGIN", "PRAGMA", "ROLLBACK", "COMMIT", "--")
    statements = [
        statement
        for statement in seen
        if not statement.lstrip().upper().startswith(internal) and "'main'.'" not in statement
    ]
    return [(statement, _plan(database, statement)) for statement in statements]


def _id_plan(database: Database, query: InvoiceQuery) -> list[str]:
    statement, params = invoice_ids_sql(query, TODAY)
    return _plan(database, packed_ids(statement), tuple(params))


def test_the_default_invoice_page_reads_one_covering_index_in_order(database: Database) -> None:
    plan = _id_plan(database, InvoiceQuery())

    assert "SCAN invoices USING COVERING INDEX ix_invoices_issue_date" in plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", list(InvoiceSort))
@pytest.mark.parametrize("status", list(StatusFilter))
def test_every_filter_and_sort_is_answered_from_an_index_without_sorting(
    database: Database, status: StatusFilter, sort: InvoiceSort, descending: bool
) -> None:
    plan = _id_plan(database, InvoiceQuery(status=status, sort=sort, descending=descending))

    assert not any("TEMP B-TREE" in step for step in plan), plan
    reads = [step for step in plan if "invoices" in step]
    assert reads and all("COVERING INDEX" in step for step in reads), plan


@pytest.mark.parametrize("status", [s for s in StatusFilter if s.value in {"draft", "paid"}])
def test_a_stored_status_with_the_default_sort_is_an_index_range(
    database: Database, status: StatusFilter
) -> None:
    plan = _id_plan(database, InvoiceQuery(status=status))

    assert any(
        "SEARCH invoices USING COVERING INDEX ix_invoices_status_issue_date (status=?)" in step
        for step in plan
    ), plan


def test_a_search_uses_the_number_index_and_the_contacts_full_text_index(
    database: Database,
) -> None:
    plan = " | ".join(_id_plan(database, InvoiceQuery(search="ann")))

    assert "USING INDEX ux_invoices_number (number>? AND number<?)" in plan
    assert "SCAN contacts_fts VIRTUAL TABLE INDEX 0:M" in plan
    assert "USING INDEX ix_invoices_contact (contact_id=?)" in plan
    assert "SCAN invoices" not in plan


def test_opening_an_invoice_looks_up_by_key_only(database: Database) -> None:
    plans = _plans_of(database, lambda uow: uow.invoices.get(1))

    assert len(plans) == 3
    joined = " | ".join(step for _statement, plan in plans for step in plan)
    assert "SEARCH invoices USING INTEGER PRIMARY KEY (rowid=?)" in joined
    assert "SEARCH invoice_lines USING INDEX sqlite_autoindex_invoice_lines_1 (invoice_id=?)" in (
        joined
    )
    assert "SEARCH payments USING INDEX ix_payments_invoice (invoice_id=?)" in joined
    assert "SCAN" not in joined


def test_the_type_ahead_uses_the_full_text_index(database: Database) -> None:
    plans = _plans_of(database, lambda uow: uow.contacts.search("ann", 12))

    (statement, plan) = plans[0]
    assert "contacts_fts MATCH" in statement
    assert "SCAN contacts_fts VIRTUAL TABLE INDEX 0:M" in " | ".join(plan)
    assert any("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)" in step for step in plan), plan
    assert "LIKE" not in statement.upper()


def test_outstanding_totals_read_the_owing_index_not_the_invoices(database: Database) -> None:
    plans = _plans_of(database, lambda uow: uow.queries.outstanding(TODAY))

    ((_statement, plan),) = plans
    assert plan == ["SCAN invoices USING COVERING INDEX ix_invoices_owing"]


def test_rows_for_a_page_and_lookups_by_number_or_email_use_keys(database: Database) -> None:
    def lookups(uow: SqlUnitOfWork) -> None:
        uow.queries.invoice_rows([1, 2, 3], TODAY)
        uow.invoices.id_for_number("INV-1")
        uow.contacts.find_by_email("ann@example.com")

    joined = " | ".join(step for _s, plan in _plans_of(database, lookups) for step in plan)
    assert "SEARCH invoices USING INTEGER PRIMARY KEY (rowid=?)" in joined
    assert "SEARCH invoices USING COVERING INDEX ux_invoices_number (number=?)" in joined
    assert "ux_invoices_manual_number (manual_number=?)" in joined
    assert "SEARCH contacts USING INDEX ix_contacts_email (email=?)" in joined
    assert "SCAN invoices" not in joined
    assert "SCAN contacts" not in joined


def _page_plans(database: Database, query: InvoiceQuery) -> list[tuple[str, list[str]]]:
    return _plans_of(database, lambda uow: uow.queries.invoice_page(query, TODAY, 100))


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", list(InvoiceSort))
@pytest.mark.parametrize("status", list(StatusFilter))
def test_the_first_page_walks_an_index_in_order_and_stops(
    database: Database, status: StatusFilter, sort: InvoiceSort, descending: bool
) -> None:
    """The list paints from `invoice_page` before the id list is known: a LIMIT, no sort."""
    plans = _page_plans(database, InvoiceQuery(status=status, sort=sort, descending=descending))

    (count_statement, count_plan), (page_statement, page_plan) = plans
    assert count_statement.startswith("SELECT count(*) FROM invoices")
    assert all("COVERING INDEX" in step for step in count_plan), count_plan
    assert page_statement.rstrip().endswith("LIMIT 100")
    assert not any("TEMP B-TREE" in step for step in page_plan), page_plan
    assert any(
        "USING INDEX ix_invoices_" in step or "USING INDEX ux_invoices_number" in step
        for step in page_plan
    ), page_plan
    assert not any(step.startswith("SCAN invoices") and "INDEX" not in step for step in page_plan)


@pytest.mark.parametrize(
    ("status", "index"),
    [
        (StatusFilter.OVERDUE, "ix_invoices_owing"),
        (StatusFilter.BALANCE_PENDING, "ix_invoices_owing"),
        (StatusFilter.PAID, "ix_invoices_status"),
        (StatusFilter.DRAFT, "ix_invoices_status"),
    ],
)
def test_counting_a_filter_reads_its_narrowest_index(
    database: Database, status: StatusFilter, index: str
) -> None:
    ((_statement, plan), _page) = _page_plans(database, InvoiceQuery(status=status))

    assert len(plan) == 1 and "COVERING INDEX" in plan[0] and f"INDEX {index}" in plan[0], plan


def test_a_broad_search_walks_the_sort_index_and_a_narrow_one_uses_its_own(
    database: Database,
) -> None:
    query = InvoiceQuery(search="ann", sort=InvoiceSort.TOTAL)
    walked = _plan(database, *_page_sql(query, walk=True))
    narrow = " | ".join(_plan(database, *_page_sql(query, walk=False)))

    assert walked[0] == "SCAN invoices USING INDEX ix_invoices_total"
    assert not any("TEMP B-TREE" in step for step in walked), walked
    assert "SCAN contacts_fts VIRTUAL TABLE INDEX 0:M" in " | ".join(walked)
    assert "USING INDEX ux_invoices_number (number>? AND number<?)" in narrow
    assert "USING INDEX ix_invoices_contact (contact_id=?)" in narrow


def _page_sql(query: InvoiceQuery, *, walk: bool) -> tuple[str, tuple[Any, ...]]:
    statement, params = invoice_page_sql(query, TODAY, "id, total", 100, walk=walk)
    return statement, tuple(params)


def test_no_list_query_pages_with_offset(database: Database) -> None:
    """Deep rows come by id (`WHERE id IN`), the first page by LIMIT: never OFFSET."""

    def everything(uow: SqlUnitOfWork) -> None:
        for status in StatusFilter:
            query = InvoiceQuery(status=status, search="ann")
            uow.queries.invoice_page(query, TODAY, 100)
            uow.queries.invoice_ids(query, TODAY)
        uow.queries.invoice_rows([1], TODAY)
        uow.queries.transaction_ids("")
        uow.queries.transaction_rows([1])

    statements = [statement for statement, _plan in _plans_of(database, everything)]
    assert statements
    assert not any("OFFSET" in statement.upper() for statement in statements)
