"""The list read side: ids in display order for every filter and sort, rows, totals."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent, Payment
from leadcartel_desktop.domain.invoice_status import (
    OPEN_STATUSES,
    InvoiceStatus,
    StatusFilter,
    is_overdue,
)
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.views import CurrencyTotals, InvoiceQuery, InvoiceSort
from leadcartel_desktop.storage import list_sql
from leadcartel_desktop.storage.database import Database, open_database

NOW = datetime(2026, 3, 10, tzinfo=UTC)
TODAY = date(2026, 3, 10)
NAMES = [("Ann", "Lee"), ("bob", "Marsh"), ("Carla", "Lee"), ("Dan", ""), ("", "")]


@dataclass
class Made:
    id: int
    number: str | None
    customer: str
    issue_date: date
    due_date: date
    status: InvoiceStatus
    currency: str
    total: int
    paid: int

    @property
    def balance(self) -> int:
        return self.total - self.paid


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "book.sqlite3")
    yield db
    db.close()


def _make_book(database: Database, count: int = 60) -> list[Made]:
    rnd = random.Random(7)
    made: list[Made] = []
    with database.unit_of_work() as uow:
        contacts = []
        for first, last in NAMES:
            company = "" if first or last else "Zeta Co"
            contact = Contact(first_name=first, last_name=last, company=company)
            contacts.append((uow.contacts.add(contact), contact.display_name))
        for index in range(count):
            contact_id, customer = rnd.choice(contacts)
            issue = date(2026, 1, 1) + timedelta(days=rnd.randrange(0, 80))
            due = issue + timedelta(days=rnd.choice([0, 7, 30]))
            currency = rnd.choice(["USD", "USD", "EUR", "JPY"])
            price = rnd.choice([1000, 2500, 2500, 9999])
            content = InvoiceContent(
                contact_id, currency, issue, due, (LineItem("Work", Decimal(1), price),)
            )
            invoice_id = uow.invoices.add(content, content.totals(), NOW)
            status = rnd.choice(list(InvoiceStatus))
            number = None
            paid = 0
            if status is not InvoiceStatus.DRAFT:
                number = f"{'AB'[index % 2]}-{index:04d}"
                uow.invoices.mark_issued(invoice_id, number, InvoiceStatus.SENT, NOW)
                if status is InvoiceStatus.PAID:
                    paid = price
                elif status is InvoiceStatus.PARTIALLY_PAID:
                    paid = price // 2
                if paid:
                    uow.invoices.add_payment(
                        invoice_id,
                        Payment(paid, issue + timedelta(days=index % 5), PaymentMethod.CARD),
                    )
                    uow.invoices.set_paid(invoice_id, paid, status)
                else:
                    uow.invoices.set_status(invoice_id, status, "x" * (status == "cancelled"))
            made.append(
                Made(invoice_id, number, customer, issue, due, status, currency, price, paid)
            )
        uow.commit()
    return made


def _ids(database: Database, query: InvoiceQuery, today: date = TODAY) -> list[int]:
    with database.unit_of_work(read_only=True) as uow:
        return uow.queries.invoice_ids(query, today)


def _key(made: Made, sort: InvoiceSort) -> Any:
    if sort is InvoiceSort.NUMBER:
        return (made.number is not None, (made.number or "").lower())
    if sort is InvoiceSort.CUSTOMER:
        return made.customer.lower()
    if sort is InvoiceSort.STATUS:
        return made.status.value
    return getattr(made, sort.value)


def _expected(made: list[Made], status: StatusFilter, sort: InvoiceSort, desc: bool) -> list[int]:
    def keep(item: Made) -> bool:
        if status is StatusFilter.ALL:
            return True
        if status is StatusFilter.OVERDUE:
            return is_overdue(item.status, item.due_date, item.balance, TODAY)
        if status is StatusFilter.BALANCE_PENDING:
            return item.status in OPEN_STATUSES and item.balance > 0
        return item.status.value == status.value

    kept = [item for item in made if keep(item)]
    kept.sort(key=lambda item: (_key(item, sort), item.id), reverse=desc)
    return [item.id for item in kept]


@pytest.mark.parametrize("status", list(StatusFilter))
def test_every_filter_and_sort_in_both_directions(database: Database, status: StatusFilter) -> None:
    made = _make_book(database)

    for sort in InvoiceSort:
        for desc in (True, False):
            query = InvoiceQuery(status=status, sort=sort, descending=desc)
            assert _ids(database, query) == _expected(made, status, sort, desc), query


def test_search_by_number_prefix_or_customer_words(database: Database) -> None:
    made = _make_book(database)

    def found(text: str) -> set[int]:
        return set(_ids(database, InvoiceQuery(search=text)))

    assert found("a-00") == {m.id for m in made if (m.number or "").startswith("A-00")}
    assert found("B-0001") == {m.id for m in made if (m.number or "").startswith("B-0001")}
    assert found("lee") == {m.id for m in made if m.customer.endswith("Lee")}
    assert found("car le") == {m.id for m in made if m.customer == "Carla Lee"}
    assert found("BOB") == {m.id for m in made if m.customer == "bob Marsh"}
    assert found("zeta") == {m.id for m in made if m.customer == "Zeta Co"}
    assert found('"') == set()
    assert found("   ") == {m.id for m in made}


def test_a_renamed_customer_is_found_and_sorted_by_the_new_name(database: Database) -> None:
    _make_book(database, 10)
    with database.unit_of_work() as uow:
        uow.contacts.update(Contact(first_name="Aaron", last_name="Zed", id=1))
        uow.commit()

    with database.unit_of_work(read_only=True) as uow:
        ids = uow.queries.invoice_ids(InvoiceQuery(search="aaron"), TODAY)
        rows = uow.queries.invoice_rows(ids, TODAY)
    assert ids
    assert {row.customer for row in rows} == {"Aaron Zed"}


def test_rows_come_back_in_the_order_asked_with_overdue_derived(database: Database) -> None:
    made = {item.id: item for item in _make_book(database)}
    ids = [*list(made)[::-1][:25], 99999]

    with database.unit_of_work(read_only=True) as uow:
        rows = uow.queries.invoice_rows(ids, TODAY)
        assert uow.queries.invoice_rows([], TODAY) == []
        assert uow.queries.invoice_count() == len(made)

    assert [row.id for row in rows] == ids[:-1]
    for row in rows:
        item = made[row.id]
        overdue = is_overdue(item.status, item.due_date, item.balance, TODAY)
        assert row.status == ("Overdue" if overdue else item.status.label)
        assert row.stored_status is item.status
        assert (row.number, row.customer, row.currency) == (
            item.number or "",
            item.customer,
            item.currency,
        )
        assert (row.total, row.balance, row.issue_date, row.due_date) == (
            item.total,
            item.balance,
            item.issue_date,
            item.due_date,
        )


def test_outstanding_totals_are_per_currency_and_never_added_together(database: Database) -> None:
    made = _make_book(database)

    with database.unit_of_work(read_only=True) as uow:
        totals = uow.queries.outstanding(TODAY)

    expected = []
    for currency in sorted({item.currency for item in made}):
        owing = [
            m for m in made if m.currency == currency and m.status in OPEN_STATUSES and m.balance
        ]
        late = [m for m in owing if is_overdue(m.status, m.due_date, m.balance, TODAY)]
        if owing:
            expected.append(
                CurrencyTotals(
                    currency,
                    sum(m.balance for m in owing),
                    sum(m.balance for m in late),
                    len(owing),
                    len(late),
                )
            )
    assert totals == expected
    assert len({row.currency for row in totals}) == len(totals) > 1


def test_transactions_newest_first_and_searchable(database: Database) -> None:
    made = {item.id: item for item in _make_book(database)}

    with database.unit_of_work(read_only=True) as uow:
        ids = uow.queries.transaction_ids("")
        rows = uow.queries.transaction_rows(ids)
        lee = uow.queries.transaction_rows(uow.queries.transaction_ids("lee"))
        by_number = uow.queries.transaction_rows(uow.queries.transaction_ids("b-00"))

    assert len(rows) == sum(1 for item in made.values() if item.paid)
    assert [(row.paid_on, row.id) for row in rows] == sorted(
        ((row.paid_on, row.id) for row in rows), reverse=True
    )
    for row in rows:
        item = made[row.invoice_id]
        assert (row.invoice_number, row.customer, row.currency, row.amount, row.method) == (
            item.number,
            item.customer,
            item.currency,
            item.paid,
            "card",
        )
    assert lee and {row.customer for row in lee} <= {"Ann Lee", "Carla Lee"}
    assert by_number and all(row.invoice_number.startswith("B-") for row in by_number)


def test_long_id_lists_keep_the_index_order(database: Database) -> None:
    """The packed id transfer must give exactly what a plain row-by-row fetch gives."""
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
            "INSERT INTO invoices (currency, issue_date, due_date, total, balance, created_at) "
            "SELECT 'USD', printf('2026-%02d-%02d', 1 + i % 12, 1 + i % 28), '2026-12-31', "
            "(i * 7919) % 1000, (i * 7919) % 1000, '2026-01-01T00:00:00.000Z' FROM n"
        )
    for sort in InvoiceSort:
        query = InvoiceQuery(sort=sort, descending=sort.value < "m")
        statement, params = list_sql.invoice_ids_sql(query, TODAY)
        with database.engine.connect() as connection:
            plain = [row[0] for row in connection.exec_driver_sql(statement, tuple(params))]
        assert _ids(database, query) == plain


def test_the_open_statuses_in_sql_are_the_domains() -> None:
    from importlib import util

    from leadcartel_desktop.storage.migrate import MIGRATIONS

    spec = util.spec_from_file_location(
        "migration_0001", MIGRATIONS / "versions" / "0001_initial_schema.py"
    )
    assert spec is not None and spec.loader is not None
    migration = util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.OPEN == list_sql.OPEN
    listed = list_sql.OPEN.removeprefix("status IN (").removesuffix(")").split(", ")
    assert {value.strip("'") for value in listed} == {status.value for status in OPEN_STATUSES}


@pytest.mark.parametrize("search", ["", "lee", "a-00", "zeta"])
@pytest.mark.parametrize("status", list(StatusFilter))
def test_the_first_page_is_the_head_of_the_id_list_with_its_count(
    database: Database, status: StatusFilter, search: str
) -> None:
    _make_book(database)

    for sort in InvoiceSort:
        for desc in (True, False):
            query = InvoiceQuery(status=status, search=search, sort=sort, descending=desc)
            ids = _ids(database, query)
            with database.unit_of_work(read_only=True) as uow:
                page = uow.queries.invoice_page(query, TODAY, 7)
                rows = uow.queries.invoice_rows(ids[:7], TODAY)
            assert page.count == len(ids), query
            assert page.rows == rows, query


@pytest.mark.parametrize("walk", [True, False])
def test_a_search_page_is_the_same_walked_or_sorted(database: Database, walk: bool) -> None:
    _make_book(database)
    query = InvoiceQuery(search="lee", sort=InvoiceSort.TOTAL, descending=False)
    statement, params = list_sql.invoice_page_sql(query, TODAY, "id", 5, walk=walk)

    with database.engine.connect() as connection:
        found = [row[0] for row in connection.exec_driver_sql(statement, tuple(params))]
    assert found == _ids(database, query)[:5]


def test_a_broad_search_walks_the_order_and_a_narrow_one_does_not() -> None:
    assert list_sql.walk_the_order(matches=40_000, total=200_000, limit=100)
    assert not list_sql.walk_the_order(matches=19, total=200_000, limit=100)
    assert not list_sql.walk_the_order(matches=0, total=200_000, limit=100)


@pytest.mark.parametrize("count", [0, 1, 2, 7, 5000])
def test_id_lists_are_parsed_a_slice_at_a_time_without_losing_any(count: int) -> None:
    from leadcartel_desktop.storage.sql import parse_ids

    ids = [random.Random(count).randrange(1, 10**12) for _ in range(count)]
    text = "[" + ",".join(map(str, ids)) + "]"

    assert parse_ids(text) == ids
    assert parse_ids(text, chunk=5) == ids
