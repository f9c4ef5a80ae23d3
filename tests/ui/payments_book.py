"""A small book for the Payments pane tests, made through the services, and a window on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.main_window import MainWindow
from leadcartel_desktop.ui.tasks import TaskRunner


@dataclass
class Book:
    """Invoice ids by nickname; the clock's today is 2026-03-10 (UTC)."""

    ids: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)


def _invoice(
    services: Services,
    contact_id: int,
    currency: str,
    issued: date,
    due: date,
    unit_price: int,
    *,
    issue: bool = True,
) -> int:
    content = InvoiceContent(
        contact_id=contact_id,
        currency=currency,
        issue_date=issued,
        due_date=due,
        lines=(LineItem("Consulting", Decimal(1), unit_price),),
    )
    invoice_id = services.invoices.save_draft(content)
    if issue:
        services.invoices.issue(invoice_id)
    return invoice_id


def make_book(services: Services) -> Book:
    """Seven invoices over every case the list must tell apart, in USD, EUR and JPY."""
    ada = services.contacts.create(Contact("Ada", "Lovelace", company="Analytical Ltd")).id
    bruno = services.contacts.create(Contact("Bruno", "Díaz")).id
    chloe = services.contacts.create(Contact("Chloé", "Martin")).id
    dai = services.contacts.create(Contact("Dai", "Nakamura")).id
    assert None not in (ada, bruno, chloe, dai)
    book = Book()
    add = book.ids.__setitem__
    add("draft", _invoice(services, ada, "USD", date(2026, 3, 9), date(2026, 4, 8), 10_000,
                          issue=False))  # fmt: skip
    add("overdue", _invoice(services, ada, "USD", date(2026, 1, 5), date(2026, 2, 4), 25_000))
    add("sent_eur", _invoice(services, chloe, "EUR", date(2026, 3, 1), date(2026, 3, 31), 123_450))
    add("partial", _invoice(services, bruno, "USD", date(2026, 2, 1), date(2026, 3, 3), 30_000))
    services.payments.record(book.ids["partial"], 5_000, date(2026, 2, 15), PaymentMethod.CASH)
    add("paid_jpy", _invoice(services, dai, "JPY", date(2026, 3, 5), date(2026, 4, 4), 12_000))
    services.payments.record(
        book.ids["paid_jpy"], 12_000, date(2026, 3, 6), PaymentMethod.CARD, "card-77"
    )
    add("due_today", _invoice(services, chloe, "EUR", date(2026, 2, 20), date(2026, 3, 10), 8_000))
    add("cancelled", _invoice(services, bruno, "USD", date(2026, 2, 2), date(2026, 3, 4), 4_000))
    services.invoices.cancel(book.ids["cancelled"], "Issued twice")
    for name, invoice_id in book.ids.items():
        book.numbers[name] = services.invoices.get(invoice_id).number or f"Draft #{invoice_id}"
    return book


class WindowHarness:
    """A real MainWindow on the test's database; task errors are collected, not shown."""

    def __init__(self, qtbot: Any, app_context: Any) -> None:
        self.errors: list[BaseException] = []
        self.tasks = TaskRunner(self.errors.append)
        self.context = UiContext(app_context.services, self.tasks, app_context.paths)
        self.window = self.open_window(qtbot)

    def open_window(self, qtbot: Any) -> MainWindow:
        window = MainWindow(self.context.paths, self.tasks)
        qtbot.addWidget(window)
        window.attach(self.context)
        window.show()
        return window

    def close(self) -> None:
        self.window.close()
        self.tasks.wait_for_done()
        assert not self.errors, self.errors
