"""The hot queries use the indexes they were written for (EXPLAIN QUERY PLAN).

The plans are checked on a database without planner statistics, which is what every
operator's file is: the queries are written so their plan does not depend on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.views import InvoiceQuery, InvoiceSort
from leadcartel_desktop.storage.database import Database, open_database
from leadcartel_desktop.storage.list_sql import invoice_ids_sql
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
    """Run `action` in a unit of work; the plans of the statements it sent through SQLAlchemy."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
            seen.append((statement, params))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        with database.unit_of_work(read_only=True) as uow:
            action(uow)
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    return [(statement, _plan(database, statement, params)) for statement, params in seen]


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
