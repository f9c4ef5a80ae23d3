"""The demo book: enough customers, 150 invoices in every status and three currencies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from leadcartel_desktop.app import AppContext, build_context
from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.invoice_status import InvoiceStatus, StatusFilter
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.demo import DemoSummary, load_demo
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.views import InvoiceQuery, InvoiceRow
from tests.conftest import FixedClock


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, DemoSummary]]:
    context = build_context(tmp_path_factory.mktemp("demo"), FixedClock())
    steps: list[tuple[int, int]] = []
    summary = load_demo(context.services, progress=lambda done, total: steps.append((done, total)))
    assert steps[-1][0] == steps[-1][1]
    assert [done for done, _ in steps] == list(range(1, len(steps) + 1))
    yield context, summary
    context.close()


def _rows(services: Services, status: StatusFilter = StatusFilter.ALL) -> list[InvoiceRow]:
    today = services.invoice_list.today()
    ids = services.invoice_list.invoice_ids(InvoiceQuery(status), today)
    return services.invoice_list.invoice_rows(ids, today)


def _invoices(services: Services) -> list[Invoice]:
    return [services.invoices.get(row.id) for row in _rows(services)]


def test_summary_counts(demo_book: tuple[AppContext, DemoSummary]) -> None:
    context, summary = demo_book
    assert summary.contacts >= 40
    assert summary.invoices == 150
    assert summary.payments > 50
    assert summary.currencies == ("EUR", "GBP", "USD")
    assert not summary.cancelled
    assert context.services.contacts.count() == summary.contacts
    assert context.services.invoice_list.invoice_count() == 150


def test_every_status_and_three_currencies(demo_book: tuple[AppContext, DemoSummary]) -> None:
    services = demo_book[0].services
    rows = _rows(services)
    assert len(rows) == 150
    stored = Counter(row.stored_status for row in rows)
    assert set(stored) == set(InvoiceStatus)
    assert min(stored.values()) >= 10
    display = Counter(row.status for row in rows)
    assert display["Overdue"] >= 20
    assert Counter(row.currency for row in rows).keys() == {"EUR", "GBP", "USD"}
    today = services.invoice_list.today()
    overdue = _rows(services, StatusFilter.OVERDUE)
    assert len(overdue) == display["Overdue"]
    assert all(row.due_date < today and row.balance > 0 for row in overdue)
    assert demo_book[1].statuses["overdue"] == len(overdue)
    # Open invoices that are not overdue are due today or later.
    assert all(
        row.due_date >= today
        for row in rows
        if row.stored_status in {InvoiceStatus.SENT, InvoiceStatus.VIEWED}
        and row.status != "Overdue"
    )


def test_invoices_vary_like_a_real_book(demo_book: tuple[AppContext, DemoSummary]) -> None:
    invoices = _invoices(demo_book[0].services)
    line_counts = {len(invoice.content.lines) for invoice in invoices}
    assert line_counts == {1, 2, 3, 4, 5, 6}
    discounts = {
        (invoice.content.discount.kind, invoice.content.discount.timing)
        for invoice in invoices
        if not invoice.content.discount.is_zero
    }
    assert len(discounts) == 4  # amount and percent, before and after tax
    assert any(invoice.content.prices_include_tax for invoice in invoices)
    assert any(
        rate.compound
        for invoice in invoices
        for line in invoice.content.lines
        for rate in line.taxes
    )
    assert any(not line.taxes for invoice in invoices for line in invoice.content.lines)
    methods = {payment.method for invoice in invoices for payment in invoice.payments}
    assert len(methods) >= 5
    for invoice in invoices:
        totals = invoice.totals()
        assert 0 <= totals.balance <= totals.total
        assert all(payment.paid_on >= invoice.content.issue_date for payment in invoice.payments)
        if invoice.status is InvoiceStatus.PAID:
            assert totals.balance == 0
        if invoice.status is InvoiceStatus.CANCELLED:
            assert invoice.cancel_reason and not invoice.payments
        assert (invoice.number is None) == (invoice.status is InvoiceStatus.DRAFT)


def test_customers_are_international_and_valid(demo_book: tuple[AppContext, DemoSummary]) -> None:
    services = demo_book[0].services
    ids = {invoice.content.contact_id for invoice in _invoices(services)}
    contacts = [services.contacts.get(contact_id) for contact_id in ids if contact_id]
    assert len(contacts) >= 30
    names = " ".join(contact.full_name for contact in contacts)
    assert any(not character.isascii() for character in names)
    assert all(
        contact.phone.startswith("+") and contact.phone[1:].isdigit() for contact in contacts
    )
    assert all(
        contact.email.endswith(".example") or "example." in contact.email for contact in contacts
    )
    assert len({contact.address.country for contact in contacts}) >= 15


def test_business_settings_and_tax_rates(demo_book: tuple[AppContext, DemoSummary]) -> None:
    settings = demo_book[0].services.settings
    business = settings.business()
    assert business.company_name and business.default_currency == "EUR"
    names = {rate.name: rate for rate in settings.tax_rates()}
    assert str(names["VAT"].percent) == "20" and names["Eco levy"].compound


def test_refuses_a_book_that_has_data(demo_book: tuple[AppContext, DemoSummary]) -> None:
    with pytest.raises(ConflictError, match="empty book"):
        load_demo(demo_book[0].services)


def test_cancel_stops_between_steps(tmp_path: Path) -> None:
    context = build_context(tmp_path, FixedClock())
    try:
        seen: list[int] = []
        summary = load_demo(
            context.services,
            progress=lambda done, _total: seen.append(done),
            should_cancel=lambda: len(seen) >= 50,
        )
        assert summary.cancelled
        assert seen[-1] == 50
        assert summary.contacts + summary.invoices == 49  # step 1 is the settings
        assert context.services.invoice_list.invoice_count() == summary.invoices
    finally:
        context.close()


def test_same_seed_same_book(tmp_path: Path, demo_book: tuple[AppContext, DemoSummary]) -> None:
    context = build_context(tmp_path, FixedClock())
    try:
        load_demo(context.services)
        assert _rows(context.services) == _rows(demo_book[0].services)
    finally:
        context.close()


def test_conversations_have_replies_tags_and_groups_and_nothing_to_send(
    demo_book: tuple[AppContext, DemoSummary],
) -> None:
    services = demo_book[0].services
    threads = services.threads.threads()
    assert len(threads) >= 5 and all(thread.unread >= 1 for thread in threads)
    channels = {m.channel for t in threads for m in services.threads.thread(t.contact_id)}
    assert channels == {Channel.SMS, Channel.WHATSAPP, Channel.EMAIL}
    groups = {g.name: services.groups.count(g.definition) for g in services.groups.list()}
    assert set(groups) == {"VIP customers", "Newsletter by email"} and min(groups.values()) > 0
    assert {tag.tag for tag in services.contact_tags.tags()} >= {"vip", "newsletter"}
    assert sum(services.outbox.counts().values()) == 0  # the made-up customers get nothing
