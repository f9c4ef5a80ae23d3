"""Tables that stay readable in a narrow window, and dialogs that fit on a small screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QHeaderView, QTableView

from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.forms import TITLE_BAR_ROOM, resize_within_screen
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.main_window import MainWindow
from leadcartel_desktop.ui.opportunities.list_model import DealColumn
from leadcartel_desktop.ui.opportunities.workspace import View
from leadcartel_desktop.ui.payments.invoice_model import InvoiceColumn
from tests.integration.deal_support import sales_book
from tests.ui.invoice_support import make_ui, set_up_business
from tests.ui.payments_book import WindowHarness, make_book

NARROW, WIDE = 880, 1600  # the lists fit 1024 px whole; narrower, they scroll sideways
DEAL_NAME_MINIMUM = 180  # ui/opportunities/tables.py
CUSTOMER_MINIMUM = 150  # ui/payments/invoices_tab.py


@pytest.fixture
def harness(qtbot: Any, context: Any) -> Iterator[WindowHarness]:
    book = sales_book(context.services)
    book.deal("Annual maintenance renewal for the Lisbon office", value=250_000, contact=book.ann)
    book.deal("Spring campaign", value=9_900, contact=book.bob)
    make_book(context.services)
    harness = WindowHarness(qtbot, context)
    yield harness
    harness.close()


def set_width(qtbot: Any, window: MainWindow, width: int) -> None:
    """Resize the real window and let its layouts settle."""
    window.resize(width, 768)
    qtbot.waitUntil(lambda: window.width() == width)
    QApplication.processEvents()
    qtbot.wait(30)


def others_width(table: QTableView, column: int) -> int:
    header = table.horizontalHeader()
    return sum(
        header.sectionSize(section)
        for section in range(header.count())
        if section != column and not header.isSectionHidden(section)
    )


def assert_kept_readable(table: QTableView, column: int, minimum: int) -> None:
    """Narrow: the column keeps its minimum and the table scrolls sideways."""
    header = table.horizontalHeader()
    viewport = table.viewport().width()
    # The window is narrow for this table: the fixed columns leave less than the minimum.
    assert viewport - others_width(table, column) < minimum, viewport
    assert header.sectionSize(column) >= minimum
    assert header.length() > viewport
    assert table.horizontalScrollBar().maximum() > 0


def assert_stretched(table: QTableView, column: int, minimum: int) -> None:
    """Wide: the column takes the room that is left; nothing to scroll."""
    header = table.horizontalHeader()
    viewport = table.viewport().width()
    assert header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch
    assert header.sectionSize(column) == viewport - others_width(table, column)
    assert header.sectionSize(column) > minimum
    assert header.length() == viewport
    assert table.horizontalScrollBar().maximum() == 0


def open_deal_list(qtbot: Any, harness: WindowHarness) -> QTableView:
    window = harness.window
    window.show_pane(1)
    assert window.opportunities is not None
    workspace = window.opportunities.workspace
    workspace.show_view(View.LIST)
    qtbot.waitUntil(
        lambda: (
            workspace.list_model.has_loaded
            and workspace.list_model.rowCount() == 2
            and harness.tasks.is_idle()
        )
    )
    assert workspace.list_view.isVisible()
    return workspace.list_view


def open_invoice_list(qtbot: Any, harness: WindowHarness) -> QTableView:
    window = harness.window
    assert window.payments is not None
    tab = window.payments.invoices
    qtbot.waitUntil(lambda: tab.model.has_loaded and tab.model.is_fully_loaded())
    assert tab.table.isVisible()
    return tab.table


def test_the_deal_list_keeps_the_name_readable_in_a_narrow_window_and_stretches_when_wide(
    qtbot: Any, harness: WindowHarness
) -> None:
    table = open_deal_list(qtbot, harness)
    set_width(qtbot, harness.window, NARROW)
    assert_kept_readable(table, DealColumn.NAME, DEAL_NAME_MINIMUM)

    set_width(qtbot, harness.window, WIDE)
    assert_stretched(table, DealColumn.NAME, DEAL_NAME_MINIMUM)


def test_the_invoice_list_keeps_the_customer_readable_in_a_narrow_window_and_stretches_when_wide(
    qtbot: Any, harness: WindowHarness
) -> None:
    table = open_invoice_list(qtbot, harness)
    set_width(qtbot, harness.window, NARROW)
    assert_kept_readable(table, InvoiceColumn.CUSTOMER, CUSTOMER_MINIMUM)

    set_width(qtbot, harness.window, WIDE)
    assert_stretched(table, InvoiceColumn.CUSTOMER, CUSTOMER_MINIMUM)


def test_the_invoice_list_narrows_the_customer_again_after_a_wide_window(
    qtbot: Any, harness: WindowHarness
) -> None:
    table = open_invoice_list(qtbot, harness)
    set_width(qtbot, harness.window, WIDE)
    assert_stretched(table, InvoiceColumn.CUSTOMER, CUSTOMER_MINIMUM)
    set_width(qtbot, harness.window, NARROW)
    assert_kept_readable(table, InvoiceColumn.CUSTOMER, CUSTOMER_MINIMUM)
    # Only as much sideways scrolling as the minimum needs, not the wide window's width.
    assert table.horizontalHeader().sectionSize(InvoiceColumn.CUSTOMER) == CUSTOMER_MINIMUM


# Dialogs on a small screen ---------------------------------------------------------------------
def available() -> Any:
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    return screen.availableGeometry()


def test_a_dialog_asked_for_more_than_the_screen_fits_on_it(qtbot: Any) -> None:
    area = available()
    assert area.width() < 1120 and area.height() < 860  # the offscreen screen is small
    dialog = QDialog()
    qtbot.addWidget(dialog)
    resize_within_screen(dialog, 1120, 860)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= area.width()
    assert dialog.height() <= area.height() - TITLE_BAR_ROOM
    assert (dialog.width(), dialog.height()) == (area.width(), area.height() - TITLE_BAR_ROOM)


def test_a_dialog_that_fits_gets_the_size_it_asked_for(qtbot: Any) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    resize_within_screen(dialog, 500, 400)
    assert (dialog.width(), dialog.height()) == (500, 400)


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    yield from make_ui(qtbot, context)


def test_the_invoice_editor_opens_within_the_screen(qtbot: Any, ui: UiContext) -> None:
    area = available()
    dialog = InvoiceEditorDialog(ui, None)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    # Its buttons stay on the screen: asked for 860 px, it is no taller than the screen's room.
    assert dialog.height() <= area.height() - TITLE_BAR_ROOM
    assert dialog.frameGeometry().height() <= area.height()
    # The width is held at the layout's minimum while "Loading…" (944 px here), which is more
    # than the 800 px offscreen screen; on a real screen 1120 is cut to the screen's width.
    assert dialog.width() < 1120


def test_at_1024_px_the_lists_show_every_column_without_scrolling(
    qtbot: Any, harness: WindowHarness
) -> None:
    set_width(qtbot, harness.window, 1024)
    for table in (open_invoice_list(qtbot, harness), open_deal_list(qtbot, harness)):
        QApplication.processEvents()
        assert table.horizontalScrollBar().maximum() == 0, table.objectName()
