"""The Invoices tab on a real book: filters, search, sorting, totals and recording a payment."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.ui.payments.invoice_model import InvoiceColumn
from leadcartel_desktop.ui.payments.invoices_tab import InvoicesTab
from leadcartel_desktop.ui.widgets.lazy_table_model import ID_ROLE, SORT_ROLE
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
def tab(qtbot: Any, harness: WindowHarness) -> InvoicesTab:
    assert harness.window.payments is not None
    tab = harness.window.payments.invoices
    qtbot.waitUntil(lambda: tab.model.has_loaded and tab.model.is_fully_loaded())
    return tab


def shown_ids(tab: InvoicesTab) -> set[int]:
    model = tab.model
    return {model.data(model.index(row, 0), ID_ROLE) for row in range(model.rowCount())}


def column_text(tab: InvoicesTab, column: InvoiceColumn) -> list[str]:
    model = tab.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def wait_for_ids(qtbot: Any, tab: InvoicesTab, expected: set[int]) -> None:
    qtbot.waitUntil(lambda: shown_ids(tab) == expected and tab.model.is_fully_loaded())


def row_of(tab: InvoicesTab, invoice_id: int) -> int:
    position = tab.model.position_of(invoice_id)
    assert position is not None
    return position


def test_rows_show_labels_status_and_money(qtbot: Any, tab: InvoicesTab, book: Book) -> None:
    model = tab.model
    draft = row_of(tab, book.ids["draft"])
    assert model.index(draft, InvoiceColumn.NUMBER).data() == f"Draft #{book.ids['draft']}"
    overdue = row_of(tab, book.ids["overdue"])
    assert model.index(overdue, InvoiceColumn.STATUS).data() == "Overdue"
    assert model.index(overdue, InvoiceColumn.STATUS).data(Qt.ItemDataRole.ForegroundRole)
    assert model.index(overdue, InvoiceColumn.BALANCE).data() == "$250.00"
    assert model.index(overdue, InvoiceColumn.ISSUE_DATE).data() == "Jan 5, 2026"
    eur = row_of(tab, book.ids["sent_eur"])
    assert model.index(eur, InvoiceColumn.TOTAL).data() == "€1,234.50"
    assert model.index(eur, InvoiceColumn.CUSTOMER).data() == "Chloé Martin"
    jpy = row_of(tab, book.ids["paid_jpy"])
    assert model.index(jpy, InvoiceColumn.TOTAL).data() == "¥12,000"
    assert model.index(jpy, InvoiceColumn.STATUS).data() == "Paid"
    due_today = row_of(tab, book.ids["due_today"])
    assert model.index(due_today, InvoiceColumn.STATUS).data() == "Sent"
    alignment = model.index(jpy, InvoiceColumn.BALANCE).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight


def test_filter_overdue_and_balance_pending(qtbot: Any, tab: InvoicesTab, book: Book) -> None:
    tab.filter_bar.set_status_filter(StatusFilter.OVERDUE)
    wait_for_ids(qtbot, tab, {book.ids["overdue"], book.ids["partial"]})
    assert set(column_text(tab, InvoiceColumn.STATUS)) == {"Overdue"}

    tab.filter_bar.set_status_filter(StatusFilter.BALANCE_PENDING)
    expected = {book.ids[name] for name in ("overdue", "sent_eur", "partial", "due_today")}
    wait_for_ids(qtbot, tab, expected)

    tab.filter_bar.set_status_filter(StatusFilter.CANCELLED)
    wait_for_ids(qtbot, tab, {book.ids["cancelled"]})

    tab.filter_bar.set_status_filter(StatusFilter.ALL)
    wait_for_ids(qtbot, tab, set(book.ids.values()))


def test_search_by_customer_and_by_number(qtbot: Any, tab: InvoicesTab, book: Book) -> None:
    qtbot.keyClicks(tab.filter_bar.search_box, "Chlo")
    wait_for_ids(qtbot, tab, {book.ids["sent_eur"], book.ids["due_today"]})

    tab.filter_bar.search_box.setText(book.numbers["partial"])
    wait_for_ids(qtbot, tab, {book.ids["partial"]})

    tab.filter_bar.search_box.setText("nobody-has-this")
    qtbot.waitUntil(lambda: tab.model.has_loaded and tab.model.rowCount() == 0)
    assert tab.stack.currentWidget() is tab.empty_state
    assert tab.empty_state.title_label.text() == "No invoices match"

    tab.filter_bar.search_box.clear()
    wait_for_ids(qtbot, tab, set(book.ids.values()))
    assert tab.stack.currentWidget() is tab.table


def click_header(qtbot: Any, tab: InvoicesTab, column: InvoiceColumn) -> None:
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


@pytest.mark.parametrize(
    "column", [InvoiceColumn.TOTAL, InvoiceColumn.BALANCE, InvoiceColumn.DUE_DATE]
)
def test_header_click_sorts_on_raw_values(
    qtbot: Any, tab: InvoicesTab, column: InvoiceColumn
) -> None:
    header = tab.table.horizontalHeader()
    for _ in range(2):  # once each way
        with qtbot.waitSignal(tab.model.loaded):
            click_header(qtbot, tab, column)
        qtbot.waitUntil(tab.model.is_fully_loaded)
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        assert tab.model.query.descending == descending
        values = [
            tab.model.index(row, column).data(SORT_ROLE) for row in range(tab.model.rowCount())
        ]
        assert values == sorted(values, reverse=descending)


def test_outstanding_totals_per_currency(qtbot: Any, tab: InvoicesTab) -> None:
    bar = tab.totals_bar
    qtbot.waitUntil(lambda: set(bar.cards) == {"EUR", "USD"})
    # 250.00 overdue + 300.00 - 50.00 partly paid and overdue; JPY is all paid.
    assert bar.text_for("USD") == ("$500.00", "$500.00")
    # 1,234.50 + 80.00 due today: nothing overdue.
    assert bar.text_for("EUR") == ("€1,314.50", "€0.00")
    assert bar.text_for("JPY") is None


def test_record_payment_from_the_pane(qtbot: Any, tab: InvoicesTab, book: Book) -> None:
    invoice_id = book.ids["sent_eur"]
    assert tab.select_id(invoice_id)
    qtbot.waitUntil(tab.invoice_actions.pay.isEnabled)
    tab.invoice_actions.pay.trigger()
    dialog = tab.invoice_actions.last_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.amount.setText("234.50")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    def status() -> str | None:
        position = tab.model.position_of(invoice_id)
        if position is None:
            return None
        tab.model.index(position, 0).data()  # fetch the page if it is not loaded
        row = tab.model.row_for(position)
        return None if row is None else row.status

    qtbot.waitUntil(lambda: status() == "Partially Paid")
    assert tab.current_id() == invoice_id  # the selection survived the refresh
    qtbot.waitUntil(lambda: tab.totals_bar.text_for("EUR") == ("€1,080.00", "€0.00"))


def test_pay_and_delete_follow_the_selection(qtbot: Any, tab: InvoicesTab, book: Book) -> None:
    actions = tab.invoice_actions
    tab.select_id(book.ids["paid_jpy"])
    assert not actions.pay.isEnabled() and not actions.delete.isEnabled()
    assert actions.open.isEnabled() and actions.save_pdf.isEnabled()
    tab.select_id(book.ids["draft"])
    assert actions.delete.isEnabled() and not actions.pay.isEnabled()
    tab.select_id(book.ids["partial"])
    assert actions.pay.isEnabled()


def test_delete_draft(
    qtbot: Any, tab: InvoicesTab, book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadcartel_desktop.ui.widgets import dialogs

    monkeypatch.setattr(dialogs, "confirm", lambda *args, **kwargs: True)
    tab.select_id(book.ids["draft"])
    tab.invoice_actions.delete.trigger()
    wait_for_ids(qtbot, tab, set(book.ids.values()) - {book.ids["draft"]})


def test_save_pdf(
    qtbot: Any, tab: InvoicesTab, book: Book, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadcartel_desktop.ui.widgets import dialogs

    target = tmp_path / "out" / "invoice"
    target.parent.mkdir()
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: target)
    tab.select_id(book.ids["sent_eur"])
    messages: list[str] = []
    tab.message.connect(messages.append)
    tab.invoice_actions.save_pdf.trigger()
    saved = target.with_suffix(".pdf")
    qtbot.waitUntil(lambda: bool(messages))
    assert saved.read_bytes().startswith(b"%PDF")
    assert messages == [f"Saved {saved}"]


def test_new_invoice_and_double_click_open_the_editor(
    qtbot: Any, tab: InvoicesTab, book: Book
) -> None:
    from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog

    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    editor = tab.invoice_actions.last_dialog
    assert isinstance(editor, InvoiceEditorDialog)
    assert editor.invoice_id is None
    with qtbot.waitSignal(editor.loaded, timeout=10_000, raising=False):
        pass
    editor.reject()

    position = row_of(tab, book.ids["sent_eur"])
    rect = tab.table.visualRect(tab.model.index(position, InvoiceColumn.CUSTOMER))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = tab.invoice_actions.last_dialog
    assert isinstance(editor, InvoiceEditorDialog)
    assert editor.invoice_id == book.ids["sent_eur"]
    with qtbot.waitSignal(editor.loaded, timeout=10_000, raising=False):
        pass
    editor.reject()


def test_duplicate_selects_and_opens_the_new_draft(
    qtbot: Any, tab: InvoicesTab, book: Book
) -> None:
    tab.select_id(book.ids["overdue"])
    tab.invoice_actions.duplicate.trigger()
    qtbot.waitUntil(lambda: tab.model.rowCount() == len(book.ids) + 1)
    new_id = max(book.ids.values()) + 1
    qtbot.waitUntil(lambda: tab.current_id() == new_id)
    editor = tab.invoice_actions.last_dialog
    assert editor is not None and editor.invoice_id == new_id  # type: ignore[attr-defined]
    with qtbot.waitSignal(editor.loaded, timeout=10_000, raising=False):  # type: ignore[attr-defined]
        pass
    editor.reject()
    position = row_of(tab, new_id)
    tab.model.index(position, 0).data()
    qtbot.waitUntil(lambda: tab.model.row_for(position) is not None)
    assert tab.model.index(position, InvoiceColumn.NUMBER).data() == f"Draft #{new_id}"


def test_many_currencies_scroll_sideways_instead_of_widening_the_window(qtbot: Any) -> None:
    from leadcartel_desktop.services.views import CurrencyTotals
    from leadcartel_desktop.ui.payments.totals_bar import OutstandingBar

    bar = OutstandingBar()
    qtbot.addWidget(bar)
    bar.resize(600, 100)
    bar.show()
    empty_width = bar.minimumSizeHint().width()
    totals = [
        CurrencyTotals(code, outstanding=123_456_78, overdue=1_000, outstanding_count=3,
                       overdue_count=1)
        for code in ("AUD", "CAD", "CHF", "EUR", "GBP", "JPY", "USD")
    ]  # fmt: skip
    bar.set_totals(totals)

    assert set(bar.cards) == {t.currency for t in totals}
    assert bar.minimumSizeHint().width() <= max(empty_width, 200)  # the window stays narrow
    assert bar.widget().layout().minimumSize().width() > bar.viewport().width()
    assert bar.horizontalScrollBar().maximum() > 0  # the other cards are a scroll away
    card = bar.cards["AUD"]
    assert bar.viewport().height() >= card.sizeHint().height()  # never cut off in height
