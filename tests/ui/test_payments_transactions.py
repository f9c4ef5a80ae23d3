"""The Transactions tab: every payment listed, searched, and deleted with the status following."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.ui.payments.pane import PaymentsPane
from leadcartel_desktop.ui.payments.transaction_model import TransactionColumn
from tests.ui.invoice_support import find_dialog
from tests.ui.payments_book import Book, WindowHarness, make_book


@pytest.fixture
def book(context: Any) -> Book:
    return make_book(context.services)


@pytest.fixture
def harness(qtbot: Any, context: Any, book: Book) -> Iterator[WindowHarness]:
    harness = WindowHarness(qtbot, context)
    yield harness
    harness.close()


@pytest.fixture
def pane(qtbot: Any, harness: WindowHarness) -> PaymentsPane:
    pane = harness.window.payments
    assert pane is not None
    qtbot.waitUntil(lambda: pane.invoices.model.has_loaded)
    pane.tabs.setCurrentWidget(pane.transactions)
    model = pane.transactions.model
    qtbot.waitUntil(lambda: model.has_loaded and model.is_fully_loaded())
    return pane


def column(pane: PaymentsPane, which: TransactionColumn) -> list[str]:
    model = pane.transactions.model
    return [model.index(row, which).data() for row in range(model.rowCount())]


def invoice_status(pane: PaymentsPane, invoice_id: int) -> str | None:
    model = pane.invoices.model
    position = model.position_of(invoice_id)
    if position is None:
        return None
    model.index(position, 0).data()  # a hidden tab paints nothing, so ask for the page
    row = model.row_for(position)
    return None if row is None else row.status


def test_lists_every_payment(pane: PaymentsPane, book: Book) -> None:
    assert pane.transactions.model.rowCount() == 2
    assert column(pane, TransactionColumn.INVOICE) == [
        book.numbers["paid_jpy"],  # newest first
        book.numbers["partial"],
    ]
    assert column(pane, TransactionColumn.AMOUNT) == ["¥12,000", "$50.00"]
    assert column(pane, TransactionColumn.METHOD) == ["Card", "Cash"]
    assert column(pane, TransactionColumn.REFERENCE) == ["card-77", ""]
    assert column(pane, TransactionColumn.CUSTOMER) == ["Dai Nakamura", "Bruno Díaz"]


def test_search(qtbot: Any, pane: PaymentsPane) -> None:
    qtbot.keyClicks(pane.transactions.search_box, "Nakamura")
    model = pane.transactions.model
    qtbot.waitUntil(lambda: model.search == "Nakamura" and model.rowCount() == 1)
    qtbot.waitUntil(model.is_fully_loaded)
    assert column(pane, TransactionColumn.CUSTOMER) == ["Dai Nakamura"]


def test_a_payment_recorded_elsewhere_shows_after_refresh(
    qtbot: Any, pane: PaymentsPane, book: Book, context: Any
) -> None:
    context.services.payments.record(
        book.ids["overdue"], 1_000, date(2026, 3, 9), PaymentMethod.CHECK, "chq 12"
    )
    pane.refresh()
    model = pane.transactions.model
    qtbot.waitUntil(lambda: model.rowCount() == 3 and model.is_fully_loaded())
    assert column(pane, TransactionColumn.REFERENCE)[0] == "chq 12"


def test_delete_payment_restores_the_status(
    qtbot: Any, pane: PaymentsPane, book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadcartel_desktop.ui.widgets import dialogs

    questions: list[str] = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda _parent, _title, text, *rest: questions.append(text) or True
    )
    invoice_id = book.ids["paid_jpy"]
    qtbot.waitUntil(lambda: invoice_status(pane, invoice_id) == "Paid")
    pane.transactions.table.selectRow(0)
    assert pane.transactions.delete_action.isEnabled()
    pane.transactions.delete_action.trigger()
    model = pane.transactions.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert questions and "¥12,000" in questions[0]
    qtbot.waitUntil(lambda: invoice_status(pane, invoice_id) == "Sent")
    qtbot.waitUntil(lambda: pane.invoices.totals_bar.text_for("JPY") == ("¥12,000", "¥0"))


def test_refused_confirmation_deletes_nothing(
    qtbot: Any, pane: PaymentsPane, monkeypatch: pytest.MonkeyPatch, harness: WindowHarness
) -> None:
    from leadcartel_desktop.ui.widgets import dialogs

    monkeypatch.setattr(dialogs, "confirm", lambda *args: False)
    pane.transactions.table.selectRow(0)
    pane.transactions.delete_action.trigger()
    qtbot.waitUntil(harness.tasks.is_idle)
    assert pane.transactions.model.rowCount() == 2


def test_a_payment_the_cloud_holds_is_deleted_only_after_a_second_question(
    qtbot: Any,
    pane: PaymentsPane,
    book: Book,
    context: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from leadcartel_desktop.ui.widgets import dialogs

    monkeypatch.setattr(dialogs, "confirm", lambda *args: True)
    invoice_id = book.ids["paid_jpy"]
    (payment,) = context.services.invoices.get(invoice_id).payments
    with context.database.unit_of_work() as uow:  # as a push the cloud accepted leaves it
        uow.invoice_sync.set_remote(invoice_id, "remote-jpy", "https://pay.example/jpy")
        assert context.services.invoice_sync.queue_push_in(uow, payment.id)
        push_id = uow.invoice_sync.payment_in_cloud(payment.id).push_id
        uow.outbox.record(push_id, OutboxState.SENT, attempts=1, now=datetime.now(UTC))
        uow.commit()
    pane.transactions.table.selectRow(0)
    pane.transactions.delete_action.trigger()
    qtbot.waitUntil(lambda: find_dialog(pane, QMessageBox, "confirmDialog") is not None)
    box = find_dialog(pane, QMessageBox, "confirmDialog")
    assert "Lead Cartel" in box.text() and "Delete it here only?" in box.text()
    assert pane.transactions.model.rowCount() == 2  # nothing deleted before the answer
    box.findChild(QPushButton, "confirmYes").click()
    qtbot.waitUntil(lambda: pane.transactions.model.rowCount() == 1)
    assert context.services.invoices.get(invoice_id).payments == ()


def test_search_finds_a_payment_by_the_start_of_its_reference(
    qtbot: Any, pane: PaymentsPane
) -> None:
    qtbot.keyClicks(pane.transactions.search_box, "CARD-7")  # of 'card-77', in another case
    model = pane.transactions.model
    qtbot.waitUntil(lambda: model.search == "CARD-7" and model.rowCount() == 1)
    qtbot.waitUntil(model.is_fully_loaded)
    assert column(pane, TransactionColumn.REFERENCE) == ["card-77"]
    assert column(pane, TransactionColumn.CUSTOMER) == ["Dai Nakamura"]
